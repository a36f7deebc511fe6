//! The records pallet-prover-staking stores, and the types it shares with other pallets.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::fungible::Inspect, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;

/// A circuit, named by its verifying-key id (`blake2_256` of the key's EIP-197 bytes).
pub type CircuitId = H256;

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

	/// Whether it is suspended at block `now`.
	pub fn is_suspended(&self, now: BlockNumberFor<T>) -> bool {
		self.suspended_until.is_some_and(|until| now < until)
	}
}

/// [`Prover`] of a runtime.
pub type ProverOf<T> = Prover<T>;

/// Why a prover may not take a job.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
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
	/// Does not serve the job's circuit.
	CircuitNotServed,
	/// Active stake below what the job's price requires.
	StakeTooLow,
	/// Reputation tier does not allow the job's price.
	ReputationTooLow,
}

/// Whether a prover's reputation tier allows a job price. Implemented by a reputation pallet
/// in a later release; `()` allows every price.
pub trait ReputationTier<AccountId, Balance> {
	/// Whether `who` may take a job of `price` base units.
	fn allows(who: &AccountId, price: Balance) -> bool;
}

impl<AccountId, Balance> ReputationTier<AccountId, Balance> for () {
	fn allows(_: &AccountId, _: Balance) -> bool {
		true
	}
}

/// Told of each heartbeat a prover sends (the reputation pallet counts them for uptime). `()`
/// ignores them.
pub trait OnHeartbeat<AccountId, BlockNumber> {
	/// `who` sent a heartbeat at block `now`.
	fn on_heartbeat(who: &AccountId, now: BlockNumber);
}

impl<AccountId, BlockNumber> OnHeartbeat<AccountId, BlockNumber> for () {
	fn on_heartbeat(_: &AccountId, _: BlockNumber) {}
}
