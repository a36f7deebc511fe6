//! # Slashing
//!
//! ## Overview
//!
//! Offences provers commit, and the slashes of stake that follow. The pallets that observe an
//! offence report it ([`Pallet::report_offence`]; pallet-jobs reports timeouts and invalid
//! proofs, the disputes pallet will report fraud). For each offence this pallet:
//!
//! 1. records it once: a second report of the same offence (same prover, kind, job and block)
//!    is refused ([`ReportError::AlreadyReported`]), so there is at most one slash per offence;
//! 2. computes the slash, a share of the prover's slashable stake (active plus unbonding) at
//!    the time of the report: timeout 10%, invalid proof 25%, repeated failures 30%, fraud 50%
//!    (DESIGN, "Economics"; each a runtime parameter);
//! 3. suspends the prover at once, so it locks no new job: for `OffenceSuspension` blocks, for
//!    `RepeatedFailuresSuspension` blocks when the 3-failures-in-7-days rule fires, or bans it
//!    for fraud;
//! 4. defers the slash by `SlashDeferDuration` blocks, during which `CancelOrigin`
//!    (governance) may cancel it with [`Pallet::cancel_deferred_slash`] (which also lifts the
//!    suspension it caused);
//! 5. applies it when the deferral ends, in [`Hooks::on_initialize`] (at most
//!    `MaxSlashesPerBlock` per block): takes the amount from the held stake (never more than is
//!    left) and splits it, `InsuranceShare` (80%) to the `InsurancePool` account and the rest
//!    (20%) burned.
//!
//! **Repeated failures.** Timeouts and invalid proofs are failures. When a prover's
//! `FailureThreshold`-th (3rd) failure falls within `FailureWindow` (7 days) of the first one
//! still counted, a further offence, `RepeatedFailures`, is reported for the same job.
//!
//! A failed job's requester is refunded by pallet-jobs from its escrow, whatever happens to
//! the slash: slashed stake goes to the insurance pool, not to the requester.
//!
//! Amounts are base units (12 decimals on Cloudana); durations are blocks (6 s).
//!
//! ## Calls
//!
//! - [`Pallet::cancel_deferred_slash`]: governance cancels a pending slash.
//!
//! The stake lives in pallet-prover-staking, reached through [`StakeLedger`] (wired by the
//! runtime).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(feature = "runtime-benchmarks")]
pub use benchmarking::BenchmarkHelper;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use weights::WeightInfo;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::fungible::{Balanced, Credit, Inspect};
use scale_info::TypeInfo;

/// A job's id (as pallet-jobs numbers them).
pub type JobId = u64;

/// A pending slash's id: sequential from 0.
pub type SlashId = u64;

/// How many blocks later than due a slash may be queued when blocks are full.
const MAX_QUEUE_SHIFT: u32 = 16;

/// What a prover did.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum OffenceKind {
	/// Locked a job and did not prove it in time (`TimeoutSlash`, 10%).
	Timeout,
	/// Submitted a proof that did not verify (`InvalidProofSlash`, 25%).
	InvalidProof,
	/// `FailureThreshold` failures within `FailureWindow` (`RepeatedFailuresSlash`, 30%, and
	/// a `RepeatedFailuresSuspension`).
	RepeatedFailures,
	/// Lost a dispute (`FraudSlash`, 50%, and a ban).
	Fraud,
}

impl OffenceKind {
	/// Whether it counts towards the repeated-failures rule.
	pub fn is_failure(self) -> bool {
		matches!(self, OffenceKind::Timeout | OffenceKind::InvalidProof)
	}
}

/// Why a report was not taken.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReportError {
	/// This offence was reported already.
	AlreadyReported,
}

/// What a report led to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Reported {
	/// The slash it created.
	pub slash: SlashId,
	/// The repeated-failures slash it also triggered, if it did.
	pub repeated: Option<SlashId>,
}

/// A slash waiting for its deferral to end.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct PendingSlash<AccountId, Balance, BlockNumber> {
	/// The prover.
	pub offender: AccountId,
	/// What it did.
	pub kind: OffenceKind,
	/// The job it did it on.
	pub job: JobId,
	/// The block the offence was reported in.
	pub reported_at: BlockNumber,
	/// The prover's slashable stake at the report, base units.
	pub stake: Balance,
	/// The slash, base units: the kind's share of `stake`.
	pub amount: Balance,
	/// The block it is applied in.
	pub apply_at: BlockNumber,
	/// The end of the suspension it caused (`None` for a ban).
	pub suspended_until: Option<BlockNumber>,
}

/// Where a prover's stake lives (implemented by the runtime with pallet-prover-staking).
pub trait StakeLedger<AccountId, BlockNumber, C: Inspect<AccountId> + Balanced<AccountId>> {
	/// What a slash could take now, base units.
	fn slashable(who: &AccountId) -> C::Balance;
	/// Takes up to `amount` of `who`'s stake; the credit holds what was taken.
	fn slash(who: &AccountId, amount: C::Balance) -> Credit<AccountId, C>;
	/// Stops `who` locking new jobs until `until` (exclusive).
	fn suspend(who: &AccountId, until: BlockNumber);
	/// Lifts the suspension `suspend(who, until)` set, unless a longer one replaced it.
	fn lift_suspension(who: &AccountId, until: BlockNumber);
	/// Stops `who` locking new jobs for good.
	fn ban(who: &AccountId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible::Balanced, Imbalance},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{One, Saturating, Zero},
		Perbill,
	};

	/// Balance type of the pallet's currency.
	pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// [`PendingSlash`] of a runtime.
	pub type PendingSlashOf<T> =
		PendingSlash<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency stakes are in.
		type Currency: Inspect<Self::AccountId> + Balanced<Self::AccountId>;

		/// Where stakes live.
		type Stake: StakeLedger<Self::AccountId, BlockNumberFor<Self>, Self::Currency>;

		/// May cancel a pending slash (a governance track).
		type CancelOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The insurance pool's account. It must exist (hold at least the existential deposit),
		/// or its share is burned too.
		#[pallet::constant]
		type InsurancePool: Get<Self::AccountId>;

		/// Share of each slash paid to the insurance pool; the rest is burned.
		#[pallet::constant]
		type InsuranceShare: Get<Perbill>;

		/// Blocks between an offence's report and its slash.
		#[pallet::constant]
		type SlashDeferDuration: Get<BlockNumberFor<Self>>;

		/// Share of the stake slashed for a timeout.
		#[pallet::constant]
		type TimeoutSlash: Get<Perbill>;
		/// Share of the stake slashed for an invalid proof.
		#[pallet::constant]
		type InvalidProofSlash: Get<Perbill>;
		/// Share of the stake slashed for repeated failures.
		#[pallet::constant]
		type RepeatedFailuresSlash: Get<Perbill>;
		/// Share of the stake slashed for fraud.
		#[pallet::constant]
		type FraudSlash: Get<Perbill>;

		/// How many failures within `FailureWindow` make repeated failures.
		#[pallet::constant]
		type FailureThreshold: Get<u32>;
		/// Blocks within which `FailureThreshold` failures make repeated failures.
		#[pallet::constant]
		type FailureWindow: Get<BlockNumberFor<Self>>;

		/// Blocks a prover is suspended after an offence.
		#[pallet::constant]
		type OffenceSuspension: Get<BlockNumberFor<Self>>;
		/// Blocks a prover is suspended after repeated failures.
		#[pallet::constant]
		type RepeatedFailuresSuspension: Get<BlockNumberFor<Self>>;

		/// The most slashes applied in one block; also the per-block cap of the queue.
		#[pallet::constant]
		type MaxSlashesPerBlock: Get<u32>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;

		/// Sets up stake for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The id the next slash gets.
	#[pallet::storage]
	pub type NextSlashId<T> = StorageValue<_, SlashId, ValueQuery>;

	/// Slashes waiting for their deferral to end.
	#[pallet::storage]
	pub type PendingSlashes<T: Config> = StorageMap<_, Twox64Concat, SlashId, PendingSlashOf<T>>;

	/// Pending slashes by the block they are applied in.
	#[pallet::storage]
	pub type SlashQueue<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, BoundedVec<SlashId, T::MaxSlashesPerBlock>, ValueQuery>;

	/// Offences reported, by prover and `(kind, job, block)`, with the slash each led to.
	#[pallet::storage]
	pub type Offences<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		(OffenceKind, JobId, BlockNumberFor<T>),
		SlashId,
	>;

	/// Each prover's recent failures (blocks), oldest first.
	#[pallet::storage]
	pub type RecentFailures<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BoundedVec<BlockNumberFor<T>, T::FailureThreshold>, ValueQuery>;

	/// Everything slashes have paid to the insurance pool, base units.
	#[pallet::storage]
	pub type TotalToInsurance<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Everything slashes have burned, base units.
	#[pallet::storage]
	pub type TotalBurned<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An offence was reported; its slash is pending.
		OffenceReported {
			/// The slash.
			slash: SlashId,
			/// The prover.
			offender: T::AccountId,
			/// What it did.
			kind: OffenceKind,
			/// The job.
			job: JobId,
			/// The slash, base units.
			amount: BalanceOf<T>,
			/// The block it will be applied in.
			apply_at: BlockNumberFor<T>,
		},
		/// A slash was applied.
		SlashApplied {
			/// The slash.
			slash: SlashId,
			/// The prover.
			offender: T::AccountId,
			/// Taken from the stake, base units (at most what was left of it).
			amount: BalanceOf<T>,
			/// Paid to the insurance pool, base units.
			to_insurance: BalanceOf<T>,
			/// Burned, base units.
			burned: BalanceOf<T>,
		},
		/// Governance cancelled a pending slash.
		SlashCancelled {
			/// The slash.
			slash: SlashId,
			/// The prover.
			offender: T::AccountId,
			/// The amount it would have taken, base units.
			amount: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No pending slash with this id (never reported, applied or cancelled already).
		SlashNotFound,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Applies the slashes due now: at most `MaxSlashesPerBlock`.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let due = SlashQueue::<T>::take(now);
			let count = due.len() as u32;
			for slash in due {
				Self::apply(slash);
			}
			T::WeightInfo::on_initialize(count)
		}

		fn integrity_test() {
			assert!(T::MaxSlashesPerBlock::get() > 0, "MaxSlashesPerBlock must be positive");
			assert!(T::FailureThreshold::get() > 0, "FailureThreshold must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Cancel a pending slash.
		///
		/// - Origin: `CancelOrigin` (governance).
		/// - `slash`: a pending slash's id.
		///
		/// Drops the slash and lifts the suspension it caused (a longer suspension from a later
		/// offence stays; a ban stays).
		///
		/// Emits [`Event::SlashCancelled`].
		///
		/// Errors: [`Error::SlashNotFound`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::cancel_deferred_slash())]
		pub fn cancel_deferred_slash(origin: OriginFor<T>, slash: SlashId) -> DispatchResult {
			T::CancelOrigin::ensure_origin(origin)?;
			let pending = PendingSlashes::<T>::take(slash).ok_or(Error::<T>::SlashNotFound)?;
			SlashQueue::<T>::mutate(pending.apply_at, |queue| queue.retain(|id| *id != slash));
			if let Some(until) = pending.suspended_until {
				T::Stake::lift_suspension(&pending.offender, until);
			}
			Self::deposit_event(Event::SlashCancelled { slash, offender: pending.offender, amount: pending.amount });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The share of stake slashed for `kind`.
		pub fn slash_share(kind: OffenceKind) -> Perbill {
			match kind {
				OffenceKind::Timeout => T::TimeoutSlash::get(),
				OffenceKind::InvalidProof => T::InvalidProofSlash::get(),
				OffenceKind::RepeatedFailures => T::RepeatedFailuresSlash::get(),
				OffenceKind::Fraud => T::FraudSlash::get(),
			}
		}

		/// Reports that `offender` committed `kind` on `job` in this block: suspends (or bans)
		/// it at once and schedules its slash. A timeout or invalid proof that makes
		/// `FailureThreshold` failures within `FailureWindow` also reports `RepeatedFailures`.
		///
		/// Emits [`Event::OffenceReported`] (and [`Event::SlashApplied`] at once when
		/// `SlashDeferDuration` is zero).
		pub fn report_offence(offender: &T::AccountId, kind: OffenceKind, job: JobId) -> Result<Reported, ReportError> {
			let now = frame_system::Pallet::<T>::block_number();
			let slash = Self::record(offender, kind, job, now)?;
			let mut repeated = None;
			if kind.is_failure() {
				let window = T::FailureWindow::get();
				let fired = RecentFailures::<T>::mutate(offender, |failures| {
					failures.retain(|at| now < at.saturating_add(window));
					if failures.try_push(now).is_err() || failures.len() as u32 >= T::FailureThreshold::get() {
						failures.clear();
						return true;
					}
					false
				});
				if fired {
					repeated = Self::record(offender, OffenceKind::RepeatedFailures, job, now).ok();
				}
			}
			Ok(Reported { slash, repeated })
		}

		fn record(
			offender: &T::AccountId,
			kind: OffenceKind,
			job: JobId,
			now: BlockNumberFor<T>,
		) -> Result<SlashId, ReportError> {
			let key = (kind, job, now);
			ensure!(!Offences::<T>::contains_key(offender, key), ReportError::AlreadyReported);
			let slash = NextSlashId::<T>::mutate(|next| {
				let id = *next;
				*next = next.saturating_add(1);
				id
			});
			Offences::<T>::insert(offender, key, slash);

			let stake = T::Stake::slashable(offender);
			let amount = Self::slash_share(kind) * stake;
			let suspended_until = match kind {
				OffenceKind::Fraud => {
					T::Stake::ban(offender);
					None
				},
				OffenceKind::RepeatedFailures => Some(now.saturating_add(T::RepeatedFailuresSuspension::get())),
				_ => Some(now.saturating_add(T::OffenceSuspension::get())),
			};
			if let Some(until) = suspended_until {
				T::Stake::suspend(offender, until);
			}

			let defer = T::SlashDeferDuration::get();
			let apply_at = if defer.is_zero() { now } else { Self::enqueue(slash, now.saturating_add(defer)) };
			PendingSlashes::<T>::insert(
				slash,
				PendingSlash { offender: offender.clone(), kind, job, reported_at: now, stake, amount, apply_at, suspended_until },
			);
			Self::deposit_event(Event::OffenceReported { slash, offender: offender.clone(), kind, job, amount, apply_at });
			if apply_at == now {
				Self::apply(slash);
			}
			Ok(slash)
		}

		/// Queues `slash` at block `at`, or the first block after it with room; when every
		/// block within reach is full, returns the current block: the slash is applied at once
		/// rather than lost.
		fn enqueue(slash: SlashId, at: BlockNumberFor<T>) -> BlockNumberFor<T> {
			let mut block = at;
			for _ in 0..=MAX_QUEUE_SHIFT {
				if SlashQueue::<T>::try_mutate(block, |queue| queue.try_push(slash)).is_ok() {
					return block;
				}
				block = block.saturating_add(One::one());
			}
			frame_system::Pallet::<T>::block_number()
		}

		/// Applies a pending slash: takes it from the stake and pays the insurance pool its
		/// share; burns the rest.
		fn apply(slash: SlashId) {
			let Some(pending) = PendingSlashes::<T>::take(slash) else { return };
			let credit = T::Stake::slash(&pending.offender, pending.amount);
			let amount = credit.peek();
			let (to_pool, to_burn) = credit.split(T::InsuranceShare::get() * amount);
			let mut burned = to_burn.peek();
			let to_insurance = match T::Currency::resolve(&T::InsurancePool::get(), to_pool) {
				Ok(()) => amount.saturating_sub(burned),
				Err(unresolved) => {
					log::warn!(target: "runtime::slashing", "insurance pool refused {:?}; burned", unresolved.peek());
					burned = amount;
					Zero::zero()
				},
			};
			// Dropping the rest of the credit burns it (total issuance falls by `burned`).
			drop(to_burn);
			TotalToInsurance::<T>::mutate(|total| total.saturating_accrue(to_insurance));
			TotalBurned::<T>::mutate(|total| total.saturating_accrue(burned));
			Self::deposit_event(Event::SlashApplied {
				slash,
				offender: pending.offender,
				amount,
				to_insurance,
				burned,
			});
		}

		/// A pending slash.
		pub fn pending_slash(slash: SlashId) -> Option<PendingSlashOf<T>> {
			PendingSlashes::<T>::get(slash)
		}

		/// Checks the pallet's invariants: no pending slash exceeds the stake it was computed
		/// from, every pending slash is queued at its block, and every queue entry is a pending
		/// slash due at that block.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for (id, pending) in PendingSlashes::<T>::iter() {
				ensure!(id < NextSlashId::<T>::get(), "a slash id is not below NextSlashId");
				ensure!(pending.amount <= pending.stake, "a slash exceeds the stake");
				ensure!(SlashQueue::<T>::get(pending.apply_at).contains(&id), "a pending slash is not queued");
			}
			for (at, queue) in SlashQueue::<T>::iter() {
				for id in queue {
					let pending = PendingSlashes::<T>::get(id).ok_or("a queued slash is not pending")?;
					ensure!(pending.apply_at == at, "a slash is queued at the wrong block");
				}
			}
			Ok(())
		}
	}
}
