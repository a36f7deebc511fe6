//! The Poseidon hash Cloudana's circuits commit to data with.
//!
//! Poseidon: L. Grassi, D. Khovratovich, C. Rechberger, A. Roy, M. Schofnegger, "Poseidon: A New
//! Hash Function for Zero-Knowledge Proof Systems", USENIX Security 2021
//! (<https://eprint.iacr.org/2019/458>). Instance: over the BN254 scalar field, S-box `x⁵`,
//! width `t = 3` (rate 2, capacity 1), 8 full and 57 partial rounds (the paper's 128-bit
//! parameters for `t = 3`). Round constants and the MDS matrix come from the paper's Grain LFSR
//! as arkworks implements it (`find_poseidon_ark_and_mds`); they differ from circomlib's.
//!
//! A hash is the arkworks duplex sponge: absorb every element, squeeze one.

use ark_bn254::Fr;
use ark_crypto_primitives::sponge::{
	constraints::CryptographicSpongeVar,
	poseidon::{constraints::PoseidonSpongeVar, find_poseidon_ark_and_mds, PoseidonConfig, PoseidonSponge},
	CryptographicSponge,
};
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::r1cs::{ConstraintSystemRef, SynthesisError};
use std::sync::OnceLock;

/// Full rounds.
pub const FULL_ROUNDS: usize = 8;
/// Partial rounds.
pub const PARTIAL_ROUNDS: usize = 57;
/// S-box exponent.
pub const ALPHA: u64 = 5;
/// Rate (field elements absorbed per permutation).
pub const RATE: usize = 2;

/// The Poseidon parameters, computed once.
pub fn config() -> &'static PoseidonConfig<Fr> {
	static CONFIG: OnceLock<PoseidonConfig<Fr>> = OnceLock::new();
	CONFIG.get_or_init(|| {
		let (ark, mds) = find_poseidon_ark_and_mds::<Fr>(
			254,
			RATE,
			FULL_ROUNDS as u64,
			PARTIAL_ROUNDS as u64,
			0,
		);
		PoseidonConfig::new(FULL_ROUNDS, PARTIAL_ROUNDS, ALPHA, mds, ark, RATE, 1)
	})
}

/// Hashes field elements natively.
pub fn hash(elements: &[Fr]) -> Fr {
	let mut sponge = PoseidonSponge::new(config());
	sponge.absorb(&elements.to_vec());
	sponge.squeeze_field_elements::<Fr>(1)[0]
}

/// Hashes field-element variables in a circuit; equals [`hash`] on the same values.
pub fn hash_var(cs: ConstraintSystemRef<Fr>, elements: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
	let mut sponge = PoseidonSpongeVar::new(cs, config());
	sponge.absorb(&elements.to_vec())?;
	Ok(sponge.squeeze_field_elements(1)?.remove(0))
}
