//! `cloudana verify` on snarkjs files for a circom circuit Cloudana never saw
//! (primitives/groth16/test-vectors): exit 0 for the valid proof; exit 1 with a one-line
//! reason for a changed input, an input aliased by adding r, a point off the curve, and a
//! missing input.

use std::{path::PathBuf, process::Command};

fn vectors() -> PathBuf {
	// The manifest dir at run time (cargo sets it), not at build time: a shared target dir may
	// hold binaries built from another checkout.
	PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into())).join("../primitives/groth16/test-vectors")
}

fn verify(proof: &str, public: &str) -> (bool, String) {
	let dir = tempfile::tempdir().unwrap();
	std::fs::write(dir.path().join("proof.json"), proof).unwrap();
	std::fs::write(dir.path().join("public.json"), public).unwrap();
	let output = Command::new(env!("CARGO_BIN_EXE_cloudana"))
		.arg("verify")
		.arg("--vk")
		.arg(vectors().join("verification_key.json"))
		.arg("--proof")
		.arg(dir.path().join("proof.json"))
		.arg("--public")
		.arg(dir.path().join("public.json"))
		.output()
		.unwrap();
	let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
	(output.status.success(), text.trim().to_string())
}

fn proof() -> String {
	std::fs::read_to_string(vectors().join("proof.json")).unwrap()
}

fn public() -> Vec<String> {
	serde_json::from_str(&std::fs::read_to_string(vectors().join("public.json")).unwrap()).unwrap()
}

fn json(values: &[String]) -> String {
	serde_json::to_string(values).unwrap()
}

fn refused(proof: &str, public: &str, reason: &str) {
	let (ok, text) = verify(proof, public);
	assert!(!ok, "accepted: {text}");
	assert_eq!(text.lines().count(), 1, "not one line: {text}");
	assert!(text.contains(reason), "{reason:?} not in {text:?}");
}

#[test]
fn a_valid_snarkjs_proof_verifies() {
	let (ok, text) = verify(&proof(), &json(&public()));
	assert!(ok, "{text}");
	assert_eq!(text, "valid proof");
}

#[test]
fn a_changed_public_input_is_refused() {
	let mut inputs = public();
	inputs[1] = "12345".into();
	refused(&proof(), &json(&inputs), "proof is invalid: the pairing check failed");
}

#[test]
fn an_input_aliased_by_adding_r_is_refused() {
	let mut inputs = public();
	inputs[0] = add_decimal(&inputs[0], "21888242871839275222246405745257275088548364400416034343698204186575808495617");
	refused(&proof(), &json(&inputs), "public input 0: not a canonical scalar (>= r)");
}

#[test]
fn a_point_off_the_curve_is_refused() {
	let mut value: serde_json::Value = serde_json::from_str(&proof()).unwrap();
	let y = value["pi_c"][1].as_str().unwrap().to_string();
	value["pi_c"][1] = serde_json::Value::String(add_decimal(&y, "1"));
	refused(&value.to_string(), &json(&public()), "proof C (G1): point is not on the curve");
}

#[test]
fn a_missing_input_is_refused() {
	let mut inputs = public();
	inputs.pop();
	refused(&proof(), &json(&inputs), "wrong number of public inputs: the key takes 2, got 1");
}

#[test]
fn unreadable_files_are_refused_with_the_file_name() {
	refused("{", &json(&public()), "proof.json");
}

/// Decimal addition of non-negative integers as strings.
fn add_decimal(a: &str, b: &str) -> String {
	let (a, b): (Vec<u8>, Vec<u8>) = (a.bytes().rev().map(|c| c - b'0').collect(), b.bytes().rev().map(|c| c - b'0').collect());
	let mut out = Vec::new();
	let mut carry = 0;
	for i in 0..a.len().max(b.len()) {
		let sum = a.get(i).copied().unwrap_or(0) + b.get(i).copied().unwrap_or(0) + carry;
		out.push(sum % 10);
		carry = sum / 10;
	}
	if carry > 0 {
		out.push(carry);
	}
	out.iter().rev().map(|d| (d + b'0') as char).collect()
}
