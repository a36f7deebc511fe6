//! A mock runtime for pallet-prover-staking's unit tests: System, Balances, ProverStaking.

use crate as pallet_prover_staking;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::{traits::Convert, BuildStorage};

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type ProverStaking = pallet_prover_staking;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

parameter_types! {
	pub const MinimumStake: u64 = 100;
	pub const UnbondingPeriod: u64 = 10;
	pub const StakeLockPeriod: u64 = 5;
	pub const HeartbeatInterval: u64 = 3;
	pub const MaxJobDuration: u64 = 6;
	pub const DisputeWindow: u64 = 4;
}

/// Stake tiers scaled down: price < 10 needs 100, < 50 needs 200, otherwise 1 000.
pub struct Tiers;
impl Convert<u64, u64> for Tiers {
	fn convert(price: u64) -> u64 {
		match price {
			0..=9 => 100,
			10..=49 => 200,
			_ => 1_000,
		}
	}
}

impl pallet_prover_staking::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MinimumStake = MinimumStake;
	type UnbondingPeriod = UnbondingPeriod;
	type StakeLockPeriod = StakeLockPeriod;
	type MaxCircuits = ConstU32<16>;
	type MaxUnbondingChunks = ConstU32<4>;
	type RequiredStake = Tiers;
	type Reputation = ();
	type OnHeartbeat = Heartbeats;
	type HeartbeatInterval = HeartbeatInterval;
	type MaxJobDuration = MaxJobDuration;
	type DisputeWindow = DisputeWindow;
	type WeightInfo = ();
}

thread_local! {
	/// Heartbeats passed on to `OnHeartbeat`.
	pub static HEARTBEATS: core::cell::RefCell<Vec<(u64, u64)>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// Records the heartbeats the pallet passes on.
pub struct Heartbeats;
impl crate::OnHeartbeat<u64, u64> for Heartbeats {
	fn on_heartbeat(who: &u64, now: u64) {
		HEARTBEATS.with(|h| h.borrow_mut().push((*who, now)));
	}
}

pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
pub const POOR: u64 = 3;
pub const ACCOUNTS: [u64; 3] = [ALICE, BOB, POOR];
pub const RICH: u64 = 1_000_000;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, RICH), (BOB, RICH), (POOR, 150)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}
