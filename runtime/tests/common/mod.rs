//! Shared setup of the runtime integration tests: the development genesis, blocks.

use cloudana_runtime::{
	Balances, BuildStorage, Jobs, ProverStaking, Reputation, Runtime, RuntimeGenesisConfig, Slashing, System, Verifier,
};
use frame_support::traits::OnInitialize;
use std::cell::Cell;

thread_local! {
	/// Total issuance at genesis.
	static GENESIS_ISSUANCE: Cell<u128> = const { Cell::new(0) };
	/// Collateral burned in blocks before the current one.
	static BURNED_COLLATERAL: Cell<u128> = const { Cell::new(0) };
}

/// Collateral burned in the current block, from its events (pallet-jobs burns a failed lock's
/// collateral).
fn collateral_burned_in_block() -> u128 {
	System::events()
		.into_iter()
		.map(|record| match record.event {
			cloudana_runtime::RuntimeEvent::Jobs(pallet_jobs::Event::ProofRejected { burned, .. }) |
			cloudana_runtime::RuntimeEvent::Jobs(pallet_jobs::Event::LockTimedOut { burned, .. }) => burned,
			_ => 0,
		})
		.sum()
}

/// Everything burned since genesis: slashes' burned share and failed locks' collateral.
pub fn burned() -> u128 {
	pallet_slashing::TotalBurned::<Runtime>::get() + BURNED_COLLATERAL.with(|b| b.get()) + collateral_burned_in_block()
}

/// The `development` preset's genesis state.
pub fn dev_ext() -> sp_io::TestExternalities {
	let patch = cloudana_runtime::genesis_config_presets::development();
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	json_patch_merge(&mut config, patch);
	let config: RuntimeGenesisConfig = serde_json::from_value(config).unwrap();
	let mut ext = sp_io::TestExternalities::new(config.build_storage().unwrap());
	ext.execute_with(|| {
		GENESIS_ISSUANCE.with(|g| g.set(Balances::total_issuance()));
		BURNED_COLLATERAL.with(|b| b.set(0));
		run_to_block(1)
	});
	ext
}

fn json_patch_merge(target: &mut serde_json::Value, patch: serde_json::Value) {
	match (target, patch) {
		(serde_json::Value::Object(t), serde_json::Value::Object(p)) =>
			for (k, v) in p {
				json_patch_merge(t.entry(k).or_insert(serde_json::Value::Null), v);
			},
		(t, p) => *t = p,
	}
}

/// Starts every block up to `n` (with no events, as the executive does), runs pallet-scheduler's
/// (enacted referenda, referendum alarms), pallet-jobs' (deadlines) and pallet-slashing's (due
/// slashes) `on_initialize` in each, and checks the
/// invariants after each. Consensus pallets'
/// hooks are left out: they need the block's inherents and digests.
pub fn run_to_block(n: u32) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		let burned = collateral_burned_in_block();
		BURNED_COLLATERAL.with(|b| b.set(b.get() + burned));
		// As the executive does: each block starts with no events.
		System::reset_events();
		System::initialize(&next, &System::parent_hash(), &Default::default());
		cloudana_runtime::Scheduler::on_initialize(next);
		Jobs::on_initialize(next);
		Slashing::on_initialize(next);
		check_invariants();
	}
}

/// Every pallet's `try_state` checks, and: total issuance has changed only by what slashes
/// and failed locks burned (these tests dispatch calls directly, so no transaction fee is
/// charged).
pub fn check_invariants() {
	Jobs::do_try_state().unwrap();
	Verifier::do_try_state().unwrap();
	ProverStaking::do_try_state().unwrap();
	Reputation::do_try_state().unwrap();
	Slashing::do_try_state().unwrap();
	cloudana_runtime::Disputes::do_try_state().unwrap();
	cloudana_runtime::WormholeBridge::do_try_state().unwrap();
	// What open disputes keep at stake is what the staking pallet keeps from withdrawal.
	let mut at_stake = std::collections::BTreeMap::new();
	for (_, dispute) in pallet_disputes::Disputes::<cloudana_runtime::Runtime>::iter() {
		*at_stake.entry(dispute.prover).or_insert(0) += dispute.at_stake;
	}
	at_stake.retain(|_, sum| *sum > 0);
	assert_eq!(
		pallet_prover_staking::DisputedStake::<cloudana_runtime::Runtime>::iter().collect::<std::collections::BTreeMap<_, _>>(),
		at_stake,
		"the stake kept for disputes is not what the open disputes hold at stake"
	);
	assert_eq!(
		Balances::total_issuance() + burned(),
		GENESIS_ISSUANCE.with(|g| g.get()),
		"total issuance changed by more than slash and collateral burns"
	);
}

/// Sets an economics parameter through `Economics::set_parameter` (checked as a set).
#[allow(dead_code)]
pub fn set(parameter: cloudana_runtime::configs::dynamic_params::economics::Parameters) {
	frame_support::assert_ok!(cloudana_runtime::Economics::set_parameter(
		cloudana_runtime::RuntimeOrigin::root(),
		cloudana_runtime::configs::RuntimeParameters::Economics(parameter)
	));
}

/// A dispute's evidence period on this chain (2 days scaled by `TimeDivisor`: 20 blocks on the
/// development chain): the shortest slash deferral the parameter set check allows.
#[allow(dead_code)]
pub fn evidence_period() -> u32 {
	<<Runtime as pallet_disputes::Config>::EvidencePeriod as frame_support::traits::Get<u32>>::get()
}

/// Shortens the periods that keep stake at risk, in an order the invariants allow: the
/// shortest proof window, the longest lock window and proof window, the slash deferral, and the
/// unbonding period.
#[allow(dead_code)]
pub fn short_periods(min_proof: u32, lock: u32, proof: u32, defer: u32, unbonding: u32) {
	use cloudana_runtime::configs::dynamic_params::economics::{self, Parameters as E};
	set(E::MinProofTimeout(economics::MinProofTimeout, Some(min_proof)));
	set(E::MaxLockTimeout(economics::MaxLockTimeout, Some(lock)));
	set(E::MaxProofTimeout(economics::MaxProofTimeout, Some(proof)));
	set(E::SlashDeferDuration(economics::SlashDeferDuration, Some(defer)));
	set(E::UnbondingPeriod(economics::UnbondingPeriod, Some(unbonding)));
}

#[allow(dead_code)]
pub type R = Runtime;

/// What each development account votes with in [`referendum`].
#[allow(dead_code)]
pub const VOTE: u128 = 900_000 * cloudana_runtime::CLD;

/// Notes `call` as a preimage (Alice), submits it on the track of `origin`, places the decision
/// deposit and votes aye with 1× conviction from every development account ([`VOTE`] each:
/// about 90% of the issuance, above every track's support curve). Returns the referendum's
/// index.
#[allow(dead_code)]
pub fn referendum(call: cloudana_runtime::RuntimeCall, origin: cloudana_runtime::OriginCaller) -> u32 {
	use cloudana_runtime::{Preimage, Referenda, RuntimeOrigin};
	use codec::Encode;
	use frame_support::{assert_ok, traits::Bounded};
	use sp_runtime::traits::Hash;
	let alice = RuntimeOrigin::signed(sp_keyring::Sr25519Keyring::Alice.to_account_id());
	let bytes = call.encode();
	let hash = <Runtime as frame_system::Config>::Hashing::hash(&bytes);
	assert_ok!(Preimage::note_preimage(alice.clone(), bytes.clone()));
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	assert_ok!(Referenda::submit(
		alice.clone(),
		Box::new(origin),
		Bounded::Lookup { hash, len: bytes.len() as u32 },
		frame_support::traits::schedule::DispatchTime::After(0),
	));
	assert_ok!(Referenda::place_decision_deposit(alice, index));
	vote_all(index, true);
	index
}

/// Every development account votes on referendum `index`, aye or nay, with 1× conviction and
/// [`VOTE`] each.
#[allow(dead_code)]
pub fn vote_all(index: u32, aye: bool) {
	use cloudana_runtime::{ConvictionVoting, RuntimeOrigin};
	use frame_support::assert_ok;
	use pallet_conviction_voting::{AccountVote, Conviction, Vote};
	for voter in sp_keyring::Sr25519Keyring::well_known() {
		let vote = AccountVote::Standard { vote: Vote { aye, conviction: Conviction::Locked1x }, balance: VOTE };
		assert_ok!(ConvictionVoting::vote(RuntimeOrigin::signed(voter.to_account_id()), index, vote));
	}
}

/// Runs blocks until referendum `index` has ended (approved, rejected or timed out), at most
/// `limit` blocks; returns the blocks it took.
#[allow(dead_code)]
pub fn run_until_ended(index: u32, limit: u32) -> u32 {
	use pallet_referenda::ReferendumInfo;
	let start = System::block_number();
	while !matches!(
		pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
		Some(ReferendumInfo::Approved(..) | ReferendumInfo::Rejected(..) | ReferendumInfo::TimedOut(..))
	) {
		assert!(System::block_number() < start + limit, "referendum {index} did not end within {limit} blocks");
		run_to_block(System::block_number() + 1);
	}
	System::block_number() - start
}

/// A simulated circuit with public inputs `binding ‖ one requester input ‖ one output`, whose
/// trapdoor the test knows (`cloudana_groth16_simulator`), registered by Ferdie (neither
/// requester nor prover, so completions earn reputation) unless it is already.
#[allow(dead_code)]
pub fn circuit(seed: &[u8]) -> (sp_core::H256, cloudana_groth16_simulator::Trapdoor) {
	use cloudana_runtime::RuntimeOrigin;
	let trapdoor = cloudana_groth16_simulator::Trapdoor::new(seed, 3);
	let vk = trapdoor.verifying_key();
	let id = sp_core::H256(cloudana_groth16::statement::vk_id(&vk));
	if Verifier::key_info(&id).is_none() {
		let vk = vk.try_map_ic(TryInto::try_into).unwrap();
		let ferdie = RuntimeOrigin::signed(sp_keyring::Sr25519Keyring::Ferdie.to_account_id());
		frame_support::assert_ok!(Verifier::register_vk(ferdie, Box::new(vk)));
	}
	(id, trapdoor)
}

/// Terms of a job at one price, without collateral.
#[allow(dead_code)]
pub fn fixed_price(price: u128, lock_timeout: u32, proof_timeout: u32) -> pallet_jobs::JobTerms<u128, u32> {
	pallet_jobs::JobTerms { min_price: price, max_price: price, ramp_blocks: 0, lock_timeout, proof_timeout, collateral: 0 }
}

/// Submits a job of `requester` on `circuit` with the one input 0; returns its id.
#[allow(dead_code)]
pub fn submit(requester: &cloudana_runtime::AccountId, circuit: sp_core::H256, terms: pallet_jobs::JobTerms<u128, u32>) -> u64 {
	let id = pallet_jobs::NextJobId::<Runtime>::get();
	let origin = cloudana_runtime::RuntimeOrigin::signed(requester.clone());
	frame_support::assert_ok!(Jobs::submit(origin, circuit, vec![[0u8; 32]].try_into().unwrap(), terms));
	id
}

/// Submits a valid result for `job` by `prover`: output 42, proven with the trapdoor.
#[allow(dead_code)]
pub fn prove(
	trapdoor: &cloudana_groth16_simulator::Trapdoor,
	job: u64,
	prover: &cloudana_runtime::AccountId,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	use sp_runtime::traits::Dispatchable;
	result_call(trapdoor, job, prover).dispatch(cloudana_runtime::RuntimeOrigin::signed(prover.clone()))
}

/// `prover`'s `submit_result` call for `job`: output 42, proven with the trapdoor.
#[allow(dead_code)]
pub fn result_call(
	trapdoor: &cloudana_groth16_simulator::Trapdoor,
	job: u64,
	prover: &cloudana_runtime::AccountId,
) -> cloudana_runtime::RuntimeCall {
	let output = cloudana_groth16::encoding::encode_fr(&ark_bn254::Fr::from(42u64));
	let record = Jobs::job(job).unwrap();
	let statement = Jobs::statement(pallet_jobs::WorkId::Job(job), prover, &record.inputs, &[output]);
	let proof = trapdoor.prove(&statement).unwrap();
	cloudana_runtime::RuntimeCall::Jobs(pallet_jobs::Call::submit_result {
		job,
		outputs: vec![output].try_into().unwrap(),
		proof: Box::new(proof),
	})
}
