//! # Cloudana Groth16
//!
//! Groth16 proofs over BN254 (alt_bn128), shared by the runtime, the node, the prover and the
//! client.
//!
//! ## Overview
//!
//! - [`encoding`]: the byte encodings on the wire. They are Ethereum's EIP-197 encodings
//!   (<https://eips.ethereum.org/EIPS/eip-197>), the bytes Ethereum's `ecPairing` precompile and
//!   Solana's `alt_bn128` syscalls take, so a proof verified here verifies there too:
//!   - a base-field element `Fq` and a scalar `Fr`: 32 bytes, big-endian;
//!   - a G1 point: `x ‖ y`, 64 bytes; the identity is `(0, 0)`;
//!   - a G2 point: `x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0`, 128 bytes (the imaginary part first, as EIP-197
//!     writes `x = a·i + b` as `(a, b)`); the identity is all zeros.
//! - [`types`]: [`Proof`] (`A ‖ B ‖ C`, 256 bytes), [`VerifyingKey`] and public inputs (32-byte
//!   big-endian scalars).
//! - [`verifier`]: validation and verification in plain Rust (runs natively or in wasm).
//! - [`host`]: the `#[runtime_interface]` host functions the node registers, so the runtime runs
//!   the pairing natively instead of in wasm.
//! - The simulator (keys with a known trapdoor and proofs for any statement, for benchmarks and
//!   tests only) is its own crate, `cloudana-groth16-simulator`.
//! - `snarkjs` (feature `std`): import and export of snarkjs `verification_key.json`,
//!   `proof.json` and `public.json` (curve `bn128`).
//!
//! ## Validation
//!
//! Before any pairing, [`verifier`] checks, each with its own [`Groth16Error`]:
//!
//! | check | error |
//! |---|---|
//! | every coordinate is a canonical field element (`< p`) | [`Groth16Error::NonCanonicalFieldElement`] |
//! | every point is on its curve | [`Groth16Error::PointNotOnCurve`] |
//! | every G2 point is in the prime-order subgroup (G1 has cofactor 1) | [`Groth16Error::PointNotInSubgroup`] |
//! | no proof point is the identity | [`Groth16Error::IdentityInProof`] |
//! | every public input is a canonical scalar (`< r`), never reduced | [`Groth16Error::PublicInputNotInField`] |
//! | the input count is `IC length − 1` | [`Groth16Error::PublicInputCountMismatch`] |
//! | the input count is at most [`MAX_PUBLIC_INPUTS`] | [`Groth16Error::TooManyPublicInputs`] |
//! | a verifying key has no identity point (an identity IC point is an unbound input) | [`Groth16Error::IdentityInVerifyingKey`] |
//! | a verifying key has `γ ≠ δ` | [`Groth16Error::GammaEqualsDelta`] |
//!
//! and finally the pairing equation of Groth16 (J. Groth, "On the Size of Pairing-based
//! Non-interactive Arguments", EUROCRYPT 2016, <https://eprint.iacr.org/2016/260>):
//! `e(A, B) = e(α, β) · e(Σ xᵢ·ICᵢ, γ) · e(C, δ)`, failing with [`Groth16Error::ProofInvalid`].
//!
//! ## Prepared verifying keys
//!
//! Preparing a key (the pairing `e(α, β)` and the Miller-loop line coefficients of `−γ` and
//! `−δ`) costs about as much as a verification. The chain prepares a key once, when it is
//! registered, and stores the prepared form ([`verifier::prepare_verifying_key`]): about 34 KiB,
//! see [`verifier::prepared_key_len`]. Verification then decodes it without re-validation
//! ([`verifier::verify_prepared`]), which is sound because only the chain writes it.

#![cfg_attr(not(feature = "std"), no_std)]

/// The checkout this crate was built from (`.cargo/config.toml`): reading it makes cargo
/// rebuild the workspace when builds from another checkout share the target directory.
#[doc(hidden)]
pub const BUILT_FROM_CHECKOUT: Option<&str> = option_env!("CLOUDANA_CHECKOUT");

extern crate alloc;

pub mod encoding;
pub mod host;
#[cfg(feature = "std")]
pub mod snarkjs;
pub mod statement;
pub mod types;
pub mod verifier;

pub use types::*;

/// The host functions the node must register for a runtime that uses this crate.
#[cfg(not(substrate_runtime))]
pub type HostFunctions = host::groth_16::HostFunctions;
