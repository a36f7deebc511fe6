//! Multi-slot (grid) jobs: submission, slot locks, proven metrics, the best-of payout, ties,
//! refunds, invalid proofs and timeouts, void slots, pruning, and every error path. Proofs are
//! real Groth16 proofs of a simulated circuit (`binding ‖ dataset ‖ metric`) whose trapdoor the
//! test knows, so any metric can be proven, and a claim that differs from the proven one fails
//! verification.

use super::*;
use crate::{
	mock::*, Error, Event, GridJobs, GridStatus, GridTerms, GridTermsOf, Ineligibility, NextGridId, Offence, OpenWork,
	RecordId, SlotState, VerifyError,
};
use cloudana_groth16::Groth16Error;
use cloudana_groth16_simulator::Trapdoor;
use codec::Encode;
use frame_support::{assert_noop, assert_ok};

fn trapdoor() -> Trapdoor {
	Trapdoor::new(b"cloudana/jobs/grid-tests", 3)
}

fn grid_circuit() -> CircuitId {
	register_key(trapdoor().verifying_key())
}

fn grid_terms() -> GridTermsOf<Test> {
	GridTerms { bounty: 1_000, collateral: 50, proof_timeout: 5, duration: 20 }
}

fn params(n: u8) -> BoundedVec<BoundedVec<u8, frame_support::traits::ConstU32<32>>, frame_support::traits::ConstU32<8>> {
	(0..n).map(|i| vec![b'l', b'r', b'=', b'0' + i].try_into().unwrap()).collect::<Vec<_>>().try_into().unwrap()
}

fn dataset() -> BoundedVec<cloudana_groth16::PublicInput, frame_support::traits::ConstU32<8>> {
	inputs(&[7])
}

/// A grid of `slots` slots on the simulated circuit; `prover()` and `other_prover()` are
/// registered provers with stake for many slots.
fn open_grid(slots: u8) -> (CircuitId, u64) {
	let circuit = grid_circuit();
	register_prover(&prover(), circuit, 10_000);
	register_prover(&other_prover(), circuit, 10_000);
	let grid = NextGridId::<Test>::get();
	assert_ok!(Jobs::submit_grid(RuntimeOrigin::signed(requester()), circuit, dataset(), params(slots), 0, grid_terms()));
	(circuit, grid)
}

/// Proves `metric` for `slot` and submits `claimed` as the output.
fn submit(grid: u64, slot: u32, who: &AccountId, metric: u64, claimed: u64) -> frame_support::dispatch::DispatchResultWithPostInfo {
	let statement = Jobs::statement(WorkId::Slot(grid, slot), who, &dataset(), &[scalar(metric)]);
	let proof = trapdoor().prove(&statement).unwrap();
	Jobs::submit_slot_result(RuntimeOrigin::signed(who.clone()), grid, slot, outputs(&[claimed]), Box::new(proof))
}

fn prove(grid: u64, slot: u32, who: &AccountId, metric: u64) {
	assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(who.clone()), grid, slot));
	assert_ok!(submit(grid, slot, who, metric, metric));
}

#[test]
fn submit_grid_holds_the_bounty_and_deposit_and_schedules_the_close() {
	new_test_ext().execute_with(|| {
		let (circuit, grid) = open_grid(3);
		let job = GridJobs::<Test>::get(grid).unwrap();
		assert_eq!(job.deposit, 10 + job.encoded_size() as u64);
		System::assert_last_event(
			Event::GridSubmitted {
				grid,
				requester: requester(),
				circuit,
				slots: 3,
				bounty: 1_000,
				deposit: job.deposit,
				closes_at: 21,
			}
			.into(),
		);
		assert_eq!((escrow(&requester()), deposit(&requester())), (1_000, job.deposit));
		assert_eq!(consumers(&circuit), 1);
		assert_eq!((job.outputs, job.slots.len()), (1, 3));
		assert_eq!(job.slots[2].params.to_vec(), b"lr=2".to_vec());
		assert_eq!(OpenWork::<Test>::iter_prefix(circuit).count(), 3);
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn submit_grid_errors() {
	new_test_ext().execute_with(|| {
		let circuit = grid_circuit();
		let submit = |who: AccountId, c: CircuitId, ins, slots, metric, terms| {
			Jobs::submit_grid(RuntimeOrigin::signed(who), c, ins, slots, metric, terms)
		};
		assert_noop!(submit(requester(), circuit, dataset(), params(0), 0, grid_terms()), Error::<Test>::NoSlots);
		assert_noop!(
			submit(requester(), circuit, dataset(), params(2), 0, GridTerms { bounty: 0, ..grid_terms() }),
			Error::<Test>::ZeroPrice
		);
		assert_noop!(
			submit(requester(), circuit, dataset(), params(2), 0, GridTerms { proof_timeout: 1, ..grid_terms() }),
			Error::<Test>::ProofWindowTooShort
		);
		assert_noop!(
			submit(requester(), circuit, dataset(), params(2), 0, GridTerms { proof_timeout: 51, ..grid_terms() }),
			Error::<Test>::InvalidProofTimeout
		);
		assert_noop!(
			submit(requester(), circuit, dataset(), params(2), 0, GridTerms { duration: 4, ..grid_terms() }),
			Error::<Test>::InvalidGridDuration
		);
		assert_noop!(
			submit(requester(), circuit, dataset(), params(2), 0, GridTerms { duration: 101, ..grid_terms() }),
			Error::<Test>::InvalidGridDuration
		);
		assert_noop!(
			submit(requester(), CircuitId::repeat_byte(9), dataset(), params(2), 0, grid_terms()),
			Error::<Test>::CircuitNotFound
		);
		let not_in_field: BoundedVec<_, _> = vec![[0xff; 32]].try_into().unwrap();
		assert_noop!(submit(requester(), circuit, not_in_field, params(2), 0, grid_terms()), Error::<Test>::InputNotInField);
		assert_noop!(submit(requester(), circuit, inputs(&[1, 2]), params(2), 0, grid_terms()), Error::<Test>::InvalidMetricOutput);
		assert_noop!(submit(requester(), circuit, inputs(&[1, 2, 3]), params(2), 0, grid_terms()), Error::<Test>::TooManyInputs);
		assert_noop!(submit(requester(), circuit, dataset(), params(2), 1, grid_terms()), Error::<Test>::InvalidMetricOutput);
		assert_noop!(
			submit(poor(), circuit, dataset(), params(2), 0, GridTerms { bounty: RICH, ..grid_terms() }),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(Jobs::submit_grid(RuntimeOrigin::none(), circuit, dataset(), params(2), 0, grid_terms()), sp_runtime::DispatchError::BadOrigin);
	});
}

#[test]
fn lock_slot_errors() {
	new_test_ext().execute_with(|| {
		assert_noop!(Jobs::lock_slot(RuntimeOrigin::signed(prover()), 0, 0), Error::<Test>::GridNotFound);
		let (_, grid) = open_grid(2);
		assert_noop!(Jobs::lock_slot(RuntimeOrigin::signed(prover()), grid, 2), Error::<Test>::SlotNotFound);
		assert_noop!(Jobs::lock_slot(RuntimeOrigin::signed(requester()), grid, 0), Error::<Test>::CannotLockOwnJob);
		assert_noop!(
			Jobs::lock_slot(RuntimeOrigin::signed(poor()), grid, 0),
			Error::<Test>::ProverIneligible(Ineligibility::NotRegistered)
		);
		assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(prover()), grid, 0));
		System::assert_last_event(
			Event::Locked { work: WorkId::Slot(grid, 0), prover: prover(), price: 500, collateral: 50, expires_at: 6 }.into(),
		);
		assert_eq!((collateral(&prover()), reserved(&prover())), (50, 10_000));
		assert_noop!(Jobs::lock_slot(RuntimeOrigin::signed(other_prover()), grid, 0), Error::<Test>::SlotNotOpen);
		// Four blocks before the close, a five-block proof window no longer fits.
		run_to_block(17);
		assert_noop!(Jobs::lock_slot(RuntimeOrigin::signed(other_prover()), grid, 1), Error::<Test>::GridClosesTooSoon);
		run_to_block(21);
		assert_noop!(Jobs::lock_slot(RuntimeOrigin::signed(other_prover()), grid, 1), Error::<Test>::GridClosed);
	});
}

#[test]
fn submit_slot_result_errors() {
	new_test_ext().execute_with(|| {
		assert_noop!(submit(0, 0, &prover(), 1, 1), Error::<Test>::GridNotFound);
		let (_, grid) = open_grid(2);
		assert_noop!(submit(grid, 5, &prover(), 1, 1), Error::<Test>::SlotNotFound);
		assert_noop!(submit(grid, 0, &prover(), 1, 1), Error::<Test>::SlotNotLocked);
		assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(prover()), grid, 0));
		assert_noop!(submit(grid, 0, &other_prover(), 1, 1), Error::<Test>::NotJobProver);
		let proof = Box::new(trapdoor().prove(&[[0u8; 32]; 3]).unwrap());
		assert_noop!(
			Jobs::submit_slot_result(RuntimeOrigin::signed(prover()), grid, 0, outputs(&[]), proof.clone()),
			Error::<Test>::OutputCountMismatch
		);
		let huge: BoundedVec<_, _> = vec![[0x01; 32]].try_into().unwrap();
		assert_noop!(Jobs::submit_slot_result(RuntimeOrigin::signed(prover()), grid, 0, huge, proof.clone()), Error::<Test>::MetricOutOfRange);
		let not_in_field: BoundedVec<_, _> = vec![[0xff; 32]].try_into().unwrap();
		assert_noop!(Jobs::submit_slot_result(RuntimeOrigin::signed(prover()), grid, 0, not_in_field, proof), Error::<Test>::OutputNotInField);
		run_to_block(6);
		assert_noop!(submit(grid, 0, &prover(), 1, 1), Error::<Test>::SlotNotLocked);
	});
}

#[test]
fn a_fully_proven_grid_closes_at_once_and_pays_the_best_half() {
	new_test_ext().execute_with(|| {
		let (circuit, grid) = open_grid(4);
		let (issuance, sum) = totals();
		let before = [requester(), prover(), other_prover(), TREASURY].map(|a| Balances::total_balance(&a));
		prove(grid, 0, &prover(), 20);
		run_to_block(2);
		prove(grid, 1, &other_prover(), 25);
		run_to_block(3);
		prove(grid, 2, &prover(), 25); // ties with slot 1, proven later: ranks after it
		assert!(matches!(GridJobs::<Test>::get(grid).unwrap().status, GridStatus::Open));
		prove(grid, 3, &other_prover(), 10);

		let job = GridJobs::<Test>::get(grid).unwrap();
		let GridStatus::Closed { payouts, refund, at } = job.status else { panic!("not closed") };
		assert_eq!((refund, at), (0, 3));
		let board: Vec<_> = payouts.iter().map(|p| (p.slot, p.metric, p.paid, p.fee)).collect();
		// Shares: 500 + the remainder 2 to the best, 166 each to the others; a 10% fee of each
		// (Perbill rounds to the nearest: 50.2 -> 50, 16.6 -> 17).
		assert_eq!(board, vec![(1, 25, 452, 50), (2, 25, 149, 17), (0, 20, 149, 17), (3, 10, 149, 17)]);
		let fees: u64 = payouts.iter().map(|p| p.fee).sum();
		let paid: u64 = payouts.iter().map(|p| p.paid).sum();
		assert_eq!(paid + fees, 1_000, "payouts and fees add up to the bounty");
		System::assert_last_event(Event::GridClosed { grid, payouts, refund: 0, fees }.into());
		let after = [requester(), prover(), other_prover(), TREASURY].map(|a| Balances::total_balance(&a));
		assert_eq!(after[0], before[0] - 1_000);
		assert_eq!(after[1], before[1] + 149 + 149);
		assert_eq!(after[2], before[2] + 452 + 149);
		assert_eq!(after[3], before[3] + fees);
		assert_eq!((escrow(&requester()), collateral(&prover()), collateral(&other_prover())), (0, 0, 0));
		assert_eq!((reserved(&prover()), reserved(&other_prover())), (0, 0));
		assert_eq!(totals(), (issuance, sum));
		assert_eq!(consumers(&circuit), 0);
		assert_eq!(COMPLETIONS.with(|c| c.borrow().len()), 4);
		assert_noop!(Jobs::lock_slot(RuntimeOrigin::signed(prover()), grid, 0), Error::<Test>::GridClosed);
		Jobs::do_try_state().unwrap();
		// Pruned after the retention period: the deposit back, each slot's rating pruned.
		let held = job.deposit;
		run_to_block(33);
		System::assert_last_event(Event::Reaped { record: RecordId::Grid(grid), deposit: held }.into());
		assert!(GridJobs::<Test>::get(grid).is_none());
		assert_eq!(REAPED.with(|r| r.borrow().len()), 4);
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn a_claim_above_the_proven_metric_burns_the_collateral_and_the_slot_reopens() {
	new_test_ext().execute_with(|| {
		let (circuit, grid) = open_grid(2);
		let requester_before = Balances::total_balance(&requester());
		let (issuance, _) = totals();
		assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(prover()), grid, 0));
		// The model reaches 20; the prover claims 29.
		assert_ok!(submit(grid, 0, &prover(), 20, 29));
		System::assert_last_event(
			Event::ProofRejected {
				work: WorkId::Slot(grid, 0),
				prover: prover(),
				reason: VerifyError::Rejected(Groth16Error::ProofInvalid),
				burned: 50,
			}
			.into(),
		);
		assert_eq!(GridJobs::<Test>::get(grid).unwrap().slots[0].state, SlotState::Open);
		assert!(OpenWork::<Test>::contains_key(circuit, WorkId::Slot(grid, 0)));
		assert_eq!(Balances::total_balance(&requester()), requester_before);
		assert_eq!(Balances::total_issuance(), issuance - 50);
		assert_eq!(offences(), vec![(prover(), WorkId::Slot(grid, 0), Offence::InvalidProof)]);
		// Another prover takes the slot and proves the truth.
		prove(grid, 0, &other_prover(), 20);
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn at_the_close_open_locks_time_out_and_the_unpaid_half_is_refunded() {
	new_test_ext().execute_with(|| {
		let (_, grid) = open_grid(3);
		let requester_before = Balances::total_balance(&requester());
		prove(grid, 0, &prover(), 20);
		run_to_block(16);
		assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(other_prover()), grid, 1)); // expires at the close, 21
		let (issuance, _) = totals();
		run_to_block(21);
		let GridStatus::Closed { payouts, refund, .. } = GridJobs::<Test>::get(grid).unwrap().status else { panic!("not closed") };
		assert_eq!(payouts.len(), 1);
		assert_eq!((payouts[0].paid, payouts[0].fee), (450, 50));
		assert_eq!(refund, 500, "one proven slot: the other half is refunded");
		assert_eq!(offences(), vec![(other_prover(), WorkId::Slot(grid, 1), Offence::Timeout)]);
		assert_eq!(Balances::total_balance(&requester()), requester_before - 500);
		assert_eq!(Balances::total_issuance(), issuance - 50, "the timed-out lock's collateral is burned");
		assert_eq!(escrow(&requester()), 0);
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn a_grid_nobody_proves_is_refunded_in_full() {
	new_test_ext().execute_with(|| {
		let (_, grid) = open_grid(2);
		let before = Balances::total_balance(&requester());
		assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(prover()), grid, 0));
		run_to_block(6); // the lock times out, the slot reopens
		assert_eq!(GridJobs::<Test>::get(grid).unwrap().slots[0].state, SlotState::Open);
		run_to_block(21);
		let GridStatus::Closed { payouts, refund, .. } = GridJobs::<Test>::get(grid).unwrap().status else { panic!("not closed") };
		assert!(payouts.is_empty());
		assert_eq!(refund, 1_000);
		assert_eq!(Balances::total_balance(&requester()), before, "the bounty back, nothing more");
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn a_slot_proof_is_bound_to_its_slot() {
	new_test_ext().execute_with(|| {
		let (_, grid) = open_grid(2);
		assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(prover()), grid, 1));
		// A proof made for slot 0 does not verify for slot 1.
		let statement = Jobs::statement(WorkId::Slot(grid, 0), &prover(), &dataset(), &[scalar(20)]);
		let proof = trapdoor().prove(&statement).unwrap();
		assert_ok!(Jobs::submit_slot_result(RuntimeOrigin::signed(prover()), grid, 1, outputs(&[20]), Box::new(proof)));
		assert_eq!(GridJobs::<Test>::get(grid).unwrap().slots[1].state, SlotState::Open);
		// Nor does one made for plain job `grid`.
		assert_ne!(Jobs::binding(WorkId::Slot(0, 1), &prover()), Jobs::binding(WorkId::Job(0), &prover()));
	});
}

/// Issue 26 item 10: the deadline hook charged every grid deadline the worst case of a
/// `MaxSlots` grid, so one-slot grids (cheap to submit, since `submit_grid` did not pay for its
/// deadlines) filled the hook's budget with a few closes a block. Each grid deadline is now
/// charged by its real slot count, and `submit_grid` pays for the deadlines it creates.
#[test]
fn item_10_a_grids_deadline_is_charged_by_its_slot_count_and_paid_at_submission() {
	new_test_ext().execute_with(|| {
		use crate::{Deadline, WeightInfo};
		use frame_support::{dispatch::GetDispatchInfo, traits::Get};
		let (circuit, small) = open_grid(1);
		let large = NextGridId::<Test>::get();
		assert_ok!(Jobs::submit_grid(RuntimeOrigin::signed(requester()), circuit, dataset(), params(8), 0, grid_terms()));
		let one = Jobs::deadline_weight(&Deadline::Grid(small));
		let eight = Jobs::deadline_weight(&Deadline::Grid(large));
		assert!(one.ref_time() < eight.ref_time(), "a one-slot grid is charged less than an eight-slot one");
		// Before: every grid deadline cost the MaxSlots (8) worst case.
		assert!(one.ref_time() < Jobs::grid_deadline_weight(8).ref_time());
		let read = <<Test as frame_system::Config>::DbWeight as Get<frame_support::weights::RuntimeDbWeight>>::get().reads(1);
		assert_eq!(one, Jobs::grid_deadline_weight(1).saturating_add(read));
		assert!(Jobs::worst_deadline_weight().all_gte(eight));
		// submit_grid's weight covers its close and its pruning.
		let call = crate::Call::<Test>::submit_grid {
			circuit,
			inputs: dataset(),
			slots: params(1),
			metric_output: 0,
			terms: grid_terms(),
		};
		let charged = call.get_dispatch_info().call_weight;
		assert!(charged.all_gte(<() as WeightInfo>::submit_grid(1).saturating_add(Jobs::grid_deadline_weight(1).saturating_mul(2))));
		Jobs::do_try_state().unwrap();
	});
}

/// Issue 26 item 5, for slots: a `lock_slot` that can succeed and a result for the signer's own
/// live slot lock are market-critical (the runtime raises their priority); the same calls that
/// would fail are not, and the worker tips a slot result only in its lock's last 3 blocks.
#[test]
fn item_26_5_slot_locks_and_results_that_can_succeed_are_market_critical() {
	new_test_ext().execute_with(|| {
		let (circuit, _) = open_grid(2);
		let grid = NextGridId::<Test>::get();
		let terms = GridTerms { collateral: 1_000, ..grid_terms() };
		assert_ok!(Jobs::submit_grid(RuntimeOrigin::signed(requester()), circuit, dataset(), params(2), 0, terms));
		let lock = |slot| crate::Call::<Test>::lock_slot { grid, slot };
		assert!(Jobs::is_market_critical(&prover(), &lock(0)));
		assert!(!Jobs::is_market_critical(&requester(), &lock(0)), "its own grid");
		assert!(!Jobs::is_market_critical(&key_owner(), &lock(0)), "not a prover");
		assert!(!Jobs::is_market_critical(&prover(), &lock(9)), "no such slot");
		assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(prover()), grid, 0)); // times out at 6
		assert!(!Jobs::is_market_critical(&other_prover(), &lock(0)), "locked already");
		let statement = Jobs::statement(WorkId::Slot(grid, 0), &prover(), &dataset(), &[scalar(90)]);
		let proof = Box::new(trapdoor().prove(&statement).unwrap());
		let result = crate::Call::<Test>::submit_slot_result { grid, slot: 0, outputs: outputs(&[90]), proof };
		assert!(Jobs::is_market_critical(&prover(), &result));
		assert!(!Jobs::is_market_critical(&other_prover(), &result), "not its lock");
		let tips: Vec<u64> = (2..=6)
			.map(|block| {
				run_to_block(block);
				Jobs::worker_tip(&prover(), &result)
			})
			.collect();
		assert_eq!(tips, vec![0, 10, 20, 40, 0], "1%, 2%, 4% of 1 000 in blocks 3..=5; timed out at 6");
		assert!(!Jobs::is_market_critical(&prover(), &result), "timed out");
	});
}
