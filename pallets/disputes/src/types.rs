//! The dispute record and its parts.

use crate::{SlashId, WorkId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use scale_info::TypeInfo;
use sp_core::H256;

/// A dispute's id: sequential from 0.
pub type DisputeId = u64;

/// A referendum's index (`pallet-referenda`'s `ReferendumIndex`).
pub type ReferendumIndex = u32;

/// What is disputed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Subject {
	/// A pending slash, appealed by its prover.
	Slash(SlashId),
	/// Completed work (a job or a proven grid slot), challenged by its requester.
	Work(WorkId),
}

/// Why a party disputes. The first three are a prover's grounds to appeal a slash, the last
/// two a requester's grounds to challenge completed work.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Reason {
	/// Nobody could have proven the work (bad inputs, a broken key). The one ground the chain
	/// may check itself: when it can, it decides at once.
	Unprovable,
	/// The requester caused the failure (its inputs or key did not match what it declared).
	RequesterFault,
	/// The prover submitted its result in time and the chain did not include it.
	ResultNotIncluded,
	/// The proven model was not produced by the declared hyper-parameters and seed
	/// (deterministic training: `cloudana grid replay` shows it).
	TrainingMismatch,
	/// The outputs are not what the declared computation gives on the inputs.
	WrongResult,
}

impl Reason {
	/// Whether a prover may give this reason to appeal a slash.
	pub fn is_appeal(self) -> bool {
		matches!(self, Reason::Unprovable | Reason::RequesterFault | Reason::ResultNotIncluded)
	}
}

/// A side of a dispute.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Side {
	/// Who opened it (the prover of an appeal, the requester of a challenge).
	Disputer,
	/// The other party.
	Respondent,
}

/// One piece of evidence: a content hash of what a party shows (a file, a replay log), and a
/// short note.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxNoteLen))]
pub struct Evidence<MaxNoteLen: Get<u32>> {
	/// Who posted it.
	pub by: Side,
	/// The content hash (for example blake2-256 or SHA-256 of the file).
	pub hash: H256,
	/// A short note, UTF-8 by convention, at most `MaxNoteLen` bytes.
	pub note: BoundedVec<u8, MaxNoteLen>,
}

/// The round a referendum decides.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Round {
	/// The dispute itself, on the `dispute` track: approval upholds it.
	First,
	/// The loser's appeal, on the `dispute_appeal` track: approval overturns `first`, the
	/// first round's ruling (`true`: upheld).
	Appeal {
		/// The first round's ruling.
		first: bool,
	},
}

impl Round {
	/// The ruling an approval of this round's referendum makes (`true`: upheld).
	pub fn ruling_if_approved(self) -> bool {
		match self {
			Round::First => true,
			Round::Appeal { first } => !first,
		}
	}
}

/// Where a dispute stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Phase<BlockNumber> {
	/// A referendum decides it.
	Voting {
		/// The referendum.
		referendum: ReferendumIndex,
		/// Which round.
		round: Round,
	},
	/// The first round ruled; the loser may appeal until `appeal_until` (exclusive), then the
	/// ruling is carried out (`conclude`).
	Ruled {
		/// The ruling (`true`: upheld, the disputer won).
		upheld: bool,
		/// The end of the appeal window.
		appeal_until: BlockNumber,
	},
}

/// A party's appeal of the first ruling.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct Appeal<Balance> {
	/// Who appealed (the first round's loser).
	pub by: Side,
	/// Its appeal bond, base units (held).
	pub bond: Balance,
}

/// A dispute.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxEvidence, MaxNoteLen))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Dispute<
	AccountId: Clone + PartialEq + core::fmt::Debug,
	Balance: Clone + PartialEq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + core::fmt::Debug,
	MaxEvidence: Get<u32>,
	MaxNoteLen: Get<u32>,
> {
	/// What is disputed.
	pub subject: Subject,
	/// The work it is about.
	pub work: WorkId,
	/// Why.
	pub reason: Reason,
	/// Who opened it.
	pub disputer: AccountId,
	/// The other party.
	pub respondent: AccountId,
	/// The prover (the disputer of an appeal, the respondent of a challenge).
	pub prover: AccountId,
	/// The disputer's bond, base units (held).
	pub disputer_bond: Balance,
	/// The respondent's bond, base units (held once it posted evidence; zero before).
	pub respondent_bond: Balance,
	/// The prover's stake kept from withdrawal until the verdict, base units: the pending
	/// slash of an appeal, the fraud exposure of a challenge when it opened.
	pub at_stake: Balance,
	/// The block it was opened in: evidence is taken for `EvidencePeriod` blocks from here.
	pub opened_at: BlockNumber,
	/// The evidence posted, oldest first.
	pub evidence: BoundedVec<Evidence<MaxNoteLen>, MaxEvidence>,
	/// Where it stands.
	pub phase: Phase<BlockNumber>,
	/// The appeal of the first ruling, once made.
	pub appeal: Option<Appeal<Balance>>,
}

/// Who rules on a dispute: what the runtime's `RulingOrigin` makes of an origin.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ruler {
	/// Root (the `root` track): any dispute being voted on, in either round.
	Root,
	/// A referendum on the `dispute` track: only a dispute's own first-round referendum.
	FirstRound,
	/// A referendum on the `dispute_appeal` track: only a dispute's own appeal referendum.
	AppealRound,
}

/// How a referendum ended, as far as a dispute cares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReferendumOutcome {
	/// Still preparing, deciding or confirming.
	Ongoing,
	/// Approved: its call is (or will be) dispatched.
	Approved,
	/// Rejected, timed out, cancelled or killed.
	Rejected,
}

/// The referenda that decide disputes. Declared here, implemented by the runtime over
/// `pallet-referenda`.
pub trait DisputeReferenda<AccountId, Call> {
	/// Submits a referendum on the round's track (`dispute` or `dispute_appeal`) whose approval
	/// dispatches `proposal`, with `who` paying its submission and decision deposits; returns
	/// its index.
	fn submit(who: &AccountId, round: Round, proposal: Call) -> Result<ReferendumIndex, DispatchError>;
	/// How referendum `index` ended.
	fn outcome(index: ReferendumIndex) -> ReferendumOutcome;
}
