//! `cloudana bridge verify-vaa` offline, on a real mainnet VAA (guardian set 4, 13 of 19;
//! primitives/wormhole/tests/data/SOURCES.md): exit 0 and its fields when valid; exit 1 with a
//! one-line reason for a changed body, a missing signature, another set's index, a set file
//! that is not one, and bytes that are not a VAA.

use std::{path::PathBuf, process::Command};

fn data(name: &str) -> PathBuf {
	PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()))
		.join("../primitives/wormhole/tests/data")
		.join(name)
}

const SET_4: &str = "# mainnet guardian set 4 (guardianset/mainnetv2/v4.prototxt)
0x5893B5A76c3f739645648885bDCcC06cd70a3Cd3
0xfF6CB952589BDE862c25Ef4392132fb9D4A42157
0x114De8460193bdf3A2fCf81f86a09765F4762fD1
0x107A0086b32d7A0977926A205131d8731D39cbEB
0x8C82B2fd82FaeD2711d59AF0F2499D16e726f6b2
0x11b39756C042441BE6D8650b69b54EbE715E2343
0x54Ce5B4D348fb74B958e8966e2ec3dBd4958a7cd
0x15e7cAF07C4e3DC8e7C469f92C8Cd88FB8005a20
0x74a3bf913953D695260D88BC1aA25A4eeE363ef0
0x000aC0076727b35FBea2dAc28fEE5cCB0fEA768e
0xAF45Ced136b9D9e24903464AE889F5C8a723FC14
0xf93124b7c738843CBB89E864c862c38cddCccF95
0xD2CC37A4dc036a8D232b48f62cDD4731412f4890
0xDA798F6896A3331F64b48c12D1D57Fd9cbe70811
0x71AA1BE1D36CaFE3867910F99C09e347899C19C3
0x8192b6E7387CCd768277c17DAb1b7a5027c0b3Cf
0x178e21ad2E77AE06711549CFBB1f9c7a9d8096e8
0x5E1487F35515d02A92753504a8D75471b9f49EdB
0x6FbEBc898F403E4773E95feB15E80C9A99c8348d
";

fn run(set: &str, index: u32, vaa_hex: &str, json: bool) -> (bool, String) {
	let dir = tempfile::tempdir().unwrap();
	std::fs::write(dir.path().join("set.txt"), set).unwrap();
	std::fs::write(dir.path().join("vaa.hex"), vaa_hex).unwrap();
	let mut command = Command::new(env!("CARGO_BIN_EXE_cloudana"));
	if json {
		command.arg("--json");
	}
	let output = command
		.args(["bridge", "verify-vaa", "--guardian-set-index", &index.to_string(), "--guardian-set"])
		.arg(dir.path().join("set.txt"))
		.arg("--vaa")
		.arg(dir.path().join("vaa.hex"))
		.output()
		.unwrap();
	let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
	(output.status.success(), text.trim().to_string())
}

fn vaa() -> String {
	std::fs::read_to_string(data("mainnet_polygon_relayer_gs4.hex")).unwrap().trim().to_string()
}

#[test]
fn a_mainnet_vaa_is_valid() {
	let (ok, text) = run(SET_4, 4, &format!("0x{}\n", vaa()), true);
	assert!(ok, "{text}");
	let value: serde_json::Value = serde_json::from_str(&text).unwrap();
	assert_eq!(value["signatures"], 13);
	assert_eq!(value["emitter_chain"], 5);
	assert_eq!(value["sequence"], 265_493);
	assert_eq!(value["digest"], "0x83274a94b2e836f6b41e716ccc3ed65042c78dcc0bd0585ad30eeda980009313");
	let (ok, text) = run(SET_4, 4, &vaa(), false);
	assert!(ok && text.starts_with("valid VAA: 13 of 19 guardians of set 4"), "{text}");
}

#[test]
fn invalid_vaas_and_inputs_fail_with_one_line() {
	let refused = |set: &str, index: u32, vaa: &str, reason: &str| {
		let (ok, text) = run(set, index, vaa, false);
		assert!(!ok, "accepted: {text}");
		assert_eq!(text.lines().count(), 1, "{text}");
		assert!(text.contains(reason), "{reason:?} not in {text:?}");
	};
	// The last payload byte changed: the first signature no longer recovers to guardian 0.
	let mut changed = vaa();
	changed.replace_range(changed.len() - 2.., "01");
	refused(SET_4, 4, &changed, "guardian 0's signature does not recover to its key");
	// One signature dropped: 12 of 19.
	let mut bytes = hex::decode(vaa()).unwrap();
	bytes[5] = 12;
	bytes.drain(6 + 66 * 12..6 + 66 * 13);
	refused(SET_4, 4, &hex::encode(&bytes), "12 signature(s), the quorum is 13");
	refused(SET_4, 3, &vaa(), "signed by guardian set 4, checked against set 3");
	refused("0x1234\n", 4, &vaa(), "2 bytes, an address is 20");
	refused(SET_4, 4, "0x0200", "VAA version 2 is not supported");
	refused(SET_4, 4, "zz", "not hex");
}
