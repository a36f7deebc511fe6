//! Configuration of Cloudana's own pallets. Each pallet reaches the others through the traits
//! of `cloudana_primitives::traits`, which the pallets implement for themselves: the wiring here
//! names the pallet, it does not translate between them. Policies that belong to the runtime
//! (the stake tiers, the fee) are in [`super::adapters`]; the numbers in [`super::economics`].

use super::{
	adapters::{Fees, StakeTiers},
	economics::dynamic_params::economics,
};
use super::MAXIMUM_BLOCK_WEIGHT;
use crate::{
	AccountId, Balance, BlockNumber, Disputes, Jobs, ProverStaking, Reputation, Runtime, RuntimeHoldReason, Slashing,
	Verifier, CLD, DAYS, SLOT_DURATION,
};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64, Get},
	weights::Weight,
};
use sp_runtime::{traits::AccountIdConversion, Perbill};

parameter_types! {
	pub const VerifyingKeyDepositBase: Balance = CLD;
	pub const VerifyingKeyDepositPerByte: Balance = 10_000_000;
	/// Blocks between two heartbeats of a prover: 1 hour.
	pub const HeartbeatInterval: BlockNumber = crate::HOURS;
	/// The longest a job keeps stake at risk: the longest lock window plus proof timeout.
	pub MaxJobDuration: BlockNumber = economics::MaxLockTimeout::get() + economics::MaxProofTimeout::get();
	/// The treasury's account (`pallet-treasury`'s, `crate::governance`).
	pub TreasuryAccount: AccountId = crate::governance::TreasuryPalletId::get().into_account_truncating();
	/// The insurance pool's account: 80% of every slash. It pays requesters and provers through
	/// `insurance_spend` referenda (`InsurancePool::spend`, `crate::governance`).
	pub InsurancePool: AccountId = crate::governance::InsurancePalletId::get().into_account_truncating();
	/// On-initialize budget of pallet-jobs' deadlines: 20% of a block.
	pub MaxDeadlineWeight: Weight = Perbill::from_percent(20) * MAXIMUM_BLOCK_WEIGHT;
	/// A credit period of pallet-reputation: a day.
	pub const CreditPeriod: BlockNumber = DAYS;
}

impl pallet_verifier::Config for Runtime {
	type Currency = crate::Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MaxPublicInputs = ConstU32<{ cloudana_groth16::MAX_PUBLIC_INPUTS }>;
	type DepositBase = VerifyingKeyDepositBase;
	type DepositPerByte = VerifyingKeyDepositPerByte;
	// A broken circuit's key, revoked by a `root` referendum (its work becomes provably
	// unprovable, which clears provers' slashes on appeal: no lesser origin may).
	type RevokeOrigin = frame_system::EnsureRoot<AccountId>;
	type WeightInfo = pallet_verifier::weights::SubstrateWeight<Runtime>;
}

impl pallet_prover_staking::Config for Runtime {
	type Currency = crate::Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MinimumStake = economics::MinimumStake;
	type UnbondingPeriod = economics::UnbondingPeriod;
	type StakeLockPeriod = economics::StakeLockPeriod;
	type MaxCircuits = ConstU32<16>;
	type MaxUnbondingChunks = ConstU32<8>;
	type RequiredStake = StakeTiers;
	type Reputation = Reputation;
	type OnHeartbeat = Reputation;
	type HeartbeatInterval = HeartbeatInterval;
	type MaxJobDuration = MaxJobDuration;
	type DisputeWindow = economics::SlashDeferDuration;
	type WeightInfo = pallet_prover_staking::weights::SubstrateWeight<Runtime>;
}

impl pallet_reputation::Config for Runtime {
	type Balance = Balance;
	type Circuits = Verifier;
	type ForceOrigin = frame_system::EnsureRoot<AccountId>;
	type HeartbeatInterval = HeartbeatInterval;
	type SuccessBonus = economics::SuccessBonus;
	type FiveStarBonus = economics::FiveStarBonus;
	type TimeoutPenalty = economics::TimeoutPenalty;
	type InvalidProofPenalty = economics::InvalidProofPenalty;
	type FailurePenalty = economics::FailurePenalty;
	type DisputeLostPenalty = economics::DisputeLostPenalty;
	type SilverFrom = economics::SilverFrom;
	type GoldFrom = economics::GoldFrom;
	type DiamondFrom = economics::DiamondFrom;
	type BronzePriceLimit = economics::BronzePriceLimit;
	type SilverPriceLimit = economics::SilverPriceLimit;
	type GoldPriceLimit = economics::GoldPriceLimit;
	type CreditMinPrice = economics::CreditMinPrice;
	type CreditPeriod = CreditPeriod;
	type MaxCreditsPerPair = economics::MaxCreditsPerPair;
	type MaxPairsPerPeriod = ConstU32<32>;
	type WeightInfo = pallet_reputation::weights::SubstrateWeight<Runtime>;
}

impl pallet_slashing::Config for Runtime {
	type Currency = crate::Balances;
	type Stake = ProverStaking;
	type OnOffence = Reputation;
	type CancelOrigin = frame_support::traits::EitherOf<frame_system::EnsureRoot<AccountId>, crate::governance::origins::SlashCancel>;
	type InsurancePool = InsurancePool;
	type InsuranceShare = economics::InsuranceShare;
	type Treasury = TreasuryAccount;
	type FraudVictimShare = economics::FraudVictimShare;
	type SlashDeferDuration = economics::SlashDeferDuration;
	type SlashingSpan = economics::SlashingSpan;
	type TimeoutSlash = economics::TimeoutSlash;
	type InvalidProofSlash = economics::InvalidProofSlash;
	type RepeatedFailuresSlash = economics::RepeatedFailuresSlash;
	type FraudSlash = economics::FraudSlash;
	type FailureThreshold = ConstU32<3>;
	type FailureWindow = economics::FailureWindow;
	type OffenceSuspension = economics::OffenceSuspension;
	type RepeatedFailuresSuspension = economics::RepeatedFailuresSuspension;
	type MaxSlashesPerBlock = ConstU32<64>;
	type WeightInfo = pallet_slashing::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::adapters::SlashingBenchmarkHelper;
}

impl pallet_jobs::Config for Runtime {
	type Currency = crate::Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Verifier = Verifier;
	type Provers = ProverStaking;
	type Outcomes = (Reputation, Slashing, Disputes);
	type Fees = Fees;
	type CancellationFee = economics::CancellationFee;
	type ExpiryFee = economics::ExpiryFee;
	type TreasuryAccount = TreasuryAccount;
	type DepositBase = economics::JobDepositBase;
	type DepositPerByte = economics::JobDepositPerByte;
	type MaxInputs = ConstU32<32>;
	type MaxOutputs = ConstU32<16>;
	type MaxLockTimeout = economics::MaxLockTimeout;
	type MinProofTimeout = economics::MinProofTimeout;
	type MaxProofTimeout = economics::MaxProofTimeout;
	type RetentionPeriod = economics::RetentionPeriod;
	type MaxDeadlineWeight = MaxDeadlineWeight;
	type MaxSlots = ConstU32<32>;
	type MaxHyperParamsLen = ConstU32<128>;
	type MaxBatch = ConstU32<256>;
	type MaxBatchKeys = ConstU32<8>;
	type BlockTimeMs = ConstU64<SLOT_DURATION>;
	type AuthorityId = pallet_jobs::crypto::ProverAuthId;
	type WeightInfo = pallet_jobs::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::adapters::JobsBenchmarkHelper;
}

impl pallet_disputes::Config for Runtime {
	type Currency = crate::Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Slashes = Slashing;
	type Work = Jobs;
	type Stake = ProverStaking;
	type Referenda = crate::governance::DisputeReferenda;
	type RulingOrigin = crate::governance::DisputeRuler;
	type DisputeBond = economics::DisputeBond;
	type AppealBond = economics::AppealBond;
	// The window in which a slash may be appealed (its deferral) is also the one in which
	// completed work may be challenged; `RetentionPeriod ≥ SlashDeferDuration` keeps the work's
	// record for it, and `UnbondingPeriod` covers it (prover-staking's `DisputeWindow`).
	type ChallengeWindow = economics::SlashDeferDuration;
	// The `dispute` track's prepare period (2 days, scaled by `TimeDivisor`).
	type EvidencePeriod = crate::governance::Scaled<{ 2 * DAYS }>;
	type AppealWindow = crate::governance::Scaled<{ DAYS }>;
	type MaxEvidence = ConstU32<16>;
	type MaxNoteLen = ConstU32<256>;
	type WeightInfo = pallet_disputes::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::adapters::DisputesBenchmarkHelper;
}

parameter_types! {
	/// The Wormhole bridge's account: locked CLD; its 32 bytes are the bridge's emitter and NTT
	/// manager address.
	pub const WormholeBridgePalletId: frame_support::PalletId = frame_support::PalletId(*b"cld/wrmh");
	/// The NTT `source_token` of CLD: 32 zero bytes (the chain's native token).
	pub const CldTokenAddress: [u8; 32] = [0u8; 32];
	/// A queued outbound transfer's storage deposit: 1 CLD.
	pub const BridgeQueueDeposit: Balance = CLD;
}

impl pallet_wormhole_bridge::Config for Runtime {
	type Currency = crate::Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type UnixTime = crate::Timestamp;
	type AdminOrigin = frame_support::traits::EitherOf<
		frame_system::EnsureRoot<AccountId>,
		crate::governance::origins::BridgeAdmin,
	>;
	// The emergency brake: the fast `bridge_guardian` track as well (pause, cancel a queued
	// inbound transfer; only the admin unpauses).
	type PauseOrigin = frame_support::traits::EitherOf<
		frame_system::EnsureRoot<AccountId>,
		frame_support::traits::EitherOf<crate::governance::origins::BridgeAdmin, crate::governance::origins::BridgeGuardian>,
	>;
	type MinTransfer = super::economics::dynamic_params::bridge::MinTransfer;
	type PalletId = WormholeBridgePalletId;
	type ChainId = super::economics::dynamic_params::bridge::ChainId;
	type Decimals = frame_support::traits::ConstU8<12>;
	type TokenAddress = CldTokenAddress;
	// Wormhole's sets have 19 guardians; room for growth.
	type MaxGuardians = ConstU32<32>;
	// At least 6 + 66 · 32 + 51 + max(512, 40 + 20 · 32) = 2 849 bytes.
	type MaxVaaLen = ConstU32<4_096>;
	// NTT's rate-limit duration and Wormhole's guardian-set grace: 24 hours.
	type RateLimitDuration = ConstU64<86_400>;
	type GuardianSetGrace = ConstU64<86_400>;
	// A week of blocks for guardians to read a message.
	type OutboxRetention = ConstU32<{ 7 * DAYS }>;
	type MaxPrunePerBlock = ConstU32<16>;
	type QueueDeposit = BridgeQueueDeposit;
	type WeightInfo = pallet_wormhole_bridge::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::adapters::BridgeBenchmarkHelper;
}
