//! A mock runtime for pallet-verifier's unit tests: System, Balances, Verifier.

use crate as pallet_verifier;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::BuildStorage;

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
	pub type Verifier = pallet_verifier;
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
	pub const DepositBase: u64 = 1_000;
	pub const DepositPerByte: u64 = 2;
}

impl pallet_verifier::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MaxPublicInputs = ConstU32<{ cloudana_groth16::MAX_PUBLIC_INPUTS }>;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type RevokeOrigin = frame_system::EnsureRoot<u64>;
	type WeightInfo = ();
}

/// Rich owners.
pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
/// Cannot afford a deposit.
pub const POOR: u64 = 3;
pub const RICH: u64 = 1_000_000_000;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, RICH), (BOB, RICH), (POOR, 5_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
