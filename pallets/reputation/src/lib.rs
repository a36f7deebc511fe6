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
//! Penalties always apply in full (down to 0). Recoveries raise the score only up to the
//! formula's value for the prover's record: a prover climbs by doing good work, and no faster
//! than its record justifies. A new prover starts at 0 (Bronze); governance
//! ([`Pallet::force_set_score`]) and the genesis config can set a score.
//!
//! Time accuracy counts a job as on time when its proof arrived in the first half of the
//! proof window the requester gave. Uptime is heartbeats (`pallet-prover-staking`'s
//! `heartbeat`, at most one per `HeartbeatInterval`) over the heartbeat intervals since the
//! record began. A rate without history counts as 100%.
//!
//! ## Calls
//!
//! - [`Pallet::rate`]: the requester of a completed job rates its prover, 1 to 5 stars, once.
//! - [`Pallet::force_set_score`]: governance sets a score.
//!
//! The pallets that see what provers do report it through [`Pallet::note_completed`],
//! [`Pallet::note_offence`] and [`Pallet::note_heartbeat`] (wired by the runtime). Read a
//! prover's standing with the [`runtime_api::ReputationApi`] runtime API (`state_call`
//! `ReputationApi_reputation` over RPC, or `cloudana reputation <account>`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
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

/// Tells the parties of a completed job (implemented by the runtime with pallet-jobs).
pub trait CompletedJobs<AccountId> {
	/// `(requester, prover)` of `job` if it completed with a valid proof.
	fn parties(job: JobId) -> Option<(AccountId, AccountId)>;

	/// Makes `job` a job of `requester` completed by `prover` (benchmarks only).
	#[cfg(feature = "runtime-benchmarks")]
	fn set_completed(job: JobId, requester: &AccountId, prover: &AccountId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{AtLeast32BitUnsigned, Saturating, UniqueSaturatedInto, Zero};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Job prices, base units (only compared with the tier limits).
		type Balance: AtLeast32BitUnsigned + Copy + MaxEncodedLen + TypeInfo + core::fmt::Debug;

		/// Tells who requested and who proved a completed job.
		type Jobs: CompletedJobs<Self::AccountId>;

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

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Each prover's score and counters.
	#[pallet::storage]
	pub type Reputations<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ReputationRecord<BlockNumberFor<T>>>;

	/// Jobs already rated, with their stars.
	#[pallet::storage]
	pub type Ratings<T: Config> = StorageMap<_, Twox64Concat, JobId, u8>;

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
		/// A requester rated a completed job.
		Rated {
			/// The job.
			job: JobId,
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
		/// The job does not exist or did not complete.
		JobNotCompleted,
		/// Only the job's requester may rate it.
		NotRequester,
		/// The job was already rated.
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
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Rate the prover of a completed job.
		///
		/// - Origin: signed by the job's requester.
		/// - `job`: a job that completed with a valid proof, not yet rated.
		/// - `stars`: 1 to 5.
		///
		/// Counts the rating in the prover's record; five stars also raise its score by
		/// `FiveStarBonus`, up to the formula's value.
		///
		/// Emits [`Event::Rated`], and [`Event::ScoreChanged`] when the score moved.
		///
		/// Errors: [`Error::InvalidStars`], [`Error::JobNotCompleted`], [`Error::NotRequester`],
		/// [`Error::AlreadyRated`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::rate())]
		pub fn rate(origin: OriginFor<T>, job: JobId, stars: u8) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!((1..=5).contains(&stars), Error::<T>::InvalidStars);
			let (requester, prover) = T::Jobs::parties(job).ok_or(Error::<T>::JobNotCompleted)?;
			ensure!(who == requester, Error::<T>::NotRequester);
			ensure!(!Ratings::<T>::contains_key(job), Error::<T>::AlreadyRated);
			Ratings::<T>::insert(job, stars);
			Self::update(&prover, |record| {
				record.ratings.saturating_inc();
				record.stars.saturating_accrue(stars as u32);
				(stars == 5).then_some(ScoreChange::FiveStars)
			});
			Self::deposit_event(Event::Rated { job, prover, stars });
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
				let record = entry.get_or_insert_with(|| ReputationRecord {
					since: frame_system::Pallet::<T>::block_number(),
					..Default::default()
				});
				f(record)
			})
		}

		/// Updates `who`'s counters with `f`, then applies the score change `f` returns:
		/// recoveries up to the formula's value, penalties in full.
		fn update(who: &T::AccountId, f: impl FnOnce(&mut ReputationRecord<BlockNumberFor<T>>) -> Option<ScoreChange>) {
			let change = Self::mutate_record(who, |record| {
				let reason = f(record)?;
				let old = record.score;
				record.score = match reason {
					ScoreChange::Success => recover(old, T::SuccessBonus::get(), Self::formula(record)),
					ScoreChange::FiveStars => recover(old, T::FiveStarBonus::get(), Self::formula(record)),
					ScoreChange::Timeout => penalize(old, T::TimeoutPenalty::get()),
					ScoreChange::InvalidProof => penalize(old, T::InvalidProofPenalty::get()),
					ScoreChange::Failure => penalize(old, T::FailurePenalty::get()),
					ScoreChange::DisputeLost => penalize(old, T::DisputeLostPenalty::get()),
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

		/// `prover` completed a job with a valid proof; `on_time` if in the first half of its
		/// proof window.
		pub fn note_completed(prover: &T::AccountId, on_time: bool) {
			Self::update(prover, |record| {
				record.completed.saturating_inc();
				if on_time {
					record.on_time.saturating_inc();
				}
				Some(ScoreChange::Success)
			});
		}

		/// `prover` committed an offence: `Timeout`, `InvalidProof`, `Failure` (repeated
		/// failures) or `DisputeLost`. Recoveries passed here are ignored.
		pub fn note_offence(prover: &T::AccountId, offence: ScoreChange) {
			Self::update(prover, |record| {
				match offence {
					ScoreChange::Timeout => record.timeouts.saturating_inc(),
					ScoreChange::InvalidProof => record.invalid_proofs.saturating_inc(),
					ScoreChange::Failure => record.repeated_failures.saturating_inc(),
					ScoreChange::DisputeLost => record.disputes_lost.saturating_inc(),
					ScoreChange::Success | ScoreChange::FiveStars => return None,
				}
				Some(offence)
			});
		}

		/// `prover` sent a heartbeat.
		pub fn note_heartbeat(prover: &T::AccountId) {
			Self::mutate_record(prover, |record| record.heartbeats.saturating_inc());
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
		/// (on-time jobs among completed ones, 1 to 5 stars per rating).
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for (_, record) in Reputations::<T>::iter() {
				ensure!(record.score <= MAX_SCORE, "a score above 1000");
				ensure!(record.on_time <= record.completed, "more on-time jobs than completed ones");
				ensure!(
					record.stars >= record.ratings && record.stars <= record.ratings.saturating_mul(5),
					"stars outside 1 to 5 per rating"
				);
			}
			Ok(())
		}
	}
}
