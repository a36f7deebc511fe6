//! OpenGov: FRAME's `pallet-referenda`, `pallet-conviction-voting`, `pallet-scheduler`,
//! `pallet-preimage` and `pallet-treasury` (twice: the treasury, and the insurance pool), with
//! Cloudana's track origins ([`origins`]) and tracks ([`tracks`]).
//!
//! Who governs what:
//!
//! | call | origin |
//! |---|---|
//! | any call | Root: the `root` track (and Sudo on the development chain only) |
//! | `Economics::set_parameter`, an `economics` parameter | Root or `economic_params` |
//! | `Economics::set_parameter`, a `bridge` parameter (`ChainId`, `MinTransfer`) | Root or `bridge_admin` |
//! | `WormholeBridge::register_peer` / `set_guardian_set`, unpausing | Root or `bridge_admin` |
//! | `WormholeBridge::set_paused` (pausing) / `cancel_inbound` | Root, `bridge_admin` or `bridge_guardian` |
//! | `Economics::set_parameter`, a `governance` parameter (`TimeDivisor`) | Root, and never where it is 1 (production) |
//! | `Slashing::cancel_deferred_slash` | Root or `slash_cancel` |
//! | `Verifier::revoke_vk` | Root |
//! | `Treasury::spend` | Root (any amount) or `treasurer` (≤ 100 000 CLD) |
//! | `InsurancePool::spend` | Root (any amount) or `insurance_spend` (≤ 50 000 CLD) |
//! | `Referenda::cancel` / `kill` | Root or `referendum_canceller` / `referendum_killer` |
//! | `Disputes::rule` | Root, or the dispute's own referendum: `dispute` (first round) or `dispute_appeal` (appeal), as `pallet-disputes` opens them ([`DisputeReferenda`], [`DisputeRuler`]) |
//!
//! Anyone may submit a referendum (`Referenda::submit`, 10 CLD submission deposit) on the track
//! its proposal's origin maps to; the decision deposit is the track's. Votes lock with
//! conviction for multiples of `VoteLockingPeriod` (7 days, divided by `TimeDivisor` like the
//! track periods): 0.1× unlocks at once, 1× locks one period, 2× two, 3× four, 4× eight, 5× sixteen,
//! 6× thirty-two.

pub mod origins;
pub mod tracks;

use crate::{
	configs::{InsurancePool as InsurancePoolAccount, TreasuryAccount},
	AccountId, Balance, Balances, BlockNumber, OriginCaller, Preimage, Referenda, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeHoldReason, RuntimeOrigin, Scheduler, System, Treasury, CLD, DAYS, MILLI_CLD,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, tokens::{PayFromAccount, UnityAssetBalanceConversion}, ConstU32, EitherOf,
		EqualPrivilegeOnly, Get, LinearStoragePrice, TotalIssuanceOf,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureSigned};
use sp_runtime::{traits::IdentityLookup, Perbill, Permill};

impl origins::pallet_custom_origins::Config for Runtime {}

parameter_types! {
	pub const PreimageBaseDeposit: Balance = CLD;
	pub const PreimageByteDeposit: Balance = MILLI_CLD;
	pub const PreimageHoldReason: RuntimeHoldReason = RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

/// Preimages (proposals' calls) hold 1 CLD + 0.001 CLD per byte until unnoted.
impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

parameter_types! {
	/// Scheduled calls (enacted referenda) may use 80% of a block.
	pub MaximumSchedulerWeight: Weight = Perbill::from_percent(80) * crate::configs::RuntimeBlockWeights::get().max_block;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeEvent = RuntimeEvent;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// A production period of `BLOCKS` divided by the chain's `TimeDivisor` (at least one block).
pub struct Scaled<const BLOCKS: BlockNumber>;
impl<const BLOCKS: BlockNumber> Get<BlockNumber> for Scaled<BLOCKS> {
	fn get() -> BlockNumber {
		tracks::scaled(BLOCKS)
	}
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	type MaxTurnout = TotalIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<512>;
	/// 7 days, divided by the chain's `TimeDivisor`.
	type VoteLockingPeriod = Scaled<{ 7 * DAYS }>;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

parameter_types! {
	pub const SubmissionDeposit: Balance = 10 * CLD;
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = frame_support::traits::AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, origins::ReferendumCanceller>;
	type KillOrigin = EitherOf<EnsureRoot<AccountId>, origins::ReferendumKiller>;
	/// Killed referenda's deposits go to the treasury.
	type Slash = Treasury;
	type Votes = Balance;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	/// 14 days, divided by the chain's `TimeDivisor`.
	type UndecidingTimeout = Scaled<{ 14 * DAYS }>;
	type AlarmInterval = frame_support::traits::ConstU32<1>;
	type Tracks = tracks::TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// The treasury's pallet id (its account: `"modl" ‖ "py/trsry"`, zero-padded).
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	/// The insurance pool's pallet id (`"modl" ‖ "cld/insu"`).
	pub const InsurancePalletId: PalletId = PalletId(*b"cld/insu");
	pub const SpendPeriod: BlockNumber = 6 * DAYS;
	/// Nothing is burned at the end of a spend period.
	pub const NoBurn: Permill = Permill::zero();
	pub const PayoutPeriod: BlockNumber = 30 * DAYS;
	pub const MaxBalance: Balance = Balance::MAX;
}

/// A `pallet-treasury` instance over `$pallet_id`'s account `$account`, spent by Root or `$spender`
/// referenda (the treasury and the insurance pool differ only in these).
macro_rules! treasury_instance {
	($instance:ty, $pallet_id:ty, $account:ty, $spender:ty) => {
		impl pallet_treasury::Config<$instance> for Runtime {
			type Currency = Balances;
			type RejectOrigin = EnsureRoot<AccountId>;
			type RuntimeEvent = RuntimeEvent;
			type SpendPeriod = SpendPeriod;
			type Burn = NoBurn;
			type PalletId = $pallet_id;
			type BurnDestination = ();
			type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
			type SpendFunds = ();
			type MaxApprovals = ConstU32<100>;
			type SpendOrigin = EitherOf<EnsureRootWithSuccess<AccountId, MaxBalance>, $spender>;
			type AssetKind = ();
			type Beneficiary = AccountId;
			type BeneficiaryLookup = IdentityLookup<AccountId>;
			type Paymaster = PayFromAccount<Balances, $account>;
			type BalanceConverter = UnityAssetBalanceConversion;
			type PayoutPeriod = PayoutPeriod;
			#[cfg(feature = "runtime-benchmarks")]
			type BenchmarkHelper = ();
			type BlockNumberProvider = System;
		}
	};
}

// The treasury (fees, killed referenda's deposits): spent by `treasurer` referenda.
treasury_instance!((), TreasuryPalletId, TreasuryAccount, origins::Treasurer);
// The insurance pool (80% of every slash): spent by `insurance_spend` referenda, to pay
// requesters and provers.
treasury_instance!(pallet_treasury::Instance1, InsurancePalletId, InsurancePoolAccount, origins::InsuranceSpend);

/// Who may call `Disputes::rule`, and as whom: Root, a `dispute` referendum (the first round) or
/// a `dispute_appeal` referendum (the appeal). `pallet-disputes` then accepts a track's ruling
/// only from the dispute's own referendum.
pub struct DisputeRuler;
impl frame_support::traits::EnsureOrigin<RuntimeOrigin> for DisputeRuler {
	type Success = pallet_disputes::Ruler;
	fn try_origin(origin: RuntimeOrigin) -> Result<pallet_disputes::Ruler, RuntimeOrigin> {
		use frame_support::traits::OriginTrait;
		use pallet_disputes::Ruler;
		match origin.caller() {
			OriginCaller::system(frame_system::RawOrigin::Root) => Ok(Ruler::Root),
			OriginCaller::Origins(origins::Origin::Dispute) => Ok(Ruler::FirstRound),
			OriginCaller::Origins(origins::Origin::DisputeAppeal) => Ok(Ruler::AppealRound),
			_ => Err(origin),
		}
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(RuntimeOrigin::from(origins::Origin::Dispute))
	}
}

/// The referenda that decide disputes (`pallet-disputes`' [`pallet_disputes::DisputeReferenda`]):
/// a first round on the `dispute` track, an appeal on `dispute_appeal`. The disputer (or
/// appellant) submits the referendum and places its decision deposit, as any proposer would,
/// through `pallet-referenda`'s own calls; the proposal, `Disputes::rule`, is inlined (a few
/// bytes, no preimage).
pub struct DisputeReferenda;
impl pallet_disputes::DisputeReferenda<AccountId, pallet_disputes::Call<Runtime>> for DisputeReferenda {
	fn submit(
		who: &AccountId,
		round: pallet_disputes::Round,
		proposal: pallet_disputes::Call<Runtime>,
	) -> Result<pallet_disputes::ReferendumIndex, sp_runtime::DispatchError> {
		use frame_support::traits::{schedule::DispatchTime, StorePreimage};
		let track = match round {
			pallet_disputes::Round::First => origins::Origin::Dispute,
			pallet_disputes::Round::Appeal { .. } => origins::Origin::DisputeAppeal,
		};
		let proposal = Preimage::bound(RuntimeCall::from(proposal))?;
		let index = pallet_referenda::ReferendumCount::<Runtime>::get();
		let signed = || RuntimeOrigin::signed(who.clone());
		Referenda::submit(signed(), alloc::boxed::Box::new(OriginCaller::Origins(track)), proposal, DispatchTime::After(0))?;
		Referenda::place_decision_deposit(signed(), index).map_err(|e| e.error)?;
		Ok(index)
	}

	fn outcome(index: pallet_disputes::ReferendumIndex) -> pallet_disputes::ReferendumOutcome {
		use pallet_disputes::ReferendumOutcome;
		use pallet_referenda::ReferendumInfo;
		match pallet_referenda::ReferendumInfoFor::<Runtime>::get(index) {
			Some(ReferendumInfo::Ongoing(_)) => ReferendumOutcome::Ongoing,
			Some(ReferendumInfo::Approved(..)) => ReferendumOutcome::Approved,
			// Rejected, timed out, cancelled, killed; or never submitted.
			_ => ReferendumOutcome::Rejected,
		}
	}
}
