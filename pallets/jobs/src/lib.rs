//! # Jobs
//!
//! ## Overview
//!
//! Verifiable compute jobs. A requester submits a job: a circuit (a registered verifying key),
//! public inputs, and an offer (a price range, timeouts, a collateral), and the price's upper
//! bound is held in escrow. Provers compete for it in a reverse-Dutch auction: the price rises
//! linearly from `min_price` to `max_price` over `ramp_blocks`, and the first eligible prover to
//! [`lock`](Pallet::lock) it gets it at the current price, holding the job's collateral. The
//! prover then runs the computation off chain and calls [`submit_result`](Pallet::submit_result)
//! with its outputs and a Groth16 proof. In that one extrinsic the proof is verified (natively,
//! through the verifier), the prover is paid `price − fee`, the fee goes to the treasury, the
//! collateral is released and the rest of the escrow is refunded.
//!
//! An invalid proof does not fail the extrinsic: the offence is recorded, the collateral is
//! forfeited to the requester, and the job opens again (or expires, if its lock window is
//! over). A prover that does not prove in time is treated alike by [`Hooks::on_initialize`],
//! which processes the deadlines due in each block, at most `MaxDeadlinesPerBlock` of them.
//!
//! An off-chain worker ([`offchain`]) does the prover's side automatically for a node that has
//! a prover key (key type `cprv`) and a proving daemon configured.
//!
//! ## Terms
//!
//! - **Statement**: the public inputs a proof is checked against:
//!   `binding ‖ requester inputs ‖ prover outputs`, each a 32-byte big-endian scalar.
//! - **Binding**: `cloudana_groth16::statement::binding_input(genesis hash, job id, prover)`,
//!   public input 0, so a proof is good for one job, one prover and one chain only.
//! - **Escrow**: `max_price`, held from the requester with [`HoldReason::JobEscrow`] from
//!   submission until the job completes, is cancelled or expires.
//! - **Collateral**: `terms.collateral`, held from the prover with
//!   [`HoldReason::JobCollateral`] while the job is locked.
//! - **Fee**: `Fees::fee_rate(prover) × price` on completion (10%, 8% for Diamond-tier provers
//!   on Cloudana), `CancellationFee × max_price` on cancellation,
//!   paid to `TreasuryAccount` out of the escrow.
//! - **Expiry blocks**: `lock_expires_at` is the first block at which an open job has expired;
//!   a lock's `expires_at` is the first block at which it has timed out. Deadlines falling in a
//!   full block move to the next block with room (at most 16 blocks later).
//! - Amounts are base units (12 decimals on Cloudana, 1 CLD = 10¹² base units); times are
//!   blocks (6 s each on Cloudana).
//!
//! ## Calls
//!
//! - [`Pallet::submit`]: submit a job and hold its escrow.
//! - [`Pallet::lock`]: take an open job at the current price and hold its collateral.
//! - [`Pallet::submit_result`]: submit outputs and a proof; verify; pay or reopen.
//! - [`Pallet::cancel`]: cancel an open job, refunding the escrow minus a fee.
//! - [`Pallet::submit_grid`], [`Pallet::lock_slot`], [`Pallet::submit_slot_result`]:
//!   multi-slot (grid) jobs, one slot per hyper-parameter vector, best-of payout at the close
//!   ([`grid`] has the rules).
//!
//! Pallets reached: a [`Verifier`], a [`ProverRegistry`], [`ProverOutcomes`] (reputation and
//! slashing hear of every completion and offence) and a [`FeePolicy`], all through traits
//! declared here and implemented by the runtime. A failed job's requester is refunded from the
//! escrow in full, whatever happens to the prover's stake.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod funds;
pub mod grid;
#[cfg(test)]
mod mock;
pub mod offchain;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

pub use weights::WeightInfo;

/// The key type of prover keys in a node's keystore.
pub const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"cprv");

/// Seed of the simulated verifying keys the benchmarks register.
#[cfg(feature = "runtime-benchmarks")]
pub const BENCHMARK_SEED: &[u8] = b"cloudana/jobs/benchmark";

/// How many blocks later than asked a deadline may be scheduled when blocks are full.
const MAX_DEADLINE_SHIFT: u32 = 16;

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
	use cloudana_groth16::{statement, Groth16Error, Proof, PublicInput};
	use frame_support::pallet_prelude::*;
	use frame_system::{
		offchain::{AppCrypto, CreateSignedTransaction},
		pallet_prelude::*,
	};
	use sp_runtime::{
		traits::{One, Saturating, Zero},
		Perbill,
	};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config + CreateSignedTransaction<Call<Self>> {
		/// The currency escrows and collaterals are held in.
		type Currency: frame_support::traits::fungible::Inspect<Self::AccountId>
			+ frame_support::traits::fungible::Mutate<Self::AccountId>
			+ frame_support::traits::fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Verifies proofs against registered keys.
		type Verifier: Verifier;

		/// Tells which provers may lock which jobs.
		type Provers: ProverRegistry<Self::AccountId, BalanceOf<Self>>;

		/// Hears of completions and offences (invalid proofs, timeouts).
		type Outcomes: ProverOutcomes<Self::AccountId>;

		/// The share of the price paid to the treasury when a job completes.
		type Fees: FeePolicy<Self::AccountId>;

		/// Share of `max_price` paid to the treasury when a requester cancels.
		#[pallet::constant]
		type CancellationFee: Get<Perbill>;

		/// The account fees are paid to. It must exist (hold at least the existential deposit).
		#[pallet::constant]
		type TreasuryAccount: Get<Self::AccountId>;

		/// The most public inputs a requester may give a job.
		#[pallet::constant]
		type MaxInputs: Get<u32>;

		/// The most public outputs a job may have.
		#[pallet::constant]
		type MaxOutputs: Get<u32>;

		/// The longest lock window a requester may ask for, blocks.
		#[pallet::constant]
		type MaxLockTimeout: Get<BlockNumberFor<Self>>;

		/// The longest proof timeout a requester may ask for, blocks.
		#[pallet::constant]
		type MaxProofTimeout: Get<BlockNumberFor<Self>>;

		/// The most deadlines processed in one block; also the per-block cap of the queue
		/// (of each queue: jobs' and grids').
		#[pallet::constant]
		type MaxDeadlinesPerBlock: Get<u32>;

		/// The most slots a grid job may have.
		#[pallet::constant]
		type MaxSlots: Get<u32>;

		/// The longest hyper-parameter vector of a slot, bytes.
		#[pallet::constant]
		type MaxHyperParamsLen: Get<u32>;

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
		/// A requester's escrow for a job.
		#[codec(index = 0)]
		JobEscrow,
		/// A prover's collateral for a locked job.
		#[codec(index = 1)]
		JobCollateral,
	}

	/// The id the next job gets.
	#[pallet::storage]
	pub type NextJobId<T> = StorageValue<_, JobId, ValueQuery>;

	/// Every job, by id.
	#[pallet::storage]
	pub type Jobs<T: Config> = StorageMap<_, Twox64Concat, JobId, JobOf<T>>;

	/// Jobs with a deadline at a block: lock windows closing and locks timing out. Entries of
	/// jobs that moved on are skipped when the block comes.
	#[pallet::storage]
	pub type Deadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<JobId, T::MaxDeadlinesPerBlock>,
		ValueQuery,
	>;

	/// The id the next grid job gets.
	#[pallet::storage]
	pub type NextGridId<T> = StorageValue<_, GridId, ValueQuery>;

	/// Every grid job, by id.
	#[pallet::storage]
	pub type GridJobs<T: Config> = StorageMap<_, Twox64Concat, GridId, GridJobOf<T>>;

	/// Grid deadlines at a block: slot locks timing out and grids closing. Entries that no
	/// longer apply are skipped when the block comes.
	#[pallet::storage]
	pub type GridDeadlines<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, BoundedVec<GridDeadline, T::MaxDeadlinesPerBlock>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A grid job was submitted and its bounty held.
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
			/// The block it closes in (earlier if every slot is proven).
			closes_at: BlockNumberFor<T>,
		},
		/// A prover locked a slot.
		SlotLocked {
			/// The grid.
			grid: GridId,
			/// The slot.
			slot: SlotIndex,
			/// The prover.
			prover: T::AccountId,
			/// Collateral held, base units.
			collateral: BalanceOf<T>,
			/// The first block at which the lock times out.
			expires_at: BlockNumberFor<T>,
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
		/// A slot's proof did not verify; the collateral went to the requester; the slot is
		/// open again.
		SlotRejected {
			/// The grid.
			grid: GridId,
			/// The slot.
			slot: SlotIndex,
			/// The prover.
			prover: T::AccountId,
			/// Which check failed.
			reason: Groth16Error,
			/// Collateral forfeited, base units.
			forfeited: BalanceOf<T>,
		},
		/// A slot's lock timed out; the collateral went to the requester; the slot is open
		/// again (if the grid is).
		SlotExpired {
			/// The grid.
			grid: GridId,
			/// The slot.
			slot: SlotIndex,
			/// The prover.
			prover: T::AccountId,
			/// Collateral forfeited, base units.
			forfeited: BalanceOf<T>,
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
		/// A job was submitted and its escrow held.
		JobSubmitted {
			/// The job.
			job: JobId,
			/// Who submitted it.
			requester: T::AccountId,
			/// Its circuit.
			circuit: CircuitId,
			/// Escrow held, base units.
			max_price: BalanceOf<T>,
			/// The first block at which it expires if nobody locks it.
			lock_expires_at: BlockNumberFor<T>,
		},
		/// A prover locked a job.
		JobLocked {
			/// The job.
			job: JobId,
			/// The prover.
			prover: T::AccountId,
			/// The price fixed, base units.
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
		/// A submitted proof did not verify; the prover's collateral went to the requester.
		ProofRejected {
			/// The job.
			job: JobId,
			/// The prover.
			prover: T::AccountId,
			/// Which check failed.
			reason: Groth16Error,
			/// Collateral forfeited to the requester, base units.
			forfeited: BalanceOf<T>,
			/// Whether the job is open again (otherwise it expired).
			reopened: bool,
		},
		/// A lock timed out; the prover's collateral went to the requester.
		LockExpired {
			/// The job.
			job: JobId,
			/// The prover.
			prover: T::AccountId,
			/// Collateral forfeited to the requester, base units.
			forfeited: BalanceOf<T>,
			/// Whether the job is open again (otherwise it expired).
			reopened: bool,
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
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No job with this id.
		JobNotFound,
		/// Only the job's requester may do this.
		NotRequester,
		/// Only the prover that locked the job may do this.
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
		/// The number of outputs is not what the job expects.
		OutputCountMismatch,
		/// `max_price` is zero.
		ZeroPrice,
		/// `min_price` is above `max_price`.
		InvalidPriceRange,
		/// `lock_timeout` is zero or above `MaxLockTimeout`.
		InvalidLockTimeout,
		/// `proof_timeout` is zero or above `MaxProofTimeout`.
		InvalidProofTimeout,
		/// The requester cannot afford the escrow.
		InsufficientBalance,
		/// The prover cannot afford the collateral.
		InsufficientCollateral,
		/// Every block within reach of the deadline is full of deadlines.
		DeadlineQueueFull,
		/// A requester cannot lock their own job.
		CannotLockOwnJob,
		/// The prover is not registered.
		NotRegistered,
		/// The prover has no active stake.
		ProverInactive,
		/// The prover does not serve the job's circuit.
		CircuitNotServed,
		/// The prover's stake is below the tier for the job's price.
		StakeTooLow,
		/// The prover's reputation tier does not allow the job's price.
		ReputationTooLow,
		/// The prover is banned.
		ProverBanned,
		/// The prover is suspended after an offence.
		ProverSuspended,
		/// The prover is chilled.
		ProverChilled,
		/// No grid job with this id.
		GridNotFound,
		/// The grid job is closed (or past its close).
		GridClosed,
		/// The grid job has no slot with this index.
		SlotNotFound,
		/// The slot is not open.
		SlotNotOpen,
		/// The slot is not locked.
		SlotNotLocked,
		/// A grid job needs at least one slot.
		NoSlots,
		/// `duration` is zero or above `MaxLockTimeout`.
		InvalidGridDuration,
		/// `metric_output` is not one of the circuit's outputs.
		InvalidMetricOutput,
		/// The metric output is 2¹²⁸ or more.
		MetricOutOfRange,
	}

	impl<T> From<Ineligible> for Error<T> {
		fn from(reason: Ineligible) -> Self {
			match reason {
				Ineligible::NotRegistered => Error::NotRegistered,
				Ineligible::Banned => Error::ProverBanned,
				Ineligible::Suspended => Error::ProverSuspended,
				Ineligible::Chilled => Error::ProverChilled,
				Ineligible::Inactive => Error::ProverInactive,
				Ineligible::CircuitNotServed => Error::CircuitNotServed,
				Ineligible::StakeTooLow => Error::StakeTooLow,
				Ineligible::ReputationTooLow => Error::ReputationTooLow,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Processes the deadlines due now: at most `MaxDeadlinesPerBlock`.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let due = Deadlines::<T>::take(now);
			let count = due.len() as u32;
			for job in due {
				Self::process_deadline(job, now);
			}
			let grid_due = GridDeadlines::<T>::take(now);
			let grid_count = grid_due.len() as u32;
			for deadline in grid_due {
				Self::process_grid_deadline(deadline, now);
			}
			T::WeightInfo::on_initialize(count)
				.saturating_add(T::WeightInfo::close_grid(T::MaxSlots::get()).saturating_mul(grid_count.into()))
		}

		fn offchain_worker(now: BlockNumberFor<T>) {
			offchain::run::<T>(now);
		}

		fn integrity_test() {
			assert!(T::MaxDeadlinesPerBlock::get() > 0, "MaxDeadlinesPerBlock must be positive");
			assert!(T::MaxSlots::get() > 0 && T::MaxSlots::get() <= 1 << 16, "MaxSlots must be 1 to 65 536");
			assert!(!T::MaxLockTimeout::get().is_zero(), "MaxLockTimeout must be positive");
			assert!(!T::MaxProofTimeout::get().is_zero(), "MaxProofTimeout must be positive");
			assert!(
				T::MaxInputs::get() + T::MaxOutputs::get() < cloudana_groth16::MAX_PUBLIC_INPUTS,
				"binding + MaxInputs + MaxOutputs must fit in MAX_PUBLIC_INPUTS"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Submit a job and hold its escrow.
		///
		/// - Origin: signed; the signer is the requester.
		/// - `circuit`: id of a registered verifying key.
		/// - `inputs`: the requester's public inputs, 32-byte big-endian scalars; the circuit's
		///   key must take at least `1 + inputs.len()` inputs (the rest are the prover's
		///   outputs, at most `MaxOutputs`).
		/// - `terms`: prices in base units (`0 < max_price`, `min_price ≤ max_price`), timeouts
		///   in blocks (`1 ≤ lock_timeout ≤ MaxLockTimeout`, `1 ≤ proof_timeout ≤
		///   MaxProofTimeout`), collateral in base units.
		///
		/// Holds `max_price` from the requester ([`HoldReason::JobEscrow`]), marks the key used,
		/// stores the job as open and schedules its lock window to close.
		///
		/// Emits [`Event::JobSubmitted`].
		///
		/// Errors: [`Error::ZeroPrice`], [`Error::InvalidPriceRange`],
		/// [`Error::InvalidLockTimeout`], [`Error::InvalidProofTimeout`],
		/// [`Error::CircuitNotFound`], [`Error::TooManyInputs`], [`Error::TooManyOutputs`],
		/// [`Error::InsufficientBalance`], [`Error::DeadlineQueueFull`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::submit())]
		pub fn submit(
			origin: OriginFor<T>,
			circuit: CircuitId,
			inputs: BoundedVec<PublicInput, T::MaxInputs>,
			terms: JobTermsOf<T>,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			ensure!(!terms.max_price.is_zero(), Error::<T>::ZeroPrice);
			ensure!(terms.min_price <= terms.max_price, Error::<T>::InvalidPriceRange);
			ensure!(
				!terms.lock_timeout.is_zero() && terms.lock_timeout <= T::MaxLockTimeout::get(),
				Error::<T>::InvalidLockTimeout
			);
			ensure!(
				!terms.proof_timeout.is_zero() && terms.proof_timeout <= T::MaxProofTimeout::get(),
				Error::<T>::InvalidProofTimeout
			);
			let total = T::Verifier::public_inputs(&circuit).ok_or(Error::<T>::CircuitNotFound)?;
			let outputs =
				total.checked_sub(1 + inputs.len() as u32).ok_or(Error::<T>::TooManyInputs)?;
			ensure!(outputs <= T::MaxOutputs::get(), Error::<T>::TooManyOutputs);

			funds::hold_escrow::<T>(&requester, terms.max_price)?;
			T::Verifier::acquire(&circuit).map_err(|_| Error::<T>::CircuitNotFound)?;
			let job = NextJobId::<T>::mutate(|next| {
				let id = *next;
				*next = next.saturating_add(1);
				id
			});
			let now = frame_system::Pallet::<T>::block_number();
			let lock_expires_at = Self::schedule(job, now.saturating_add(terms.lock_timeout))?;
			let max_price = terms.max_price;
			Jobs::<T>::insert(
				job,
				Job {
					requester: requester.clone(),
					circuit,
					inputs,
					outputs,
					terms,
					submitted_at: now,
					lock_expires_at,
					status: JobStatus::Open,
				},
			);
			Self::deposit_event(Event::JobSubmitted {
				job,
				requester,
				circuit,
				max_price,
				lock_expires_at,
			});
			Ok(())
		}

		/// Lock an open job at the current price.
		///
		/// - Origin: signed by an eligible prover (registered, not banned, suspended or chilled,
		///   with active stake at the tier for the price and a reputation tier that allows the
		///   price, serving the circuit), not the requester.
		/// - `job`: the job's id.
		///
		/// Fixes the price at the current point of the ramp, holds the job's collateral from
		/// the prover ([`HoldReason::JobCollateral`]) and schedules the lock to time out
		/// `proof_timeout` blocks from now.
		///
		/// Emits [`Event::JobLocked`].
		///
		/// Errors: [`Error::JobNotFound`], [`Error::JobNotOpen`], [`Error::LockWindowClosed`],
		/// [`Error::CannotLockOwnJob`], [`Error::NotRegistered`], [`Error::ProverBanned`],
		/// [`Error::ProverSuspended`], [`Error::ProverChilled`], [`Error::ProverInactive`],
		/// [`Error::CircuitNotServed`], [`Error::StakeTooLow`], [`Error::ReputationTooLow`],
		/// [`Error::InsufficientCollateral`], [`Error::DeadlineQueueFull`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::lock())]
		pub fn lock(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let prover = ensure_signed(origin)?;
			let mut record = Jobs::<T>::get(job).ok_or(Error::<T>::JobNotFound)?;
			ensure!(record.status == JobStatus::Open, Error::<T>::JobNotOpen);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now < record.lock_expires_at, Error::<T>::LockWindowClosed);
			ensure!(prover != record.requester, Error::<T>::CannotLockOwnJob);
			let price = Self::price_at(&record, now);
			T::Provers::ensure_eligible(&prover, &record.circuit, price).map_err(Error::<T>::from)?;

			funds::hold_collateral::<T>(&prover, record.terms.collateral)?;
			let expires_at = Self::schedule(job, now.saturating_add(record.terms.proof_timeout))?;
			let collateral = record.terms.collateral;
			record.status =
				JobStatus::Locked { prover: prover.clone(), price, locked_at: now, expires_at };
			Jobs::<T>::insert(job, record);
			Self::deposit_event(Event::JobLocked { job, prover, price, collateral, expires_at });
			Ok(())
		}

		/// Submit a job's outputs with a proof; verify it; pay the prover or reopen the job.
		///
		/// - Origin: signed by the prover that locked the job, before the lock times out.
		/// - `job`: the job's id.
		/// - `outputs`: the prover's public outputs, as many as the job expects.
		/// - `proof`: a Groth16 proof (EIP-197, 256 bytes) of the statement
		///   `binding ‖ inputs ‖ outputs` under the job's circuit.
		///
		/// If the proof verifies: pays the prover `price − fee`, pays
		/// `fee = Fees::fee_rate(prover) × price` to the treasury, refunds `max_price − price` to the requester, releases the
		/// collateral, and records the job as completed with its outputs
		/// ([`Event::JobCompleted`]).
		///
		/// If it does not: the call still succeeds, so the offence stands. The collateral is
		/// forfeited to the requester, the offence is reported, and the job opens again, or
		/// expires with a full refund if its lock window has closed ([`Event::ProofRejected`],
		/// then [`Event::JobExpired`]).
		///
		/// Errors: [`Error::JobNotFound`], [`Error::JobNotLocked`], [`Error::NotJobProver`],
		/// [`Error::ProofDeadlinePassed`], [`Error::OutputCountMismatch`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::submit_result(
			1 + T::MaxInputs::get() + outputs.len() as u32
		))]
		pub fn submit_result(
			origin: OriginFor<T>,
			job: JobId,
			outputs: BoundedVec<PublicInput, T::MaxOutputs>,
			proof: Box<Proof>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let record = Jobs::<T>::get(job).ok_or(Error::<T>::JobNotFound)?;
			let JobStatus::Locked { prover, price, expires_at, .. } = record.status.clone() else {
				return Err(Error::<T>::JobNotLocked.into());
			};
			ensure!(who == prover, Error::<T>::NotJobProver);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now < expires_at, Error::<T>::ProofDeadlinePassed);
			ensure!(outputs.len() as u32 == record.outputs, Error::<T>::OutputCountMismatch);

			let statement = Self::statement(job, &prover, &record.inputs, &outputs);
			let weight = T::WeightInfo::submit_result(statement.len() as u32);
			match T::Verifier::verify(&record.circuit, &statement, &proof) {
				Ok(()) => Self::complete(job, record, prover, price, outputs, now)?,
				Err(reason) => Self::reject(job, record, prover, reason, now)?,
			}
			Ok(Some(weight).into())
		}

		/// Cancel an open job.
		///
		/// - Origin: signed by the job's requester.
		/// - `job`: the job's id; it must be open (not locked).
		///
		/// Pays `CancellationFee × max_price` to the treasury out of the escrow, refunds the
		/// rest, and records the job as cancelled.
		///
		/// Emits [`Event::JobCancelled`].
		///
		/// Errors: [`Error::JobNotFound`], [`Error::NotRequester`], [`Error::JobNotOpen`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Jobs::<T>::get(job).ok_or(Error::<T>::JobNotFound)?;
			ensure!(who == record.requester, Error::<T>::NotRequester);
			ensure!(record.status == JobStatus::Open, Error::<T>::JobNotOpen);
			let escrow = record.terms.max_price;
			let fee = T::CancellationFee::get() * escrow;
			funds::pay_from_escrow::<T>(&who, &T::TreasuryAccount::get(), fee)?;
			let refund = funds::refund_escrow::<T>(&who, escrow.saturating_sub(fee))?;
			T::Verifier::release(&record.circuit);
			record.status = JobStatus::Cancelled { refund, fee };
			Jobs::<T>::insert(job, record);
			Self::deposit_event(Event::JobCancelled { job, refund, fee });
			Ok(())
		}

		/// Submit a multi-slot (grid) job and hold its bounty.
		///
		/// - Origin: signed; the signer is the requester.
		/// - `circuit`: id of a registered verifying key.
		/// - `inputs`: the requester's public inputs, the same for every slot (e.g. the dataset
		///   commitment); the key must take at least `1 + inputs.len()` inputs.
		/// - `slots`: one hyper-parameter vector per slot (opaque bytes, at most
		///   `MaxHyperParamsLen` each), 1 to `MaxSlots` of them.
		/// - `metric_output`: which of the prover's outputs ranks the slots (higher is better).
		/// - `terms`: `bounty` > 0 base units; `collateral` base units; `proof_timeout` 1 to
		///   `MaxProofTimeout` blocks; `duration` 1 to `MaxLockTimeout` blocks.
		///
		/// Holds the bounty ([`HoldReason::JobEscrow`]), marks the key used and schedules the
		/// close.
		///
		/// Emits [`Event::GridSubmitted`].
		///
		/// Errors: [`Error::NoSlots`], [`Error::ZeroPrice`], [`Error::InvalidProofTimeout`],
		/// [`Error::InvalidGridDuration`], [`Error::CircuitNotFound`], [`Error::TooManyInputs`],
		/// [`Error::TooManyOutputs`], [`Error::InvalidMetricOutput`],
		/// [`Error::InsufficientBalance`], [`Error::DeadlineQueueFull`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::submit_grid(slots.len() as u32))]
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
		/// - `grid`, `slot`: an open slot of a grid that has not closed.
		///
		/// Holds the grid's collateral from the prover and schedules the lock to time out
		/// `proof_timeout` blocks from now, or at the close if sooner.
		///
		/// Emits [`Event::SlotLocked`].
		///
		/// Errors: [`Error::GridNotFound`], [`Error::GridClosed`], [`Error::SlotNotFound`],
		/// [`Error::SlotNotOpen`], [`Error::CannotLockOwnJob`], the eligibility errors of
		/// [`Pallet::lock`], [`Error::InsufficientCollateral`], [`Error::DeadlineQueueFull`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::lock_slot())]
		pub fn lock_slot(origin: OriginFor<T>, grid: GridId, slot: SlotIndex) -> DispatchResult {
			let prover = ensure_signed(origin)?;
			Self::do_lock_slot(prover, grid, slot)
		}

		/// Submit a slot's outputs with a proof; verify it; record the metric or reopen the
		/// slot.
		///
		/// - Origin: signed by the prover that locked the slot, before the lock times out.
		/// - `outputs`: as many as the grid expects; the metric output must be below 2¹²⁸.
		/// - `proof`: a Groth16 proof (EIP-197, 256 bytes) of
		///   `binding(grid_binding_job(grid, slot), prover) ‖ inputs ‖ outputs`.
		///
		/// If it verifies: releases the collateral and records the slot as proven
		/// ([`Event::SlotProven`]); when it was the last slot, closes the grid and pays out
		/// ([`Event::GridClosed`]). If not: the call still succeeds so the offence stands; the
		/// collateral goes to the requester and the slot opens again ([`Event::SlotRejected`]).
		///
		/// Errors: [`Error::GridNotFound`], [`Error::GridClosed`], [`Error::SlotNotFound`],
		/// [`Error::SlotNotLocked`], [`Error::NotJobProver`], [`Error::ProofDeadlinePassed`],
		/// [`Error::OutputCountMismatch`], [`Error::MetricOutOfRange`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::submit_slot_result(1 + T::MaxInputs::get() + outputs.len() as u32)
			.saturating_add(T::WeightInfo::close_grid(T::MaxSlots::get())))]
		pub fn submit_slot_result(
			origin: OriginFor<T>,
			grid: GridId,
			slot: SlotIndex,
			outputs: BoundedVec<PublicInput, T::MaxOutputs>,
			proof: Box<Proof>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (inputs, slots) =
				GridJobs::<T>::get(grid).map_or((0, 0), |job| (job.inputs.len() as u32, job.slots.len() as u32));
			let n = 1 + inputs + outputs.len() as u32;
			let closed = Self::do_submit_slot_result(who, grid, slot, outputs, &proof)?;
			let mut weight = T::WeightInfo::submit_slot_result(n);
			if closed {
				weight = weight.saturating_add(T::WeightInfo::close_grid(slots));
			}
			Ok(Some(weight).into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// A job's record.
		pub fn job(job: JobId) -> Option<JobOf<T>> {
			Jobs::<T>::get(job)
		}

		/// The price a job would lock at in block `now`: `min_price` at submission, rising
		/// linearly to `max_price` after `ramp_blocks`.
		pub fn price_at(job: &JobOf<T>, now: BlockNumberFor<T>) -> BalanceOf<T> {
			let terms = &job.terms;
			let elapsed = now.saturating_sub(job.submitted_at);
			if elapsed >= terms.ramp_blocks {
				return terms.max_price;
			}
			let progress = Perbill::from_rational(elapsed, terms.ramp_blocks);
			terms.min_price.saturating_add(progress * terms.max_price.saturating_sub(terms.min_price))
		}

		/// The binding public input of `job` for `prover` on this chain.
		pub fn binding(job: JobId, prover: &T::AccountId) -> PublicInput {
			let genesis = frame_system::BlockHash::<T>::get(BlockNumberFor::<T>::zero());
			let mut genesis_bytes = [0u8; 32];
			let bytes = genesis.as_ref();
			if bytes.len() == 32 {
				genesis_bytes.copy_from_slice(bytes);
			} else {
				genesis_bytes = sp_io::hashing::blake2_256(bytes);
			}
			statement::binding_input(&genesis_bytes, job, &prover.encode())
		}

		/// The statement a result for `job` by `prover` proves: `binding ‖ inputs ‖ outputs`.
		pub fn statement(
			job: JobId,
			prover: &T::AccountId,
			inputs: &[PublicInput],
			outputs: &[PublicInput],
		) -> Vec<PublicInput> {
			let mut statement = Vec::with_capacity(1 + inputs.len() + outputs.len());
			statement.push(Self::binding(job, prover));
			statement.extend_from_slice(inputs);
			statement.extend_from_slice(outputs);
			statement
		}

		/// Queues `job` at block `at`, or the first block after it with room; returns the block.
		fn schedule(job: JobId, at: BlockNumberFor<T>) -> Result<BlockNumberFor<T>, Error<T>> {
			let mut block = at;
			for _ in 0..=MAX_DEADLINE_SHIFT {
				if Deadlines::<T>::try_mutate(block, |due| due.try_push(job)).is_ok() {
					return Ok(block);
				}
				block = block.saturating_add(One::one());
			}
			Err(Error::<T>::DeadlineQueueFull)
		}

		fn complete(
			job: JobId,
			mut record: JobOf<T>,
			prover: T::AccountId,
			price: BalanceOf<T>,
			outputs: BoundedVec<PublicInput, T::MaxOutputs>,
			now: BlockNumberFor<T>,
		) -> DispatchResult {
			let requester = record.requester.clone();
			let fee = T::Fees::fee_rate(&prover) * price;
			let paid = price.saturating_sub(fee);
			funds::pay_from_escrow::<T>(&requester, &prover, paid)?;
			funds::pay_from_escrow::<T>(&requester, &T::TreasuryAccount::get(), fee)?;
			let refund = funds::refund_escrow::<T>(&requester, record.terms.max_price.saturating_sub(price))?;
			funds::release_collateral::<T>(&prover, record.terms.collateral)?;
			T::Verifier::release(&record.circuit);
			if let JobStatus::Locked { locked_at, .. } = record.status {
				// On time: in the first half of the proof window.
				let taken = now.saturating_sub(locked_at);
				let on_time = taken.saturating_mul(2u32.into()) <= record.terms.proof_timeout;
				T::Outcomes::on_completed(&prover, job, on_time);
			}
			record.status = JobStatus::Completed {
				prover: prover.clone(),
				price,
				fee,
				outputs: outputs.clone(),
				at: now,
			};
			Jobs::<T>::insert(job, record);
			Self::deposit_event(Event::JobCompleted { job, prover, price, paid, fee, refund, outputs });
			Ok(())
		}

		/// The prover failed the job (`offence`): forfeit its collateral to the requester,
		/// report it, and reopen or expire the job. Returns the amount forfeited and whether
		/// the job reopened.
		fn fail_lock(
			job: JobId,
			record: &mut JobOf<T>,
			prover: &T::AccountId,
			offence: Offence,
			now: BlockNumberFor<T>,
		) -> Result<(BalanceOf<T>, bool), DispatchError> {
			let forfeited = funds::forfeit_collateral::<T>(prover, &record.requester, record.terms.collateral)?;
			T::Outcomes::on_offence(prover, job, offence);
			let reopened = now < record.lock_expires_at;
			record.status = JobStatus::Open;
			Ok((forfeited, reopened))
		}

		fn reject(
			job: JobId,
			mut record: JobOf<T>,
			prover: T::AccountId,
			reason: Groth16Error,
			now: BlockNumberFor<T>,
		) -> DispatchResult {
			let (forfeited, reopened) = Self::fail_lock(job, &mut record, &prover, Offence::InvalidProof, now)?;
			Self::deposit_event(Event::ProofRejected { job, prover, reason, forfeited, reopened });
			if reopened {
				Jobs::<T>::insert(job, record);
				Ok(())
			} else {
				Self::expire(job, record)
			}
		}

		/// Refunds the whole escrow and records the job as expired.
		fn expire(job: JobId, mut record: JobOf<T>) -> DispatchResult {
			let refund = funds::refund_escrow::<T>(&record.requester, record.terms.max_price)?;
			T::Verifier::release(&record.circuit);
			record.status = JobStatus::Expired { refund };
			Jobs::<T>::insert(job, record);
			Self::deposit_event(Event::JobExpired { job, refund });
			Ok(())
		}

		/// Acts on a deadline of `job` due at `now`, if it still applies.
		fn process_deadline(job: JobId, now: BlockNumberFor<T>) {
			let Some(mut record) = Jobs::<T>::get(job) else { return };
			let result = match record.status.clone() {
				JobStatus::Open if record.lock_expires_at <= now => Self::expire(job, record),
				JobStatus::Locked { prover, expires_at, .. } if expires_at <= now =>
					match Self::fail_lock(job, &mut record, &prover, Offence::Timeout, now) {
						Ok((forfeited, reopened)) => {
							Self::deposit_event(Event::LockExpired { job, prover, forfeited, reopened });
							if reopened {
								Jobs::<T>::insert(job, record);
								Ok(())
							} else {
								Self::expire(job, record)
							}
						},
						Err(e) => Err(e),
					},
				_ => Ok(()),
			};
			if let Err(error) = result {
				// Holds made by this pallet cover every amount moved here, so this is a bug.
				log::error!(target: "runtime::jobs", "deadline of job {job} failed: {error:?}");
			}
		}

		/// Checks the pallet's invariants: held escrow and collateral equal what live jobs and
		/// open grid jobs account for, and every live job's, open grid's and locked slot's next
		/// deadline is queued.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			use frame_support::traits::fungible::InspectHold;
			let mut escrow: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			let mut collateral: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			for (id, job) in Jobs::<T>::iter() {
				ensure!(id < NextJobId::<T>::get(), "a job id is not below NextJobId");
				let (live, deadline) = match &job.status {
					JobStatus::Open => (true, Some(job.lock_expires_at)),
					JobStatus::Locked { prover, expires_at, .. } => {
						let entry = collateral.entry(prover.clone()).or_insert_with(Zero::zero);
						*entry = entry.saturating_add(job.terms.collateral);
						(true, Some(*expires_at))
					},
					_ => (false, None),
				};
				if live {
					let entry = escrow.entry(job.requester.clone()).or_insert_with(Zero::zero);
					*entry = entry.saturating_add(job.terms.max_price);
				}
				if let Some(at) = deadline {
					ensure!(Deadlines::<T>::get(at).contains(&id), "a live job's deadline is not queued");
				}
			}
			for (id, grid) in GridJobs::<T>::iter() {
				ensure!(id < NextGridId::<T>::get(), "a grid id is not below NextGridId");
				if grid.status != GridStatus::Open {
					continue;
				}
				let entry = escrow.entry(grid.requester.clone()).or_insert_with(Zero::zero);
				*entry = entry.saturating_add(grid.terms.bounty);
				ensure!(
					GridDeadlines::<T>::get(grid.closes_at).contains(&GridDeadline::Close(id)),
					"an open grid's close is not queued"
				);
				for (slot, s) in grid.slots.iter().enumerate() {
					if let SlotState::Locked { prover, expires_at, .. } = &s.state {
						let entry = collateral.entry(prover.clone()).or_insert_with(Zero::zero);
						*entry = entry.saturating_add(grid.terms.collateral);
						ensure!(
							GridDeadlines::<T>::get(expires_at).contains(&GridDeadline::Slot(id, slot as SlotIndex)),
							"a locked slot's deadline is not queued"
						);
					}
				}
			}
			for (who, amount) in escrow {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::JobEscrow.into(), &who) == amount,
					"held escrow differs from the live jobs' max prices"
				);
			}
			for (who, amount) in collateral {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::JobCollateral.into(), &who) == amount,
					"held collateral differs from the locked jobs' collaterals"
				);
			}
			Ok(())
		}
	}
}
