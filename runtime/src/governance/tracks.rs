//! The referendum tracks (`pallet-referenda`'s `TracksInfo`). Periods are in blocks (6 s);
//! the table gives the production values, which every chain uses with `TimeDivisor = 1`. A
//! chain whose `governance::TimeDivisor` parameter is `d` divides every period by `d` (at least
//! one block): the development preset sets `d = 1 440`, so a day lasts 10 blocks (one minute)
//! and a whole referendum runs in about two minutes, with the same build.
//!
//! | id | track | origin | decision deposit | prepare | decision | confirm | min. enactment | approval | support |
//! |---|---|---|---|---|---|---|---|---|---|
//! | 0 | `root` | Root | 10 000 CLD | 2 h | 14 d | 1 d | 1 d | 100% → 50% | 50% → 1% |
//! | 1 | `referendum_canceller` | `ReferendumCanceller` | 1 000 CLD | 2 h | 7 d | 3 h | 10 min | 100% → 50% | 10% → 1% |
//! | 2 | `referendum_killer` | `ReferendumKiller` | 5 000 CLD | 2 h | 7 d | 3 h | 10 min | 100% → 50% | 10% → 1% |
//! | 10 | `economic_params` | `EconomicParams` | 1 000 CLD | 2 h | 7 d | 1 d | 1 d | 100% → 50% | 20% → 2% |
//! | 11 | `slash_cancel` | `SlashCancel` | 100 CLD | 1 h | 1 d | 1 h | 1 block | 100% → 50% | 5% → 0.5% |
//! | 12 | `insurance_spend` | `InsuranceSpend` | 500 CLD | 2 h | 7 d | 1 d | 1 d | 100% → 50% | 10% → 1% |
//! | 13 | `treasurer` | `Treasurer` | 1 000 CLD | 2 h | 14 d | 1 d | 1 d | 100% → 50% | 20% → 1% |
//! | 14 | `bridge_admin` | `BridgeAdmin` | 5 000 CLD | 2 h | 7 d | 1 d | 1 d | 100% → 50% | 20% → 2% |
//! | 15 | `bridge_guardian` | `BridgeGuardian` | 5 000 CLD | 1 block | 1 d | 10 min | 1 block | 100% → 50% | 5% → 2% |
//! | 20 | `dispute` | `Dispute` | 100 CLD | 2 d | 7 d | 1 d | 1 block | 100% → 50% | 5% |
//! | 21 | `dispute_appeal` | `DisputeAppeal` | 100 CLD | 2 d | 7 d | 1 d | 1 block | 100% → 50% | 10% |
//!
//! Curves fall linearly over the decision period (`Curve::LinearDecreasing`, from the first
//! value to the second); support is the share of total issuance voting aye (conviction not
//! counted), approval the share of conviction-weighted ayes among ayes and nays. `slash_cancel`
//! fits inside the slash deferral (2 days): prepare + decision + confirm + enactment is at most
//! 1 d 2 h. `dispute`'s prepare period is the evidence period of the design (48 h) and its
//! support is the design's quorum (5% of issuance); `dispute_appeal` asks twice the quorum.
//! `bridge_guardian` is the bridge's brake (pause, cancel a queued inbound transfer): a
//! referendum with enough support is enacted about 10 minutes after submission.
//! Submission deposit (every track): 10 CLD.

use super::origins::Origin;
use crate::{Balance, BlockNumber, OriginCaller, RuntimeOrigin, CLD, DAYS, HOURS, MINUTES};
use alloc::borrow::Cow;
use frame_support::traits::Get;
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::Perbill;

/// A track's id.
pub type TrackId = u16;

/// `pallet-referenda`'s default track name length, bytes.
const TRACK_NAME_LEN: usize = 25;

/// A track as written in the table: production periods, in blocks.
struct Spec {
	id: TrackId,
	name: &'static str,
	max_deciding: u32,
	deposit: Balance,
	prepare: BlockNumber,
	decision: BlockNumber,
	confirm: BlockNumber,
	enactment: BlockNumber,
	approval: (u32, u32),
	support: (Perbill, Perbill),
}

const fn pct(x: u32) -> Perbill {
	Perbill::from_percent(x)
}

/// The tracks, sorted by id (as `TracksInfo` requires).
const SPECS: [Spec; 11] = [
	Spec { id: 0, name: "root", max_deciding: 2, deposit: 10_000 * CLD, prepare: 2 * HOURS, decision: 14 * DAYS, confirm: DAYS, enactment: DAYS, approval: (100, 50), support: (pct(50), pct(1)) },
	Spec { id: 1, name: "referendum_canceller", max_deciding: 10, deposit: 1_000 * CLD, prepare: 2 * HOURS, decision: 7 * DAYS, confirm: 3 * HOURS, enactment: 10 * MINUTES, approval: (100, 50), support: (pct(10), pct(1)) },
	Spec { id: 2, name: "referendum_killer", max_deciding: 10, deposit: 5_000 * CLD, prepare: 2 * HOURS, decision: 7 * DAYS, confirm: 3 * HOURS, enactment: 10 * MINUTES, approval: (100, 50), support: (pct(10), pct(1)) },
	Spec { id: 10, name: "economic_params", max_deciding: 10, deposit: 1_000 * CLD, prepare: 2 * HOURS, decision: 7 * DAYS, confirm: DAYS, enactment: DAYS, approval: (100, 50), support: (pct(20), pct(2)) },
	Spec { id: 11, name: "slash_cancel", max_deciding: 50, deposit: 100 * CLD, prepare: HOURS, decision: DAYS, confirm: HOURS, enactment: 1, approval: (100, 50), support: (pct(5), Perbill::from_parts(5_000_000)) },
	Spec { id: 12, name: "insurance_spend", max_deciding: 20, deposit: 500 * CLD, prepare: 2 * HOURS, decision: 7 * DAYS, confirm: DAYS, enactment: DAYS, approval: (100, 50), support: (pct(10), pct(1)) },
	Spec { id: 13, name: "treasurer", max_deciding: 10, deposit: 1_000 * CLD, prepare: 2 * HOURS, decision: 14 * DAYS, confirm: DAYS, enactment: DAYS, approval: (100, 50), support: (pct(20), pct(1)) },
	Spec { id: 14, name: "bridge_admin", max_deciding: 10, deposit: 5_000 * CLD, prepare: 2 * HOURS, decision: 7 * DAYS, confirm: DAYS, enactment: DAYS, approval: (100, 50), support: (pct(20), pct(2)) },
	Spec { id: 15, name: "bridge_guardian", max_deciding: 5, deposit: 5_000 * CLD, prepare: 1, decision: DAYS, confirm: 10 * MINUTES, enactment: 1, approval: (100, 50), support: (pct(5), pct(2)) },
	Spec { id: 20, name: "dispute", max_deciding: 50, deposit: 100 * CLD, prepare: 2 * DAYS, decision: 7 * DAYS, confirm: DAYS, enactment: 1, approval: (100, 50), support: (pct(5), pct(5)) },
	Spec { id: 21, name: "dispute_appeal", max_deciding: 50, deposit: 100 * CLD, prepare: 2 * DAYS, decision: 7 * DAYS, confirm: DAYS, enactment: 1, approval: (100, 50), support: (pct(10), pct(10)) },
];

/// A track name as `pallet-referenda` stores it: UTF-8, zero-padded to 25 bytes.
const fn name(s: &str) -> [u8; TRACK_NAME_LEN] {
	let bytes = s.as_bytes();
	let mut out = [0u8; TRACK_NAME_LEN];
	let mut i = 0;
	while i < bytes.len() {
		out[i] = bytes[i];
		i += 1;
	}
	out
}

/// The chain's `TimeDivisor` (at least 1: the parameter checks keep it positive).
fn divisor() -> BlockNumber {
	crate::configs::dynamic_params::governance::TimeDivisor::get().max(1)
}

/// A production period divided by the chain's `TimeDivisor`, at least one block.
pub fn scaled(blocks: BlockNumber) -> BlockNumber {
	scaled_by(blocks, divisor())
}

fn scaled_by(blocks: BlockNumber, divisor: BlockNumber) -> BlockNumber {
	(blocks / divisor).max(1)
}

fn linear(ceil: Perbill, floor: Perbill) -> Curve {
	Curve::LinearDecreasing { length: Perbill::one(), floor, ceil }
}

fn track(spec: &Spec, divisor: BlockNumber) -> Track<TrackId, Balance, BlockNumber> {
	Track {
		id: spec.id,
		info: TrackInfo {
			name: name(spec.name),
			max_deciding: spec.max_deciding,
			decision_deposit: spec.deposit,
			prepare_period: scaled_by(spec.prepare, divisor),
			decision_period: scaled_by(spec.decision, divisor),
			confirm_period: scaled_by(spec.confirm, divisor),
			min_enactment_period: scaled_by(spec.enactment, divisor),
			min_approval: linear(pct(spec.approval.0), pct(spec.approval.1)),
			min_support: linear(spec.support.0, spec.support.1),
		},
	}
}

/// Cloudana's tracks (the table above).
pub struct TracksInfo;
impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = TrackId;
	type RuntimeOrigin = <RuntimeOrigin as frame_support::traits::OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		// One parameter read for the whole table.
		let divisor = divisor();
		SPECS.iter().map(move |spec| Cow::Owned(track(spec, divisor)))
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		match origin {
			OriginCaller::system(frame_system::RawOrigin::Root) => Ok(0),
			OriginCaller::Origins(origin) => Ok(match origin {
				Origin::ReferendumCanceller => 1,
				Origin::ReferendumKiller => 2,
				Origin::EconomicParams => 10,
				Origin::SlashCancel => 11,
				Origin::InsuranceSpend => 12,
				Origin::Treasurer => 13,
				Origin::BridgeAdmin => 14,
				Origin::BridgeGuardian => 15,
				Origin::Dispute => 20,
				Origin::DisputeAppeal => 21,
			}),
			_ => Err(()),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use pallet_referenda::TracksInfo as _;

	#[test]
	fn tracks_are_sorted_and_named() {
		sp_io::TestExternalities::default().execute_with(|| {
			assert_eq!(TracksInfo::check_integrity(), Ok(()));
			for spec in SPECS.iter() {
				assert!(spec.name.len() <= TRACK_NAME_LEN, "{}", spec.name);
			}
		});
	}

	#[test]
	fn slash_cancel_fits_inside_the_slash_deferral() {
		let spec = SPECS.iter().find(|s| s.name == "slash_cancel").unwrap();
		let longest = spec.prepare + spec.decision + spec.confirm + spec.enactment;
		sp_io::TestExternalities::default().execute_with(|| {
			assert!(longest < crate::configs::dynamic_params::economics::SlashDeferDuration::get());
		});
	}

	#[test]
	fn the_dispute_tracks_prepare_period_is_the_evidence_period() {
		use frame_support::traits::Get;
		sp_io::TestExternalities::default().execute_with(|| {
			let dispute = TracksInfo::tracks().find(|t| t.id == 20).unwrap();
			assert_eq!(
				dispute.info.prepare_period,
				<<crate::Runtime as pallet_disputes::Config>::EvidencePeriod as Get<BlockNumber>>::get()
			);
		});
	}

	#[test]
	fn the_time_divisor_shortens_every_period_to_at_least_one_block() {
		use crate::configs::dynamic_params::governance;
		sp_io::TestExternalities::default().execute_with(|| {
			assert_eq!(scaled(7 * DAYS), 7 * DAYS);
			use crate::configs::economics::{guard::ParameterStore, Store};
			Store::set(crate::configs::RuntimeParameters::Governance(governance::Parameters::TimeDivisor(
				governance::TimeDivisor,
				Some(1_440),
			)));
			assert_eq!(scaled(7 * DAYS), 70);
			assert_eq!(scaled(HOURS), 1);
		});
	}
}
