//! The Groth16 simulator, for benchmarks: a verifying key built from known trapdoor scalars, and
//! valid proofs for any public inputs under that key.
//!
//! Groth16 is zero-knowledge because whoever knows the trapdoor can produce proofs without a
//! witness (Groth 2016, §3.2). Benchmarks use exactly that to get, inside the runtime and for
//! any statement, a proof the verifier accepts after doing all of its real work (decoding,
//! validation, the pairing check). **A key made here is worthless for security**: its trapdoor
//! is the seed. It lives in its own crate, which pallets take only as a dev-dependency and, with
//! `runtime-benchmarks`, for their benchmarks.
//!
//! With trapdoor `α, β, γ, δ` and `ICᵢ = uᵢ·G1`, the proof `A = a·G1`, `B = b·G2`,
//! `C = (a·b − α·β − γ·Σ xᵢuᵢ)/δ · G1` (with `x₀ = 1`) satisfies
//! `e(A, B) = e(α, β)·e(Σ xᵢ·ICᵢ, γ)·e(C, δ)`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use cloudana_groth16::{
	encoding::{decode_fr, encode_g1, encode_g2},
	Element, G1Bytes, Groth16Error, Proof, PublicInput, VerifyingKey,
};
use ark_bn254::{Fr, G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{Field, PrimeField};

/// A simulated key's trapdoor.
pub struct Trapdoor {
	alpha: Fr,
	beta: Fr,
	gamma: Fr,
	delta: Fr,
	ic: Vec<Fr>,
}

fn scalar(seed: &[u8], label: &[u8], index: u32) -> Fr {
	let mut preimage = Vec::with_capacity(seed.len() + label.len() + 4);
	preimage.extend_from_slice(seed);
	preimage.extend_from_slice(label);
	preimage.extend_from_slice(&index.to_le_bytes());
	let value = Fr::from_le_bytes_mod_order(&sp_crypto_hashing::blake2_256(&preimage));
	if value == Fr::from(0u64) {
		Fr::from(1u64)
	} else {
		value
	}
}

impl Trapdoor {
	/// A trapdoor derived from `seed` for a key with `num_public_inputs` inputs.
	pub fn new(seed: &[u8], num_public_inputs: u32) -> Self {
		Trapdoor {
			alpha: scalar(seed, b"alpha", 0),
			beta: scalar(seed, b"beta", 0),
			gamma: scalar(seed, b"gamma", 0),
			delta: scalar(seed, b"delta", 0),
			ic: (0..=num_public_inputs).map(|i| scalar(seed, b"ic", i)).collect(),
		}
	}

	/// The verifying key of this trapdoor.
	pub fn verifying_key(&self) -> VerifyingKey<Vec<G1Bytes>> {
		let g1 = G1Affine::generator();
		let g2 = G2Affine::generator();
		VerifyingKey {
			alpha_g1: encode_g1(&(g1 * self.alpha).into_affine()),
			beta_g2: encode_g2(&(g2 * self.beta).into_affine()),
			gamma_g2: encode_g2(&(g2 * self.gamma).into_affine()),
			delta_g2: encode_g2(&(g2 * self.delta).into_affine()),
			ic: self.ic.iter().map(|u| encode_g1(&(g1 * u).into_affine())).collect(),
		}
	}

	/// A valid proof for `public_inputs` under [`Self::verifying_key`].
	pub fn prove(&self, public_inputs: &[PublicInput]) -> Result<Proof, Groth16Error> {
		if public_inputs.len() + 1 != self.ic.len() {
			return Err(Groth16Error::PublicInputCountMismatch {
				expected: self.ic.len() as u32 - 1,
				got: public_inputs.len() as u32,
			});
		}
		let mut l = self.ic[0];
		for (i, input) in public_inputs.iter().enumerate() {
			l += decode_fr(input, Element::PublicInput(i as u32))? * self.ic[i + 1];
		}
		let (a, b) = (Fr::from(3u64), Fr::from(5u64));
		let delta_inv = self.delta.inverse().ok_or(Groth16Error::ProofInvalid)?;
		let c = (a * b - self.alpha * self.beta - self.gamma * l) * delta_inv;
		Ok(Proof {
			a: encode_g1(&(G1Affine::generator() * a).into_affine()),
			b: encode_g2(&(G2Affine::generator() * b).into_affine()),
			c: encode_g1(&(G1Affine::generator() * c).into_affine()),
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use cloudana_groth16::{encoding::encode_fr, verifier};

	#[test]
	fn simulated_proofs_verify_and_tampering_fails() {
		for n in [1u32, 4, 16] {
			let trapdoor = Trapdoor::new(b"test", n);
			let vk = trapdoor.verifying_key();
			let inputs: Vec<_> = (0..n).map(|i| encode_fr(&Fr::from(i as u64 * 7 + 1))).collect();
			let proof = trapdoor.prove(&inputs).unwrap();
			assert_eq!(verifier::verify(&vk, &inputs, &proof), Ok(()));
			let mut wrong = inputs.clone();
			wrong[0][31] ^= 1;
			assert_eq!(verifier::verify(&vk, &wrong, &proof), Err(Groth16Error::ProofInvalid));
		}
	}
}
