//! The records pallet-reputation keeps, its tiers, and the score formula.

use cloudana_primitives::Offence;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec, CloneNoBound, DebugNoBound, DefaultNoBound, EqNoBound, PartialEqNoBound};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// The highest score.
pub const MAX_SCORE: u16 = 1000;

/// A prover's counters and score.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct ReputationRecord<BlockNumber> {
	/// The score, `0..=1000`.
	pub score: u16,
	/// Jobs completed with a valid proof.
	pub completed: u32,
	/// Of those, completed in the first half of their proof window ("on time").
	pub on_time: u32,
	/// Locks that timed out.
	pub timeouts: u32,
	/// Proofs that did not verify.
	pub invalid_proofs: u32,
	/// Times the repeated-failures rule fired (3 failures in 7 days).
	pub repeated_failures: u32,
	/// Disputes lost (fraud).
	pub disputes_lost: u32,
	/// Ratings received.
	pub ratings: u32,
	/// Sum of the stars of those ratings (1 to 5 each).
	pub stars: u32,
	/// Heartbeats sent.
	pub heartbeats: u32,
	/// The block the record was created in; uptime counts heartbeat intervals from here.
	pub since: BlockNumber,
	/// The last block the record's counters changed in: a completion, a rating, an offence (or
	/// its cancellation) or a heartbeat; `since` until then. Added in storage
	/// version 1 ([`crate::migrations::v1`] sets it to `since` for older records).
	pub last_active: BlockNumber,
}

/// Reputation tiers. Each allows jobs below a price (the runtime's parameters; DESIGN:
/// Bronze < 10 CLD, Silver < 50 CLD, Gold < 200 CLD, Diamond any) and Diamond provers pay a
/// lower platform fee.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Tier {
	/// Score below `SilverFrom` (DESIGN: 0–299).
	Bronze,
	/// Score from `SilverFrom` (DESIGN: 300–599).
	Silver,
	/// Score from `GoldFrom` (DESIGN: 600–799).
	Gold,
	/// Score from `DiamondFrom` (DESIGN: 800–1000).
	Diamond,
}

/// Why a score changed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum ScoreChange {
	/// Work completed with a valid proof and credited (recovery, `SuccessBonus`).
	Success,
	/// A five-star rating (recovery, `FiveStarBonus`).
	FiveStars,
	/// An offence pallet-slashing recorded: `TimeoutPenalty`, `InvalidProofPenalty`,
	/// `FailurePenalty` (repeated failures) or `DisputeLostPenalty` (fraud).
	Offence(Offence),
	/// The slash of an offence was cancelled: its penalty given back (up to 1000).
	Restored(Offence),
}

/// Why completed work earned no reputation (module docs, "Credit").
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum NoCredit {
	/// Its price was below `CreditMinPrice`.
	PriceBelowMinimum,
	/// Its circuit's verifying key belongs to the requester or the prover, who may know its
	/// trapdoor and forge proofs.
	OwnCircuit,
	/// The requester–prover pair had `MaxCreditsPerPair` credits this credit period already.
	PairLimitReached,
	/// The prover was credited by `MaxPairsPerPeriod` requesters this period already.
	PeriodFull,
}

/// Credited work that its requester may rate, until the work's record is pruned.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct Rating<AccountId> {
	/// Who may rate it.
	pub requester: AccountId,
	/// Who is rated.
	pub prover: AccountId,
	/// The stars given, once rated.
	pub stars: Option<u8>,
}

/// The credits a prover got in the current credit period, per requester.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, DefaultNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxPairs))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
pub struct PeriodCredits<AccountId: Clone + PartialEq + core::fmt::Debug, MaxPairs: Get<u32>> {
	/// The period (block number / `CreditPeriod`).
	pub period: u32,
	/// Requesters and how many of their works were credited this period.
	pub pairs: BoundedVec<(AccountId, u32), MaxPairs>,
}

/// What the runtime API reports for a prover.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ProverReputation<BlockNumber> {
	/// The score, `0..=1000`.
	pub score: u16,
	/// The tier the score is in.
	pub tier: Tier,
	/// The score the formula gives the counters now, `0..=1000`: recoveries stop there.
	pub formula: u16,
	/// The counters.
	pub record: ReputationRecord<BlockNumber>,
}

/// `part / whole`, or 100% when `whole` is zero (no history yet: benefit of the doubt).
fn ratio(part: u32, whole: u32) -> Perbill {
	if whole == 0 {
		Perbill::one()
	} else {
		Perbill::from_rational(part.min(whole), whole)
	}
}

/// The seed formula, in points of 1000:
///
/// ```text
/// 400 × completion rate   completed / (completed + timeouts + invalid proofs)
/// 250 × time accuracy     on time / completed
/// 200 × requester ratings (mean stars − 1) / 4
/// 100 × valid proofs      completed / (completed + invalid proofs)
///  50 × uptime            heartbeats / heartbeat intervals since the record began (≤ 1)
/// ```
///
/// A rate without history (no jobs, no ratings) counts as 100%. `intervals` is the number of
/// heartbeat intervals since `record.since`, counting the current one.
pub fn formula_score<BlockNumber>(record: &ReputationRecord<BlockNumber>, intervals: u32) -> u16 {
	let ended = record.completed.saturating_add(record.timeouts).saturating_add(record.invalid_proofs);
	let completion = ratio(record.completed, ended);
	let time = ratio(record.on_time, record.completed);
	let ratings = if record.ratings == 0 {
		Perbill::one()
	} else {
		let above_one = record.stars.saturating_sub(record.ratings);
		ratio(above_one, record.ratings.saturating_mul(4))
	};
	let valid = ratio(record.completed, record.completed.saturating_add(record.invalid_proofs));
	let uptime = ratio(record.heartbeats, intervals.max(1));
	let points = (completion * 400u32)
		.saturating_add(time * 250u32)
		.saturating_add(ratings * 200u32)
		.saturating_add(valid * 100u32)
		.saturating_add(uptime * 50u32);
	points.min(MAX_SCORE as u32) as u16
}

/// `score` raised by `bonus`, but not above `cap` (and never lowered).
pub fn recover(score: u16, bonus: u16, cap: u16) -> u16 {
	if score >= cap {
		score
	} else {
		score.saturating_add(bonus).min(cap)
	}
}

/// `score` lowered by `penalty`, not below zero.
pub fn penalize(score: u16, penalty: u16) -> u16 {
	score.saturating_sub(penalty)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_perfect_record_scores_1000_and_history_free_rates_count_full() {
		let record = ReputationRecord::<u32> { completed: 10, on_time: 10, heartbeats: 3, ..Default::default() };
		assert_eq!(formula_score(&record, 3), 1000);
		assert_eq!(formula_score(&ReputationRecord::<u32>::default(), 1), 950, "no heartbeat yet: uptime 0");
	}

	#[test]
	fn each_component_weighs_as_the_seed_says() {
		let base = ReputationRecord::<u32> { completed: 4, on_time: 4, heartbeats: 1, ..Default::default() };
		// One timeout in five jobs: completion 80% -> -80.
		assert_eq!(formula_score(&ReputationRecord { timeouts: 1, ..base.clone() }, 1), 920);
		// Half on time: -125.
		assert_eq!(formula_score(&ReputationRecord { on_time: 2, ..base.clone() }, 1), 875);
		// Two ratings of 3 stars: mean 3 -> 50% -> -100.
		assert_eq!(formula_score(&ReputationRecord { ratings: 2, stars: 6, ..base.clone() }, 1), 900);
		// One invalid proof: completion 4/5 (-80) and valid proofs 4/5 (-20).
		assert_eq!(formula_score(&ReputationRecord { invalid_proofs: 1, ..base.clone() }, 1), 900);
		// One heartbeat in four intervals: uptime 25% -> 12 of 50 points (12.5 rounds down).
		assert_eq!(formula_score(&base, 4), 962);
	}

	#[test]
	fn recoveries_stop_at_the_cap_and_penalties_floor_at_zero() {
		assert_eq!(recover(100, 10, 1000), 110);
		assert_eq!(recover(995, 10, 1000), 1000);
		assert_eq!(recover(700, 10, 705), 705);
		assert_eq!(recover(800, 10, 705), 800, "a score above the cap is not lowered by a success");
		assert_eq!(penalize(20, 30), 0);
		assert_eq!(penalize(700, 30), 670);
	}
}
