//! pallet-prover-staking: every call, every error path, eligibility, and conservation of
//! balances under random call sequences.

use crate::{mock::*, CircuitId, Error, Event, HoldReason, Ineligibility, Provers, UnbondingChunk};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use proptest::prelude::*;

fn circuits(ids: &[u8]) -> BoundedVec<CircuitId, frame_support::traits::ConstU32<16>> {
	ids.iter().map(|i| CircuitId::repeat_byte(*i)).collect::<Vec<_>>().try_into().unwrap()
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::ProverStake.into(), &who)
}

fn total() -> u64 {
	ACCOUNTS.iter().map(|a| Balances::total_balance(a)).sum()
}

#[test]
fn register_holds_the_stake() {
	new_test_ext().execute_with(|| {
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 300, circuits(&[1, 2])));
		System::assert_last_event(Event::ProverRegistered { prover: ALICE, stake: 300, circuits: circuits(&[1, 2]) }.into());
		assert_eq!(held(ALICE), 300);
		assert_eq!(Balances::balance(&ALICE), RICH - 300);
		let info = ProverStaking::prover(&ALICE).unwrap();
		assert_eq!((info.stake, info.registered_at), (300, 1));
		ProverStaking::do_try_state().unwrap();
	});
}

#[test]
fn register_errors() {
	new_test_ext().execute_with(|| {
		assert_noop!(ProverStaking::register(RuntimeOrigin::none(), 300, circuits(&[1])), sp_runtime::DispatchError::BadOrigin);
		assert_noop!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 99, circuits(&[1])), Error::<Test>::StakeBelowMinimum);
		assert_noop!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 100, circuits(&[])), Error::<Test>::NoCircuits);
		assert_noop!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 100, circuits(&[1, 2, 1])), Error::<Test>::DuplicateCircuit);
		assert_noop!(ProverStaking::register(RuntimeOrigin::signed(POOR), 200, circuits(&[1])), Error::<Test>::InsufficientBalance);
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 100, circuits(&[1])));
		assert_noop!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 100, circuits(&[1])), Error::<Test>::AlreadyRegistered);
	});
}

#[test]
fn bond_extra_adds_stake() {
	new_test_ext().execute_with(|| {
		assert_noop!(ProverStaking::bond_extra(RuntimeOrigin::signed(ALICE), 10), Error::<Test>::NotRegistered);
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 100, circuits(&[1])));
		assert_noop!(ProverStaking::bond_extra(RuntimeOrigin::signed(ALICE), 0), Error::<Test>::ZeroAmount);
		assert_noop!(ProverStaking::bond_extra(RuntimeOrigin::signed(ALICE), RICH), Error::<Test>::InsufficientBalance);
		assert_ok!(ProverStaking::bond_extra(RuntimeOrigin::signed(ALICE), 50));
		System::assert_last_event(Event::Bonded { prover: ALICE, amount: 50, stake: 150 }.into());
		assert_eq!(held(ALICE), 150);
	});
}

#[test]
fn unbond_respects_lock_minimum_and_chunks() {
	new_test_ext().execute_with(|| {
		assert_noop!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 10), Error::<Test>::NotRegistered);
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 500, circuits(&[1])));
		assert_noop!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 10), Error::<Test>::StakeLocked);
		run_to_block(6);
		assert_noop!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 0), Error::<Test>::ZeroAmount);
		assert_noop!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 501), Error::<Test>::InsufficientStake);
		assert_noop!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 450), Error::<Test>::StakeBelowMinimum);
		assert_ok!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 100));
		System::assert_last_event(Event::Unbonded { prover: ALICE, amount: 100, unlocks_at: 16 }.into());
		let info = ProverStaking::prover(&ALICE).unwrap();
		assert_eq!(info.stake, 400);
		assert_eq!(info.unbonding.to_vec(), vec![UnbondingChunk { amount: 100, unlocks_at: 16 }]);
		assert_eq!(held(ALICE), 500, "unbonding stake stays held");
		for _ in 0..3 {
			assert_ok!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 10));
		}
		assert_noop!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 10), Error::<Test>::TooManyUnbondingChunks);
		ProverStaking::do_try_state().unwrap();
	});
}

#[test]
fn withdraw_releases_matured_chunks_and_leaves_when_empty() {
	new_test_ext().execute_with(|| {
		assert_noop!(ProverStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE)), Error::<Test>::NotRegistered);
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 300, circuits(&[1])));
		run_to_block(6);
		assert_ok!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 100)); // unlocks at 16
		run_to_block(8);
		assert_ok!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 200)); // unlocks at 18
		assert_noop!(ProverStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE)), Error::<Test>::NothingToWithdraw);
		run_to_block(16);
		assert_ok!(ProverStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
		System::assert_last_event(Event::Withdrawn { prover: ALICE, amount: 100 }.into());
		assert_eq!(held(ALICE), 200);
		assert!(Provers::<Test>::contains_key(ALICE));
		run_to_block(18);
		assert_ok!(ProverStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
		System::assert_has_event(Event::Withdrawn { prover: ALICE, amount: 200 }.into());
		System::assert_last_event(Event::ProverLeft { prover: ALICE }.into());
		assert!(!Provers::<Test>::contains_key(ALICE));
		assert_eq!(held(ALICE), 0);
		assert_eq!(Balances::balance(&ALICE), RICH);
	});
}

/// Issue 26 item 11: an open dispute froze every withdrawal of the prover's stake, so a cheap
/// challenge locked a large stake for the whole vote. Now only what the disputes keep at stake
/// stays; the rest can leave.
#[test]
fn item_11_an_open_dispute_keeps_only_what_is_at_stake_until_its_verdict() {
	use crate::StakeLedger;
	type Ledger = ProverStaking;
	new_test_ext().execute_with(|| {
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 300, circuits(&[1])));
		run_to_block(6);
		assert_ok!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 200));
		// Two disputes keep 150 and 50 of the 300 slashable.
		<Ledger as StakeLedger<_, _, _>>::dispute_opened(&ALICE, 150);
		<Ledger as StakeLedger<_, _, _>>::dispute_opened(&ALICE, 50);
		<Ledger as StakeLedger<_, _, _>>::dispute_opened(&ALICE, 0);
		assert_eq!(crate::DisputedStake::<Test>::get(ALICE), Some(200));
		run_to_block(16);
		// 200 matured; 100 stays active; 200 at stake: 100 may leave, 100 stays held, matured.
		assert_ok!(ProverStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
		System::assert_last_event(Event::Withdrawn { prover: ALICE, amount: 100 }.into());
		assert_eq!((held(ALICE), ProverStaking::slashable(&ALICE)), (200, 200));
		assert_noop!(ProverStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE)), Error::<Test>::UnderDispute);
		<Ledger as StakeLedger<_, _, _>>::dispute_closed(&ALICE, 150);
		assert_eq!(crate::DisputedStake::<Test>::get(ALICE), Some(50));
		assert_ok!(ProverStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
		System::assert_last_event(Event::Withdrawn { prover: ALICE, amount: 100 }.into());
		<Ledger as StakeLedger<_, _, _>>::dispute_closed(&ALICE, 50);
		<Ledger as StakeLedger<_, _, _>>::dispute_closed(&ALICE, 0);
		assert!(!crate::DisputedStake::<Test>::contains_key(ALICE), "removed at zero");
		assert_eq!(held(ALICE), 100);
		assert_noop!(ProverStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE)), Error::<Test>::NothingToWithdraw);
		ProverStaking::do_try_state().unwrap();
	});
}

#[test]
fn a_fully_unbonded_prover_must_rebond_at_least_the_minimum() {
	new_test_ext().execute_with(|| {
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 100, circuits(&[1])));
		run_to_block(6);
		assert_ok!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 100));
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &CircuitId::repeat_byte(1), 1), Err(Ineligibility::Inactive));
		assert_noop!(ProverStaking::bond_extra(RuntimeOrigin::signed(ALICE), 50), Error::<Test>::StakeBelowMinimum);
		assert_ok!(ProverStaking::bond_extra(RuntimeOrigin::signed(ALICE), 100));
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &CircuitId::repeat_byte(1), 1), Ok(()));
	});
}

#[test]
fn set_circuits_replaces_the_list() {
	new_test_ext().execute_with(|| {
		assert_noop!(ProverStaking::set_circuits(RuntimeOrigin::signed(ALICE), circuits(&[3])), Error::<Test>::NotRegistered);
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 100, circuits(&[1])));
		assert_noop!(ProverStaking::set_circuits(RuntimeOrigin::signed(ALICE), circuits(&[])), Error::<Test>::NoCircuits);
		assert_noop!(ProverStaking::set_circuits(RuntimeOrigin::signed(ALICE), circuits(&[3, 3])), Error::<Test>::DuplicateCircuit);
		assert_ok!(ProverStaking::set_circuits(RuntimeOrigin::signed(ALICE), circuits(&[3, 4])));
		System::assert_last_event(Event::CircuitsSet { prover: ALICE, circuits: circuits(&[3, 4]) }.into());
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &CircuitId::repeat_byte(1), 1), Err(Ineligibility::CircuitNotServed));
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &CircuitId::repeat_byte(4), 1), Ok(()));
	});
}

#[test]
fn eligibility_follows_the_stake_tiers() {
	new_test_ext().execute_with(|| {
		let c = CircuitId::repeat_byte(1);
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 1), Err(Ineligibility::NotRegistered));
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 200, circuits(&[1])));
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 9), Ok(()));
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 49), Ok(()));
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 50), Err(Ineligibility::StakeTooLow));
		assert_ok!(ProverStaking::bond_extra(RuntimeOrigin::signed(ALICE), 800));
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 1_000_000), Ok(()));
	});
}

#[test]
fn each_lock_reserves_its_stake_so_one_stake_backs_a_bounded_set_of_locks() {
	new_test_ext().execute_with(|| {
		let c = CircuitId::repeat_byte(1);
		assert_eq!(ProverStaking::reserve(&ALICE, &c, 1), Err(Ineligibility::NotRegistered));
		// 500 of stake: five locks below 10 (100 each), then nothing more.
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 500, circuits(&[1])));
		for _ in 0..5 {
			assert_eq!(ProverStaking::reserve(&ALICE, &c, 9), Ok(100));
		}
		assert_eq!(ProverStaking::reserve(&ALICE, &c, 9), Err(Ineligibility::StakeCommitted));
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 9), Err(Ineligibility::StakeCommitted));
		assert_eq!(ProverStaking::prover(&ALICE).unwrap().reserved, 500);
		// Reserved stake cannot be unbonded.
		run_to_block(6);
		assert_noop!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 100), Error::<Test>::StakeReserved);
		// A lock ends: its stake backs a new one, or can leave.
		ProverStaking::unreserve(&ALICE, 100);
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 9), Ok(()));
		ProverStaking::unreserve(&ALICE, 100);
		assert_ok!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 100));
		assert_eq!(ProverStaking::prover(&ALICE).unwrap().reserved, 300);
		// A price whose tier needs more than the whole stake is StakeTooLow, not committed.
		assert_eq!(ProverStaking::reserve(&ALICE, &c, 50), Err(Ineligibility::StakeTooLow));
		ProverStaking::do_try_state().unwrap();
	});
}

#[test]
fn heartbeat_is_rate_limited_and_passed_on() {
	new_test_ext().execute_with(|| {
		assert_noop!(ProverStaking::heartbeat(RuntimeOrigin::signed(ALICE)), Error::<Test>::NotRegistered);
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 100, circuits(&[1])));
		assert_ok!(ProverStaking::heartbeat(RuntimeOrigin::signed(ALICE)));
		System::assert_last_event(Event::Heartbeat { prover: ALICE }.into());
		run_to_block(3);
		assert_noop!(ProverStaking::heartbeat(RuntimeOrigin::signed(ALICE)), Error::<Test>::HeartbeatTooSoon);
		run_to_block(4);
		assert_ok!(ProverStaking::heartbeat(RuntimeOrigin::signed(ALICE)));
		assert_eq!(ProverStaking::prover(&ALICE).unwrap().last_heartbeat, Some(4));
		assert_eq!(HEARTBEATS.with(|h| h.borrow().clone()), vec![(ALICE, 1), (ALICE, 4)]);
	});
}

#[test]
fn chill_and_activate_toggle_eligibility() {
	new_test_ext().execute_with(|| {
		let c = CircuitId::repeat_byte(1);
		assert_noop!(ProverStaking::chill(RuntimeOrigin::signed(ALICE)), Error::<Test>::NotRegistered);
		assert_noop!(ProverStaking::activate(RuntimeOrigin::signed(ALICE)), Error::<Test>::NotRegistered);
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 100, circuits(&[1])));
		assert_noop!(ProverStaking::activate(RuntimeOrigin::signed(ALICE)), Error::<Test>::NotChilled);
		assert_ok!(ProverStaking::chill(RuntimeOrigin::signed(ALICE)));
		System::assert_last_event(Event::Chilled { prover: ALICE }.into());
		assert_noop!(ProverStaking::chill(RuntimeOrigin::signed(ALICE)), Error::<Test>::AlreadyChilled);
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 1), Err(Ineligibility::Chilled));
		assert_ok!(ProverStaking::activate(RuntimeOrigin::signed(ALICE)));
		System::assert_last_event(Event::Activated { prover: ALICE }.into());
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 1), Ok(()));
	});
}

#[test]
fn suspension_blocks_new_jobs_until_it_ends_or_is_lifted() {
	new_test_ext().execute_with(|| {
		let c = CircuitId::repeat_byte(1);
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 100, circuits(&[1])));
		ProverStaking::suspend(&ALICE, 5);
		System::assert_last_event(Event::Suspended { prover: ALICE, until: 5 }.into());
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 1), Err(Ineligibility::Suspended));
		run_to_block(5);
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 1), Ok(()));
		// A longer suspension wins; lifting a shorter one leaves it.
		ProverStaking::suspend(&ALICE, 20);
		ProverStaking::suspend(&ALICE, 8);
		assert_eq!(ProverStaking::prover(&ALICE).unwrap().suspended_until, Some(20));
		ProverStaking::lift_suspension(&ALICE, 8);
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 1), Err(Ineligibility::Suspended));
		ProverStaking::lift_suspension(&ALICE, 20);
		System::assert_last_event(Event::SuspensionLifted { prover: ALICE }.into());
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 1), Ok(()));
		// Unknown accounts are ignored.
		ProverStaking::suspend(&BOB, 9);
		assert!(ProverStaking::prover(&BOB).is_none());
	});
}

#[test]
fn a_banned_prover_stays_out_but_can_withdraw() {
	new_test_ext().execute_with(|| {
		let c = CircuitId::repeat_byte(1);
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 100, circuits(&[1])));
		ProverStaking::ban(&ALICE);
		System::assert_last_event(Event::Banned { prover: ALICE }.into());
		assert_eq!(ProverStaking::ensure_eligible(&ALICE, &c, 1), Err(Ineligibility::Banned));
		run_to_block(6);
		assert_ok!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 100));
		run_to_block(16);
		assert_ok!(ProverStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
		assert_eq!(Balances::balance(&ALICE), RICH);
		assert!(ProverStaking::prover(&ALICE).is_some(), "the ban is remembered");
		assert_noop!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 100, circuits(&[1])), Error::<Test>::Banned);
		ProverStaking::do_try_state().unwrap();
	});
}

#[test]
fn slash_takes_active_stake_then_newest_chunks_and_burns_when_dropped() {
	new_test_ext().execute_with(|| {
		use frame_support::traits::Imbalance;
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(ALICE), 400, circuits(&[1])));
		run_to_block(6);
		assert_ok!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 100)); // old chunk
		assert_ok!(ProverStaking::unbond(RuntimeOrigin::signed(ALICE), 100)); // new chunk
		assert_eq!(ProverStaking::slashable(&ALICE), 400);
		let issuance = Balances::total_issuance();
		let credit = ProverStaking::slash(&ALICE, 250);
		assert_eq!(credit.peek(), 250);
		drop(credit);
		System::assert_has_event(Event::Slashed { prover: ALICE, amount: 250 }.into());
		assert_eq!(Balances::total_issuance(), issuance - 250, "a dropped credit is burned");
		let info = ProverStaking::prover(&ALICE).unwrap();
		assert_eq!(info.stake, 0);
		assert_eq!(info.unbonding.iter().map(|c| c.amount).collect::<Vec<_>>(), vec![100, 50]);
		assert_eq!(held(ALICE), 150);
		// A slash never takes more than is held.
		let credit = ProverStaking::slash(&ALICE, 1_000);
		assert_eq!(credit.peek(), 150);
		drop(credit);
		assert_eq!(held(ALICE), 0);
		assert_eq!(ProverStaking::slash(&BOB, 10).peek(), 0, "nothing to slash from a stranger");
		ProverStaking::do_try_state().unwrap();
	});
}

#[test]
fn integrity_test_passes() {
	use frame_support::traits::Hooks;
	new_test_ext().execute_with(|| {
		<ProverStaking as Hooks<u64>>::integrity_test();
	});
}

#[derive(Clone, Debug)]
enum Op {
	Register(u64, u64),
	Bond(u64, u64),
	Unbond(u64, u64),
	Withdraw(u64),
	Slash(u64, u64),
	Advance(u64),
}

fn op() -> impl Strategy<Value = Op> {
	let who = prop_oneof![Just(ALICE), Just(BOB), Just(POOR)];
	prop_oneof![
		(who.clone(), 0u64..400).prop_map(|(w, a)| Op::Register(w, a)),
		(who.clone(), 0u64..300).prop_map(|(w, a)| Op::Bond(w, a)),
		(who.clone(), 0u64..300).prop_map(|(w, a)| Op::Unbond(w, a)),
		who.clone().prop_map(Op::Withdraw),
		(who, 0u64..500).prop_map(|(w, a)| Op::Slash(w, a)),
		(1u64..8).prop_map(Op::Advance),
	]
}

proptest! {
	/// Whatever the calls and whether they fail, issuance and every account's total balance
	/// change only by what slashes burn, and the held stake always matches the records.
	#[test]
	fn random_calls_conserve_balances(ops in proptest::collection::vec(op(), 1..40)) {
		new_test_ext().execute_with(|| {
			let (mut issuance, mut sum) = (Balances::total_issuance(), total());
			for op in ops {
				if let Op::Slash(w, a) = op {
					use frame_support::traits::Imbalance;
					let slashable = ProverStaking::slashable(&w);
					let burned = ProverStaking::slash(&w, a).peek();
					prop_assert_eq!(burned, a.min(slashable));
					issuance -= burned;
					sum -= burned;
				}
				let _ = match op {
					Op::Register(w, a) => ProverStaking::register(RuntimeOrigin::signed(w), a, circuits(&[1])),
					Op::Bond(w, a) => ProverStaking::bond_extra(RuntimeOrigin::signed(w), a),
					Op::Unbond(w, a) => ProverStaking::unbond(RuntimeOrigin::signed(w), a),
					Op::Withdraw(w) => ProverStaking::withdraw_unbonded(RuntimeOrigin::signed(w)),
					Op::Slash(..) => Ok(()),
					Op::Advance(n) => { run_to_block(System::block_number() + n); Ok(()) },
				};
				prop_assert_eq!(Balances::total_issuance(), issuance);
				prop_assert_eq!(total(), sum);
				prop_assert!(ProverStaking::do_try_state().is_ok());
			}
			Ok(())
		})?;
	}
}
