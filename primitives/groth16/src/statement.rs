//! How Cloudana names verifying keys and binds a statement to one job, prover and chain.

use crate::types::{G1Bytes, PublicInput, VerifyingKey};

/// Domain separator of binding inputs.
pub const BINDING_DOMAIN: &[u8] = b"cloudana/binding/v2";

/// A verifying key's id on chain: `blake2_256` of its flat EIP-197 encoding
/// `α ‖ β ‖ γ ‖ δ ‖ IC₀ ‖ … ‖ ICₙ`.
pub fn vk_id<Ic: AsRef<[G1Bytes]>>(vk: &VerifyingKey<Ic>) -> [u8; 32] {
	sp_crypto_hashing::blake2_256(&vk.to_flat_bytes())
}

/// The binding public input of a piece of work: `blake2_256(BINDING_DOMAIN ‖ genesis hash ‖
/// work ‖ prover)`, where `work` names the job or grid slot (Cloudana passes the SCALE encoding
/// of its `WorkId`: `0x00 ‖ job id (u64 LE)` or `0x01 ‖ grid id (u64 LE) ‖ slot (u32 LE)`) and
/// `prover` is the prover's account, SCALE-encoded (its 32 bytes for an `AccountId32`). The
/// digest is read as a big-endian integer with its top three bits cleared, so it is below
/// 2²⁵³ < r and always a canonical scalar.
///
/// Built-in circuits take it as public input 0 and constrain it, so a proof made for one job,
/// slot, prover or chain does not verify for another.
pub fn binding_input(genesis_hash: &[u8; 32], work: &[u8], prover: &[u8]) -> PublicInput {
	let mut preimage = alloc::vec::Vec::with_capacity(BINDING_DOMAIN.len() + 32 + work.len() + prover.len());
	preimage.extend_from_slice(BINDING_DOMAIN);
	preimage.extend_from_slice(genesis_hash);
	preimage.extend_from_slice(work);
	preimage.extend_from_slice(prover);
	let mut out = sp_crypto_hashing::blake2_256(&preimage);
	out[0] &= 0x1f;
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{encoding::decode_fr, Element};

	#[test]
	fn binding_is_always_a_canonical_scalar_and_separates_jobs() {
		for job in 0..200u64 {
			let b = binding_input(&[7; 32], &job.to_le_bytes(), &[9; 32]);
			assert!(b[0] < 0x20);
			assert!(decode_fr(&b, Element::PublicInput(0)).is_ok());
		}
		let one = 1u64.to_le_bytes();
		assert_ne!(binding_input(&[7; 32], &one, &[9; 32]), binding_input(&[7; 32], &2u64.to_le_bytes(), &[9; 32]));
		assert_ne!(binding_input(&[7; 32], &one, &[9; 32]), binding_input(&[7; 32], &one, &[8; 32]));
		assert_ne!(binding_input(&[7; 32], &one, &[9; 32]), binding_input(&[6; 32], &one, &[9; 32]));
	}
}
