//! # Disputes
//!
//! ## Overview
//!
//! Disputes settle what a proof cannot (DESIGN, "Disputes"). Two kinds:
//!
//! - **Appeal of a pending slash** ([`Pallet::appeal_slash`]): the slashed prover, inside the
//!   slash's deferral window (while it is pending), says the job was unprovable
//!   ([`Reason::Unprovable`]), the requester caused the failure ([`Reason::RequesterFault`]) or
//!   the chain did not include its result ([`Reason::ResultNotIncluded`]). The slash is
//!   **frozen** at once: neither applied nor expiring while the dispute runs.
//! - **Challenge of completed work** ([`Pallet::challenge`]): the requester of a completed job
//!   or proven grid slot, within `ChallengeWindow` blocks of its completion, says the model was
//!   not produced by the declared hyper-parameters and seed ([`Reason::TrainingMismatch`]:
//!   deterministic training makes it checkable by anyone with `cloudana grid replay`) or the
//!   outputs are wrong ([`Reason::WrongResult`]). One challenge per work.
//!
//! ## Life of a dispute
//!
//! 1. **Opened** by the disputer, who places a bond of `DisputeBond` (held, reason
//!    [`HoldReason::DisputeBond`]). Opening submits a referendum on the `dispute` track whose
//!    proposal is [`Pallet::rule`]`(dispute, true)`, and places its decision deposit; the
//!    disputer pays the track's submission and decision deposits (refundable through
//!    `pallet-referenda` as usual). While the dispute is open, what its verdict could take
//!    stays at stake (`StakeLedger::dispute_opened`): for an appeal the pending slash, for a
//!    challenge the fraud share of the prover's stake at opening
//!    (`SlashDisputes::fraud_exposure`), recorded in the dispute and its event. The rest of
//!    the prover's stake can still be withdrawn, so a cheap dispute cannot lock a large stake.
//!    **Automatic decisions**: when an appeal gives [`Reason::Unprovable`] and the chain can
//!    tell by itself that nobody could prove the work (an input not a field element, the
//!    circuit's verifying key no longer registered: `DisputableWork::provably_unprovable`), it
//!    is upheld at once, with no referendum and no appeal.
//! 2. **Evidence** for `EvidencePeriod` blocks (DESIGN: 48 h), which the runtime makes the
//!    `dispute` track's prepare period, so voting starts when evidence closes: each party posts
//!    content hashes and short notes ([`Pallet::add_evidence`], at most `MaxEvidence` per
//!    dispute, notes at most `MaxNoteLen` bytes). The respondent's first evidence places its
//!    own bond of `DisputeBond`: a respondent who contests puts the same at stake.
//! 3. **Voting** on the referendum (DESIGN: 7 days; quorum 5% of issuance is the track's
//!    support threshold). Its approval dispatches [`Pallet::rule`] with the `dispute` track's
//!    origin: the dispute is **upheld**. If it is rejected, times out, or is cancelled, anyone
//!    calls [`Pallet::conclude`]: the dispute is **rejected**. Only the dispute's own
//!    referendum rules ([`Pallet::rule`] checks the recorded index, the round's track and the
//!    proposed ruling), never before the evidence period ends.
//! 4. **Appeal**: after the first ruling, the losing side may appeal once within
//!    `AppealWindow` blocks ([`Pallet::appeal`]) with an appeal bond of `AppealBond` (DESIGN:
//!    100 CLD). It submits a referendum on the `dispute_appeal` track (twice the quorum) whose
//!    approval overturns the ruling; its rejection confirms it.
//! 5. **Verdict carried out** when the appeal window passes without appeal, or when the
//!    appeal's referendum ends ([`Pallet::conclude`], or the appeal referendum's own
//!    [`Pallet::rule`]). Then, once:
//!
//! | dispute | upheld | rejected |
//! |---|---|---|
//! | appeal of a slash | slash cancelled: suspension lifted, reputation penalty given back | slash applied at once |
//! | challenge of work | fraud: `FraudSlash` (50%) of the prover's stake slashed at once, `FraudVictimShare` (half) to the requester but never more than the work's value (price + collateral; a grid slot: bounty + collateral), the rest to the treasury, prover banned, −200 reputation (`DisputeLost`) | nothing |
//!
//! and in both cases the loser's bond goes to the winner, the winner's bond is released, and
//! an appeal bond is released if the appeal won, or paid to the other side if it lost.
//! "Pays the prover from the requester's bond when the requester was at fault": a requester
//! that contests an appeal bonds, and loses that bond to the prover if the appeal is upheld.
//! Bonds are conserved: what is held for a dispute is exactly the bonds its record names
//! (`try_state`), and a concluded dispute's record is gone, so nothing is paid twice.
//!
//! Amounts are base units (12 decimals on Cloudana); durations are blocks (6 s).
//!
//! ## Calls
//!
//! - [`Pallet::appeal_slash`], [`Pallet::challenge`]: open a dispute.
//! - [`Pallet::add_evidence`]: a party posts evidence.
//! - [`Pallet::rule`]: a `dispute` / `dispute_appeal` referendum rules.
//! - [`Pallet::appeal`]: the first round's loser appeals.
//! - [`Pallet::conclude`]: anyone moves a dispute on whose referendum ended unapproved, or
//!   whose appeal window passed.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(feature = "runtime-benchmarks")]
pub use benchmarking::BenchmarkHelper;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

pub use weights::WeightInfo;

pub use cloudana_primitives::{
	traits::{DisputableWork, SlashDisputes, StakeLedger, WorkOutcomes, WorkParties},
	SlashId, WorkId,
};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{collections::BTreeMap, vec::Vec};
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Balanced, Inspect, InspectHold, Mutate, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::traits::{Saturating, Zero};

	/// Balance type of the pallet's currency.
	pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// [`Dispute`] of a runtime.
	pub type DisputeOf<T> = Dispute<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxEvidence,
		<T as Config>::MaxNoteLen,
	>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency bonds are in.
		type Currency: Mutate<Self::AccountId> + MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason> + Balanced<Self::AccountId>;

		/// The runtime's hold reason, which includes this pallet's.
		type RuntimeHoldReason: From<HoldReason>;

		/// Pending slashes to freeze, cancel or apply, and fraud to punish (pallet-slashing).
		type Slashes: SlashDisputes<Self::AccountId, BalanceOf<Self>>;

		/// The work disputes are about (pallet-jobs).
		type Work: DisputableWork<Self::AccountId, BlockNumberFor<Self>, BalanceOf<Self>>;

		/// Where provers' stake lives: kept from withdrawal while a dispute is open.
		type Stake: StakeLedger<Self::AccountId, BlockNumberFor<Self>, Self::Currency>;

		/// The referenda that decide disputes (`pallet-referenda`, wired by the runtime).
		type Referenda: DisputeReferenda<Self::AccountId, Call<Self>>;

		/// May rule on a dispute, and as whom ([`Ruler`]): the `dispute` and `dispute_appeal`
		/// tracks (and Root).
		type RulingOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Ruler>;

		/// The bond each side of a dispute places, base units.
		#[pallet::constant]
		type DisputeBond: Get<BalanceOf<Self>>;

		/// The bond an appeal of a ruling places, base units.
		#[pallet::constant]
		type AppealBond: Get<BalanceOf<Self>>;

		/// Blocks after completion within which the requester may challenge work. At most the
		/// work's retention (it must still exist) and the unbonding period (its stake too).
		#[pallet::constant]
		type ChallengeWindow: Get<BlockNumberFor<Self>>;

		/// Blocks from opening during which the parties post evidence (the `dispute` track's
		/// prepare period).
		#[pallet::constant]
		type EvidencePeriod: Get<BlockNumberFor<Self>>;

		/// Blocks after the first ruling within which its loser may appeal.
		#[pallet::constant]
		type AppealWindow: Get<BlockNumberFor<Self>>;

		/// The most evidence one dispute takes, both sides together.
		#[pallet::constant]
		type MaxEvidence: Get<u32>;

		/// The longest evidence note, bytes.
		#[pallet::constant]
		type MaxNoteLen: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up slashes, work and referendum outcomes for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A dispute's or an appeal's bond.
		#[codec(index = 0)]
		DisputeBond,
	}

	/// The id the next dispute gets.
	#[pallet::storage]
	pub type NextDisputeId<T> = StorageValue<_, DisputeId, ValueQuery>;

	/// Open disputes. Removed when concluded.
	#[pallet::storage]
	pub type Disputes<T: Config> = StorageMap<_, Twox64Concat, DisputeId, DisputeOf<T>>;

	/// The dispute of each disputed subject: one per slash, one per work. A slash's entry goes
	/// when its dispute concludes (the slash is gone then); a work's entry stays until the
	/// work's record is pruned, so concluded work cannot be challenged again.
	#[pallet::storage]
	pub type Subjects<T: Config> = StorageMap<_, Blake2_128Concat, Subject, DisputeId>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A dispute was opened and its bond placed.
		DisputeOpened {
			/// The dispute.
			dispute: DisputeId,
			/// What is disputed.
			subject: Subject,
			/// Why.
			reason: Reason,
			/// Who opened it.
			disputer: T::AccountId,
			/// The other party.
			respondent: T::AccountId,
			/// The bond placed, base units.
			bond: BalanceOf<T>,
			/// The referendum deciding it (`None`: decided at once by the chain).
			referendum: Option<ReferendumIndex>,
			/// The prover's stake kept from withdrawal until the verdict, base units.
			at_stake: BalanceOf<T>,
		},
		/// A party posted evidence.
		EvidenceAdded {
			/// The dispute.
			dispute: DisputeId,
			/// Which party.
			by: Side,
			/// The content hash.
			hash: H256,
		},
		/// The first round ruled; the loser may appeal until `appeal_until`.
		Ruled {
			/// The dispute.
			dispute: DisputeId,
			/// `true`: upheld (the disputer won).
			upheld: bool,
			/// The end of the appeal window (exclusive).
			appeal_until: BlockNumberFor<T>,
		},
		/// The first round's loser appealed.
		Appealed {
			/// The dispute.
			dispute: DisputeId,
			/// Which party.
			by: Side,
			/// Its appeal bond, base units.
			bond: BalanceOf<T>,
			/// The `dispute_appeal` referendum deciding it.
			referendum: ReferendumIndex,
		},
		/// The verdict was carried out (module docs, "Life of a dispute", 5).
		DisputeConcluded {
			/// The dispute.
			dispute: DisputeId,
			/// What was disputed.
			subject: Subject,
			/// `true`: upheld (the disputer won).
			upheld: bool,
			/// Decided by the chain itself, without a referendum.
			automatic: bool,
			/// The bonds the loser lost to the winner, base units.
			bonds_paid: BalanceOf<T>,
			/// Slashed from the prover for fraud (an upheld challenge), base units.
			fraud_slashed: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No open dispute with this id (never opened, or concluded).
		DisputeNotFound,
		/// No pending slash with this id (never reported, applied or cancelled): outside its
		/// deferral window.
		SlashNotFound,
		/// Only the slashed prover may appeal its slash.
		NotOffender,
		/// No work with this id (never submitted, or pruned).
		WorkNotFound,
		/// Only the work's requester may challenge it.
		NotRequester,
		/// The work is not completed (a job) or proven (a grid slot).
		NotCompleted,
		/// The challenge window of the work has passed.
		ChallengeWindowClosed,
		/// This slash or work is, or was, disputed already.
		AlreadyDisputed,
		/// This reason is not a ground for this kind of dispute (an appeal: `Unprovable`,
		/// `RequesterFault`, `ResultNotIncluded`; a challenge: `TrainingMismatch`,
		/// `WrongResult`).
		WrongReason,
		/// Only the dispute's parties may do this.
		NotParty,
		/// The evidence period is over (or the dispute is past its first round).
		EvidenceClosed,
		/// The note is longer than `MaxNoteLen` bytes.
		NoteTooLong,
		/// The dispute has `MaxEvidence` pieces of evidence already.
		TooMuchEvidence,
		/// The account cannot afford the bond.
		InsufficientBalance,
		/// No referendum is deciding the dispute now.
		NotVoting,
		/// The dispute's referendum has not ended.
		ReferendumOngoing,
		/// The dispute has no first ruling to appeal (or it was appealed already).
		NotRuled,
		/// The appeal window has passed.
		AppealWindowClosed,
		/// The appeal window is still open: the ruling may yet be appealed.
		AppealWindowOpen,
		/// Only the first round's loser may appeal.
		NotLoser,
		/// The evidence period is still open: no ruling before it ends.
		EvidenceOpen,
		/// A ruling not from the dispute's own referendum: another referendum on its track, the
		/// other round's track, a ruling other than its proposal, or a referendum not approved.
		NotTheDisputesReferendum,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::DisputeBond::get().is_zero(), "DisputeBond must be positive");
			assert!(!T::AppealBond::get().is_zero(), "AppealBond must be positive");
			assert!(T::MaxEvidence::get() > 0, "MaxEvidence must be positive");
			assert!(!T::AppealWindow::get().is_zero(), "AppealWindow must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Appeal a pending slash.
		///
		/// - Origin: signed by the slashed prover.
		/// - `slash`: a pending slash's id (inside its deferral window).
		/// - `reason`: `Unprovable`, `RequesterFault` or `ResultNotIncluded`.
		///
		/// Holds `DisputeBond` from the prover and freezes the slash. With `Unprovable`, if the
		/// chain can tell by itself that the work was unprovable, the appeal is upheld at once
		/// (slash cancelled, bond released). Otherwise opens the dispute against the work's
		/// requester and submits its `dispute` referendum, the prover paying its submission
		/// and decision deposits.
		///
		/// Emits [`Event::DisputeOpened`] (and [`Event::DisputeConcluded`] when decided at once).
		///
		/// Errors: [`Error::WrongReason`], [`Error::SlashNotFound`], [`Error::NotOffender`],
		/// [`Error::AlreadyDisputed`], [`Error::WorkNotFound`], [`Error::InsufficientBalance`],
		/// and `pallet-referenda`'s errors (deposits).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::appeal_slash().max(T::WeightInfo::appeal_slash_automatic()))]
		pub fn appeal_slash(origin: OriginFor<T>, slash: SlashId, reason: Reason) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(reason.is_appeal(), Error::<T>::WrongReason);
			let pending = T::Slashes::pending(slash).ok_or(Error::<T>::SlashNotFound)?;
			ensure!(pending.offender == who, Error::<T>::NotOffender);
			let subject = Subject::Slash(slash);
			ensure!(!pending.frozen && !Subjects::<T>::contains_key(subject), Error::<T>::AlreadyDisputed);
			let parties = T::Work::parties(pending.work).ok_or(Error::<T>::WorkNotFound)?;
			let automatic = reason == Reason::Unprovable && T::Work::provably_unprovable(pending.work);
			let (work, at_stake) = (pending.work, pending.amount);
			let id = Self::open(who.clone(), parties.requester, who, (subject, work, reason), at_stake, !automatic)?;
			ensure!(T::Slashes::freeze(slash), Error::<T>::SlashNotFound);
			if automatic {
				let dispute = Disputes::<T>::take(id).ok_or(Error::<T>::DisputeNotFound)?;
				Self::finish(id, dispute, true, true)?;
			}
			Ok(())
		}

		/// Challenge completed work.
		///
		/// - Origin: signed by the work's requester.
		/// - `work`: a completed job or a proven grid slot, completed less than
		///   `ChallengeWindow` blocks ago.
		/// - `reason`: `TrainingMismatch` or `WrongResult`.
		///
		/// Holds `DisputeBond` from the requester, keeps the fraud share of the prover's stake
		/// from withdrawal (module docs), and submits the dispute's `dispute` referendum, the requester paying its submission
		/// and decision deposits.
		///
		/// Emits [`Event::DisputeOpened`].
		///
		/// Errors: [`Error::WrongReason`], [`Error::WorkNotFound`], [`Error::NotRequester`],
		/// [`Error::NotCompleted`], [`Error::ChallengeWindowClosed`],
		/// [`Error::AlreadyDisputed`], [`Error::InsufficientBalance`], and `pallet-referenda`'s
		/// errors (deposits).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::challenge())]
		pub fn challenge(origin: OriginFor<T>, work: WorkId, reason: Reason) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!reason.is_appeal(), Error::<T>::WrongReason);
			let parties = T::Work::parties(work).ok_or(Error::<T>::WorkNotFound)?;
			ensure!(parties.requester == who, Error::<T>::NotRequester);
			let (prover, completed_at) = parties.completed.ok_or(Error::<T>::NotCompleted)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now < completed_at.saturating_add(T::ChallengeWindow::get()), Error::<T>::ChallengeWindowClosed);
			let subject = Subject::Work(work);
			ensure!(!Subjects::<T>::contains_key(subject), Error::<T>::AlreadyDisputed);
			let at_stake = T::Slashes::fraud_exposure(&prover);
			Self::open(who, prover.clone(), prover, (subject, work, reason), at_stake, true)?;
			Ok(())
		}

		/// Post evidence.
		///
		/// - Origin: signed by a party to the dispute.
		/// - `dispute`: an open dispute, within `EvidencePeriod` blocks of its opening.
		/// - `hash`: the content hash of what is shown.
		/// - `note`: at most `MaxNoteLen` bytes.
		///
		/// The respondent's first evidence holds its bond of `DisputeBond`.
		///
		/// Emits [`Event::EvidenceAdded`].
		///
		/// Errors: [`Error::DisputeNotFound`], [`Error::NotParty`], [`Error::EvidenceClosed`],
		/// [`Error::NoteTooLong`], [`Error::TooMuchEvidence`], [`Error::InsufficientBalance`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::add_evidence())]
		pub fn add_evidence(origin: OriginFor<T>, dispute: DisputeId, hash: H256, note: Vec<u8>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Disputes::<T>::try_mutate(dispute, |entry| {
				let record = entry.as_mut().ok_or(Error::<T>::DisputeNotFound)?;
				let by = if who == record.disputer {
					Side::Disputer
				} else if who == record.respondent {
					Side::Respondent
				} else {
					return Err(Error::<T>::NotParty.into());
				};
				let now = frame_system::Pallet::<T>::block_number();
				let first_round = matches!(record.phase, Phase::Voting { round: Round::First, .. });
				ensure!(
					first_round && now < record.opened_at.saturating_add(T::EvidencePeriod::get()),
					Error::<T>::EvidenceClosed
				);
				let note: BoundedVec<u8, T::MaxNoteLen> = note.try_into().map_err(|_| Error::<T>::NoteTooLong)?;
				record.evidence.try_push(Evidence { by, hash, note }).map_err(|_| Error::<T>::TooMuchEvidence)?;
				if by == Side::Respondent && record.respondent_bond.is_zero() {
					record.respondent_bond = Self::hold_bond(&who, T::DisputeBond::get())?;
				}
				Self::deposit_event(Event::EvidenceAdded { dispute, by, hash });
				Ok(())
			})
		}

		/// Rule on a dispute.
		///
		/// - Origin: `RulingOrigin` (a `dispute` or `dispute_appeal` referendum, or Root).
		///   A track's referendum rules only as the dispute's own referendum: the one recorded
		///   when its round opened, on that round's track (`dispute` for the first round,
		///   `dispute_appeal` for the appeal), approved, with the ruling it proposed. Anyone
		///   can submit a referendum on the `dispute` track, so any other is refused.
		/// - `dispute`: an open dispute that a referendum is deciding, past its evidence period.
		/// - `upheld`: `true` if the disputer wins.
		///
		/// In the first round, records the ruling and opens the appeal window. In the appeal
		/// round, carries out the verdict (module docs, "Life of a dispute", 5).
		///
		/// Emits [`Event::Ruled`], or [`Event::DisputeConcluded`].
		///
		/// Errors: [`Error::DisputeNotFound`], [`Error::NotVoting`], [`Error::EvidenceOpen`],
		/// [`Error::NotTheDisputesReferendum`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::rule().max(T::WeightInfo::conclude()))]
		pub fn rule(origin: OriginFor<T>, dispute: DisputeId, upheld: bool) -> DispatchResult {
			let ruler = T::RulingOrigin::ensure_origin(origin)?;
			let record = Disputes::<T>::get(dispute).ok_or(Error::<T>::DisputeNotFound)?;
			let Phase::Voting { referendum, round } = record.phase else { return Err(Error::<T>::NotVoting.into()) };
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				round != Round::First || now >= record.opened_at.saturating_add(T::EvidencePeriod::get()),
				Error::<T>::EvidenceOpen
			);
			let track = match round {
				Round::First => Ruler::FirstRound,
				Round::Appeal { .. } => Ruler::AppealRound,
			};
			if ruler != Ruler::Root {
				ensure!(
					ruler == track &&
						upheld == round.ruling_if_approved() &&
						T::Referenda::outcome(referendum) == ReferendumOutcome::Approved,
					Error::<T>::NotTheDisputesReferendum
				);
			}
			Self::decide(dispute, record, round, upheld)
		}

		/// Appeal the first ruling.
		///
		/// - Origin: signed by the party the first round ruled against.
		/// - `dispute`: a dispute ruled in its first round, inside its appeal window.
		///
		/// Holds `AppealBond` and submits a `dispute_appeal` referendum whose approval
		/// overturns the ruling, the appellant paying its submission and decision deposits.
		///
		/// Emits [`Event::Appealed`].
		///
		/// Errors: [`Error::DisputeNotFound`], [`Error::NotRuled`],
		/// [`Error::AppealWindowClosed`], [`Error::NotLoser`], [`Error::InsufficientBalance`],
		/// and `pallet-referenda`'s errors (deposits).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::appeal())]
		pub fn appeal(origin: OriginFor<T>, dispute: DisputeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Disputes::<T>::get(dispute).ok_or(Error::<T>::DisputeNotFound)?;
			let Phase::Ruled { upheld, appeal_until } = record.phase else { return Err(Error::<T>::NotRuled.into()) };
			ensure!(frame_system::Pallet::<T>::block_number() < appeal_until, Error::<T>::AppealWindowClosed);
			let (loser, by) =
				if upheld { (&record.respondent, Side::Respondent) } else { (&record.disputer, Side::Disputer) };
			ensure!(*loser == who, Error::<T>::NotLoser);
			let bond = Self::hold_bond(&who, T::AppealBond::get())?;
			let round = Round::Appeal { first: upheld };
			let referendum = T::Referenda::submit(&who, round, Call::<T>::rule { dispute, upheld: !upheld })?;
			record.appeal = Some(Appeal { by, bond });
			record.phase = Phase::Voting { referendum, round };
			Disputes::<T>::insert(dispute, record);
			Self::deposit_event(Event::Appealed { dispute, by, bond, referendum });
			Ok(())
		}

		/// Move a dispute on.
		///
		/// - Origin: signed by anyone.
		/// - `dispute`: an open dispute whose referendum has ended, or whose appeal window has
		///   passed.
		///
		/// A referendum that ended unapproved rules against its proposal (the first round:
		/// rejected; an appeal: the first ruling stands); one approved whose call has not run
		/// yet rules for it. A ruling whose appeal window passed is carried out (module docs,
		/// "Life of a dispute", 5).
		///
		/// Emits [`Event::Ruled`] or [`Event::DisputeConcluded`].
		///
		/// Errors: [`Error::DisputeNotFound`], [`Error::ReferendumOngoing`],
		/// [`Error::AppealWindowOpen`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::conclude())]
		pub fn conclude(origin: OriginFor<T>, dispute: DisputeId) -> DispatchResult {
			ensure_signed(origin)?;
			let record = Disputes::<T>::get(dispute).ok_or(Error::<T>::DisputeNotFound)?;
			match record.phase {
				Phase::Voting { referendum, round } => {
					let upheld = match T::Referenda::outcome(referendum) {
						ReferendumOutcome::Ongoing => return Err(Error::<T>::ReferendumOngoing.into()),
						ReferendumOutcome::Approved => round.ruling_if_approved(),
						ReferendumOutcome::Rejected => !round.ruling_if_approved(),
					};
					Self::decide(dispute, record, round, upheld)
				},
				Phase::Ruled { upheld, appeal_until } => {
					ensure!(frame_system::Pallet::<T>::block_number() >= appeal_until, Error::<T>::AppealWindowOpen);
					Disputes::<T>::remove(dispute);
					Self::finish(dispute, record, upheld, false)
				},
			}
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether [`Pallet::conclude`] of `dispute` would move it on now: its referendum has
		/// ended, or its appeal window has passed. The runtime gives such a conclusion a
		/// priority block-stuffers cannot outbid cheaply (`cloudana_runtime::priority`). Reads
		/// the dispute and, while it is voted on, its referendum.
		pub fn is_concludable(dispute: DisputeId) -> bool {
			match Disputes::<T>::get(dispute).map(|record| record.phase) {
				Some(Phase::Voting { referendum, .. }) =>
					!matches!(T::Referenda::outcome(referendum), ReferendumOutcome::Ongoing),
				Some(Phase::Ruled { appeal_until, .. }) => frame_system::Pallet::<T>::block_number() >= appeal_until,
				None => false,
			}
		}

		/// Holds `amount` from `who` for a dispute.
		fn hold_bond(who: &T::AccountId, amount: BalanceOf<T>) -> Result<BalanceOf<T>, DispatchError> {
			T::Currency::hold(&HoldReason::DisputeBond.into(), who, amount).map_err(|_| Error::<T>::InsufficientBalance)?;
			Ok(amount)
		}

		/// Opens a dispute about `(subject, work, reason)`: holds the disputer's bond, keeps
		/// `at_stake` of the prover's stake, records the dispute and (`vote`) submits its
		/// referendum.
		fn open(
			disputer: T::AccountId,
			respondent: T::AccountId,
			prover: T::AccountId,
			(subject, work, reason): (Subject, WorkId, Reason),
			at_stake: BalanceOf<T>,
			vote: bool,
		) -> Result<DisputeId, DispatchError> {
			let bond = Self::hold_bond(&disputer, T::DisputeBond::get())?;
			let id = NextDisputeId::<T>::get();
			let referendum = if vote {
				Some(T::Referenda::submit(&disputer, Round::First, Call::<T>::rule { dispute: id, upheld: true })?)
			} else {
				None
			};
			NextDisputeId::<T>::put(id.saturating_add(1));
			T::Stake::dispute_opened(&prover, at_stake);
			Subjects::<T>::insert(subject, id);
			Disputes::<T>::insert(
				id,
				Dispute {
					subject,
					work,
					reason,
					disputer: disputer.clone(),
					respondent: respondent.clone(),
					prover,
					disputer_bond: bond,
					respondent_bond: Zero::zero(),
					at_stake,
					opened_at: frame_system::Pallet::<T>::block_number(),
					evidence: BoundedVec::new(),
					// An automatic decision never stores this phase: it finishes in the same call.
					phase: Phase::Voting { referendum: referendum.unwrap_or_default(), round: Round::First },
					appeal: None,
				},
			);
			Self::deposit_event(Event::DisputeOpened {
				dispute: id,
				subject,
				reason,
				disputer,
				respondent,
				bond,
				referendum,
				at_stake,
			});
			Ok(id)
		}

		/// A referendum's ruling in `round`: the first round's waits for its appeal window, an
		/// appeal's is carried out.
		fn decide(dispute: DisputeId, mut record: DisputeOf<T>, round: Round, upheld: bool) -> DispatchResult {
			match round {
				Round::First => {
					let appeal_until = frame_system::Pallet::<T>::block_number().saturating_add(T::AppealWindow::get());
					record.phase = Phase::Ruled { upheld, appeal_until };
					Disputes::<T>::insert(dispute, record);
					Self::deposit_event(Event::Ruled { dispute, upheld, appeal_until });
					Ok(())
				},
				Round::Appeal { .. } => {
					Disputes::<T>::remove(dispute);
					Self::finish(dispute, record, upheld, false)
				},
			}
		}

		/// Carries out a verdict (module docs, "Life of a dispute", 5). The record is already
		/// out of [`Disputes`].
		fn finish(dispute: DisputeId, record: DisputeOf<T>, upheld: bool, automatic: bool) -> DispatchResult {
			let mut fraud_slashed = Zero::zero();
			match (record.subject, upheld) {
				(Subject::Slash(slash), true) => T::Slashes::cancel(slash),
				(Subject::Slash(slash), false) => T::Slashes::apply(slash),
				(Subject::Work(work), true) => {
					// The requester's share is capped by what the work was worth to it (a gone
					// record: nothing), so a verdict is never a profit on a small job.
					let cap = T::Work::parties(work).map_or(Zero::zero(), |parties| parties.value);
					fraud_slashed = T::Slashes::punish_fraud(&record.prover, work, &record.disputer, cap, record.at_stake).amount
				},
				(Subject::Work(_), false) => (),
			}
			let (winner, winner_bond, loser, loser_bond) = if upheld {
				(&record.disputer, record.disputer_bond, &record.respondent, record.respondent_bond)
			} else {
				(&record.respondent, record.respondent_bond, &record.disputer, record.disputer_bond)
			};
			let reason = HoldReason::DisputeBond.into();
			let release = |who: &T::AccountId, amount: BalanceOf<T>| -> DispatchResult {
				if !amount.is_zero() {
					T::Currency::release(&reason, who, amount, Precision::BestEffort)?;
				}
				Ok(())
			};
			let pay = |from: &T::AccountId, to: &T::AccountId, amount: BalanceOf<T>| -> Result<BalanceOf<T>, DispatchError> {
				if amount.is_zero() {
					return Ok(amount);
				}
				T::Currency::transfer_on_hold(&reason, from, to, amount, Precision::BestEffort, Restriction::Free, Fortitude::Force)
			};
			release(winner, winner_bond)?;
			let mut bonds_paid = pay(loser, winner, loser_bond)?;
			if let Some(appeal) = &record.appeal {
				let (appellant, other) = match appeal.by {
					Side::Disputer => (&record.disputer, &record.respondent),
					Side::Respondent => (&record.respondent, &record.disputer),
				};
				if appellant == winner {
					release(appellant, appeal.bond)?;
				} else {
					bonds_paid = bonds_paid.saturating_add(pay(appellant, other, appeal.bond)?);
				}
			}
			T::Stake::dispute_closed(&record.prover, record.at_stake);
			let keep_subject = matches!(record.subject, Subject::Work(work) if T::Work::parties(work).is_some());
			if !keep_subject {
				Subjects::<T>::remove(record.subject);
			}
			Self::deposit_event(Event::DisputeConcluded {
				dispute,
				subject: record.subject,
				upheld,
				automatic,
				bonds_paid,
				fraud_slashed,
			});
			Ok(())
		}

		/// An open dispute.
		pub fn dispute(id: DisputeId) -> Option<DisputeOf<T>> {
			Disputes::<T>::get(id)
		}

		/// Checks the pallet's invariants: every open dispute's subject points to it, and is
		/// below `NextDisputeId`; a disputed slash still pending is frozen; the funds held for
		/// bonds are exactly the bonds the open disputes name (conservation: nothing paid
		/// twice, nothing left behind).
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let mut expected: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			for (id, record) in Disputes::<T>::iter() {
				ensure!(id < NextDisputeId::<T>::get(), "a dispute id is not below NextDisputeId");
				ensure!(Subjects::<T>::get(record.subject) == Some(id), "an open dispute's subject does not point to it");
				if let Subject::Slash(slash) = record.subject {
					if let Some(pending) = T::Slashes::pending(slash) {
						ensure!(pending.frozen, "a disputed slash is not frozen");
					}
				}
				expected.entry(record.disputer.clone()).or_default().saturating_accrue(record.disputer_bond);
				expected.entry(record.respondent.clone()).or_default().saturating_accrue(record.respondent_bond);
				if let Some(appeal) = &record.appeal {
					let who = if appeal.by == Side::Disputer { &record.disputer } else { &record.respondent };
					expected.entry(who.clone()).or_default().saturating_accrue(appeal.bond);
				}
			}
			for (who, amount) in expected {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::DisputeBond.into(), &who) == amount,
					"held dispute bonds differ from the open disputes' bonds"
				);
			}
			for (subject, id) in Subjects::<T>::iter() {
				if let Subject::Slash(_) = subject {
					ensure!(Disputes::<T>::contains_key(id), "a concluded slash dispute kept its subject");
				}
			}
			Ok(())
		}
	}

	impl<T: Config, Balance> WorkOutcomes<T::AccountId, Balance> for Pallet<T> {
		/// The work's record is gone: a concluded challenge's subject goes with it.
		fn on_reaped(work: WorkId) {
			let subject = Subject::Work(work);
			if let Some(id) = Subjects::<T>::get(subject) {
				if !Disputes::<T>::contains_key(id) {
					Subjects::<T>::remove(subject);
				}
			}
		}
	}
}
