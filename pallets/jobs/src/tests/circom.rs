//! Jobs on circom circuits: artifacts stored, charged and pruned with the job; circom's order
//! of public signals; the binding refuses a proof made for another job or prover; malformed
//! artifacts refused with nothing held.

use super::*;
use crate::{mock::*, Artifact, CircomJob, CircomJobs, Error, Event, InputData, JobStatus, Jobs as JobRecords, Offence};
use frame_support::{assert_noop, assert_ok};

fn artifact(url: &str) -> Artifact {
	Artifact { sha256: [9; 32], size: 1234, location: url.as_bytes().to_vec().try_into().unwrap() }
}

fn circom_job() -> CircomJob {
	CircomJob {
		wasm: artifact("http://127.0.0.1:8090/wasm"),
		zkey: artifact("https://example.org/product.zkey"),
		input: InputData::Committed(artifact("http://127.0.0.1:8090/input")),
	}
}

fn circom_circuit() -> CircuitId {
	register_key(circom_product_keys().1.clone())
}

fn submit_circom(circuit: CircuitId, circom: CircomJob) -> JobId {
	let id = NextJobId::<Test>::get();
	assert_ok!(Jobs::submit_circom(RuntimeOrigin::signed(requester()), circuit, inputs(&[6, 7]), terms(), Box::new(circom)));
	id
}

fn circom_proof(job: JobId, who: &AccountId) -> Box<cloudana_groth16::Proof> {
	Box::new(prove_circom_product(&Jobs::binding(WorkId::Job(job), who), 6, 7))
}

#[test]
fn a_circom_job_keeps_its_artifacts_pays_for_them_and_is_proven_in_circoms_order() {
	new_test_ext().execute_with(|| {
		let circuit = circom_circuit();
		register_prover(&prover(), circuit, 1_000);
		let plain = submit_product(product_circuit(), 6, 7);
		let plain_deposit = JobRecords::<Test>::get(plain).unwrap().deposit;
		let job = submit_circom(circuit, circom_job());
		assert_eq!(CircomJobs::<Test>::get(job), Some(circom_job()));
		let record = JobRecords::<Test>::get(job).unwrap();
		assert!(record.deposit > plain_deposit, "the artifacts' bytes are charged: {} vs {plain_deposit}", record.deposit);
		assert_eq!(record.outputs, 1);
		// The statement is circom's: outputs ‖ binding ‖ inputs.
		let binding = Jobs::binding(WorkId::Job(job), &prover());
		assert_eq!(Jobs::statement(WorkId::Job(job), &prover(), &[scalar(6), scalar(7)], &[scalar(42)]), vec![
			scalar(42),
			binding,
			scalar(6),
			scalar(7)
		]);
		let (issuance, sum) = totals();
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover()), job, outputs(&[42]), circom_proof(job, &prover())));
		assert!(matches!(JobRecords::<Test>::get(job).unwrap().status, JobStatus::Completed { .. }));
		assert_eq!(totals(), (issuance, sum));
		Jobs::do_try_state().unwrap();
		// Pruned with the job, deposit released.
		run_to_block(60);
		assert!(!JobRecords::<Test>::contains_key(job));
		assert!(!CircomJobs::<Test>::contains_key(job));
		assert_eq!(deposit(&requester()), 0);
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn a_proof_bound_to_another_job_or_prover_is_refused_as_invalid() {
	new_test_ext().execute_with(|| {
		let circuit = circom_circuit();
		register_prover(&prover(), circuit, 1_000);
		register_prover(&other_prover(), circuit, 1_000);
		let first = submit_circom(circuit, circom_job());
		let second = submit_circom(circuit, circom_job());
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), first));
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(other_prover()), second));
		// The other prover's proof of the second job, replayed by the first prover for the first.
		let stolen = circom_proof(second, &other_prover());
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover()), first, outputs(&[42]), stolen.clone()));
		assert_eq!(JobRecords::<Test>::get(first).unwrap().status, JobStatus::Open);
		// A proof for the right job but another prover.
		let borrowed = circom_proof(second, &prover());
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(other_prover()), second, outputs(&[42]), borrowed));
		assert_eq!(JobRecords::<Test>::get(second).unwrap().status, JobStatus::Open);
		assert_eq!(offences(), vec![
			(prover(), WorkId::Job(first), Offence::InvalidProof),
			(other_prover(), WorkId::Job(second), Offence::InvalidProof)
		]);
		// A proof in the plain order is no proof of a circom job either.
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(other_prover()), first));
		let plain_order = Box::new(prove_product(&Jobs::binding(WorkId::Job(first), &other_prover()), 6, 7));
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(other_prover()), first, outputs(&[42]), plain_order));
		assert!(!matches!(JobRecords::<Test>::get(first).unwrap().status, JobStatus::Completed { .. }));
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn malformed_artifacts_are_refused_and_nothing_is_held() {
	new_test_ext().execute_with(|| {
		let circuit = circom_circuit();
		let mut bad = Vec::new();
		for url in ["ftp://x/y", "file:///etc/passwd", "http://", "127.0.0.1:8090/x", "http://a b/c"] {
			let mut job = circom_job();
			job.zkey.location = url.as_bytes().to_vec().try_into().unwrap();
			bad.push(job);
		}
		let mut empty = circom_job();
		empty.wasm.size = 0;
		bad.push(empty);
		let mut public = circom_job();
		public.input = InputData::Public(Default::default());
		bad.push(public);
		for circom in bad {
			assert_noop!(
				Jobs::submit_circom(RuntimeOrigin::signed(requester()), circuit, inputs(&[6, 7]), terms(), Box::new(circom)),
				Error::<Test>::MalformedArtifacts
			);
		}
		// A public input is fine, and the usual checks still apply.
		let mut public = circom_job();
		public.input = InputData::Public(br#"{"a": 6, "b": 7}"#.to_vec().try_into().unwrap());
		assert_noop!(
			Jobs::submit_circom(RuntimeOrigin::signed(requester()), CircuitId::from([1; 32]), inputs(&[6, 7]), terms(), Box::new(public.clone())),
			Error::<Test>::CircuitNotFound
		);
		let job = submit_circom(circuit, public);
		System::assert_has_event(Event::JobSubmitted {
			job,
			requester: requester(),
			circuit,
			max_price: 60,
			deposit: JobRecords::<Test>::get(job).unwrap().deposit,
			lock_expires_at: 21,
		}.into());
	});
}
