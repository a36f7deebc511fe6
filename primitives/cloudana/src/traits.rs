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
//! | [`WorkOutcomes`] | pallet-jobs | pallet-reputation, pallet-slashing, pallet-disputes |
//! | [`OffenceListener`] | pallet-slashing | pallet-reputation |
//! | [`StakeLedger`] | pallet-slashing, pallet-disputes | pallet-prover-staking |
//! | [`ReputationTier`] | pallet-prover-staking | pallet-reputation |
//! | [`OnHeartbeat`] | pallet-prover-staking | pallet-reputation |
//! | [`FeePolicy`] | pallet-jobs | the runtime (its fee parameters and pallet-reputation's tiers) |
//! | [`SlashDisputes`] | pallet-disputes | pallet-slashing |
//! | [`DisputableWork`] | pallet-disputes | pallet-jobs |

use crate::{CircuitId, CompletedWork, Ineligibility, Offence, Proof, PublicInput, SlashId, VerifyError, WorkId};
use frame_support::traits::fungible::{Balanced, Credit, Inspect};
use alloc::vec::Vec;
use frame_support::weights::Weight;
use sp_runtime::{DispatchResult, Perbill};

/// Verifies proofs against registered verifying keys.
pub trait Verifier {
	/// How many public inputs the circuit's key takes; `None` if it is not registered.
	fn public_inputs(circuit: &CircuitId) -> Option<u32>;
	/// Whether governance revoked the circuit's key: work on it is provably unprovable. A key
	/// its owner unregistered is not revoked (no work used it then).
	fn revoked(_circuit: &CircuitId) -> bool {
		false
	}
	/// Counts one more user of the key, so it cannot be unregistered while work uses it.
	fn acquire(circuit: &CircuitId) -> DispatchResult;
	/// Counts one user of the key fewer.
	fn release(circuit: &CircuitId);
	/// Verifies `proof` for the full statement `public_inputs`.
	fn verify(circuit: &CircuitId, public_inputs: &[PublicInput], proof: &Proof) -> Result<(), VerifyError>;
	/// Verifies several proofs under one key together, each for its own full statement, and
	/// finds the invalid ones in a batch that fails (by bisection, within
	/// [`Verifier::bisection_weight`]); returns one [`Verdict`] per statement, in order, and the
	/// weight spent beyond the first batch check.
	fn verify_batch(circuit: &CircuitId, statements: &[(Vec<PublicInput>, Proof)]) -> (Vec<Verdict>, Weight);
	/// The most [`Verifier::verify_batch`] spends beyond its first batch check on `count`
	/// statements of `inputs` public inputs each.
	fn bisection_weight(count: u32, inputs: u32) -> Weight;
}

/// The largest batch a [`Verifier`] must verify, and the largest its batch weight is
/// benchmarked for: a batch user's bound (pallet-jobs' `MaxBatch`) must not exceed it.
pub const MAX_BENCHMARKED_BATCH: u32 = 256;

/// What a batch verification says of one statement.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Verdict {
	/// The proof is valid (for a batch: the batch check it took part in held).
	Valid,
	/// The proof or statement was refused, as [`Verifier::verify`] would refuse it.
	Invalid(VerifyError),
	/// Its batch failed and the bisection budget ran out before this statement was decided:
	/// nothing is settled for it (it can be sent again).
	Unresolved,
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
	/// The slash of an offence recorded earlier was cancelled (by governance, or by an upheld
	/// appeal): the offence no longer counts against `offender`.
	fn on_offence_cancelled(offender: &AccountId, work: WorkId, offence: Offence);
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl<AccountId> OffenceListener<AccountId> for Tuple {
	fn on_offence_recorded(offender: &AccountId, work: WorkId, offence: Offence) {
		for_tuples!( #( Tuple::on_offence_recorded(offender, work, offence); )* );
	}
	fn on_offence_cancelled(offender: &AccountId, work: WorkId, offence: Offence) {
		for_tuples!( #( Tuple::on_offence_cancelled(offender, work, offence); )* );
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
	/// A dispute about `who`'s work opened with `at_stake` base units at stake (what its
	/// verdict could take): until the matching [`StakeLedger::dispute_closed`], withdrawals
	/// leave `who` at least the sum at stake in its open disputes, so the verdict can still
	/// slash it. The rest of the stake stays free to leave.
	fn dispute_opened(who: &AccountId, at_stake: C::Balance);
	/// The dispute `dispute_opened(who, at_stake)` recorded closed.
	fn dispute_closed(who: &AccountId, at_stake: C::Balance);
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

/// A pending slash as pallet-disputes sees it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DisputedSlash<AccountId, Balance> {
	/// The prover.
	pub offender: AccountId,
	/// Its offence.
	pub kind: Offence,
	/// The work it committed it on.
	pub work: WorkId,
	/// The slash, base units.
	pub amount: Balance,
	/// Whether an appeal froze it already.
	pub frozen: bool,
}

/// What a fraud verdict took from a prover's stake, base units.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct FraudSlash<Balance> {
	/// Taken from the stake.
	pub amount: Balance,
	/// Paid to the wronged requester.
	pub to_victim: Balance,
	/// Paid to the treasury.
	pub to_treasury: Balance,
}

/// Pending slashes that a prover may appeal, and the fraud slash of an upheld challenge.
pub trait SlashDisputes<AccountId, Balance> {
	/// A pending (not yet applied, not cancelled) slash.
	fn pending(slash: SlashId) -> Option<DisputedSlash<AccountId, Balance>>;
	/// Stops a pending slash from being applied until [`SlashDisputes::cancel`] or
	/// [`SlashDisputes::apply`]; `false` if it is not pending.
	fn freeze(slash: SlashId) -> bool;
	/// Cancels a pending (frozen or not) slash: lifts its suspension and tells the offence
	/// listeners (the reputation penalty is given back). Does nothing if it is not pending.
	fn cancel(slash: SlashId);
	/// Applies a pending (frozen or not) slash now. Does nothing if it is not pending.
	fn apply(slash: SlashId);
	/// What a fraud verdict on `offender` would take if decided now (the fraud share of its
	/// slashable stake), base units: the amount a challenge of its work keeps at stake.
	fn fraud_exposure(offender: &AccountId) -> Balance;
	/// Fraud on `work`, decided: bans `offender`, reports the offence, and slashes the fraud
	/// share of its stake at once (never less than `at_stake`, the exposure its challenge kept
	/// when it opened, so a prover that withdrew the rest meanwhile still loses that), part to
	/// `victim` (at most `victim_cap`: the work's value, so a requester never gains more than
	/// it put in) and the rest to the treasury.
	fn punish_fraud(
		offender: &AccountId,
		work: WorkId,
		victim: &AccountId,
		victim_cap: Balance,
		at_stake: Balance,
	) -> FraudSlash<Balance>;
}

/// The parties to a piece of work, as pallet-disputes needs them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct WorkParties<AccountId, BlockNumber, Balance> {
	/// Who asked (and paid) for it.
	pub requester: AccountId,
	/// What it is worth to the requester, base units: a job's price (the price paid once
	/// completed, else its maximum) plus the prover's collateral; a grid slot's the grid's
	/// bounty plus its collateral. Caps what a fraud verdict pays the requester.
	pub value: Balance,
	/// Its circuit.
	pub circuit: CircuitId,
	/// The prover that completed it and the block it did, if it is completed (a grid slot:
	/// proven).
	pub completed: Option<(AccountId, BlockNumber)>,
}

/// Work that can be disputed.
pub trait DisputableWork<AccountId, BlockNumber, Balance> {
	/// The work's parties; `None` if it does not exist (never submitted, or pruned).
	fn parties(work: WorkId) -> Option<WorkParties<AccountId, BlockNumber, Balance>>;
	/// Whether the chain itself can tell that nobody could ever prove `work`: an input is not
	/// a field element, or its circuit's verifying key is no longer registered.
	fn provably_unprovable(work: WorkId) -> bool;
}
