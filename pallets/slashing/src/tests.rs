//! pallet-slashing: deferral, distribution, cancellation, the repeated-failures rule, bans,
//! the once-per-offence rule, error paths, and conservation under random sequences.

use crate::{
	mock::*, Error, Event, OffenceKind, PendingSlashes, RecentFailures, ReportError, SlashQueue, TotalBurned,
	TotalToInsurance,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, Hooks},
};
use proptest::prelude::*;
use sp_runtime::DispatchError;

fn total() -> u64 {
	ACCOUNTS.iter().map(|a| Balances::total_balance(a)).sum()
}

#[test]
fn a_timeout_slashes_ten_percent_after_the_deferral_eighty_to_insurance_twenty_burned() {
	new_test_ext().execute_with(|| {
		<Slashing as Hooks<u64>>::integrity_test();
		let issuance = Balances::total_issuance();
		let reported = Slashing::report_offence(&PROVER, OffenceKind::Timeout, 7).unwrap();
		assert_eq!(reported.repeated, None);
		System::assert_last_event(
			Event::OffenceReported { slash: 0, offender: PROVER, kind: OffenceKind::Timeout, job: 7, amount: 100, apply_at: 6 }
				.into(),
		);
		assert_eq!(suspended_until(PROVER), Some(11), "suspended at once");
		run_to_block(5);
		assert_eq!(Balances::balance(&PROVER), 2_000, "nothing taken during the deferral");
		run_to_block(6);
		System::assert_last_event(
			Event::SlashApplied { slash: 0, offender: PROVER, amount: 100, to_insurance: 80, burned: 20 }.into(),
		);
		assert_eq!(Balances::balance(&PROVER), 1_900);
		assert_eq!(Balances::balance(&InsurancePool::get()), 81);
		assert_eq!(Balances::total_issuance(), issuance - 20);
		assert_eq!((TotalToInsurance::<Test>::get(), TotalBurned::<Test>::get()), (80, 20));
		assert!(PendingSlashes::<Test>::get(0).is_none());
		Slashing::do_try_state().unwrap();
	});
}

#[test]
fn shares_follow_the_offence() {
	new_test_ext().execute_with(|| {
		assert_ok!(Slashing::report_offence(&PROVER, OffenceKind::InvalidProof, 1));
		assert_eq!(Slashing::pending_slash(0).unwrap().amount, 250);
		assert_ok!(Slashing::report_offence(&OTHER, OffenceKind::Fraud, 1));
		assert_eq!(Slashing::pending_slash(1).unwrap().amount, 500);
		assert_eq!(Slashing::pending_slash(1).unwrap().suspended_until, None);
		assert_eq!(BANNED.with(|b| b.borrow().clone()), vec![OTHER], "fraud bans");
	});
}

#[test]
fn an_offence_is_slashed_at_most_once() {
	new_test_ext().execute_with(|| {
		assert_ok!(Slashing::report_offence(&PROVER, OffenceKind::Timeout, 7));
		assert_eq!(Slashing::report_offence(&PROVER, OffenceKind::Timeout, 7), Err(ReportError::AlreadyReported));
		assert_eq!(PendingSlashes::<Test>::iter().count(), 1);
		// Another job, or the same job in a later block (locked again), is another offence.
		assert_ok!(Slashing::report_offence(&PROVER, OffenceKind::Timeout, 8));
		run_to_block(2);
		assert_ok!(Slashing::report_offence(&PROVER, OffenceKind::Timeout, 7));
	});
}

#[test]
fn governance_cancels_a_pending_slash_and_its_suspension() {
	new_test_ext().execute_with(|| {
		assert_noop!(Slashing::cancel_deferred_slash(RuntimeOrigin::root(), 0), Error::<Test>::SlashNotFound);
		assert_ok!(Slashing::report_offence(&PROVER, OffenceKind::Timeout, 7));
		assert_noop!(Slashing::cancel_deferred_slash(RuntimeOrigin::signed(OTHER), 0), DispatchError::BadOrigin);
		assert_ok!(Slashing::cancel_deferred_slash(RuntimeOrigin::root(), 0));
		System::assert_last_event(Event::SlashCancelled { slash: 0, offender: PROVER, amount: 100 }.into());
		assert_eq!(suspended_until(PROVER), None);
		assert!(SlashQueue::<Test>::get(6).is_empty());
		assert_noop!(Slashing::cancel_deferred_slash(RuntimeOrigin::root(), 0), Error::<Test>::SlashNotFound);
		run_to_block(7);
		assert_eq!(Balances::balance(&PROVER), 2_000);
		// Too late: an applied slash cannot be cancelled.
		assert_ok!(Slashing::report_offence(&PROVER, OffenceKind::Timeout, 8));
		run_to_block(12);
		assert_noop!(Slashing::cancel_deferred_slash(RuntimeOrigin::root(), 1), Error::<Test>::SlashNotFound);
		Slashing::do_try_state().unwrap();
	});
}

#[test]
fn three_failures_within_the_window_slash_thirty_percent_and_suspend_long() {
	new_test_ext().execute_with(|| {
		assert_ok!(Slashing::report_offence(&PROVER, OffenceKind::Timeout, 1));
		run_to_block(80); // the first failure leaves the 70-block window
		assert_ok!(Slashing::report_offence(&PROVER, OffenceKind::InvalidProof, 2));
		run_to_block(100);
		let reported = Slashing::report_offence(&PROVER, OffenceKind::Timeout, 3).unwrap();
		assert_eq!(reported.repeated, None, "two failures in the window");
		run_to_block(140);
		let reported = Slashing::report_offence(&PROVER, OffenceKind::Timeout, 4).unwrap();
		let repeated = reported.repeated.expect("the third failure in the window");
		let pending = Slashing::pending_slash(repeated).unwrap();
		assert_eq!(pending.kind, OffenceKind::RepeatedFailures);
		// Slashed so far: 100 (10% of 1 000), 225 (25% of 900), 67 (10% of 675): 608 left.
		assert_eq!((pending.stake, pending.amount), (608, 182));
		assert_eq!(suspended_until(PROVER), Some(440));
		assert!(RecentFailures::<Test>::get(PROVER).is_empty(), "the count starts again");
		Slashing::do_try_state().unwrap();
	});
}

#[test]
fn without_deferral_a_slash_applies_at_once() {
	new_test_ext().execute_with(|| {
		SlashDeferDuration::set(0);
		assert_ok!(Slashing::report_offence(&PROVER, OffenceKind::InvalidProof, 1));
		System::assert_last_event(
			Event::SlashApplied { slash: 0, offender: PROVER, amount: 250, to_insurance: 200, burned: 50 }.into(),
		);
		assert_eq!(Balances::balance(&PROVER), 1_750);
		Slashing::do_try_state().unwrap();
	});
}

#[test]
fn a_full_block_moves_slashes_to_the_next_and_none_takes_more_than_is_left() {
	new_test_ext().execute_with(|| {
		for job in 0..3 {
			assert_ok!(Slashing::report_offence(&PROVER, OffenceKind::Fraud, job));
		}
		assert_eq!(SlashQueue::<Test>::get(6).len(), 2);
		assert_eq!(SlashQueue::<Test>::get(7).to_vec(), vec![2]);
		run_to_block(8);
		// 50% of 1 000 each, but only 1 000 was ever there.
		assert_eq!(STAKES.with(|s| s.borrow()[&PROVER]), 0);
		assert_eq!(Balances::balance(&PROVER), 1_000);
		assert_eq!(TotalToInsurance::<Test>::get() + TotalBurned::<Test>::get(), 1_000);
		Slashing::do_try_state().unwrap();
	});
}

#[derive(Clone, Debug)]
enum Op {
	Report(u64, u8, u64),
	Cancel(u64),
	Advance(u64),
}

fn op() -> impl Strategy<Value = Op> {
	let who = prop_oneof![Just(PROVER), Just(OTHER)];
	prop_oneof![
		(who, 0u8..4, 0u64..4).prop_map(|(w, k, j)| Op::Report(w, k, j)),
		(0u64..8).prop_map(Op::Cancel),
		(1u64..8).prop_map(Op::Advance),
	]
}

proptest! {
	/// Whatever is reported, cancelled or applied, total issuance falls by exactly what was
	/// burned, balances move only to the insurance pool, and no slash exceeds the stake.
	#[test]
	fn random_offences_conserve_balances(ops in proptest::collection::vec(op(), 1..40)) {
		new_test_ext().execute_with(|| {
			let (issuance, sum) = (Balances::total_issuance(), total());
			for op in ops {
				match op {
					Op::Report(w, k, j) => {
						let kind = [OffenceKind::Timeout, OffenceKind::InvalidProof, OffenceKind::RepeatedFailures, OffenceKind::Fraud][k as usize];
						let _ = Slashing::report_offence(&w, kind, j);
					},
					Op::Cancel(id) => { let _ = Slashing::cancel_deferred_slash(RuntimeOrigin::root(), id); },
					Op::Advance(n) => run_to_block(System::block_number() + n),
				}
				let burned = TotalBurned::<Test>::get();
				prop_assert_eq!(Balances::total_issuance(), issuance - burned);
				prop_assert_eq!(total(), sum - burned);
				prop_assert_eq!(Balances::balance(&InsurancePool::get()), 1 + TotalToInsurance::<Test>::get());
				prop_assert!(Slashing::do_try_state().is_ok());
			}
			Ok(())
		})?;
	}
}
