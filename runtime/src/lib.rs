//! # The Cloudana runtime
//!
//! FRAME pallets for verifiable compute, wired together:
//!
//! | index | pallet | role |
//! |---|---|---|
//! | 0 | `System` | accounts, blocks, events |
//! | 1 | `Timestamp` | block time (6 s slots) |
//! | 2 | `Aura` | block authoring |
//! | 3 | `Grandpa` | finality |
//! | 4 | `Balances` | CLD, holds |
//! | 5 | `TransactionPayment` | fees |
//! | 6 | `Sudo` | development chains only (no key in other presets) |
//! | 7 | `Parameters` | runtime parameters: the economics (`configs::cloudana`) |
//! | 10 | `Verifier` | Groth16 verifying keys, native verification |
//! | 11 | `ProverStaking` | prover registry and stake |
//! | 12 | `Jobs` | jobs, escrow, pricing, payout, expiry, off-chain worker |
//! | 13 | `Reputation` | prover scores and tiers, requester ratings |
//! | 14 | `Slashing` | offences, deferred slashes, insurance pool |
//!
//! The runtime needs the node to provide the `cloudana_groth16` host functions.
//!
//! Units: CLD has 12 decimals ([`CLD`] = 10¹² base units); blocks are 6 s ([`MINUTES`],
//! [`HOURS`], [`DAYS`] count blocks).

#![cfg_attr(not(feature = "std"), no_std)]
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
pub mod capacity;
pub use apis::RuntimeApi;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod governance;
pub mod priority;
pub mod weights;

/// The runtime-local pallet that changes economics parameters as a checked set.
pub use configs::economics::guard as pallet_economics;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types for the node: it knows the block format, not the extrinsics inside.
pub mod opaque {
	use super::*;
	use sp_runtime::{generic, traits::Hash as HashT};

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Block.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Block id.
	pub type BlockId = generic::BlockId<Block>;
	/// Block hash.
	pub type Hash = <BlakeTwo256 as HashT>::Output;

	impl_opaque_keys! {
		/// The session keys of a validator.
		pub struct SessionKeys {
			/// Aura (sr25519).
			pub aura: Aura,
			/// GRANDPA (ed25519).
			pub grandpa: Grandpa,
		}
	}
}

/// The runtime's version.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("cloudana"),
	impl_name: alloc::borrow::Cow::Borrowed("cloudana"),
	authoring_version: 1,
	spec_version: 101,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Milliseconds per block.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// Aura slot duration, milliseconds (= block time).
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day (14 400).
pub const DAYS: BlockNumber = HOURS * 24;

/// One CLD in base units (12 decimals).
pub const CLD: Balance = 1_000_000_000_000;
/// 0.001 CLD.
pub const MILLI_CLD: Balance = 1_000_000_000;
/// 0.000001 CLD.
pub const MICRO_CLD: Balance = 1_000_000;
/// The length fee: base units per byte of an extrinsic (10 µCLD; a full block's normal class,
/// 3.75 MiB, costs about 39 CLD in length fees).
pub const TRANSACTION_BYTE_FEE: Balance = 10 * MICRO_CLD;
/// The least balance an account may hold: 0.001 CLD.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_CLD;
/// CLD's decimals.
pub const TOKEN_DECIMALS: u8 = 12;
/// CLD's symbol.
pub const TOKEN_SYMBOL: &str = "CLD";
/// SS58 address prefix (42, the generic Substrate prefix).
pub const SS58_PREFIX: u16 = 42;

/// A block number.
pub type BlockNumber = u32;
/// A transaction signature.
pub type Signature = MultiSignature;
/// An account id: the 32-byte public key of its signer.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// A balance, in base units.
pub type Balance = u128;
/// A transaction index.
pub type Nonce = u32;
/// A hash.
pub type Hash = sp_core::H256;
/// The address format of extrinsics.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A signed block.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block id.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions of signed extrinsics.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	priority::PrioritizeMarket<pallet_transaction_payment::ChargeTransactionPayment<Runtime>>,
);

/// An extrinsic.
pub type UncheckedExtrinsic = generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload a signed extrinsic signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to run on a runtime upgrade, each versioned (it runs only from its pallet's
/// on-chain storage version, so it can stay here across upgrades). spec 101: reputation
/// records gain `last_active` (storage version 0 → 1).
type Migrations = (pallet_reputation::migrations::v1::MigrateV0ToV1<Runtime>,);

/// Dispatches calls to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

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
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(7)]
	pub type Parameters = pallet_parameters;
	#[runtime::pallet_index(8)]
	pub type Economics = crate::pallet_economics;

	#[runtime::pallet_index(10)]
	pub type Verifier = pallet_verifier;
	#[runtime::pallet_index(11)]
	pub type ProverStaking = pallet_prover_staking;
	#[runtime::pallet_index(12)]
	pub type Jobs = pallet_jobs;
	#[runtime::pallet_index(13)]
	pub type Reputation = pallet_reputation;
	#[runtime::pallet_index(14)]
	pub type Slashing = pallet_slashing;
	#[runtime::pallet_index(15)]
	pub type Disputes = pallet_disputes;
	#[runtime::pallet_index(16)]
	pub type WormholeBridge = pallet_wormhole_bridge;

	// OpenGov (crate::governance).
	#[runtime::pallet_index(20)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(21)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(22)]
	pub type Referenda = pallet_referenda;
	#[runtime::pallet_index(23)]
	pub type ConvictionVoting = pallet_conviction_voting;
	#[runtime::pallet_index(24)]
	pub type Origins = crate::governance::origins::pallet_custom_origins;
	#[runtime::pallet_index(25)]
	pub type Treasury = pallet_treasury;
	#[runtime::pallet_index(26)]
	pub type InsurancePool = pallet_treasury<Instance1>;
}

/// Keeps `Vec` in scope for the runtime API macro expansions.
#[allow(dead_code)]
type RuntimeVec<T> = Vec<T>;
