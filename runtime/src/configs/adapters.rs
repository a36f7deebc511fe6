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
		let vk = cloudana_groth16_simulator::Trapdoor::new(pallet_jobs::BENCHMARK_SEED, public_inputs).verifying_key();
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
			// Enough for `MaxBatch` concurrent locks at the benchmarks' price.
			1_000_000 * CLD,
			alloc::vec![circuit].try_into().expect("one circuit; qed"),
		)
		.expect("the benchmark funds the prover; qed");
	}
}

/// Makes real jobs, slashes and referendum outcomes for pallet-disputes' benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct DisputesBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl DisputesBenchmarkHelper {
	/// A job of `requester` (one input) that staked `prover` may lock; `(job, circuit)`.
	fn job(requester: &AccountId, prover: &AccountId) -> (cloudana_primitives::JobId, CircuitId) {
		use pallet_jobs::BenchmarkHelper as _;
		let circuit = JobsBenchmarkHelper::register_circuit(2);
		if pallet_prover_staking::Pallet::<Runtime>::prover(prover).is_none() {
			JobsBenchmarkHelper::register_prover(prover, circuit);
		}
		let terms = pallet_jobs::JobTerms {
			min_price: CLD,
			max_price: CLD,
			ramp_blocks: 1,
			lock_timeout: 100,
			proof_timeout: 100,
			collateral: 0,
		};
		let id = pallet_jobs::NextJobId::<Runtime>::get();
		pallet_jobs::Pallet::<Runtime>::submit(
			frame_system::RawOrigin::Signed(requester.clone()).into(),
			circuit,
			alloc::vec![[1u8; 32]].try_into().expect("one input; qed"),
			terms,
		)
		.expect("the benchmark funds the requester; qed");
		(id, circuit)
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl pallet_disputes::BenchmarkHelper<AccountId> for DisputesBenchmarkHelper {
	fn fund(who: &AccountId) {
		use frame_support::traits::fungible::Mutate;
		crate::Balances::set_balance(who, 100_000 * CLD);
	}
	fn pending_slash(prover: &AccountId, requester: &AccountId, unprovable: bool) -> cloudana_primitives::SlashId {
		let (job, circuit) = Self::job(requester, prover);
		if unprovable {
			// Governance revoked the key: the chain can tell nobody could prove the job.
			pallet_verifier::Pallet::<Runtime>::revoke_vk(crate::RuntimeOrigin::root(), circuit)
				.expect("the job's key is registered; qed");
		}
		pallet_slashing::Pallet::<Runtime>::report_offence(
			prover,
			cloudana_primitives::Offence::InvalidProof,
			cloudana_primitives::WorkId::Job(job),
		)
		.expect("a new offence; qed")
		.slash
	}
	fn completed_work(requester: &AccountId, prover: &AccountId) -> cloudana_primitives::WorkId {
		let (job, _) = Self::job(requester, prover);
		pallet_jobs::Jobs::<Runtime>::mutate(job, |record| {
			if let Some(record) = record {
				record.status = pallet_jobs::JobStatus::Completed {
					prover: prover.clone(),
					price: CLD,
					fee: 0,
					outputs: Default::default(),
					at: frame_system::Pallet::<Runtime>::block_number(),
				};
			}
		});
		cloudana_primitives::WorkId::Job(job)
	}
	fn end_referendum(index: pallet_disputes::ReferendumIndex, approved: bool) {
		use pallet_referenda::ReferendumInfo;
		let now = frame_system::Pallet::<Runtime>::block_number();
		let info = if approved { ReferendumInfo::Approved(now, None, None) } else { ReferendumInfo::Rejected(now, None, None) };
		pallet_referenda::ReferendumInfoFor::<Runtime>::insert(index, info);
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

/// Sets the block's time for the Wormhole bridge's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct BridgeBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_wormhole_bridge::BenchmarkHelper for BridgeBenchmarkHelper {
	fn set_time(unix_seconds: u64) {
		pallet_timestamp::Now::<Runtime>::put(unix_seconds * 1_000);
	}
}
