use super::*;
use crate::{mock::*, ActiveLocks, Deadline, Deadlines, Error, Event, Ineligibility, JobStatus, Lock, OpenWork};
use frame_support::{assert_noop, assert_ok, traits::fungible::Mutate};

#[test]
fn lock_fixes_the_ramp_price_reserves_stake_and_holds_collateral() {
	new_test_ext().execute_with(|| {
		let (circuit, job) = open_job();
		run_to_block(6); // 5 of 10 ramp blocks: 10 + (60 − 10) / 2
		let before = totals();
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
		System::assert_last_event(
			Event::Locked { work: WorkId::Job(job), prover: prover(), price: 35, collateral: 50, expires_at: 11 }.into(),
		);
		assert_eq!(collateral(&prover()), 50);
		assert_eq!(reserved(&prover()), 1_000, "the stake tier of a price below 100");
		assert_eq!(
			Jobs::job(job).unwrap().status,
			JobStatus::Locked(Lock { prover: prover(), price: 35, reserved: 1_000, locked_at: 6, expires_at: 11 })
		);
		assert!(Deadlines::<Test>::contains_key(11, Deadline::Job(job)));
		assert!(!OpenWork::<Test>::contains_key(circuit, WorkId::Job(job)));
		assert!(ActiveLocks::<Test>::contains_key(prover(), WorkId::Job(job)));
		assert_eq!(totals(), before);
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn price_ramps_linearly_then_stays_at_max() {
	new_test_ext().execute_with(|| {
		let (_, job) = open_job();
		let record = Jobs::job(job).unwrap();
		let prices: Vec<u64> = (1..=13).map(|n| Jobs::price_at(&record, n)).collect();
		assert_eq!(prices, vec![10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 60, 60]);
	});
}

#[test]
fn lock_errors() {
	new_test_ext().execute_with(|| {
		let (circuit, job) = open_job();
		assert_noop!(Jobs::lock(RuntimeOrigin::signed(prover()), 99), Error::<Test>::JobNotFound);
		assert_noop!(
			Jobs::lock(RuntimeOrigin::signed(other_prover()), job),
			Error::<Test>::ProverIneligible(Ineligibility::NotRegistered)
		);
		register_prover(&requester(), circuit, 1_000);
		assert_noop!(Jobs::lock(RuntimeOrigin::signed(requester()), job), Error::<Test>::CannotLockOwnJob);

		let other = register_key(cloudana_groth16_simulator::Trapdoor::new(b"other", 3).verifying_key());
		register_prover(&other_prover(), other, 1_000);
		assert_noop!(
			Jobs::lock(RuntimeOrigin::signed(other_prover()), job),
			Error::<Test>::ProverIneligible(Ineligibility::CircuitNotServed)
		);

		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
		assert_noop!(Jobs::lock(RuntimeOrigin::signed(prover()), job), Error::<Test>::JobNotOpen);
	});
}

#[test]
fn lock_requires_the_stake_tier_for_the_price() {
	new_test_ext().execute_with(|| {
		let circuit = product_circuit();
		register_prover(&prover(), circuit, 1_000);
		assert_ok!(Jobs::submit(
			RuntimeOrigin::signed(requester()),
			circuit,
			inputs(&[2, 3]),
			JobTerms { min_price: 100, max_price: 200, ..terms() },
		));
		assert_noop!(
			Jobs::lock(RuntimeOrigin::signed(prover()), 0),
			Error::<Test>::ProverIneligible(Ineligibility::StakeTooLow)
		);
		assert_ok!(ProverStaking::bond_extra(RuntimeOrigin::signed(prover()), 9_000));
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), 0));
	});
}

#[test]
fn an_unbonded_prover_cannot_lock() {
	new_test_ext().execute_with(|| {
		let (_, job) = open_job();
		run_to_block(11);
		assert_ok!(ProverStaking::unbond(RuntimeOrigin::signed(prover()), 1_000));
		assert_noop!(
			Jobs::lock(RuntimeOrigin::signed(prover()), job),
			Error::<Test>::ProverIneligible(Ineligibility::Inactive)
		);
	});
}

#[test]
fn lock_requires_the_collateral() {
	new_test_ext().execute_with(|| {
		let (_, job) = open_job();
		// 1 000 stays staked; leave 40 free, less than the collateral of 50.
		Balances::set_balance(&prover(), 40);
		assert_noop!(Jobs::lock(RuntimeOrigin::signed(prover()), job), Error::<Test>::InsufficientCollateral);
		assert_eq!(reserved(&prover()), 0, "a failed lock reserves nothing");
	});
}

#[test]
fn lock_window_closed() {
	new_test_ext().execute_with(|| {
		let (_, job) = open_job();
		// Jump without running hooks, as if the expiry had not been processed yet.
		System::set_block_number(21);
		assert_noop!(Jobs::lock(RuntimeOrigin::signed(prover()), job), Error::<Test>::LockWindowClosed);
	});
}

#[test]
fn suspended_chilled_or_banned_provers_cannot_lock() {
	new_test_ext().execute_with(|| {
		let (_, job) = open_job();
		pallet_prover_staking::Pallet::<Test>::suspend(&prover(), 5);
		assert_noop!(
			Jobs::lock(RuntimeOrigin::signed(prover()), job),
			Error::<Test>::ProverIneligible(Ineligibility::Suspended)
		);
		run_to_block(5);
		assert_ok!(ProverStaking::chill(RuntimeOrigin::signed(prover())));
		assert_noop!(
			Jobs::lock(RuntimeOrigin::signed(prover()), job),
			Error::<Test>::ProverIneligible(Ineligibility::Chilled)
		);
		assert_ok!(ProverStaking::activate(RuntimeOrigin::signed(prover())));
		pallet_prover_staking::Pallet::<Test>::ban(&prover());
		assert_noop!(
			Jobs::lock(RuntimeOrigin::signed(prover()), job),
			Error::<Test>::ProverIneligible(Ineligibility::Banned)
		);
	});
}
