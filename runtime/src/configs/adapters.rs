//! The runtime's own policies between pallets (what no pallet owns): the stake a price
//! requires, and the platform fee by reputation tier; and the set-up benchmarks need from
//! other pallets.

use super::economics::dynamic_params::economics;
use crate::{AccountId, Balance, Runtime};
use cloudana_primitives::traits::FeePolicy;
use frame_support::traits::Get;
use sp_runtime::{traits::Convert, Perbill};
#[cfg(feature = "runtime-benchmarks")]
use {crate::CLD, cloudana_primitives::CircuitId};

/// The stake a job price requires (the stake tiers, from the parameters): below
/// `StakeTier1Price` `Stake0`; up to `StakeTier2Price` `Stake1`; up to `StakeTier3Price`
/// `Stake2`; above `Stake3`.
pub struct StakeTiers;
impl Convert<Balance, Balance> for StakeTiers {
	fn convert(price: Balance) -> Balance {
		match price {
			p if p < economics::StakeTier1Price::get() => economics::Stake0::get(),
			p if p <= economics::StakeTier2Price::get() => economics::Stake1::get(),
			p if p <= economics::StakeTier3Price::get() => economics::Stake2::get(),
			_ => economics::Stake3::get(),
		}
	}
}

/// The platform fee: `FeeRate`, or `DiamondFeeRate` for Diamond-tier provers.
pub struct Fees;
impl FeePolicy<AccountId> for Fees {
	fn fee_rate(prover: &AccountId) -> Perbill {
		if pallet_reputation::Pallet::<Runtime>::tier(prover) == pallet_reputation::Tier::Diamond {
			economics::DiamondFeeRate::get()
		} else {
			economics::FeeRate::get()
		}
	}
}

/// Gives pallet-slashing's benchmark offenders a stake.
#[cfg(feature = "runtime-benchmarks")]
pub struct SlashingBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_slashing::BenchmarkHelper<AccountId> for SlashingBenchmarkHelper {
	fn setup_offender(who: &AccountId) {
		use frame_support::traits::fungible::Mutate;
		crate::Balances::set_balance(who, 100_000 * CLD);
		pallet_prover_staking::Pallet::<Runtime>::register(
			frame_system::RawOrigin::Signed(who.clone()).into(),
			10_000 * CLD,
			alloc::vec![CircuitId::zero()].try_into().expect("one circuit; qed"),
		)
		.expect("funded above; qed");
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
		pallet_reputation::Pallet::<Runtime>::force_set_score(frame_system::RawOrigin::Root.into(), who.clone(), 1000)
			.expect("Root sets a valid score; qed");
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
	use crate::CLD;

	#[test]
	fn stake_tiers_follow_the_design() {
		sp_io::TestExternalities::default().execute_with(|| {
			assert_eq!(StakeTiers::convert(9 * CLD), 50 * CLD);
			assert_eq!(StakeTiers::convert(10 * CLD), 200 * CLD);
			assert_eq!(StakeTiers::convert(50 * CLD), 200 * CLD);
			assert_eq!(StakeTiers::convert(200 * CLD), 1_000 * CLD);
			assert_eq!(StakeTiers::convert(201 * CLD), 5_000 * CLD);
		});
	}
}
