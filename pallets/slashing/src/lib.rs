//! # Slashing
//!
//! ## Overview
//!
//! Offences provers commit, and the slashes of stake that follow. The pallets that observe an
//! offence report it: pallet-jobs through [`WorkOutcomes::on_offence`] (timeouts and invalid
//! proofs), the disputes pallet (a later release) fraud, with [`Pallet::report_offence`]. For
//! each offence this pallet:
//!
//! 1. records it once: a second report of the same offence (same prover, kind, work and block)
//!    is refused ([`ReportError::AlreadyReported`]), and tells [`Config::OnOffence`] (pallet
//!    reputation lowers the score);
//! 2. computes the slash within the prover's **slashing span** (below): a share of its
//!    slashable stake (active plus unbonding): timeout 10%, invalid proof 25%, repeated failures
//!    30%, fraud 50% (runtime parameters);
//! 3. suspends the prover at once, so it locks no new work: for `OffenceSuspension` blocks, for
//!    `RepeatedFailuresSuspension` blocks when the 3-failures-in-7-days rule fires, or bans it
//!    for fraud;
//! 4. defers the slash by `SlashDeferDuration` blocks, during which `CancelOrigin`
//!    (governance) may cancel it with [`Pallet::cancel_deferred_slash`] (which also lifts the
//!    suspension it caused). A slash is never applied before its deferral ends, however many
//!    are due: the queue has no per-block cap, and [`Hooks::on_initialize`] applies at most
//!    `MaxSlashesPerBlock` each block, oldest due first, carrying the rest to the next block;
//! 5. applies it: takes the amount from the held stake (never more than is left) and splits it,
//!    `InsuranceShare` (80%) to the `InsurancePool` account and the rest (20%) burned. The
//!    offence's record is pruned then (or when the slash is cancelled).
//!
//! **Slashing spans.** One fault often shows as several offences: a prover whose machine dies
//! times out on every lock it holds. Offences are slashed as in Substrate's staking
//! (`pallet-staking`'s slashing spans): within a span of `SlashingSpan` blocks from a prover's
//! first offence, the offences take the **largest** share, not the sum. Each offence slashes
//! only what its share adds to the largest share slashed so far in the span, of the stake the
//! prover had when the span began. After the span a new one begins with the next offence. A
//! cancelled slash does not lower the span's largest share (the prover keeps the benefit).
//!
//! **Repeated failures.** Timeouts and invalid proofs are failures. When a prover's
//! `FailureThreshold`-th (3rd) failure falls within `FailureWindow` (7 days) of the first one
//! still counted, a further offence, [`Offence::RepeatedFailures`], is recorded for the same
//! work.
//!
//! A failed job's requester is refunded by pallet-jobs from its escrow, whatever happens to
//! the slash: slashed stake goes to the insurance pool, never to the requester (who could have
//! set a trap).
//!
//! Amounts are base units (12 decimals on Cloudana); durations are blocks (6 s).
//!
//! ## Calls
//!
//! - [`Pallet::cancel_deferred_slash`]: governance cancels a pending slash.
//!
//! **Disputes** (pallet-disputes, through [`SlashDisputes`]): a prover's appeal **freezes** its
//! pending slash: out of the queue, neither applied nor expiring, until the verdict cancels it
//! (appeal upheld) or applies it at once (appeal rejected). A cancelled slash, by governance or
//! by an upheld appeal, lifts the suspension it caused and tells [`Config::OnOffence`] (pallet
//! reputation gives the penalty back). An upheld fraud challenge calls
//! [`Pallet::punish_fraud`]: the prover is banned, `DisputeLostPenalty` taken, and the fraud
//! share of its stake (within its span) slashed at once, `FraudVictimShare` (50%) to the
//! requester and the rest to the treasury (DESIGN, "Disputes"); no deferral, the referendum
//! was the deliberation. The challenge kept [`Pallet::fraud_exposure`] (the fraud share of the
//! slashable stake when it opened) from being withdrawn, and the verdict never takes less than
//! that: a prover cannot shrink its fraud slash by withdrawing while the vote runs.
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

pub use cloudana_primitives::{
	traits::{DisputedSlash, FraudSlash, OffenceListener, SlashDisputes, StakeLedger, WorkOutcomes},
	Offence, SlashId, WorkId,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::fungible::{Balanced, Inspect};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

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
	pub kind: Offence,
	/// The work it did it on.
	pub work: WorkId,
	/// The block the offence was reported in.
	pub reported_at: BlockNumber,
	/// The stake the slash is a share of, base units: the prover's slashable stake when its
	/// slashing span began.
	pub stake: Balance,
	/// The slash, base units: what the offence's share adds to the span's largest share so far,
	/// of `stake`.
	pub amount: Balance,
	/// The block it is applied in (or later, when many are due at once).
	pub apply_at: BlockNumber,
	/// The end of the suspension it caused (`None` for a ban).
	pub suspended_until: Option<BlockNumber>,
}

/// A prover's current slashing span.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct SlashingSpan<Balance, BlockNumber> {
	/// The first block after the span.
	pub ends_at: BlockNumber,
	/// The prover's slashable stake when the span began, base units.
	pub stake: Balance,
	/// The largest share slashed in the span so far.
	pub largest: Perbill,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible::Credit, Imbalance},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{One, Saturating, Zero};

	/// Balance type of the pallet's currency.
	pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// [`PendingSlash`] of a runtime.
	pub type PendingSlashOf<T> =
		PendingSlash<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	/// [`SlashingSpan`] of a runtime.
	pub type SlashingSpanOf<T> = SlashingSpan<BalanceOf<T>, BlockNumberFor<T>>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency stakes are in.
		type Currency: Inspect<Self::AccountId> + Balanced<Self::AccountId>;

		/// Where stakes live.
		type Stake: StakeLedger<Self::AccountId, BlockNumberFor<Self>, Self::Currency>;

		/// Hears each offence recorded (pallet-reputation lowers the score).
		type OnOffence: OffenceListener<Self::AccountId>;

		/// May cancel a pending slash (a governance track).
		type CancelOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The insurance pool's account. It must exist (hold at least the existential deposit),
		/// or its share is burned too.
		#[pallet::constant]
		type InsurancePool: Get<Self::AccountId>;

		/// Share of each slash paid to the insurance pool; the rest is burned.
		#[pallet::constant]
		type InsuranceShare: Get<Perbill>;

		/// The treasury's account: the rest of a fraud slash. It must exist, or that part is
		/// burned.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;

		/// Share of a fraud slash paid to the wronged requester; the rest goes to the treasury.
		#[pallet::constant]
		type FraudVictimShare: Get<Perbill>;

		/// Blocks between an offence's report and its slash.
		#[pallet::constant]
		type SlashDeferDuration: Get<BlockNumberFor<Self>>;

		/// Blocks from a prover's first offence during which its offences take the largest
		/// share, not the sum.
		#[pallet::constant]
		type SlashingSpan: Get<BlockNumberFor<Self>>;

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

		/// The most slashes applied in one block; more that are due wait for the next block.
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

	/// Pending slashes by the block they are due in. No per-block cap: every entry is a pending
	/// slash, and [`SlashCursor`] works through them in block order.
	#[pallet::storage]
	pub type SlashQueue<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, SlashId, (), OptionQuery>;

	/// Pending slashes frozen by an appeal: out of [`SlashQueue`] until the verdict.
	#[pallet::storage]
	pub type FrozenSlashes<T: Config> = StorageMap<_, Twox64Concat, SlashId, (), OptionQuery>;

	/// The earliest block of [`SlashQueue`] that may still hold due slashes.
	#[pallet::storage]
	pub type SlashCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Offences with a pending slash, by prover and `(kind, work, block)`, with their slash: the
	/// guard against reporting one offence twice. Pruned when the slash is applied or cancelled
	/// (a report always names the current block, so an older key can never come again).
	#[pallet::storage]
	pub type Offences<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		(Offence, WorkId, BlockNumberFor<T>),
		SlashId,
	>;

	/// Each prover's current slashing span; replaced when a span is over.
	#[pallet::storage]
	pub type Spans<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, SlashingSpanOf<T>>;

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
			kind: Offence,
			/// The work.
			work: WorkId,
			/// The slash, base units (zero when a larger share was slashed in the span already).
			amount: BalanceOf<T>,
			/// The block it will be applied in, at the earliest.
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
		/// An appeal froze a pending slash until its verdict.
		SlashFrozen {
			/// The slash.
			slash: SlashId,
		},
		/// Fraud was decided: the prover is banned and slashed at once.
		FraudSlashed {
			/// The prover.
			offender: T::AccountId,
			/// The work.
			work: WorkId,
			/// Taken from the stake, base units.
			amount: BalanceOf<T>,
			/// Paid to the wronged requester, base units.
			to_victim: BalanceOf<T>,
			/// Paid to the treasury, base units.
			to_treasury: BalanceOf<T>,
		},
		/// A pending slash was cancelled (by governance or an upheld appeal).
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
		/// Applies the slashes due by now, oldest first: at most `MaxSlashesPerBlock`; the rest
		/// wait for the next block.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let (applied, blocks) = Self::apply_due(now);
			T::WeightInfo::on_initialize(applied).saturating_add(T::DbWeight::get().reads(blocks.into()))
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
		/// Drops the slash (frozen by an appeal or not) and its offence record, lifts the
		/// suspension it caused (a longer suspension from a later offence stays; a ban stays) and
		/// gives the reputation penalty back.
		///
		/// Emits [`Event::SlashCancelled`].
		///
		/// Errors: [`Error::SlashNotFound`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::cancel_deferred_slash())]
		pub fn cancel_deferred_slash(origin: OriginFor<T>, slash: SlashId) -> DispatchResult {
			T::CancelOrigin::ensure_origin(origin)?;
			Self::cancel(slash).then_some(()).ok_or(Error::<T>::SlashNotFound.into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The share of stake slashed for `kind`.
		pub fn slash_share(kind: Offence) -> Perbill {
			match kind {
				Offence::Timeout => T::TimeoutSlash::get(),
				Offence::InvalidProof => T::InvalidProofSlash::get(),
				Offence::RepeatedFailures => T::RepeatedFailuresSlash::get(),
				Offence::Fraud => T::FraudSlash::get(),
			}
		}

		/// Reports that `offender` committed `kind` on `work` in this block: suspends (or bans)
		/// it at once and schedules its slash. A timeout or invalid proof that makes
		/// `FailureThreshold` failures within `FailureWindow` also reports `RepeatedFailures`.
		///
		/// Emits [`Event::OffenceReported`] (and [`Event::SlashApplied`] at once when
		/// `SlashDeferDuration` is zero).
		pub fn report_offence(offender: &T::AccountId, kind: Offence, work: WorkId) -> Result<Reported, ReportError> {
			let now = frame_system::Pallet::<T>::block_number();
			let slash = Self::record(offender, kind, work, now)?;
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
					repeated = Self::record(offender, Offence::RepeatedFailures, work, now).ok();
				}
			}
			Ok(Reported { slash, repeated })
		}

		/// The slash of a `share` offence of `offender` at `now` within its slashing span (module
		/// docs), recorded in the span: `(amount, stake)`, the amount a share of `stake`. A slash
		/// that starts a span takes at least `at_least` (bounded by the stake).
		fn span_slash(
			offender: &T::AccountId,
			share: Perbill,
			now: BlockNumberFor<T>,
			at_least: BalanceOf<T>,
		) -> (BalanceOf<T>, BalanceOf<T>) {
			Spans::<T>::mutate(offender, |span| {
				let open = span.as_ref().is_some_and(|span| now < span.ends_at);
				let (amount, next) = Self::span_amount(span.take(), offender, share, now);
				let amount = if open { amount } else { amount.max(at_least.min(next.stake)) };
				let stake = next.stake;
				*span = Some(next);
				(amount, stake)
			})
		}

		/// What a slash of `share` takes from `offender` at `now`, and its slashing span after
		/// it, without storing anything: within an open `span`, what `share` adds to the span's
		/// largest share, of the span's stake; else `share` of its slashable stake now, in a new
		/// span. The one place the span rule is computed ([`Pallet::span_slash`] records it,
		/// [`Pallet::fraud_exposure`] only asks).
		fn span_amount(
			span: Option<SlashingSpanOf<T>>,
			offender: &T::AccountId,
			share: Perbill,
			now: BlockNumberFor<T>,
		) -> (BalanceOf<T>, SlashingSpanOf<T>) {
			match span {
				Some(mut span) if now < span.ends_at => {
					let extra = share.saturating_sub(span.largest);
					span.largest = span.largest.max(share);
					(extra * span.stake, span)
				},
				_ => {
					let stake = T::Stake::slashable(offender);
					(share * stake, SlashingSpan { ends_at: now.saturating_add(T::SlashingSpan::get()), stake, largest: share })
				},
			}
		}

		/// What [`Pallet::punish_fraud`] would take from `offender` now, base units: the fraud
		/// share of its slashable stake, less what an open slashing span already took.
		pub fn fraud_exposure(offender: &T::AccountId) -> BalanceOf<T> {
			let now = frame_system::Pallet::<T>::block_number();
			Self::span_amount(Spans::<T>::get(offender), offender, T::FraudSlash::get(), now).0
		}

		fn record(
			offender: &T::AccountId,
			kind: Offence,
			work: WorkId,
			now: BlockNumberFor<T>,
		) -> Result<SlashId, ReportError> {
			let key = (kind, work, now);
			ensure!(!Offences::<T>::contains_key(offender, key), ReportError::AlreadyReported);
			let slash = NextSlashId::<T>::mutate(|next| {
				let id = *next;
				*next = next.saturating_add(1);
				id
			});
			Offences::<T>::insert(offender, key, slash);

			let (amount, stake) = Self::span_slash(offender, Self::slash_share(kind), now, Zero::zero());
			let suspended_until = match kind {
				Offence::Fraud => {
					T::Stake::ban(offender);
					None
				},
				Offence::RepeatedFailures => Some(now.saturating_add(T::RepeatedFailuresSuspension::get())),
				_ => Some(now.saturating_add(T::OffenceSuspension::get())),
			};
			if let Some(until) = suspended_until {
				T::Stake::suspend(offender, until);
			}

			let apply_at = now.saturating_add(T::SlashDeferDuration::get());
			PendingSlashes::<T>::insert(
				slash,
				PendingSlash { offender: offender.clone(), kind, work, reported_at: now, stake, amount, apply_at, suspended_until },
			);
			Self::deposit_event(Event::OffenceReported { slash, offender: offender.clone(), kind, work, amount, apply_at });
			T::OnOffence::on_offence_recorded(offender, work, kind);
			if apply_at == now {
				// No deferral: no window to protect.
				Self::apply(slash);
			} else {
				SlashQueue::<T>::insert(apply_at, slash, ());
			}
			Ok(slash)
		}

		/// Applies the slashes due by `now`, walking [`SlashQueue`] from [`SlashCursor`]:
		/// at most `MaxSlashesPerBlock` slashes and as many blocks. Returns the slashes applied
		/// and the queue blocks looked at.
		fn apply_due(now: BlockNumberFor<T>) -> (u32, u32) {
			let max = T::MaxSlashesPerBlock::get();
			let mut cursor = SlashCursor::<T>::get();
			let (mut applied, mut blocks) = (0u32, 0u32);
			while cursor <= now && applied < max && blocks < max {
				blocks += 1;
				let due: alloc::vec::Vec<SlashId> =
					SlashQueue::<T>::iter_key_prefix(cursor).take((max - applied) as usize).collect();
				for slash in &due {
					SlashQueue::<T>::remove(cursor, slash);
					Self::apply(*slash);
				}
				applied += due.len() as u32;
				if SlashQueue::<T>::iter_key_prefix(cursor).next().is_some() {
					break;
				}
				cursor = cursor.saturating_add(One::one());
			}
			SlashCursor::<T>::put(cursor);
			(applied, blocks)
		}

		/// Cancels a pending slash (module docs); `false` if it is not pending.
		fn cancel(slash: SlashId) -> bool {
			let Some(pending) = Self::take_pending(slash) else { return false };
			if let Some(until) = pending.suspended_until {
				T::Stake::lift_suspension(&pending.offender, until);
			}
			T::OnOffence::on_offence_cancelled(&pending.offender, pending.work, pending.kind);
			Self::deposit_event(Event::SlashCancelled { slash, offender: pending.offender, amount: pending.amount });
			true
		}

		/// Freezes a pending slash (module docs); `false` if it is not pending or frozen already.
		fn freeze(slash: SlashId) -> bool {
			let Some(pending) = PendingSlashes::<T>::get(slash) else { return false };
			if FrozenSlashes::<T>::contains_key(slash) {
				return false;
			}
			SlashQueue::<T>::remove(pending.apply_at, slash);
			FrozenSlashes::<T>::insert(slash, ());
			Self::deposit_event(Event::SlashFrozen { slash });
			true
		}

		/// Fraud on `work`, decided (module docs): bans `offender`, tells the offence listeners,
		/// and slashes the fraud share at once (at least `at_stake`, the exposure its challenge
		/// kept, unless a span already took its share), `FraudVictimShare` to `victim` but never
		/// more than `victim_cap` (the work's value), and the rest to the treasury.
		///
		/// Emits [`Event::FraudSlashed`].
		pub fn punish_fraud(
			offender: &T::AccountId,
			work: WorkId,
			victim: &T::AccountId,
			victim_cap: BalanceOf<T>,
			at_stake: BalanceOf<T>,
		) -> FraudSlash<BalanceOf<T>> {
			let now = frame_system::Pallet::<T>::block_number();
			let (amount, _) = Self::span_slash(offender, T::FraudSlash::get(), now, at_stake);
			T::Stake::ban(offender);
			T::OnOffence::on_offence_recorded(offender, work, Offence::Fraud);
			let credit = T::Stake::slash(offender, amount);
			let amount = credit.peek();
			let (to_victim, to_treasury) = credit.split((T::FraudVictimShare::get() * amount).min(victim_cap));
			let slashed = FraudSlash {
				amount,
				to_victim: Self::pay_or_burn(victim, to_victim),
				to_treasury: Self::pay_or_burn(&T::Treasury::get(), to_treasury),
			};
			TotalBurned::<T>::mutate(|total| {
				total.saturating_accrue(amount.saturating_sub(slashed.to_victim).saturating_sub(slashed.to_treasury))
			});
			Self::deposit_event(Event::FraudSlashed {
				offender: offender.clone(),
				work,
				amount,
				to_victim: slashed.to_victim,
				to_treasury: slashed.to_treasury,
			});
			slashed
		}

		/// Removes a pending slash, its queue entry (or frozen mark) and its offence record.
		fn take_pending(slash: SlashId) -> Option<PendingSlashOf<T>> {
			let pending = PendingSlashes::<T>::take(slash)?;
			SlashQueue::<T>::remove(pending.apply_at, slash);
			FrozenSlashes::<T>::remove(slash);
			Offences::<T>::remove(&pending.offender, (pending.kind, pending.work, pending.reported_at));
			Some(pending)
		}

		/// Applies a pending slash: takes it from the stake and pays the insurance pool its
		/// share; burns the rest.
		fn apply(slash: SlashId) {
			let Some(pending) = Self::take_pending(slash) else { return };
			let credit = T::Stake::slash(&pending.offender, pending.amount);
			let amount = credit.peek();
			let (to_pool, to_burn) = credit.split(T::InsuranceShare::get() * amount);
			// Dropping the rest of the credit burns it (total issuance falls by `burned`).
			drop(to_burn);
			let to_insurance = Self::pay_or_burn(&T::InsurancePool::get(), to_pool);
			let burned = amount.saturating_sub(to_insurance);
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

		/// Pays `credit` to `who`; returns what was paid. A credit `who` cannot take (it would
		/// stay below the existential deposit) is burned, with a warning.
		fn pay_or_burn(who: &T::AccountId, credit: Credit<T::AccountId, T::Currency>) -> BalanceOf<T> {
			let value = credit.peek();
			match T::Currency::resolve(who, credit) {
				Ok(()) => value,
				Err(unresolved) => {
					log::warn!(target: "runtime::slashing", "{who:?} refused {:?}; burned", unresolved.peek());
					Zero::zero()
				},
			}
		}

		/// A pending slash.
		pub fn pending_slash(slash: SlashId) -> Option<PendingSlashOf<T>> {
			PendingSlashes::<T>::get(slash)
		}

		/// Checks the pallet's invariants: no pending slash exceeds the stake it was computed
		/// from or is due in the block of its offence; every pending slash is either queued at
		/// its block or frozen, and has its offence record; every queue entry, frozen mark and
		/// offence record belongs to a pending slash.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for (id, pending) in PendingSlashes::<T>::iter() {
				ensure!(id < NextSlashId::<T>::get(), "a slash id is not below NextSlashId");
				ensure!(pending.amount <= pending.stake, "a slash exceeds the stake");
				ensure!(pending.apply_at > pending.reported_at, "a queued slash is due in the block of its offence");
				ensure!(
					SlashQueue::<T>::contains_key(pending.apply_at, id) != FrozenSlashes::<T>::contains_key(id),
					"a pending slash is not queued xor frozen"
				);
				ensure!(
					Offences::<T>::get(&pending.offender, (pending.kind, pending.work, pending.reported_at)) == Some(id),
					"a pending slash has no offence record"
				);
			}
			for (at, id, ()) in SlashQueue::<T>::iter() {
				let pending = PendingSlashes::<T>::get(id).ok_or("a queued slash is not pending")?;
				ensure!(pending.apply_at == at, "a slash is queued at the wrong block");
			}
			for (id, ()) in FrozenSlashes::<T>::iter() {
				ensure!(PendingSlashes::<T>::contains_key(id), "a frozen slash is not pending");
			}
			for (_, _, id) in Offences::<T>::iter() {
				ensure!(PendingSlashes::<T>::contains_key(id), "an offence record outlived its slash");
			}
			Ok(())
		}
	}

	impl<T: Config> SlashDisputes<T::AccountId, BalanceOf<T>> for Pallet<T> {
		fn pending(slash: SlashId) -> Option<DisputedSlash<T::AccountId, BalanceOf<T>>> {
			PendingSlashes::<T>::get(slash).map(|pending| DisputedSlash {
				offender: pending.offender,
				kind: pending.kind,
				work: pending.work,
				amount: pending.amount,
				frozen: FrozenSlashes::<T>::contains_key(slash),
			})
		}
		fn freeze(slash: SlashId) -> bool {
			Pallet::<T>::freeze(slash)
		}
		fn cancel(slash: SlashId) {
			Pallet::<T>::cancel(slash);
		}
		fn apply(slash: SlashId) {
			Pallet::<T>::apply(slash);
		}
		fn punish_fraud(
			offender: &T::AccountId,
			work: WorkId,
			victim: &T::AccountId,
			victim_cap: BalanceOf<T>,
			at_stake: BalanceOf<T>,
		) -> FraudSlash<BalanceOf<T>> {
			Pallet::<T>::punish_fraud(offender, work, victim, victim_cap, at_stake)
		}
		fn fraud_exposure(offender: &T::AccountId) -> BalanceOf<T> {
			Pallet::<T>::fraud_exposure(offender)
		}
	}

	impl<T: Config, Balance> WorkOutcomes<T::AccountId, Balance> for Pallet<T> {
		/// Reports the offence; a duplicate report is ignored.
		fn on_offence(prover: &T::AccountId, work: WorkId, offence: Offence) {
			let _ = Self::report_offence(prover, offence, work);
		}
	}
}
