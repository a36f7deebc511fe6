//! `chain-specs/dev.json` and `chain-specs/local.json` are what `cloudana-node
//! export-chain-spec` makes from the runtime's genesis presets. Regenerate with
//! `CLOUDANA_BLESS=1 cargo test -p cloudana-node --test chain_specs`.
//!
//! The comparison skips `genesis.runtimeGenesis.code`: the wasm bytes depend on the toolchain
//! and the build's paths, not on the presets; the committed file must still carry a wasm blob.

use serde_json::Value;
use std::{path::PathBuf, process::Command};

fn export(chain: &str) -> Value {
	let output = Command::new(env!("CARGO_BIN_EXE_cloudana-node"))
		.args(["export-chain-spec", "--chain", chain])
		.output()
		.expect("cloudana-node runs");
	assert!(output.status.success(), "export-chain-spec failed: {}", String::from_utf8_lossy(&output.stderr));
	serde_json::from_slice(&output.stdout).expect("a JSON chain spec")
}

fn without_code(mut spec: Value) -> (Value, String) {
	let code = spec["genesis"]["runtimeGenesis"]
		.as_object_mut()
		.and_then(|g| g.remove("code"))
		.and_then(|c| c.as_str().map(String::from))
		.expect("the spec carries genesis.runtimeGenesis.code");
	(spec, code)
}

#[test]
fn committed_chain_specs_match_the_presets() {
	// The manifest dir at run time (cargo sets it), not at build time: a shared target dir may
	// hold binaries built from another checkout.
	let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into())).join("../chain-specs");
	for (chain, file) in [("dev", "dev.json"), ("local", "local.json")] {
		let generated = export(chain);
		let path = dir.join(file);
		if std::env::var_os("CLOUDANA_BLESS").is_some() {
			std::fs::write(&path, serde_json::to_string_pretty(&generated).unwrap() + "\n").unwrap();
			continue;
		}
		let committed: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
		let (generated, _) = without_code(generated);
		let (committed, code) = without_code(committed);
		assert!(code.starts_with("0x") && code.len() > 100_000, "{file} carries no runtime wasm");
		assert_eq!(generated, committed, "{file} is stale: rerun with CLOUDANA_BLESS=1");
	}
}

#[test]
fn dev_spec_has_one_validator_and_local_four() {
	let dev = export("dev");
	let local = export("local");
	let authorities = |spec: &Value| spec["genesis"]["runtimeGenesis"]["patch"]["aura"]["authorities"].as_array().map(|a| a.len());
	assert_eq!(authorities(&dev), Some(1));
	assert_eq!(authorities(&local), Some(4));
	assert_eq!(dev["properties"]["tokenSymbol"], "CLD");
	assert_eq!(dev["properties"]["tokenDecimals"], 12);
	assert!(local["genesis"]["runtimeGenesis"]["patch"]["sudo"]["key"].is_null(), "no Sudo outside development");
}
