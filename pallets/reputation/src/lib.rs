//! # Reputation
//!
//! ## Overview
//!
//! Every prover has a score from 0 to 1000 and the counters behind it. The score decides the
//! prover's [`Tier`], and the tier the largest job price it may lock (DESIGN, "Economics":
//! Bronze 0–299 takes jobs below 10 CLD, Silver 300–599 below 50 CLD, Gold 600–799 below
//! 200 CLD, Diamond 800–1000 any, and pays the lower platform fee).
//!
//! ## The score
//!
//! The counters feed the seed formula ([`formula_score`]; source: the Cloudana seed economics,
//! reproduced in DESIGN's table):
//!
//! ```text
//! formula = 400 × completion rate + 250 × time accuracy + 200 × requester ratings
//!         + 100 × valid-proof rate + 50 × uptime                      (points of 1000)
//! ```
//!
//! Events move the score (the penalties and recoveries of DESIGN, each a runtime parameter):
//!
//! | event | change |
//! |---|---|
//! | job completed with a valid proof | +10 (`SuccessBonus`) |
//! | five-star rating | +5 (`FiveStarBonus`) |
//! | lock timed out | −30 (`TimeoutPenalty`) |
//! | invalid proof | −100 (`InvalidProofPenalty`) |
//! | repeated failures (3 in 7 days) | −50 (`FailurePenalty`) |
//! | dispute lost | −200 (`DisputeLostPenalty`) |
//!
//! Penalties always apply in full (down to 0). When an offence's slash is cancelled (by the
//! `slash_cancel` track or an upheld appeal, pallet-slashing tells [`OffenceListener`]), its
//! counter goes back down and its penalty is given back (up to 1000). Recoveries raise the score only up to the
//! formula's value for the prover's record: a prover climbs by doing good work, and no faster
//! than its record justifies. A new prover starts at 0 (Bronze); governance
//! ([`Pallet::force_set_score`]) and the genesis config can set a score.
//!
//! ## Credit: only work that cost something counts
//!
//! A prover and a requester can be one person: with a verifying key whose trapdoor it knows, a
//! Sybil pair "proves" any job for free and pays only the fee. So completed work earns
//! reputation (the success bonus, the counters, and the right to be rated) only when
//! ([`NoCredit`] names each refusal, in [`Event::WorkNotCredited`]):
//!
//! - its price is at least `CreditMinPrice` (1 CLD on Cloudana): each credited job costs the
//!   pair at least the fee on that price;
//! - its circuit's verifying key was registered neither by the requester nor by the prover
//!   (who may know the key's trapdoor);
//! - the requester–prover pair has had fewer than `MaxCreditsPerPair` (3) credited works in
//!   the current credit period (`CreditPeriod`, a day), and the prover fewer than
//!   `MaxPairsPerPeriod` distinct requesters credited in it.
//!
//! A Sybil pair thus gains at most `3 × SuccessBonus` = 30 points a day; Silver (300) takes it
//! ten days and 30 jobs of at least 1 CLD; a third account owning the key does not lift the pair
//! limit. Penalties are never limited.
//!
//! Time accuracy counts a job as on time when its proof arrived in the first half of the
//! proof window the requester gave. Uptime is heartbeats (`pallet-prover-staking`'s
//! `heartbeat`, at most one per `HeartbeatInterval`) over the heartbeat intervals since the
//! record began. A rate without history counts as 100%.
//!
//! ## Calls
//!
//! - [`Pallet::rate`]: the requester of credited work rates its prover, 1 to 5 stars, once,
//!   until the work's record is pruned.
//! - [`Pallet::force_set_score`]: governance sets a score.
//!
//! This pallet hears what provers do through the listeners it implements for itself:
//! [`WorkOutcomes`] (completions from pallet-jobs, and pruned records, whose ratings go with
//! them), [`OffenceListener`] (each offence pallet-slashing records, repeated failures
//! included) and [`OnHeartbeat`] (from pallet-prover-staking); it answers pallet-prover-staking's
//! [`ReputationTier`]. Read a prover's standing with the [`runtime_api::ReputationApi`] runtime API (`state_call`
//! `ReputationApi_reputation` over RPC, or `cloudana reputation <account>`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use cloudana_primitives::{
	traits::{CircuitOwner, OffenceListener, OnHeartbeat, ReputationTier, WorkOutcomes},
	CompletedWork, Offence, WorkId,
};
pub use pallet::*;
pub use types::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
pub mod migrations;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

pub use weights::WeightInfo;

/// The runtime API to read a prover's reputation.
pub mod runtime_api {
	use super::*;
	sp_api::decl_runtime_apis! {
		/// Reads reputations.
		pub trait ReputationApi<AccountId, BlockNumber> where
			AccountId: codec::Codec,
			BlockNumber: codec::Codec,
		{
			/// `who`'s score, tier, formula value and counters; `None` if it has no record.
			fn reputation(who: AccountId) -> Option<ProverReputation<BlockNumber>>;
		}
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{AtLeast32BitUnsigned, One, Saturating, UniqueSaturatedInto, Zero};

	/// The storage version: 1 since [`ReputationRecord::last_active`] (migration:
	/// [`crate::migrations::v1::MigrateV0ToV1`]).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Job prices, base units (only compared with the tier limits).
		type Balance: AtLeast32BitUnsigned + Copy + MaxEncodedLen + TypeInfo + core::fmt::Debug;

		/// Tells who registered a circuit's verifying key.
		type Circuits: CircuitOwner<Self::AccountId>;

		/// May set scores ([`Pallet::force_set_score`]).
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Blocks per heartbeat interval (the same as pallet-prover-staking's).
		#[pallet::constant]
		type HeartbeatInterval: Get<BlockNumberFor<Self>>;

		/// Score change for a completed job (recovery).
		#[pallet::constant]
		type SuccessBonus: Get<u16>;
		/// Score change for a five-star rating (recovery).
		#[pallet::constant]
		type FiveStarBonus: Get<u16>;
		/// Score lost for a lock that timed out.
		#[pallet::constant]
		type TimeoutPenalty: Get<u16>;
		/// Score lost for an invalid proof.
		#[pallet::constant]
		type InvalidProofPenalty: Get<u16>;
		/// Score lost when the repeated-failures rule fires.
		#[pallet::constant]
		type FailurePenalty: Get<u16>;
		/// Score lost for a lost dispute.
		#[pallet::constant]
		type DisputeLostPenalty: Get<u16>;

		/// The lowest Silver score.
		#[pallet::constant]
		type SilverFrom: Get<u16>;
		/// The lowest Gold score.
		#[pallet::constant]
		type GoldFrom: Get<u16>;
		/// The lowest Diamond score.
		#[pallet::constant]
		type DiamondFrom: Get<u16>;

		/// Bronze provers take jobs priced below this, base units.
		#[pallet::constant]
		type BronzePriceLimit: Get<Self::Balance>;
		/// Silver provers take jobs priced below this, base units.
		#[pallet::constant]
		type SilverPriceLimit: Get<Self::Balance>;
		/// Gold provers take jobs priced below this, base units. Diamond: any price.
		#[pallet::constant]
		type GoldPriceLimit: Get<Self::Balance>;

		/// The lowest price of work that earns reputation, base units.
		#[pallet::constant]
		type CreditMinPrice: Get<Self::Balance>;
		/// Blocks per credit period (the pair limits count per period).
		#[pallet::constant]
		type CreditPeriod: Get<BlockNumberFor<Self>>;
		/// Credited works per requester–prover pair and credit period.
		#[pallet::constant]
		type MaxCreditsPerPair: Get<u32>;
		/// Distinct requesters whose work credits one prover per credit period (bounds storage).
		#[pallet::constant]
		type MaxPairsPerPeriod: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// [`Rating`] of a runtime.
	pub type RatingOf<T> = Rating<<T as frame_system::Config>::AccountId>;

	/// [`PeriodCredits`] of a runtime.
	pub type PeriodCreditsOf<T> = PeriodCredits<<T as frame_system::Config>::AccountId, <T as Config>::MaxPairsPerPeriod>;

	/// Each prover's score and counters.
	#[pallet::storage]
	pub type Reputations<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ReputationRecord<BlockNumberFor<T>>>;

	/// Credited work its requester may rate (and the stars, once rated). Removed when the work's
	/// record is pruned (pallet-jobs' retention period).
	#[pallet::storage]
	pub type Ratings<T: Config> = StorageMap<_, Twox64Concat, WorkId, RatingOf<T>>;

	/// Each prover's credits in the current credit period, per requester.
	#[pallet::storage]
	pub type Credits<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, PeriodCreditsOf<T>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial scores, `0..=1000`.
		pub scores: alloc::vec::Vec<(T::AccountId, u16)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (who, score) in &self.scores {
				assert!(*score <= MAX_SCORE, "genesis score above 1000");
				Pallet::<T>::mutate_record(who, |record| record.score = *score);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A prover's score changed.
		ScoreChanged {
			/// The prover.
			prover: T::AccountId,
			/// Why.
			reason: ScoreChange,
			/// Score before.
			old: u16,
			/// Score after.
			new: u16,
		},
		/// Completed work earned no reputation.
		WorkNotCredited {
			/// The work.
			work: WorkId,
			/// Its prover.
			prover: T::AccountId,
			/// Why.
			reason: NoCredit,
		},
		/// A requester rated credited work.
		Rated {
			/// The work.
			work: WorkId,
			/// Its prover.
			prover: T::AccountId,
			/// 1 to 5.
			stars: u8,
		},
		/// Governance set a score.
		ScoreSet {
			/// The prover.
			prover: T::AccountId,
			/// The new score.
			score: u16,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Stars must be 1 to 5.
		InvalidStars,
		/// The work did not complete with a valid proof, earned no credit, or its record was
		/// pruned.
		NotRateable,
		/// Only the work's requester may rate it.
		NotRequester,
		/// The work was already rated.
		AlreadyRated,
		/// A score is at most 1000.
		ScoreOutOfRange,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::HeartbeatInterval::get().is_zero(), "HeartbeatInterval must be positive");
			assert!(
				T::SilverFrom::get() <= T::GoldFrom::get() &&
					T::GoldFrom::get() <= T::DiamondFrom::get() &&
					T::DiamondFrom::get() <= MAX_SCORE,
				"tier thresholds must rise and stay within 0..=1000"
			);
			assert!(
				T::BronzePriceLimit::get() <= T::SilverPriceLimit::get() &&
					T::SilverPriceLimit::get() <= T::GoldPriceLimit::get(),
				"tier price limits must rise"
			);
			assert!(!T::CreditPeriod::get().is_zero(), "CreditPeriod must be positive");
			assert!(T::MaxPairsPerPeriod::get() > 0, "MaxPairsPerPeriod must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Rate the prover of credited work.
		///
		/// - Origin: signed by the work's requester.
		/// - `work`: work that completed with a valid proof, earned credit, was not rated yet and
		///   whose record is not pruned yet.
		/// - `stars`: 1 to 5.
		///
		/// Counts the rating in the prover's record; five stars also raise its score by
		/// `FiveStarBonus`, up to the formula's value.
		///
		/// Emits [`Event::Rated`], and [`Event::ScoreChanged`] when the score moved.
		///
		/// Errors: [`Error::InvalidStars`], [`Error::NotRateable`], [`Error::NotRequester`],
		/// [`Error::AlreadyRated`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::rate())]
		pub fn rate(origin: OriginFor<T>, work: WorkId, stars: u8) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!((1..=5).contains(&stars), Error::<T>::InvalidStars);
			let prover = Ratings::<T>::try_mutate(work, |entry| {
				let rating = entry.as_mut().ok_or(Error::<T>::NotRateable)?;
				ensure!(who == rating.requester, Error::<T>::NotRequester);
				ensure!(rating.stars.is_none(), Error::<T>::AlreadyRated);
				rating.stars = Some(stars);
				Ok::<_, Error<T>>(rating.prover.clone())
			})?;
			Self::update(&prover, |record| {
				record.ratings.saturating_inc();
				record.stars.saturating_accrue(stars as u32);
				(stars == 5).then_some(ScoreChange::FiveStars)
			});
			Self::deposit_event(Event::Rated { work, prover, stars });
			Ok(())
		}

		/// Set a prover's score.
		///
		/// - Origin: `ForceOrigin` (governance).
		/// - `score`: `0..=1000`.
		///
		/// Emits [`Event::ScoreSet`].
		///
		/// Errors: [`Error::ScoreOutOfRange`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::force_set_score())]
		pub fn force_set_score(origin: OriginFor<T>, prover: T::AccountId, score: u16) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			ensure!(score <= MAX_SCORE, Error::<T>::ScoreOutOfRange);
			Self::mutate_record(&prover, |record| record.score = score);
			Self::deposit_event(Event::ScoreSet { prover, score });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Heartbeat intervals from `since` to now, counting the current one.
		fn intervals(since: BlockNumberFor<T>) -> u32 {
			let elapsed = frame_system::Pallet::<T>::block_number().saturating_sub(since);
			let interval = T::HeartbeatInterval::get().max(1u32.into());
			let intervals: u32 = (elapsed / interval).unique_saturated_into();
			intervals.saturating_add(1)
		}

		/// Runs `f` on `who`'s record, creating it (score 0, starting now) if missing.
		fn mutate_record<R>(who: &T::AccountId, f: impl FnOnce(&mut ReputationRecord<BlockNumberFor<T>>) -> R) -> R {
			Reputations::<T>::mutate(who, |entry| {
				let now = frame_system::Pallet::<T>::block_number();
				let record =
					entry.get_or_insert_with(|| ReputationRecord { since: now, last_active: now, ..Default::default() });
				f(record)
			})
		}

		/// Updates `who`'s counters with `f`, then applies the score change `f` returns:
		/// recoveries up to the formula's value, penalties in full.
		fn update(who: &T::AccountId, f: impl FnOnce(&mut ReputationRecord<BlockNumberFor<T>>) -> Option<ScoreChange>) {
			let change = Self::mutate_record(who, |record| {
				record.last_active = frame_system::Pallet::<T>::block_number();
				let reason = f(record)?;
				let old = record.score;
				record.score = match reason {
					ScoreChange::Success => recover(old, T::SuccessBonus::get(), Self::formula(record)),
					ScoreChange::FiveStars => recover(old, T::FiveStarBonus::get(), Self::formula(record)),
					ScoreChange::Offence(offence) => penalize(old, Self::penalty(offence)),
					ScoreChange::Restored(offence) => old.saturating_add(Self::penalty(offence)).min(MAX_SCORE),
				};
				(old != record.score).then_some((reason, old, record.score))
			});
			if let Some((reason, old, new)) = change {
				Self::deposit_event(Event::ScoreChanged { prover: who.clone(), reason, old, new });
			}
		}

		fn formula(record: &ReputationRecord<BlockNumberFor<T>>) -> u16 {
			formula_score(record, Self::intervals(record.since))
		}

		/// The score an offence takes.
		pub fn penalty(offence: Offence) -> u16 {
			match offence {
				Offence::Timeout => T::TimeoutPenalty::get(),
				Offence::InvalidProof => T::InvalidProofPenalty::get(),
				Offence::RepeatedFailures => T::FailurePenalty::get(),
				Offence::Fraud => T::DisputeLostPenalty::get(),
			}
		}

		/// Whether completed work earns credit (module docs, "Credit"); counts it against the
		/// pair's limit when it does.
		pub fn credit(completed: &CompletedWork<T::AccountId, T::Balance>) -> Result<(), NoCredit> {
			ensure!(completed.price >= T::CreditMinPrice::get(), NoCredit::PriceBelowMinimum);
			if let Some(owner) = T::Circuits::owner(&completed.circuit) {
				ensure!(owner != completed.requester && owner != completed.prover, NoCredit::OwnCircuit);
			}
			let now = frame_system::Pallet::<T>::block_number();
			let period: u32 = (now / T::CreditPeriod::get().max(One::one())).unique_saturated_into();
			Credits::<T>::try_mutate(&completed.prover, |credits| {
				if credits.period != period {
					*credits = PeriodCredits { period, pairs: BoundedVec::new() };
				}
				match credits.pairs.iter_mut().find(|(requester, _)| *requester == completed.requester) {
					Some((_, count)) => {
						ensure!(*count < T::MaxCreditsPerPair::get(), NoCredit::PairLimitReached);
						count.saturating_inc();
						Ok(())
					},
					None => {
						// A limit of zero credits no pair at all, its first work included.
						ensure!(T::MaxCreditsPerPair::get() > 0, NoCredit::PairLimitReached);
						credits.pairs.try_push((completed.requester.clone(), 1)).map_err(|_| NoCredit::PeriodFull)
					},
				}
			})
		}

		/// `prover` completed credited work; `on_time` if in the first half of its proof window.
		pub fn note_completed(prover: &T::AccountId, on_time: bool) {
			Self::update(prover, |record| {
				record.completed.saturating_inc();
				if on_time {
					record.on_time.saturating_inc();
				}
				Some(ScoreChange::Success)
			});
		}

		/// `prover` committed `offence`: counted, and its penalty taken in full.
		pub fn note_offence(prover: &T::AccountId, offence: Offence) {
			Self::update(prover, |record| {
				match offence {
					Offence::Timeout => record.timeouts.saturating_inc(),
					Offence::InvalidProof => record.invalid_proofs.saturating_inc(),
					Offence::RepeatedFailures => record.repeated_failures.saturating_inc(),
					Offence::Fraud => record.disputes_lost.saturating_inc(),
				}
				Some(ScoreChange::Offence(offence))
			});
		}

		/// The slash of `prover`'s `offence` was cancelled: uncounted, and its penalty given back.
		pub fn note_offence_cancelled(prover: &T::AccountId, offence: Offence) {
			Self::update(prover, |record| {
				let counter = match offence {
					Offence::Timeout => &mut record.timeouts,
					Offence::InvalidProof => &mut record.invalid_proofs,
					Offence::RepeatedFailures => &mut record.repeated_failures,
					Offence::Fraud => &mut record.disputes_lost,
				};
				*counter = counter.saturating_sub(1);
				Some(ScoreChange::Restored(offence))
			});
		}

		/// `prover` sent a heartbeat.
		pub fn note_heartbeat(prover: &T::AccountId) {
			Self::mutate_record(prover, |record| {
				record.heartbeats.saturating_inc();
				record.last_active = frame_system::Pallet::<T>::block_number();
			});
		}

		/// `who`'s score; 0 without a record.
		pub fn score(who: &T::AccountId) -> u16 {
			Reputations::<T>::get(who).map_or(0, |record| record.score)
		}

		/// The tier of a score.
		pub fn tier_of(score: u16) -> Tier {
			match score {
				s if s >= T::DiamondFrom::get() => Tier::Diamond,
				s if s >= T::GoldFrom::get() => Tier::Gold,
				s if s >= T::SilverFrom::get() => Tier::Silver,
				_ => Tier::Bronze,
			}
		}

		/// `who`'s tier (Bronze without a record).
		pub fn tier(who: &T::AccountId) -> Tier {
			Self::tier_of(Self::score(who))
		}

		/// Whether `who`'s tier allows a job of `price` base units.
		pub fn allows(who: &T::AccountId, price: T::Balance) -> bool {
			match Self::tier(who) {
				Tier::Bronze => price < T::BronzePriceLimit::get(),
				Tier::Silver => price < T::SilverPriceLimit::get(),
				Tier::Gold => price < T::GoldPriceLimit::get(),
				Tier::Diamond => true,
			}
		}

		/// What the runtime API reports for `who`.
		pub fn reputation(who: &T::AccountId) -> Option<ProverReputation<BlockNumberFor<T>>> {
			let record = Reputations::<T>::get(who)?;
			Some(ProverReputation {
				score: record.score,
				tier: Self::tier_of(record.score),
				formula: Self::formula(&record),
				record,
			})
		}

		/// Checks the pallet's invariants: scores within `0..=1000`, counters consistent
		/// (on-time jobs among completed ones, 1 to 5 stars per rating), every credited pair
		/// counted at least once, ratings of 1 to 5 stars. (`MaxCreditsPerPair` binds when a
		/// credit is granted: a limit lowered during a period leaves the counts made under the
		/// old one, so the counts are not checked against the current limit.)
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for (_, record) in Reputations::<T>::iter() {
				ensure!(record.score <= MAX_SCORE, "a score above 1000");
				ensure!(record.on_time <= record.completed, "more on-time jobs than completed ones");
				ensure!(record.last_active >= record.since, "active before the record was created");
				ensure!(
					record.stars >= record.ratings && record.stars <= record.ratings.saturating_mul(5),
					"stars outside 1 to 5 per rating"
				);
			}
			for (_, credits) in Credits::<T>::iter() {
				ensure!(credits.pairs.iter().all(|(_, n)| *n > 0), "a credited pair with no credit");
			}
			for (_, rating) in Ratings::<T>::iter() {
				ensure!(rating.stars.is_none_or(|s| (1..=5).contains(&s)), "a rating outside 1 to 5 stars");
			}
			Ok(())
		}
	}

	impl<T: Config> WorkOutcomes<T::AccountId, T::Balance> for Pallet<T> {
		/// Credits the work (module docs, "Credit"): counts it, raises the score, and lets its
		/// requester rate it; or says why not.
		fn on_completed(completed: &CompletedWork<T::AccountId, T::Balance>) {
			match Self::credit(completed) {
				Ok(()) => {
					Self::note_completed(&completed.prover, completed.on_time);
					Ratings::<T>::insert(
						completed.work,
						Rating { requester: completed.requester.clone(), prover: completed.prover.clone(), stars: None },
					);
				},
				Err(reason) => Self::deposit_event(Event::WorkNotCredited {
					work: completed.work,
					prover: completed.prover.clone(),
					reason,
				}),
			}
		}

		/// The work's record is gone: so is its rating.
		fn on_reaped(work: WorkId) {
			Ratings::<T>::remove(work);
		}
	}

	impl<T: Config> OffenceListener<T::AccountId> for Pallet<T> {
		fn on_offence_recorded(offender: &T::AccountId, _work: WorkId, offence: Offence) {
			Self::note_offence(offender, offence);
		}
		fn on_offence_cancelled(offender: &T::AccountId, _work: WorkId, offence: Offence) {
			Self::note_offence_cancelled(offender, offence);
		}
	}

	impl<T: Config> ReputationTier<T::AccountId, T::Balance> for Pallet<T> {
		fn allows(who: &T::AccountId, price: T::Balance) -> bool {
			Pallet::<T>::allows(who, price)
		}
	}

	impl<T: Config> OnHeartbeat<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
		fn on_heartbeat(who: &T::AccountId, _now: BlockNumberFor<T>) {
			Self::note_heartbeat(who);
		}
	}
}
