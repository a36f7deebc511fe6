//! Cloudana's economics: every number of the design's economics table is a runtime parameter in
//! [`dynamic_params`], stored by `pallet-parameters`; until set, each has its default:
//!
//! | parameter (`economics::…`) | default | unit |
//! |---|---|---|
//! | `FeeRate` / `DiamondFeeRate` | 10% / 8% of the price, to the treasury | |
//! | `CancellationFee` | 10% of `max_price`, to the treasury | |
//! | `ExpiryFee` | 50% of an expired job's storage deposit, to the treasury (none when a prover failed the job) | |
//! | `MinimumStake` | 50 CLD | base units |
//! | stake tiers `StakeTier{1,2,3}Price` → `Stake{0,1,2,3}` | < 10 CLD: 50 · 10–50: 200 · 50–200: 1 000 · > 200: 5 000 CLD | base units |
//! | `SilverFrom` / `GoldFrom` / `DiamondFrom` | 300 / 600 / 800 | points |
//! | tier price limits `Bronze/Silver/GoldPriceLimit` | below 10 / 50 / 200 CLD (Diamond: any) | base units |
//! | score changes | success +10, five stars +5, timeout −30, invalid proof −100, repeated failures −50, dispute lost −200 | points |
//! | slashes | timeout 10%, invalid proof 25%, repeated failures 30%, fraud 50% of the stake | |
//! | `SlashingSpan` | 1 day: offences within it take the largest share | blocks |
//! | `FailureWindow` / `RepeatedFailuresSuspension` | 7 days / 30 days | blocks |
//! | `OffenceSuspension` | 1 day (no new work after any offence) | blocks |
//! | `SlashDeferDuration` | 2 days | blocks |
//! | `InsuranceShare` | 80% of a slash to the insurance pool, the rest burned | |
//! | `StakeLockPeriod` / `UnbondingPeriod` | 30 days / 14 days | blocks |
//! | `MaxLockTimeout` (escrow timeout) / `MinProofTimeout` / `MaxProofTimeout` | 7 days / 10 blocks (1 minute) / 1 day | blocks |
//! | `RetentionPeriod` | 3 days: finished records kept, then pruned | blocks |
//! | `JobDepositBase` / `JobDepositPerByte` | 0.1 CLD / 0.0001 CLD | base units |
//! | `CreditMinPrice` / `MaxCreditsPerPair` | 1 CLD / 3 a day | base units / count |
//! | `DisputeBond` / `AppealBond` | 50 CLD / 100 CLD | base units |
//! | `FraudVictimShare` | 50% of a fraud slash to the requester, the rest to the treasury | |
//!
//! **Each group belongs to one origin** ([`ParameterAdmin`]): the `economics` group to Root or the
//! `economic_params` track; the `bridge` group (`ChainId`) to Root or `bridge_admin`; the
//! `governance` group (`TimeDivisor`, which scales every track's periods, root's included) to
//! Root alone, and on a production chain (`TimeDivisor` 1, the default) to no one
//! ([`Violation::TimeScalingFixed`]). No track can change a parameter that widens its own or
//! another track's power.
//!
//! **Changed only as a set that holds together.** `pallet-parameters`' own `set_parameter` is
//! closed (its admin origin is `EnsureNever`); parameters change through
//! [`guard::Pallet::set_parameter`] (`Economics::set_parameter`, by the group's origin), which
//! applies the change and refuses it, with a named [`guard::Error`], if the parameters then
//! break an invariant ([`check`]):
//!
//! - `UnbondingPeriod ≥ MaxLockTimeout + MaxProofTimeout + SlashDeferDuration`: stake stays
//!   slashable until every job it backs has ended and its slash come due
//!   ([`Violation::UnbondingTooShort`]);
//! - `RetentionPeriod ≥ SlashDeferDuration`: a record outlives its slashes' deferral
//!   ([`Violation::RetentionTooShort`]);
//! - `SlashDeferDuration ≥` the disputes' `EvidencePeriod` (2 days, scaled by `TimeDivisor`:
//!   20 blocks on the development chains): the deferral is also the window to appeal a slash
//!   and to challenge completed work, so a shorter one (zero above all) turns disputes off
//!   ([`Violation::DisputesCutShort`]). Checked again when `TimeDivisor` changes, which
//!   moves the evidence period.
//! - `0 < MinProofTimeout ≤ MaxProofTimeout`, `MaxLockTimeout > 0`
//!   ([`Violation::ProofWindowsInvalid`]);
//! - stake tiers, reputation tiers and tier price limits rise ([`Violation::StakeTiersNotRising`],
//!   [`Violation::ScoreTiersNotRising`], [`Violation::PriceLimitsNotRising`]);
//! - `DiamondFeeRate ≤ FeeRate` ([`Violation::DiamondFeeAboveFee`]); a positive minimum stake,
//!   failure window, slashing span, suspensions and dispute bonds, the 30-day suspension no shorter than the
//!   1-day one ([`Violation::ZeroValue`], [`Violation::SuspensionsInverted`]).
//!
//! Percentages cannot exceed 100%: a `Perbill` above it does not decode. The repeated-failures
//! count (3), the credit period (a day), queue budgets and storage bounds are constants: they
//! bound storage or weights, so changing them needs a runtime upgrade.

use crate::{Balance, BlockNumber, Runtime, CLD, DAYS};
use frame_support::{
	dynamic_params::{dynamic_pallet_params, dynamic_params},
	traits::Get,
};
use sp_runtime::Perbill;

/// Cloudana's runtime parameters.
#[dynamic_params(RuntimeParameters, pallet_parameters::Parameters::<Runtime>)]
pub mod dynamic_params {
	use super::*;

	/// The economics of the table above.
	#[dynamic_pallet_params]
	#[codec(index = 0)]
	pub mod economics {
		/// Share of the price paid to the treasury on completed work.
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
		/// Score gained per credited completion.
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
		/// The shortest proof timeout a requester may set, blocks.
		#[codec(index = 36)]
		pub static MinProofTimeout: BlockNumber = 10;
		/// Blocks a finished job or grid is kept before it is pruned.
		#[codec(index = 37)]
		pub static RetentionPeriod: BlockNumber = 3 * DAYS;
		/// Storage deposit of a job or grid record, base units, plus the per-byte part.
		#[codec(index = 38)]
		pub static JobDepositBase: Balance = CLD / 10;
		/// Storage deposit per byte of a job or grid record, base units.
		#[codec(index = 39)]
		pub static JobDepositPerByte: Balance = CLD / 10_000;
		/// The lowest price of work that earns reputation, base units.
		#[codec(index = 40)]
		pub static CreditMinPrice: Balance = CLD;
		/// Credited works per requester–prover pair a day.
		#[codec(index = 41)]
		pub static MaxCreditsPerPair: u32 = 3;
		/// Blocks from a prover's first offence during which its offences take the largest
		/// share.
		#[codec(index = 42)]
		pub static SlashingSpan: BlockNumber = DAYS;
		/// The bond each side of a dispute places, base units.
		#[codec(index = 43)]
		pub static DisputeBond: Balance = 50 * CLD;
		/// The bond an appeal of a dispute's ruling places, base units.
		#[codec(index = 44)]
		pub static AppealBond: Balance = 100 * CLD;
		/// Share of a fraud slash (an upheld challenge) paid to the requester; the rest goes to
		/// the treasury.
		#[codec(index = 45)]
		pub static FraudVictimShare: Perbill = Perbill::from_percent(50);
		/// Share of a job's storage deposit paid to the treasury when it expires unproven and
		/// no prover failed it, so that junk nobody takes is not free to post.
		#[codec(index = 46)]
		pub static ExpiryFee: Perbill = Perbill::from_percent(50);
	}

	/// Governance timing (`crate::governance::tracks`).
	#[dynamic_pallet_params]
	#[codec(index = 1)]
	pub mod governance {
		/// Every referendum period and the vote-locking period are divided by this (at least
		/// one block each): 1 in production; the development preset sets 1 440, so a day of
		/// governance lasts a minute.
		#[codec(index = 0)]
		pub static TimeDivisor: BlockNumber = 1;
	}

	/// The Wormhole bridge (`pallet-wormhole-bridge`).
	#[dynamic_pallet_params]
	#[codec(index = 2)]
	pub mod bridge {
		/// Cloudana's Wormhole chain id. Wormhole has assigned none to a Substrate chain with a
		/// pallet-level bridge; the default, 0xC1D0 (49 616), is in no range Wormhole uses
		/// (`sdk/vaa/structs.go`: mainnets below 100, 3104, 4000–4010, testnets 10002–10010,
		/// as of 2026). A real launch sets the id Wormhole assigns.
		#[codec(index = 0)]
		pub static ChainId: u16 = 0xC1D0;
		/// The smallest transfer `WormholeBridge::transfer` sends, base units: 1 CLD. Dust
		/// would cost the guardians and relayers who carry it more than it is worth.
		#[codec(index = 1)]
		pub static MinTransfer: Balance = CLD;
	}
}

use dynamic_params::economics;

#[cfg(feature = "runtime-benchmarks")]
impl Default for RuntimeParameters {
	fn default() -> Self {
		RuntimeParameters::Economics(economics::Parameters::FeeRate(economics::FeeRate, Some(Perbill::from_percent(10))))
	}
}

impl pallet_parameters::Config for Runtime {
	type RuntimeParameters = RuntimeParameters;
	type RuntimeEvent = crate::RuntimeEvent;
	// Closed: parameters change through `Economics::set_parameter`, which checks them as a set.
	type AdminOrigin = frame_support::traits::AsEnsureOriginWithArg<frame_support::traits::NeverEnsureOrigin<()>>;
	// Upstream's benchmarked weights (the crate exports no SubstrateWeight; `()` carries them).
	type WeightInfo = ();
}

/// An invariant the economics parameters must keep (module docs).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	scale_info::TypeInfo,
	frame_support::PalletError,
)]
pub enum Violation {
	/// `UnbondingPeriod` is shorter than `MaxLockTimeout + MaxProofTimeout +
	/// SlashDeferDuration`: stake could leave before the work it backs is judged.
	UnbondingTooShort,
	/// `RetentionPeriod` is shorter than `SlashDeferDuration`.
	RetentionTooShort,
	/// `MaxLockTimeout` is zero, or `MinProofTimeout` is zero or above `MaxProofTimeout`.
	ProofWindowsInvalid,
	/// Stake tier prices or stakes do not rise.
	StakeTiersNotRising,
	/// `SilverFrom ≤ GoldFrom ≤ DiamondFrom ≤ 1000` does not hold.
	ScoreTiersNotRising,
	/// `BronzePriceLimit ≤ SilverPriceLimit ≤ GoldPriceLimit` does not hold.
	PriceLimitsNotRising,
	/// `DiamondFeeRate` is above `FeeRate`.
	DiamondFeeAboveFee,
	/// `MinimumStake`, `FailureWindow`, `SlashingSpan`, a suspension or a dispute bond is zero.
	ZeroValue,
	/// `OffenceSuspension` is longer than `RepeatedFailuresSuspension`.
	SuspensionsInverted,
	/// `governance::TimeDivisor` is 1 (a production chain): time scaling cannot change there.
	TimeScalingFixed,
	/// `SlashDeferDuration`, the window to appeal a slash or challenge completed work, is
	/// shorter than a dispute's evidence period: slashes would apply, and challenges close,
	/// before a dispute could run.
	DisputesCutShort,
}

/// Checks the economics parameters as they stand against every invariant (module docs).
pub fn check() -> Result<(), Violation> {
	use economics::*;
	fn rising<V: PartialOrd>(values: &[V]) -> bool {
		values.windows(2).all(|pair| pair[0] <= pair[1])
	}
	let ensure = |ok: bool, violation: Violation| if ok { Ok(()) } else { Err(violation) };
	ensure(
		MaxLockTimeout::get() > 0 && MinProofTimeout::get() > 0 && MinProofTimeout::get() <= MaxProofTimeout::get(),
		Violation::ProofWindowsInvalid,
	)?;
	ensure(
		UnbondingPeriod::get() >=
			MaxLockTimeout::get().saturating_add(MaxProofTimeout::get()).saturating_add(SlashDeferDuration::get()),
		Violation::UnbondingTooShort,
	)?;
	ensure(RetentionPeriod::get() >= SlashDeferDuration::get(), Violation::RetentionTooShort)?;
	ensure(
		SlashDeferDuration::get() >= <Runtime as pallet_disputes::Config>::EvidencePeriod::get(),
		Violation::DisputesCutShort,
	)?;
	ensure(
		rising(&[StakeTier1Price::get(), StakeTier2Price::get(), StakeTier3Price::get()]) &&
			rising(&[Stake0::get(), Stake1::get(), Stake2::get(), Stake3::get()]),
		Violation::StakeTiersNotRising,
	)?;
	ensure(
		rising(&[SilverFrom::get(), GoldFrom::get(), DiamondFrom::get(), pallet_reputation::MAX_SCORE]),
		Violation::ScoreTiersNotRising,
	)?;
	ensure(
		rising(&[BronzePriceLimit::get(), SilverPriceLimit::get(), GoldPriceLimit::get()]),
		Violation::PriceLimitsNotRising,
	)?;
	ensure(DiamondFeeRate::get() <= FeeRate::get(), Violation::DiamondFeeAboveFee)?;
	ensure(
		MinimumStake::get() > 0 &&
			FailureWindow::get() > 0 &&
			SlashingSpan::get() > 0 &&
			OffenceSuspension::get() > 0 &&
			DisputeBond::get() > 0 &&
			AppealBond::get() > 0,
		Violation::ZeroValue,
	)?;
	ensure(OffenceSuspension::get() <= RepeatedFailuresSuspension::get(), Violation::SuspensionsInverted)?;
	ensure(dynamic_params::governance::TimeDivisor::get() > 0, Violation::ZeroValue)
}

/// Every runtime parameter with the value it has now: the one stored by a referendum or at
/// genesis, or else its default. Served by `ParametersApi_current` (`crate::apis`), so that
/// clients can show the current values of parameters never set on chain.
pub fn current() -> alloc::vec::Vec<RuntimeParameters> {
	use dynamic_params::governance;
	use frame_support::traits::Get;
	macro_rules! economics {
		($($name:ident),* $(,)?) => {
			alloc::vec![$(RuntimeParameters::Economics(economics::Parameters::$name(economics::$name, Some(economics::$name::get())))),*]
		};
	}
	let mut all = economics![
		FeeRate, DiamondFeeRate, CancellationFee, MinimumStake, StakeTier1Price, StakeTier2Price,
		StakeTier3Price, Stake0, Stake1, Stake2, Stake3, StakeLockPeriod,
		UnbondingPeriod, MaxLockTimeout, MaxProofTimeout, SilverFrom, GoldFrom, DiamondFrom,
		BronzePriceLimit, SilverPriceLimit, GoldPriceLimit, SuccessBonus, FiveStarBonus, TimeoutPenalty,
		InvalidProofPenalty, FailurePenalty, DisputeLostPenalty, TimeoutSlash, InvalidProofSlash, RepeatedFailuresSlash,
		FraudSlash, FailureWindow, RepeatedFailuresSuspension, OffenceSuspension, SlashDeferDuration, InsuranceShare,
		MinProofTimeout, RetentionPeriod, JobDepositBase, JobDepositPerByte, CreditMinPrice, MaxCreditsPerPair,
		SlashingSpan, DisputeBond, AppealBond, FraudVictimShare, ExpiryFee,
	];
	all.push(RuntimeParameters::Governance(governance::Parameters::TimeDivisor(
		governance::TimeDivisor,
		Some(governance::TimeDivisor::get()),
	)));
	all.push(RuntimeParameters::Bridge(dynamic_params::bridge::Parameters::ChainId(
		dynamic_params::bridge::ChainId,
		Some(dynamic_params::bridge::ChainId::get()),
	)));
	all.push(RuntimeParameters::Bridge(dynamic_params::bridge::Parameters::MinTransfer(
		dynamic_params::bridge::MinTransfer,
		Some(dynamic_params::bridge::MinTransfer::get()),
	)));
	all
}

impl guard::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeParameters = RuntimeParameters;
	type AdminOrigin = ParameterAdmin;
	type Store = Store;
	type WeightInfo = crate::weights::pallet_economics::SubstrateWeight<Runtime>;
}

/// Who may set each parameter group (module docs): `economics` Root or `economic_params`,
/// `bridge` Root or `bridge_admin`, `governance` Root only.
pub struct ParameterAdmin;
impl frame_support::traits::EnsureOriginWithArg<crate::RuntimeOrigin, RuntimeParameters> for ParameterAdmin {
	type Success = ();
	fn try_origin(origin: crate::RuntimeOrigin, key_value: &RuntimeParameters) -> Result<(), crate::RuntimeOrigin> {
		use crate::governance::origins::{BridgeAdmin, EconomicParams};
		use frame_support::traits::{EitherOf, EnsureOrigin};
		type Root = frame_system::EnsureRoot<crate::AccountId>;
		match key_value {
			RuntimeParameters::Economics(_) => <EitherOf<Root, EconomicParams> as EnsureOrigin<_>>::try_origin(origin),
			RuntimeParameters::Bridge(_) => <EitherOf<Root, BridgeAdmin> as EnsureOrigin<_>>::try_origin(origin),
			RuntimeParameters::Governance(_) => <Root as EnsureOrigin<_>>::try_origin(origin),
		}
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin(_: &RuntimeParameters) -> Result<crate::RuntimeOrigin, ()> {
		Ok(crate::RuntimeOrigin::root())
	}
}

/// Writes a parameter into `pallet-parameters`' storage and checks the set.
pub struct Store;
impl guard::ParameterStore<RuntimeParameters> for Store {
	fn set(key_value: RuntimeParameters) {
		use frame_support::traits::dynamic_params::AggregatedKeyValue;
		let (key, value) = key_value.into_parts();
		pallet_parameters::Parameters::<Runtime>::mutate(&key, |stored| *stored = value);
	}
	fn check() -> Result<(), Violation> {
		check()
	}
	fn check_change(key_value: &RuntimeParameters) -> Result<(), Violation> {
		match key_value {
			RuntimeParameters::Governance(_) if dynamic_params::governance::TimeDivisor::get() == 1 =>
				Err(Violation::TimeScalingFixed),
			_ => Ok(()),
		}
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn valid_change() -> RuntimeParameters {
		RuntimeParameters::Economics(economics::Parameters::UnbondingPeriod(
			economics::UnbondingPeriod,
			Some(15 * DAYS),
		))
	}
}

/// `Economics`: the one way to change the economics parameters, checked as a set (module docs).
#[frame_support::pallet]
pub mod guard {
	use super::Violation;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// Where parameters are stored, and the invariants they must keep.
	pub trait ParameterStore<KeyValue> {
		/// Stores one parameter (`None` value: back to its default).
		fn set(key_value: KeyValue);
		/// Checks the stored parameters as a set.
		fn check() -> Result<(), Violation>;
		/// Checks that `key_value` may change at all on this chain, before it is stored.
		fn check_change(key_value: &KeyValue) -> Result<(), Violation>;
		/// A change that keeps every invariant, for the benchmark.
		#[cfg(feature = "runtime-benchmarks")]
		fn valid_change() -> KeyValue;
	}

	pub use crate::weights::pallet_economics::WeightInfo;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// A parameter and its value (`pallet-parameters`' aggregated key-value).
		type RuntimeParameters: Parameter;
		/// May change a parameter: each group has its own origin.
		type AdminOrigin: frame_support::traits::EnsureOriginWithArg<Self::RuntimeOrigin, Self::RuntimeParameters>;
		/// Stores and checks them.
		type Store: ParameterStore<Self::RuntimeParameters>;
		/// Weights.
		type WeightInfo: WeightInfo;
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A parameter was set (a `None` value resets it to its default).
		ParameterSet {
			/// The parameter and its new value.
			key_value: T::RuntimeParameters,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The change would break an invariant of the parameters; the reason names it.
		InvariantBroken(Violation),
	}

	/// Parameters set at genesis (the development preset's governance timing): each the SCALE
	/// encoding of a `RuntimeParameters` key-value (hex in the chain spec), applied in order and
	/// then checked as a set.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// SCALE-encoded parameters.
		pub parameters: alloc::vec::Vec<sp_core::Bytes>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for bytes in &self.parameters {
				let key_value = T::RuntimeParameters::decode(&mut &bytes[..]).expect("a genesis parameter decodes");
				T::Store::set(key_value);
			}
			T::Store::check().expect("the genesis parameters keep every invariant");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Set a runtime parameter, if the parameters keep their invariants.
		///
		/// - Origin: `AdminOrigin` with the parameter: its group's origin (the runtime's
		///   `ParameterAdmin`: economics Root or `economic_params`, the bridge's Root or
		///   `bridge_admin`, time scaling Root only); another origin is `BadOrigin`.
		/// - `key_value`: the parameter and its value (units: see the runtime's economics
		///   table), or `None` to go back to the default.
		///
		/// Refuses a parameter this chain fixes (`TimeDivisor` on a production chain), stores it
		/// in `pallet-parameters`, then checks every invariant; if one breaks, nothing changes.
		///
		/// Emits [`Event::ParameterSet`].
		///
		/// Errors: `BadOrigin` (not the group's origin); [`Error::InvariantBroken`] with the
		/// [`Violation`] (`TimeScalingFixed` for a parameter this chain fixes).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_parameter())]
		pub fn set_parameter(origin: OriginFor<T>, key_value: T::RuntimeParameters) -> DispatchResult {
			<T::AdminOrigin as frame_support::traits::EnsureOriginWithArg<_, _>>::ensure_origin(origin, &key_value)?;
			T::Store::check_change(&key_value).map_err(Error::<T>::InvariantBroken)?;
			T::Store::set(key_value.clone());
			T::Store::check().map_err(Error::<T>::InvariantBroken)?;
			Self::deposit_event(Event::ParameterSet { key_value });
			Ok(())
		}
	}
}

/// Benchmarks of `Economics` (frame-benchmarking v2): a valid change, so every invariant is
/// read and checked.
#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking {
	use super::guard::*;
	use frame_benchmarking::v2::*;
	use frame_support::traits::EnsureOriginWithArg;

	#[benchmarks]
	mod benchmarks {
		use super::*;

		#[benchmark]
		fn set_parameter() -> Result<(), BenchmarkError> {
			let change = T::Store::valid_change();
			let origin = <T::AdminOrigin as EnsureOriginWithArg<_, _>>::try_successful_origin(&change).map_err(|_| BenchmarkError::Weightless)?;

			#[extrinsic_call]
			_(origin as T::RuntimeOrigin, change);

			Ok(())
		}

		// Run as tests on the real runtime's storage (scripts/test.sh, stage 2).
		impl_benchmark_test_suite!(Pallet, sp_io::TestExternalities::default(), crate::Runtime);
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_defaults_keep_every_invariant() {
		sp_io::TestExternalities::default().execute_with(|| assert_eq!(check(), Ok(())));
	}

	#[test]
	fn current_lists_every_parameter_once_with_its_default_or_stored_value() {
		use frame_support::traits::dynamic_params::AggregatedKeyValue;
		use guard::ParameterStore;
		use scale_info::{TypeDef, TypeInfo};
		let variants = |info: scale_info::Type| match info.type_def {
			TypeDef::Variant(def) => def.variants.len(),
			_ => panic!("a parameter key that is not an enum"),
		};
		let declared = variants(economics::ParametersKey::type_info()) +
			variants(dynamic_params::governance::ParametersKey::type_info()) +
			variants(dynamic_params::bridge::ParametersKey::type_info());
		sp_io::TestExternalities::default().execute_with(|| {
			let all = current();
			assert_eq!(all.len(), declared, "current() misses a parameter");
			let keys: alloc::collections::BTreeSet<_> = all.iter().map(|p| codec::Encode::encode(&p.clone().into_parts().0)).collect();
			assert_eq!(keys.len(), all.len(), "current() lists a parameter twice");
			assert!(all.contains(&RuntimeParameters::Economics(economics::Parameters::DisputeBond(
				economics::DisputeBond,
				Some(50 * CLD)
			))));
			Store::set(RuntimeParameters::Economics(economics::Parameters::DisputeBond(
				economics::DisputeBond,
				Some(40 * CLD),
			)));
			assert!(current().contains(&RuntimeParameters::Economics(economics::Parameters::DisputeBond(
				economics::DisputeBond,
				Some(40 * CLD)
			))));
		});
	}

	#[test]
	fn a_percentage_above_100_does_not_decode() {
		use codec::{Decode, Encode};
		assert!(Perbill::decode(&mut &1_000_000_001u32.encode()[..]).is_err());
	}
}
