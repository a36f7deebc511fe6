//! The Groth16 host functions.
//!
//! The runtime calls these instead of running the pairing in wasm (pure-wasm arkworks is several
//! times slower). The node registers them by adding [`groth_16::HostFunctions`](crate::host::groth_16::HostFunctions) to its executor's
//! host functions; a node without them cannot execute a runtime that imports them.
//!
//! Both functions are deterministic and never panic: every input is validated and every failure
//! is returned as a [`Groth16Error`].
//!
//! In wasm they are imported as `ext_groth_16_prepare_verifying_key_version_1`,
//! `ext_groth_16_verify_prepared_version_1` and `ext_groth_16_verify_batch_prepared_version_1`.

use crate::types::{BatchCheck, Groth16Error};
use alloc::vec::Vec;
#[cfg(not(substrate_runtime))]
use crate::{types::VerifyingKey, verifier};
use sp_runtime_interface::{
	pass_by::{AllocateAndReturnByCodec, PassFatPointerAndRead},
	runtime_interface,
};

/// Groth16 over BN254, run natively by the node.
#[runtime_interface]
pub trait Groth16 {
	/// Validates a verifying key and returns its prepared form.
	///
	/// - `vk`: the flat EIP-197 key `α ‖ β ‖ γ ‖ δ ‖ IC₀ ‖ … ‖ ICₙ`
	///   (`64 + 3·128 + 64·(n+1)` bytes).
	///
	/// Returns the prepared key (`verifier::prepared_key_len(n)` bytes), or why the key was
	/// refused.
	fn prepare_verifying_key(
		vk: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<Vec<u8>, Groth16Error>> {
		let key = VerifyingKey::from_flat_bytes(vk)?;
		verifier::prepare_verifying_key(&key)
	}

	/// Validates a proof and its public inputs, then verifies it against a prepared key.
	///
	/// - `prepared_key`: a prepared key as returned by `prepare_verifying_key`;
	/// - `public_inputs`: `n × 32` bytes, each input a big-endian scalar `< r`;
	/// - `proof`: 256 bytes, `A ‖ B ‖ C` in EIP-197 encoding.
	///
	/// Returns `Ok(())` for a valid proof, else the first check that failed.
	fn verify_prepared(
		prepared_key: PassFatPointerAndRead<&[u8]>,
		public_inputs: PassFatPointerAndRead<&[u8]>,
		proof: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<(), Groth16Error>> {
		verifier::verify_prepared(prepared_key, public_inputs, proof)
	}

	/// Validates `k` statements and verifies them together against one prepared key (random
	/// linear combination, one multi-Miller loop and one final exponentiation): see
	/// [`verifier::verify_batch_prepared`](crate::verifier::verify_batch_prepared).
	///
	/// - `prepared_key`: as for `verify_prepared`;
	/// - `public_inputs`: the `k` statements' inputs one after another, `k × n × 32` bytes;
	/// - `proofs`: the `k` proofs, `k × 256` bytes.
	///
	/// Returns the statements that failed validation (index and error) and whether the
	/// combined check of the others holds; an error if the key or the byte lengths are wrong.
	fn verify_batch_prepared(
		prepared_key: PassFatPointerAndRead<&[u8]>,
		public_inputs: PassFatPointerAndRead<&[u8]>,
		proofs: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<BatchCheck, Groth16Error>> {
		verifier::verify_batch_prepared(prepared_key, public_inputs, proofs)
	}
}
