//! A mock runtime for pallet-disputes' unit tests: real balances and holds; the slashes, work,
//! stake and referenda it reaches through traits are kept in thread-locals the tests set.

use crate as pallet_disputes;
use crate::{DisputeReferenda, ReferendumIndex, ReferendumOutcome, Round, Ruler, SlashId, WorkId};
use cloudana_primitives::{
	traits::{DisputedSlash, FraudSlash, WorkParties},
	CircuitId, Offence,
};
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{
		fungible::{Balanced, Credit},
		tokens::{Fortitude, Precision, Preservation},
		Imbalance,
	},
};
use sp_runtime::{BuildStorage, DispatchError};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Disputes: pallet_disputes,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

pub const PROVER: u64 = 1;
pub const REQUESTER: u64 = 2;
pub const OUTSIDER: u64 = 3;
pub const TREASURY: u64 = 98;
/// Stand-ins for the origins of the `dispute` and `dispute_appeal` tracks.
pub const FIRST_ROUND_TRACK: u64 = 90;
pub const APPEAL_TRACK: u64 = 91;
/// What each test job is worth to its requester (caps a fraud verdict's share).
pub const WORK_VALUE: u64 = 1_000;
pub const ACCOUNTS: [u64; 4] = [PROVER, REQUESTER, OUTSIDER, TREASURY];

thread_local! {
	/// Pending slashes: id -> (record, frozen).
	pub static SLASHES: RefCell<BTreeMap<SlashId, DisputedSlash<u64, u64>>> = const { RefCell::new(BTreeMap::new()) };
	/// What happened to slashes: (id, "cancelled" | "applied").
	pub static SLASH_LOG: RefCell<Vec<(SlashId, &'static str)>> = const { RefCell::new(Vec::new()) };
	/// Work: id -> parties.
	pub static WORK: RefCell<BTreeMap<WorkId, WorkParties<u64, u64, u64>>> = const { RefCell::new(BTreeMap::new()) };
	/// Work the chain can tell nobody could prove.
	pub static UNPROVABLE: RefCell<Vec<WorkId>> = const { RefCell::new(Vec::new()) };
	/// Stake per prover (part of its free balance).
	pub static STAKES: RefCell<BTreeMap<u64, u64>> = const { RefCell::new(BTreeMap::new()) };
	/// Open disputes per prover, and the sum they keep at stake.
	pub static OPEN: RefCell<BTreeMap<u64, (u32, u64)>> = const { RefCell::new(BTreeMap::new()) };
	/// Banned provers.
	pub static BANNED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
	/// Referenda: (submitter, round, proposal) and their outcome.
	pub static REFERENDA: RefCell<Vec<(u64, Round, crate::Call<Test>, ReferendumOutcome)>> = const { RefCell::new(Vec::new()) };
}

pub struct Slashes;
impl cloudana_primitives::traits::SlashDisputes<u64, u64> for Slashes {
	fn pending(slash: SlashId) -> Option<DisputedSlash<u64, u64>> {
		SLASHES.with(|s| s.borrow().get(&slash).cloned())
	}
	fn freeze(slash: SlashId) -> bool {
		SLASHES.with(|s| match s.borrow_mut().get_mut(&slash) {
			Some(pending) if !pending.frozen => {
				pending.frozen = true;
				true
			},
			_ => false,
		})
	}
	fn cancel(slash: SlashId) {
		if SLASHES.with(|s| s.borrow_mut().remove(&slash)).is_some() {
			SLASH_LOG.with(|l| l.borrow_mut().push((slash, "cancelled")));
		}
	}
	fn apply(slash: SlashId) {
		if let Some(pending) = SLASHES.with(|s| s.borrow_mut().remove(&slash)) {
			drop(Stake::take(&pending.offender, pending.amount));
			SLASH_LOG.with(|l| l.borrow_mut().push((slash, "applied")));
		}
	}
	fn fraud_exposure(offender: &u64) -> u64 {
		Stake::stake(offender) / 2
	}
	fn punish_fraud(offender: &u64, _work: WorkId, victim: &u64, victim_cap: u64, at_stake: u64) -> FraudSlash<u64> {
		BANNED.with(|b| b.borrow_mut().push(*offender));
		let credit = Stake::take(offender, (Stake::stake(offender) / 2).max(at_stake));
		let amount = credit.peek();
		let (to_victim, to_treasury) = credit.split((amount / 2).min(victim_cap));
		let slashed = FraudSlash { amount, to_victim: to_victim.peek(), to_treasury: to_treasury.peek() };
		let _ = Balances::resolve(victim, to_victim);
		let _ = Balances::resolve(&TREASURY, to_treasury);
		slashed
	}
}

/// Root, and the two tracks as signed stand-ins.
pub struct RulingOrigin;
impl frame_support::traits::EnsureOrigin<RuntimeOrigin> for RulingOrigin {
	type Success = Ruler;
	fn try_origin(o: RuntimeOrigin) -> Result<Ruler, RuntimeOrigin> {
		match o.clone().into() {
			Ok(frame_system::RawOrigin::Root) => Ok(Ruler::Root),
			Ok(frame_system::RawOrigin::Signed(FIRST_ROUND_TRACK)) => Ok(Ruler::FirstRound),
			Ok(frame_system::RawOrigin::Signed(APPEAL_TRACK)) => Ok(Ruler::AppealRound),
			_ => Err(o),
		}
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(RuntimeOrigin::signed(FIRST_ROUND_TRACK))
	}
}

pub struct Work;
impl cloudana_primitives::traits::DisputableWork<u64, u64, u64> for Work {
	fn parties(work: WorkId) -> Option<WorkParties<u64, u64, u64>> {
		WORK.with(|w| w.borrow().get(&work).cloned())
	}
	fn provably_unprovable(work: WorkId) -> bool {
		UNPROVABLE.with(|u| u.borrow().contains(&work))
	}
}

/// Stake kept in the prover's free balance.
pub struct Stake;
impl Stake {
	pub fn stake(who: &u64) -> u64 {
		STAKES.with(|s| s.borrow().get(who).copied().unwrap_or(0))
	}
	fn take(who: &u64, amount: u64) -> Credit<u64, Balances> {
		let amount = amount.min(Self::stake(who));
		STAKES.with(|s| *s.borrow_mut().entry(*who).or_default() -= amount);
		<Balances as Balanced<u64>>::withdraw(who, amount, Precision::Exact, Preservation::Expendable, Fortitude::Force)
			.expect("the stake is in the free balance")
	}
	pub fn open(who: &u64) -> u32 {
		OPEN.with(|o| o.borrow().get(who).map_or(0, |open| open.0))
	}
	pub fn at_stake(who: &u64) -> u64 {
		OPEN.with(|o| o.borrow().get(who).map_or(0, |open| open.1))
	}
}
impl cloudana_primitives::traits::StakeLedger<u64, u64, Balances> for Stake {
	fn slashable(who: &u64) -> u64 {
		Self::stake(who)
	}
	fn slash(who: &u64, amount: u64) -> Credit<u64, Balances> {
		Self::take(who, amount)
	}
	fn suspend(_: &u64, _: u64) {}
	fn lift_suspension(_: &u64, _: u64) {}
	fn ban(who: &u64) {
		BANNED.with(|b| b.borrow_mut().push(*who));
	}
	fn dispute_opened(who: &u64, at_stake: u64) {
		OPEN.with(|o| {
			let mut o = o.borrow_mut();
			let open = o.entry(*who).or_default();
			*open = (open.0 + 1, open.1 + at_stake);
		});
	}
	fn dispute_closed(who: &u64, at_stake: u64) {
		OPEN.with(|o| {
			let mut o = o.borrow_mut();
			let open = o.entry(*who).or_default();
			*open = (open.0 - 1, open.1 - at_stake);
		});
	}
}

/// Referenda as a list the tests end by hand; a submission costs 10 of deposit (reserved
/// nowhere: the tests check bonds, not deposits) and fails for an account without 10 free.
pub struct Referenda;
impl DisputeReferenda<u64, crate::Call<Test>> for Referenda {
	fn submit(who: &u64, round: Round, proposal: crate::Call<Test>) -> Result<ReferendumIndex, DispatchError> {
		use frame_support::traits::fungible::Inspect;
		if Balances::reducible_balance(who, Preservation::Preserve, Fortitude::Polite) < 10 {
			return Err(DispatchError::Other("referendum deposit"));
		}
		Ok(REFERENDA.with(|r| {
			let mut r = r.borrow_mut();
			r.push((*who, round, proposal, ReferendumOutcome::Ongoing));
			(r.len() - 1) as ReferendumIndex
		}))
	}
	fn outcome(index: ReferendumIndex) -> ReferendumOutcome {
		REFERENDA.with(|r| r.borrow().get(index as usize).map_or(ReferendumOutcome::Rejected, |r| r.3))
	}
}

/// Ends referendum `index`.
pub fn end_referendum(index: ReferendumIndex, outcome: ReferendumOutcome) {
	REFERENDA.with(|r| r.borrow_mut()[index as usize].3 = outcome);
}

parameter_types! {
	pub const DisputeBond: u64 = 50;
	pub const AppealBond: u64 = 100;
	pub const ChallengeWindow: u64 = 20;
	pub const EvidencePeriod: u64 = 10;
	pub const AppealWindow: u64 = 5;
	pub const MaxEvidence: u32 = 4;
	pub const MaxNoteLen: u32 = 16;
}

impl pallet_disputes::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Slashes = Slashes;
	type Work = Work;
	type Stake = Stake;
	type Referenda = Referenda;
	type RulingOrigin = RulingOrigin;
	type DisputeBond = DisputeBond;
	type AppealBond = AppealBond;
	type ChallengeWindow = ChallengeWindow;
	type EvidencePeriod = EvidencePeriod;
	type AppealWindow = AppealWindow;
	type MaxEvidence = MaxEvidence;
	type MaxNoteLen = MaxNoteLen;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}

/// The work of the tests: job 7 (completed by `PROVER` at block 1), job 8 (failed: slash 0
/// pending for it).
pub const JOB: WorkId = WorkId::Job(7);
pub const FAILED: WorkId = WorkId::Job(8);

pub fn add_slash(id: SlashId, offender: u64, work: WorkId, amount: u64) {
	SLASHES.with(|s| {
		s.borrow_mut()
			.insert(id, DisputedSlash { offender, kind: Offence::InvalidProof, work, amount, frozen: false })
	});
}

pub fn add_work(work: WorkId, requester: u64, completed: Option<(u64, u64)>) {
	WORK.with(|w| w.borrow_mut().insert(work, WorkParties { requester, value: WORK_VALUE, circuit: CircuitId::zero(), completed }));
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(PROVER, 2_000), (REQUESTER, 2_000), (OUTSIDER, 2_000), (TREASURY, 1)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	SLASHES.with(|s| s.borrow_mut().clear());
	SLASH_LOG.with(|s| s.borrow_mut().clear());
	WORK.with(|s| s.borrow_mut().clear());
	UNPROVABLE.with(|s| s.borrow_mut().clear());
	OPEN.with(|s| s.borrow_mut().clear());
	BANNED.with(|s| s.borrow_mut().clear());
	REFERENDA.with(|s| s.borrow_mut().clear());
	STAKES.with(|s| *s.borrow_mut() = BTreeMap::from([(PROVER, 1_000)]));
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		add_work(JOB, REQUESTER, Some((PROVER, 1)));
		add_work(FAILED, REQUESTER, None);
		add_slash(0, PROVER, FAILED, 250);
	});
	ext
}

pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// Gives benchmark accounts funds, slashes and work in the thread-locals.
#[cfg(feature = "runtime-benchmarks")]
pub struct Helper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for Helper {
	fn fund(who: &u64) {
		use frame_support::traits::fungible::Mutate;
		Balances::set_balance(who, 10_000);
	}
	fn pending_slash(prover: &u64, requester: &u64, unprovable: bool) -> SlashId {
		let work = WorkId::Job(100);
		add_work(work, *requester, None);
		if unprovable {
			UNPROVABLE.with(|u| u.borrow_mut().push(work));
		}
		add_slash(100, *prover, work, 100);
		100
	}
	fn completed_work(requester: &u64, prover: &u64) -> WorkId {
		STAKES.with(|s| s.borrow_mut().insert(*prover, 1_000));
		let work = WorkId::Job(101);
		add_work(work, *requester, Some((*prover, System::block_number())));
		work
	}
	fn end_referendum(index: ReferendumIndex, approved: bool) {
		end_referendum(index, if approved { ReferendumOutcome::Approved } else { ReferendumOutcome::Rejected });
	}
}
