//! The off-chain worker against a scripted proving daemon: it locks what it can prove, hands
//! locked jobs to the daemon, and submits the daemon's proof as a signed extrinsic.

use super::*;
use crate::{mock::*, offchain::{ENDPOINT_KEY, RETRY_BLOCKS}, Call, JobStatus, KEY_TYPE};
use codec::{Decode, Encode};
use frame_support::{assert_ok, traits::{fungible::Mutate, Hooks}};
use sp_core::{
	offchain::{testing, OffchainDbExt, OffchainWorkerExt, StorageKind, TransactionPoolExt},
	sr25519,
};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use std::sync::Arc;

const URL: &str = "http://127.0.0.1:9955";

struct World {
	ext: sp_io::TestExternalities,
	http: Arc<parking_lot::RwLock<testing::OffchainState>>,
	pool: Arc<parking_lot::RwLock<testing::PoolState>>,
	key: AccountId,
}

fn world() -> World {
	let (offchain, http) = testing::TestOffchainExt::new();
	let (pool_ext, pool) = testing::TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	let public: sr25519::Public = keystore.sr25519_generate_new(KEY_TYPE, Some("//CloudanaProver")).unwrap();
	let mut ext = new_test_ext();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool_ext));
	ext.register_extension(KeystoreExt::new(keystore));
	World { ext, http, pool, key: AccountId::from(public.0) }
}

fn set_endpoint() {
	sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, ENDPOINT_KEY, &URL.as_bytes().to_vec().encode());
}

fn rpc(http: &Arc<parking_lot::RwLock<testing::OffchainState>>, body: String, result: serde_json::Value) {
	http.write().expect_request(testing::PendingRequest {
		method: "POST".into(),
		uri: URL.into(),
		headers: vec![("Content-Type".into(), "application/json".into())],
		body: body.into_bytes(),
		response: Some(serde_json::json!({"jsonrpc": "2.0", "id": 1, "result": result}).to_string().into_bytes()),
		sent: true,
		..Default::default()
	});
}

fn capabilities(http: &Arc<parking_lot::RwLock<testing::OffchainState>>, circuit: CircuitId) {
	rpc(
		http,
		r#"{"jsonrpc":"2.0","id":1,"method":"prover_capabilities","params":[]}"#.into(),
		serde_json::json!({"circuits": [format!("0x{}", hex::encode(circuit.0))], "accepting": true, "version": "test"}),
	);
}

fn status(http: &Arc<parking_lot::RwLock<testing::OffchainState>>, binding: &[u8; 32], result: serde_json::Value) {
	rpc(
		http,
		format!(r#"{{"jsonrpc":"2.0","id":1,"method":"prover_status","params":[{{"binding":"{}"}}]}}"#, hex32(binding)),
		result,
	);
}

fn hex32(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

fn pooled_calls(pool: &Arc<parking_lot::RwLock<testing::PoolState>>) -> Vec<RuntimeCall> {
	pool.write()
		.transactions
		.drain(..)
		.map(|raw| Extrinsic::decode(&mut &raw[..]).unwrap().function)
		.collect()
}

#[test]
fn without_an_endpoint_the_worker_does_nothing() {
	let mut w = world();
	w.ext.execute_with(|| {
		open_job();
		Jobs::offchain_worker(1);
	});
	assert!(w.pool.read().transactions.is_empty());
}

#[test]
fn the_worker_locks_an_open_job_it_can_prove_once() {
	let mut w = world();
	let http = w.http.clone();
	w.ext.execute_with(|| {
		set_endpoint();
		let (circuit, job) = open_job();
		Balances::set_balance(&w.key, RICH);
		register_prover(&w.key, circuit, 1_000);
		capabilities(&http, circuit);
		Jobs::offchain_worker(1);
		assert_eq!(pooled_calls(&w.pool), vec![RuntimeCall::Jobs(Call::lock { job })]);
		// The next run does not resend within RETRY_BLOCKS.
		capabilities(&http, circuit);
		Jobs::offchain_worker(2);
		assert!(pooled_calls(&w.pool).is_empty());
		// After that, it tries again if the job is still open.
		capabilities(&http, circuit);
		Jobs::offchain_worker(1 + RETRY_BLOCKS as u64);
		assert_eq!(pooled_calls(&w.pool), vec![RuntimeCall::Jobs(Call::lock { job })]);
	});
}

#[test]
fn the_worker_stops_locking_while_its_prover_is_suspended() {
	let mut w = world();
	let http = w.http.clone();
	w.ext.execute_with(|| {
		set_endpoint();
		let (circuit, job) = open_job();
		Balances::set_balance(&w.key, RICH);
		register_prover(&w.key, circuit, 1_000);
		pallet_prover_staking::Pallet::<Test>::suspend(&w.key, 5);
		capabilities(&http, circuit);
		Jobs::offchain_worker(1);
		assert!(pooled_calls(&w.pool).is_empty(), "a suspended prover locks nothing");
		run_to_block(5);
		capabilities(&http, circuit);
		Jobs::offchain_worker(5);
		assert_eq!(pooled_calls(&w.pool), vec![RuntimeCall::Jobs(Call::lock { job })], "it resumes when the suspension ends");
	});
}

#[test]
fn the_worker_skips_circuits_the_daemon_cannot_prove() {
	let mut w = world();
	let http = w.http.clone();
	w.ext.execute_with(|| {
		set_endpoint();
		let (circuit, _) = open_job();
		Balances::set_balance(&w.key, RICH);
		register_prover(&w.key, circuit, 1_000);
		capabilities(&http, CircuitId::repeat_byte(9));
		Jobs::offchain_worker(1);
		assert!(pooled_calls(&w.pool).is_empty());
	});
}

#[test]
fn the_worker_hands_a_locked_job_over_and_submits_the_proof() {
	let mut w = world();
	let http = w.http.clone();
	w.ext.execute_with(|| {
		set_endpoint();
		let circuit = product_circuit();
		Balances::set_balance(&w.key, RICH);
		register_prover(&w.key, circuit, 1_000);
		let job = submit_product(circuit, 6, 7);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(w.key.clone()), job));
		let binding = Jobs::binding(job, &w.key);

		// Block 1: the daemon does not know the task; the worker hands it over.
		capabilities(&http, circuit);
		status(&http, &binding, serde_json::json!({"state": "unknown"}));
		rpc(
			&http,
			format!(
				r#"{{"jsonrpc":"2.0","id":1,"method":"prover_submit","params":[{{"job_id":{job},"circuit":"{}","binding":"{}","inputs":["{}","{}"],"outputs":1}}]}}"#,
				hex32(&circuit.0),
				hex32(&binding),
				hex32(&scalar(6)),
				hex32(&scalar(7))
			),
			serde_json::json!({"state": "queued", "job_id": job}),
		);
		Jobs::offchain_worker(1);
		assert!(pooled_calls(&w.pool).is_empty());

		// Block 2: the proof is ready; the worker submits it, signed by the prover key.
		let proof = prove_product(&binding, 6, 7);
		capabilities(&http, circuit);
		status(
			&http,
			&binding,
			serde_json::json!({"state": "done", "job_id": job, "outputs": [hex32(&scalar(42))], "proof": hex32(&proof.to_bytes())}),
		);
		Jobs::offchain_worker(2);
		let calls = pooled_calls(&w.pool);
		assert_eq!(
			calls,
			vec![RuntimeCall::Jobs(Call::submit_result { job, outputs: outputs(&[42]), proof: Box::new(proof) })]
		);

		// Dispatching what the worker built completes the job.
		let RuntimeCall::Jobs(Call::submit_result { job, outputs, proof }) = calls[0].clone() else { unreachable!() };
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(w.key.clone()), job, outputs, proof));
		assert!(matches!(Jobs::job(job).unwrap().status, JobStatus::Completed { .. }));
	});
}

#[test]
fn an_unreachable_daemon_is_logged_not_fatal() {
	let mut w = world();
	let http = w.http.clone();
	w.ext.execute_with(|| {
		set_endpoint();
		let (circuit, _) = open_job();
		Balances::set_balance(&w.key, RICH);
		register_prover(&w.key, circuit, 1_000);
		http.write().expect_request(testing::PendingRequest {
			method: "POST".into(),
			uri: URL.into(),
			headers: vec![("Content-Type".into(), "application/json".into())],
			body: br#"{"jsonrpc":"2.0","id":1,"method":"prover_capabilities","params":[]}"#.to_vec(),
			response: Some(b"not json".to_vec()),
			sent: true,
			..Default::default()
		});
		Jobs::offchain_worker(1);
		assert!(pooled_calls(&w.pool).is_empty());
	});
}

#[test]
fn a_job_whose_result_was_refused_is_not_locked_again() {
	let mut w = world();
	let http = w.http.clone();
	w.ext.execute_with(|| {
		set_endpoint();
		let circuit = product_circuit();
		Balances::set_balance(&w.key, RICH);
		register_prover(&w.key, circuit, 1_000);
		let job = submit_product(circuit, 6, 7);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(w.key.clone()), job));
		let binding = Jobs::binding(job, &w.key);
		// The daemon returns a proof of the wrong statement; the worker submits it.
		let wrong = prove_product(&binding, 6, 8);
		capabilities(&http, circuit);
		status(
			&http,
			&binding,
			serde_json::json!({"state": "done", "outputs": [hex32(&scalar(42))], "proof": hex32(&wrong.to_bytes())}),
		);
		Jobs::offchain_worker(1);
		let calls = pooled_calls(&w.pool);
		let RuntimeCall::Jobs(Call::submit_result { job, outputs, proof }) = calls[0].clone() else { panic!("{calls:?}") };
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(w.key.clone()), job, outputs, proof));
		assert_eq!(Jobs::job(job).unwrap().status, JobStatus::Open);
		// The job is open again, but this node leaves it alone, even after RETRY_BLOCKS.
		capabilities(&http, circuit);
		Jobs::offchain_worker(2 + RETRY_BLOCKS as u64);
		assert!(pooled_calls(&w.pool).is_empty());
	});
}

#[test]
fn the_worker_locks_grid_slots_hands_them_over_with_their_training_and_submits_the_results() {
	use crate::{grid_binding_job, GridTerms, SlotState};
	let mut w = world();
	let http = w.http.clone();
	w.ext.execute_with(|| {
		set_endpoint();
		let circuit = product_circuit();
		Balances::set_balance(&w.key, RICH);
		register_prover(&w.key, circuit, 10_000);
		let slots: BoundedVec<BoundedVec<u8, _>, _> = vec![b"lr=0.1,epochs=3".to_vec().try_into().unwrap()].try_into().unwrap();
		assert_ok!(Jobs::submit_grid(
			RuntimeOrigin::signed(requester()),
			circuit,
			inputs(&[6, 7]),
			slots,
			0,
			GridTerms { bounty: 100, collateral: 0, proof_timeout: 20, duration: 30 }
		));

		// Block 1: the open slot is locked by the local key.
		capabilities(&http, circuit);
		Jobs::offchain_worker(1);
		assert_eq!(pooled_calls(&w.pool), vec![RuntimeCall::Jobs(Call::lock_slot { grid: 0, slot: 0 })]);
		assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(w.key.clone()), 0, 0));

		// Block 2: handed to the daemon with the slot's training.
		let binding = Jobs::binding(grid_binding_job(0, 0), &w.key);
		capabilities(&http, circuit);
		status(&http, &binding, serde_json::json!({"state": "unknown"}));
		rpc(
			&http,
			format!(
				r#"{{"jsonrpc":"2.0","id":1,"method":"prover_submit","params":[{{"job_id":{},"circuit":"{}","binding":"{}","inputs":["{}","{}"],"outputs":1,"training":{{"params":"lr=0.1,epochs=3","grid":0,"slot":0}}}}]}}"#,
				grid_binding_job(0, 0),
				hex32(&circuit.0),
				hex32(&binding),
				hex32(&scalar(6)),
				hex32(&scalar(7))
			),
			serde_json::json!({"state": "queued"}),
		);
		Jobs::offchain_worker(2);
		assert!(pooled_calls(&w.pool).is_empty());

		// Block 3: proven; the worker submits the slot's result, which closes the grid.
		let proof = prove_product(&binding, 6, 7);
		capabilities(&http, circuit);
		status(&http, &binding, serde_json::json!({"state": "done", "outputs": [hex32(&scalar(42))], "proof": hex32(&proof.to_bytes())}));
		Jobs::offchain_worker(3);
		let calls = pooled_calls(&w.pool);
		assert_eq!(
			calls,
			vec![RuntimeCall::Jobs(Call::submit_slot_result { grid: 0, slot: 0, outputs: outputs(&[42]), proof: Box::new(proof) })]
		);
		let RuntimeCall::Jobs(Call::submit_slot_result { grid, slot, outputs, proof }) = calls[0].clone() else { unreachable!() };
		assert_ok!(Jobs::submit_slot_result(RuntimeOrigin::signed(w.key.clone()), grid, slot, outputs, proof));
		assert!(matches!(crate::GridJobs::<Test>::get(0).unwrap().slots[0].state, SlotState::Proven { metric: 42, .. }));
	});
}
