//! Batched verification (`verifier::verify_batch_prepared` and its host function) on real
//! arkworks proofs of one circuit: valid batches hold, any invalid member makes the batch fail
//! (including two invalid proofs crafted to cancel out under equal weights), malformed members
//! are named with their error and left out, and the coefficients bind every byte.

use ark_bn254::{Bn254, Fr, G1Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::Field;
use ark_relations::{
	lc,
	r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError},
};
use ark_snark::SNARK;
use ark_std::rand::{rngs::StdRng, SeedableRng};
use cloudana_groth16::{
	encoding::{decode_g1, encode_fr, encode_g1, encode_g2},
	host::groth_16 as host,
	verifier::{batch_coefficients, prepare_verifying_key, verify_batch_prepared, verify_prepared},
	BatchCheck, Element, Groth16Error, Proof, PublicInput, VerifyingKey,
};

/// Proves knowledge of `x` with `x²` and `x⁴` as public inputs.
#[derive(Clone)]
struct Squares {
	x: Fr,
}

impl ConstraintSynthesizer<Fr> for Squares {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let x = cs.new_witness_variable(|| Ok(self.x))?;
		let x2 = cs.new_input_variable(|| Ok(self.x.square()))?;
		let x4 = cs.new_input_variable(|| Ok(self.x.square().square()))?;
		cs.enforce_constraint(lc!() + x, lc!() + x, lc!() + x2)?;
		cs.enforce_constraint(lc!() + x2, lc!() + x2, lc!() + x4)?;
		Ok(())
	}
}

struct Batch {
	prepared: Vec<u8>,
	inputs: Vec<Vec<PublicInput>>,
	proofs: Vec<Proof>,
}

impl Batch {
	fn new(k: u64) -> Batch {
		let mut rng = StdRng::seed_from_u64(42);
		let (pk, vk) = ark_groth16::Groth16::<Bn254>::circuit_specific_setup(Squares { x: Fr::from(1u64) }, &mut rng).unwrap();
		let key = VerifyingKey {
			alpha_g1: encode_g1(&vk.alpha_g1),
			beta_g2: encode_g2(&vk.beta_g2),
			gamma_g2: encode_g2(&vk.gamma_g2),
			delta_g2: encode_g2(&vk.delta_g2),
			ic: vk.gamma_abc_g1.iter().map(encode_g1).collect::<Vec<_>>(),
		};
		let (mut inputs, mut proofs) = (Vec::new(), Vec::new());
		for i in 0..k {
			let x = Fr::from(i + 2);
			let proof = ark_groth16::Groth16::<Bn254>::prove(&pk, Squares { x }, &mut rng).unwrap();
			inputs.push(vec![encode_fr(&x.square()), encode_fr(&x.square().square())]);
			proofs.push(Proof { a: encode_g1(&proof.a), b: encode_g2(&proof.b), c: encode_g1(&proof.c) });
		}
		Batch { prepared: prepare_verifying_key(&key).unwrap(), inputs, proofs }
	}

	fn bytes(&self) -> (Vec<u8>, Vec<u8>) {
		(
			self.inputs.iter().flat_map(|i| cloudana_groth16::flatten_public_inputs(i)).collect(),
			self.proofs.iter().flat_map(|p| p.to_bytes()).collect(),
		)
	}

	fn check(&self) -> Result<BatchCheck, Groth16Error> {
		let (inputs, proofs) = self.bytes();
		let native = verify_batch_prepared(&self.prepared, &inputs, &proofs);
		assert_eq!(host::verify_batch_prepared(&self.prepared, &inputs, &proofs), native, "host and native disagree");
		native
	}
}

fn holds() -> Result<BatchCheck, Groth16Error> {
	Ok(BatchCheck { malformed: vec![], holds: true })
}

fn fails() -> Result<BatchCheck, Groth16Error> {
	Ok(BatchCheck { malformed: vec![], holds: false })
}

#[test]
fn valid_batches_hold_at_every_size() {
	let batch = Batch::new(9);
	for k in [0usize, 1, 2, 5, 9] {
		let part = Batch { prepared: batch.prepared.clone(), inputs: batch.inputs[..k].to_vec(), proofs: batch.proofs[..k].to_vec() };
		assert_eq!(part.check(), holds(), "batch of {k}");
	}
	// Each member also verifies alone, as the single verifier sees it.
	for (inputs, proof) in batch.inputs.iter().zip(&batch.proofs) {
		assert_eq!(verify_prepared(&batch.prepared, &cloudana_groth16::flatten_public_inputs(inputs), &proof.to_bytes()), Ok(()));
	}
}

#[test]
fn one_wrong_statement_fails_the_batch_wherever_it_is() {
	for position in 0..5 {
		let mut batch = Batch::new(5);
		batch.inputs[position][0] = encode_fr(&Fr::from(1234u64));
		assert_eq!(batch.check(), fails(), "wrong input at {position}");
	}
	// Two proofs swapped between statements: each is a valid proof, of the other statement.
	let mut batch = Batch::new(4);
	batch.proofs.swap(1, 2);
	assert_eq!(batch.check(), fails());
	// The same proof twice, for two statements.
	let mut batch = Batch::new(3);
	batch.proofs[2] = batch.proofs[0].clone();
	assert_eq!(batch.check(), fails());
}

#[test]
fn invalid_proofs_that_cancel_under_equal_weights_still_fail() {
	// C₀ + D and C₁ − D: with every coefficient 1 the errors cancel (Σ Cᵢ is unchanged) and a
	// naive sum of the equations would hold. Random coefficients weigh them differently.
	let mut batch = Batch::new(2);
	let d = G1Affine::generator() * Fr::from(987_654_321u64);
	let c0 = decode_g1(&batch.proofs[0].c, Element::ProofC).unwrap();
	let c1 = decode_g1(&batch.proofs[1].c, Element::ProofC).unwrap();
	batch.proofs[0].c = encode_g1(&(c0 + d).into_affine());
	batch.proofs[1].c = encode_g1(&(c1 - d).into_affine());
	assert_eq!(batch.check(), fails());
}

#[test]
fn malformed_members_are_named_and_the_rest_still_checked() {
	let mut batch = Batch::new(4);
	batch.proofs[1].a = [0u8; 64]; // the identity
	batch.proofs[3].c[63] ^= 1; // off the curve
	batch.inputs[2][1] = [0xff; 32]; // not below r
	let check = batch.check().unwrap();
	assert_eq!(
		check.malformed,
		vec![
			(1, Groth16Error::IdentityInProof(Element::ProofA)),
			(2, Groth16Error::PublicInputNotInField(Element::PublicInput(1))),
			(3, Groth16Error::PointNotOnCurve(Element::ProofC)),
		]
	);
	assert!(check.holds, "the one well-formed member is valid");
	batch.inputs[0][0] = encode_fr(&Fr::from(5u64));
	assert_eq!(batch.check().unwrap().holds, false);
}

#[test]
fn wrong_lengths_and_keys_are_refused_as_a_whole() {
	let batch = Batch::new(2);
	let (inputs, proofs) = batch.bytes();
	assert_eq!(verify_batch_prepared(&batch.prepared, &inputs[..inputs.len() - 32], &proofs), Err(Groth16Error::MalformedEncoding));
	assert_eq!(verify_batch_prepared(&batch.prepared, &inputs, &proofs[..proofs.len() - 1]), Err(Groth16Error::MalformedEncoding));
	assert_eq!(verify_batch_prepared(&batch.prepared, &inputs[..64], &proofs), Err(Groth16Error::MalformedEncoding));
	assert_eq!(verify_batch_prepared(&batch.prepared[1..], &inputs, &proofs), Err(Groth16Error::MalformedPreparedKey));
}

#[test]
fn coefficients_bind_every_byte_of_key_and_batch() {
	let batch = Batch::new(3);
	let (inputs, proofs) = batch.bytes();
	let statements = |inputs: &[u8], proofs: &[u8]| -> Vec<u128> {
		let pairs: Vec<(&[u8], &[u8])> = inputs.chunks(64).zip(proofs.chunks(256)).collect();
		batch_coefficients(&batch.prepared, pairs.into_iter())
	};
	let base = statements(&inputs, &proofs);
	assert_eq!(base.len(), 3);
	assert!(base.iter().all(|rho| *rho > 0));
	assert_ne!(base[0], base[1]);
	assert_eq!(base, statements(&inputs, &proofs), "deterministic");
	for at in [0, 63, 64, 191] {
		let mut changed = inputs.clone();
		changed[at] ^= 1;
		assert_ne!(statements(&changed, &proofs), base, "input byte {at}");
	}
	for at in [0, 255, 256, 767] {
		let mut changed = proofs.clone();
		changed[at] ^= 1;
		assert_ne!(statements(&inputs, &changed), base, "proof byte {at}");
	}
	let mut key = batch.prepared.clone();
	*key.last_mut().unwrap() ^= 1;
	let pairs: Vec<(&[u8], &[u8])> = inputs.chunks(64).zip(proofs.chunks(256)).collect();
	assert_ne!(batch_coefficients(&key, pairs.into_iter()), base, "key byte");
}
