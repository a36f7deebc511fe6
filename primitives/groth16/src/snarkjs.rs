//! Import and export of snarkjs Groth16 files (curve `bn128`, which is BN254).
//!
//! snarkjs (<https://github.com/iden3/snarkjs>) writes:
//! - `verification_key.json`: `{"protocol":"groth16","curve":"bn128","nPublic":n,
//!   "vk_alpha_1":[x,y,"1"],"vk_beta_2":[[x0,x1],[y0,y1],["1","0"]],"vk_gamma_2":…,
//!   "vk_delta_2":…,"IC":[[x,y,"1"], …]}`;
//! - `proof.json`: `{"pi_a":[x,y,"1"],"pi_b":[[x0,x1],[y0,y1],["1","0"]],"pi_c":[x,y,"1"],
//!   "protocol":"groth16","curve":"bn128"}`;
//! - `public.json`: `["x1", …]`.
//!
//! Numbers are decimal strings; points are projective with `z = 1` (the identity has `z = 0`);
//! in G2 each coordinate is `[c0, c1]`, real part first, the reverse of EIP-197.
//!
//! Import only translates: it refuses what cannot be written as EIP-197 bytes (a number that is
//! not a decimal below 2²⁵⁶, a point not in affine form) and leaves every cryptographic check
//! (canonical, on curve, subgroup, identity, count) to [`crate::verifier`], so the same errors
//! apply to files and to extrinsics.

use crate::types::{G1Bytes, G2Bytes, Proof, PublicInput, VerifyingKey, G1_LEN, G2_LEN, SCALAR_LEN};
use num_bigint::BigUint;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why a snarkjs file could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
	/// The file is not valid JSON of the expected shape.
	#[error("not a snarkjs file: {0}")]
	Json(#[from] serde_json::Error),
	/// `protocol` is not `groth16`.
	#[error("protocol is {0:?}, expected \"groth16\"")]
	UnsupportedProtocol(String),
	/// `curve` is not `bn128`.
	#[error("curve is {0:?}, expected \"bn128\" (BN254)")]
	UnsupportedCurve(String),
	/// A number is not a decimal integer below 2²⁵⁶.
	#[error("{field}: {value:?} is not a decimal integer below 2^256")]
	BadNumber {
		/// Where in the file.
		field: String,
		/// What was found.
		value: String,
	},
	/// A point does not have the expected number of coordinates.
	#[error("{field}: expected {expected} coordinates")]
	WrongShape {
		/// Where in the file.
		field: String,
		/// How many coordinates were expected.
		expected: usize,
	},
	/// A point is not in affine form (`z` is neither 1 nor, for the identity, 0).
	#[error("{field}: point is not affine (z must be 1, or 0 for the identity)")]
	NotAffine {
		/// Where in the file.
		field: String,
	},
	/// `nPublic` disagrees with the number of `IC` points.
	#[error("nPublic is {n_public} but IC has {ic} points (expected nPublic + 1)")]
	CountMismatch {
		/// `nPublic` in the file.
		n_public: usize,
		/// `IC` points in the file.
		ic: usize,
	},
}

#[derive(Deserialize, Serialize)]
struct VkJson {
	protocol: String,
	curve: String,
	#[serde(rename = "nPublic")]
	n_public: usize,
	vk_alpha_1: Vec<String>,
	vk_beta_2: Vec<Vec<String>>,
	vk_gamma_2: Vec<Vec<String>>,
	vk_delta_2: Vec<Vec<String>>,
	#[serde(rename = "IC")]
	ic: Vec<Vec<String>>,
}

#[derive(Deserialize, Serialize)]
struct ProofJson {
	pi_a: Vec<String>,
	pi_b: Vec<Vec<String>>,
	pi_c: Vec<String>,
	protocol: String,
	curve: String,
}

fn check_header(protocol: &str, curve: &str) -> Result<(), ImportError> {
	if protocol != "groth16" {
		return Err(ImportError::UnsupportedProtocol(protocol.into()));
	}
	if curve != "bn128" && curve != "bn254" {
		return Err(ImportError::UnsupportedCurve(curve.into()));
	}
	Ok(())
}

/// Parses a decimal string into a 32-byte big-endian integer (`< 2²⁵⁶`, not reduced).
pub fn parse_decimal(field: &str, value: &str) -> Result<[u8; SCALAR_LEN], ImportError> {
	let bad = || ImportError::BadNumber { field: field.into(), value: value.into() };
	if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
		return Err(bad());
	}
	let number = BigUint::parse_bytes(value.as_bytes(), 10).ok_or_else(bad)?;
	let bytes = number.to_bytes_be();
	if bytes.len() > SCALAR_LEN {
		return Err(bad());
	}
	let mut out = [0u8; SCALAR_LEN];
	out[SCALAR_LEN - bytes.len()..].copy_from_slice(&bytes);
	Ok(out)
}

/// Formats a 32-byte big-endian integer as a decimal string.
pub fn format_decimal(bytes: &[u8]) -> String {
	BigUint::from_bytes_be(bytes).to_str_radix(10)
}

fn g1_from_json(field: &str, coords: &[String]) -> Result<G1Bytes, ImportError> {
	if coords.len() != 3 {
		return Err(ImportError::WrongShape { field: field.into(), expected: 3 });
	}
	let z = parse_decimal(field, &coords[2])?;
	let mut out = [0u8; G1_LEN];
	match z_kind(&z) {
		Some(true) => {
			out[..SCALAR_LEN].copy_from_slice(&parse_decimal(field, &coords[0])?);
			out[SCALAR_LEN..].copy_from_slice(&parse_decimal(field, &coords[1])?);
		},
		Some(false) => {}, // the identity: (0, 0)
		None => return Err(ImportError::NotAffine { field: field.into() }),
	}
	Ok(out)
}

fn g2_from_json(field: &str, coords: &[Vec<String>]) -> Result<G2Bytes, ImportError> {
	if coords.len() != 3 || coords.iter().any(|c| c.len() != 2) {
		return Err(ImportError::WrongShape { field: field.into(), expected: 3 });
	}
	let z0 = parse_decimal(field, &coords[2][0])?;
	let z1 = parse_decimal(field, &coords[2][1])?;
	let mut out = [0u8; G2_LEN];
	match (z_kind(&z0), z1 == [0u8; SCALAR_LEN]) {
		(Some(true), true) => {
			// snarkjs: [c0, c1]; EIP-197: c1 ‖ c0.
			out[..32].copy_from_slice(&parse_decimal(field, &coords[0][1])?);
			out[32..64].copy_from_slice(&parse_decimal(field, &coords[0][0])?);
			out[64..96].copy_from_slice(&parse_decimal(field, &coords[1][1])?);
			out[96..].copy_from_slice(&parse_decimal(field, &coords[1][0])?);
		},
		(Some(false), true) => {}, // the identity: all zeros
		_ => return Err(ImportError::NotAffine { field: field.into() }),
	}
	Ok(out)
}

/// `Some(true)` for z = 1, `Some(false)` for z = 0, `None` otherwise.
fn z_kind(z: &[u8; SCALAR_LEN]) -> Option<bool> {
	let high_zero = z[..SCALAR_LEN - 1].iter().all(|b| *b == 0);
	match (high_zero, z[SCALAR_LEN - 1]) {
		(true, 1) => Some(true),
		(true, 0) => Some(false),
		_ => None,
	}
}

fn g1_to_json(point: &G1Bytes) -> Value {
	if point == &[0u8; G1_LEN] {
		return serde_json::json!(["0", "1", "0"]);
	}
	serde_json::json!([format_decimal(&point[..32]), format_decimal(&point[32..]), "1"])
}

fn g2_to_json(point: &G2Bytes) -> Value {
	if point == &[0u8; G2_LEN] {
		return serde_json::json!([["0", "0"], ["1", "0"], ["0", "0"]]);
	}
	serde_json::json!([
		[format_decimal(&point[32..64]), format_decimal(&point[..32])],
		[format_decimal(&point[96..]), format_decimal(&point[64..96])],
		["1", "0"]
	])
}

/// Imports a snarkjs `verification_key.json`.
pub fn verifying_key_from_json(json: &str) -> Result<VerifyingKey<Vec<G1Bytes>>, ImportError> {
	let vk: VkJson = serde_json::from_str(json)?;
	check_header(&vk.protocol, &vk.curve)?;
	if vk.ic.len() != vk.n_public + 1 {
		return Err(ImportError::CountMismatch { n_public: vk.n_public, ic: vk.ic.len() });
	}
	Ok(VerifyingKey {
		alpha_g1: g1_from_json("vk_alpha_1", &vk.vk_alpha_1)?,
		beta_g2: g2_from_json("vk_beta_2", &vk.vk_beta_2)?,
		gamma_g2: g2_from_json("vk_gamma_2", &vk.vk_gamma_2)?,
		delta_g2: g2_from_json("vk_delta_2", &vk.vk_delta_2)?,
		ic: vk
			.ic
			.iter()
			.enumerate()
			.map(|(i, point)| g1_from_json(&format!("IC[{i}]"), point))
			.collect::<Result<_, _>>()?,
	})
}

/// Imports a snarkjs `proof.json`.
pub fn proof_from_json(json: &str) -> Result<Proof, ImportError> {
	let proof: ProofJson = serde_json::from_str(json)?;
	check_header(&proof.protocol, &proof.curve)?;
	Ok(Proof {
		a: g1_from_json("pi_a", &proof.pi_a)?,
		b: g2_from_json("pi_b", &proof.pi_b)?,
		c: g1_from_json("pi_c", &proof.pi_c)?,
	})
}

/// Imports a snarkjs `public.json`.
pub fn public_inputs_from_json(json: &str) -> Result<Vec<PublicInput>, ImportError> {
	let inputs: Vec<String> = serde_json::from_str(json)?;
	inputs
		.iter()
		.enumerate()
		.map(|(i, value)| parse_decimal(&format!("public input {i}"), value))
		.collect()
}

/// Exports a verifying key as a snarkjs `verification_key.json` value.
pub fn verifying_key_to_json<Ic: AsRef<[G1Bytes]>>(vk: &VerifyingKey<Ic>) -> Value {
	let ic = vk.ic.as_ref();
	serde_json::json!({
		"protocol": "groth16",
		"curve": "bn128",
		"nPublic": ic.len().saturating_sub(1),
		"vk_alpha_1": g1_to_json(&vk.alpha_g1),
		"vk_beta_2": g2_to_json(&vk.beta_g2),
		"vk_gamma_2": g2_to_json(&vk.gamma_g2),
		"vk_delta_2": g2_to_json(&vk.delta_g2),
		"IC": ic.iter().map(g1_to_json).collect::<Vec<_>>(),
	})
}

/// Exports a proof as a snarkjs `proof.json` value.
pub fn proof_to_json(proof: &Proof) -> Value {
	serde_json::json!({
		"pi_a": g1_to_json(&proof.a),
		"pi_b": g2_to_json(&proof.b),
		"pi_c": g1_to_json(&proof.c),
		"protocol": "groth16",
		"curve": "bn128",
	})
}

/// Exports public inputs as a snarkjs `public.json` value.
pub fn public_inputs_to_json(inputs: &[PublicInput]) -> Value {
	Value::Array(inputs.iter().map(|input| Value::String(format_decimal(input))).collect())
}
