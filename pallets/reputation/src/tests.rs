//! pallet-reputation: the score's penalties and recoveries, tiers, ratings and their error
//! paths, governance, and the invariants under random event sequences.

use crate::{mock::*, Error, Event, NoCredit, Offence, Ratings, ReputationRecord, Reputations, ScoreChange, Tier, WorkId, WorkOutcomes};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use proptest::prelude::*;
use sp_runtime::DispatchError;

fn record(who: u64) -> ReputationRecord<u64> {
	Reputations::<Test>::get(who).unwrap()
}

#[test]
fn genesis_scores_and_tiers() {
	new_test_ext().execute_with(|| {
		assert_eq!(Reputation::score(&GOLD), 700);
		assert_eq!(Reputation::tier(&GOLD), Tier::Gold);
		assert_eq!(Reputation::score(&PROVER), 0);
		assert_eq!(Reputation::tier(&PROVER), Tier::Bronze);
		assert_eq!(
			[0, 299, 300, 599, 600, 799, 800, 1000].map(Reputation::tier_of),
			[Tier::Bronze, Tier::Bronze, Tier::Silver, Tier::Silver, Tier::Gold, Tier::Gold, Tier::Diamond, Tier::Diamond]
		);
		<Reputation as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn tiers_gate_job_prices() {
	new_test_ext().execute_with(|| {
		assert!(Reputation::allows(&PROVER, 9));
		assert!(!Reputation::allows(&PROVER, 10));
		assert!(Reputation::allows(&GOLD, 50));
		assert!(Reputation::allows(&GOLD, 199));
		assert!(!Reputation::allows(&GOLD, 200));
		assert_ok!(Reputation::force_set_score(RuntimeOrigin::root(), PROVER, 300));
		assert!(Reputation::allows(&PROVER, 49) && !Reputation::allows(&PROVER, 50));
		assert_ok!(Reputation::force_set_score(RuntimeOrigin::root(), PROVER, 800));
		assert!(Reputation::allows(&PROVER, u64::MAX));
	});
}

#[test]
fn successes_climb_to_the_formula_and_penalties_apply_in_full() {
	new_test_ext().execute_with(|| {
		Reputation::note_completed(&PROVER, true);
		System::assert_last_event(Event::ScoreChanged { prover: PROVER, reason: ScoreChange::Success, old: 0, new: 10 }.into());
		Reputation::note_offence(&PROVER, Offence::Timeout);
		System::assert_last_event(
			Event::ScoreChanged { prover: PROVER, reason: ScoreChange::Offence(Offence::Timeout), old: 10, new: 0 }.into(),
		);
		// The seed's worked example: a Gold prover that times out drops by exactly 30.
		Reputation::note_offence(&GOLD, Offence::Timeout);
		assert_eq!(Reputation::score(&GOLD), 670);
		Reputation::note_offence(&GOLD, Offence::InvalidProof);
		assert_eq!(Reputation::score(&GOLD), 570);
		Reputation::note_offence(&GOLD, Offence::RepeatedFailures);
		assert_eq!(Reputation::score(&GOLD), 520);
		Reputation::note_offence(&GOLD, Offence::Fraud);
		assert_eq!(Reputation::score(&GOLD), 320);
		let r = record(GOLD);
		assert_eq!((r.timeouts, r.invalid_proofs, r.repeated_failures, r.disputes_lost), (1, 1, 1, 1));
		// The formula caps recoveries: 0 of 2 jobs completed, no heartbeats:
		// completion 0, time 100% (no completed job), ratings 100%, valid 0, uptime 0 -> 450.
		assert_eq!(Reputation::reputation(&GOLD).unwrap().formula, 450);
		// Now completion 1/3 (133), time 0/1 (0), ratings (200), valid 1/2 (50), uptime 0: 383.
		Reputation::note_completed(&GOLD, false);
		assert_eq!(Reputation::score(&GOLD), 330);
		assert_eq!(Reputation::reputation(&GOLD).unwrap().formula, 383);
		// Next, completion 2/4 (200), time 1/2 (125), ratings (200), valid 2/3 (67): 592.
		assert_ok!(Reputation::force_set_score(RuntimeOrigin::root(), GOLD, 590));
		Reputation::note_completed(&GOLD, true);
		assert_eq!(Reputation::score(&GOLD), 592, "a recovery stops at the formula's value");
		Reputation::do_try_state().unwrap();
	});
}

#[test]
fn a_new_prover_climbs_ten_points_per_success() {
	new_test_ext().execute_with(|| {
		for _ in 0..30 {
			Reputation::note_completed(&PROVER, true);
		}
		assert_eq!(Reputation::score(&PROVER), 300);
		assert_eq!(Reputation::tier(&PROVER), Tier::Silver);
		assert_eq!(record(PROVER).on_time, 30);
	});
}

#[test]
fn heartbeats_count_as_uptime() {
	new_test_ext().execute_with(|| {
		Reputation::note_completed(&PROVER, true);
		assert_eq!(Reputation::reputation(&PROVER).unwrap().formula, 950);
		Reputation::note_heartbeat(&PROVER);
		assert_eq!(Reputation::reputation(&PROVER).unwrap().formula, 1000);
		System::set_block_number(21); // three intervals since block 1, one heartbeat
		assert_eq!(Reputation::reputation(&PROVER).unwrap().formula, 967);
	});
}

#[test]
fn rate_counts_once_per_credited_work_by_its_requester() {
	new_test_ext().execute_with(|| {
		let work = WorkId::Job(1);
		assert_noop!(Reputation::rate(RuntimeOrigin::signed(REQUESTER), work, 5), Error::<Test>::NotRateable);
		complete(1, REQUESTER, GOLD);
		assert_noop!(Reputation::rate(RuntimeOrigin::none(), work, 5), DispatchError::BadOrigin);
		assert_noop!(Reputation::rate(RuntimeOrigin::signed(REQUESTER), work, 0), Error::<Test>::InvalidStars);
		assert_noop!(Reputation::rate(RuntimeOrigin::signed(REQUESTER), work, 6), Error::<Test>::InvalidStars);
		assert_noop!(Reputation::rate(RuntimeOrigin::signed(PROVER), work, 5), Error::<Test>::NotRequester);
		assert_ok!(Reputation::rate(RuntimeOrigin::signed(REQUESTER), work, 5));
		System::assert_has_event(Event::ScoreChanged { prover: GOLD, reason: ScoreChange::FiveStars, old: 710, new: 715 }.into());
		System::assert_last_event(Event::Rated { work, prover: GOLD, stars: 5 }.into());
		assert_eq!(Ratings::<Test>::get(work).unwrap().stars, Some(5));
		assert_noop!(Reputation::rate(RuntimeOrigin::signed(REQUESTER), work, 4), Error::<Test>::AlreadyRated);
		complete(2, REQUESTER, GOLD);
		assert_ok!(Reputation::rate(RuntimeOrigin::signed(REQUESTER), WorkId::Job(2), 1));
		assert_eq!(Reputation::score(&GOLD), 725, "a low rating lowers the formula, not the score");
		let r = record(GOLD);
		assert_eq!((r.ratings, r.stars), (2, 6));
		// Once the work's record is pruned, its rating goes too, and it can no longer be rated.
		complete(3, REQUESTER, GOLD);
		<Reputation as WorkOutcomes<u64, u64>>::on_reaped(WorkId::Job(3));
		assert!(Ratings::<Test>::get(WorkId::Job(3)).is_none());
		assert_noop!(Reputation::rate(RuntimeOrigin::signed(REQUESTER), WorkId::Job(3), 5), Error::<Test>::NotRateable);
		Reputation::do_try_state().unwrap();
	});
}

#[test]
fn only_work_that_cost_something_earns_credit() {
	new_test_ext().execute_with(|| {
		// Below the minimum price: nothing counted, nothing to rate.
		complete_with(1, REQUESTER, PROVER, 4, CIRCUIT);
		System::assert_last_event(
			Event::WorkNotCredited { work: WorkId::Job(1), prover: PROVER, reason: NoCredit::PriceBelowMinimum }.into(),
		);
		assert!(Reputations::<Test>::get(PROVER).is_none());
		assert!(Ratings::<Test>::get(WorkId::Job(1)).is_none());
		// A circuit the requester (or the prover) registered: it may know the trapdoor.
		let own = cloudana_primitives::CircuitId::repeat_byte(9);
		OWNERS.with(|o| o.borrow_mut().insert(own, REQUESTER));
		complete_with(2, REQUESTER, PROVER, 50, own);
		System::assert_last_event(
			Event::WorkNotCredited { work: WorkId::Job(2), prover: PROVER, reason: NoCredit::OwnCircuit }.into(),
		);
		OWNERS.with(|o| o.borrow_mut().insert(own, PROVER));
		complete_with(3, REQUESTER, PROVER, 50, own);
		assert_eq!(Reputation::score(&PROVER), 0);
	});
}

#[test]
fn a_sybil_pair_gains_at_most_three_credits_a_period() {
	new_test_ext().execute_with(|| {
		for job in 0..50 {
			complete(job, REQUESTER, PROVER);
		}
		assert_eq!(Reputation::score(&PROVER), 30, "3 credits of 10 points in the period");
		System::assert_last_event(
			Event::WorkNotCredited { work: WorkId::Job(49), prover: PROVER, reason: NoCredit::PairLimitReached }.into(),
		);
		// More requesters lift the pair limit only up to MaxPairsPerPeriod of them.
		for requester in 10..20u64 {
			complete(100 + requester, requester, PROVER);
		}
		assert_eq!(Reputation::score(&PROVER), 60, "3 more requesters fit the period (4 pairs)");
		// The next period starts afresh.
		System::set_block_number(101);
		complete(200, REQUESTER, PROVER);
		assert_eq!(Reputation::score(&PROVER), 70);
		Reputation::do_try_state().unwrap();
	});
}

/// Found by the runtime fuzzer's stateful generator: with `MaxCreditsPerPair` set to 0, a
/// pair's first work was still credited (only later ones were checked against the limit).
/// Lowering the limit during a period leaves the counts made under the old one (the state
/// checks accept them) and credits nothing more.
#[test]
fn a_limit_of_zero_credits_nothing_and_a_lowered_limit_binds_from_then_on() {
	new_test_ext().execute_with(|| {
		MaxCreditsPerPair::set(0);
		complete(0, REQUESTER, PROVER);
		assert_eq!(Reputation::score(&PROVER), 0);
		System::assert_last_event(
			Event::WorkNotCredited { work: WorkId::Job(0), prover: PROVER, reason: NoCredit::PairLimitReached }.into(),
		);
		MaxCreditsPerPair::set(3);
		for job in 1..4 {
			complete(job, REQUESTER, PROVER);
		}
		assert_eq!(Reputation::score(&PROVER), 30);
		MaxCreditsPerPair::set(1);
		Reputation::do_try_state().unwrap();
		complete(4, REQUESTER, PROVER);
		assert_eq!(Reputation::score(&PROVER), 30, "no more credit under the lowered limit");
		Reputation::do_try_state().unwrap();
	});
}

#[test]
fn force_set_score_needs_governance_and_a_valid_score() {
	new_test_ext().execute_with(|| {
		assert_noop!(Reputation::force_set_score(RuntimeOrigin::signed(GOLD), PROVER, 500), DispatchError::BadOrigin);
		assert_noop!(Reputation::force_set_score(RuntimeOrigin::root(), PROVER, 1001), Error::<Test>::ScoreOutOfRange);
		assert_ok!(Reputation::force_set_score(RuntimeOrigin::root(), PROVER, 1000));
		System::assert_last_event(Event::ScoreSet { prover: PROVER, score: 1000 }.into());
		assert_eq!(Reputation::tier(&PROVER), Tier::Diamond);
	});
}

#[test]
fn a_cancelled_slash_gives_its_penalty_back() {
	new_test_ext().execute_with(|| {
		assert_ok!(Reputation::force_set_score(RuntimeOrigin::root(), PROVER, 500));
		<Reputation as crate::OffenceListener<u64>>::on_offence_recorded(&PROVER, WorkId::Job(1), Offence::InvalidProof);
		assert_eq!((Reputation::score(&PROVER), record(PROVER).invalid_proofs), (400, 1));
		<Reputation as crate::OffenceListener<u64>>::on_offence_cancelled(&PROVER, WorkId::Job(1), Offence::InvalidProof);
		assert_eq!((Reputation::score(&PROVER), record(PROVER).invalid_proofs), (500, 0));
		System::assert_last_event(
			Event::ScoreChanged { prover: PROVER, reason: ScoreChange::Restored(Offence::InvalidProof), old: 400, new: 500 }
				.into(),
		);
		// Capped at 1000.
		assert_ok!(Reputation::force_set_score(RuntimeOrigin::root(), PROVER, 990));
		<Reputation as crate::OffenceListener<u64>>::on_offence_cancelled(&PROVER, WorkId::Job(2), Offence::Timeout);
		assert_eq!(Reputation::score(&PROVER), 1000);
		Reputation::do_try_state().unwrap();
	});
}

fn event() -> impl Strategy<Value = u8> {
	0u8..7
}

proptest! {
	/// Whatever happens, scores stay in 0..=1000, recoveries never pass the formula, and each
	/// penalty takes exactly its amount (down to zero).
	#[test]
	fn random_events_keep_scores_in_range(events in proptest::collection::vec(event(), 1..60), start in 0u16..=1000) {
		new_test_ext().execute_with(|| {
			assert_ok!(Reputation::force_set_score(RuntimeOrigin::root(), PROVER, start));
			for e in events {
				let before = Reputation::score(&PROVER);
				let formula_before = Reputation::reputation(&PROVER).unwrap().formula;
				match e {
					0 => Reputation::note_completed(&PROVER, true),
					1 => Reputation::note_completed(&PROVER, false),
					2 => Reputation::note_offence(&PROVER, Offence::Timeout),
					3 => Reputation::note_offence(&PROVER, Offence::InvalidProof),
					4 => Reputation::note_heartbeat(&PROVER),
					5 => System::set_block_number(System::block_number() + 7),
					_ => Reputation::note_offence(&PROVER, Offence::Fraud),
				}
				let after = Reputation::score(&PROVER);
				let info = Reputation::reputation(&PROVER).unwrap();
				prop_assert!(after <= 1000);
				match e {
					0 | 1 => prop_assert!(after == before || after <= info.formula.max(formula_before)),
					2 => prop_assert_eq!(after, before.saturating_sub(30)),
					3 => prop_assert_eq!(after, before.saturating_sub(100)),
					6 => prop_assert_eq!(after, before.saturating_sub(200)),
					_ => prop_assert_eq!(after, before),
				}
				prop_assert!(Reputation::do_try_state().is_ok());
			}
			Ok(())
		})?;
	}
}

mod migration_v1 {
	use super::*;
	use crate::migrations::v1::{MigrateV0ToV1, ReputationRecordV0};
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

	fn v0(score: u16, since: u64) -> ReputationRecordV0<u64> {
		ReputationRecordV0 {
			score,
			completed: 7,
			on_time: 5,
			timeouts: 1,
			invalid_proofs: 0,
			repeated_failures: 0,
			disputes_lost: 0,
			ratings: 2,
			stars: 9,
			heartbeats: 3,
			since,
		}
	}

	/// Writes `record` under `who` as storage version 0 wrote it.
	fn put_v0(who: u64, record: &ReputationRecordV0<u64>) {
		frame_support::storage::unhashed::put_raw(&Reputations::<Test>::hashed_key_for(who), &record.encode());
	}

	#[test]
	fn migrates_every_record_and_sets_the_version() {
		new_test_ext().execute_with(|| {
			StorageVersion::new(0).put::<Reputation>();
			put_v0(PROVER, &v0(700, 3));
			put_v0(PROVER + 1, &v0(10, 40));
			MigrateV0ToV1::<Test>::on_runtime_upgrade();
			assert_eq!(Reputation::on_chain_storage_version(), StorageVersion::new(1));
			let record = Reputations::<Test>::get(PROVER).unwrap();
			assert_eq!(record, v0(700, 3).upgrade());
			assert_eq!((record.score, record.completed, record.stars, record.since, record.last_active), (700, 7, 9, 3, 3));
			assert_eq!(Reputations::<Test>::get(PROVER + 1).unwrap().last_active, 40);
			assert_ok!(Reputation::do_try_state());
		});
	}

	#[cfg(feature = "try-runtime")]
	#[test]
	fn pre_and_post_upgrade_checks_pass() {
		new_test_ext().execute_with(|| {
			StorageVersion::new(0).put::<Reputation>();
			put_v0(PROVER, &v0(700, 3));
			assert_ok!(MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true));
			assert_eq!(Reputation::on_chain_storage_version(), StorageVersion::new(1));
		});
	}

	#[test]
	fn runs_once_only() {
		new_test_ext().execute_with(|| {
			// At version 1 already (a runtime's genesis writes the code's version): nothing is
			// read as version 0.
			StorageVersion::new(1).put::<Reputation>();
			Reputation::note_heartbeat(&PROVER);
			let before = Reputations::<Test>::get(PROVER).unwrap();
			MigrateV0ToV1::<Test>::on_runtime_upgrade();
			assert_eq!(Reputations::<Test>::get(PROVER).unwrap(), before);
		});
	}

	#[test]
	fn activity_moves_last_active() {
		new_test_ext().execute_with(|| {
			System::set_block_number(5);
			Reputation::note_heartbeat(&PROVER);
			assert_eq!(Reputations::<Test>::get(PROVER).unwrap().last_active, 5);
			System::set_block_number(9);
			Reputation::note_offence(&PROVER, Offence::Timeout);
			assert_eq!(Reputations::<Test>::get(PROVER).unwrap().last_active, 9);
			System::set_block_number(12);
			Reputation::note_completed(&PROVER, true);
			let record = Reputations::<Test>::get(PROVER).unwrap();
			assert_eq!((record.since, record.last_active), (5, 12));
		});
	}
}
