//! The records pallet-jobs stores, and the traits through which it reaches other pallets.

use crate::Config;
use cloudana_groth16::{Groth16Error, Proof, PublicInput};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::DispatchResult, traits::fungible::Inspect, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound,
	PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;

/// A job's id: sequential from 0.
pub type JobId = u64;

/// A circuit, named by its verifying-key id.
pub type CircuitId = H256;

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// What a requester offers for a job.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct JobTerms<Balance, BlockNumber> {
	/// Price at submission, base units.
	pub min_price: Balance,
	/// Price after `ramp_blocks`, base units; held in escrow at submission.
	pub max_price: Balance,
	/// Blocks over which the price rises linearly from `min_price` to `max_price`.
	pub ramp_blocks: BlockNumber,
	/// Blocks after submission during which the job can be locked; then it expires.
	pub lock_timeout: BlockNumber,
	/// Blocks a prover has, from locking, to submit a valid result.
	pub proof_timeout: BlockNumber,
	/// What the prover must hold while the job is locked, base units; forfeited to the
	/// requester if the prover times out or submits an invalid proof.
	pub collateral: Balance,
}

/// Where a job stands.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub enum JobStatus<T: Config> {
	/// Waiting for a prover.
	Open,
	/// Locked by a prover, who must submit a valid result before `expires_at`.
	Locked {
		/// The prover.
		prover: T::AccountId,
		/// The price fixed at locking, base units.
		price: BalanceOf<T>,
		/// The block it was locked in.
		locked_at: BlockNumberFor<T>,
		/// The first block at which the lock has timed out.
		expires_at: BlockNumberFor<T>,
	},
	/// Proven and paid.
	Completed {
		/// The prover paid.
		prover: T::AccountId,
		/// The price, base units.
		price: BalanceOf<T>,
		/// The part of the price paid to the treasury, base units.
		fee: BalanceOf<T>,
		/// The prover's outputs, which the proof attests.
		outputs: BoundedVec<PublicInput, T::MaxOutputs>,
		/// The block it completed in.
		at: BlockNumberFor<T>,
	},
	/// Cancelled by the requester before any lock.
	Cancelled {
		/// Refunded to the requester, base units.
		refund: BalanceOf<T>,
		/// Cancellation fee paid to the treasury, base units.
		fee: BalanceOf<T>,
	},
	/// Nobody proved it in time; the escrow went back to the requester.
	Expired {
		/// Refunded to the requester, base units.
		refund: BalanceOf<T>,
	},
}

/// A job.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Job<T: Config> {
	/// Who submitted it and holds its escrow.
	pub requester: T::AccountId,
	/// The circuit whose verifying key checks the proof.
	pub circuit: CircuitId,
	/// The requester's public inputs.
	pub inputs: BoundedVec<PublicInput, T::MaxInputs>,
	/// How many public outputs the prover supplies (the circuit's inputs minus binding and
	/// requester inputs).
	pub outputs: u32,
	/// The offer.
	pub terms: JobTermsOf<T>,
	/// The block it was submitted in; pricing starts here.
	pub submitted_at: BlockNumberFor<T>,
	/// The first block at which, if still open, it has expired.
	pub lock_expires_at: BlockNumberFor<T>,
	/// Where it stands.
	pub status: JobStatus<T>,
}

/// [`Job`] of a runtime.
pub type JobOf<T> = Job<T>;

/// [`JobTerms`] of a runtime.
pub type JobTermsOf<T> = JobTerms<BalanceOf<T>, BlockNumberFor<T>>;

/// [`JobStatus`] of a runtime.
pub type JobStatusOf<T> = JobStatus<T>;

/// What a prover did wrong, reported to [`ProverOutcomes`].
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Offence {
	/// Submitted a proof that did not verify.
	InvalidProof,
	/// Locked a job and did not prove it in time.
	Timeout,
}

/// Why a prover may not lock a job (reported by [`ProverRegistry`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum Ineligible {
	/// Not a registered prover.
	NotRegistered,
	/// Banned for fraud.
	Banned,
	/// Suspended after an offence.
	Suspended,
	/// Chilled by itself.
	Chilled,
	/// No active stake.
	Inactive,
	/// Does not serve the job's circuit.
	CircuitNotServed,
	/// Stake below the tier for the job's price.
	StakeTooLow,
	/// Reputation tier does not allow the job's price.
	ReputationTooLow,
}

/// Verifies proofs against registered verifying keys (implemented by the runtime with
/// `pallet-verifier`).
pub trait Verifier {
	/// How many public inputs the circuit's key takes; `None` if it is not registered.
	fn public_inputs(circuit: &CircuitId) -> Option<u32>;
	/// Marks the key as used by one more job, so it cannot be unregistered.
	fn acquire(circuit: &CircuitId) -> DispatchResult;
	/// Marks the key as used by one job fewer.
	fn release(circuit: &CircuitId);
	/// Verifies `proof` for the full statement `public_inputs`.
	fn verify(circuit: &CircuitId, public_inputs: &[PublicInput], proof: &Proof) -> Result<(), Groth16Error>;
}

/// Tells whether a prover may take a job (implemented by the runtime with
/// `pallet-prover-staking`).
pub trait ProverRegistry<AccountId, Balance> {
	/// `Ok` if `who` may lock a job on `circuit` at `price` base units.
	fn ensure_eligible(who: &AccountId, circuit: &CircuitId, price: Balance) -> Result<(), Ineligible>;
}

/// Receives what provers did on jobs: completions and offences. Reputation and slashing act
/// on them. `()` ignores them.
pub trait ProverOutcomes<AccountId> {
	/// `prover` completed `job` with a valid proof; `on_time` if the proof came in the first
	/// half of the proof window.
	fn on_completed(prover: &AccountId, job: JobId, on_time: bool);
	/// `prover` committed `offence` on `job`.
	fn on_offence(prover: &AccountId, job: JobId, offence: Offence);
}

impl<AccountId> ProverOutcomes<AccountId> for () {
	fn on_completed(_: &AccountId, _: JobId, _: bool) {}
	fn on_offence(_: &AccountId, _: JobId, _: Offence) {}
}

/// The platform fee a prover pays on a completed job (DESIGN: 10%, 8% for Diamond-tier
/// provers; implemented by the runtime with its parameters and pallet-reputation).
pub trait FeePolicy<AccountId> {
	/// The share of the price paid to the treasury when `prover` completes a job.
	fn fee_rate(prover: &AccountId) -> sp_runtime::Perbill;
}

/// What benchmarks need from the rest of the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers the verifying key of
	/// `cloudana_groth16::simulator::Trapdoor::new(crate::BENCHMARK_SEED, public_inputs)` and
	/// returns its id.
	fn register_circuit(public_inputs: u32) -> CircuitId;
	/// Makes `who` (already funded) a prover of `circuit` eligible for any price.
	fn register_prover(who: &AccountId, circuit: CircuitId);
}

/// A multi-slot (grid) job's id: sequential from 0, a separate sequence from [`JobId`].
pub type GridId = u64;

/// A slot's index in its grid job, from 0.
pub type SlotIndex = u32;

/// The job number a grid slot's binding input is computed with: bit 63 set (plain job ids stay
/// below 2⁶³), the grid id in bits 16–62, the slot in bits 0–15. So a proof for one slot is
/// good for no other slot, grid, job, prover or chain.
pub fn grid_binding_job(grid: GridId, slot: SlotIndex) -> u64 {
	(1u64 << 63) | ((grid & ((1u64 << 47) - 1)) << 16) | (slot as u64 & 0xffff)
}

/// What a requester offers for a grid job.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct GridTerms<Balance, BlockNumber> {
	/// Paid out at close to the provers of proven slots (50% to the best metric, the rest
	/// equally to the others), base units; held in escrow at submission.
	pub bounty: Balance,
	/// What a prover holds while it has a slot locked, base units; forfeited to the requester
	/// if it times out or submits an invalid proof.
	pub collateral: Balance,
	/// Blocks a prover has, from locking a slot, to prove it (never past the close).
	pub proof_timeout: BlockNumber,
	/// Blocks from submission to the close (earlier if every slot is proven).
	pub duration: BlockNumber,
}

/// [`GridTerms`] of a runtime.
pub type GridTermsOf<T> = GridTerms<BalanceOf<T>, BlockNumberFor<T>>;

/// A slot's hyper-parameters: bytes the chain does not interpret (the prover daemon does), at
/// most `MaxHyperParamsLen`.
pub type HyperParamsOf<T> = BoundedVec<u8, <T as Config>::MaxHyperParamsLen>;

/// Where a slot stands.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub enum SlotState<T: Config> {
	/// Waiting for a prover.
	Open,
	/// Locked by a prover, who must prove it before `expires_at`.
	Locked {
		/// The prover.
		prover: T::AccountId,
		/// The block it was locked in.
		locked_at: BlockNumberFor<T>,
		/// The first block at which the lock has timed out.
		expires_at: BlockNumberFor<T>,
	},
	/// Proven: its metric counts at the close.
	Proven {
		/// The prover.
		prover: T::AccountId,
		/// The proven metric (the job's metric output), higher is better.
		metric: u128,
		/// The block it was proven in (earlier wins a tie).
		at: BlockNumberFor<T>,
	},
}

/// One slot of a grid job.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Slot<T: Config> {
	/// Its hyper-parameters.
	pub params: HyperParamsOf<T>,
	/// Where it stands.
	pub state: SlotState<T>,
}

/// What a proven slot was paid at the close.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct SlotPayout<T: Config> {
	/// The slot.
	pub slot: SlotIndex,
	/// Its prover.
	pub prover: T::AccountId,
	/// Its metric.
	pub metric: u128,
	/// Paid to the prover, base units (its share less the fee).
	pub paid: BalanceOf<T>,
	/// Paid to the treasury out of its share, base units.
	pub fee: BalanceOf<T>,
}

/// Where a grid job stands.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub enum GridStatus<T: Config> {
	/// Slots can be locked and proven until `closes_at`.
	Open,
	/// Closed and paid out.
	Closed {
		/// The proven slots, best first (the leaderboard), with what each was paid.
		payouts: BoundedVec<SlotPayout<T>, T::MaxSlots>,
		/// Refunded to the requester, base units (all of the bounty if no slot was proven;
		/// the half meant for the others if only one was).
		refund: BalanceOf<T>,
		/// The block it closed in.
		at: BlockNumberFor<T>,
	},
}

/// A multi-slot (grid) job: one circuit and dataset, one slot per hyper-parameter vector.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct GridJob<T: Config> {
	/// Who submitted it and holds its escrow.
	pub requester: T::AccountId,
	/// The circuit whose verifying key checks each slot's proof.
	pub circuit: CircuitId,
	/// The requester's public inputs (e.g. the dataset commitment), the same for every slot.
	pub inputs: BoundedVec<PublicInput, T::MaxInputs>,
	/// How many public outputs a slot's prover supplies.
	pub outputs: u32,
	/// Which output is the metric slots are ranked by (a big-endian scalar below 2¹²⁸).
	pub metric_output: u32,
	/// The offer.
	pub terms: GridTermsOf<T>,
	/// The block it was submitted in.
	pub submitted_at: BlockNumberFor<T>,
	/// The block it closes in, unless every slot is proven earlier.
	pub closes_at: BlockNumberFor<T>,
	/// The slots.
	pub slots: BoundedVec<Slot<T>, T::MaxSlots>,
	/// Where it stands.
	pub status: GridStatus<T>,
}

/// [`GridJob`] of a runtime.
pub type GridJobOf<T> = GridJob<T>;

/// A deadline in the grid queue: a slot's lock timing out, or the grid closing.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum GridDeadline {
	/// A slot's lock times out.
	Slot(GridId, SlotIndex),
	/// The grid closes.
	Close(GridId),
}
