//! A block filled with batched results on the real runtime: signed `Jobs::submit_results`
//! extrinsics (one key, 4-input statements, every proof valid) applied through
//! `Executive::apply_extrinsic` — transaction extensions and `CheckWeight` included — the
//! largest batch that still fits each time, as a block author packs them, until none fits. The
//! number of results paid must be what the benchmarked weights promise
//! (`cloudana_runtime::capacity::results_per_block`, which `scripts/bench-verify.sh` prints).
//!
//! Proofs come from a simulated key (`cloudana_groth16_simulator`, known trapdoor): real
//! Groth16 proofs that the runtime verifies in full; only their making is cheap.

use crate::common;

use cloudana_groth16::encoding::encode_fr;
use cloudana_groth16_simulator::Trapdoor;
use cloudana_runtime::{
	capacity, Balances, Executive, Header, Jobs, ProverStaking, Runtime, RuntimeCall, RuntimeOrigin, SignedPayload,
	System, UncheckedExtrinsic, Verifier, CLD,
};
use codec::Encode;
use frame_support::{assert_ok, traits::{fungible::Mutate, Get}};
use pallet_jobs::{BatchedResult, JobStatus, JobTerms, KeyResults, WorkId};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	traits::Header as _,
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	Digest, DigestItem,
};

fn signed(call: RuntimeCall, who: Sr25519Keyring, nonce: u32) -> UncheckedExtrinsic {
	let extensions = capacity::extensions(nonce);
	let payload = SignedPayload::new(call.clone(), extensions.clone()).unwrap();
	let signature = payload.using_encoded(|bytes| who.sign(bytes));
	UncheckedExtrinsic::new_signed(call, who.to_account_id().into(), signature.into(), extensions)
}

#[test]
fn a_block_holds_as_many_batched_results_as_the_weights_promise() {
	let promised = capacity::results_per_block(4, 1);
	let max_batch: u32 = <Runtime as pallet_jobs::Config>::MaxBatch::get();
	println!("the weights promise {promised} results per block (batches of {max_batch})");
	let mut ext = common::dev_ext();
	ext.execute_with(|| {
		// A key of 4 inputs: binding, 2 requester inputs, 1 output.
		let trapdoor = Trapdoor::new(b"capacity", 4);
		let vk = trapdoor.verifying_key();
		let circuit = sp_core::H256(cloudana_groth16::statement::vk_id(&vk));
		let owner = RuntimeOrigin::signed(Sr25519Keyring::Ferdie.to_account_id());
		assert_ok!(Verifier::register_vk(owner, Box::new(vk.try_map_ic(TryInto::try_into).unwrap())));
		let prover = Sr25519Keyring::Bob.to_account_id();
		Balances::set_balance(&prover, 1_000_000_000 * CLD);
		assert_ok!(ProverStaking::register(
			RuntimeOrigin::signed(prover.clone()),
			100_000_000 * CLD,
			vec![circuit].try_into().unwrap()
		));
		let requesters = [Sr25519Keyring::Alice, Sr25519Keyring::Charlie, Sr25519Keyring::Dave, Sr25519Keyring::Eve];
		for r in &requesters {
			Balances::set_balance(&r.to_account_id(), 1_000_000_000 * CLD);
		}
		let terms = JobTerms { min_price: CLD, max_price: CLD, ramp_blocks: 0, lock_timeout: 100, proof_timeout: 50, collateral: 0 };
		let output = [encode_fr(&ark_bn254::Fr::from(42u64))];
		// More results than a block can hold.
		let count = promised + max_batch;
		let mut results = Vec::with_capacity(count as usize);
		for i in 0..count {
			let requester = requesters[i as usize % requesters.len()].to_account_id();
			let job = pallet_jobs::NextJobId::<Runtime>::get();
			let inputs = vec![encode_fr(&ark_bn254::Fr::from(i as u64)), encode_fr(&ark_bn254::Fr::from(7u64))];
			assert_ok!(Jobs::submit(RuntimeOrigin::signed(requester), circuit, inputs.clone().try_into().unwrap(), terms.clone()));
			assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover.clone()), job));
			let statement = Jobs::statement(WorkId::Job(job), &prover, &inputs, &output);
			let proof = trapdoor.prove(&statement).unwrap();
			results.push(BatchedResult::<Runtime> { work: WorkId::Job(job), outputs: output.to_vec().try_into().unwrap(), proof });
		}
		let call = |batch: &[BatchedResult<Runtime>]| {
			RuntimeCall::Jobs(pallet_jobs::Call::submit_results {
				batches: vec![KeyResults { circuit, results: batch.to_vec().try_into().unwrap() }].try_into().unwrap(),
			})
		};

		// The next block, as an Aura author starts it.
		let number = System::block_number() + 1;
		let slot = sp_consensus_aura::Slot::from(number as u64 + 1_000);
		let digest = Digest { logs: vec![DigestItem::PreRuntime(sp_consensus_aura::AURA_ENGINE_ID, slot.encode())] };
		let header = Header::new(number, Default::default(), Default::default(), System::parent_hash(), digest);
		Executive::initialize_block(&header);
		let timestamp = RuntimeCall::Timestamp(pallet_timestamp::Call::set { now: u64::from(slot) * cloudana_runtime::SLOT_DURATION });
		assert_ok!(Executive::apply_extrinsic(UncheckedExtrinsic::new_bare(timestamp)).unwrap());

		let mut nonce = System::account_nonce(&prover);
		let (mut next, mut included, mut extrinsics) = (0usize, 0u32, 0u32);
		loop {
			let left = results.len() - next;
			// The largest batch that still fits, as the author would find it.
			let mut size = left.min(max_batch as usize);
			let applied = loop {
				if size == 0 {
					break None;
				}
				// As the author does: each attempt in a storage transaction, rolled back if refused.
				sp_io::storage::start_transaction();
				let attempt = Executive::apply_extrinsic(signed(call(&results[next..next + size]), Sr25519Keyring::Bob, nonce));
				if attempt.is_ok() {
					sp_io::storage::commit_transaction();
				} else {
					sp_io::storage::rollback_transaction();
				}
				match attempt {
					Ok(outcome) => break Some(outcome),
					Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)) => size -= 1,
					Err(other) => panic!("a batch of {size} refused: {other:?}"),
				}
			};
			let Some(outcome) = applied else { break };
			assert_ok!(outcome);
			nonce += 1;
			next += size;
			included += size as u32;
			extrinsics += 1;
			if next == results.len() {
				panic!("every prepared result fit; the test must prepare more than a block holds");
			}
		}
		let paid = results[..included as usize]
			.iter()
			.filter(|r| {
				let WorkId::Job(job) = r.work else { return false };
				matches!(Jobs::job(job).unwrap().status, JobStatus::Completed { .. })
			})
			.count() as u32;
		let weight = frame_system::BlockWeight::<Runtime>::get();
		println!(
			"{included} results in {extrinsics} extrinsics fit; normal-class weight used {:.3} s",
			weight.get(frame_support::dispatch::DispatchClass::Normal).ref_time() as f64 / 1e12
		);
		assert_eq!(paid, included, "every included result was verified and paid");
		assert_eq!(included, promised, "what fits is what the weights promise");
		assert!(promised >= 1_000, "the goal: at least 1 000 results per block, got {promised}");
	});
}
