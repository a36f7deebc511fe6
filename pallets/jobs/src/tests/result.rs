use super::*;
use crate::{mock::*, ActiveLocks, Error, Event, JobStatus, Offence, VerifyError};
use cloudana_groth16::Groth16Error;
use frame_support::{assert_noop, assert_ok};

#[test]
fn a_valid_proof_pays_everyone_in_one_extrinsic() {
	new_test_ext().execute_with(|| {
		let (circuit, job) = open_job();
		run_to_block(3); // price 20
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
		let (issuance, sum) = totals();
		let (requester_before, prover_before, treasury_before) =
			(Balances::total_balance(&requester()), Balances::total_balance(&prover()), Balances::total_balance(&TREASURY));

		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[42]), valid_proof(job, &prover())));

		System::assert_last_event(
			Event::JobCompleted { job, prover: prover(), price: 20, paid: 18, fee: 2, refund: 40, outputs: outputs(&[42]) }.into(),
		);
		assert_eq!(Balances::total_balance(&requester()), requester_before - 20);
		assert_eq!(Balances::total_balance(&prover()), prover_before + 18);
		assert_eq!(Balances::total_balance(&TREASURY), treasury_before + 2);
		assert_eq!((escrow(&requester()), collateral(&prover()), reserved(&prover())), (0, 0, 0));
		assert!(!ActiveLocks::<Test>::contains_key(prover(), WorkId::Job(job)));
		assert_eq!(totals(), (issuance, sum));
		assert_eq!(consumers(&circuit), 0);
		match Jobs::job(job).unwrap().status {
			JobStatus::Completed { price, fee, outputs: out, at, .. } => assert_eq!((price, fee, out, at), (20, 2, outputs(&[42]), 3)),
			other => panic!("not completed: {other:?}"),
		}
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn a_wrong_output_burns_the_collateral_reports_the_offence_and_reopens() {
	new_test_ext().execute_with(|| {
		let (_, job) = locked_job();
		let (issuance, sum) = totals();
		let requester_before = Balances::total_balance(&requester());
		// Claims 6 · 7 = 43 with the proof of 42.
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[43]), valid_proof(job, &prover())));
		System::assert_last_event(
			Event::ProofRejected {
				work: WorkId::Job(job),
				prover: prover(),
				reason: VerifyError::Rejected(Groth16Error::ProofInvalid),
				burned: 50,
			}
			.into(),
		);
		assert_eq!(Jobs::job(job).unwrap().status, JobStatus::Open);
		assert_eq!(Balances::total_balance(&requester()), requester_before, "the requester gains nothing");
		assert_eq!((collateral(&prover()), reserved(&prover())), (0, 0));
		assert_eq!(escrow(&requester()), 60);
		assert_eq!(offences(), vec![(prover(), WorkId::Job(job), Offence::InvalidProof)]);
		assert_eq!(totals(), (issuance - 50, sum - 50), "the collateral is burned");
		Jobs::do_try_state().unwrap();
		// Another prover can take it and finish it.
		register_prover(&other_prover(), Jobs::job(job).unwrap().circuit, 1_000);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(other_prover()), job));
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(other_prover()), job, outputs(&[42]), valid_proof(job, &other_prover())));
		assert!(matches!(Jobs::job(job).unwrap().status, JobStatus::Completed { .. }));
	});
}

#[test]
fn a_proof_made_for_another_prover_or_job_is_rejected() {
	new_test_ext().execute_with(|| {
		let (_, job) = locked_job();
		// Bound to another prover.
		let stolen = valid_proof(job, &other_prover());
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[42]), stolen));
		assert!(matches!(
			System::events().last().unwrap().event,
			RuntimeEvent::Jobs(Event::ProofRejected { reason: VerifyError::Rejected(Groth16Error::ProofInvalid), .. })
		));
		// Bound to another job.
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
		let replayed = valid_proof(job + 1, &prover());
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[42]), replayed));
		assert!(matches!(Jobs::job(job).unwrap().status, JobStatus::Open));
	});
}

#[test]
fn a_malformed_proof_is_rejected_with_its_reason() {
	new_test_ext().execute_with(|| {
		let (_, job) = locked_job();
		let mut proof = valid_proof(job, &prover());
		proof.a[63] ^= 1;
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[42]), proof));
		System::assert_last_event(
			Event::ProofRejected {
				work: WorkId::Job(job),
				prover: prover(),
				reason: VerifyError::Rejected(Groth16Error::PointNotOnCurve(cloudana_groth16::Element::ProofA)),
				burned: 50,
			}
			.into(),
		);
	});
}

#[test]
fn an_invalid_proof_after_the_lock_window_expires_the_job() {
	new_test_ext().execute_with(|| {
		let (_, job) = open_job();
		run_to_block(20);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
		run_to_block(22); // the lock window closed at 21; the lock lasts until 25
		let requester_before = Balances::total_balance(&requester());
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[41]), valid_proof(job, &prover())));
		System::assert_has_event(
			Event::ProofRejected {
				work: WorkId::Job(job),
				prover: prover(),
				reason: VerifyError::Rejected(Groth16Error::ProofInvalid),
				burned: 50,
			}
			.into(),
		);
		System::assert_last_event(Event::JobExpired { job, refund: 60, deposit_fee: 0 }.into());
		assert_eq!(Jobs::job(job).unwrap().status, JobStatus::Expired { refund: 60, at: 22 });
		assert_eq!(Balances::total_balance(&requester()), requester_before);
		assert_eq!(escrow(&requester()), 0);
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn submit_result_errors() {
	new_test_ext().execute_with(|| {
		let (_, job) = open_job();
		let proof = || valid_proof(job, &prover());
		assert_noop!(Jobs::submit_result(RuntimeOrigin::signed(prover()), 99, outputs(&[42]), proof()), Error::<Test>::JobNotFound);
		assert_noop!(Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[42]), proof()), Error::<Test>::JobNotLocked);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
		assert_noop!(
			Jobs::submit_result(RuntimeOrigin::signed(other_prover()), job, outputs(&[42]), proof()),
			Error::<Test>::NotJobProver
		);
		assert_noop!(
			Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[42, 1]), proof()),
			Error::<Test>::OutputCountMismatch
		);
		// An output that is not a field element is refused before any verification: the
		// prover can still send the right one.
		let not_in_field: BoundedVec<_, _> = vec![[0xff; 32]].try_into().unwrap();
		assert_noop!(
			Jobs::submit_result(RuntimeOrigin::signed(prover()), job, not_in_field, proof()),
			Error::<Test>::OutputNotInField
		);
		System::set_block_number(6); // expires_at; the hook has not run yet
		assert_noop!(
			Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[42]), proof()),
			Error::<Test>::ProofDeadlinePassed
		);
	});
}

#[test]
fn submit_result_refunds_weight_to_the_path_taken() {
	new_test_ext().execute_with(|| {
		use crate::WeightInfo;
		let (_, job) = locked_job();
		let info = Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[42]), valid_proof(job, &prover())).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::submit_result(4)));
		let circuit = Jobs::job(job).unwrap().circuit;
		let job = submit_product(circuit, 6, 7);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
		let info = Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[1]), valid_proof(job, &prover())).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::submit_result_invalid(4)));
	});
}

#[test]
fn completions_are_reported_with_their_timeliness_and_diamond_provers_pay_less() {
	new_test_ext().execute_with(|| {
		// Proof window 5 blocks: proven 2 blocks after locking is on time.
		let (circuit, job) = locked_job();
		run_to_block(3);
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[42]), valid_proof(job, &prover())));
		// Proven 3 blocks after locking is late (but valid); a Diamond prover pays 8%.
		DIAMOND.with(|d| d.borrow_mut().push(prover()));
		let late = submit_product(circuit, 6, 7);
		run_to_block(20); // price 60 (ramp over)
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), late));
		run_to_block(23);
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover()), late, outputs(&[42]), valid_proof(late, &prover())));
		System::assert_last_event(
			Event::JobCompleted { job: late, prover: prover(), price: 60, paid: 55, fee: 5, refund: 0, outputs: outputs(&[42]) }
				.into(),
		);
		let reported: Vec<_> = COMPLETIONS.with(|c| c.borrow().iter().map(|c| (c.work, c.price, c.on_time, c.requester.clone())).collect());
		assert_eq!(reported, vec![(WorkId::Job(job), 10, true, requester()), (WorkId::Job(late), 60, false, requester())]);
		Jobs::do_try_state().unwrap();
	});
}
