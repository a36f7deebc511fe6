//! snarkjs files for a circom circuit Cloudana never saw (`test-vectors/preimage.circom`, made by
//! `test-vectors/generate.sh`) import and verify, and every tampering is refused.

use cloudana_groth16::{
	snarkjs::{self, ImportError},
	verifier::{prepare_verifying_key, verify, verify_prepared},
	Element, Groth16Error,
};

const VK: &str = include_str!("../test-vectors/verification_key.json");
const PROOF: &str = include_str!("../test-vectors/proof.json");
const PUBLIC: &str = include_str!("../test-vectors/public.json");

fn load() -> (cloudana_groth16::VerifyingKey<Vec<[u8; 64]>>, cloudana_groth16::Proof, Vec<[u8; 32]>) {
	(
		snarkjs::verifying_key_from_json(VK).unwrap(),
		snarkjs::proof_from_json(PROOF).unwrap(),
		snarkjs::public_inputs_from_json(PUBLIC).unwrap(),
	)
}

#[test]
fn snarkjs_proof_verifies() {
	let (vk, proof, inputs) = load();
	assert_eq!(inputs.len(), 2);
	assert_eq!(vk.num_public_inputs(), Some(2));
	assert_eq!(verify(&vk, &inputs, &proof), Ok(()));
	let prepared = prepare_verifying_key(&vk).unwrap();
	assert_eq!(
		verify_prepared(&prepared, &cloudana_groth16::flatten_public_inputs(&inputs), &proof.to_bytes()),
		Ok(())
	);
}

#[test]
fn changed_public_input_is_refused() {
	let (vk, proof, mut inputs) = load();
	inputs[1][31] ^= 1;
	assert_eq!(verify(&vk, &inputs, &proof), Err(Groth16Error::ProofInvalid));
}

#[test]
fn input_aliased_by_adding_r_is_refused() {
	let (vk, proof, _) = load();
	let values: Vec<String> = serde_json::from_str(PUBLIC).unwrap();
	let r = num_bigint::BigUint::parse_bytes(
		b"21888242871839275222246405745257275088548364400416034343698204186575808495617",
		10,
	)
	.unwrap();
	let aliased = num_bigint::BigUint::parse_bytes(values[0].as_bytes(), 10).unwrap() + r;
	let json = serde_json::to_string(&vec![aliased.to_string(), values[1].clone()]).unwrap();
	let inputs = snarkjs::public_inputs_from_json(&json).unwrap();
	assert_eq!(
		verify(&vk, &inputs, &proof),
		Err(Groth16Error::PublicInputNotInField(Element::PublicInput(0)))
	);
}

#[test]
fn point_off_curve_is_refused() {
	let (vk, _, inputs) = load();
	let mut json: serde_json::Value = serde_json::from_str(PROOF).unwrap();
	let y = json["pi_a"][1].as_str().unwrap().to_string();
	let y_plus_one = num_bigint::BigUint::parse_bytes(y.as_bytes(), 10).unwrap() + 1u32;
	json["pi_a"][1] = serde_json::Value::String(y_plus_one.to_string());
	let proof = snarkjs::proof_from_json(&json.to_string()).unwrap();
	assert_eq!(verify(&vk, &inputs, &proof), Err(Groth16Error::PointNotOnCurve(Element::ProofA)));
}

#[test]
fn missing_input_is_refused() {
	let (vk, proof, mut inputs) = load();
	inputs.pop();
	assert_eq!(
		verify(&vk, &inputs, &proof),
		Err(Groth16Error::PublicInputCountMismatch { expected: 2, got: 1 })
	);
}

#[test]
fn export_round_trips() {
	let (vk, proof, inputs) = load();
	let vk2 = snarkjs::verifying_key_from_json(&snarkjs::verifying_key_to_json(&vk).to_string()).unwrap();
	assert_eq!(vk2, vk);
	let proof2 = snarkjs::proof_from_json(&snarkjs::proof_to_json(&proof).to_string()).unwrap();
	assert_eq!(proof2, proof);
	let inputs2 =
		snarkjs::public_inputs_from_json(&snarkjs::public_inputs_to_json(&inputs).to_string()).unwrap();
	assert_eq!(inputs2, inputs);
}

#[test]
fn import_errors_are_specific() {
	let bad_protocol = PROOF.replace("groth16", "plonk");
	assert!(matches!(snarkjs::proof_from_json(&bad_protocol), Err(ImportError::UnsupportedProtocol(_))));
	let bad_curve = PROOF.replace("bn128", "bls12381");
	assert!(matches!(snarkjs::proof_from_json(&bad_curve), Err(ImportError::UnsupportedCurve(_))));
	assert!(matches!(
		snarkjs::public_inputs_from_json(r#"["12a"]"#),
		Err(ImportError::BadNumber { .. })
	));
	assert!(matches!(
		snarkjs::public_inputs_from_json(r#"["-1"]"#),
		Err(ImportError::BadNumber { .. })
	));
	let too_big = format!(r#"["{}"]"#, "9".repeat(80));
	assert!(matches!(snarkjs::public_inputs_from_json(&too_big), Err(ImportError::BadNumber { .. })));
	assert!(matches!(snarkjs::proof_from_json("{"), Err(ImportError::Json(_))));
	let mut json: serde_json::Value = serde_json::from_str(PROOF).unwrap();
	json["pi_a"][2] = serde_json::Value::String("2".into());
	assert!(matches!(snarkjs::proof_from_json(&json.to_string()), Err(ImportError::NotAffine { .. })));
	let mut vk: serde_json::Value = serde_json::from_str(VK).unwrap();
	vk["nPublic"] = serde_json::json!(3);
	assert!(matches!(
		snarkjs::verifying_key_from_json(&vk.to_string()),
		Err(ImportError::CountMismatch { n_public: 3, ic: 3 })
	));
}
