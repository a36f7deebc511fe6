//! VAA version 1: parsing and encoding (Wormhole's `sdk/vaa/structs.go` `Unmarshal` /
//! `Marshal`, `ethereum/contracts/Messages.sol` `parseVM`).
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 1 | version, 1 |
//! | 1 | 4 | guardian set index |
//! | 5 | 1 | signature count k |
//! | 6 | 66·k | signatures: guardian index (1), r (32), s (32), v (1, 0 or 1) |
//! | 6 + 66k | 4 | body: timestamp (Unix seconds) |
//! | +4 | 4 | nonce |
//! | +8 | 2 | emitter chain |
//! | +10 | 32 | emitter address |
//! | +42 | 8 | sequence |
//! | +50 | 1 | consistency level |
//! | +51 | rest | payload (no length prefix) |

use crate::{
	bytes::{Reader, Short},
	ChainId, Crypto,
};
use alloc::vec::Vec;

/// The only VAA version there is.
pub const VERSION: u8 = 1;
/// Bytes of one signature: guardian index, r, s, v.
pub const SIGNATURE_LEN: usize = 66;
/// Bytes of the header before the signatures: version, guardian set index, count.
pub const HEADER_LEN: usize = 6;
/// Bytes of a body with an empty payload.
pub const BODY_MIN_LEN: usize = 51;

/// Why bytes are not a VAA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VaaError {
	/// The input ends at byte `at`, `needed` bytes short of the next field.
	Truncated { at: usize, needed: usize },
	/// The version byte is not 1.
	UnsupportedVersion(u8),
}

impl From<Short> for VaaError {
	fn from(short: Short) -> Self {
		VaaError::Truncated { at: short.at, needed: short.needed - short.available }
	}
}

impl core::fmt::Display for VaaError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			VaaError::Truncated { at, needed } => write!(f, "the VAA ends at byte {at}, {needed} byte(s) short"),
			VaaError::UnsupportedVersion(v) => write!(f, "VAA version {v} is not supported (only 1)"),
		}
	}
}

/// One guardian's signature over the body's digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
	/// The guardian's index in the set.
	pub guardian_index: u8,
	/// `r ‖ s ‖ v`, `v` the recovery id (0 or 1, not Ethereum's 27/28).
	pub signature: [u8; 65],
}

/// The signed part of a VAA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
	/// Unix seconds, as the emitter's chain saw it.
	pub timestamp: u32,
	pub nonce: u32,
	pub emitter_chain: ChainId,
	/// The emitting contract or account, left-padded to 32 bytes.
	pub emitter_address: [u8; 32],
	/// The emitter's message counter.
	pub sequence: u64,
	/// The finality the guardians waited for (chain-specific).
	pub consistency_level: u8,
	pub payload: Vec<u8>,
}

impl Body {
	/// Parses a body (the whole of `bytes`: the payload runs to the end).
	pub fn parse(bytes: &[u8]) -> Result<Self, VaaError> {
		let mut r = Reader::new(bytes);
		Ok(Body {
			timestamp: r.u32()?,
			nonce: r.u32()?,
			emitter_chain: r.u16()?,
			emitter_address: r.array()?,
			sequence: r.u64()?,
			consistency_level: r.u8()?,
			payload: r.rest().to_vec(),
		})
	}

	/// The body's bytes, as signed.
	pub fn encode(&self) -> Vec<u8> {
		let mut out = Vec::with_capacity(BODY_MIN_LEN + self.payload.len());
		out.extend_from_slice(&self.timestamp.to_be_bytes());
		out.extend_from_slice(&self.nonce.to_be_bytes());
		out.extend_from_slice(&self.emitter_chain.to_be_bytes());
		out.extend_from_slice(&self.emitter_address);
		out.extend_from_slice(&self.sequence.to_be_bytes());
		out.push(self.consistency_level);
		out.extend_from_slice(&self.payload);
		out
	}

	/// What guardians sign and what replay protection keys on: `keccak256(keccak256(body))`.
	pub fn digest<C: Crypto>(&self, crypto: &C) -> [u8; 32] {
		crypto.digest(&self.encode())
	}
}

/// A parsed VAA (signatures not yet checked: see [`crate::verify`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vaa {
	pub guardian_set_index: u32,
	pub signatures: Vec<Signature>,
	pub body: Body,
}

impl Vaa {
	/// Parses a VAA v1. The encoding has one form per VAA, so `parse(b).encode() == b`.
	pub fn parse(bytes: &[u8]) -> Result<Self, VaaError> {
		let mut r = Reader::new(bytes);
		let version = r.u8()?;
		if version != VERSION {
			return Err(VaaError::UnsupportedVersion(version));
		}
		let guardian_set_index = r.u32()?;
		let count = r.u8()? as usize;
		let mut signatures = Vec::with_capacity(count);
		for _ in 0..count {
			let guardian_index = r.u8()?;
			let signature = r.array::<65>()?;
			signatures.push(Signature { guardian_index, signature });
		}
		let at = r.position();
		let body = Body::parse(r.rest()).map_err(|e| match e {
			VaaError::Truncated { at: inner, needed } => VaaError::Truncated { at: at + inner, needed },
			other => other,
		})?;
		Ok(Vaa { guardian_set_index, signatures, body })
	}

	/// The VAA's bytes. At most 255 signatures fit the count byte; the rest are not encoded.
	pub fn encode(&self) -> Vec<u8> {
		let count = self.signatures.len().min(255);
		let body = self.body.encode();
		let mut out = Vec::with_capacity(HEADER_LEN + SIGNATURE_LEN * count + body.len());
		out.push(VERSION);
		out.extend_from_slice(&self.guardian_set_index.to_be_bytes());
		out.push(count as u8);
		for s in &self.signatures[..count] {
			out.push(s.guardian_index);
			out.extend_from_slice(&s.signature);
		}
		out.extend_from_slice(&body);
		out
	}
}
