//! The Groth16 host functions.
//!
//! The runtime calls these instead of running the pairing in wasm (pure-wasm arkworks is several
//! times slower). The node registers them by adding [`groth_16::HostFunctions`](crate::host::groth_16::HostFunctions) to its executor's
//! host functions; a node without them cannot execute a runtime that imports them.
//!
//! Both functions are deterministic and never panic: every input is validated and every failure
//! is returned as a [`Groth16Error`].
//!
//! In wasm they are imported as `ext_groth_16_prepare_verifying_key_version_1` and
//! `ext_groth_16_verify_prepared_version_1`.

use crate::types::Groth16Error;
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
}
