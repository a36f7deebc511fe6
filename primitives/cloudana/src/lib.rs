//! # Cloudana primitives
//!
//! The vocabulary Cloudana's pallets, node, prover daemon and CLI share, declared once:
//!
//! - ids: [`JobId`], [`GridId`], [`SlotIndex`], [`CircuitId`], and [`WorkId`], the one name of
//!   a piece of provable work (a job, or one slot of a grid job), with its binding input;
//! - [`Offence`]: what a prover can be slashed for; [`Ineligibility`]: why a prover may not lock
//!   work; [`VerifyError`]: why a verification failed, and whose fault that is;
//! - [`traits`]: the traits through which pallets reach each other (each names the pallet that
//!   needs it and the one that implements it);
//! - [`grid`]: how a grid job's proven slots are ranked and paid, shared by pallet-jobs and the
//!   CLI;
//! - [`offchain`]: the off-chain storage keys the node writes and the prover worker reads;
//! - [`wire`] (feature `serde`): the JSON-RPC types of the prover daemon, shared by the
//!   off-chain worker, the daemon and the CLI.
//!
//! Amounts are base units (12 decimals on Cloudana: 1 CLD = 10¹² base units); times are blocks
//! unless a name says otherwise (`_ms`: milliseconds).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod artifacts;
pub mod grid;
pub mod offchain;
pub mod traits;
#[cfg(feature = "serde")]
pub mod wire;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

pub use cloudana_groth16::{Groth16Error, Proof, PublicInput};

/// A job's id: sequential from 0.
pub type JobId = u64;

/// A grid (multi-slot) job's id: sequential from 0, a sequence of its own.
pub type GridId = u64;

/// A slot's index in its grid job, from 0.
pub type SlotIndex = u32;

/// A pending slash's id (pallet-slashing): sequential from 0.
pub type SlashId = u64;

/// A circuit, named by its verifying-key id (`blake2_256` of the key's EIP-197 bytes).
pub type CircuitId = sp_core::H256;

/// A piece of provable work: one prover locks it, proves it and is paid or penalised for it.
///
/// SCALE: `0x00 ‖ job (u64 LE)` or `0x01 ‖ grid (u64 LE) ‖ slot (u32 LE)`. JSON (the daemon's
/// wire format): `{"job": 3}` or `{"slot": [2, 1]}`.
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum WorkId {
	/// A plain job.
	#[codec(index = 0)]
	Job(JobId),
	/// One slot of a grid job.
	#[codec(index = 1)]
	Slot(GridId, SlotIndex),
}

impl WorkId {
	/// The binding public input of this work for `prover` (SCALE-encoded account) on the chain
	/// with `genesis_hash`: `cloudana_groth16::statement::binding_input(genesis, SCALE(self),
	/// prover)`. Built-in circuits take it as public input 0, so a proof is good for one piece of
	/// work, one prover and one chain only.
	pub fn binding(&self, genesis_hash: &[u8; 32], prover: &[u8]) -> PublicInput {
		cloudana_groth16::statement::binding_input(genesis_hash, &self.encode(), prover)
	}
}

impl core::fmt::Display for WorkId {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			WorkId::Job(job) => write!(f, "job {job}"),
			WorkId::Slot(grid, slot) => write!(f, "slot {slot} of grid {grid}"),
		}
	}
}

/// What a prover did wrong. Pallet-jobs observes the first two, pallet-slashing derives the
/// third, the disputes pallet (a later release) the fourth; each has its own slash share and
/// reputation penalty (runtime parameters).
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum Offence {
	/// Locked work and did not prove it in time.
	#[codec(index = 0)]
	Timeout,
	/// Submitted a proof that did not verify.
	#[codec(index = 1)]
	InvalidProof,
	/// `FailureThreshold` failures (timeouts or invalid proofs) within `FailureWindow`.
	#[codec(index = 2)]
	RepeatedFailures,
	/// Lost a dispute.
	#[codec(index = 3)]
	Fraud,
}

impl Offence {
	/// Whether it counts towards the repeated-failures rule.
	pub fn is_failure(self) -> bool {
		matches!(self, Offence::Timeout | Offence::InvalidProof)
	}
}

/// Why a prover may not lock a piece of work. Returned by pallet-prover-staking, carried as is
/// in pallet-jobs' `ProverIneligible` error.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	frame_support::PalletError,
)]
pub enum Ineligibility {
	/// Not a registered prover.
	NotRegistered,
	/// Banned for fraud.
	Banned,
	/// Suspended after an offence.
	Suspended,
	/// Chilled by itself.
	Chilled,
	/// No active stake (all of it unbonding).
	Inactive,
	/// Does not serve the work's circuit.
	CircuitNotServed,
	/// Active stake below what the work's price requires.
	StakeTooLow,
	/// Active stake enough for the price alone, but not on top of what the prover's other
	/// active locks already reserve.
	StakeCommitted,
	/// Reputation tier does not allow the work's price.
	ReputationTooLow,
}

/// Why a verification did not succeed, and whose fault it is.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum VerifyError {
	/// No verifying key with this id is registered: the chain's (or the requester's) fault.
	UnknownKey,
	/// The proof or the statement was refused; the reason says which check failed.
	Rejected(Groth16Error),
}

impl VerifyError {
	/// Whether the prover is to blame: only a proof that is malformed or fails the pairing
	/// check is ([`Groth16Error::is_proof_fault`]). An unknown key, a malformed stored key, a
	/// statement of the wrong length or with an input `≥ r` are not.
	pub fn blames_prover(&self) -> bool {
		match self {
			VerifyError::UnknownKey => false,
			VerifyError::Rejected(reason) => reason.is_proof_fault(),
		}
	}
}

/// A piece of work completed with a valid proof, as pallet-jobs reports it to
/// [`traits::WorkOutcomes`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CompletedWork<AccountId, Balance> {
	/// The work.
	pub work: WorkId,
	/// Who asked (and paid) for it.
	pub requester: AccountId,
	/// Who proved it.
	pub prover: AccountId,
	/// Its circuit.
	pub circuit: CircuitId,
	/// What it paid, base units (a grid slot: its share of the bounty).
	pub price: Balance,
	/// Whether the proof came in the first half of the proof window.
	pub on_time: bool,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn work_ids_encode_with_their_tag_and_bind_apart() {
		assert_eq!(WorkId::Job(3).encode(), [&[0u8][..], &3u64.to_le_bytes()].concat());
		assert_eq!(WorkId::Slot(2, 1).encode(), [&[1u8][..], &2u64.to_le_bytes(), &1u32.to_le_bytes()].concat());
		let genesis = [7; 32];
		let prover = [9; 32];
		let job = WorkId::Job(1).binding(&genesis, &prover);
		assert_ne!(job, WorkId::Slot(1, 0).binding(&genesis, &prover));
		assert_ne!(WorkId::Slot(0, 1).binding(&genesis, &prover), WorkId::Slot(1, 0).binding(&genesis, &prover));
		assert_ne!(job, WorkId::Job(1).binding(&genesis, &[8; 32]));
		assert_ne!(job, WorkId::Job(1).binding(&[6; 32], &prover));
	}

	#[test]
	fn only_proof_faults_blame_the_prover() {
		use cloudana_groth16::Element;
		assert!(VerifyError::Rejected(Groth16Error::ProofInvalid).blames_prover());
		assert!(VerifyError::Rejected(Groth16Error::PointNotOnCurve(Element::ProofB)).blames_prover());
		assert!(!VerifyError::Rejected(Groth16Error::PointNotOnCurve(Element::Ic(1))).blames_prover());
		assert!(!VerifyError::Rejected(Groth16Error::PublicInputNotInField(Element::PublicInput(1))).blames_prover());
		assert!(!VerifyError::Rejected(Groth16Error::MalformedPreparedKey).blames_prover());
		assert!(!VerifyError::UnknownKey.blames_prover());
	}
}
