//! Prover economics through the real runtime: staking, reputation, slashing and jobs wired
//! together with the runtime's parameters. Proofs are real Groth16 proofs of a simulated
//! circuit (`cloudana_groth16_simulator`: a key whose trapdoor the test knows), verified by
//! the real verifier. After every block, `common::check_invariants` runs every pallet's
//! `try_state` and checks that total issuance changed only by slash burns.

use crate::common;

use cloudana_groth16_simulator::Trapdoor;
use cloudana_runtime::{
	configs::{
		dynamic_params::economics::{self, Parameters as Economics},
		InsurancePool, TreasuryAccount,
	},
	AccountId, Balances, Jobs, ProverStaking, Reputation, Runtime, RuntimeEvent, RuntimeOrigin, Slashing, System, CLD,
};
use crate::common::*;
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use pallet_jobs::{Ineligibility, JobStatus, JobTerms, WorkId};
use proptest::prelude::*;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave};

const SEED: &[u8] = b"cloudana/runtime/economics-test";

/// The economics tests' circuit (see [`common::circuit`]).
fn circuit() -> (sp_core::H256, Trapdoor) {
	common::circuit(SEED)
}

fn slash_applied() -> Option<(u128, u128, u128)> {
	System::events().into_iter().rev().find_map(|record| match record.event {
		RuntimeEvent::Slashing(pallet_slashing::Event::SlashApplied { amount, to_insurance, burned, .. }) =>
			Some((amount, to_insurance, burned)),
		_ => None,
	})
}

/// The seed's worked example. A prover staking 1 000 CLD, Gold (so a 50 CLD job is allowed):
/// completing a 50 CLD job earns 45 CLD; timing out on one loses 100 CLD of stake (80 to the
/// insurance pool, 20 burned) and 30 points of reputation, and the requester gets its 50 CLD
/// back.
#[test]
fn the_worked_example_holds() {
	dev_ext().execute_with(|| {
		let (circuit, trapdoor) = circuit();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		// The shortest deferral the set check allows here: a dispute's evidence period (20 blocks).
		let defer = evidence_period();
		assert_eq!(defer, 20);
		set(Economics::SlashDeferDuration(economics::SlashDeferDuration, Some(defer)));
		set(Economics::MinProofTimeout(economics::MinProofTimeout, Some(5)));
		assert_eq!(Reputation::tier(&bob), pallet_reputation::Tier::Gold);
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(bob.clone()), 1_000 * CLD, vec![circuit].try_into().unwrap()));

		// Completed: earns price − 10%.
		let bob_free = Balances::balance(&bob);
		let treasury = Balances::balance(&TreasuryAccount::get());
		let job = submit(&alice, circuit, fixed_price(50 * CLD, 100, 50));
		run_to_block(2);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(bob.clone()), job));
		run_to_block(3);
		assert_ok!(prove(&trapdoor, job, &bob));
		assert!(matches!(Jobs::job(job).unwrap().status, JobStatus::Completed { .. }));
		assert_eq!(Balances::balance(&bob) - bob_free, 45 * CLD, "earned");
		assert_eq!(Balances::balance(&TreasuryAccount::get()) - treasury, 5 * CLD);
		assert_eq!(Reputation::score(&bob), 710);

		// Timed out: the lock window (3 blocks) closes before the proof deadline (5 blocks).
		let alice_free = Balances::balance(&alice);
		let pool = Balances::balance(&InsurancePool::get());
		let issuance = Balances::total_issuance();
		let job = submit(&alice, circuit, fixed_price(50 * CLD, 3, 5));
		let deposit = Jobs::job(job).unwrap().deposit;
		assert_eq!(Balances::balance(&alice), alice_free - 50 * CLD - deposit, "escrowed, and the record's deposit held");
		run_to_block(4);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(bob.clone()), job));
		run_to_block(9);
		assert!(matches!(Jobs::job(job).unwrap().status, JobStatus::Expired { refund, .. } if refund == 50 * CLD));
		assert_eq!(Balances::balance(&alice), alice_free - deposit, "refunded in full (the deposit until pruning)");
		assert_eq!(Reputation::score(&bob), 680, "reputation −30");
		// Suspended at once: no new job.
		let next = submit(&alice, circuit, fixed_price(5 * CLD, 100, 50));
		assert_noop!(
			Jobs::lock(RuntimeOrigin::signed(bob.clone()), next),
			pallet_jobs::Error::<Runtime>::ProverIneligible(Ineligibility::Suspended)
		);
		// The slash waits for the deferral (20 blocks from the timeout at 9), then takes 10% of
		// the stake.
		assert_eq!(ProverStaking::slashable(&bob), 1_000 * CLD);
		run_to_block(9 + defer - 1);
		assert_eq!(slash_applied(), None);
		run_to_block(9 + defer);
		assert_eq!(slash_applied(), Some((100 * CLD, 80 * CLD, 20 * CLD)));
		assert_eq!(ProverStaking::slashable(&bob), 900 * CLD);
		assert_eq!(Balances::balance(&InsurancePool::get()) - pool, 80 * CLD);
		assert_eq!(issuance - Balances::total_issuance(), 20 * CLD, "burned");
	});
}

/// Bob (1 000 CLD staked) locks Alice's job and times out: returns the circuit and the pending
/// slash, at block 7.
fn a_pending_timeout_slash() -> (sp_core::H256, u64) {
	let (circuit, _) = circuit();
	let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
	set(Economics::MinProofTimeout(economics::MinProofTimeout, Some(5)));
	assert_ok!(ProverStaking::register(RuntimeOrigin::signed(bob.clone()), 1_000 * CLD, vec![circuit].try_into().unwrap()));
	let job = submit(&alice, circuit, fixed_price(50 * CLD, 3, 5));
	assert_ok!(Jobs::lock(RuntimeOrigin::signed(bob), job));
	run_to_block(7);
	(circuit, pallet_slashing::PendingSlashes::<Runtime>::iter().next().map(|(id, _)| id).unwrap())
}

#[test]
fn governance_cancels_a_slash_inside_the_window() {
	dev_ext().execute_with(|| {
		let (circuit, pending) = a_pending_timeout_slash();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		assert_noop!(Slashing::cancel_deferred_slash(RuntimeOrigin::signed(alice.clone()), pending), sp_runtime::DispatchError::BadOrigin);
		assert_ok!(Slashing::cancel_deferred_slash(RuntimeOrigin::root(), pending));
		// The suspension is lifted with it, and the reputation penalty given back.
		assert_eq!(ProverStaking::ensure_eligible(&bob, &circuit, 5 * CLD), Ok(()));
		run_to_block(6 + 2 * cloudana_runtime::DAYS + 1);
		assert_eq!(ProverStaking::slashable(&bob), 1_000 * CLD);
		assert_eq!(Reputation::score(&bob), 700);
	});
}

#[test]
fn a_slash_cancel_referendum_cancels_a_slash_inside_the_window() {
	use cloudana_runtime::{governance::origins::Origin, OriginCaller, RuntimeCall};
	dev_ext().execute_with(|| {
		let (_, pending) = a_pending_timeout_slash();
		let bob = Bob.to_account_id();
		// A referendum on the slash_cancel track (development timing: a few blocks).
		let call = RuntimeCall::Slashing(pallet_slashing::Call::cancel_deferred_slash { slash: pending });
		let index = referendum(call, OriginCaller::Origins(Origin::SlashCancel));
		run_until_ended(index, 50);
		run_to_block(System::block_number() + 5);
		assert!(pallet_slashing::PendingSlashes::<Runtime>::get(pending).is_none(), "the slash was not cancelled");
		assert!(System::block_number() < 7 + <economics::SlashDeferDuration as frame_support::traits::Get<u32>>::get(), "inside the window");
		run_to_block(6 + 2 * cloudana_runtime::DAYS + 1);
		assert_eq!(ProverStaking::slashable(&bob), 1_000 * CLD);
	});
}

#[test]
fn an_invalid_proof_slashes_a_quarter_and_diamond_provers_pay_eight_percent() {
	dev_ext().execute_with(|| {
		let (circuit, trapdoor) = circuit();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let defer = evidence_period();
		set(Economics::SlashDeferDuration(economics::SlashDeferDuration, Some(defer)));
		assert_ok!(Reputation::force_set_score(RuntimeOrigin::root(), bob.clone(), 800));
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(bob.clone()), 1_000 * CLD, vec![circuit].try_into().unwrap()));
		let job = submit(&alice, circuit, fixed_price(100 * CLD, 100, 50));
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(bob.clone()), job));
		let bob_free = Balances::balance(&bob);
		assert_ok!(prove(&trapdoor, job, &bob));
		assert_eq!(Balances::balance(&bob) - bob_free, 92 * CLD);

		let job = submit(&alice, circuit, fixed_price(100 * CLD, 100, 50));
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(bob.clone()), job));
		// A valid proof of another statement.
		let garbage = trapdoor.prove(&[[0u8; 32]; 3]).unwrap();
		assert_ok!(Jobs::submit_result(
			RuntimeOrigin::signed(bob.clone()),
			job,
			vec![[0u8; 32]].try_into().unwrap(),
			Box::new(garbage)
		));
		assert_eq!(Jobs::job(job).unwrap().status, JobStatus::Open, "the job reopens for others");
		assert_eq!(slash_applied(), None, "deferred");
		run_to_block(System::block_number() + defer);
		assert_eq!(slash_applied(), Some((250 * CLD, 200 * CLD, 50 * CLD)));
		assert_eq!(Reputation::score(&bob), 710);
		check_invariants();
	});
}

#[test]
fn parameters_default_to_the_design_and_change_only_through_the_checked_call() {
	dev_ext().execute_with(|| {
		use cloudana_runtime::{configs::RuntimeParameters, Economics as Guard, Parameters};
		use frame_support::traits::Get;
		assert_eq!(economics::FeeRate::get(), sp_runtime::Perbill::from_percent(10));
		assert_eq!(economics::Stake2::get(), 1_000 * CLD);
		assert_eq!(economics::SlashDeferDuration::get(), 2 * cloudana_runtime::DAYS);
		let five = RuntimeParameters::Economics(Economics::FeeRate(economics::FeeRate, Some(sp_runtime::Perbill::from_percent(5))));
		assert_noop!(Guard::set_parameter(RuntimeOrigin::signed(Alice.to_account_id()), five.clone()), sp_runtime::DispatchError::BadOrigin);
		// pallet-parameters' own call is closed, to Root too: it would skip the checks.
		assert_noop!(Parameters::set_parameter(RuntimeOrigin::root(), five.clone()), sp_runtime::DispatchError::BadOrigin);
		// DiamondFeeRate (8%) must not exceed FeeRate.
		assert_noop!(
			Guard::set_parameter(RuntimeOrigin::root(), five),
			cloudana_runtime::pallet_economics::Error::<Runtime>::InvariantBroken(
				cloudana_runtime::configs::economics::Violation::DiamondFeeAboveFee
			)
		);
		set(Economics::DiamondFeeRate(economics::DiamondFeeRate, Some(sp_runtime::Perbill::from_percent(4))));
		set(Economics::FeeRate(economics::FeeRate, Some(sp_runtime::Perbill::from_percent(5))));
		assert_eq!(economics::FeeRate::get(), sp_runtime::Perbill::from_percent(5));
	});
}

#[derive(Clone, Debug)]
enum Op {
	Register(u8, u16),
	Submit(u8),
	Lock(u8, u8),
	Prove(u8),
	Garbage(u8),
	Advance(u8),
	CancelSlash(u8),
	Unbond(u8, u16),
	Withdraw(u8),
	Heartbeat(u8),
	Rate(u8, u8),
	Chill(u8),
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		(0u8..3, 0u16..2_000).prop_map(|(w, s)| Op::Register(w, s)),
		(1u8..60).prop_map(Op::Submit),
		(0u8..3, 0u8..8).prop_map(|(w, j)| Op::Lock(w, j)),
		(0u8..8).prop_map(Op::Prove),
		(0u8..8).prop_map(Op::Garbage),
		(1u8..12).prop_map(Op::Advance),
		(0u8..8).prop_map(Op::CancelSlash),
		(0u8..3, 0u16..1_000).prop_map(|(w, a)| Op::Unbond(w, a)),
		(0u8..3).prop_map(Op::Withdraw),
		(0u8..3).prop_map(Op::Heartbeat),
		(0u8..8, 0u8..7).prop_map(|(j, s)| Op::Rate(j, s)),
		(0u8..3).prop_map(Op::Chill),
	]
}

fn provers() -> [AccountId; 3] {
	[Bob.to_account_id(), Charlie.to_account_id(), Dave.to_account_id()]
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

	/// Random sequences of register / lock / result (valid or not) / timeout / slash /
	/// cancel-slash / unbond / withdraw / heartbeat / rate / chill. After every step and every
	/// block: every pallet's `try_state` holds (held stake equals what staking records, escrow
	/// and collateral equal the live jobs', no slash exceeds its stake, scores in range), and
	/// total issuance changed only by slash burns.
	#[test]
	fn random_economics_keep_the_invariants(ops in proptest::collection::vec(op(), 1..30)) {
		dev_ext().execute_with(|| {
			let (circuit, trapdoor) = circuit();
			let alice = Alice.to_account_id();
			set(Economics::StakeLockPeriod(economics::StakeLockPeriod, Some(5)));
			short_periods(2, 10, 5, evidence_period(), 40);
			for who in provers().iter().skip(1) {
				assert_ok!(Reputation::force_set_score(RuntimeOrigin::root(), who.clone(), 900));
			}
			for op in ops {
				let provers = provers();
				let _ = match op {
					Op::Register(w, s) => ProverStaking::register(
						RuntimeOrigin::signed(provers[w as usize].clone()),
						s as u128 * CLD,
						vec![circuit].try_into().unwrap(),
					),
					Op::Submit(price) => Jobs::submit(
						RuntimeOrigin::signed(alice.clone()),
						circuit,
						vec![[0u8; 32]].try_into().unwrap(),
						JobTerms { collateral: CLD, ..fixed_price(price as u128 * CLD, 10, 5) },
					),
					Op::Lock(w, j) => Jobs::lock(RuntimeOrigin::signed(provers[w as usize].clone()), j as u64),
					Op::Prove(j) => match Jobs::job(j as u64).map(|r| r.status) {
						Some(JobStatus::Locked(lock)) => prove(&trapdoor, j as u64, &lock.prover).map(|_| ()).map_err(|e| e.error),
						_ => Ok(()),
					},
					Op::Garbage(j) => match Jobs::job(j as u64).map(|r| r.status) {
						Some(JobStatus::Locked(lock)) => {
							let proof = trapdoor.prove(&[[1u8; 32]; 3]).unwrap();
							Jobs::submit_result(RuntimeOrigin::signed(lock.prover), j as u64, vec![[0u8; 32]].try_into().unwrap(), Box::new(proof))
								.map(|_| ())
								.map_err(|e| e.error)
						},
						_ => Ok(()),
					},
					Op::Advance(n) => {
						run_to_block(System::block_number() + n as u32);
						Ok(())
					},
					Op::CancelSlash(id) => Slashing::cancel_deferred_slash(RuntimeOrigin::root(), id as u64),
					Op::Unbond(w, a) => ProverStaking::unbond(RuntimeOrigin::signed(provers[w as usize].clone()), a as u128 * CLD),
					Op::Withdraw(w) => ProverStaking::withdraw_unbonded(RuntimeOrigin::signed(provers[w as usize].clone())),
					Op::Heartbeat(w) => ProverStaking::heartbeat(RuntimeOrigin::signed(provers[w as usize].clone())),
					Op::Rate(j, s) => Reputation::rate(RuntimeOrigin::signed(alice.clone()), WorkId::Job(j as u64), s),
					Op::Chill(w) => ProverStaking::chill(RuntimeOrigin::signed(provers[w as usize].clone())),
				};
				check_invariants();
				for who in provers.iter() {
					prop_assert!(Reputation::score(who) <= 1000);
				}
			}
			Ok(())
		})?;
	}
}
