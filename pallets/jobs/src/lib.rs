//! # Jobs
//!
//! ## Overview
//!
//! Verifiable compute jobs. A requester submits a job: a circuit (a registered verifying key),
//! public inputs, and an offer (a price range, timeouts, a collateral); the price's upper bound
//! is held in escrow, and a storage deposit for the record. Provers compete for it in a
//! reverse-Dutch auction: the price rises linearly from `min_price` to `max_price` over
//! `ramp_blocks`, and the first eligible prover to [`lock`](Pallet::lock) it gets it at the
//! current price, holding the job's collateral and reserving the stake the price requires. The
//! prover then runs the computation off chain and calls
//! [`submit_result`](Pallet::submit_result) with its outputs and a Groth16 proof. In that one
//! extrinsic the proof is verified (natively, through the verifier), the prover is paid
//! `price − fee`, the fee goes to the treasury, the collateral is released and the rest of the
//! escrow is refunded.
//!
//! A grid job ([`grid`]) is K slots of one job, each locked and proven by one prover, with a
//! best-of payout at the close. A job and a grid slot are both **work** ([`WorkId`]): they are
//! locked, proven, failed and timed out by the same code ([`work`]).
//!
//! ## One state machine
//!
//! Every record's next step waits in one deadline queue ([`Deadline`]: a job's lock window or
//! lock timeout or pruning, a slot's lock timeout, a grid's close or pruning), keyed by block,
//! with no per-block cap: scheduling never fails, so nobody can fill the blocks around a deadline
//! to make locks fail. [`Hooks::on_initialize`] works through the queue from a cursor, oldest
//! first, within a weight budget (`MaxDeadlineWeight`), each entry charged the benchmarked
//! weight of its worst case; what does not fit waits for the next block. Nothing depends on a
//! deadline being processed on time: every call checks the record's own blocks.
//!
//! ## Who pays for what (the security model)
//!
//! - **Requester faults are the requester's.** `submit` refuses inputs that are not field
//!   elements (`≥ r`), unknown keys, proof windows shorter than `MinProofTimeout`, and grids that
//!   close before a proof window fits. A result that fails for a reason that is not the
//!   prover's proof ([`VerifyError::blames_prover`]) voids the work: no offence, the collateral
//!   and stake back to the prover, the escrow back to the requester.
//! - **A failed lock costs its prover, and profits nobody.** A timeout or an invalid proof
//!   burns the lock's collateral (as Boundless does with a lock that expires: never to the
//!   requester, who could have set the trap) and reports the offence (pallet-slashing slashes
//!   stake, to the insurance pool). The work opens again.
//! - **One stake backs a bounded set of locks**: each lock reserves the stake its price needs
//!   (`ProverRegistry::reserve`).
//! - **Storage costs a deposit**: `DepositBase + DepositPerByte × record bytes`, held from the
//!   requester and released when the record is pruned, `RetentionPeriod` blocks after it
//!   finished (long enough for ratings and for its slashes' deferral). Pruning a record also
//!   prunes its rating.
//! - **Provers find work through an index**, [`OpenWork`] (open jobs and slots by circuit),
//!   not by scanning deadlines; their own locks through [`ActiveLocks`].
//!
//! ## Terms
//!
//! - **Statement**: the public inputs a proof is checked against:
//!   `binding ‖ requester inputs ‖ prover outputs`, each a 32-byte big-endian scalar below r.
//! - **Binding**: [`WorkId::binding`]`(genesis hash, prover)`, public input 0, so a proof is good
//!   for one job or slot, one prover and one chain only.
//! - **Escrow**: `max_price` (a grid: its bounty), held from the requester with
//!   [`HoldReason::JobEscrow`] until the work completes, is cancelled, expires or closes.
//! - **Collateral**: `terms.collateral`, held from the prover with
//!   [`HoldReason::JobCollateral`] while it holds the lock.
//! - **Fee**: `Fees::fee_rate(prover) × price` on completion (10%, 8% for Diamond-tier provers
//!   on Cloudana), `CancellationFee × max_price` on cancellation, paid to `TreasuryAccount` out
//!   of the escrow; `ExpiryFee × deposit` when a job expires that no prover failed, paid to
//!   `TreasuryAccount` out of the storage deposit (junk nobody takes is not free to post: it
//!   costs the workers that assessed it, so its deposit is not refunded in full). A job that
//!   reopened after a prover's failure ([`ReopenedJobs`]) expires without the fee: the
//!   requester did not cause it.
//! - **Expiry blocks**: `lock_expires_at` is the first block at which an open job has expired;
//!   a lock's `expires_at` is the first block at which it has timed out.
//! - Amounts are base units (12 decimals on Cloudana, 1 CLD = 10¹² base units); times are
//!   blocks (6 s each on Cloudana).
//!
//! ## Calls
//!
//! - [`Pallet::submit`]: submit a job and hold its escrow and deposit.
//! - [`Pallet::submit_circom`]: the same on a circom circuit, naming its artifacts (`.wasm`,
//!   `.zkey`, input) by hash, size and URL ([`CircomJobs`]); its statement is snarkjs's order,
//!   `outputs ‖ binding ‖ inputs`.
//! - [`Pallet::lock`]: take an open job at the current price, holding collateral and reserving
//!   stake.
//! - [`Pallet::submit_result`]: submit outputs and a proof; verify; pay, reopen, or void.
//! - [`Pallet::cancel`]: cancel an open job, refunding the escrow minus a fee.
//! - [`Pallet::submit_grid`], [`Pallet::lock_slot`], [`Pallet::submit_slot_result`]:
//!   multi-slot (grid) jobs ([`grid`] has the rules).
//!
//! Pallets reached, through traits of `cloudana_primitives::traits` wired by the runtime: a
//! [`Verifier`], a [`ProverRegistry`], [`WorkOutcomes`] (reputation and slashing hear of every
//! completion, offence and pruned record) and a [`FeePolicy`]. An off-chain worker
//! ([`offchain`]) does the prover's side automatically for a node that has a prover key (key
//! type `cprv`) and a proving daemon configured.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use cloudana_primitives::artifacts::{Artifact, CircomJob, InputData};
pub use cloudana_primitives::{
	traits::{FeePolicy, ProverRegistry, Verdict, Verifier, WorkOutcomes},
	CircuitId, CompletedWork, GridId, Ineligibility, JobId, Offence, SlotIndex, VerifyError, WorkId,
};
pub use pallet::*;
pub use types::*;

pub mod batch;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod deadline;
pub use deadline::DEADLINE_RETRY_BLOCKS;
mod priority;
pub use priority::{URGENT_BLOCKS, URGENT_TIP};
mod funds;
pub mod grid;
mod job;
#[cfg(test)]
mod mock;
pub mod offchain;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;
pub mod work;

pub use weights::WeightInfo;

/// The key type of prover keys in a node's keystore.
pub const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"cprv");

/// Seed of the simulated verifying keys the benchmarks register.
#[cfg(feature = "runtime-benchmarks")]
pub const BENCHMARK_SEED: &[u8] = b"cloudana/jobs/benchmark";

/// The sr25519 application key provers sign with.
pub mod crypto {
	use super::KEY_TYPE;
	use sp_runtime::{
		app_crypto::{app_crypto, sr25519},
		MultiSignature, MultiSigner,
	};
	app_crypto!(sr25519, KEY_TYPE);

	/// Signs the off-chain worker's transactions with a `cprv` key.
	pub struct ProverAuthId;

	impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for ProverAuthId {
		type RuntimeAppPublic = Public;
		type GenericSignature = sp_core::sr25519::Signature;
		type GenericPublic = sp_core::sr25519::Public;
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{boxed::Box, vec::Vec};
	use cloudana_groth16::{Proof, PublicInput};
	use frame_support::pallet_prelude::*;
	use frame_system::{
		offchain::{AppCrypto, CreateSignedTransaction},
		pallet_prelude::*,
	};
	use sp_runtime::{traits::Zero, Perbill};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config + CreateSignedTransaction<Call<Self>> {
		/// The currency escrows, collaterals and deposits are held in.
		type Currency: frame_support::traits::fungible::Inspect<Self::AccountId>
			+ frame_support::traits::fungible::Mutate<Self::AccountId>
			+ frame_support::traits::fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Verifies proofs against registered keys.
		type Verifier: Verifier;

		/// Tells which provers may lock which work, and reserves their stake per lock.
		type Provers: ProverRegistry<Self::AccountId, BalanceOf<Self>>;

		/// Hear of completions, offences (timeouts, invalid proofs) and pruned records.
		type Outcomes: WorkOutcomes<Self::AccountId, BalanceOf<Self>>;

		/// The share of the price paid to the treasury when work completes.
		type Fees: FeePolicy<Self::AccountId>;

		/// Share of `max_price` paid to the treasury when a requester cancels.
		#[pallet::constant]
		type CancellationFee: Get<Perbill>;

		/// Share of a job's storage deposit paid to the treasury when it expires unproven and
		/// no prover failed it (module docs, "Fee").
		#[pallet::constant]
		type ExpiryFee: Get<Perbill>;

		/// The account fees are paid to. It must exist (hold at least the existential deposit).
		#[pallet::constant]
		type TreasuryAccount: Get<Self::AccountId>;

		/// The storage deposit of a record, base units, on top of the per-byte part.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;

		/// The storage deposit per byte of a record, base units.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// The most public inputs a requester may give a job.
		#[pallet::constant]
		type MaxInputs: Get<u32>;

		/// The most public outputs a job may have.
		#[pallet::constant]
		type MaxOutputs: Get<u32>;

		/// The longest lock window (a grid: duration) a requester may ask for, blocks.
		#[pallet::constant]
		type MaxLockTimeout: Get<BlockNumberFor<Self>>;

		/// The shortest proof timeout a requester may ask for, blocks: no prover can be asked
		/// to prove faster than this.
		#[pallet::constant]
		type MinProofTimeout: Get<BlockNumberFor<Self>>;

		/// The longest proof timeout a requester may ask for, blocks.
		#[pallet::constant]
		type MaxProofTimeout: Get<BlockNumberFor<Self>>;

		/// Blocks a finished record is kept (for ratings, disputes and the deferral of its
		/// slashes) before it is pruned and its deposit released.
		#[pallet::constant]
		type RetentionPeriod: Get<BlockNumberFor<Self>>;

		/// The most weight [`Hooks::on_initialize`] spends on deadlines in one block.
		#[pallet::constant]
		type MaxDeadlineWeight: Get<Weight>;

		/// The most slots a grid job may have.
		#[pallet::constant]
		type MaxSlots: Get<u32>;

		/// The longest hyper-parameter vector of a slot, bytes.
		#[pallet::constant]
		type MaxHyperParamsLen: Get<u32>;

		/// The most results one [`Pallet::submit_results`] carries, all keys together (at most
		/// [`cloudana_primitives::traits::MAX_BENCHMARKED_BATCH`], 256).
		#[pallet::constant]
		type MaxBatch: Get<u32>;

		/// The most verifying keys one [`Pallet::submit_results`] groups its results under.
		#[pallet::constant]
		type MaxBatchKeys: Get<u32>;

		/// Milliseconds per block, for the off-chain worker's proving-time estimates when the
		/// node does not say otherwise.
		#[pallet::constant]
		type BlockTimeMs: Get<u64>;

		/// The key the off-chain worker signs with.
		type AuthorityId: AppCrypto<Self::Public, Self::Signature>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;

		/// Sets up other pallets for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A requester's escrow for a job or grid.
		#[codec(index = 0)]
		JobEscrow,
		/// A prover's collateral for a lock.
		#[codec(index = 1)]
		JobCollateral,
		/// A requester's deposit for the storage of a job or grid record.
		#[codec(index = 2)]
		StorageDeposit,
	}

	/// The id the next job gets.
	#[pallet::storage]
	pub type NextJobId<T> = StorageValue<_, JobId, ValueQuery>;

	/// Every job not yet pruned, by id.
	#[pallet::storage]
	pub type Jobs<T: Config> = StorageMap<_, Twox64Concat, JobId, JobOf<T>>;

	/// The id the next grid job gets.
	#[pallet::storage]
	pub type NextGridId<T> = StorageValue<_, GridId, ValueQuery>;

	/// Every grid job not yet pruned, by id.
	#[pallet::storage]
	pub type GridJobs<T: Config> = StorageMap<_, Twox64Concat, GridId, GridJobOf<T>>;

	/// Deadlines by block: every record's next step. No per-block cap (each entry belongs to a
	/// record that holds a deposit); entries whose record moved on are skipped.
	#[pallet::storage]
	pub type Deadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, Deadline, (), OptionQuery>;

	/// The earliest block of [`Deadlines`] that may still hold entries.
	#[pallet::storage]
	pub type DeadlineCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Jobs open again after a prover's lock failed (timed out, invalid proof): they expire
	/// without the `ExpiryFee`. Taken at expiry, removed at pruning; at most one entry per job
	/// record.
	#[pallet::storage]
	pub type ReopenedJobs<T: Config> = StorageMap<_, Twox64Concat, JobId, (), OptionQuery>;

	/// Work that can be locked now, by circuit: open jobs and open slots of open grids. The
	/// index provers' off-chain workers read.
	#[pallet::storage]
	pub type OpenWork<T: Config> = StorageDoubleMap<_, Blake2_128Concat, CircuitId, Twox64Concat, WorkId, (), OptionQuery>;

	/// The artifacts and input of each job on a circom circuit, by job id
	/// ([`Pallet::submit_circom`]); removed with the job.
	#[pallet::storage]
	pub type CircomJobs<T: Config> = StorageMap<_, Twox64Concat, JobId, CircomJob>;

	/// Each prover's active locks.
	#[pallet::storage]
	pub type ActiveLocks<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, WorkId, (), OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A job was submitted; its escrow and deposit are held.
		JobSubmitted {
			/// The job.
			job: JobId,
			/// Who submitted it.
			requester: T::AccountId,
			/// Its circuit.
			circuit: CircuitId,
			/// Escrow held, base units.
			max_price: BalanceOf<T>,
			/// Storage deposit held, base units.
			deposit: BalanceOf<T>,
			/// The first block at which it expires if nobody locks it.
			lock_expires_at: BlockNumberFor<T>,
		},
		/// A prover locked a job or slot.
		Locked {
			/// The work.
			work: WorkId,
			/// The prover.
			prover: T::AccountId,
			/// The price fixed (a slot: its share of the bounty), base units.
			price: BalanceOf<T>,
			/// Collateral held from the prover, base units.
			collateral: BalanceOf<T>,
			/// The first block at which the lock times out.
			expires_at: BlockNumberFor<T>,
		},
		/// A valid result was submitted and paid.
		JobCompleted {
			/// The job.
			job: JobId,
			/// The prover.
			prover: T::AccountId,
			/// The price, base units.
			price: BalanceOf<T>,
			/// Paid to the prover (`price − fee`), base units.
			paid: BalanceOf<T>,
			/// Paid to the treasury, base units.
			fee: BalanceOf<T>,
			/// Refunded to the requester (`max_price − price`), base units.
			refund: BalanceOf<T>,
			/// The proven outputs.
			outputs: BoundedVec<PublicInput, T::MaxOutputs>,
		},
		/// A submitted proof did not verify: the collateral was burned, the offence reported,
		/// and the work opened again (a job whose lock window has closed expires).
		ProofRejected {
			/// The work.
			work: WorkId,
			/// The prover.
			prover: T::AccountId,
			/// Which check failed.
			reason: VerifyError,
			/// Collateral burned, base units.
			burned: BalanceOf<T>,
		},
		/// A lock timed out: the collateral was burned, the offence reported, and the work
		/// opened again (a job whose lock window has closed expires).
		LockTimedOut {
			/// The work.
			work: WorkId,
			/// The prover.
			prover: T::AccountId,
			/// Collateral burned, base units.
			burned: BalanceOf<T>,
		},
		/// A result failed for a reason that is not the prover's proof (the key or the
		/// statement): nobody can prove the work. No offence; the collateral and stake went
		/// back to the prover; a job's escrow went back to the requester.
		Voided {
			/// The work.
			work: WorkId,
			/// The prover.
			prover: T::AccountId,
			/// What failed.
			reason: VerifyError,
		},
		/// A result of a [`Pallet::submit_results`] batch was refused before verification (it
		/// would have failed [`Pallet::submit_result`] or [`Pallet::submit_slot_result`] with
		/// `error`); nothing changed for its work.
		ResultRefused {
			/// The work.
			work: WorkId,
			/// Why: the error the single call would have returned.
			error: DispatchError,
		},
		/// A result of a [`Pallet::submit_results`] batch was left undecided: its batch failed
		/// and the bisection's weight ran out before it was reached. Nothing changed for its
		/// work; the lock stands, and the prover may send it again.
		ResultDeferred {
			/// The work.
			work: WorkId,
		},
		/// The requester cancelled an open job.
		JobCancelled {
			/// The job.
			job: JobId,
			/// Refunded to the requester, base units.
			refund: BalanceOf<T>,
			/// Paid to the treasury, base units.
			fee: BalanceOf<T>,
		},
		/// A job's lock window closed without a result; its escrow was refunded.
		JobExpired {
			/// The job.
			job: JobId,
			/// Refunded to the requester, base units.
			refund: BalanceOf<T>,
			/// Paid to the treasury out of the storage deposit (`ExpiryFee`; zero when a
			/// prover failed the job), base units. The rest is released at pruning.
			deposit_fee: BalanceOf<T>,
		},
		/// A grid job was submitted; its bounty and deposit are held.
		GridSubmitted {
			/// The grid.
			grid: GridId,
			/// Who submitted it.
			requester: T::AccountId,
			/// Its circuit.
			circuit: CircuitId,
			/// How many slots.
			slots: u32,
			/// Bounty held, base units.
			bounty: BalanceOf<T>,
			/// Storage deposit held, base units.
			deposit: BalanceOf<T>,
			/// The block it closes in (earlier if every slot is settled).
			closes_at: BlockNumberFor<T>,
		},
		/// A slot's proof verified; its metric counts at the close.
		SlotProven {
			/// The grid.
			grid: GridId,
			/// The slot.
			slot: SlotIndex,
			/// The prover.
			prover: T::AccountId,
			/// The proven metric.
			metric: u128,
		},
		/// A grid closed and paid out.
		GridClosed {
			/// The grid.
			grid: GridId,
			/// The leaderboard: proven slots, best first, with what each was paid.
			payouts: BoundedVec<SlotPayout<T>, T::MaxSlots>,
			/// Refunded to the requester, base units.
			refund: BalanceOf<T>,
			/// Paid to the treasury, base units.
			fees: BalanceOf<T>,
		},
		/// A finished record was pruned and its storage deposit released.
		Reaped {
			/// The record.
			record: RecordId,
			/// Released to the requester, base units.
			deposit: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No job with this id (never submitted, or pruned).
		JobNotFound,
		/// A [`Pallet::submit_results`] call carries no result, more than `MaxBatch` results in
		/// all, or a key group with none.
		BadBatchSize,
		/// A [`Pallet::submit_results`] call names the same work twice, or the same key in two
		/// groups.
		DuplicateInBatch,
		/// A result's work is on another circuit than the key group it was sent under.
		WrongCircuit,
		/// A circom job's artifact is malformed: a location that is not an `http://` or
		/// `https://` URL with a host, a size of zero, or an empty public input.
		MalformedArtifacts,
		/// Only the job's requester may do this.
		NotRequester,
		/// Only the prover holding the lock may do this.
		NotJobProver,
		/// The job is not open.
		JobNotOpen,
		/// The job is not locked.
		JobNotLocked,
		/// The job's lock window has closed.
		LockWindowClosed,
		/// The lock has timed out.
		ProofDeadlinePassed,
		/// No verifying key with this id is registered.
		CircuitNotFound,
		/// The circuit takes fewer public inputs than given (plus the binding).
		TooManyInputs,
		/// The circuit would leave more outputs than `MaxOutputs`.
		TooManyOutputs,
		/// A requester input is not a BN254 scalar (it is `≥ r`); inputs are never reduced.
		InputNotInField,
		/// An output is not a BN254 scalar (it is `≥ r`).
		OutputNotInField,
		/// The number of outputs is not what the job expects.
		OutputCountMismatch,
		/// `max_price` (a grid: `bounty`) is zero.
		ZeroPrice,
		/// `min_price` is above `max_price`.
		InvalidPriceRange,
		/// `lock_timeout` is zero or above `MaxLockTimeout`.
		InvalidLockTimeout,
		/// `proof_timeout` is above `MaxProofTimeout`.
		InvalidProofTimeout,
		/// `proof_timeout` is below `MinProofTimeout`: no prover can be held to it.
		ProofWindowTooShort,
		/// The requester cannot afford the escrow and the storage deposit.
		InsufficientBalance,
		/// The prover cannot afford the collateral.
		InsufficientCollateral,
		/// A requester cannot lock their own work.
		CannotLockOwnJob,
		/// The prover may not lock this work; the reason says why.
		ProverIneligible(Ineligibility),
		/// No grid job with this id (never submitted, or pruned).
		GridNotFound,
		/// The grid job is closed (or past its close).
		GridClosed,
		/// A lock taken now would run past the grid's close: no full proof window is left.
		GridClosesTooSoon,
		/// The grid job has no slot with this index.
		SlotNotFound,
		/// The slot is not open.
		SlotNotOpen,
		/// The slot is not locked.
		SlotNotLocked,
		/// A grid job needs at least one slot.
		NoSlots,
		/// `duration` is shorter than `proof_timeout` or above `MaxLockTimeout`.
		InvalidGridDuration,
		/// `metric_output` is not one of the circuit's outputs.
		InvalidMetricOutput,
		/// The metric output is 2¹²⁸ or more.
		MetricOutOfRange,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Works through the deadlines due by now, within `MaxDeadlineWeight`.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::process_deadlines(now)
		}

		fn offchain_worker(now: BlockNumberFor<T>) {
			offchain::run::<T>(now);
		}

		fn integrity_test() {
			assert!(T::MaxSlots::get() > 0 && T::MaxSlots::get() <= 1 << 16, "MaxSlots must be 1 to 65 536");
			assert!(
				T::MaxBatch::get() > 0 && T::MaxBatch::get() <= cloudana_primitives::traits::MAX_BENCHMARKED_BATCH,
				"MaxBatch must be 1 to 256, the batch sizes verification is benchmarked for"
			);
			assert!(T::MaxBatchKeys::get() > 0, "MaxBatchKeys must be positive");
			assert!(!T::MaxLockTimeout::get().is_zero(), "MaxLockTimeout must be positive");
			assert!(!T::MinProofTimeout::get().is_zero(), "MinProofTimeout must be positive");
			assert!(T::MinProofTimeout::get() <= T::MaxProofTimeout::get(), "MinProofTimeout must not exceed MaxProofTimeout");
			assert!(
				T::MaxInputs::get() + T::MaxOutputs::get() < cloudana_groth16::MAX_PUBLIC_INPUTS,
				"binding + MaxInputs + MaxOutputs must fit in MAX_PUBLIC_INPUTS"
			);
			assert!(
				Self::worst_deadline_weight().all_lte(T::MaxDeadlineWeight::get()),
				"MaxDeadlineWeight must fit the heaviest deadline, or it would never be processed"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Submit a job; hold its escrow and storage deposit.
		///
		/// - Origin: signed; the signer is the requester.
		/// - `circuit`: id of a registered verifying key.
		/// - `inputs`: the requester's public inputs, 32-byte big-endian scalars below r; the
		///   circuit's key must take at least `1 + inputs.len()` inputs (the rest are the
		///   prover's outputs, at most `MaxOutputs`).
		/// - `terms`: prices in base units (`0 < max_price`, `min_price ≤ max_price`), timeouts
		///   in blocks (`1 ≤ lock_timeout ≤ MaxLockTimeout`, `MinProofTimeout ≤ proof_timeout ≤
		///   MaxProofTimeout`), collateral in base units.
		///
		/// Holds `max_price` ([`HoldReason::JobEscrow`]) and the storage deposit
		/// ([`HoldReason::StorageDeposit`]) from the requester, marks the key used, stores the
		/// job as open (indexed in [`OpenWork`]) and schedules its lock window to close.
		///
		/// Emits [`Event::JobSubmitted`].
		///
		/// Errors: [`Error::ZeroPrice`], [`Error::InvalidPriceRange`],
		/// [`Error::InvalidLockTimeout`], [`Error::InvalidProofTimeout`],
		/// [`Error::ProofWindowTooShort`], [`Error::CircuitNotFound`], [`Error::TooManyInputs`],
		/// [`Error::TooManyOutputs`], [`Error::InputNotInField`],
		/// [`Error::InsufficientBalance`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::submit())]
		pub fn submit(
			origin: OriginFor<T>,
			circuit: CircuitId,
			inputs: BoundedVec<PublicInput, T::MaxInputs>,
			terms: JobTermsOf<T>,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			Self::do_submit(requester, circuit, inputs, terms, None)
		}

		/// Submit a job on a circom circuit; hold its escrow and storage deposit.
		///
		/// - Origin: signed; the signer is the requester.
		/// - `circuit`, `inputs`, `terms`: as for [`Pallet::submit`]. The statement is circom's
		///   order, `outputs ‖ binding ‖ inputs` (snarkjs's `public.json`): the circuit's first
		///   public input is the binding, set by the prover; `inputs` are its other public
		///   inputs, and its outputs are the prover's.
		/// - `circom`: the witness generator (`.wasm`) and proving key (`.zkey`) by SHA-256,
		///   size (bytes) and `http(s)://` location, and the input: the JSON itself
		///   ([`InputData::Public`], at most 2 048 bytes) or a file by hash, size and location
		///   ([`InputData::Committed`]). See `cloudana_primitives::artifacts`.
		///
		/// As [`Pallet::submit`], and stores `circom` beside the job (in [`CircomJobs`], its
		/// bytes counted in the storage deposit) until the job is pruned. Provers fetch the
		/// artifacts and refuse to lock a job whose files do not match.
		///
		/// Emits [`Event::JobSubmitted`].
		///
		/// Errors: those of [`Pallet::submit`], and [`Error::MalformedArtifacts`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::submit_circom())]
		pub fn submit_circom(
			origin: OriginFor<T>,
			circuit: CircuitId,
			inputs: BoundedVec<PublicInput, T::MaxInputs>,
			terms: JobTermsOf<T>,
			circom: Box<CircomJob>,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			ensure!(circom.is_well_formed(), Error::<T>::MalformedArtifacts);
			Self::do_submit(requester, circuit, inputs, terms, Some(*circom))
		}

		/// Lock an open job at the current price.
		///
		/// - Origin: signed by an eligible prover (registered, not banned, suspended or chilled,
		///   serving the circuit, with a reputation tier that allows the price and active stake
		///   for the price on top of what its other locks reserve), not the requester.
		/// - `job`: the job's id.
		///
		/// Fixes the price at the current point of the ramp, reserves the stake it requires,
		/// holds the job's collateral from the prover ([`HoldReason::JobCollateral`]) and
		/// schedules the lock to time out `proof_timeout` blocks from now.
		///
		/// Emits [`Event::Locked`].
		///
		/// Errors: [`Error::JobNotFound`], [`Error::JobNotOpen`], [`Error::LockWindowClosed`],
		/// [`Error::CannotLockOwnJob`], [`Error::ProverIneligible`],
		/// [`Error::InsufficientCollateral`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::lock())]
		pub fn lock(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let prover = ensure_signed(origin)?;
			Self::do_lock(prover, job)
		}

		/// Submit a job's outputs with a proof; verify it; pay the prover, reopen the job, or
		/// void it.
		///
		/// - Origin: signed by the prover that locked the job, before the lock times out.
		/// - `job`: the job's id.
		/// - `outputs`: the prover's public outputs, as many as the job expects, each below r.
		/// - `proof`: a Groth16 proof (EIP-197, 256 bytes) of the statement
		///   `binding ‖ inputs ‖ outputs` under the job's circuit.
		///
		/// If the proof verifies: pays the prover `price − fee`, pays
		/// `fee = Fees::fee_rate(prover) × price` to the treasury, refunds `max_price − price`
		/// to the requester, releases the collateral and the reserved stake, and records the
		/// job as completed with its outputs ([`Event::JobCompleted`]).
		///
		/// If the proof is at fault (it does not verify, or is not a valid proof): the call
		/// still succeeds, so the offence stands. The collateral is burned, the offence
		/// reported, and the job opens again, or expires with a full refund if its lock window
		/// has closed ([`Event::ProofRejected`], then [`Event::JobExpired`]).
		///
		/// If the verification fails for a reason that is not the proof's (the key or the
		/// statement): the job is void, the requester refunded in full, the prover's
		/// collateral and stake released, no offence ([`Event::Voided`]).
		///
		/// Errors: [`Error::JobNotFound`], [`Error::JobNotLocked`], [`Error::NotJobProver`],
		/// [`Error::ProofDeadlinePassed`], [`Error::OutputCountMismatch`],
		/// [`Error::OutputNotInField`].
		#[pallet::call_index(2)]
		#[pallet::weight(Pallet::<T>::result_weight(1 + T::MaxInputs::get() + outputs.len() as u32))]
		pub fn submit_result(
			origin: OriginFor<T>,
			job: JobId,
			outputs: BoundedVec<PublicInput, T::MaxOutputs>,
			proof: Box<Proof>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_submit_result(who, job, outputs, &proof).map(|weight| Some(weight).into()).map_err(Into::into)
		}

		/// Cancel an open job.
		///
		/// - Origin: signed by the job's requester.
		/// - `job`: the job's id; it must be open (not locked).
		///
		/// Pays `CancellationFee × max_price` to the treasury out of the escrow, refunds the
		/// rest, and records the job as cancelled (pruned `RetentionPeriod` blocks later, when
		/// the storage deposit is released).
		///
		/// Emits [`Event::JobCancelled`].
		///
		/// Errors: [`Error::JobNotFound`], [`Error::NotRequester`], [`Error::JobNotOpen`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel(who, job)
		}

		/// Submit a multi-slot (grid) job; hold its bounty and storage deposit.
		///
		/// - Origin: signed; the signer is the requester.
		/// - `circuit`: id of a registered verifying key.
		/// - `inputs`: the requester's public inputs, below r, the same for every slot (e.g. the
		///   dataset commitment); the key must take at least `1 + inputs.len()` inputs.
		/// - `slots`: one hyper-parameter vector per slot (opaque bytes, at most
		///   `MaxHyperParamsLen` each), 1 to `MaxSlots` of them.
		/// - `metric_output`: which of the prover's outputs ranks the slots (higher is better).
		/// - `terms`: `bounty` > 0 base units; `collateral` base units; `proof_timeout`
		///   `MinProofTimeout` to `MaxProofTimeout` blocks; `duration` `proof_timeout` to
		///   `MaxLockTimeout` blocks.
		///
		/// Holds the bounty ([`HoldReason::JobEscrow`]) and the storage deposit, marks the key
		/// used, indexes the slots in [`OpenWork`] and schedules the close.
		///
		/// Emits [`Event::GridSubmitted`].
		///
		/// Errors: [`Error::NoSlots`], [`Error::ZeroPrice`], [`Error::InvalidProofTimeout`],
		/// [`Error::ProofWindowTooShort`], [`Error::InvalidGridDuration`],
		/// [`Error::CircuitNotFound`], [`Error::TooManyInputs`], [`Error::TooManyOutputs`],
		/// [`Error::InputNotInField`], [`Error::InvalidMetricOutput`],
		/// [`Error::InsufficientBalance`].
		#[pallet::call_index(4)]
		// The deadlines it creates are paid here, where the requester pays: its close and, after
		// the retention period, its pruning, each charged by its slot count in the hook.
		#[pallet::weight(T::WeightInfo::submit_grid(slots.len() as u32)
			.saturating_add(Pallet::<T>::grid_deadline_weight(slots.len() as u32).saturating_mul(2)))]
		pub fn submit_grid(
			origin: OriginFor<T>,
			circuit: CircuitId,
			inputs: BoundedVec<PublicInput, T::MaxInputs>,
			slots: BoundedVec<HyperParamsOf<T>, T::MaxSlots>,
			metric_output: u32,
			terms: GridTermsOf<T>,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			Self::do_submit_grid(requester, circuit, inputs, slots, metric_output, terms)
		}

		/// Lock a slot of an open grid job.
		///
		/// - Origin: signed by an eligible prover (as for [`Pallet::lock`], at the price
		///   `bounty / slots`), not the requester. A prover may hold several slots.
		/// - `grid`, `slot`: an open slot of a grid that closes no sooner than `proof_timeout`
		///   blocks from now.
		///
		/// Reserves the stake, holds the grid's collateral from the prover and schedules the
		/// lock to time out `proof_timeout` blocks from now.
		///
		/// Emits [`Event::Locked`].
		///
		/// Errors: [`Error::GridNotFound`], [`Error::GridClosed`], [`Error::SlotNotFound`],
		/// [`Error::SlotNotOpen`], [`Error::CannotLockOwnJob`], [`Error::GridClosesTooSoon`],
		/// [`Error::ProverIneligible`], [`Error::InsufficientCollateral`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::lock_slot())]
		pub fn lock_slot(origin: OriginFor<T>, grid: GridId, slot: SlotIndex) -> DispatchResult {
			let prover = ensure_signed(origin)?;
			Self::do_lock_slot(prover, grid, slot)
		}

		/// Submit a slot's outputs with a proof; verify it; record the metric, reopen the slot,
		/// or void it.
		///
		/// - Origin: signed by the prover that locked the slot, before the lock times out.
		/// - `outputs`: as many as the grid expects, each below r; the metric output below 2¹²⁸.
		/// - `proof`: a Groth16 proof (EIP-197, 256 bytes) of
		///   `binding(WorkId::Slot(grid, slot), prover) ‖ inputs ‖ outputs`.
		///
		/// If it verifies: releases the collateral and stake and records the slot as proven
		/// ([`Event::SlotProven`]); when every slot is settled, closes the grid and pays out
		/// ([`Event::GridClosed`]). If the proof is at fault: the call still succeeds so the
		/// offence stands; the collateral is burned and the slot opens again
		/// ([`Event::ProofRejected`]). If the key or statement is at fault: the slot is void,
		/// no offence ([`Event::Voided`]).
		///
		/// Errors: [`Error::GridNotFound`], [`Error::GridClosed`], [`Error::SlotNotFound`],
		/// [`Error::SlotNotLocked`], [`Error::NotJobProver`], [`Error::ProofDeadlinePassed`],
		/// [`Error::OutputCountMismatch`], [`Error::OutputNotInField`],
		/// [`Error::MetricOutOfRange`].
		#[pallet::call_index(6)]
		#[pallet::weight(Pallet::<T>::slot_result_weight(1 + T::MaxInputs::get() + outputs.len() as u32))]
		pub fn submit_slot_result(
			origin: OriginFor<T>,
			grid: GridId,
			slot: SlotIndex,
			outputs: BoundedVec<PublicInput, T::MaxOutputs>,
			proof: Box<Proof>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_submit_slot_result(who, grid, slot, outputs, &proof).map(|weight| Some(weight).into()).map_err(Into::into)
		}
		/// Submit many results at once, grouped by verifying key; verify each group in one
		/// batch; settle each result as [`Pallet::submit_result`] (a job) or
		/// [`Pallet::submit_slot_result`] (a slot) would.
		///
		/// - Origin: signed by the prover that locked every work in the batch.
		/// - `batches`: 1 to `MaxBatchKeys` groups, each a circuit (verifying key) and 1 to
		///   `MaxBatch` results ([`BatchedResult`]: work, outputs, proof) for work on that
		///   circuit; at most `MaxBatch` results in all, no work twice, no key twice.
		///
		/// Each result is checked as the single call checks it; one that fails is refused
		/// alone ([`Event::ResultRefused`] with the single call's error, e.g.
		/// [`Error::JobNotLocked`], [`Error::NotJobProver`], [`Error::ProofDeadlinePassed`],
		/// [`Error::WrongCircuit`]) and its work is untouched. The checked results of a group
		/// are verified together (random linear combination, one multi-Miller loop, one final
		/// exponentiation). If the batch check fails it is bisected to find the invalid
		/// proofs: valid results are paid ([`Event::JobCompleted`], [`Event::SlotProven`]),
		/// invalid proofs are offences exactly as in the single call ([`Event::ProofRejected`]),
		/// key or statement faults void the work ([`Event::Voided`]), and results the bisection
		/// could not reach within its weight are left locked ([`Event::ResultDeferred`]).
		///
		/// Weight: see [`crate::batch`]; the unused bisection allowance is refunded.
		///
		/// Errors (the whole call, nothing changes): [`Error::BadBatchSize`],
		/// [`Error::DuplicateInBatch`].
		#[pallet::call_index(8)]
		#[pallet::weight(Pallet::<T>::results_weight(batches))]
		pub fn submit_results(
			origin: OriginFor<T>,
			batches: BoundedVec<KeyResults<T>, T::MaxBatchKeys>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_submit_results(who, batches.into_inner()).map(|weight| Some(weight).into()).map_err(Into::into)
		}
	}

	impl<T: Config> Pallet<T> {
		/// A job's record.
		pub fn job(job: JobId) -> Option<JobOf<T>> {
			Jobs::<T>::get(job)
		}

		/// A grid job's record.
		pub fn grid(grid: GridId) -> Option<GridJobOf<T>> {
			GridJobs::<T>::get(grid)
		}

		/// The price a job would lock at in block `now`: `min_price` at submission, rising
		/// linearly to `max_price` after `ramp_blocks`.
		pub fn price_at(job: &JobOf<T>, now: BlockNumberFor<T>) -> BalanceOf<T> {
			use sp_runtime::traits::Saturating;
			let terms = &job.terms;
			let elapsed = now.saturating_sub(job.submitted_at);
			if elapsed >= terms.ramp_blocks {
				return terms.max_price;
			}
			let progress = Perbill::from_rational(elapsed, terms.ramp_blocks);
			terms.min_price.saturating_add(progress * terms.max_price.saturating_sub(terms.min_price))
		}

		/// The binding public input of `work` for `prover` on this chain.
		pub fn binding(work: WorkId, prover: &T::AccountId) -> PublicInput {
			let genesis = frame_system::BlockHash::<T>::get(BlockNumberFor::<T>::zero());
			let mut genesis_bytes = [0u8; 32];
			let bytes = genesis.as_ref();
			if bytes.len() == 32 {
				genesis_bytes.copy_from_slice(bytes);
			} else {
				genesis_bytes = sp_io::hashing::blake2_256(bytes);
			}
			work.binding(&genesis_bytes, &prover.encode())
		}

		/// The statement a result for `work` by `prover` proves: `binding ‖ inputs ‖ outputs`,
		/// or for a job on a circom circuit ([`CircomJobs`]) circom's order,
		/// `outputs ‖ binding ‖ inputs`.
		pub fn statement(
			work: WorkId,
			prover: &T::AccountId,
			inputs: &[PublicInput],
			outputs: &[PublicInput],
		) -> Vec<PublicInput> {
			let mut statement = Vec::with_capacity(1 + inputs.len() + outputs.len());
			let circom = matches!(work, WorkId::Job(id) if CircomJobs::<T>::contains_key(id));
			if circom {
				statement.extend_from_slice(outputs);
			}
			statement.push(Self::binding(work, prover));
			statement.extend_from_slice(inputs);
			if !circom {
				statement.extend_from_slice(outputs);
			}
			statement
		}

		/// The most a result with `n` public inputs can weigh: a valid proof (payout) or an
		/// invalid one (offence).
		pub fn result_weight(n: u32) -> Weight {
			T::WeightInfo::submit_result(n).max(Self::invalid_result_weight(n))
		}

		/// An invalid proof's result with `n` public inputs: the measured weight, and the
		/// [`ReopenedJobs`] entry its job gets when it opens again.
		pub fn invalid_result_weight(n: u32) -> Weight {
			T::WeightInfo::submit_result_invalid(n).saturating_add(T::DbWeight::get().writes(1))
		}

		/// The most a slot result with `n` public inputs can weigh: a valid or invalid proof,
		/// and the close it may bring.
		pub fn slot_result_weight(n: u32) -> Weight {
			T::WeightInfo::submit_slot_result(n)
				.max(T::WeightInfo::submit_slot_result_invalid(n))
				.saturating_add(T::WeightInfo::close_grid(T::MaxSlots::get()))
		}
	}
}

impl<T: Config>
	cloudana_primitives::traits::DisputableWork<T::AccountId, frame_system::pallet_prelude::BlockNumberFor<T>, BalanceOf<T>>
	for Pallet<T>
{
	fn parties(
		work: WorkId,
	) -> Option<
		cloudana_primitives::traits::WorkParties<T::AccountId, frame_system::pallet_prelude::BlockNumberFor<T>, BalanceOf<T>>,
	> {
		use cloudana_primitives::traits::WorkParties;
		use sp_runtime::traits::Saturating;
		match work {
			WorkId::Job(id) => Jobs::<T>::get(id).map(|job| WorkParties {
				value: match &job.status {
					JobStatus::Completed { price, .. } => *price,
					_ => job.terms.max_price,
				}
				.saturating_add(job.terms.collateral),
				completed: match job.status {
					JobStatus::Completed { prover, at, .. } => Some((prover, at)),
					_ => None,
				},
				requester: job.requester,
				circuit: job.circuit,
			}),
			WorkId::Slot(grid, slot) => GridJobs::<T>::get(grid).and_then(|grid| {
				let state = grid.slots.get(slot as usize)?.state.clone();
				Some(WorkParties {
					value: grid.terms.bounty.saturating_add(grid.terms.collateral),
					completed: match state {
						SlotState::Proven { prover, at, .. } => Some((prover, at)),
						_ => None,
					},
					requester: grid.requester,
					circuit: grid.circuit,
				})
			}),
		}
	}

	fn provably_unprovable(work: WorkId) -> bool {
		let (circuit, inputs) = match work {
			WorkId::Job(id) => match Jobs::<T>::get(id) {
				Some(job) => (job.circuit, job.inputs),
				None => return false,
			},
			WorkId::Slot(grid, _) => match GridJobs::<T>::get(grid) {
				Some(grid) => (grid.circuit, grid.inputs),
				None => return false,
			},
		};
		// Revoked by governance, not merely unregistered by its owner (who could otherwise
		// clear its own slashes: a key no live job uses may be unregistered).
		T::Verifier::revoked(&circuit) || !inputs.iter().all(work::in_field)
	}
}
