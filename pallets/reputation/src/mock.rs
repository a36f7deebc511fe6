//! A mock runtime for pallet-reputation's unit tests: System and Reputation, with circuit
//! owners from a table.

use crate as pallet_reputation;
use crate::{CompletedWork, WorkId, WorkOutcomes};
use cloudana_primitives::CircuitId;
use frame_support::{derive_impl, parameter_types};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;
use std::{cell::RefCell, collections::BTreeMap};

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(RuntimeCall, RuntimeEvent, RuntimeError, RuntimeOrigin, RuntimeTask)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Reputation = pallet_reputation;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

thread_local! {
	/// Verifying-key owners.
	pub static OWNERS: RefCell<BTreeMap<CircuitId, u64>> = const { RefCell::new(BTreeMap::new()) };
}

/// Circuit owners from [`OWNERS`].
pub struct Owners;
impl crate::CircuitOwner<u64> for Owners {
	fn owner(circuit: &CircuitId) -> Option<u64> {
		OWNERS.with(|o| o.borrow().get(circuit).copied())
	}
}

parameter_types! {
	pub const HeartbeatInterval: u64 = 10;
	pub const SuccessBonus: u16 = 10;
	pub const FiveStarBonus: u16 = 5;
	pub const TimeoutPenalty: u16 = 30;
	pub const InvalidProofPenalty: u16 = 100;
	pub const FailurePenalty: u16 = 50;
	pub const DisputeLostPenalty: u16 = 200;
	pub const SilverFrom: u16 = 300;
	pub const GoldFrom: u16 = 600;
	pub const DiamondFrom: u16 = 800;
	pub const BronzePriceLimit: u64 = 10;
	pub const SilverPriceLimit: u64 = 50;
	pub const GoldPriceLimit: u64 = 200;
	pub const CreditMinPrice: u64 = 5;
	pub const CreditPeriod: u64 = 100;
	pub static MaxCreditsPerPair: u32 = 3;
	pub const MaxPairsPerPeriod: u32 = 4;
}

impl pallet_reputation::Config for Test {
	type Balance = u64;
	type Circuits = Owners;
	type ForceOrigin = EnsureRoot<u64>;
	type HeartbeatInterval = HeartbeatInterval;
	type SuccessBonus = SuccessBonus;
	type FiveStarBonus = FiveStarBonus;
	type TimeoutPenalty = TimeoutPenalty;
	type InvalidProofPenalty = InvalidProofPenalty;
	type FailurePenalty = FailurePenalty;
	type DisputeLostPenalty = DisputeLostPenalty;
	type SilverFrom = SilverFrom;
	type GoldFrom = GoldFrom;
	type DiamondFrom = DiamondFrom;
	type BronzePriceLimit = BronzePriceLimit;
	type SilverPriceLimit = SilverPriceLimit;
	type GoldPriceLimit = GoldPriceLimit;
	type CreditMinPrice = CreditMinPrice;
	type CreditPeriod = CreditPeriod;
	type MaxCreditsPerPair = MaxCreditsPerPair;
	type MaxPairsPerPeriod = MaxPairsPerPeriod;
	type WeightInfo = ();
}

pub const REQUESTER: u64 = 1;
pub const PROVER: u64 = 2;
pub const GOLD: u64 = 3;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_reputation::GenesisConfig::<Test> { scores: vec![(GOLD, 700)] }
		.assimilate_storage(&mut storage)
		.unwrap();
	OWNERS.with(|o| o.borrow_mut().clear());
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// A circuit nobody in the tests owns.
pub const CIRCUIT: CircuitId = CircuitId::repeat_byte(7);

/// Work `job` of `requester` completed by `prover` at price 10 on [`CIRCUIT`], on time.
pub fn complete(job: u64, requester: u64, prover: u64) {
	complete_with(job, requester, prover, 10, CIRCUIT);
}

/// Work `job` completed at `price` on `circuit`, on time, as pallet-jobs reports it.
pub fn complete_with(job: u64, requester: u64, prover: u64, price: u64, circuit: CircuitId) {
	<Reputation as WorkOutcomes<u64, u64>>::on_completed(&CompletedWork {
		work: WorkId::Job(job),
		requester,
		prover,
		circuit,
		price,
		on_time: true,
	});
}
