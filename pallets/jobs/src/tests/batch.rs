//! `submit_results`: many results in one extrinsic, verified in one batch per key, each settled
//! as the single call settles it; refusals, bisection and weights.

use super::*;
use crate::{Error, Event, JobStatus, KeyResults, BatchedResult, Offence, VerifyError};
use cloudana_groth16::Groth16Error;
use frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo};

/// `k` jobs `6 · 7 = ?` locked by `prover()`.
fn locked_jobs(k: u32) -> (CircuitId, Vec<JobId>) {
	let circuit = product_circuit();
	register_prover(&prover(), circuit, 100_000);
	let jobs = (0..k)
		.map(|_| {
			let job = submit_product(circuit, 6, 7);
			assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
			job
		})
		.collect();
	(circuit, jobs)
}

fn result(job: JobId, output: u64) -> BatchedResult<Test> {
	BatchedResult { work: WorkId::Job(job), outputs: outputs(&[output]), proof: *valid_proof(job, &prover()) }
}

fn call(circuit: CircuitId, results: Vec<BatchedResult<Test>>) -> crate::Call<Test> {
	crate::Call::submit_results {
		batches: vec![KeyResults { circuit, results: results.try_into().unwrap() }].try_into().unwrap(),
	}
}

fn submit(circuit: CircuitId, results: Vec<BatchedResult<Test>>) -> frame_support::dispatch::DispatchResultWithPostInfo {
	let batches = vec![KeyResults { circuit, results: results.try_into().unwrap() }].try_into().unwrap();
	Jobs::submit_results(RuntimeOrigin::signed(prover()), batches)
}

fn completed(job: JobId) -> bool {
	matches!(Jobs::job(job).unwrap().status, JobStatus::Completed { .. })
}

#[test]
fn a_valid_batch_pays_every_result_and_refunds_the_bisection_allowance() {
	new_test_ext().execute_with(|| {
		let (circuit, jobs) = locked_jobs(4);
		let (issuance, sum) = totals();
		let prover_before = Balances::total_balance(&prover());
		let results: Vec<_> = jobs.iter().map(|j| result(*j, 42)).collect();
		let declared = call(circuit, results.clone()).get_dispatch_info().call_weight;
		let post = submit(circuit, results).unwrap();
		let actual = post.actual_weight.unwrap();
		assert!(actual.all_lte(declared) && actual != declared, "actual {actual:?}, declared {declared:?}");
		for job in &jobs {
			assert!(completed(*job));
		}
		// Each paid price 10 less the 10% fee, as four single calls would.
		assert_eq!(Balances::total_balance(&prover()), prover_before + 4 * 9);
		assert_eq!((collateral(&prover()), reserved(&prover())), (0, 0));
		assert_eq!(totals(), (issuance, sum));
		assert_eq!(consumers(&circuit), 0);
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn an_invalid_proof_is_found_and_only_it_is_an_offence() {
	new_test_ext().execute_with(|| {
		let (circuit, jobs) = locked_jobs(5);
		let (issuance, sum) = totals();
		let mut results: Vec<_> = jobs.iter().map(|j| result(*j, 42)).collect();
		results[3] = result(jobs[3], 43); // claims 6 · 7 = 43 with the proof of 42
		assert_ok!(submit(circuit, results));
		for (i, job) in jobs.iter().enumerate() {
			assert_eq!(completed(*job), i != 3, "job {i}");
		}
		assert_eq!(Jobs::job(jobs[3]).unwrap().status, JobStatus::Open, "reopened for others");
		System::assert_has_event(
			Event::ProofRejected {
				work: WorkId::Job(jobs[3]),
				prover: prover(),
				reason: VerifyError::Rejected(Groth16Error::ProofInvalid),
				burned: 50,
			}
			.into(),
		);
		assert_eq!(offences(), vec![(prover(), WorkId::Job(jobs[3]), Offence::InvalidProof)]);
		assert_eq!(totals(), (issuance - 50, sum - 50), "only the invalid result's collateral is burned");
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn a_batch_of_only_invalid_proofs_never_pays_and_stays_within_its_weight() {
	new_test_ext().execute_with(|| {
		let (circuit, jobs) = locked_jobs(8);
		let (issuance, _) = totals();
		let results: Vec<_> = jobs.iter().map(|j| result(*j, 41)).collect();
		let declared = call(circuit, results.clone()).get_dispatch_info().call_weight;
		let actual = submit(circuit, results).unwrap().actual_weight.unwrap();
		assert!(actual.all_lte(declared), "actual {actual:?} above declared {declared:?}");
		let mut burned = 0;
		for job in &jobs {
			match Jobs::job(*job).unwrap().status {
				JobStatus::Open => burned += 50, // found invalid: burned, reopened
				JobStatus::Locked(_) => {},      // deferred: untouched
				other => panic!("an invalid proof settled as {other:?}"),
			}
		}
		assert!(burned > 0, "the bisection finds at least one");
		assert_eq!(Balances::total_issuance(), issuance - burned);
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn results_that_fail_their_checks_are_refused_alone() {
	new_test_ext().execute_with(|| {
		let (circuit, jobs) = locked_jobs(2);
		// A job locked by another prover, and one on another circuit.
		register_prover(&other_prover(), circuit, 100_000);
		let theirs = submit_product(circuit, 6, 7);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(other_prover()), theirs));
		let open = submit_product(circuit, 6, 7);
		let mut results = vec![result(jobs[0], 42), result(theirs, 42), result(open, 42), result(jobs[1], 42)];
		results[1].proof = *valid_proof(theirs, &other_prover());
		assert_ok!(submit(circuit, results));
		assert!(completed(jobs[0]) && completed(jobs[1]));
		System::assert_has_event(Event::ResultRefused { work: WorkId::Job(theirs), error: Error::<Test>::NotJobProver.into() }.into());
		System::assert_has_event(Event::ResultRefused { work: WorkId::Job(open), error: Error::<Test>::JobNotLocked.into() }.into());
		assert!(matches!(Jobs::job(theirs).unwrap().status, JobStatus::Locked(_)), "another prover's lock is untouched");
		assert_eq!(Jobs::job(open).unwrap().status, JobStatus::Open);
		assert!(offences().is_empty());
		// Sent under the wrong key: refused, not verified.
		let (other, _) = (register_key(circom_product_keys().1.clone()), ());
		let job = submit_product(circuit, 6, 7);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
		assert_ok!(submit(other, vec![result(job, 42)]));
		System::assert_last_event(Event::ResultRefused { work: WorkId::Job(job), error: Error::<Test>::WrongCircuit.into() }.into());
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn malformed_calls_are_rejected_whole() {
	new_test_ext().execute_with(|| {
		let (circuit, jobs) = locked_jobs(2);
		let empty: frame_support::BoundedVec<KeyResults<Test>, _> = vec![].try_into().unwrap();
		assert_noop!(Jobs::submit_results(RuntimeOrigin::signed(prover()), empty), Error::<Test>::BadBatchSize);
		let no_results = vec![KeyResults { circuit, results: vec![].try_into().unwrap() }].try_into().unwrap();
		assert_noop!(Jobs::submit_results(RuntimeOrigin::signed(prover()), no_results), Error::<Test>::BadBatchSize);
		assert_noop!(submit(circuit, vec![result(jobs[0], 42), result(jobs[0], 42)]), Error::<Test>::DuplicateInBatch);
		let same_key = vec![
			KeyResults { circuit, results: vec![result(jobs[0], 42)].try_into().unwrap() },
			KeyResults { circuit, results: vec![result(jobs[1], 42)].try_into().unwrap() },
		]
		.try_into()
		.unwrap();
		assert_noop!(Jobs::submit_results(RuntimeOrigin::signed(prover()), same_key), Error::<Test>::DuplicateInBatch);
		// More than MaxBatch (8) in all, across two keys.
		let other = register_key(circom_product_keys().1.clone());
		let five = |c| KeyResults::<Test> { circuit: c, results: vec![result(jobs[0], 42); 5].try_into().unwrap() };
		let too_many = vec![five(circuit), five(other)].try_into().unwrap();
		assert_noop!(Jobs::submit_results(RuntimeOrigin::signed(prover()), too_many), Error::<Test>::BadBatchSize);
		assert!(Jobs::submit_results(RuntimeOrigin::none(), vec![].try_into().unwrap()).is_err());
	});
}
