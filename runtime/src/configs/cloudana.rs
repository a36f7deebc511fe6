//! Configuration of Cloudana's own pallets, the economics they run on, and the adapters that
//! couple them (pallets reach each other only through traits wired here).
//!
//! Every number of DESIGN's economics table is a runtime parameter in [`dynamic_params`],
//! stored by `pallet-parameters` and changed by Root (a governance track later) with
//! `Parameters::set_parameter`; until set, each has DESIGN's default:
//!
//! | parameter (`economics::…`) | default |
//! |---|---|
//! | `FeeRate` / `DiamondFeeRate` | 10% / 8% of the price, to the treasury |
//! | `CancellationFee` | 10% of `max_price`, to the treasury |
//! | `MinimumStake` | 50 CLD |
//! | stake tiers `StakeTier{1,2,3}Price` → `Stake{0,1,2,3}` | < 10 CLD: 50 · 10–50: 200 · 50–200: 1 000 · > 200: 5 000 CLD |
//! | `SilverFrom` / `GoldFrom` / `DiamondFrom` | 300 / 600 / 800 points |
//! | tier price limits `Bronze/Silver/GoldPriceLimit` | below 10 / 50 / 200 CLD (Diamond: any) |
//! | score changes | success +10, five stars +5, timeout −30, invalid proof −100, repeated failures −50, dispute lost −200 |
//! | slashes | timeout 10%, invalid proof 25%, repeated failures 30%, fraud 50% of the stake |
//! | `FailureWindow` / `RepeatedFailuresSuspension` | 7 days / 30 days |
//! | `OffenceSuspension` | 1 day (no new jobs after any offence) |
//! | `SlashDeferDuration` | 2 days |
//! | `InsuranceShare` | 80% of a slash to the insurance pool, the rest burned |
//! | `StakeLockPeriod` / `UnbondingPeriod` | 30 days / 14 days |
//! | `MaxLockTimeout` (escrow timeout) / `MaxProofTimeout` | 7 days / 1 day |
//!
//! The repeated-failures count (3), queue caps and storage bounds are constants: they bound
//! storage, so changing them needs a runtime upgrade. `integrity_test`s check the defaults
//! against each other (unbonding covers the longest job plus the slash deferral).

use crate::{AccountId, Balance, BlockNumber, Runtime, RuntimeHoldReason, CLD, DAYS};
use cloudana_groth16::{Groth16Error, Proof, PublicInput};
use frame_support::{
	dynamic_params::{dynamic_pallet_params, dynamic_params},
	parameter_types,
	traits::{ConstU32, Get},
	PalletId,
};
use pallet_jobs::{CircuitId, Ineligible};
use sp_runtime::{
	traits::{AccountIdConversion, Convert},
	DispatchResult, Perbill,
};

/// Cloudana's runtime parameters.
#[dynamic_params(RuntimeParameters, pallet_parameters::Parameters::<Runtime>)]
pub mod dynamic_params {
	use super::*;

	/// The economics of DESIGN's table.
	#[dynamic_pallet_params]
	#[codec(index = 0)]
	pub mod economics {
		/// Share of the price paid to the treasury on a completed job.
		#[codec(index = 0)]
		pub static FeeRate: Perbill = Perbill::from_percent(10);
		/// The same for Diamond-tier provers.
		#[codec(index = 1)]
		pub static DiamondFeeRate: Perbill = Perbill::from_percent(8);
		/// Share of `max_price` paid to the treasury when a requester cancels.
		#[codec(index = 2)]
		pub static CancellationFee: Perbill = Perbill::from_percent(10);
		/// The least active stake a prover registers with, base units.
		#[codec(index = 3)]
		pub static MinimumStake: Balance = 50 * CLD;
		/// Jobs priced from this (base units) need `Stake1`.
		#[codec(index = 4)]
		pub static StakeTier1Price: Balance = 10 * CLD;
		/// Jobs priced above this (base units) need `Stake2`.
		#[codec(index = 5)]
		pub static StakeTier2Price: Balance = 50 * CLD;
		/// Jobs priced above this (base units) need `Stake3`.
		#[codec(index = 6)]
		pub static StakeTier3Price: Balance = 200 * CLD;
		/// Stake for jobs below `StakeTier1Price`, base units.
		#[codec(index = 7)]
		pub static Stake0: Balance = 50 * CLD;
		/// Stake for jobs from `StakeTier1Price` to `StakeTier2Price`, base units.
		#[codec(index = 8)]
		pub static Stake1: Balance = 200 * CLD;
		/// Stake for jobs above `StakeTier2Price` up to `StakeTier3Price`, base units.
		#[codec(index = 9)]
		pub static Stake2: Balance = 1_000 * CLD;
		/// Stake for jobs above `StakeTier3Price`, base units.
		#[codec(index = 10)]
		pub static Stake3: Balance = 5_000 * CLD;
		/// Blocks after registration during which no stake can be unbonded.
		#[codec(index = 11)]
		pub static StakeLockPeriod: BlockNumber = 30 * DAYS;
		/// Blocks an unbonding chunk waits.
		#[codec(index = 12)]
		pub static UnbondingPeriod: BlockNumber = 14 * DAYS;
		/// The longest lock window (escrow timeout), blocks.
		#[codec(index = 13)]
		pub static MaxLockTimeout: BlockNumber = 7 * DAYS;
		/// The longest proof timeout, blocks.
		#[codec(index = 14)]
		pub static MaxProofTimeout: BlockNumber = DAYS;
		/// The lowest Silver score.
		#[codec(index = 15)]
		pub static SilverFrom: u16 = 300;
		/// The lowest Gold score.
		#[codec(index = 16)]
		pub static GoldFrom: u16 = 600;
		/// The lowest Diamond score.
		#[codec(index = 17)]
		pub static DiamondFrom: u16 = 800;
		/// Bronze provers take jobs below this price, base units.
		#[codec(index = 18)]
		pub static BronzePriceLimit: Balance = 10 * CLD;
		/// Silver provers take jobs below this price, base units.
		#[codec(index = 19)]
		pub static SilverPriceLimit: Balance = 50 * CLD;
		/// Gold provers take jobs below this price, base units.
		#[codec(index = 20)]
		pub static GoldPriceLimit: Balance = 200 * CLD;
		/// Score gained per completed job.
		#[codec(index = 21)]
		pub static SuccessBonus: u16 = 10;
		/// Score gained per five-star rating.
		#[codec(index = 22)]
		pub static FiveStarBonus: u16 = 5;
		/// Score lost per timeout.
		#[codec(index = 23)]
		pub static TimeoutPenalty: u16 = 30;
		/// Score lost per invalid proof.
		#[codec(index = 24)]
		pub static InvalidProofPenalty: u16 = 100;
		/// Score lost when the repeated-failures rule fires.
		#[codec(index = 25)]
		pub static FailurePenalty: u16 = 50;
		/// Score lost per dispute lost.
		#[codec(index = 26)]
		pub static DisputeLostPenalty: u16 = 200;
		/// Share of the stake slashed for a timeout.
		#[codec(index = 27)]
		pub static TimeoutSlash: Perbill = Perbill::from_percent(10);
		/// Share of the stake slashed for an invalid proof.
		#[codec(index = 28)]
		pub static InvalidProofSlash: Perbill = Perbill::from_percent(25);
		/// Share of the stake slashed for repeated failures.
		#[codec(index = 29)]
		pub static RepeatedFailuresSlash: Perbill = Perbill::from_percent(30);
		/// Share of the stake slashed for fraud.
		#[codec(index = 30)]
		pub static FraudSlash: Perbill = Perbill::from_percent(50);
		/// Blocks within which 3 failures make repeated failures.
		#[codec(index = 31)]
		pub static FailureWindow: BlockNumber = 7 * DAYS;
		/// Blocks a prover is suspended after repeated failures.
		#[codec(index = 32)]
		pub static RepeatedFailuresSuspension: BlockNumber = 30 * DAYS;
		/// Blocks a prover is suspended after any offence.
		#[codec(index = 33)]
		pub static OffenceSuspension: BlockNumber = DAYS;
		/// Blocks between an offence's report and its slash (governance may cancel meanwhile).
		#[codec(index = 34)]
		pub static SlashDeferDuration: BlockNumber = 2 * DAYS;
		/// Share of a slash paid to the insurance pool; the rest is burned.
		#[codec(index = 35)]
		pub static InsuranceShare: Perbill = Perbill::from_percent(80);
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl Default for RuntimeParameters {
	fn default() -> Self {
		RuntimeParameters::Economics(dynamic_params::economics::Parameters::FeeRate(
			dynamic_params::economics::FeeRate,
			Some(Perbill::from_percent(10)),
		))
	}
}

impl pallet_parameters::Config for Runtime {
	type RuntimeParameters = RuntimeParameters;
	type RuntimeEvent = crate::RuntimeEvent;
	type AdminOrigin = frame_support::traits::AsEnsureOriginWithArg<frame_system::EnsureRoot<AccountId>>;
	// Upstream's benchmarked weights (the crate exports no SubstrateWeight; `()` carries them).
	type WeightInfo = ();
}

use dynamic_params::economics;

parameter_types! {
	pub const VerifyingKeyDepositBase: Balance = CLD;
	pub const VerifyingKeyDepositPerByte: Balance = 10_000_000;
	/// Blocks between two heartbeats of a prover: 1 hour.
	pub const HeartbeatInterval: BlockNumber = crate::HOURS;
	/// The longest a job keeps stake at risk: the longest lock window plus proof timeout.
	pub MaxJobDuration: BlockNumber = economics::MaxLockTimeout::get() + economics::MaxProofTimeout::get();
	/// The treasury's account (the account `pallet-treasury` uses, so adding it later keeps it).
	pub TreasuryAccount: AccountId = PalletId(*b"py/trsry").into_account_truncating();
	/// The insurance pool's account: 80% of every slash. It pays requesters and provers by
	/// governance spends in a later release.
	pub InsurancePool: AccountId = PalletId(*b"cld/insu").into_account_truncating();
}

impl pallet_verifier::Config for Runtime {
	type Currency = crate::Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MaxPublicInputs = ConstU32<{ cloudana_groth16::MAX_PUBLIC_INPUTS }>;
	type DepositBase = VerifyingKeyDepositBase;
	type DepositPerByte = VerifyingKeyDepositPerByte;
	type WeightInfo = pallet_verifier::weights::SubstrateWeight<Runtime>;
}

/// The stake a job price requires (DESIGN's stake tiers, from the parameters): below
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

impl pallet_prover_staking::Config for Runtime {
	type Currency = crate::Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MinimumStake = economics::MinimumStake;
	type UnbondingPeriod = economics::UnbondingPeriod;
	type StakeLockPeriod = economics::StakeLockPeriod;
	type MaxCircuits = ConstU32<16>;
	type MaxUnbondingChunks = ConstU32<8>;
	type RequiredStake = StakeTiers;
	type Reputation = ReputationTiers;
	type OnHeartbeat = Heartbeats;
	type HeartbeatInterval = HeartbeatInterval;
	type MaxJobDuration = MaxJobDuration;
	type DisputeWindow = economics::SlashDeferDuration;
	type WeightInfo = pallet_prover_staking::weights::SubstrateWeight<Runtime>;
}

impl pallet_reputation::Config for Runtime {
	type Balance = Balance;
	type Jobs = CompletedJobs;
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
	type WeightInfo = pallet_reputation::weights::SubstrateWeight<Runtime>;
}

impl pallet_slashing::Config for Runtime {
	type Currency = crate::Balances;
	type Stake = StakeLedger;
	type CancelOrigin = frame_system::EnsureRoot<AccountId>;
	type InsurancePool = InsurancePool;
	type InsuranceShare = economics::InsuranceShare;
	type SlashDeferDuration = economics::SlashDeferDuration;
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
	type BenchmarkHelper = SlashingBenchmarkHelper;
}

impl pallet_jobs::Config for Runtime {
	type Currency = crate::Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Verifier = JobsVerifier;
	type Provers = JobsProvers;
	type Outcomes = Outcomes;
	type Fees = Fees;
	type CancellationFee = economics::CancellationFee;
	type TreasuryAccount = TreasuryAccount;
	type MaxInputs = ConstU32<32>;
	type MaxOutputs = ConstU32<16>;
	type MaxLockTimeout = economics::MaxLockTimeout;
	type MaxProofTimeout = economics::MaxProofTimeout;
	type MaxDeadlinesPerBlock = ConstU32<64>;
	type MaxSlots = ConstU32<32>;
	type MaxHyperParamsLen = ConstU32<128>;
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
			I::Banned => Ineligible::Banned,
			I::Suspended => Ineligible::Suspended,
			I::Chilled => Ineligible::Chilled,
			I::Inactive => Ineligible::Inactive,
			I::CircuitNotServed => Ineligible::CircuitNotServed,
			I::StakeTooLow => Ineligible::StakeTooLow,
			I::ReputationTooLow => Ineligible::ReputationTooLow,
		})
	}
}

/// pallet-jobs' outcomes: completions and offences go to pallet-reputation, offences also to
/// pallet-slashing (whose repeated-failures rule feeds back into reputation).
pub struct Outcomes;
impl pallet_jobs::ProverOutcomes<AccountId> for Outcomes {
	fn on_completed(prover: &AccountId, _job: pallet_jobs::JobId, on_time: bool) {
		pallet_reputation::Pallet::<Runtime>::note_completed(prover, on_time);
	}

	fn on_offence(prover: &AccountId, job: pallet_jobs::JobId, offence: pallet_jobs::Offence) {
		use pallet_reputation::ScoreChange;
		use pallet_slashing::OffenceKind;
		let (score, kind) = match offence {
			pallet_jobs::Offence::Timeout => (ScoreChange::Timeout, OffenceKind::Timeout),
			pallet_jobs::Offence::InvalidProof => (ScoreChange::InvalidProof, OffenceKind::InvalidProof),
		};
		pallet_reputation::Pallet::<Runtime>::note_offence(prover, score);
		match pallet_slashing::Pallet::<Runtime>::report_offence(prover, kind, job) {
			Ok(reported) =>
				if reported.repeated.is_some() {
					pallet_reputation::Pallet::<Runtime>::note_offence(prover, ScoreChange::Failure);
				},
			Err(pallet_slashing::ReportError::AlreadyReported) => {},
		}
	}
}

/// The platform fee: `FeeRate`, or `DiamondFeeRate` for Diamond-tier provers.
pub struct Fees;
impl pallet_jobs::FeePolicy<AccountId> for Fees {
	fn fee_rate(prover: &AccountId) -> Perbill {
		if pallet_reputation::Pallet::<Runtime>::tier(prover) == pallet_reputation::Tier::Diamond {
			economics::DiamondFeeRate::get()
		} else {
			economics::FeeRate::get()
		}
	}
}

/// pallet-prover-staking's reputation tiers: pallet-reputation.
pub struct ReputationTiers;
impl pallet_prover_staking::ReputationTier<AccountId, Balance> for ReputationTiers {
	fn allows(who: &AccountId, price: Balance) -> bool {
		pallet_reputation::Pallet::<Runtime>::allows(who, price)
	}
}

/// pallet-prover-staking's heartbeats count as uptime in pallet-reputation.
pub struct Heartbeats;
impl pallet_prover_staking::OnHeartbeat<AccountId, BlockNumber> for Heartbeats {
	fn on_heartbeat(who: &AccountId, _now: BlockNumber) {
		pallet_reputation::Pallet::<Runtime>::note_heartbeat(who);
	}
}

/// pallet-reputation's completed jobs: pallet-jobs.
pub struct CompletedJobs;
impl pallet_reputation::CompletedJobs<AccountId> for CompletedJobs {
	fn parties(job: u64) -> Option<(AccountId, AccountId)> {
		let record = pallet_jobs::Pallet::<Runtime>::job(job)?;
		match record.status {
			pallet_jobs::JobStatus::Completed { prover, .. } => Some((record.requester, prover)),
			_ => None,
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_completed(job: u64, requester: &AccountId, prover: &AccountId) {
		pallet_jobs::Jobs::<Runtime>::insert(
			job,
			pallet_jobs::Job {
				requester: requester.clone(),
				circuit: CircuitId::zero(),
				inputs: Default::default(),
				outputs: 0,
				terms: pallet_jobs::JobTerms {
					min_price: CLD,
					max_price: CLD,
					ramp_blocks: 0,
					lock_timeout: 1,
					proof_timeout: 1,
					collateral: 0,
				},
				submitted_at: 0,
				lock_expires_at: 1,
				status: pallet_jobs::JobStatus::Completed {
					prover: prover.clone(),
					price: CLD,
					fee: 0,
					outputs: Default::default(),
					at: 0,
				},
			},
		);
	}
}

/// pallet-slashing's stake ledger: pallet-prover-staking.
pub struct StakeLedger;
impl pallet_slashing::StakeLedger<AccountId, BlockNumber, crate::Balances> for StakeLedger {
	fn slashable(who: &AccountId) -> Balance {
		pallet_prover_staking::Pallet::<Runtime>::slashable(who)
	}
	fn slash(who: &AccountId, amount: Balance) -> frame_support::traits::fungible::Credit<AccountId, crate::Balances> {
		pallet_prover_staking::Pallet::<Runtime>::slash(who, amount)
	}
	fn suspend(who: &AccountId, until: BlockNumber) {
		pallet_prover_staking::Pallet::<Runtime>::suspend(who, until)
	}
	fn lift_suspension(who: &AccountId, until: BlockNumber) {
		pallet_prover_staking::Pallet::<Runtime>::lift_suspension(who, until)
	}
	fn ban(who: &AccountId) {
		pallet_prover_staking::Pallet::<Runtime>::ban(who)
	}
}

/// Gives pallet-slashing's benchmark offenders a stake with unbonding chunks.
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

	#[test]
	fn stake_tiers_follow_the_design() {
		sp_io::TestExternalities::default().execute_with(stake_tiers_at_defaults);
	}

	fn stake_tiers_at_defaults() {
		assert_eq!(StakeTiers::convert(9 * CLD), 50 * CLD);
		assert_eq!(StakeTiers::convert(10 * CLD), 200 * CLD);
		assert_eq!(StakeTiers::convert(50 * CLD), 200 * CLD);
		assert_eq!(StakeTiers::convert(200 * CLD), 1_000 * CLD);
		assert_eq!(StakeTiers::convert(201 * CLD), 5_000 * CLD);
	}

	#[test]
	fn stake_outlives_every_job() {
		// Stake must stay slashable until any job it backs is settled and its slash applied.
		sp_io::TestExternalities::default().execute_with(|| {
			assert!(
				economics::UnbondingPeriod::get() >=
					MaxJobDuration::get() + economics::SlashDeferDuration::get()
			);
		});
	}
}
