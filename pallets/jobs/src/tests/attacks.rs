//! The attacks of the hardening issue that pallet-jobs stops by itself, each played against
//! the mock runtime (the runtime-level versions are in `runtime/tests/attacks.rs`). Each failed
//! on the code before the fix.

use super::*;
use crate::{mock::*, Deadline, Deadlines, Error, Event, GridTerms, Ineligibility, JobStatus, VerifyError};
use frame_support::{assert_noop, assert_ok, traits::{Get, Hooks}};

/// r, the BN254 scalar modulus, big-endian.
const R: [u8; 32] = [
	0x30, 0x64, 0x4e, 0x72, 0xe1, 0x31, 0xa0, 0x29, 0xb8, 0x50, 0x45, 0xb6, 0x81, 0x81, 0x58, 0x5d, 0x28, 0x33, 0xe8, 0x48,
	0x79, 0xb9, 0x70, 0x91, 0x43, 0xe1, 0xf5, 0x93, 0xf0, 0x00, 0x00, 0x01,
];

/// `x + r`, big-endian: congruent to `x`, but not a canonical scalar.
fn plus_r(x: u8) -> [u8; 32] {
	let mut out = R;
	let (sum, carry) = out[31].overflowing_add(x);
	out[31] = sum;
	assert!(!carry);
	out
}

#[test]
fn item_2_an_input_that_is_not_a_field_element_is_refused_at_submit() {
	new_test_ext().execute_with(|| {
		let circuit = product_circuit();
		// `6 + r` once slashed every prover that locked the job: its statement can never verify.
		let trap: BoundedVec<_, _> = vec![plus_r(6), scalar(7)].try_into().unwrap();
		assert_noop!(
			Jobs::submit(RuntimeOrigin::signed(requester()), circuit, trap.clone(), terms()),
			Error::<Test>::InputNotInField
		);
		assert_noop!(
			Jobs::submit_grid(
				RuntimeOrigin::signed(requester()),
				circuit,
				trap,
				vec![b"lr=0.1".to_vec().try_into().unwrap()].try_into().unwrap(),
				0,
				GridTerms { bounty: 100, collateral: 0, proof_timeout: 5, duration: 20 },
			),
			Error::<Test>::InputNotInField
		);
		let r: BoundedVec<_, _> = vec![R, scalar(7)].try_into().unwrap();
		assert_noop!(Jobs::submit(RuntimeOrigin::signed(requester()), circuit, r, terms()), Error::<Test>::InputNotInField);
	});
}

#[test]
fn item_2_a_result_that_fails_for_a_reason_not_the_provers_voids_the_job_without_an_offence() {
	new_test_ext().execute_with(|| {
		let (circuit, job) = locked_job();
		let (issuance, sum) = totals();
		let (requester_before, prover_before) = (Balances::total_balance(&requester()), Balances::total_balance(&prover()));
		// The chain lost the prepared key (a fault nobody's proof can cure).
		pallet_verifier::PreparedKeys::<Test>::remove(circuit);
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[42]), valid_proof(job, &prover())));
		System::assert_has_event(Event::Voided { work: WorkId::Job(job), prover: prover(), reason: VerifyError::UnknownKey }.into());
		assert!(matches!(Jobs::job(job).unwrap().status, JobStatus::Void { reason: VerifyError::UnknownKey, .. }));
		assert!(offences().is_empty(), "no offence");
		assert_eq!((collateral(&prover()), reserved(&prover()), escrow(&requester())), (0, 0, 0));
		assert_eq!(Balances::total_balance(&prover()), prover_before, "collateral back");
		assert_eq!(Balances::total_balance(&requester()), requester_before, "escrow back");
		assert_eq!(totals(), (issuance, sum));
	});
}

#[test]
fn item_1_an_impossible_proof_window_is_refused() {
	new_test_ext().execute_with(|| {
		let circuit = product_circuit();
		// A one-block proof window timed out every prover that locked it.
		assert_noop!(
			Jobs::submit(RuntimeOrigin::signed(requester()), circuit, inputs(&[6, 7]), JobTerms { proof_timeout: 1, ..terms() }),
			Error::<Test>::ProofWindowTooShort
		);
	});
}

#[test]
fn item_1_the_collateral_of_a_failed_lock_never_reaches_the_requester() {
	new_test_ext().execute_with(|| {
		// The requester sets a trap the prover falls into (it never proves): the requester is
		// refunded its escrow and nothing more.
		let (_, job) = locked_job();
		run_to_block(21);
		assert!(matches!(Jobs::job(job).unwrap().status, JobStatus::Expired { .. }));
		assert_eq!(Balances::total_balance(&requester()), RICH);
	});
}

#[test]
fn item_5_any_number_of_deadlines_fit_in_a_block() {
	new_test_ext().execute_with(|| {
		let circuit = product_circuit();
		register_prover(&prover(), circuit, 1_000);
		let job = submit_product(circuit, 6, 7);
		// Fill the blocks around the lock's timeout (1 + 5 = 6) with other jobs' deadlines: the
		// old queue held 4 a block and looked 16 blocks ahead.
		for lock_timeout in 1..=30u64 {
			for i in 0..10 {
				assert_ok!(Jobs::submit(
					RuntimeOrigin::signed(requester()),
					circuit,
					inputs(&[i, lock_timeout]),
					JobTerms { lock_timeout, ..terms() }
				));
			}
		}
		assert_eq!(Deadlines::<Test>::iter_key_prefix(6).count(), 10);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
		assert!(Deadlines::<Test>::contains_key(6, Deadline::Job(job)));
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn item_7_one_stake_backs_one_lock_per_tier_amount() {
	new_test_ext().execute_with(|| {
		// 1 000 of stake, and each job below 100 needs 1 000: one lock at a time.
		let (circuit, first) = open_job();
		let second = submit_product(circuit, 2, 3);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), first));
		assert_noop!(
			Jobs::lock(RuntimeOrigin::signed(prover()), second),
			Error::<Test>::ProverIneligible(Ineligibility::StakeCommitted)
		);
		// The first ends (proven): its stake backs the next lock.
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover()), first, outputs(&[42]), valid_proof(first, &prover())));
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), second));
		// A timeout releases the reservation too.
		run_to_block(7);
		assert_eq!(reserved(&prover()), 0);
	});
}

#[test]
fn item_8_a_block_of_timeouts_is_spread_over_blocks_within_the_hook_budget() {
	new_test_ext().execute_with(|| {
		use crate::WeightInfo;
		let circuit = product_circuit();
		// Eight provers each lock a job; all time out in block 6.
		for n in 0..8u8 {
			let who = account(100 + n);
			<Balances as frame_support::traits::fungible::Mutate<AccountId>>::set_balance(&who, RICH);
			register_prover(&who, circuit, 1_000);
			let job = submit_product(circuit, 6, n as u64);
			assert_ok!(Jobs::lock(RuntimeOrigin::signed(who), job));
		}
		let budget = <() as WeightInfo>::process_job().saturating_mul(3);
		MaxDeadlineWeight::set(budget.saturating_add(<<Test as frame_system::Config>::DbWeight as Get<frame_support::weights::RuntimeDbWeight>>::get().reads_writes(8, 8)));
		let mut blocks = 0;
		for block in 6..20 {
			System::set_block_number(block);
			let used = Jobs::on_initialize(block);
			assert!(used.all_lte(MaxDeadlineWeight::get()));
			if offences().len() < 8 {
				blocks += 1;
			}
		}
		assert_eq!(offences().len(), 8, "every timeout is reported, none lost");
		assert!(blocks >= 2, "spread over blocks, not all in one");
		Jobs::do_try_state().unwrap();
	});
}
