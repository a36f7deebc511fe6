//! Validation, key preparation and verification, in plain Rust.
//!
//! This code runs natively behind the [`crate::host`] functions, and in wasm where a caller wants
//! a pure-wasm verification (the benchmark compares both).

use crate::{
	encoding::{decode_fr, decode_g1, decode_g2},
	types::{
		BatchCheck, Element, G1Bytes, Groth16Error, Proof, PublicInput, VerifyingKey, MAX_PUBLIC_INPUTS,
		SCALAR_LEN,
	},
};
use alloc::vec::Vec;
use ark_bn254::{Bn254, Fr, G1Affine};
use ark_ec::AffineRepr;
use ark_groth16::{Groth16, PreparedVerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};

/// Version byte that starts every prepared key. Bumped if arkworks' serialization of a prepared
/// key changes, so an old stored key is refused ([`Groth16Error::MalformedPreparedKey`]) rather
/// than misread.
pub const PREPARED_KEY_VERSION: u8 = 1;

/// Line coefficients arkworks stores per prepared BN254 G2 point (one per doubling and addition
/// step of the optimal ate Miller loop).
const G2_PREPARED_COEFFS: usize = 87;
/// Bytes of one uncompressed prepared G2 point: `u64` length, coefficients of three `Fq2`
/// each, and the `infinity` flag.
const G2_PREPARED_LEN: usize = 8 + G2_PREPARED_COEFFS * 6 * SCALAR_LEN + 1;
/// Bytes of an uncompressed `Fq12` (the pairing `e(α, β)`).
const GT_LEN: usize = 12 * SCALAR_LEN;

/// Length in bytes of the prepared form of a key with `num_public_inputs` inputs:
/// `1 (version) + key (64 + 3·128 + 8 + 64·(n+1)) + e(α,β) (384) + 2 × prepared G2 (16 713)`.
pub const fn prepared_key_len(num_public_inputs: u32) -> usize {
	let key = 64 + 3 * 128 + 8 + 64 * (num_public_inputs as usize + 1);
	1 + key + GT_LEN + 2 * G2_PREPARED_LEN
}

fn non_identity_g1(bytes: &G1Bytes, element: Element, in_proof: bool) -> Result<G1Affine, Groth16Error> {
	let point = decode_g1(bytes, element)?;
	if point.is_zero() {
		return Err(if in_proof {
			Groth16Error::IdentityInProof(element)
		} else {
			Groth16Error::IdentityInVerifyingKey(element)
		});
	}
	Ok(point)
}

/// Decodes and validates a verifying key: every point canonical, on its curve, in its subgroup
/// and not the identity; `γ ≠ δ`; between 1 and [`MAX_PUBLIC_INPUTS`] + 1 `IC` points.
pub fn decode_verifying_key<Ic: AsRef<[G1Bytes]>>(
	vk: &VerifyingKey<Ic>,
) -> Result<ark_groth16::VerifyingKey<Bn254>, Groth16Error> {
	let ic = vk.ic.as_ref();
	match vk.num_public_inputs() {
		Some(n) if n <= MAX_PUBLIC_INPUTS => {},
		_ => return Err(Groth16Error::TooManyPublicInputs),
	}
	let alpha_g1 = non_identity_g1(&vk.alpha_g1, Element::Alpha, false)?;
	let g2 = |bytes, element| {
		let point = decode_g2(bytes, element)?;
		if point.is_zero() {
			return Err(Groth16Error::IdentityInVerifyingKey(element));
		}
		Ok(point)
	};
	let beta_g2 = g2(&vk.beta_g2, Element::Beta)?;
	let gamma_g2 = g2(&vk.gamma_g2, Element::Gamma)?;
	let delta_g2 = g2(&vk.delta_g2, Element::Delta)?;
	if gamma_g2 == delta_g2 {
		return Err(Groth16Error::GammaEqualsDelta);
	}
	let gamma_abc_g1 = ic
		.iter()
		.enumerate()
		.map(|(i, point)| non_identity_g1(point, Element::Ic(i as u32), false))
		.collect::<Result<Vec<_>, _>>()?;
	Ok(ark_groth16::VerifyingKey { alpha_g1, beta_g2, gamma_g2, delta_g2, gamma_abc_g1 })
}

/// Validates a verifying key and returns its prepared form: the version byte followed by
/// arkworks' uncompressed `PreparedVerifyingKey` (the key, `e(α, β)` and the Miller-loop
/// coefficients of `−γ` and `−δ`); [`prepared_key_len`] bytes.
pub fn prepare_verifying_key<Ic: AsRef<[G1Bytes]>>(
	vk: &VerifyingKey<Ic>,
) -> Result<Vec<u8>, Groth16Error> {
	let key = decode_verifying_key(vk)?;
	let prepared = ark_groth16::prepare_verifying_key(&key);
	let mut out = Vec::with_capacity(prepared_key_len(key.gamma_abc_g1.len() as u32 - 1));
	out.push(PREPARED_KEY_VERSION);
	prepared
		.serialize_uncompressed(&mut out)
		.map_err(|_| Groth16Error::MalformedPreparedKey)?;
	Ok(out)
}

/// Decodes a prepared key written by [`prepare_verifying_key`], without re-validating its points:
/// only the chain writes prepared keys, after validation.
pub fn decode_prepared_key(bytes: &[u8]) -> Result<PreparedVerifyingKey<Bn254>, Groth16Error> {
	let (version, mut body) = bytes.split_first().ok_or(Groth16Error::MalformedPreparedKey)?;
	if *version != PREPARED_KEY_VERSION {
		return Err(Groth16Error::MalformedPreparedKey);
	}
	let key = PreparedVerifyingKey::<Bn254>::deserialize_with_mode(
		&mut body,
		Compress::No,
		Validate::No,
	)
	.map_err(|_| Groth16Error::MalformedPreparedKey)?;
	if !body.is_empty() || key.vk.gamma_abc_g1.is_empty() {
		return Err(Groth16Error::MalformedPreparedKey);
	}
	Ok(key)
}

/// Decodes and validates a proof: canonical coordinates, points on their curves, `B` in the
/// prime-order subgroup, no identity.
pub fn decode_proof(proof: &Proof) -> Result<ark_groth16::Proof<Bn254>, Groth16Error> {
	let a = non_identity_g1(&proof.a, Element::ProofA, true)?;
	let b = decode_g2(&proof.b, Element::ProofB)?;
	if b.is_zero() {
		return Err(Groth16Error::IdentityInProof(Element::ProofB));
	}
	let c = non_identity_g1(&proof.c, Element::ProofC, true)?;
	Ok(ark_groth16::Proof { a, b, c })
}

/// Decodes public inputs given as `n × 32` bytes, each a canonical scalar (`< r`).
pub fn decode_public_inputs(flat: &[u8]) -> Result<Vec<Fr>, Groth16Error> {
	if flat.len() % SCALAR_LEN != 0 {
		return Err(Groth16Error::MalformedEncoding);
	}
	flat.chunks_exact(SCALAR_LEN)
		.enumerate()
		.map(|(i, chunk)| {
			let mut input: PublicInput = [0; SCALAR_LEN];
			input.copy_from_slice(chunk);
			decode_fr(&input, Element::PublicInput(i as u32))
		})
		.collect()
}

/// Verifies a proof against a prepared key, from bytes as the chain stores and receives them:
/// `prepared_key` from [`prepare_verifying_key`], `public_inputs` as `n × 32` big-endian bytes,
/// `proof` as the 256-byte `A ‖ B ‖ C`. Every input is validated before the pairing.
pub fn verify_prepared(
	prepared_key: &[u8],
	public_inputs: &[u8],
	proof: &[u8],
) -> Result<(), Groth16Error> {
	let (inputs, proof) = decode_statement(public_inputs, proof)?;
	let key = decode_prepared_key(prepared_key)?;
	verify_decoded(&key, &inputs, &proof)
}

/// Decodes and validates a statement as received: the proof ([`decode_proof`], from its 256
/// bytes) and then its public inputs ([`decode_public_inputs`]).
pub fn decode_statement(
	public_inputs: &[u8],
	proof: &[u8],
) -> Result<(Vec<Fr>, ark_groth16::Proof<Bn254>), Groth16Error> {
	let proof = decode_proof(&Proof::from_bytes(proof)?)?;
	Ok((decode_public_inputs(public_inputs)?, proof))
}

/// Verifies an already decoded statement against an already prepared key.
pub fn verify_decoded(
	key: &PreparedVerifyingKey<Bn254>,
	inputs: &[Fr],
	proof: &ark_groth16::Proof<Bn254>,
) -> Result<(), Groth16Error> {
	let expected = key.vk.gamma_abc_g1.len() as u32 - 1;
	if inputs.len() as u32 != expected {
		return Err(Groth16Error::PublicInputCountMismatch { expected, got: inputs.len() as u32 });
	}
	match Groth16::<Bn254>::verify_proof(key, proof, inputs) {
		Ok(true) => Ok(()),
		_ => Err(Groth16Error::ProofInvalid),
	}
}

/// Validates and verifies in one step, from a verifying key rather than a prepared key: for
/// off-chain use (the `cloudana verify` command), where the key is used once.
pub fn verify<Ic: AsRef<[G1Bytes]>>(
	vk: &VerifyingKey<Ic>,
	public_inputs: &[PublicInput],
	proof: &Proof,
) -> Result<(), Groth16Error> {
	let key = decode_verifying_key(vk)?;
	let proof = decode_proof(proof)?;
	let inputs = public_inputs
		.iter()
		.enumerate()
		.map(|(i, input)| decode_fr(input, Element::PublicInput(i as u32)))
		.collect::<Result<Vec<_>, _>>()?;
	verify_decoded(&ark_groth16::prepare_verifying_key(&key), &inputs, &proof)
}

/// Domain tag of the batch transcript ([`batch_coefficients`]).
pub const BATCH_TRANSCRIPT_TAG: &[u8] = b"cloudana/groth16-batch/v1";

/// The random-linear-combination coefficients `ρ₀ … ρₖ₋₁` of a batch, by Fiat–Shamir: each
/// `ρᵢ` is the first 16 bytes (little-endian, so `1 ≤ ρᵢ < 2¹²⁸`; a zero becomes 1) of
/// `blake2b-256(seed ‖ i as u32 LE)`, where
/// `seed = blake2b-256(TAG ‖ blake2b-256(prepared key) ‖ k as u32 LE ‖ inputs₀ ‖ proof₀ ‖ … )`
/// with each statement's public inputs as `n × 32` big-endian bytes and its proof as the
/// 256-byte `A ‖ B ‖ C`. Every coefficient so depends on every byte of the key and of the whole
/// batch: a prover cannot choose its proofs after seeing its coefficients.
pub fn batch_coefficients<'a>(
	prepared_key: &[u8],
	statements: impl Iterator<Item = (&'a [u8], &'a [u8])> + Clone,
) -> Vec<u128> {
	let count = statements.clone().count() as u32;
	let mut transcript = Vec::with_capacity(BATCH_TRANSCRIPT_TAG.len() + 36 + count as usize * 400);
	transcript.extend_from_slice(BATCH_TRANSCRIPT_TAG);
	transcript.extend_from_slice(&sp_crypto_hashing::blake2_256(prepared_key));
	transcript.extend_from_slice(&count.to_le_bytes());
	for (inputs, proof) in statements {
		transcript.extend_from_slice(inputs);
		transcript.extend_from_slice(proof);
	}
	let seed = sp_crypto_hashing::blake2_256(&transcript);
	(0..count)
		.map(|i| {
			let mut block = [0u8; 36];
			block[..32].copy_from_slice(&seed);
			block[32..].copy_from_slice(&i.to_le_bytes());
			let digest = sp_crypto_hashing::blake2_256(&block);
			let mut low = [0u8; 16];
			low.copy_from_slice(&digest[..16]);
			u128::from_le_bytes(low).max(1)
		})
		.collect()
}

/// Checks `Π e(ρᵢ·Aᵢ, Bᵢ) = e(α, β)^{Σρᵢ} · e(Σᵢ ρᵢ·Lᵢ, γ) · e(Σᵢ ρᵢ·Cᵢ, δ)`, with
/// `Lᵢ = IC₀ + Σⱼ xᵢⱼ·ICⱼ`, for decoded statements and their coefficients: one multi-Miller loop
/// of `k + 3` pairs and one final exponentiation. `Σᵢ ρᵢ·Lᵢ` is computed as
/// `(Σᵢρᵢ)·IC₀ + Σⱼ (Σᵢ ρᵢ·xᵢⱼ)·ICⱼ`, one multi-scalar multiplication of `n + 1` points
/// whatever `k` is. True for an empty batch.
pub fn verify_batch_decoded(
	key: &PreparedVerifyingKey<Bn254>,
	statements: &[(Vec<Fr>, ark_groth16::Proof<Bn254>)],
	coefficients: &[u128],
) -> bool {
	use ark_ec::{pairing::Pairing, CurveGroup, VariableBaseMSM};
	use ark_ff::{One, Zero};
	if statements.is_empty() {
		return true;
	}
	let ic = &key.vk.gamma_abc_g1;
	let rhos: Vec<Fr> = coefficients.iter().map(|rho| Fr::from(*rho)).collect();
	let mut input_sums = alloc::vec![Fr::zero(); ic.len()];
	for ((inputs, _), rho) in statements.iter().zip(&rhos) {
		input_sums[0] += rho;
		for (sum, x) in input_sums[1..].iter_mut().zip(inputs) {
			*sum += *rho * x;
		}
	}
	let Ok(inputs_term) = <ark_bn254::G1Projective as VariableBaseMSM>::msm(ic, &input_sums) else { return false };
	let cs: Vec<G1Affine> = statements.iter().map(|(_, proof)| proof.c).collect();
	let Ok(c_term) = <ark_bn254::G1Projective as VariableBaseMSM>::msm(&cs, &rhos) else { return false };
	let rho_sum: Fr = rhos.iter().copied().sum();
	let mut g1: Vec<ark_bn254::G1Projective> =
		statements.iter().zip(&rhos).map(|((_, proof), rho)| proof.a * rho).collect();
	g1.push(inputs_term);
	g1.push(c_term);
	g1.push(-(key.vk.alpha_g1 * rho_sum));
	let g1 = ark_bn254::G1Projective::normalize_batch(&g1);
	let mut g2: Vec<<Bn254 as Pairing>::G2Prepared> =
		statements.iter().map(|(_, proof)| proof.b.into()).collect();
	g2.push(key.gamma_g2_neg_pc.clone());
	g2.push(key.delta_g2_neg_pc.clone());
	g2.push(key.vk.beta_g2.into());
	let product = Bn254::multi_miller_loop(g1, g2);
	Bn254::final_exponentiation(product).is_some_and(|out| out.0.is_one())
}

/// Verifies `k` proofs under one prepared key at once, from bytes as the chain stores and
/// receives them: `public_inputs` is the `k` statements' inputs one after another (`k × n × 32`
/// bytes, `n` the key's input count) and `proofs` the `k` proofs (`k × 256` bytes).
///
/// Each statement is first validated on its own, exactly as [`verify_prepared`] does; those
/// that fail are listed in [`BatchCheck::malformed`] with their error. The rest are checked
/// together by [`verify_batch_decoded`] with coefficients from [`batch_coefficients`] (over the
/// statements that passed validation, in order).
///
/// Soundness: if any statement in the combined check is invalid, the check holds with
/// probability at most 2⁻¹²⁸ over random 128-bit coefficients (the small-exponents test of
/// Bellare, Garay and Rabin, "Fast Batch Verification for Modular Exponentiation and Digital
/// Signatures", EUROCRYPT 1998, applied in the prime-order target group). Deriving them by
/// Fiat–Shamir from the whole batch (random-oracle model) leaves a cheating prover to try
/// batches until the hash favours one: about 2¹²⁸ attempts.
///
/// Errors (the whole batch): [`Groth16Error::MalformedPreparedKey`]; [`Groth16Error::MalformedEncoding`]
/// if the byte lengths are not `k × n × 32` and `k × 256` for the same `k`.
pub fn verify_batch_prepared(
	prepared_key: &[u8],
	public_inputs: &[u8],
	proofs: &[u8],
) -> Result<BatchCheck, Groth16Error> {
	use crate::types::PROOF_LEN;
	let key = decode_prepared_key(prepared_key)?;
	let n = key.vk.gamma_abc_g1.len() - 1;
	let stride = n * SCALAR_LEN;
	if proofs.len() % PROOF_LEN != 0 {
		return Err(Groth16Error::MalformedEncoding);
	}
	let count = proofs.len() / PROOF_LEN;
	if public_inputs.len() != count * stride {
		return Err(Groth16Error::MalformedEncoding);
	}
	let mut check = BatchCheck::default();
	let mut decoded = Vec::with_capacity(count);
	let mut raw = Vec::with_capacity(count);
	for i in 0..count {
		let inputs = &public_inputs[i * stride..(i + 1) * stride];
		let proof = &proofs[i * PROOF_LEN..(i + 1) * PROOF_LEN];
		match decode_statement(inputs, proof) {
			Ok(statement) => {
				decoded.push(statement);
				raw.push((inputs, proof));
			},
			Err(error) => check.malformed.push((i as u32, error)),
		}
	}
	let coefficients = batch_coefficients(prepared_key, raw.iter().copied());
	check.holds = verify_batch_decoded(&key, &decoded, &coefficients);
	Ok(check)
}
