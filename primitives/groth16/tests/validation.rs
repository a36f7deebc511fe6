//! Every validation of `cloudana-groth16`, each with its own test, on a real arkworks proof.

use ark_bn254::{Bn254, Fq, Fq2, Fr, G2Affine};
use ark_ec::{short_weierstrass::Affine, AdditiveGroup, AffineRepr, CurveGroup};
use ark_ff::{BigInteger, Field, PrimeField, UniformRand};
use ark_relations::{
	lc,
	r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError},
};
use ark_snark::SNARK;
use ark_std::rand::{rngs::StdRng, SeedableRng};
use cloudana_groth16::{
	encoding::{encode_fr, encode_g1, encode_g2},
	host::groth_16 as host,
	verifier::{prepare_verifying_key, prepared_key_len, verify, verify_prepared},
	Element, G1Bytes, Groth16Error, Proof, PublicInput, VerifyingKey, MAX_PUBLIC_INPUTS,
};
use proptest::prelude::*;

/// Proves knowledge of `x` with `x^(2^k)` for k = 1..=n as public inputs.
#[derive(Clone)]
struct Squares {
	x: Fr,
	n: usize,
}

impl ConstraintSynthesizer<Fr> for Squares {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let mut last = cs.new_witness_variable(|| Ok(self.x))?;
		let mut value = self.x;
		for _ in 0..self.n {
			value = value.square();
			let next = cs.new_input_variable(|| Ok(value))?;
			cs.enforce_constraint(lc!() + last, lc!() + last, lc!() + next)?;
			last = next;
		}
		Ok(())
	}
}

struct Fixture {
	vk: VerifyingKey<Vec<G1Bytes>>,
	proof: Proof,
	inputs: Vec<PublicInput>,
}

fn fixture(n: usize) -> Fixture {
	let mut rng = StdRng::seed_from_u64(n as u64);
	let circuit = Squares { x: Fr::from(7u64), n };
	let (pk, vk) =
		ark_groth16::Groth16::<Bn254>::circuit_specific_setup(circuit.clone(), &mut rng).unwrap();
	let proof = ark_groth16::Groth16::<Bn254>::prove(&pk, circuit, &mut rng).unwrap();
	let mut value = Fr::from(7u64);
	let inputs = (0..n)
		.map(|_| {
			value = value.square();
			encode_fr(&value)
		})
		.collect();
	Fixture {
		vk: VerifyingKey {
			alpha_g1: encode_g1(&vk.alpha_g1),
			beta_g2: encode_g2(&vk.beta_g2),
			gamma_g2: encode_g2(&vk.gamma_g2),
			delta_g2: encode_g2(&vk.delta_g2),
			ic: vk.gamma_abc_g1.iter().map(encode_g1).collect(),
		},
		proof: Proof { a: encode_g1(&proof.a), b: encode_g2(&proof.b), c: encode_g1(&proof.c) },
		inputs,
	}
}

fn check(f: &Fixture) -> Result<(), Groth16Error> {
	verify(&f.vk, &f.inputs, &f.proof)
}

/// Verification the way the chain does it: prepare once, verify from the stored bytes.
fn check_prepared(f: &Fixture) -> Result<(), Groth16Error> {
	let prepared = prepare_verifying_key(&f.vk)?;
	verify_prepared(&prepared, &cloudana_groth16::flatten_public_inputs(&f.inputs), &f.proof.to_bytes())
}

/// Adds the modulus `m` to a 32-byte big-endian value; `None` if it no longer fits.
fn add_modulus(value: &[u8], m: <Fq as PrimeField>::BigInt) -> Option<[u8; 32]> {
	let mut limbs = [0u64; 4];
	for (i, limb) in limbs.iter_mut().enumerate() {
		*limb = u64::from_be_bytes(value[32 - 8 * (i + 1)..32 - 8 * i].try_into().unwrap());
	}
	let mut big = <Fq as PrimeField>::BigInt::new(limbs);
	if big.add_with_carry(&m) {
		return None;
	}
	let mut out = [0u8; 32];
	for (i, limb) in big.0.iter().enumerate() {
		out[32 - 8 * (i + 1)..32 - 8 * i].copy_from_slice(&limb.to_be_bytes());
	}
	Some(out)
}

#[test]
fn valid_proof_verifies_both_ways() {
	let f = fixture(4);
	assert_eq!(check(&f), Ok(()));
	assert_eq!(check_prepared(&f), Ok(()));
}

#[test]
fn host_functions_agree_natively() {
	let f = fixture(2);
	let prepared = host::prepare_verifying_key(&f.vk.to_flat_bytes()).unwrap();
	assert_eq!(prepared.len(), prepared_key_len(2));
	let inputs = cloudana_groth16::flatten_public_inputs(&f.inputs);
	assert_eq!(host::verify_prepared(&prepared, &inputs, &f.proof.to_bytes()), Ok(()));
	let mut wrong = f.inputs.clone();
	wrong[0] = encode_fr(&Fr::from(3u64));
	assert_eq!(
		host::verify_prepared(&prepared, &cloudana_groth16::flatten_public_inputs(&wrong), &f.proof.to_bytes()),
		Err(Groth16Error::ProofInvalid)
	);
}

#[test]
fn prepared_key_len_is_exact() {
	for n in [1usize, 2, 3, 5] {
		let f = fixture(n);
		assert_eq!(prepare_verifying_key(&f.vk).unwrap().len(), prepared_key_len(n as u32), "n = {n}");
	}
}

#[test]
fn changed_public_input_is_proof_invalid() {
	let mut f = fixture(3);
	f.inputs[1] = encode_fr(&Fr::from(42u64));
	assert_eq!(check(&f), Err(Groth16Error::ProofInvalid));
	assert_eq!(check_prepared(&f), Err(Groth16Error::ProofInvalid));
}

#[test]
fn aliased_public_input_is_not_in_field() {
	let mut f = fixture(3);
	f.inputs[2] = add_modulus(&f.inputs[2], Fr::MODULUS.into()).expect("r + x < 2^256");
	let expected = Err(Groth16Error::PublicInputNotInField(Element::PublicInput(2)));
	assert_eq!(check(&f), expected);
	assert_eq!(check_prepared(&f), expected);
}

#[test]
fn missing_public_input_is_count_mismatch() {
	let mut f = fixture(3);
	f.inputs.pop();
	let expected = Err(Groth16Error::PublicInputCountMismatch { expected: 3, got: 2 });
	assert_eq!(check(&f), expected);
	assert_eq!(check_prepared(&f), expected);
}

#[test]
fn extra_public_input_is_count_mismatch() {
	let mut f = fixture(1);
	f.inputs.push(encode_fr(&Fr::from(1u64)));
	assert_eq!(check_prepared(&f), Err(Groth16Error::PublicInputCountMismatch { expected: 1, got: 2 }));
}

#[test]
fn non_canonical_coordinate_is_refused() {
	let mut f = fixture(1);
	// x + p still fits in 32 bytes for small x only; use the y coordinate of A replaced by p itself.
	let p = Fq::MODULUS.to_bytes_be();
	f.proof.a[32..].copy_from_slice(&p);
	assert_eq!(check_prepared(&f), Err(Groth16Error::NonCanonicalFieldElement(Element::ProofA)));
	let mut g = fixture(1);
	g.vk.delta_g2[..32].copy_from_slice(&p);
	assert_eq!(check(&g), Err(Groth16Error::NonCanonicalFieldElement(Element::Delta)));
}

#[test]
fn point_off_curve_is_refused() {
	let mut f = fixture(1);
	f.proof.a[63] ^= 1;
	assert_eq!(check_prepared(&f), Err(Groth16Error::PointNotOnCurve(Element::ProofA)));
	let mut g = fixture(1);
	g.proof.b[127] ^= 1;
	assert_eq!(check_prepared(&g), Err(Groth16Error::PointNotOnCurve(Element::ProofB)));
	let mut h = fixture(1);
	h.vk.ic[1][63] ^= 1;
	assert_eq!(prepare_verifying_key(&h.vk), Err(Groth16Error::PointNotOnCurve(Element::Ic(1))));
}

/// A point on the BN254 twist that is not in the prime-order subgroup of G2.
fn twist_point_outside_subgroup() -> G2Affine {
	let mut rng = StdRng::seed_from_u64(99);
	loop {
		let x = Fq2::rand(&mut rng);
		if let Some(point) = Affine::<ark_bn254::g2::Config>::get_point_from_x_unchecked(x, false) {
			if point.is_on_curve() && !point.is_in_correct_subgroup_assuming_on_curve() {
				return point;
			}
		}
	}
}

#[test]
fn g2_point_outside_subgroup_is_refused() {
	let bad = encode_g2(&twist_point_outside_subgroup());
	let mut f = fixture(1);
	f.proof.b = bad;
	assert_eq!(check_prepared(&f), Err(Groth16Error::PointNotInSubgroup(Element::ProofB)));
	let mut g = fixture(1);
	g.vk.beta_g2 = bad;
	assert_eq!(prepare_verifying_key(&g.vk), Err(Groth16Error::PointNotInSubgroup(Element::Beta)));
}

#[test]
fn identity_in_proof_is_refused() {
	for (element, f) in [
		(Element::ProofA, (|p: &mut Proof| p.a = [0; 64]) as fn(&mut Proof)),
		(Element::ProofB, |p: &mut Proof| p.b = [0; 128]),
		(Element::ProofC, |p: &mut Proof| p.c = [0; 64]),
	] {
		let mut fx = fixture(1);
		f(&mut fx.proof);
		assert_eq!(check_prepared(&fx), Err(Groth16Error::IdentityInProof(element)));
	}
}

#[test]
fn identity_in_verifying_key_is_refused() {
	let mut f = fixture(2);
	f.vk.ic[2] = [0; 64];
	assert_eq!(prepare_verifying_key(&f.vk), Err(Groth16Error::IdentityInVerifyingKey(Element::Ic(2))));
	let mut g = fixture(2);
	g.vk.alpha_g1 = [0; 64];
	assert_eq!(prepare_verifying_key(&g.vk), Err(Groth16Error::IdentityInVerifyingKey(Element::Alpha)));
	let mut h = fixture(2);
	h.vk.gamma_g2 = [0; 128];
	assert_eq!(prepare_verifying_key(&h.vk), Err(Groth16Error::IdentityInVerifyingKey(Element::Gamma)));
}

#[test]
fn gamma_equal_to_delta_is_refused() {
	let mut f = fixture(1);
	f.vk.delta_g2 = f.vk.gamma_g2;
	assert_eq!(prepare_verifying_key(&f.vk), Err(Groth16Error::GammaEqualsDelta));
}

#[test]
fn too_many_or_no_ic_points_are_refused() {
	let mut f = fixture(1);
	let point = f.vk.ic[1];
	f.vk.ic = vec![point; MAX_PUBLIC_INPUTS as usize + 2];
	assert_eq!(prepare_verifying_key(&f.vk), Err(Groth16Error::TooManyPublicInputs));
	f.vk.ic.clear();
	assert_eq!(prepare_verifying_key(&f.vk), Err(Groth16Error::TooManyPublicInputs));
}

#[test]
fn malformed_lengths_are_refused() {
	let f = fixture(1);
	let prepared = prepare_verifying_key(&f.vk).unwrap();
	let inputs = cloudana_groth16::flatten_public_inputs(&f.inputs);
	assert_eq!(verify_prepared(&prepared, &inputs, &f.proof.to_bytes()[..255]), Err(Groth16Error::MalformedEncoding));
	assert_eq!(verify_prepared(&prepared, &inputs[..31], &f.proof.to_bytes()), Err(Groth16Error::MalformedEncoding));
	assert_eq!(
		VerifyingKey::from_flat_bytes(&f.vk.to_flat_bytes()[..100]),
		Err(Groth16Error::MalformedEncoding)
	);
}

#[test]
fn corrupt_prepared_key_is_refused() {
	let f = fixture(1);
	let mut prepared = prepare_verifying_key(&f.vk).unwrap();
	let inputs = cloudana_groth16::flatten_public_inputs(&f.inputs);
	let proof = f.proof.to_bytes();
	prepared[0] = 2;
	assert_eq!(verify_prepared(&prepared, &inputs, &proof), Err(Groth16Error::MalformedPreparedKey));
	prepared[0] = 1;
	prepared.pop();
	assert_eq!(verify_prepared(&prepared, &inputs, &proof), Err(Groth16Error::MalformedPreparedKey));
	assert_eq!(verify_prepared(&[], &inputs, &proof), Err(Groth16Error::MalformedPreparedKey));
}

#[test]
fn flat_key_round_trips() {
	let f = fixture(3);
	let flat = f.vk.to_flat_bytes();
	assert_eq!(flat.len(), 64 + 3 * 128 + 4 * 64);
	assert_eq!(VerifyingKey::from_flat_bytes(&flat).unwrap(), f.vk);
}

#[test]
fn proof_for_another_statement_does_not_verify() {
	// A valid proof for x = 7 checked against inputs of x = 8 under the same key.
	let f = fixture(2);
	let mut value = Fr::from(8u64);
	let other: Vec<_> = (0..2)
		.map(|_| {
			value = value.square();
			encode_fr(&value)
		})
		.collect();
	assert_eq!(verify(&f.vk, &other, &f.proof), Err(Groth16Error::ProofInvalid));
	// And a point moved within the group: still on the curve, still refused by the pairing.
	let mut g = fixture(2);
	let a = cloudana_groth16::encoding::decode_g1(&g.proof.a, Element::ProofA).unwrap();
	g.proof.a = encode_g1(&(a.into_group().double()).into_affine());
	assert_eq!(check_prepared(&g), Err(Groth16Error::ProofInvalid));
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

	/// Flipping any bit of a valid proof never yields a valid proof, and never panics.
	#[test]
	fn any_bit_flip_in_the_proof_is_refused(byte in 0usize..256, bit in 0u8..8) {
		let f = fixture(2);
		let prepared = prepare_verifying_key(&f.vk).unwrap();
		let inputs = cloudana_groth16::flatten_public_inputs(&f.inputs);
		let mut proof = f.proof.to_bytes();
		proof[byte] ^= 1 << bit;
		prop_assert!(verify_prepared(&prepared, &inputs, &proof).is_err());
	}

	/// Arbitrary bytes never panic the verifier.
	#[test]
	fn arbitrary_bytes_never_panic(proof in proptest::collection::vec(any::<u8>(), 256), input in any::<[u8; 32]>()) {
		let f = fixture(1);
		let prepared = prepare_verifying_key(&f.vk).unwrap();
		prop_assert!(verify_prepared(&prepared, &input, &proof).is_err());
	}
}

#[test]
fn g1_of_zero_scalar_check_uses_identity_encoding() {
	// `G1Affine::zero()` is the identity and encodes as (0, 0): consistent with EIP-197.
	assert_eq!(encode_g1(&ark_bn254::G1Affine::zero()), [0u8; 64]);
}
