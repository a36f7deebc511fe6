//! The codecs and the verification against public data (sources: `tests/data/SOURCES.md`):
//! NTT's golden vectors, two real mainnet VAAs with their guardian sets, `wormhole-raw-vaas`'s
//! parser, and VAAs signed here with Wormhole's public devnet guardian keys to hit every rule.

use cloudana_wormhole::{
	governance::{GuardianSetUpgrade, UpgradeError, GOVERNANCE_CHAIN, GOVERNANCE_EMITTER},
	ntt::{AmountError, NativeTokenTransfer, NttManagerMessage, PayloadError, TransceiverMessage, TrimmedAmount},
	quorum, verify, Address, Body, Crypto, GuardianSet, Signature, SpIo, Vaa, VaaError, VerifyError, K256,
};
use k256::ecdsa::SigningKey;
use proptest::prelude::*;

fn data(name: &str) -> Vec<u8> {
	let path = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into())).join("tests/data").join(format!("{name}.hex"));
	hex::decode(std::fs::read_to_string(path).unwrap().trim()).unwrap()
}

fn addresses(list: &[&str]) -> Vec<Address> {
	list.iter().map(|a| hex::decode(a.trim_start_matches("0x")).unwrap().try_into().unwrap()).collect()
}

/// Mainnet guardian set 4, index order (`guardianset/mainnetv2/v4.prototxt`).
const SET_4: [&str; 19] = [
	"0x5893B5A76c3f739645648885bDCcC06cd70a3Cd3",
	"0xfF6CB952589BDE862c25Ef4392132fb9D4A42157",
	"0x114De8460193bdf3A2fCf81f86a09765F4762fD1",
	"0x107A0086b32d7A0977926A205131d8731D39cbEB",
	"0x8C82B2fd82FaeD2711d59AF0F2499D16e726f6b2",
	"0x11b39756C042441BE6D8650b69b54EbE715E2343",
	"0x54Ce5B4D348fb74B958e8966e2ec3dBd4958a7cd",
	"0x15e7cAF07C4e3DC8e7C469f92C8Cd88FB8005a20",
	"0x74a3bf913953D695260D88BC1aA25A4eeE363ef0",
	"0x000aC0076727b35FBea2dAc28fEE5cCB0fEA768e",
	"0xAF45Ced136b9D9e24903464AE889F5C8a723FC14",
	"0xf93124b7c738843CBB89E864c862c38cddCccF95",
	"0xD2CC37A4dc036a8D232b48f62cDD4731412f4890",
	"0xDA798F6896A3331F64b48c12D1D57Fd9cbe70811",
	"0x71AA1BE1D36CaFE3867910F99C09e347899C19C3",
	"0x8192b6E7387CCd768277c17DAb1b7a5027c0b3Cf",
	"0x178e21ad2E77AE06711549CFBB1f9c7a9d8096e8",
	"0x5E1487F35515d02A92753504a8D75471b9f49EdB",
	"0x6FbEBc898F403E4773E95feB15E80C9A99c8348d",
];

/// Guardian set 3: set 4 but for index 0.
fn set_3() -> Vec<Address> {
	let mut keys = addresses(&SET_4);
	keys[0] = addresses(&["0x58CC3AE5C097b213cE3c81979e1B9f9570746AA5"])[0];
	keys
}

fn devnet_keys() -> Vec<SigningKey> {
	cloudana_wormhole::devnet::GUARDIAN_KEYS.iter().map(|k| SigningKey::from_slice(k).unwrap()).collect()
}

fn address_of(key: &SigningKey) -> Address {
	let point = key.verifying_key().to_encoded_point(false);
	K256.address(point.as_bytes()[1..].try_into().unwrap())
}

fn sign(key: &SigningKey, guardian_index: u8, digest: &[u8; 32]) -> Signature {
	let (sig, recovery) = key.sign_prehash_recoverable(digest).unwrap();
	let mut signature = [0u8; 65];
	signature[..64].copy_from_slice(&sig.to_bytes());
	signature[64] = recovery.to_byte();
	Signature { guardian_index, signature }
}

fn body() -> Body {
	Body {
		timestamp: 1_700_000_000,
		nonce: 7,
		emitter_chain: 30_001,
		emitter_address: [0x11; 32],
		sequence: 42,
		consistency_level: 1,
		payload: b"cloudana".to_vec(),
	}
}

/// A VAA of set `index` signed by the devnet guardians at `signers`.
fn signed(index: u32, signers: &[u8]) -> Vaa {
	let keys = devnet_keys();
	let body = body();
	let digest = body.digest(&K256);
	Vaa { guardian_set_index: index, signatures: signers.iter().map(|&i| sign(&keys[i as usize], i, &digest)).collect(), body }
}

fn devnet_set(keys: &[Address]) -> GuardianSet<'_> {
	GuardianSet { index: 0, keys, expiration_time: 0 }
}

#[test]
fn the_devnet_guardian_keys_are_wormholes() {
	let keys = devnet_keys();
	assert_eq!(address_of(&keys[0]).to_vec(), hex::decode("beFA429d57cD18b7F8A4d91A2da9AB4AF05d0FBe").unwrap());
	assert_eq!(address_of(&keys[18]).to_vec(), hex::decode("132A84dFD920b35a3D0BA5f7A0635dF298F9033e").unwrap());
}

#[test]
fn the_quorum_is_two_thirds_plus_one() {
	assert_eq!(quorum(19), 13);
	assert_eq!(quorum(1), 1);
	assert_eq!(quorum(3), 3);
	assert_eq!(quorum(4), 3);
}

#[test]
fn a_real_mainnet_vaa_verifies_with_13_of_19() {
	let bytes = data("mainnet_polygon_relayer_gs4");
	let vaa = Vaa::parse(&bytes).unwrap();
	assert_eq!(vaa.encode(), bytes);
	assert_eq!(vaa.guardian_set_index, 4);
	let indices: Vec<u8> = vaa.signatures.iter().map(|s| s.guardian_index).collect();
	assert_eq!(indices, [0, 2, 3, 4, 5, 6, 7, 9, 12, 14, 15, 16, 17]);
	assert_eq!((vaa.body.emitter_chain, vaa.body.sequence, vaa.body.timestamp), (5, 265_493, 1_749_567_839));
	let keys = addresses(&SET_4);
	let set = GuardianSet { index: 4, keys: &keys, expiration_time: 0 };
	let digest = verify(&K256, &vaa, &set, 4, 1_749_567_839).unwrap();
	assert_eq!(hex::encode(digest), "83274a94b2e836f6b41e716ccc3ed65042c78dcc0bd0585ad30eeda980009313");

	// Set 4 replaced by set 5: valid until its expiry, refused after.
	let replaced = GuardianSet { index: 4, keys: &keys, expiration_time: 1_800_000_000 };
	assert!(verify(&K256, &vaa, &replaced, 5, 1_799_999_999).is_ok());
	assert_eq!(
		verify(&K256, &vaa, &replaced, 5, 1_800_000_001),
		Err(VerifyError::GuardianSetExpired { expired_at: 1_800_000_000, now: 1_800_000_001 })
	);
	// Against set 3's keys (which differ at index 0) the first signature fails.
	let three = set_3();
	let wrong = GuardianSet { index: 4, keys: &three, expiration_time: 0 };
	assert_eq!(verify(&K256, &vaa, &wrong, 4, 0), Err(VerifyError::SignatureInvalid { index: 0 }));
}

#[test]
fn wormholes_guardian_set_4_upgrade_verifies_with_set_3_and_installs_set_4() {
	let bytes = data("mainnet_guardian_set_4_upgrade");
	let vaa = Vaa::parse(&bytes).unwrap();
	assert_eq!((vaa.body.emitter_chain, vaa.body.emitter_address), (GOVERNANCE_CHAIN, GOVERNANCE_EMITTER));
	let keys = set_3();
	let set = GuardianSet { index: 3, keys: &keys, expiration_time: 0 };
	let digest = verify(&K256, &vaa, &set, 3, 1_713_281_400).unwrap();
	assert_eq!(hex::encode(digest), "eedbfdc99a5c4da5f84b5a40efe5f607d58f9db4bcb9be079f0d2834bae52efd");
	let upgrade = GuardianSetUpgrade::parse(&vaa.body.payload).unwrap();
	assert_eq!((upgrade.chain, upgrade.new_index), (0, 4));
	assert_eq!(upgrade.keys, addresses(&SET_4));
	assert_eq!(upgrade.encode(), vaa.body.payload);
}

#[test]
fn guardian_set_upgrades_refuse_what_is_not_one() {
	let upgrade = GuardianSetUpgrade { chain: 0, new_index: 1, keys: vec![[7; 20]] };
	let bytes = upgrade.encode();
	assert_eq!(GuardianSetUpgrade::parse(&bytes[..bytes.len() - 1]), Err(UpgradeError::Truncated));
	assert_eq!(GuardianSetUpgrade::parse(&[bytes.as_slice(), &[0]].concat()), Err(UpgradeError::TrailingBytes));
	let mut wrong = bytes.clone();
	wrong[31] = b'X';
	assert_eq!(GuardianSetUpgrade::parse(&wrong), Err(UpgradeError::WrongModule));
	let mut action = bytes.clone();
	action[32] = 1;
	assert_eq!(GuardianSetUpgrade::parse(&action), Err(UpgradeError::WrongAction(1)));
	let empty = GuardianSetUpgrade { chain: 0, new_index: 1, keys: vec![] }.encode();
	assert_eq!(GuardianSetUpgrade::parse(&empty), Err(UpgradeError::NoKeys));
}

#[test]
fn parsing_agrees_with_wormhole_raw_vaas() {
	for name in ["mainnet_polygon_relayer_gs4", "mainnet_guardian_set_4_upgrade"] {
		let bytes = data(name);
		let ours = Vaa::parse(&bytes).unwrap();
		let theirs = wormhole_raw_vaas::Vaa::parse(&bytes).unwrap();
		assert_eq!(ours.guardian_set_index, theirs.guardian_set_index());
		let sigs: Vec<(u8, [u8; 65])> = theirs.signatures().map(|s| (s.guardian_index(), s.signature())).collect();
		assert_eq!(ours.signatures.iter().map(|s| (s.guardian_index, s.signature)).collect::<Vec<_>>(), sigs);
		let body = theirs.body();
		assert_eq!(
			(ours.body.timestamp, ours.body.nonce, ours.body.emitter_chain, ours.body.emitter_address),
			(body.timestamp(), body.nonce(), body.emitter_chain(), body.emitter_address())
		);
		assert_eq!((ours.body.sequence, ours.body.consistency_level), (body.sequence(), body.consistency_level()));
		assert_eq!(ours.body.payload, body.payload().as_ref());
		assert_eq!(ours.body.encode(), body.as_ref());
	}
}

#[test]
fn every_verification_rule_has_its_error() {
	let keys: Vec<Address> = devnet_keys().iter().map(address_of).collect();
	let set = devnet_set(&keys);
	let thirteen: Vec<u8> = (0..13).collect();
	assert!(verify(&K256, &signed(0, &thirteen), &set, 0, 0).is_ok());
	assert!(verify(&K256, &signed(0, &(0..19).collect::<Vec<_>>()), &set, 0, 0).is_ok());

	// Quorum: 12 of 19 is not enough.
	assert_eq!(
		verify(&K256, &signed(0, &(0..12).collect::<Vec<_>>()), &set, 0, 0),
		Err(VerifyError::NoQuorum { signatures: 12, quorum: 13 })
	);
	// Another set's index.
	assert_eq!(verify(&K256, &signed(1, &thirteen), &set, 0, 0), Err(VerifyError::WrongGuardianSet { vaa: 1, set: 0 }));
	// An old set past its expiry (the current one never expires).
	let old = GuardianSet { index: 0, keys: &keys, expiration_time: 100 };
	assert_eq!(
		verify(&K256, &signed(0, &thirteen), &old, 1, 101),
		Err(VerifyError::GuardianSetExpired { expired_at: 100, now: 101 })
	);
	assert!(verify(&K256, &signed(0, &thirteen), &old, 0, u64::MAX).is_ok());
	// An empty set.
	assert_eq!(verify(&K256, &signed(0, &thirteen), &devnet_set(&[]), 0, 0), Err(VerifyError::EmptyGuardianSet));
	// One guardian twice, and out of order.
	let mut twice = signed(0, &thirteen);
	twice.signatures[12] = twice.signatures[11];
	assert_eq!(verify(&K256, &twice, &set, 0, 0), Err(VerifyError::IndicesNotAscending { index: 11 }));
	let mut swapped = signed(0, &thirteen);
	swapped.signatures.swap(3, 4);
	assert_eq!(verify(&K256, &swapped, &set, 0, 0), Err(VerifyError::IndicesNotAscending { index: 3 }));
	// An index beyond the set: a 13-guardian set, signatures up to index 13.
	let small = devnet_set(&keys[..13]);
	let mut beyond = signed(0, &(1..14).collect::<Vec<_>>());
	beyond.guardian_set_index = 0;
	assert_eq!(verify(&K256, &beyond, &small, 0, 0), Err(VerifyError::GuardianIndexOutOfRange { index: 13, size: 13 }));
	// v as Ethereum writes it (27/28) is not a recovery id.
	let mut ethereum_v = signed(0, &thirteen);
	ethereum_v.signatures[5].signature[64] += 27;
	assert!(matches!(verify(&K256, &ethereum_v, &set, 0, 0), Err(VerifyError::BadRecoveryId { index: 5, .. })));
	// A signature by another guardian's key at this index.
	let mut impostor = signed(0, &thirteen);
	impostor.signatures[2].signature = impostor.signatures[3].signature;
	assert_eq!(verify(&K256, &impostor, &set, 0, 0), Err(VerifyError::SignatureInvalid { index: 2 }));
	// A body changed after signing: no signature holds.
	let mut tampered = signed(0, &thirteen);
	tampered.body.payload = b"cloudanb".to_vec();
	assert_eq!(verify(&K256, &tampered, &set, 0, 0), Err(VerifyError::SignatureInvalid { index: 0 }));
	// The other recovery id recovers another key.
	let mut flipped = signed(0, &thirteen);
	flipped.signatures[0].signature[64] ^= 1;
	assert_eq!(verify(&K256, &flipped, &set, 0, 0), Err(VerifyError::SignatureInvalid { index: 0 }));
}

#[test]
fn a_malleated_signature_still_verifies_so_replay_keys_on_the_digest() {
	// (r, n − s, v ⊕ 1) recovers the same key: Wormhole has no low-s rule, so the same message
	// exists with other signature bytes, and only the body's digest identifies it.
	let keys: Vec<Address> = devnet_keys().iter().map(address_of).collect();
	let set = devnet_set(&keys);
	let vaa = signed(0, &(0..13).collect::<Vec<_>>());
	let mut twin = vaa.clone();
	twin.signatures[0].signature = K256.malleate(&twin.signatures[0].signature).unwrap();
	assert_ne!(twin.encode(), vaa.encode());
	assert_eq!(verify(&K256, &twin, &set, 0, 0), verify(&K256, &vaa, &set, 0, 0));
	assert_eq!(verify(&SpIo, &twin, &set, 0, 0), verify(&K256, &vaa, &set, 0, 0));
}

#[test]
fn the_runtimes_host_functions_agree_with_k256() {
	// SpIo is what the runtime will verify with; run both over real and rule-breaking VAAs.
	let bytes = data("mainnet_polygon_relayer_gs4");
	let vaa = Vaa::parse(&bytes).unwrap();
	let keys = addresses(&SET_4);
	let set = GuardianSet { index: 4, keys: &keys, expiration_time: 0 };
	assert_eq!(verify(&SpIo, &vaa, &set, 4, 0), verify(&K256, &vaa, &set, 4, 0));
	assert!(verify(&SpIo, &vaa, &set, 4, 0).is_ok());
	let devnet: Vec<Address> = devnet_keys().iter().map(address_of).collect();
	let devnet_set = devnet_set(&devnet);
	let mut tampered = signed(0, &(0..13).collect::<Vec<_>>());
	tampered.body.sequence += 1;
	assert_eq!(verify(&SpIo, &tampered, &devnet_set, 0, 0), Err(VerifyError::SignatureInvalid { index: 0 }));
	for data in [&b""[..], b"cloudana", &bytes] {
		assert_eq!(SpIo.keccak256(data), K256.keccak256(data));
	}
}

#[test]
fn bytes_that_are_not_a_vaa_are_refused_with_the_reason() {
	let bytes = signed(0, &[0, 1, 2]).encode();
	// Every cut before the end of the fixed part of the body.
	let fixed = 6 + 66 * 3 + 51;
	for len in 0..fixed {
		assert!(matches!(Vaa::parse(&bytes[..len]), Err(VaaError::Truncated { .. })), "{len} bytes");
	}
	assert!(Vaa::parse(&bytes[..fixed]).is_ok());
	let mut version = bytes.clone();
	version[0] = 2;
	assert_eq!(Vaa::parse(&version), Err(VaaError::UnsupportedVersion(2)));
	assert_eq!(Vaa::parse(&[1, 0, 0, 0, 0, 1]), Err(VaaError::Truncated { at: 6, needed: 1 }));
}

#[test]
fn ntt_golden_vectors_decode_and_encode_byte_for_byte() {
	let bytes = data("transceiver_message_1");
	let message = TransceiverMessage::parse(&bytes).unwrap();
	assert_eq!(message.encode().unwrap(), bytes);
	assert_eq!(&message.source_manager[..6], hex::decode("042942fafabe").unwrap());
	assert_eq!(&message.recipient_manager[..6], hex::decode("042942fababe").unwrap());
	assert!(message.transceiver_payload.is_empty());
	let (manager, transfer) = message.transfer().unwrap();
	assert_eq!(hex::encode(manager.id), "128434bafe23430000000000000000000000000000000000ce00aa0000000000");
	assert_eq!(&manager.sender[..7], hex::decode("46679213412343").unwrap());
	assert_eq!(transfer.amount, TrimmedAmount { amount: 1_234_567, decimals: 7 });
	assert_eq!(&transfer.source_token[..4], hex::decode("beefface").unwrap());
	assert_eq!(&transfer.to[..4], hex::decode("feebcafe").unwrap());
	assert_eq!(transfer.to_chain, 2);
	assert!(transfer.additional_payload.is_empty());
	assert_eq!(manager.encode().unwrap(), message.manager_payload);
	assert_eq!(transfer.encode().unwrap(), manager.payload);

	// An explicit empty additional payload decodes as none (and is never produced).
	let empty = TransceiverMessage::parse(&data("transceiver_message_with_empty_payload")).unwrap();
	assert_eq!(empty.transfer().unwrap().1, transfer);

	let bytes = data("transceiver_message_with_32byte_payload");
	let message = TransceiverMessage::parse(&bytes).unwrap();
	assert_eq!(message.encode().unwrap(), bytes);
	let extra = message.transfer().unwrap().1.additional_payload;
	assert_eq!(hex::encode(extra), "deadbeef000000000000000000000000000000000000000000000000deadbeef");
}

#[test]
fn ntt_messages_refuse_wrong_prefixes_truncation_and_trailing_bytes() {
	let bytes = data("transceiver_message_1");
	let mut prefix = bytes.clone();
	prefix[0] = 0x98;
	assert_eq!(TransceiverMessage::parse(&prefix), Err(PayloadError::WrongPrefix([0x98, 0x45, 0xff, 0x10])));
	for len in 0..bytes.len() {
		assert_eq!(TransceiverMessage::parse(&bytes[..len]), Err(PayloadError::Truncated), "{len} bytes");
	}
	assert_eq!(TransceiverMessage::parse(&[bytes.as_slice(), &[0]].concat()), Err(PayloadError::TrailingBytes));
	let (manager, transfer) = TransceiverMessage::parse(&bytes).unwrap().transfer().unwrap();
	let ntt = transfer.encode().unwrap();
	assert_eq!(NativeTokenTransfer::parse(&[ntt.as_slice(), &[0]].concat()), Err(PayloadError::TrailingBytes));
	let mut wrong = ntt.clone();
	wrong[1] = 0x4F;
	assert!(matches!(NativeTokenTransfer::parse(&wrong), Err(PayloadError::WrongPrefix(_))));
	let long = NttManagerMessage { payload: vec![0; 70_000], ..manager };
	assert_eq!(long.encode(), Err(PayloadError::TooLong));
}

#[test]
fn cld_crosses_in_multiples_of_ten_thousand_base_units() {
	const CLD: u128 = 1_000_000_000_000;
	// 12 decimals here, 8 on Solana's mint: trimmed to 8.
	let one = TrimmedAmount::trim(CLD, 12, 8).unwrap();
	assert_eq!(one, TrimmedAmount { amount: 100_000_000, decimals: 8 });
	assert_eq!(one.untrim(12), Ok(CLD));
	assert_eq!(one.untrim(8), Ok(100_000_000));
	assert_eq!(TrimmedAmount::trim(10_000, 12, 8), Ok(TrimmedAmount { amount: 1, decimals: 8 }));
	// Dust is refused, never dropped.
	assert_eq!(TrimmedAmount::trim(CLD + 1, 12, 8), Err(AmountError::Dust { remainder: 1 }));
	assert_eq!(TrimmedAmount::trim(9_999, 12, 8), Err(AmountError::Dust { remainder: 9_999 }));
	// A token with fewer decimals on the other side trims further.
	assert_eq!(TrimmedAmount::trim(CLD, 12, 6), Ok(TrimmedAmount { amount: 1_000_000, decimals: 6 }));
	// Above u64 once trimmed.
	assert_eq!(TrimmedAmount::trim(u64::MAX as u128 * 10_000 + 10_000, 12, 8), Err(AmountError::TooLarge));
	assert_eq!(TrimmedAmount::trim(1, 50, 8), Err(AmountError::BadDecimals));
}

proptest! {
	#[test]
	fn a_vaa_encodes_back_to_its_bytes(
		index in any::<u32>(),
		sigs in proptest::collection::vec((any::<u8>(), proptest::array::uniform32(any::<u8>()), any::<u8>()), 0..20),
		timestamp in any::<u32>(), nonce in any::<u32>(), chain in any::<u16>(), sequence in any::<u64>(),
		consistency in any::<u8>(), payload in proptest::collection::vec(any::<u8>(), 0..300),
	) {
		let signatures = sigs.into_iter().map(|(i, r, v)| {
			let mut signature = [0u8; 65];
			signature[..32].copy_from_slice(&r);
			signature[32..64].copy_from_slice(&r);
			signature[64] = v;
			Signature { guardian_index: i, signature }
		}).collect();
		let body = Body { timestamp, nonce, emitter_chain: chain, emitter_address: [3; 32], sequence, consistency_level: consistency, payload };
		let vaa = Vaa { guardian_set_index: index, signatures, body };
		prop_assert_eq!(Vaa::parse(&vaa.encode()), Ok(vaa));
	}

	#[test]
	fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
		let _ = Vaa::parse(&bytes);
		let _ = TransceiverMessage::parse(&bytes);
		let _ = NativeTokenTransfer::parse(&bytes);
		let _ = GuardianSetUpgrade::parse(&bytes);
	}

	#[test]
	fn whole_multiples_of_the_trimmed_unit_round_trip(units in 0u64..u64::MAX) {
		let amount = units as u128 * 10_000;
		let trimmed = TrimmedAmount::trim(amount, 12, 8).unwrap();
		prop_assert_eq!(trimmed.untrim(12), Ok(amount));
	}
}
