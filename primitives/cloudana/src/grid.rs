//! How a grid job's proven slots are ranked and paid: the rules pallet-jobs applies at the
//! close, and the CLI shows before it.
//!
//! - **Metric**: the slot's metric output, a big-endian scalar below 2¹²⁸ ([`metric_of`]);
//!   higher is better.
//! - **Ranking** ([`RankKey`]): higher metric first; a tie goes to the slot proven in the
//!   earlier block, then to the lower slot index.
//! - **Payout** ([`split_bounty`]): half the bounty to the best slot; the other half equally to
//!   the other proven slots, the rounding remainder to the best. With one proven slot the other
//!   half is refunded to the requester; with none, all of it.

use crate::{PublicInput, SlotIndex};
use alloc::vec::Vec;
use core::cmp::Ordering;

/// The metric in a big-endian 32-byte scalar, if it is below 2¹²⁸.
pub fn metric_of(output: &PublicInput) -> Option<u128> {
	if output[..16].iter().any(|b| *b != 0) {
		return None;
	}
	let mut low = [0u8; 16];
	low.copy_from_slice(&output[16..]);
	Some(u128::from_be_bytes(low))
}

/// A proven slot's place in the ranking: sorting ascending by it puts the best slot first.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RankKey<BlockNumber> {
	/// The proven metric (higher ranks first).
	pub metric: u128,
	/// The block it was proven in (earlier ranks first).
	pub at: BlockNumber,
	/// The slot (lower ranks first).
	pub slot: SlotIndex,
}

impl<BlockNumber: Ord> Ord for RankKey<BlockNumber> {
	fn cmp(&self, other: &Self) -> Ordering {
		other.metric.cmp(&self.metric).then(self.at.cmp(&other.at)).then(self.slot.cmp(&other.slot))
	}
}

impl<BlockNumber: Ord> PartialOrd for RankKey<BlockNumber> {
	fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
		Some(self.cmp(other))
	}
}

/// The shares of `bounty` for `proven` ranked slots, best first: half to the best, the other
/// half equally to the rest with the remainder to the best; with one proven slot only the
/// half, with none nothing (the rest is refunded). The shares never add up to more than
/// `bounty`.
pub fn split_bounty<Balance>(bounty: Balance, proven: u32) -> Vec<Balance>
where
	Balance: sp_runtime::traits::AtLeast32BitUnsigned + Copy,
{
	if proven == 0 {
		return Vec::new();
	}
	let half = bounty / 2u32.into();
	if proven == 1 {
		return alloc::vec![half];
	}
	let others = bounty.saturating_sub(half);
	let each = others / (proven - 1).into();
	let remainder = others.saturating_sub(each * (proven - 1).into());
	let mut shares = alloc::vec![each; proven as usize];
	shares[0] = half.saturating_add(remainder);
	shares
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn ranking_prefers_metric_then_earlier_proof_then_lower_slot() {
		let mut keys = alloc::vec![
			RankKey { metric: 20, at: 5u32, slot: 0 },
			RankKey { metric: 29, at: 9, slot: 3 },
			RankKey { metric: 29, at: 7, slot: 4 },
			RankKey { metric: 20, at: 5, slot: 1 },
		];
		keys.sort();
		let slots: Vec<SlotIndex> = keys.iter().map(|k| k.slot).collect();
		assert_eq!(slots, [4, 3, 0, 1]);
	}

	#[test]
	fn shares_split_half_and_rest_and_never_exceed_the_bounty() {
		assert_eq!(split_bounty(100u128, 0), Vec::<u128>::new());
		assert_eq!(split_bounty(100u128, 1), [50]);
		assert_eq!(split_bounty(100u128, 2), [50, 50]);
		assert_eq!(split_bounty(100u128, 4), [52, 16, 16, 16]);
		for bounty in [0u128, 1, 7, 99, 1_000_003] {
			for proven in 0..40 {
				assert!(split_bounty(bounty, proven).iter().sum::<u128>() <= bounty);
			}
		}
	}

	#[test]
	fn metrics_must_fit_128_bits() {
		let mut output = [0u8; 32];
		output[31] = 29;
		assert_eq!(metric_of(&output), Some(29));
		output[15] = 1;
		assert_eq!(metric_of(&output), None);
	}
}
