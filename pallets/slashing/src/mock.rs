//! A mock runtime for pallet-slashing's unit tests: System, Balances and Slashing, with a
//! stake ledger that keeps each prover's stake in its free balance.

use crate as pallet_slashing;
use frame_support::{
	derive_impl, parameter_types,
	traits::{
		fungible::{Balanced, Credit},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use frame_system::EnsureRoot;
use sp_runtime::{BuildStorage, Perbill};
use std::{cell::RefCell, collections::BTreeMap};

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
	pub type Slashing = pallet_slashing;
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

thread_local! {
	/// Stake per prover (part of its free balance).
	pub static STAKES: RefCell<BTreeMap<u64, u64>> = const { RefCell::new(BTreeMap::new()) };
	/// Suspensions in force: prover -> until.
	pub static SUSPENDED: RefCell<BTreeMap<u64, u64>> = const { RefCell::new(BTreeMap::new()) };
	/// Banned provers.
	pub static BANNED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Stake kept in the prover's free balance; a slash withdraws it.
pub struct Ledger;
impl crate::StakeLedger<u64, u64, Balances> for Ledger {
	fn slashable(who: &u64) -> u64 {
		STAKES.with(|s| s.borrow().get(who).copied().unwrap_or(0))
	}
	fn slash(who: &u64, amount: u64) -> Credit<u64, Balances> {
		let amount = amount.min(Self::slashable(who));
		STAKES.with(|s| *s.borrow_mut().entry(*who).or_default() -= amount);
		<Balances as Balanced<u64>>::withdraw(who, amount, Precision::Exact, Preservation::Expendable, Fortitude::Force)
			.expect("the stake is in the free balance")
	}
	fn suspend(who: &u64, until: u64) {
		SUSPENDED.with(|s| {
			let mut s = s.borrow_mut();
			let entry = s.entry(*who).or_default();
			*entry = (*entry).max(until);
		});
	}
	fn lift_suspension(who: &u64, until: u64) {
		SUSPENDED.with(|s| {
			let mut s = s.borrow_mut();
			if s.get(who) == Some(&until) {
				s.remove(who);
			}
		});
	}
	fn ban(who: &u64) {
		BANNED.with(|b| b.borrow_mut().push(*who));
	}
	fn dispute_opened(_: &u64, _: u64) {}
	fn dispute_closed(_: &u64, _: u64) {}
}

parameter_types! {
	pub const InsurancePool: u64 = 99;
	pub const InsuranceShare: Perbill = Perbill::from_percent(80);
	pub const Treasury: u64 = 98;
	pub const FraudVictimShare: Perbill = Perbill::from_percent(50);
	pub static SlashDeferDuration: u64 = 5;
	pub const TimeoutSlash: Perbill = Perbill::from_percent(10);
	pub const InvalidProofSlash: Perbill = Perbill::from_percent(25);
	pub const RepeatedFailuresSlash: Perbill = Perbill::from_percent(30);
	pub const FraudSlash: Perbill = Perbill::from_percent(50);
	pub const FailureThreshold: u32 = 3;
	pub const FailureWindow: u64 = 70;
	pub const OffenceSuspension: u64 = 10;
	pub const RepeatedFailuresSuspension: u64 = 300;
	pub const MaxSlashesPerBlock: u32 = 2;
	pub const SlashingSpan: u64 = 20;
}

thread_local! {
	/// Offences recorded, as `OnOffence` heard them.
	pub static RECORDED: RefCell<Vec<(u64, crate::WorkId, crate::Offence)>> = const { RefCell::new(Vec::new()) };
	/// Offences whose slash was cancelled, as `OnOffence` heard them.
	pub static CANCELLED: RefCell<Vec<(u64, crate::WorkId, crate::Offence)>> = const { RefCell::new(Vec::new()) };
}

/// Records what `OnOffence` hears.
pub struct Recorded;
impl crate::OffenceListener<u64> for Recorded {
	fn on_offence_recorded(offender: &u64, work: crate::WorkId, offence: crate::Offence) {
		RECORDED.with(|r| r.borrow_mut().push((*offender, work, offence)));
	}
	fn on_offence_cancelled(offender: &u64, work: crate::WorkId, offence: crate::Offence) {
		CANCELLED.with(|r| r.borrow_mut().push((*offender, work, offence)));
	}
}

impl pallet_slashing::Config for Test {
	type Currency = Balances;
	type Stake = Ledger;
	type OnOffence = Recorded;
	type CancelOrigin = EnsureRoot<u64>;
	type InsurancePool = InsurancePool;
	type InsuranceShare = InsuranceShare;
	type Treasury = Treasury;
	type FraudVictimShare = FraudVictimShare;
	type SlashDeferDuration = SlashDeferDuration;
	type SlashingSpan = SlashingSpan;
	type TimeoutSlash = TimeoutSlash;
	type InvalidProofSlash = InvalidProofSlash;
	type RepeatedFailuresSlash = RepeatedFailuresSlash;
	type FraudSlash = FraudSlash;
	type FailureThreshold = FailureThreshold;
	type FailureWindow = FailureWindow;
	type OffenceSuspension = OffenceSuspension;
	type RepeatedFailuresSuspension = RepeatedFailuresSuspension;
	type MaxSlashesPerBlock = MaxSlashesPerBlock;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}

/// Gives benchmark offenders 1 000 of stake.
#[cfg(feature = "runtime-benchmarks")]
pub struct Helper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for Helper {
	fn setup_offender(who: &u64) {
		use frame_support::traits::fungible::Mutate;
		Balances::set_balance(who, 1_000);
		STAKES.with(|s| s.borrow_mut().insert(*who, 1_000));
	}
}

pub const PROVER: u64 = 1;
pub const OTHER: u64 = 2;
pub const ACCOUNTS: [u64; 4] = [PROVER, OTHER, InsurancePool::get(), Treasury::get()];

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(PROVER, 2_000), (OTHER, 2_000), (InsurancePool::get(), 1), (Treasury::get(), 1)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	STAKES.with(|s| *s.borrow_mut() = BTreeMap::from([(PROVER, 1_000), (OTHER, 1_000)]));
	SUSPENDED.with(|s| s.borrow_mut().clear());
	BANNED.with(|b| b.borrow_mut().clear());
	RECORDED.with(|r| r.borrow_mut().clear());
	CANCELLED.with(|r| r.borrow_mut().clear());
	SlashDeferDuration::set(5);
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

pub fn suspended_until(who: u64) -> Option<u64> {
	SUSPENDED.with(|s| s.borrow().get(&who).copied())
}
