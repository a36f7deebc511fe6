use super::*;
use crate::{mock::*, Error, Event, JobStatus, OpenWork};
use frame_support::{assert_noop, assert_ok};

#[test]
fn cancel_refunds_the_escrow_minus_the_fee() {
	new_test_ext().execute_with(|| {
		let (circuit, job) = open_job();
		let (issuance, sum) = totals();
		let treasury = Balances::total_balance(&TREASURY);
		assert_ok!(Jobs::cancel(RuntimeOrigin::signed(requester()), job));
		System::assert_last_event(Event::JobCancelled { job, refund: 54, fee: 6 }.into());
		assert_eq!(Jobs::job(job).unwrap().status, JobStatus::Cancelled { refund: 54, fee: 6, at: 1 });
		assert_eq!(escrow(&requester()), 0);
		assert_eq!(Balances::total_balance(&requester()), RICH - 6);
		assert_eq!(Balances::total_balance(&TREASURY), treasury + 6);
		assert_eq!(consumers(&circuit), 0);
		assert!(!OpenWork::<Test>::contains_key(circuit, WorkId::Job(job)));
		assert_eq!(totals(), (issuance, sum));
		// The stale lock-window deadline is skipped when its block comes.
		run_to_block(25);
		assert_eq!(Jobs::job(job).unwrap().status, JobStatus::Cancelled { refund: 54, fee: 6, at: 1 });
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn cancel_errors() {
	new_test_ext().execute_with(|| {
		let (_, job) = open_job();
		assert_noop!(Jobs::cancel(RuntimeOrigin::signed(requester()), 99), Error::<Test>::JobNotFound);
		assert_noop!(Jobs::cancel(RuntimeOrigin::signed(prover()), job), Error::<Test>::NotRequester);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
		assert_noop!(Jobs::cancel(RuntimeOrigin::signed(requester()), job), Error::<Test>::JobNotOpen);
	});
}
