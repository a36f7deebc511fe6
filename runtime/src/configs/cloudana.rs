//! Configuration of Cloudana's own pallets, the economics they run on, and the adapters that
//! couple them (pallets reach each other only through traits wired here).
//!
//! Economics (DESIGN, "Economics"; all will become `pallet-parameters` values):
//!
//! | parameter | value |
//! |---|---|
//! | platform fee | 10% of the price, to the treasury |
//! | cancellation fee | 10% of `max_price`, to the treasury |
//! | minimum prover stake | 50 CLD |
//! | stake tier by job price | < 10 CLD: 50 · 10–50: 200 · 50–200: 1 000 · > 200: 5 000 CLD |
//! | stake lock after registration | 30 days |
//! | unbonding | 14 days |
//! | longest lock window (escrow timeout) | 7 days |
//! | longest proof timeout | 1 day |
//! | verifying-key deposit | 1 CLD + 0.00001 CLD per byte of prepared key (≈ 1.35 CLD) |

use crate::{
	AccountId, Balance, Runtime, RuntimeHoldReason, CLD, DAYS,
};
use cloudana_groth16::{Groth16Error, Proof, PublicInput};
use frame_support::{parameter_types, traits::ConstU32, PalletId};
use pallet_jobs::{CircuitId, Ineligible};
use sp_runtime::{
	traits::{AccountIdConversion, Convert},
	DispatchResult, Perbill,
};

parameter_types! {
	pub const VerifyingKeyDepositBase: Balance = CLD;
	pub const VerifyingKeyDepositPerByte: Balance = 10_000_000;
	pub const MinimumStake: Balance = 50 * CLD;
	pub const UnbondingPeriod: u32 = 14 * DAYS;
	pub const StakeLockPeriod: u32 = 30 * DAYS;
	pub const FeeRate: Perbill = Perbill::from_percent(10);
	pub const CancellationFee: Perbill = Perbill::from_percent(10);
	pub const MaxLockTimeout: u32 = 7 * DAYS;
	pub const MaxProofTimeout: u32 = DAYS;
	/// The treasury's account (the account `pallet-treasury` uses, so adding it later keeps it).
	pub TreasuryAccount: AccountId = PalletId(*b"py/trsry").into_account_truncating();
}

impl pallet_verifier::Config for Runtime {
	type Currency = crate::Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MaxPublicInputs = ConstU32<{ cloudana_groth16::MAX_PUBLIC_INPUTS }>;
	type DepositBase = VerifyingKeyDepositBase;
	type DepositPerByte = VerifyingKeyDepositPerByte;
	type WeightInfo = pallet_verifier::weights::SubstrateWeight<Runtime>;
}

/// The stake a job price requires (DESIGN's stake tiers).
pub struct StakeTiers;
impl Convert<Balance, Balance> for StakeTiers {
	fn convert(price: Balance) -> Balance {
		match price {
			p if p < 10 * CLD => 50 * CLD,
			p if p <= 50 * CLD => 200 * CLD,
			p if p <= 200 * CLD => 1_000 * CLD,
			_ => 5_000 * CLD,
		}
	}
}

impl pallet_prover_staking::Config for Runtime {
	type Currency = crate::Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MinimumStake = MinimumStake;
	type UnbondingPeriod = UnbondingPeriod;
	type StakeLockPeriod = StakeLockPeriod;
	type MaxCircuits = ConstU32<16>;
	type MaxUnbondingChunks = ConstU32<8>;
	type RequiredStake = StakeTiers;
	type Reputation = ();
	type WeightInfo = pallet_prover_staking::weights::SubstrateWeight<Runtime>;
}

impl pallet_jobs::Config for Runtime {
	type Currency = crate::Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Verifier = JobsVerifier;
	type Provers = JobsProvers;
	type OnOffence = ();
	type FeeRate = FeeRate;
	type CancellationFee = CancellationFee;
	type TreasuryAccount = TreasuryAccount;
	type MaxInputs = ConstU32<32>;
	type MaxOutputs = ConstU32<16>;
	type MaxLockTimeout = MaxLockTimeout;
	type MaxProofTimeout = MaxProofTimeout;
	type MaxDeadlinesPerBlock = ConstU32<64>;
	type AuthorityId = pallet_jobs::crypto::ProverAuthId;
	type WeightInfo = pallet_jobs::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = JobsBenchmarkHelper;
}

/// pallet-jobs' verifier: pallet-verifier.
pub struct JobsVerifier;
impl pallet_jobs::Verifier for JobsVerifier {
	fn public_inputs(circuit: &CircuitId) -> Option<u32> {
		pallet_verifier::Pallet::<Runtime>::key_info(circuit).map(|info| info.public_inputs)
	}
	fn acquire(circuit: &CircuitId) -> DispatchResult {
		pallet_verifier::Pallet::<Runtime>::acquire(circuit).map(|_| ()).map_err(Into::into)
	}
	fn release(circuit: &CircuitId) {
		pallet_verifier::Pallet::<Runtime>::release(circuit)
	}
	fn verify(circuit: &CircuitId, inputs: &[PublicInput], proof: &Proof) -> Result<(), Groth16Error> {
		pallet_verifier::Pallet::<Runtime>::verify(circuit, inputs, proof).map_err(|e| match e {
			pallet_verifier::VerifyError::Rejected(reason) => reason,
			// Jobs acquire their key, so it cannot be unregistered under them.
			pallet_verifier::VerifyError::UnknownKey => Groth16Error::MalformedPreparedKey,
		})
	}
}

/// pallet-jobs' prover registry: pallet-prover-staking.
pub struct JobsProvers;
impl pallet_jobs::ProverRegistry<AccountId, Balance> for JobsProvers {
	fn ensure_eligible(who: &AccountId, circuit: &CircuitId, price: Balance) -> Result<(), Ineligible> {
		use pallet_prover_staking::Ineligibility as I;
		pallet_prover_staking::Pallet::<Runtime>::ensure_eligible(who, circuit, price).map_err(|e| match e {
			I::NotRegistered => Ineligible::NotRegistered,
			I::Inactive => Ineligible::Inactive,
			I::CircuitNotServed => Ineligible::CircuitNotServed,
			I::StakeTooLow => Ineligible::StakeTooLow,
			I::ReputationTooLow => Ineligible::ReputationTooLow,
		})
	}
}

/// Sets up pallet-verifier and pallet-prover-staking for pallet-jobs' benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct JobsBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_jobs::BenchmarkHelper<AccountId> for JobsBenchmarkHelper {
	fn register_circuit(public_inputs: u32) -> CircuitId {
		use frame_support::traits::fungible::Mutate;
		let vk = cloudana_groth16::simulator::Trapdoor::new(pallet_jobs::BENCHMARK_SEED, public_inputs).verifying_key();
		let id = CircuitId::from(cloudana_groth16::statement::vk_id(&vk));
		if pallet_verifier::Pallet::<Runtime>::key_info(&id).is_some() {
			return id;
		}
		let owner: AccountId = frame_benchmarking::account("vk-owner", 0, 0);
		crate::Balances::set_balance(&owner, 1_000 * CLD);
		let vk = vk.try_map_ic(TryInto::try_into).expect("benchmarks stay within MaxPublicInputs; qed");
		pallet_verifier::Pallet::<Runtime>::register_vk(frame_system::RawOrigin::Signed(owner).into(), alloc::boxed::Box::new(vk))
			.expect("a simulated key is valid; qed");
		id
	}
	fn register_prover(who: &AccountId, circuit: CircuitId) {
		pallet_prover_staking::Pallet::<Runtime>::register(
			frame_system::RawOrigin::Signed(who.clone()).into(),
			10_000 * CLD,
			alloc::vec![circuit].try_into().expect("one circuit; qed"),
		)
		.expect("the benchmark funds the prover; qed");
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn stake_tiers_follow_the_design() {
		assert_eq!(StakeTiers::convert(9 * CLD), 50 * CLD);
		assert_eq!(StakeTiers::convert(10 * CLD), 200 * CLD);
		assert_eq!(StakeTiers::convert(50 * CLD), 200 * CLD);
		assert_eq!(StakeTiers::convert(200 * CLD), 1_000 * CLD);
		assert_eq!(StakeTiers::convert(201 * CLD), 5_000 * CLD);
	}

	#[test]
	fn stake_outlives_every_job() {
		// Stake must stay slashable until any job it backs is settled.
		assert!(UnbondingPeriod::get() > MaxProofTimeout::get() + MaxLockTimeout::get());
	}
}
