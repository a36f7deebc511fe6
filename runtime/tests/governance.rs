//! OpenGov on the real runtime, with the development preset's timing (`TimeDivisor` 1 440):
//! referenda from preimage to enactment with conviction votes, and what each track origin may
//! and may not do.


use cloudana_runtime::{
	configs::{
		dynamic_params::{bridge, economics, governance},
		InsurancePool as InsurancePoolAccount, RuntimeParameters, TreasuryAccount},
	governance::origins::{Origin, INSURANCE_SPEND_LIMIT, TREASURER_SPEND_LIMIT},
	Balances, ConvictionVoting, Economics, InsurancePool, OriginCaller, Preimage, Referenda, Runtime, RuntimeCall,
	RuntimeOrigin, Slashing, System, Treasury, CLD,
};
use codec::Encode;
use crate::common::{check_invariants, dev_ext, referendum, run_to_block, run_until_ended, VOTE};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, fungible::InspectHold, Get, StorePreimage},
};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use pallet_referenda::ReferendumInfo;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Dave};
use sp_runtime::{traits::Hash, DispatchError, Perbill};

fn fee_rate(percent: u32) -> RuntimeCall {
	RuntimeCall::Economics(cloudana_runtime::pallet_economics::Call::set_parameter {
		key_value: RuntimeParameters::Economics(economics::Parameters::FeeRate(
			economics::FeeRate,
			Some(Perbill::from_percent(percent)),
		)),
	})
}

#[test]
fn a_parameter_changes_by_an_economic_params_referendum_within_minutes_on_the_dev_chain() {
	dev_ext().execute_with(|| {
		let alice = Alice.to_account_id();
		let free_before = Balances::balance(&alice);
		let index = referendum(fee_rate(12), OriginCaller::Origins(Origin::EconomicParams));
		// Deposits held: the preimage, the submission (10 CLD) and the decision deposit (1 000 CLD).
		assert!(Balances::total_balance_on_hold(&alice) >= 1_010 * CLD);
		let blocks = run_until_ended(index, 200);
		assert!(matches!(pallet_referenda::ReferendumInfoFor::<Runtime>::get(index), Some(ReferendumInfo::Approved(..))));
		// Prepare 1 + confirm 10 blocks (development timing); at 6 s, under three minutes.
		assert!(blocks <= 30, "took {blocks} blocks");
		// Enactment: at least 10 blocks (a day, divided) after approval.
		let mut n = 0;
		while economics::FeeRate::get() != Perbill::from_percent(12) {
			n += 1;
			assert!(n <= 20, "the approved change was not enacted");
			run_to_block(System::block_number() + 1);
		}
		// Both deposits come back on request; the preimage when unnoted.
		assert_ok!(Referenda::refund_decision_deposit(RuntimeOrigin::signed(Bob.to_account_id()), index));
		assert_ok!(Referenda::refund_submission_deposit(RuntimeOrigin::signed(Bob.to_account_id()), index));
		let hash = <Runtime as frame_system::Config>::Hashing::hash(&fee_rate(12).encode());
		assert_ok!(Preimage::unnote_preimage(RuntimeOrigin::signed(alice.clone()), hash));
		assert_eq!(Balances::total_balance_on_hold(&alice), 0);
		assert_eq!(Balances::balance(&alice), free_before);
		// The vote stays locked for one VoteLockingPeriod (7 days / 1 440 = 70 blocks), then unlocks.
		assert_eq!(<Runtime as pallet_conviction_voting::Config>::VoteLockingPeriod::get(), 70);
		let locked = |who: &cloudana_runtime::AccountId| pallet_balances::Locks::<Runtime>::get(who).iter().map(|l| l.amount).max().unwrap_or(0);
		assert_eq!(locked(&alice), VOTE);
		assert_ok!(ConvictionVoting::remove_vote(RuntimeOrigin::signed(alice.clone()), Some(10), index));
		assert_ok!(ConvictionVoting::unlock(RuntimeOrigin::signed(alice.clone()), 10, alice.clone().into()));
		assert_eq!(locked(&alice), VOTE, "unlocked before its period");
		run_to_block(System::block_number() + 71);
		assert_ok!(ConvictionVoting::unlock(RuntimeOrigin::signed(alice.clone()), 10, alice.clone().into()));
		assert_eq!(locked(&alice), 0);
		check_invariants();
	});
}

#[test]
fn a_root_referendum_runs_any_call() {
	dev_ext().execute_with(|| {
		let call = RuntimeCall::System(frame_system::Call::set_storage { items: vec![(b":cloudana".to_vec(), b"governed".to_vec())] });
		let index = referendum(call, OriginCaller::system(frame_system::RawOrigin::Root));
		assert_eq!(pallet_referenda::ReferendumInfoFor::<Runtime>::get(index).map(|i| matches!(i, ReferendumInfo::Ongoing(s) if s.track == 0)), Some(true));
		run_until_ended(index, 200);
		assert!(matches!(pallet_referenda::ReferendumInfoFor::<Runtime>::get(index), Some(ReferendumInfo::Approved(..))));
		run_to_block(System::block_number() + 20);
		assert_eq!(sp_io::storage::get(b":cloudana").as_deref(), Some(&b"governed"[..]), "the root referendum's call did not run");
	});
}

#[test]
fn a_referendum_without_votes_is_rejected_and_changes_nothing() {
	dev_ext().execute_with(|| {
		let alice = RuntimeOrigin::signed(Alice.to_account_id());
		let call = fee_rate(15);
		let index = pallet_referenda::ReferendumCount::<Runtime>::get();
		assert_ok!(Referenda::submit(
			alice.clone(),
			Box::new(OriginCaller::Origins(Origin::EconomicParams)),
			Preimage::bound(call).unwrap(),
			frame_support::traits::schedule::DispatchTime::After(0),
		));
		assert_ok!(Referenda::place_decision_deposit(alice, index));
		// A nay larger than any aye.
		let nay = AccountVote::Standard { vote: Vote { aye: false, conviction: Conviction::Locked6x }, balance: 10 * CLD };
		assert_ok!(ConvictionVoting::vote(RuntimeOrigin::signed(Dave.to_account_id()), index, nay));
		run_until_ended(index, 200);
		assert!(matches!(pallet_referenda::ReferendumInfoFor::<Runtime>::get(index), Some(ReferendumInfo::Rejected(..))));
		assert_eq!(economics::FeeRate::get(), Perbill::from_percent(10));
	});
}

#[test]
fn each_track_origin_governs_only_its_calls() {
	dev_ext().execute_with(|| {
		let origin = |o: Origin| RuntimeOrigin::from(o);
		let bob = Bob.to_account_id();
		// economic_params sets a parameter (the set is still checked); other tracks may not.
		assert_ok!(Economics::set_parameter(origin(Origin::EconomicParams), RuntimeParameters::Economics(economics::Parameters::FeeRate(economics::FeeRate, Some(Perbill::from_percent(11))))));
		assert_eq!(economics::FeeRate::get(), Perbill::from_percent(11));
		for other in [Origin::SlashCancel, Origin::Treasurer, Origin::InsuranceSpend, Origin::Dispute, Origin::DisputeAppeal, Origin::ReferendumCanceller] {
			assert_noop!(
				Economics::set_parameter(origin(other), RuntimeParameters::Economics(economics::Parameters::FeeRate(economics::FeeRate, None))),
				DispatchError::BadOrigin
			);
		}
		// slash_cancel reaches the slashing pallet (an unknown slash: its own error, not BadOrigin).
		assert_noop!(Slashing::cancel_deferred_slash(origin(Origin::SlashCancel), 42), pallet_slashing::Error::<Runtime>::SlashNotFound);
		assert_noop!(Slashing::cancel_deferred_slash(origin(Origin::EconomicParams), 42), DispatchError::BadOrigin);
		// treasurer spends from the treasury up to its limit; insurance_spend from the pool.
		assert_noop!(
			Treasury::spend(origin(Origin::Treasurer), Box::new(()), TREASURER_SPEND_LIMIT + 1, Box::new(bob.clone()), None),
			pallet_treasury::Error::<Runtime>::InsufficientPermission
		);
		assert_noop!(Treasury::spend(origin(Origin::InsuranceSpend), Box::new(()), CLD, Box::new(bob.clone()), None), DispatchError::BadOrigin);
		assert_noop!(
			InsurancePool::spend(origin(Origin::InsuranceSpend), Box::new(()), INSURANCE_SPEND_LIMIT + 1, Box::new(bob.clone()), None),
			pallet_treasury::Error::<Runtime, pallet_treasury::Instance1>::InsufficientPermission
		);
		assert_noop!(InsurancePool::spend(origin(Origin::Treasurer), Box::new(()), CLD, Box::new(bob.clone()), None), DispatchError::BadOrigin);
		// An approved insurance spend is paid from the pool's account, by anyone's payout call.
		let pool_before = Balances::balance(&InsurancePoolAccount::get());
		let treasury_before = Balances::balance(&TreasuryAccount::get());
		assert_ok!(InsurancePool::spend(origin(Origin::InsuranceSpend), Box::new(()), CLD / 2, Box::new(bob.clone()), None));
		let bob_before = Balances::balance(&bob);
		assert_ok!(InsurancePool::payout(RuntimeOrigin::signed(Dave.to_account_id()), 0));
		assert_eq!(Balances::balance(&bob), bob_before + CLD / 2);
		assert_eq!(Balances::balance(&InsurancePoolAccount::get()), pool_before - CLD / 2);
		assert_eq!(Balances::balance(&TreasuryAccount::get()), treasury_before);
		// Signed accounts govern nothing.
		assert_noop!(Slashing::cancel_deferred_slash(RuntimeOrigin::signed(bob.clone()), 42), DispatchError::BadOrigin);
		assert_noop!(Treasury::spend(RuntimeOrigin::signed(bob.clone()), Box::new(()), CLD, Box::new(bob), None), DispatchError::BadOrigin);
		check_invariants();
	});
}

#[test]
fn an_origin_without_a_track_cannot_be_submitted() {
	dev_ext().execute_with(|| {
		let alice = RuntimeOrigin::signed(Alice.to_account_id());
		let call = fee_rate(12);
		assert_noop!(
			Referenda::submit(
				alice,
				Box::new(OriginCaller::system(frame_system::RawOrigin::Signed(Bob.to_account_id()))),
				Preimage::bound(call).unwrap(),
				frame_support::traits::schedule::DispatchTime::After(0),
			),
			pallet_referenda::Error::<Runtime>::NoTrack
		);
	});
}

fn set_parameter(key_value: RuntimeParameters) -> RuntimeCall {
	RuntimeCall::Economics(cloudana_runtime::pallet_economics::Call::set_parameter { key_value })
}

fn time_divisor(divisor: u32) -> RuntimeParameters {
	RuntimeParameters::Governance(governance::Parameters::TimeDivisor(governance::TimeDivisor, Some(divisor)))
}

fn chain_id(id: u16) -> RuntimeParameters {
	RuntimeParameters::Bridge(bridge::Parameters::ChainId(bridge::ChainId, Some(id)))
}

/// Passes `call` by a referendum dispatching with `origin`, and runs past its enactment.
fn pass(call: RuntimeCall, origin: OriginCaller) {
	let index = referendum(call, origin);
	run_until_ended(index, 200);
	assert!(matches!(pallet_referenda::ReferendumInfoFor::<Runtime>::get(index), Some(ReferendumInfo::Approved(..))));
	// Enactment is a day (10 blocks at the development divisor) after approval.
	run_to_block(System::block_number() + 20);
}

/// Issue 26 item 2: `economic_params` could set any runtime parameter, so a referendum on it
/// could make `TimeDivisor` huge (every track, root's included, shrinks to a block) or move the
/// bridge's chain id. Each group now has one origin; the escalation runs through real referenda
/// and changes nothing, while the group's own origin still can.
#[test]
fn item_2_no_track_widens_its_power_through_another_groups_parameters() {
	dev_ext().execute_with(|| {
		assert_eq!(governance::TimeDivisor::get(), 1_440);
		let chain = bridge::ChainId::get();
		// Approved and enacted, but the dispatch fails (BadOrigin): nothing changes.
		pass(set_parameter(time_divisor(1_000_000)), OriginCaller::Origins(Origin::EconomicParams));
		assert_eq!(governance::TimeDivisor::get(), 1_440);
		pass(set_parameter(chain_id(2)), OriginCaller::Origins(Origin::EconomicParams));
		assert_eq!(bridge::ChainId::get(), chain);
		pass(set_parameter(time_divisor(999_999)), OriginCaller::Origins(Origin::BridgeAdmin));
		assert_eq!(governance::TimeDivisor::get(), 1_440);
		// The same flow with each group's own origin enacts it.
		pass(set_parameter(chain_id(chain + 1)), OriginCaller::Origins(Origin::BridgeAdmin));
		assert_eq!(bridge::ChainId::get(), chain + 1);
		pass(set_parameter(time_divisor(720)), OriginCaller::system(frame_system::RawOrigin::Root));
		assert_eq!(governance::TimeDivisor::get(), 720);

		// Directly, each other origin is BadOrigin.
		let origin = |o: Origin| RuntimeOrigin::from(o);
		let fee = RuntimeParameters::Economics(economics::Parameters::FeeRate(economics::FeeRate, Some(Perbill::from_percent(11))));
		for (o, key_value) in [
			(Origin::EconomicParams, time_divisor(2)),
			(Origin::EconomicParams, chain_id(3)),
			(Origin::BridgeAdmin, time_divisor(2)),
			(Origin::BridgeAdmin, fee.clone()),
			(Origin::Dispute, fee.clone()),
		] {
			assert_noop!(Economics::set_parameter(origin(o), key_value), DispatchError::BadOrigin);
		}
		assert_ok!(Economics::set_parameter(origin(Origin::EconomicParams), fee));
		check_invariants();
	});
}

/// Issue 26 item 2: on a production chain (`TimeDivisor` 1, the default) time scaling is fixed,
/// even for Root; a chain that scales time may go to 1 once, and then it is fixed too.
#[test]
fn item_2_time_scaling_is_fixed_on_a_production_chain() {
	let fixed = || {
		cloudana_runtime::pallet_economics::Error::<Runtime>::InvariantBroken(
			cloudana_runtime::configs::economics::Violation::TimeScalingFixed,
		)
	};
	sp_io::TestExternalities::default().execute_with(|| {
		assert_eq!(governance::TimeDivisor::get(), 1);
		assert_noop!(Economics::set_parameter(RuntimeOrigin::root(), time_divisor(1_440)), fixed());
	});
	dev_ext().execute_with(|| {
		assert_ok!(Economics::set_parameter(RuntimeOrigin::root(), time_divisor(1)));
		assert_noop!(Economics::set_parameter(RuntimeOrigin::root(), time_divisor(1_440)), fixed());
		assert_eq!(governance::TimeDivisor::get(), 1);
	});
}
