//! A proven Iris accuracy job through the real runtime: its configuration (economics, holds,
//! the verifier and staking wired to pallet-jobs), with a real proof from `cloudana-circuits`;
//! and a Wine grid slot whose prover claims more than its trained model reaches.


use cloudana_circuits::{keys, mlp, prove_accuracy};
use cloudana_groth16::encoding::encode_fr;
use cloudana_runtime::{
	configs::TreasuryAccount, Balances, Jobs, ProverStaking, Runtime, RuntimeOrigin, System, Verifier, CLD,
};
use crate::common::*;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::Inspect,
};
use pallet_jobs::{Ineligibility, JobStatus, JobTerms, WorkId};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave};
use std::path::PathBuf;

fn root() -> PathBuf {
	// The manifest dir at run time (cargo sets it), not at build time: a shared target dir may
	// hold binaries built from another checkout.
	PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into())).join("..")
}

fn iris_data() -> (mlp::Model, mlp::Dataset) {
	let datasets = std::env::var("CLOUDANA_DATASETS").map(PathBuf::from).unwrap_or_else(|_| root().join("data"));
	(
		mlp::Model::read(&root().join("circuits/models/iris-mlp.json")).unwrap(),
		mlp::Dataset::read_holdout(&datasets.join("iris.csv")).unwrap(),
	)
}

fn register_iris_key() -> sp_core::H256 {
	let vk = keys::accuracy_vk(mlp::Spec::Iris);
	let id = sp_core::H256(cloudana_groth16::statement::vk_id(&vk));
	let vk = vk.try_map_ic(TryInto::try_into).unwrap();
	assert_ok!(Verifier::register_vk(RuntimeOrigin::signed(Alice.to_account_id()), Box::new(vk)));
	id
}

fn terms() -> JobTerms<u128, u32> {
	JobTerms { min_price: 5 * CLD, max_price: 20 * CLD, ramp_blocks: 10, lock_timeout: 100, proof_timeout: 50, collateral: CLD }
}

#[test]
fn an_iris_accuracy_job_is_proven_and_paid() {
	let (model, data) = iris_data();
	let pk = keys::dev_setup(mlp::Spec::Iris);
	dev_ext().execute_with(|| {
		let circuit = register_iris_key();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let treasury = TreasuryAccount::get();
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(bob.clone()), 500 * CLD, vec![circuit].try_into().unwrap()));
		let inputs = vec![encode_fr(&data.commitment()), encode_fr(&model.commitment())];
		assert_ok!(Jobs::submit(RuntimeOrigin::signed(alice.clone()), circuit, inputs.try_into().unwrap(), terms()));
		run_to_block(6); // price 5 + 15 · 5/10 = 12.5 CLD
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(bob.clone()), 0));

		let issuance = Balances::total_issuance();
		let (alice_before, bob_before, treasury_before) =
			(Balances::total_balance(&alice), Balances::total_balance(&bob), Balances::total_balance(&treasury));
		let binding = Jobs::binding(WorkId::Job(0), &bob);
		let proven = prove_accuracy(&pk, &binding, &model, &data).unwrap();
		let outputs = vec![proven.public_inputs[3]];
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(bob.clone()), 0, outputs.try_into().unwrap(), Box::new(proven.proof)));

		let JobStatus::Completed { price, fee, outputs, .. } = Jobs::job(0).unwrap().status else { panic!("not completed") };
		assert_eq!(price, 12 * CLD + CLD / 2);
		assert_eq!(fee, price / 10);
		assert_eq!(outputs[0], encode_fr(&ark_bn254::Fr::from(model.correct(&data) as u64)));
		assert_eq!(Balances::total_balance(&alice), alice_before - price);
		assert_eq!(Balances::total_balance(&bob), bob_before + price - fee);
		assert_eq!(Balances::total_balance(&treasury), treasury_before + fee);
		assert_eq!(Balances::total_issuance(), issuance);
		check_invariants();
		Verifier::do_try_state().unwrap();
		ProverStaking::do_try_state().unwrap();
	});
}

/// The rule with real parts: a prover that claims a higher accuracy than its trained
/// model reaches is not paid (the proof fails, the collateral is burned, the slot reopens); the
/// honest claim for the same model is proven and paid at the close.
#[test]
fn a_wine_grid_slot_claiming_more_than_its_model_reaches_is_rejected() {
	use cloudana_circuits::train::{slot_seed, train, HyperParams};
	use pallet_jobs::{GridJobs, GridStatus, GridTerms, SlotState};
	let datasets = std::env::var("CLOUDANA_DATASETS").map(PathBuf::from).unwrap_or_else(|_| root().join("data"));
	let wine = mlp::Dataset::read_csv(&datasets.join("wine_data.csv")).unwrap();
	let holdout = wine.holdout().unwrap();
	let pk = keys::dev_setup(mlp::Spec::Wine);
	dev_ext().execute_with(|| {
		let vk = keys::accuracy_vk(mlp::Spec::Wine);
		let circuit = sp_core::H256(cloudana_groth16::statement::vk_id(&vk));
		let (alice, bob, charlie, dave) = (Alice.to_account_id(), Bob.to_account_id(), Charlie.to_account_id(), Dave.to_account_id());
		assert_ok!(Verifier::register_vk(RuntimeOrigin::signed(alice.clone()), Box::new(vk.try_map_ic(TryInto::try_into).unwrap())));
		for prover in [&bob, &charlie, &dave] {
			assert_ok!(ProverStaking::register(RuntimeOrigin::signed(prover.clone()), 100 * CLD, vec![circuit].try_into().unwrap()));
		}
		let slots = vec![b"lr=0.002,epochs=20,hidden=8".to_vec().try_into().unwrap()];
		let terms = GridTerms { bounty: 9 * CLD, collateral: CLD, proof_timeout: 50, duration: 100 };
		let inputs = vec![encode_fr(&holdout.commitment())];
		assert_ok!(Jobs::submit_grid(RuntimeOrigin::signed(alice.clone()), circuit, inputs.try_into().unwrap(), slots.try_into().unwrap(), 1, terms));
		let grid = 0;
		let model = train(&wine.training(), &HyperParams::parse("lr=0.002,epochs=20").unwrap(), slot_seed(grid, 0));
		let correct = model.correct(&holdout);
		assert!(correct < holdout.samples.len() as u32, "the model misses at least one sample, so a higher claim exists");

		// Bob proves his model honestly but claims one more correct sample than it reaches.
		assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(bob.clone()), grid, 0));
		let (alice_before, bob_before) = (Balances::total_balance(&alice), Balances::total_balance(&bob));
		let proven = prove_accuracy(&pk, &Jobs::binding(WorkId::Slot(grid, 0), &bob), &model, &holdout).unwrap();
		let inflated = vec![proven.public_inputs[2], encode_fr(&ark_bn254::Fr::from(correct as u64 + 1))];
		assert_ok!(Jobs::submit_slot_result(
			RuntimeOrigin::signed(bob.clone()),
			grid,
			0,
			inflated.try_into().unwrap(),
			Box::new(proven.proof.clone())
		));
		assert_eq!(GridJobs::<Runtime>::get(grid).unwrap().slots[0].state, SlotState::Open, "the slot reopens");
		assert_eq!(Balances::total_balance(&bob), bob_before - CLD, "Bob's collateral is burned");
		assert_eq!(Balances::total_balance(&alice), alice_before, "the requester gains nothing from it");
		// Replaying Bob's proof under Charlie's lock fails too: the binding names the prover.
		assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(charlie.clone()), grid, 0));
		let honest = vec![proven.public_inputs[2], proven.public_inputs[3]];
		let charlie_before = Balances::total_balance(&charlie);
		assert_ok!(Jobs::submit_slot_result(
			RuntimeOrigin::signed(charlie.clone()),
			grid,
			0,
			honest.clone().try_into().unwrap(),
			Box::new(proven.proof)
		));
		assert_eq!(Balances::total_balance(&charlie), charlie_before - CLD);

		// Dave's own proof of the true count is accepted; the grid closes and pays him.
		assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(dave.clone()), grid, 0));
		let proven = prove_accuracy(&pk, &Jobs::binding(WorkId::Slot(grid, 0), &dave), &model, &holdout).unwrap();
		assert_eq!(proven.correct, correct);
		assert_ok!(Jobs::submit_slot_result(
			RuntimeOrigin::signed(dave.clone()),
			grid,
			0,
			honest.try_into().unwrap(),
			Box::new(proven.proof)
		));
		run_to_block(System::block_number() + 1);
		let GridStatus::Closed { payouts, refund, .. } = GridJobs::<Runtime>::get(grid).unwrap().status else { panic!("not closed") };
		assert_eq!((payouts.len(), payouts[0].prover.clone(), payouts[0].metric), (1, dave.clone(), correct as u128));
		assert_eq!(payouts[0].paid + payouts[0].fee + refund, 9 * CLD);
		check_invariants();
	});
}

#[test]
fn the_stake_tiers_apply_on_chain() {
	dev_ext().execute_with(|| {
		let circuit = register_iris_key();
		let charlie = Charlie.to_account_id();
		// 50 CLD of stake covers jobs below 10 CLD only; this one costs 20 CLD, which needs a
		// Silver reputation too.
		assert_ok!(cloudana_runtime::Reputation::force_set_score(RuntimeOrigin::root(), charlie.clone(), 300));
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(charlie.clone()), 50 * CLD, vec![circuit].try_into().unwrap()));
		let inputs = vec![[0u8; 32], [0u8; 32]];
		let terms = JobTerms { min_price: 20 * CLD, ..terms() };
		assert_ok!(Jobs::submit(RuntimeOrigin::signed(Alice.to_account_id()), circuit, inputs.try_into().unwrap(), terms));
		assert_noop!(
			Jobs::lock(RuntimeOrigin::signed(charlie.clone()), 0),
			pallet_jobs::Error::<Runtime>::ProverIneligible(Ineligibility::StakeTooLow)
		);
		assert_ok!(ProverStaking::bond_extra(RuntimeOrigin::signed(charlie.clone()), 150 * CLD));
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(charlie), 0));
	});
}

#[test]
fn a_proof_costs_a_bounded_share_of_the_block() {
	use cloudana_runtime::configs::RuntimeBlockWeights;
	use frame_support::dispatch::DispatchClass;
	let weights = RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal).max_total.unwrap();
	let per_result = cloudana_runtime::Jobs::result_weight(4).saturating_add(weights.get(DispatchClass::Normal).base_extrinsic);
	let fits = normal.ref_time() / per_result.ref_time();
	// The design: at least 400 submit_result with ≤ 4 public inputs per block, whichever path
	// (valid or invalid proof) they take.
	assert!(fits >= 400, "only {fits} submit_result fit in a block");
}
