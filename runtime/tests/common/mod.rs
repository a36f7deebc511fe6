//! Shared setup of the runtime integration tests: the development genesis, blocks.

use cloudana_runtime::{
	Balances, BuildStorage, Jobs, ProverStaking, Reputation, Runtime, RuntimeGenesisConfig, Slashing, System, Verifier,
};
use frame_support::traits::OnInitialize;
use std::cell::Cell;

thread_local! {
	/// Total issuance at genesis.
	static GENESIS_ISSUANCE: Cell<u128> = const { Cell::new(0) };
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

/// Starts every block up to `n`, runs pallet-jobs' (deadlines) and pallet-slashing's (due
/// slashes) `on_initialize` in each, and checks the invariants after each. Consensus pallets'
/// hooks are left out: they need the block's inherents and digests.
pub fn run_to_block(n: u32) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::initialize(&next, &System::parent_hash(), &Default::default());
		Jobs::on_initialize(next);
		Slashing::on_initialize(next);
		check_invariants();
	}
}

/// Every pallet's `try_state` checks, and: total issuance has changed only by what slashes
/// burned (these tests dispatch calls directly, so no transaction fee is charged).
pub fn check_invariants() {
	Jobs::do_try_state().unwrap();
	Verifier::do_try_state().unwrap();
	ProverStaking::do_try_state().unwrap();
	Reputation::do_try_state().unwrap();
	Slashing::do_try_state().unwrap();
	let burned = pallet_slashing::TotalBurned::<Runtime>::get();
	assert_eq!(
		Balances::total_issuance() + burned,
		GENESIS_ISSUANCE.with(|g| g.get()),
		"total issuance changed by more than slash burns"
	);
}

#[allow(dead_code)]
pub type R = Runtime;
