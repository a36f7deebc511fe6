//! Shared setup of the runtime integration tests: the development genesis, blocks.

use cloudana_runtime::{BuildStorage, Jobs, Runtime, RuntimeGenesisConfig, System};
use frame_support::traits::OnInitialize;

/// The `development` preset's genesis state.
pub fn dev_ext() -> sp_io::TestExternalities {
	let patch = cloudana_runtime::genesis_config_presets::development();
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	json_patch_merge(&mut config, patch);
	let config: RuntimeGenesisConfig = serde_json::from_value(config).unwrap();
	let mut ext = sp_io::TestExternalities::new(config.build_storage().unwrap());
	ext.execute_with(|| run_to_block(1));
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

/// Starts every block up to `n` and runs pallet-jobs' `on_initialize` (deadlines) in each.
/// Consensus pallets' hooks are left out: they need the block's inherents and digests.
pub fn run_to_block(n: u32) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::initialize(&next, &System::parent_hash(), &Default::default());
		Jobs::on_initialize(next);
	}
}

#[allow(dead_code)]
pub type R = Runtime;
