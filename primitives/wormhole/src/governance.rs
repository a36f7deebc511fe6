//! The Core bridge's guardian-set upgrade (Wormhole `ethereum/contracts/GovernanceStructs.sol`
//! `parseGuardianSetUpgrade`, `Governance.sol` `submitNewGuardianSet`):
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 32 | module: `"Core"` left-padded with zeros |
//! | 32 | 1 | action: 2 |
//! | 33 | 2 | target chain (0: every chain) |
//! | 35 | 4 | new guardian set index |
//! | 39 | 1 | key count L |
//! | 40 | 20·L | keys (addresses), index order |
//!
//! Exactly `40 + 20·L` bytes. Wormhole's own rules around it: the VAA comes from the
//! governance emitter (chain 1, address `0x…04`), is signed by the current set, and the new
//! index is the current one plus 1; the replaced set stays valid for 24 hours.

use crate::{bytes::Reader, Address, ChainId};
use alloc::vec::Vec;

/// `"Core"`, left-padded to 32 bytes.
pub const CORE_MODULE: [u8; 32] = {
	let mut m = [0u8; 32];
	m[28] = b'C';
	m[29] = b'o';
	m[30] = b'r';
	m[31] = b'e';
	m
};
/// The guardian-set upgrade action.
pub const ACTION_GUARDIAN_SET_UPGRADE: u8 = 2;
/// Wormhole's governance emitter: chain 1 (Solana), address `0x00…04`.
pub const GOVERNANCE_CHAIN: ChainId = 1;
pub const GOVERNANCE_EMITTER: [u8; 32] = {
	let mut e = [0u8; 32];
	e[31] = 4;
	e
};
/// How long a replaced guardian set still signs (Wormhole `Setters.sol`), seconds.
pub const GUARDIAN_SET_GRACE: u64 = 86_400;

/// Why a payload is not a guardian-set upgrade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpgradeError {
	/// Shorter than its fields and keys.
	Truncated,
	/// The module is not `"Core"`.
	WrongModule,
	/// The action is not 2.
	WrongAction(u8),
	/// Bytes after the keys.
	TrailingBytes,
	/// No keys.
	NoKeys,
}

/// A guardian-set upgrade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardianSetUpgrade {
	/// The chain it is for; 0 for every chain.
	pub chain: ChainId,
	pub new_index: u32,
	pub keys: Vec<Address>,
}

impl GuardianSetUpgrade {
	pub fn parse(payload: &[u8]) -> Result<Self, UpgradeError> {
		let mut r = Reader::new(payload);
		let short = |_| UpgradeError::Truncated;
		if r.array::<32>().map_err(short)? != CORE_MODULE {
			return Err(UpgradeError::WrongModule);
		}
		let action = r.u8().map_err(short)?;
		if action != ACTION_GUARDIAN_SET_UPGRADE {
			return Err(UpgradeError::WrongAction(action));
		}
		let chain = r.u16().map_err(short)?;
		let new_index = r.u32().map_err(short)?;
		let count = r.u8().map_err(short)? as usize;
		let mut keys = Vec::with_capacity(count);
		for _ in 0..count {
			keys.push(r.array::<20>().map_err(short)?);
		}
		if r.remaining() != 0 {
			return Err(UpgradeError::TrailingBytes);
		}
		if keys.is_empty() {
			return Err(UpgradeError::NoKeys);
		}
		Ok(GuardianSetUpgrade { chain, new_index, keys })
	}

	/// The payload's bytes (at most 255 keys are encoded).
	pub fn encode(&self) -> Vec<u8> {
		let count = self.keys.len().min(255);
		let mut out = Vec::with_capacity(40 + 20 * count);
		out.extend_from_slice(&CORE_MODULE);
		out.push(ACTION_GUARDIAN_SET_UPGRADE);
		out.extend_from_slice(&self.chain.to_be_bytes());
		out.extend_from_slice(&self.new_index.to_be_bytes());
		out.push(count as u8);
		for key in &self.keys[..count] {
			out.extend_from_slice(key);
		}
		out
	}
}
