//! The records pallet-prover-staking stores, and the types it shares with other pallets.

use crate::{CircuitId, Config};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::fungible::Inspect, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Stake on its way out.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct UnbondingChunk<Balance, BlockNumber> {
	/// Base units.
	pub amount: Balance,
	/// The block from which it can be withdrawn.
	pub unlocks_at: BlockNumber,
}

/// A registered prover.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Prover<T: Config> {
	/// Active stake, base units: zero, or at least `MinimumStake`.
	pub stake: BalanceOf<T>,
	/// Of the active stake, what the prover's active locks reserve, base units: each lock
	/// reserves the stake its price requires, until it ends. New locks and unbonding only use
	/// the rest. (A slash can leave the stake below it; no new lock is then possible until
	/// enough locks end or stake is bonded.)
	pub reserved: BalanceOf<T>,
	/// Stake unbonding, oldest first.
	pub unbonding: BoundedVec<UnbondingChunk<BalanceOf<T>, BlockNumberFor<T>>, T::MaxUnbondingChunks>,
	/// Circuits served.
	pub circuits: BoundedVec<CircuitId, T::MaxCircuits>,
	/// The block it registered in.
	pub registered_at: BlockNumberFor<T>,
	/// The block of its last heartbeat, if any.
	pub last_heartbeat: Option<BlockNumberFor<T>>,
	/// Chilled by itself: takes no new jobs until it calls `activate`.
	pub chilled: bool,
	/// Suspended (after an offence) until this block, exclusive: takes no new jobs.
	pub suspended_until: Option<BlockNumberFor<T>>,
	/// Banned (fraud): takes no new jobs, ever; the record is kept so it cannot re-register.
	pub banned: bool,
}

impl<T: Config> Prover<T> {
	/// Active stake plus unbonding chunks: everything held, and everything a slash can take.
	pub fn slashable(&self) -> BalanceOf<T> {
		use sp_runtime::traits::Saturating;
		self.unbonding.iter().fold(self.stake, |sum, chunk| sum.saturating_add(chunk.amount))
	}

	/// The active stake not reserved by active locks, base units.
	pub fn free_stake(&self) -> BalanceOf<T> {
		use sp_runtime::traits::Saturating;
		self.stake.saturating_sub(self.reserved)
	}

	/// Whether it is suspended at block `now`.
	pub fn is_suspended(&self, now: BlockNumberFor<T>) -> bool {
		self.suspended_until.is_some_and(|until| now < until)
	}
}

/// [`Prover`] of a runtime.
pub type ProverOf<T> = Prover<T>;
