//! `try-runtime` against a live network's state, without the `try-runtime` CLI: this
//! runtime's migrations, `pre_upgrade`/`post_upgrade` checks, every pallet's `try_state` and the
//! decoding of every storage value with this runtime's types, run natively on a state exported
//! from a node (`cloudana-node export-state`, a raw chain spec). `scripts/upgrade.sh` exports
//! the state of its running testnet before the upgrade and runs this with
//! `CLOUDANA_TRY_RUNTIME_STATE=<file>`:
//!
//! ```text
//! SKIP_WASM_BUILD=1 CLOUDANA_TRY_RUNTIME_STATE=state.json \
//!   scripts/cargo-tooling.sh --test tooling -- try_runtime:: --ignored --nocapture
//! ```
#![cfg(feature = "try-runtime")]

use cloudana_runtime::{Executive, Runtime};
use frame_support::traits::{GetStorageVersion, StorageVersion};
use frame_try_runtime::UpgradeCheckSelect;
use sp_core::storage::Storage;

/// The raw top-level storage of a chain spec exported by `export-state`.
fn exported_state(path: &str) -> Storage {
	let spec: serde_json::Value =
		serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))).expect("a JSON chain spec");
	let top = spec["genesis"]["raw"]["top"].as_object().expect("a raw chain spec (genesis.raw.top)");
	let hex = |s: &str| hex::decode(s.trim_start_matches("0x")).expect("hex");
	let mut storage = Storage::default();
	for (key, value) in top {
		storage.top.insert(hex(key), hex(value.as_str().expect("a hex value")));
	}
	storage
}

#[test]
#[ignore = "needs CLOUDANA_TRY_RUNTIME_STATE (an export-state chain spec): scripts/upgrade.sh runs it"]
fn migrations_and_try_state_on_an_exported_state() {
	let path = std::env::var("CLOUDANA_TRY_RUNTIME_STATE").expect("set CLOUDANA_TRY_RUNTIME_STATE to an export-state file");
	let storage = exported_state(&path);
	println!("loaded {} storage entries from {path}", storage.top.len());
	let mut ext = sp_io::TestExternalities::new_with_state_version(storage, sp_core::storage::StateVersion::V1);
	ext.execute_with(|| {
		let before = frame_system::LastRuntimeUpgrade::<Runtime>::get().expect("a live chain records its runtime version");
		let from = cloudana_runtime::Reputation::on_chain_storage_version();
		println!(
			"state of spec {} at block #{}; pallet-reputation storage version {:?}",
			before.spec_version.0,
			frame_system::Pallet::<Runtime>::block_number(),
			from
		);
		// pre_upgrade, the migrations, post_upgrade, every pallet's try_state, and every storage
		// value decoded with this runtime's types.
		let weight = Executive::try_runtime_upgrade(UpgradeCheckSelect::All).expect("the upgrade's checks pass");
		let max = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
		println!(
			"migrations: {} ps ref time, {} bytes proof size ({:.2}% / {:.2}% of a block)",
			weight.ref_time(),
			weight.proof_size(),
			100.0 * weight.ref_time() as f64 / max.ref_time() as f64,
			100.0 * weight.proof_size() as f64 / max.proof_size() as f64
		);
		assert!(weight.all_lte(max), "the migrations do not fit in one block");
		assert_eq!(cloudana_runtime::Reputation::on_chain_storage_version(), StorageVersion::new(1));
		let records = pallet_reputation::Reputations::<Runtime>::iter().count();
		assert!(pallet_reputation::Reputations::<Runtime>::iter().all(|(_, r)| r.last_active >= r.since));
		println!("✓ try-runtime: migrations, post_upgrade, try_state and storage decoding pass ({records} reputation records at version 1)");
	});
}
