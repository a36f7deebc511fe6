use super::*;
use crate::{mock::*, Deadlines, Event, JobStatus, Offence, WeightInfo};
use frame_support::{assert_ok, traits::Hooks};

#[test]
fn an_unlocked_job_expires_with_a_full_refund() {
	new_test_ext().execute_with(|| {
		let (circuit, job) = open_job();
		run_to_block(20);
		assert_eq!(Jobs::job(job).unwrap().status, JobStatus::Open);
		run_to_block(21);
		System::assert_last_event(Event::JobExpired { job, refund: 60 }.into());
		assert_eq!(Balances::total_balance(&requester()), RICH);
		assert_eq!(escrow(&requester()), 0);
		assert_eq!(consumers(&circuit), 0);
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn a_timed_out_lock_forfeits_the_collateral_and_reopens() {
	new_test_ext().execute_with(|| {
		let (_, job) = locked_job(); // locked at 1, expires at 6
		run_to_block(5);
		assert!(matches!(Jobs::job(job).unwrap().status, JobStatus::Locked { .. }));
		run_to_block(6);
		System::assert_last_event(Event::LockExpired { job, prover: prover(), forfeited: 50, reopened: true }.into());
		assert_eq!(Jobs::job(job).unwrap().status, JobStatus::Open);
		assert_eq!(Balances::total_balance(&requester()), RICH + 50);
		assert_eq!(collateral(&prover()), 0);
		assert_eq!(OFFENCES.with(|o| o.borrow().clone()), vec![(prover(), job, Offence::Timeout)]);
		Jobs::do_try_state().unwrap();
		// It still expires at the end of its lock window.
		run_to_block(21);
		System::assert_last_event(Event::JobExpired { job, refund: 60 }.into());
	});
}

#[test]
fn a_lock_timing_out_after_the_window_expires_the_job() {
	new_test_ext().execute_with(|| {
		let (_, job) = open_job();
		run_to_block(19);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job)); // expires at 24; window closes at 21
		run_to_block(24);
		System::assert_has_event(Event::LockExpired { job, prover: prover(), forfeited: 50, reopened: false }.into());
		System::assert_last_event(Event::JobExpired { job, refund: 60 }.into());
		assert_eq!(escrow(&requester()), 0);
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn each_block_processes_at_most_its_bucket_and_reports_its_weight() {
	new_test_ext().execute_with(|| {
		let circuit = product_circuit();
		for i in 0..6 {
			submit_product(circuit, 1, i);
		}
		// 4 fit in block 21, the other 2 moved to block 22.
		assert_eq!(Deadlines::<Test>::get(21).len(), 4);
		assert_eq!(Deadlines::<Test>::get(22).len(), 2);
		System::set_block_number(21);
		assert_eq!(Jobs::on_initialize(21), <() as WeightInfo>::on_initialize(4));
		assert_eq!((0..6).filter(|j| matches!(Jobs::job(*j).unwrap().status, JobStatus::Expired { .. })).count(), 4);
		assert!(!Deadlines::<Test>::contains_key(21));
		System::set_block_number(22);
		assert_eq!(Jobs::on_initialize(22), <() as WeightInfo>::on_initialize(2));
		Jobs::do_try_state().unwrap();
	});
}
