//! Wormhole for Cloudana, `no_std`: the wire formats a Wormhole bridge speaks and the one check
//! it must get right.
//!
//! - [`vaa`]: Verified Action Approvals, version 1 (Wormhole's `sdk/vaa/structs.go` and
//!   `ethereum/contracts/Messages.sol`): `u8 version = 1 ‖ u32 guardian_set_index ‖ u8 k ‖
//!   k × (u8 guardian_index ‖ r[32] ‖ s[32] ‖ u8 v) ‖ body`, body = `u32 timestamp ‖ u32 nonce
//!   ‖ u16 emitter_chain ‖ [32] emitter_address ‖ u64 sequence ‖ u8 consistency_level ‖
//!   payload`, all integers big-endian. The digest guardians sign is
//!   `keccak256(keccak256(body))`; the header is not covered by it.
//! - [`guardian`]: verification against a guardian set: quorum `⌊2n/3⌋ + 1`, guardian indices
//!   strictly ascending and below the set's size, each signature recovering (secp256k1,
//!   `v ∈ {0, 1}`) to the key at its index (an Ethereum address: the last 20 bytes of
//!   `keccak256` of the 64-byte public key); a set that is not the current one only until its
//!   expiry. Replay protection belongs to the caller and is keyed on the digest, never on
//!   signatures (ECDSA signatures are malleable).
//! - [`governance`]: the Core bridge's guardian-set upgrade payload (module `"Core"`, action 2;
//!   `ethereum/contracts/GovernanceStructs.sol`).
//! - [`ntt`]: Native Token Transfers payloads (wormhole-foundation/native-token-transfers,
//!   `evm/src/libraries/TransceiverStructs.sol`, `TrimmedAmount.sol`): the Wormhole transceiver
//!   message `0x9945FF10`, the NTT manager message, the `0x994E5454` native token transfer,
//!   and amounts trimmed to `min(8, decimals on both sides)`.
//!
//! The crypto is a parameter ([`Crypto`]): [`SpIo`] (`sp_io`'s `secp256k1_ecdsa_recover` and
//! `keccak_256`, feature `sp-io`) in the runtime, [`K256`] off chain (feature `k256`), Solana's
//! syscalls in the program. Both implementations accept what Ethereum's `ecrecover` accepts. None
//! of the Wormhole crates on crates.io is `no_std`; `tests/vectors.rs` cross-checks this one
//! against `wormhole-raw-vaas`, NTT's golden vectors and real mainnet VAAs.

#![cfg_attr(not(feature = "std"), no_std)]

/// The checkout this crate was built from (`.cargo/config.toml`): reading it makes cargo
/// rebuild the workspace when builds from another checkout share the target directory.
#[doc(hidden)]
pub const BUILT_FROM_CHECKOUT: Option<&str> = option_env!("CLOUDANA_CHECKOUT");

extern crate alloc;

pub mod devnet;
pub mod governance;
pub mod guardian;
pub mod ntt;
pub mod vaa;

mod bytes;

pub use guardian::{quorum, verify, GuardianSet, VerifyError};
pub use vaa::{Body, Signature, Vaa, VaaError};

/// A guardian's key as Wormhole names it: an Ethereum address, the last 20 bytes of
/// `keccak256` of the uncompressed secp256k1 public key (x ‖ y, 64 bytes).
pub type Address = [u8; 20];

/// A Wormhole chain id (`u16`, assigned by Wormhole: 1 Solana, 2 Ethereum, …).
pub type ChainId = u16;

/// The hashing and signature recovery the verification needs, supplied by the environment.
pub trait Crypto {
	/// Keccak-256 (the original Keccak padding, as Ethereum uses it; not SHA3-256).
	fn keccak256(&self, data: &[u8]) -> [u8; 32];

	/// The 64-byte uncompressed public key (x ‖ y) that produced `signature` (`r ‖ s ‖ v`,
	/// `v ∈ {0, 1}`) over the 32-byte `digest`, or `None` if it recovers to no key.
	fn secp256k1_recover(&self, signature: &[u8; 65], digest: &[u8; 32]) -> Option<[u8; 64]>;

	/// The address of a 64-byte public key: the last 20 bytes of its `keccak256`.
	fn address(&self, public_key: &[u8; 64]) -> Address {
		let hash = self.keccak256(public_key);
		let mut address = [0u8; 20];
		address.copy_from_slice(&hash[12..]);
		address
	}

	/// What guardians sign: `keccak256(keccak256(body))`.
	fn digest(&self, body: &[u8]) -> [u8; 32] {
		self.keccak256(&self.keccak256(body))
	}
}

/// [`Crypto`] with the `k256` and `sha3` crates (pure Rust), for off-chain code.
#[cfg(feature = "k256")]
#[derive(Clone, Copy, Debug, Default)]
pub struct K256;

#[cfg(feature = "k256")]
impl Crypto for K256 {
	fn keccak256(&self, data: &[u8]) -> [u8; 32] {
		use sha3::Digest;
		sha3::Keccak256::digest(data).into()
	}

	/// Accepts high-s signatures as Ethereum's `ecrecover` (and so Wormhole) does: `(r, n − s)`
	/// with the other recovery id recovers the same key (k256 alone would refuse high s).
	fn secp256k1_recover(&self, signature: &[u8; 65], digest: &[u8; 32]) -> Option<[u8; 64]> {
		use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
		let recovery = RecoveryId::from_byte(signature[64])?;
		let sig = Signature::from_slice(&signature[..64]).ok()?;
		let (sig, recovery) = match sig.normalize_s() {
			Some(low) => (low, RecoveryId::new(!recovery.is_y_odd(), recovery.is_x_reduced())),
			None => (sig, recovery),
		};
		let key = VerifyingKey::recover_from_prehash(digest, &sig, recovery).ok()?;
		let point = key.to_encoded_point(false);
		let mut out = [0u8; 64];
		out.copy_from_slice(&point.as_bytes()[1..]);
		Some(out)
	}
}

#[cfg(feature = "k256")]
impl K256 {
	/// Signs `digest` with the secp256k1 secret key `secret` as a guardian does: `r ‖ s ‖ v`,
	/// low s (RFC 6979 deterministic nonce), `v ∈ {0, 1}`. `None` for a secret that is not a key
	/// (zero or not below the curve order).
	pub fn sign(&self, secret: &[u8; 32], digest: &[u8; 32]) -> Option<[u8; 65]> {
		let key = k256::ecdsa::SigningKey::from_slice(secret).ok()?;
		let (signature, recovery) = key.sign_prehash_recoverable(digest).ok()?;
		let mut out = [0u8; 65];
		out[..64].copy_from_slice(&signature.to_bytes());
		out[64] = recovery.to_byte();
		Some(out)
	}

	/// The other signature ECDSA admits for the same key and digest: `(r, n − s, v ⊕ 1)`.
	/// Wormhole has no low-s rule, so a VAA exists with other signature bytes; tests use this
	/// to show that replay protection keys on the body's digest, never on signatures.
	pub fn malleate(&self, signature: &[u8; 65]) -> Option<[u8; 65]> {
		let parsed = k256::ecdsa::Signature::from_slice(&signature[..64]).ok()?;
		let (r, s) = parsed.split_scalars();
		let twin = k256::ecdsa::Signature::from_scalars(r.to_bytes(), (-*s).to_bytes()).ok()?;
		let mut out = [0u8; 65];
		out[..64].copy_from_slice(&twin.to_bytes());
		out[64] = signature[64] ^ 1;
		Some(out)
	}

	/// The guardian address (Ethereum address) of the secret key `secret`.
	pub fn address_of(&self, secret: &[u8; 32]) -> Option<Address> {
		let key = k256::ecdsa::SigningKey::from_slice(secret).ok()?;
		let point = key.verifying_key().to_encoded_point(false);
		let mut public = [0u8; 64];
		public.copy_from_slice(&point.as_bytes()[1..]);
		Some(self.address(&public))
	}
}

/// [`Crypto`] with Substrate's host functions (`sp_io::hashing::keccak_256`,
/// `sp_io::crypto::secp256k1_ecdsa_recover`, libsecp256k1's recovery, which accepts high s as
/// Ethereum's `ecrecover` does), for the runtime.
#[cfg(feature = "sp-io")]
#[derive(Clone, Copy, Debug, Default)]
pub struct SpIo;

#[cfg(feature = "sp-io")]
impl Crypto for SpIo {
	fn keccak256(&self, data: &[u8]) -> [u8; 32] {
		sp_io::hashing::keccak_256(data)
	}

	fn secp256k1_recover(&self, signature: &[u8; 65], digest: &[u8; 32]) -> Option<[u8; 64]> {
		sp_io::crypto::secp256k1_ecdsa_recover(signature, digest).ok()
	}
}
