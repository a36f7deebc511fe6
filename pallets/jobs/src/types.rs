//! The records pallet-jobs stores.

use crate::Config;
use cloudana_primitives::{CircuitId, GridId, JobId, PublicInput, SlotIndex, VerifyError, WorkId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::fungible::Inspect, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A record the pallet keeps: a job or a grid job. Each holds a storage deposit until it is
/// pruned.
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum RecordId {
	/// A job.
	Job(JobId),
	/// A grid job.
	Grid(GridId),
}

/// A deadline in the one queue every record's next step waits in: when its block comes, the
/// pallet looks at the record and does what is due, if anything still is (an entry whose record
/// moved on is skipped).
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum Deadline {
	/// A job: its lock window closes (open: it expires), its lock times out (locked: it opens
	/// again or expires), or its retention period ends (finished: it is pruned).
	Job(JobId),
	/// A grid slot's lock times out (it opens again).
	Slot(GridId, SlotIndex),
	/// A grid job: it closes and pays out (open), or its retention period ends (closed: it is
	/// pruned).
	Grid(GridId),
}

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
	/// Blocks a prover has, from locking, to submit a valid result: `MinProofTimeout` to
	/// `MaxProofTimeout`.
	pub proof_timeout: BlockNumber,
	/// What the prover must hold while the job is locked, base units; burned if the prover
	/// times out or submits an invalid proof.
	pub collateral: Balance,
}

/// [`JobTerms`] of a runtime.
pub type JobTermsOf<T> = JobTerms<BalanceOf<T>, BlockNumberFor<T>>;

/// A prover's hold on a piece of work: a job or a grid slot.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Lock<T: Config> {
	/// The prover.
	pub prover: T::AccountId,
	/// The price fixed at locking (a grid slot: its share of the bounty), base units.
	pub price: BalanceOf<T>,
	/// The stake the lock reserves (`ProverRegistry::reserve`), base units.
	pub reserved: BalanceOf<T>,
	/// The block it was locked in.
	pub locked_at: BlockNumberFor<T>,
	/// The first block at which it has timed out.
	pub expires_at: BlockNumberFor<T>,
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
	/// Locked by a prover, who must submit a valid result before `lock.expires_at`.
	Locked(Lock<T>),
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
		/// The block it was cancelled in.
		at: BlockNumberFor<T>,
	},
	/// Nobody proved it in time; the escrow went back to the requester.
	Expired {
		/// Refunded to the requester, base units.
		refund: BalanceOf<T>,
		/// The block it expired in.
		at: BlockNumberFor<T>,
	},
	/// A result failed for a reason that is not the prover's proof (the verifying key or the
	/// statement): nobody can prove it. The escrow went back to the requester, the prover's
	/// collateral and stake back to the prover, and no offence was reported.
	Void {
		/// The prover whose result revealed it.
		prover: T::AccountId,
		/// What failed.
		reason: VerifyError,
		/// The block it was voided in.
		at: BlockNumberFor<T>,
	},
}

impl<T: Config> JobStatus<T> {
	/// The block a finished job finished in; `None` while it is open or locked.
	pub fn finished_at(&self) -> Option<BlockNumberFor<T>> {
		match self {
			JobStatus::Open | JobStatus::Locked(_) => None,
			JobStatus::Completed { at, .. } |
			JobStatus::Cancelled { at, .. } |
			JobStatus::Expired { at, .. } |
			JobStatus::Void { at, .. } => Some(*at),
		}
	}
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
	/// The requester's public inputs, each below the BN254 scalar modulus r.
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
	/// The storage deposit held from the requester until the record is pruned, base units.
	pub deposit: BalanceOf<T>,
	/// Where it stands.
	pub status: JobStatus<T>,
}

/// [`Job`] of a runtime.
pub type JobOf<T> = Job<T>;

/// What a requester offers for a grid job.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct GridTerms<Balance, BlockNumber> {
	/// Paid out at close to the provers of proven slots (50% to the best metric, the rest
	/// equally to the others), base units; held in escrow at submission.
	pub bounty: Balance,
	/// What a prover holds while it has a slot locked, base units; burned if it times out or
	/// submits an invalid proof.
	pub collateral: Balance,
	/// Blocks a prover has, from locking a slot, to prove it: `MinProofTimeout` to
	/// `MaxProofTimeout`, and no slot can be locked later than `proof_timeout` blocks before
	/// the close.
	pub proof_timeout: BlockNumber,
	/// Blocks from submission to the close (earlier if every slot is proven), at least
	/// `proof_timeout`.
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
	/// Locked by a prover, who must prove it before `lock.expires_at`.
	Locked(Lock<T>),
	/// Proven: its metric counts at the close.
	Proven {
		/// The prover.
		prover: T::AccountId,
		/// The proven metric (the job's metric output), higher is better.
		metric: u128,
		/// The block it was proven in (earlier wins a tie).
		at: BlockNumberFor<T>,
	},
	/// A result failed for a reason that is not the prover's proof: nobody can prove it; it
	/// takes no part in the payout.
	Void {
		/// The prover whose result revealed it.
		prover: T::AccountId,
		/// What failed.
		reason: VerifyError,
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
	/// The block it closes in, unless every slot is proven (or void) earlier.
	pub closes_at: BlockNumberFor<T>,
	/// The storage deposit held from the requester until the record is pruned, base units.
	pub deposit: BalanceOf<T>,
	/// The slots.
	pub slots: BoundedVec<Slot<T>, T::MaxSlots>,
	/// Where it stands.
	pub status: GridStatus<T>,
}

/// [`GridJob`] of a runtime.
pub type GridJobOf<T> = GridJob<T>;

/// What benchmarks need from the rest of the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers the verifying key of
	/// `cloudana_groth16_simulator::Trapdoor::new(crate::BENCHMARK_SEED, public_inputs)` and
	/// returns its id.
	fn register_circuit(public_inputs: u32) -> CircuitId;
	/// Makes `who` (already funded) a prover of `circuit` eligible for any price and for many
	/// concurrent locks.
	fn register_prover(who: &AccountId, circuit: CircuitId);
}

/// One result in a [`crate::Pallet::submit_results`] batch: the work (a job or a grid slot),
/// the prover's outputs and the proof, as [`crate::Pallet::submit_result`] and
/// [`crate::Pallet::submit_slot_result`] take them.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct BatchedResult<T: Config> {
	/// The work the result is for.
	pub work: WorkId,
	/// The prover's public outputs, each below r.
	pub outputs: BoundedVec<PublicInput, T::MaxOutputs>,
	/// A Groth16 proof (EIP-197, 256 bytes) of `binding ‖ inputs ‖ outputs`.
	pub proof: cloudana_groth16::Proof,
}

/// The results of a [`crate::Pallet::submit_results`] call under one verifying key: they are
/// verified together, in one batch.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct KeyResults<T: Config> {
	/// The circuit (verifying key) of every work in `results`.
	pub circuit: CircuitId,
	/// 1 to `MaxBatch` results.
	pub results: BoundedVec<BatchedResult<T>, T::MaxBatch>,
}
