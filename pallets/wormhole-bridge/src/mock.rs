//! A mock runtime for the bridge's unit tests: System, Balances and the bridge, 32-byte
//! accounts, a clock the tests set, a guardian set of real secp256k1 keys (k256) and a helper
//! that signs VAAs with them.

use crate as pallet_wormhole_bridge;
use crate::*;
use cloudana_wormhole::{
	ntt::{Transfer, TrimmedAmount},
	Body, Crypto, Signature, Vaa, K256,
};
use frame_support::{derive_impl, parameter_types, traits::ConstU32, PalletId};
use frame_system::EnsureRoot;
use sp_runtime::{
	traits::IdentityLookup,
	TryRuntimeError,
	AccountId32, BuildStorage,
};
use std::cell::Cell;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = AccountId32;
pub type Balance = u128;

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
	pub type Bridge = pallet_wormhole_bridge;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

parameter_types! {
	/// 1 mCLD, as the runtime's.
	pub const ExistentialDeposit: Balance = 1_000_000_000;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ExistentialDeposit;
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	/// Unix seconds.
	pub static NOW: Cell<u64> = const { Cell::new(START) };
}

/// The clock at genesis, Unix seconds.
pub const START: u64 = 1_750_000_000;
/// A day, seconds.
pub const DAY: u64 = 86_400;

/// The tests' clock.
pub struct Clock;
impl frame_support::traits::UnixTime for Clock {
	fn now() -> core::time::Duration {
		core::time::Duration::from_secs(NOW.with(|n| n.get()))
	}
}

pub fn set_now(seconds: u64) {
	NOW.with(|n| n.set(seconds));
}

pub fn advance(seconds: u64) {
	NOW.with(|n| n.set(n.get() + seconds));
}

/// This chain's Wormhole chain id in the tests (0xC1D0, unassigned by Wormhole).
pub const CHAIN: u16 = 0xC1D0;
/// The Solana peer's chain id.
pub const SOLANA: u16 = 1;
pub const PEER_EMITTER: [u8; 32] = [0xE1; 32];
pub const PEER_MANAGER: [u8; 32] = [0x3A; 32];
/// 1 CLD, base units.
pub const CLD: Balance = 1_000_000_000_000;
/// The Solana peer's limits: 1 000 CLD a day each way.
pub const LIMIT: Balance = 1_000 * CLD;

parameter_types! {
	pub const BridgePalletId: PalletId = PalletId(*b"cld/wrmh");
	pub const ChainIdParam: u16 = CHAIN;
	pub const TokenAddress: [u8; 32] = [0u8; 32];
	pub const QueueDeposit: Balance = 5 * CLD;
	/// The smallest transfer: one NTT unit (10⁴ base units) unless a test raises it.
	pub static MinTransfer: Balance = 10_000;
}

/// Stand-in for the fast `bridge_guardian` track's origin: a signed account.
pub fn guardian_track() -> AccountId {
	AccountId32::new([77u8; 32])
}

/// Root or the stand-in guardian track.
pub struct PauseOrigin;
impl frame_support::traits::EnsureOrigin<RuntimeOrigin> for PauseOrigin {
	type Success = ();
	fn try_origin(o: RuntimeOrigin) -> Result<(), RuntimeOrigin> {
		match o.clone().into() {
			Ok(frame_system::RawOrigin::Root) => Ok(()),
			Ok(frame_system::RawOrigin::Signed(who)) if who == guardian_track() => Ok(()),
			_ => Err(o),
		}
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(RuntimeOrigin::signed(guardian_track()))
	}
}

impl Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type UnixTime = Clock;
	type AdminOrigin = EnsureRoot<AccountId>;
	type PauseOrigin = PauseOrigin;
	type MinTransfer = MinTransfer;
	type PalletId = BridgePalletId;
	type ChainId = ChainIdParam;
	type Decimals = frame_support::traits::ConstU8<12>;
	type TokenAddress = TokenAddress;
	type MaxGuardians = ConstU32<19>;
	type MaxVaaLen = ConstU32<2048>;
	type RateLimitDuration = frame_support::traits::ConstU64<DAY>;
	type GuardianSetGrace = frame_support::traits::ConstU64<DAY>;
	type OutboxRetention = frame_support::traits::ConstU64<100>;
	type MaxPrunePerBlock = ConstU32<4>;
	type QueueDeposit = QueueDeposit;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockClock;
}

/// Sets the mock's clock for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockClock;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for MockClock {
	fn set_time(unix_seconds: u64) {
		set_now(unix_seconds);
	}
}

pub fn alice() -> AccountId {
	AccountId::new([1u8; 32])
}
pub fn bob() -> AccountId {
	AccountId::new([2u8; 32])
}
pub fn charlie() -> AccountId {
	AccountId::new([3u8; 32])
}

/// The secret key of guardian `i` of set `set` (deterministic).
pub fn secret(set: u32, i: u8) -> [u8; 32] {
	K256.keccak256(&[b"guardian".as_slice(), &set.to_be_bytes(), &[i]].concat())
}

/// The addresses of a set of `n` guardians.
pub fn guardians(set: u32, n: u8) -> Vec<Address> {
	(0..n).map(|i| K256.address_of(&secret(set, i)).expect("a valid key")).collect()
}

/// The Solana peer's configuration (8 decimals).
pub fn solana_peer() -> PeerConfig<Balance> {
	PeerConfig { emitter: PEER_EMITTER, manager: PEER_MANAGER, decimals: 8, outbound_limit: LIMIT, inbound_limit: LIMIT }
}

/// Genesis: Alice, Bob and Charlie with 10 000 CLD each, guardian set 0 of five guardians, and
/// the Solana peer.
pub fn new_test_ext() -> sp_io::TestExternalities {
	set_now(START);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(alice(), 10_000 * CLD), (bob(), 10_000 * CLD), (charlie(), 10_000 * CLD)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_wormhole_bridge::GenesisConfig::<Test> {
		guardian_set_index: 0,
		guardians: guardians(0, 5),
		peers: vec![(SOLANA, PEER_EMITTER, PEER_MANAGER, 8, LIMIT, LIMIT)],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test`, then checks the pallet's invariants and that the bridge holds exactly what it
/// owes (no CLD created or lost).
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		check_invariants().expect("the bridge's invariants hold");
	});
}

pub fn check_invariants() -> Result<(), TryRuntimeError> {
	Bridge::do_try_state()?;
	let owed: Balance = Peers::<Test>::iter().map(|(_, p)| p.outstanding).sum::<Balance>() +
		InboundQueue::<Test>::iter().map(|(_, q)| q.amount).sum::<Balance>() +
		OutboundQueue::<Test>::iter().map(|(_, q)| q.amount).sum::<Balance>();
	frame_support::ensure!(funds::locked::<Test>() == owed, "locked CLD is not exactly what the bridge owes");
	Ok(())
}

/// A transfer of `amount` (trimmed to 8 decimals) from the Solana peer to `to`, as the peer's
/// NTT manager would send it.
pub fn ntt_payload(amount: u64, to: [u8; 32], to_chain: u16) -> Vec<u8> {
	Transfer {
		source_manager: PEER_MANAGER,
		recipient_manager: Bridge::emitter_address(),
		sequence: 9,
		sender: [0x5E; 32],
		amount: TrimmedAmount { amount, decimals: 8 },
		source_token: [0x70; 32],
		to,
		to_chain,
	}
	.encode()
	.unwrap()
}

/// A body from the Solana peer's emitter.
pub fn body(sequence: u64, payload: Vec<u8>) -> Body {
	Body {
		timestamp: START as u32,
		nonce: 0,
		emitter_chain: SOLANA,
		emitter_address: PEER_EMITTER,
		sequence,
		consistency_level: 32,
		payload,
	}
}

/// `body` signed by guardians `signers` of set `set`.
pub fn sign(set: u32, signers: &[u8], body: Body) -> Vaa {
	let digest = body.digest(&K256);
	let signatures = signers
		.iter()
		.map(|&i| Signature { guardian_index: i, signature: K256.sign(&secret(set, i), &digest).unwrap() })
		.collect();
	Vaa { guardian_set_index: set, signatures, body }
}

/// `body` signed by a quorum (4 of 5) of set 0.
pub fn signed(body: Body) -> Vaa {
	sign(0, &[0, 1, 2, 3], body)
}

pub fn bytes(vaa: &Vaa) -> VaaBytes<Test> {
	vaa.encode().try_into().expect("fits MaxVaaLen")
}

/// 32-byte recipient of an account.
pub fn to(who: &AccountId) -> [u8; 32] {
	who.clone().into()
}
