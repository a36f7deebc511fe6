//! Verification of a VAA against a guardian set, as Wormhole's core contract does it
//! (`ethereum/contracts/Messages.sol` `verifyVMInternal` and `verifySignatures`;
//! `sdk/vaa/quorum.go`).

use crate::{vaa::Vaa, Address, Crypto};

/// A guardian set: its index and its keys in index order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuardianSet<'a> {
	pub index: u32,
	pub keys: &'a [Address],
	/// Unix seconds after which this set, once it is no longer the current one, signs
	/// nothing (Wormhole keeps a replaced set for 24 hours). 0: no grace.
	pub expiration_time: u64,
}

/// Why a VAA does not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyError {
	/// The VAA names guardian set `vaa`; it was checked against set `set`.
	WrongGuardianSet { vaa: u32, set: u32 },
	/// The set has no keys.
	EmptyGuardianSet,
	/// The set has 256 keys or more (indices are one byte).
	TooManyGuardians,
	/// The set is no longer current and its expiry has passed.
	GuardianSetExpired { expired_at: u64, now: u64 },
	/// Fewer signatures than the quorum `⌊2n/3⌋ + 1`.
	NoQuorum { signatures: usize, quorum: usize },
	/// A guardian index is not above the one before it (each guardian signs once, in order).
	IndicesNotAscending { index: u8 },
	/// A guardian index is not below the set's size.
	GuardianIndexOutOfRange { index: u8, size: usize },
	/// A recovery id other than 0 or 1.
	BadRecoveryId { index: u8, v: u8 },
	/// The signature recovers to no key, or to another key than the guardian's.
	SignatureInvalid { index: u8 },
}

impl core::fmt::Display for VerifyError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			VerifyError::WrongGuardianSet { vaa, set } => write!(f, "signed by guardian set {vaa}, checked against set {set}"),
			VerifyError::EmptyGuardianSet => write!(f, "the guardian set has no keys"),
			VerifyError::TooManyGuardians => write!(f, "the guardian set has more than 255 keys"),
			VerifyError::GuardianSetExpired { expired_at, now } =>
				write!(f, "the guardian set expired at {expired_at} (now {now})"),
			VerifyError::NoQuorum { signatures, quorum } => write!(f, "{signatures} signature(s), the quorum is {quorum}"),
			VerifyError::IndicesNotAscending { index } => write!(f, "guardian index {index} is not above the previous one"),
			VerifyError::GuardianIndexOutOfRange { index, size } =>
				write!(f, "guardian index {index} is outside the set of {size}"),
			VerifyError::BadRecoveryId { index, v } => write!(f, "guardian {index}'s signature has v = {v} (0 or 1 expected)"),
			VerifyError::SignatureInvalid { index } => write!(f, "guardian {index}'s signature does not recover to its key"),
		}
	}
}

/// Signatures a set of `n` guardians needs: `⌊2n/3⌋ + 1` (13 of 19).
pub const fn quorum(n: usize) -> usize {
	n * 2 / 3 + 1
}

/// Verifies `vaa` against `set`; `current_index` is the bridge's current set, `now` Unix
/// seconds. Returns the body's digest, the key for replay protection.
pub fn verify<C: Crypto>(
	crypto: &C,
	vaa: &Vaa,
	set: &GuardianSet<'_>,
	current_index: u32,
	now: u64,
) -> Result<[u8; 32], VerifyError> {
	if vaa.guardian_set_index != set.index {
		return Err(VerifyError::WrongGuardianSet { vaa: vaa.guardian_set_index, set: set.index });
	}
	let size = set.keys.len();
	if size == 0 {
		return Err(VerifyError::EmptyGuardianSet);
	}
	if size > 255 {
		return Err(VerifyError::TooManyGuardians);
	}
	if set.index != current_index && set.expiration_time < now {
		return Err(VerifyError::GuardianSetExpired { expired_at: set.expiration_time, now });
	}
	let needed = quorum(size);
	if vaa.signatures.len() < needed {
		return Err(VerifyError::NoQuorum { signatures: vaa.signatures.len(), quorum: needed });
	}
	let digest = vaa.body.digest(crypto);
	let mut last: Option<u8> = None;
	for s in &vaa.signatures {
		let index = s.guardian_index;
		if last.is_some_and(|last| index <= last) {
			return Err(VerifyError::IndicesNotAscending { index });
		}
		last = Some(index);
		if index as usize >= size {
			return Err(VerifyError::GuardianIndexOutOfRange { index, size });
		}
		let v = s.signature[64];
		if v > 1 {
			return Err(VerifyError::BadRecoveryId { index, v });
		}
		let key = crypto.secp256k1_recover(&s.signature, &digest).ok_or(VerifyError::SignatureInvalid { index })?;
		if crypto.address(&key) != set.keys[index as usize] {
			return Err(VerifyError::SignatureInvalid { index });
		}
	}
	Ok(digest)
}
