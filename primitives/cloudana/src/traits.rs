//! The traits through which Cloudana's pallets reach each other. Each is named in the `Config`
//! of the pallet that needs it and implemented by the pallet that provides it, for itself; the
//! runtime only wires them (`type Verifier = Verifier;`), and listeners are tuples
//! (`type Outcomes = (Reputation, Slashing);`), so no runtime code decides anything.
//!
//! | trait | needed by | implemented by |
//! |---|---|---|
//! | [`Verifier`] | pallet-jobs | pallet-verifier |
//! | [`CircuitOwner`] | pallet-reputation | pallet-verifier |
//! | [`ProverRegistry`] | pallet-jobs | pallet-prover-staking |
//! | [`WorkOutcomes`] | pallet-jobs | pallet-reputation, pallet-slashing |
//! | [`OffenceListener`] | pallet-slashing | pallet-reputation |
//! | [`StakeLedger`] | pallet-slashing | pallet-prover-staking |
//! | [`ReputationTier`] | pallet-prover-staking | pallet-reputation |
//! | [`OnHeartbeat`] | pallet-prover-staking | pallet-reputation |
//! | [`FeePolicy`] | pallet-jobs | the runtime (its fee parameters and pallet-reputation's tiers) |

use crate::{CircuitId, CompletedWork, Offence, Proof, PublicInput, VerifyError, WorkId, Ineligibility};
use frame_support::traits::fungible::{Balanced, Credit, Inspect};
use sp_runtime::{DispatchResult, Perbill};

/// Verifies proofs against registered verifying keys.
pub trait Verifier {
	/// How many public inputs the circuit's key takes; `None` if it is not registered.
	fn public_inputs(circuit: &CircuitId) -> Option<u32>;
	/// Counts one more user of the key, so it cannot be unregistered while work uses it.
	fn acquire(circuit: &CircuitId) -> DispatchResult;
	/// Counts one user of the key fewer.
	fn release(circuit: &CircuitId);
	/// Verifies `proof` for the full statement `public_inputs`.
	fn verify(circuit: &CircuitId, public_inputs: &[PublicInput], proof: &Proof) -> Result<(), VerifyError>;
}

/// Who registered a verifying key (and so may know its trapdoor).
pub trait CircuitOwner<AccountId> {
	/// The key's owner; `None` if it is not registered.
	fn owner(circuit: &CircuitId) -> Option<AccountId>;
}

/// Which provers may lock which work, and the stake each active lock reserves.
pub trait ProverRegistry<AccountId, Balance> {
	/// `Ok` if `who` may lock work on `circuit` at `price` base units now, on top of the stake
	/// its other active locks reserve.
	fn ensure_eligible(who: &AccountId, circuit: &CircuitId, price: Balance) -> Result<(), Ineligibility>;
	/// Checks [`ProverRegistry::ensure_eligible`] and reserves the stake `price` requires for
	/// one more active lock; returns the amount reserved (to be given back to `unreserve`).
	fn reserve(who: &AccountId, circuit: &CircuitId, price: Balance) -> Result<Balance, Ineligibility>;
	/// Gives back a reservation made by [`ProverRegistry::reserve`] when its lock ends.
	fn unreserve(who: &AccountId, amount: Balance);
}

/// Hears what happened to work: completions, offences, and records pruned. Implemented for
/// tuples, each member hearing everything.
pub trait WorkOutcomes<AccountId, Balance> {
	/// Work was completed with a valid proof.
	fn on_completed(_completed: &CompletedWork<AccountId, Balance>) {}
	/// `prover` committed `offence` on `work` (pallet-jobs observed it).
	fn on_offence(_prover: &AccountId, _work: WorkId, _offence: Offence) {}
	/// The record of `work` was pruned: nothing can refer to it any more.
	fn on_reaped(_work: WorkId) {}
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl<AccountId, Balance> WorkOutcomes<AccountId, Balance> for Tuple {
	fn on_completed(completed: &CompletedWork<AccountId, Balance>) {
		for_tuples!( #( Tuple::on_completed(completed); )* );
	}
	fn on_offence(prover: &AccountId, work: WorkId, offence: Offence) {
		for_tuples!( #( Tuple::on_offence(prover, work, offence); )* );
	}
	fn on_reaped(work: WorkId) {
		for_tuples!( #( Tuple::on_reaped(work); )* );
	}
}

/// Hears each offence pallet-slashing records (once per offence, duplicates filtered), the
/// repeated-failures offence it derives included.
pub trait OffenceListener<AccountId> {
	/// `offender` committed `offence` on `work`; its slash is pending.
	fn on_offence_recorded(offender: &AccountId, work: WorkId, offence: Offence);
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl<AccountId> OffenceListener<AccountId> for Tuple {
	fn on_offence_recorded(offender: &AccountId, work: WorkId, offence: Offence) {
		for_tuples!( #( Tuple::on_offence_recorded(offender, work, offence); )* );
	}
}

/// Where provers' stake lives, for slashing it.
pub trait StakeLedger<AccountId, BlockNumber, C: Inspect<AccountId> + Balanced<AccountId>> {
	/// What a slash could take now, base units.
	fn slashable(who: &AccountId) -> C::Balance;
	/// Takes up to `amount` of `who`'s stake; the credit holds what was taken (dropping it
	/// burns it).
	fn slash(who: &AccountId, amount: C::Balance) -> Credit<AccountId, C>;
	/// Stops `who` locking new work until `until` (exclusive).
	fn suspend(who: &AccountId, until: BlockNumber);
	/// Lifts the suspension `suspend(who, until)` set, unless a longer one replaced it.
	fn lift_suspension(who: &AccountId, until: BlockNumber);
	/// Stops `who` locking new work for good.
	fn ban(who: &AccountId);
}

/// Whether a prover's reputation tier allows a price. `()` allows every price.
pub trait ReputationTier<AccountId, Balance> {
	/// Whether `who` may lock work of `price` base units.
	fn allows(who: &AccountId, price: Balance) -> bool;
}

impl<AccountId, Balance> ReputationTier<AccountId, Balance> for () {
	fn allows(_: &AccountId, _: Balance) -> bool {
		true
	}
}

/// Hears each heartbeat a prover sends. `()` ignores them.
pub trait OnHeartbeat<AccountId, BlockNumber> {
	/// `who` sent a heartbeat at block `now`.
	fn on_heartbeat(who: &AccountId, now: BlockNumber);
}

impl<AccountId, BlockNumber> OnHeartbeat<AccountId, BlockNumber> for () {
	fn on_heartbeat(_: &AccountId, _: BlockNumber) {}
}

/// The platform fee a prover pays on completed work.
pub trait FeePolicy<AccountId> {
	/// The share of the price paid to the treasury when `prover` completes work.
	fn fee_rate(prover: &AccountId) -> Perbill;
}
