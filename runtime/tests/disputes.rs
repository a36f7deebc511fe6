//! Disputes on the real runtime, with the development preset's timing (`TimeDivisor` 1 440:
//! the `dispute` track's 2-day evidence period is 20 blocks, its decision period 70, the appeal
//! window 10): every verdict, decided by real referenda with conviction votes, with balances,
//! holds and issuance checked before and after (`common::check_invariants` runs every pallet's
//! `try_state`, pallet-disputes' bond conservation included, after each block).

use crate::common;

use cloudana_groth16_simulator::Trapdoor;
use cloudana_runtime::{
	configs::{dynamic_params::economics, TreasuryAccount},
	AccountId, Balances, Disputes, Jobs, ProverStaking, Referenda, Reputation, Runtime, RuntimeEvent, RuntimeOrigin,
	System, CLD,
};
use crate::common::{check_invariants, dev_ext, run_to_block, run_until_ended, set, vote_all};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Get,
	},
};
use pallet_disputes::{Phase, Reason, Subject};
use pallet_jobs::{JobStatus, WorkId};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie};

const SEED: &[u8] = b"cloudana/runtime/disputes-test";
const BOND: u128 = 50 * CLD;
const APPEAL_BOND: u128 = 100 * CLD;
/// The `dispute` and `dispute_appeal` tracks' decision deposit, and every track's submission
/// deposit.
const DECISION_DEPOSIT: u128 = 100 * CLD;
const SUBMISSION_DEPOSIT: u128 = 10 * CLD;

fn circuit() -> (H256, Trapdoor) {
	common::circuit(SEED)
}

/// A 50 CLD job of `requester`.
fn submit(requester: &AccountId, circuit: H256, lock_timeout: u32, proof_timeout: u32) -> u64 {
	common::submit(requester, circuit, common::fixed_price(50 * CLD, lock_timeout, proof_timeout))
}

fn register(prover: &AccountId, circuit: H256) {
	if ProverStaking::prover(prover).is_some() {
		return;
	}
	assert_ok!(ProverStaking::register(RuntimeOrigin::signed(prover.clone()), 1_000 * CLD, vec![circuit].try_into().unwrap()));
}

/// Bob (Gold, 700) registers 1 000 CLD and times out on Alice's job: a pending slash of 100 CLD.
fn pending_slash() -> u64 {
	let (circuit, _) = circuit();
	let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
	set(economics::Parameters::MinProofTimeout(economics::MinProofTimeout, Some(5)));
	register(&bob, circuit);
	let job = submit(&alice, circuit, 3, 5);
	assert_ok!(Jobs::lock(RuntimeOrigin::signed(bob), job));
	run_to_block(System::block_number() + 6);
	pallet_slashing::PendingSlashes::<Runtime>::iter().next().map(|(id, _)| id).unwrap()
}

/// Bob completes a job of Alice's with a valid proof; returns the work.
fn completed_job() -> WorkId {
	let (circuit, trapdoor) = circuit();
	let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
	register(&bob, circuit);
	let job = submit(&alice, circuit, 100, 50);
	assert_ok!(Jobs::lock(RuntimeOrigin::signed(bob.clone()), job));
	assert_ok!(common::prove(&trapdoor, job, &bob));
	assert!(matches!(Jobs::job(job).unwrap().status, JobStatus::Completed { .. }));
	WorkId::Job(job)
}

fn referendum_of(dispute: u64) -> u32 {
	match Disputes::dispute(dispute).map(|d| d.phase) {
		Some(Phase::Voting { referendum, .. }) => referendum,
		other => panic!("dispute {dispute} is not voting: {other:?}"),
	}
}

/// Everyone votes `aye` on the dispute's referendum; runs until it ends and its call (if
/// approved) is enacted.
fn decide(dispute: u64, aye: bool) {
	let index = referendum_of(dispute);
	vote_all(index, aye);
	run_until_ended(index, 200);
	// Enactment: one block after approval.
	run_to_block(System::block_number() + 2);
	if !aye {
		assert_ok!(Disputes::conclude(RuntimeOrigin::signed(Charlie.to_account_id()), dispute));
	}
}

/// Runs past the appeal window and carries the ruling out.
fn carry_out(dispute: u64) {
	let Some(Phase::Ruled { appeal_until, .. }) = Disputes::dispute(dispute).map(|d| d.phase) else { panic!("not ruled") };
	assert_noop!(
		Disputes::conclude(RuntimeOrigin::signed(Charlie.to_account_id()), dispute),
		pallet_disputes::Error::<Runtime>::AppealWindowOpen
	);
	run_to_block(appeal_until);
	assert_ok!(Disputes::conclude(RuntimeOrigin::signed(Charlie.to_account_id()), dispute));
}

/// Refunds a referendum's deposits (anyone may ask, once it ended).
fn refund(index: u32) {
	let charlie = RuntimeOrigin::signed(Charlie.to_account_id());
	assert_ok!(Referenda::refund_decision_deposit(charlie.clone(), index));
	let _ = Referenda::refund_submission_deposit(charlie, index);
}

fn bonded(who: &AccountId) -> u128 {
	Balances::balance_on_hold(&pallet_disputes::HoldReason::DisputeBond.into(), who)
}

fn concluded() -> Option<(bool, bool, u128, u128)> {
	System::events().into_iter().rev().find_map(|record| match record.event {
		RuntimeEvent::Disputes(pallet_disputes::Event::DisputeConcluded {
			upheld, automatic, bonds_paid, fraud_slashed, ..
		}) => Some((upheld, automatic, bonds_paid, fraud_slashed)),
		_ => None,
	})
}

#[test]
fn a_prover_appeals_an_unprovable_job_wins_its_referendum_and_the_requesters_bond() {
	dev_ext().execute_with(|| {
		let slash = pending_slash();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let (alice_free, bob_free) = (Balances::balance(&alice), Balances::balance(&bob));
		let issuance = Balances::total_issuance();
		assert_eq!(Reputation::score(&bob), 670, "700, less the timeout's 30");

		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(bob.clone()), slash, Reason::RequesterFault));
		let index = referendum_of(0);
		assert_eq!(bonded(&bob), BOND);
		assert_eq!(Balances::balance(&bob), bob_free - BOND - SUBMISSION_DEPOSIT - DECISION_DEPOSIT);
		assert!(pallet_slashing::FrozenSlashes::<Runtime>::contains_key(slash), "frozen at once");
		// The appealed slash stays at stake while the dispute runs; the rest of Bob's stake may leave.
		let at_stake = pallet_slashing::PendingSlashes::<Runtime>::get(slash).unwrap().amount;
		assert_eq!(pallet_prover_staking::DisputedStake::<Runtime>::get(&bob), Some(at_stake));
		// Evidence from both sides; Alice's first evidence bonds her.
		for who in [&bob, &alice] {
			assert_ok!(Disputes::add_evidence(
				RuntimeOrigin::signed(who.clone()),
				0,
				H256::repeat_byte(7),
				b"sha256 of the job log".to_vec()
			));
		}
		assert_eq!(bonded(&alice), BOND);
		// A slash deferral (2 days: 28 800 blocks) would long have passed by the end of a
		// production dispute: frozen, it waits.
		decide(0, true);
		carry_out(0);
		assert_eq!(concluded(), Some((true, false, BOND, 0)));
		refund(index);

		assert!(pallet_slashing::PendingSlashes::<Runtime>::get(slash).is_none(), "cancelled");
		run_to_block(7 + 2 * cloudana_runtime::DAYS + 1);
		assert_eq!(ProverStaking::slashable(&bob), 1_000 * CLD, "never slashed");
		assert_eq!(Reputation::score(&bob), 700, "the penalty given back");
		assert_eq!(Balances::balance(&bob), bob_free + BOND, "its bond back, and Alice's");
		assert_eq!(Balances::balance(&alice), alice_free - BOND);
		assert_eq!((bonded(&alice), bonded(&bob)), (0, 0));
		assert_eq!(pallet_prover_staking::DisputedStake::<Runtime>::get(&bob), None);
		assert_eq!(Balances::total_issuance(), issuance);
		check_invariants();
	});
}

#[test]
fn a_rejected_appeal_applies_the_slash_at_once_and_the_bond_goes_to_the_requester() {
	dev_ext().execute_with(|| {
		let slash = pending_slash();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let (alice_free, bob_free) = (Balances::balance(&alice), Balances::balance(&bob));
		let issuance = Balances::total_issuance();
		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(bob.clone()), slash, Reason::ResultNotIncluded));
		let index = referendum_of(0);
		decide(0, false);
		carry_out(0);
		assert_eq!(concluded(), Some((false, false, BOND, 0)));
		refund(index);
		// 10% of 1 000 CLD, 80 to the insurance pool and 20 burned, at once.
		assert_eq!(ProverStaking::slashable(&bob), 900 * CLD);
		// A rejected referendum's submission deposit stays reserved (pallet-referenda's rule).
		assert_eq!(Balances::balance(&bob), bob_free - BOND - SUBMISSION_DEPOSIT);
		assert_eq!(Balances::balance(&alice), alice_free + BOND);
		assert_eq!(Balances::total_issuance(), issuance - 20 * CLD);
		assert_eq!(Reputation::score(&bob), 670);
		check_invariants();
	});
}

#[test]
fn item_6_a_challenged_job_found_fraudulent_costs_half_the_stake_and_pays_the_requester_at_most_its_value() {
	dev_ext().execute_with(|| {
		let work = completed_job();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let (alice_free, bob_free) = (Balances::balance(&alice), Balances::balance(&bob));
		let treasury = Balances::balance(&TreasuryAccount::get());
		let issuance = Balances::total_issuance();
		let score = Reputation::score(&bob);

		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(alice.clone()), work, Reason::WrongResult));
		let index = referendum_of(0);
		assert_noop!(
			Disputes::challenge(RuntimeOrigin::signed(alice.clone()), work, Reason::WrongResult),
			pallet_disputes::Error::<Runtime>::AlreadyDisputed
		);
		// Until the verdict Bob cannot take out the fraud share of his stake (issue 26 item 11:
		// only that, not all of it).
		assert_eq!(pallet_prover_staking::DisputedStake::<Runtime>::get(&bob), Some(500 * CLD));
		decide(0, true);
		carry_out(0);
		assert_eq!(concluded(), Some((true, false, 0, 500 * CLD)));
		refund(index);

		assert!(ProverStaking::prover(&bob).unwrap().banned);
		assert_eq!(ProverStaking::slashable(&bob), 500 * CLD);
		assert_eq!(Reputation::score(&bob), score - 200);
		// Half the slash would be 250 CLD: capped at the job's value (price 50 CLD, no collateral).
		assert_eq!(Balances::balance(&alice), alice_free + 50 * CLD, "its bond back, and the job's value");
		assert_eq!(Balances::balance(&TreasuryAccount::get()), treasury + 450 * CLD);
		assert_eq!(Balances::total_balance(&bob), bob_free + 1_000 * CLD - 500 * CLD);
		assert_eq!(Balances::total_issuance(), issuance, "nothing burned");
		check_invariants();
	});
}

#[test]
fn a_rejected_challenge_pays_the_requesters_bond_to_the_prover() {
	dev_ext().execute_with(|| {
		let work = completed_job();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let (alice_free, bob_free) = (Balances::balance(&alice), Balances::balance(&bob));
		let (issuance, stake) = (Balances::total_issuance(), ProverStaking::slashable(&bob));
		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(alice.clone()), work, Reason::WrongResult));
		let index = referendum_of(0);
		decide(0, false);
		carry_out(0);
		assert_eq!(concluded(), Some((false, false, BOND, 0)));
		refund(index);
		assert!(!ProverStaking::prover(&bob).unwrap().banned);
		assert_eq!(ProverStaking::slashable(&bob), stake);
		assert_eq!(Balances::balance(&bob), bob_free + BOND);
		// The rejected referendum's submission deposit stays reserved (pallet-referenda's rule).
		assert_eq!(Balances::balance(&alice), alice_free - BOND - SUBMISSION_DEPOSIT);
		assert_eq!((bonded(&alice), bonded(&bob)), (0, 0));
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(pallet_prover_staking::DisputedStake::<Runtime>::get(&bob), None);
		check_invariants();
	});
}

#[test]
fn a_rejected_challenge_appealed_and_overturned_is_fraud_and_the_appeal_bond_comes_back() {
	dev_ext().execute_with(|| {
		let work = completed_job();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let alice_free = Balances::balance(&alice);
		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(alice.clone()), work, Reason::WrongResult));
		assert_ok!(Disputes::add_evidence(RuntimeOrigin::signed(bob.clone()), 0, H256::zero(), b"it is right".to_vec()));
		let first = referendum_of(0);
		decide(0, false);
		// Bob won the first round; only Alice may appeal.
		assert_noop!(
			Disputes::appeal(RuntimeOrigin::signed(bob.clone()), 0),
			pallet_disputes::Error::<Runtime>::NotLoser
		);
		assert_ok!(Disputes::appeal(RuntimeOrigin::signed(alice.clone()), 0));
		assert_eq!(bonded(&alice), BOND + APPEAL_BOND);
		let appeal = referendum_of(0);
		assert_eq!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(appeal).and_then(|info| match info {
				pallet_referenda::ReferendumInfo::Ongoing(status) => Some(status.track),
				_ => None,
			}),
			Some(21),
			"the dispute_appeal track"
		);
		// The appeal's approval carries the verdict out at once.
		decide(0, true);
		assert!(Disputes::dispute(0).is_none(), "carried out by the appeal's own call");
		refund(first);
		refund(appeal);
		assert!(ProverStaking::prover(&bob).unwrap().banned);
		// Bond and appeal bond back, Bob's bond and the job's value (50 CLD, below half the
		// slash); the rejected first referendum's submission deposit stays reserved
		// (pallet-referenda's rule).
		assert_eq!(Balances::balance(&alice), alice_free + BOND + 50 * CLD - SUBMISSION_DEPOSIT);
		assert_eq!((bonded(&alice), bonded(&bob)), (0, 0));
		check_invariants();
	});
}

#[test]
fn the_chain_upholds_an_unprovable_appeal_it_can_check_without_a_vote() {
	dev_ext().execute_with(|| {
		let slash = pending_slash();
		let bob = Bob.to_account_id();
		let (circuit, _) = circuit();
		let count = pallet_referenda::ReferendumCount::<Runtime>::get();
		// Governance revokes the key (a root referendum): nobody can prove the job.
		assert_ok!(cloudana_runtime::Verifier::revoke_vk(RuntimeOrigin::root(), circuit));
		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(bob.clone()), slash, Reason::Unprovable));
		assert_eq!(concluded(), Some((true, true, 0, 0)));
		assert_eq!(pallet_referenda::ReferendumCount::<Runtime>::get(), count, "no referendum");
		assert!(pallet_slashing::PendingSlashes::<Runtime>::get(slash).is_none());
		assert_eq!(bonded(&bob), 0);
		assert_eq!(Reputation::score(&bob), 700);
		Disputes::do_try_state().unwrap();
	});
}

#[test]
fn only_parties_dispute_and_only_inside_their_windows() {
	dev_ext().execute_with(|| {
		let work = completed_job();
		let slash = pending_slash();
		let (alice, charlie) = (Alice.to_account_id(), Charlie.to_account_id());
		assert_noop!(
			Disputes::appeal_slash(RuntimeOrigin::signed(charlie.clone()), slash, Reason::Unprovable),
			pallet_disputes::Error::<Runtime>::NotOffender
		);
		assert_noop!(
			Disputes::challenge(RuntimeOrigin::signed(charlie), work, Reason::WrongResult),
			pallet_disputes::Error::<Runtime>::NotRequester
		);
		// The challenge window is the slash deferral (2 days).
		run_to_block(System::block_number() + economics::SlashDeferDuration::get());
		assert_noop!(
			Disputes::challenge(RuntimeOrigin::signed(alice), work, Reason::WrongResult),
			pallet_disputes::Error::<Runtime>::ChallengeWindowClosed
		);
		// The slash was applied at the end of its deferral: nothing left to appeal.
		assert_noop!(
			Disputes::appeal_slash(RuntimeOrigin::signed(Bob.to_account_id()), slash, Reason::Unprovable),
			pallet_disputes::Error::<Runtime>::SlashNotFound
		);
		assert!(!pallet_disputes::Subjects::<Runtime>::contains_key(Subject::Work(work)));
	});
}

/// Issue 26 item 6, through real referenda: anyone may submit a referendum on the `dispute`
/// track whose call is `Disputes::rule(0, true)`. Approved and enacted while dispute 0's own
/// referendum is still voting, it decides nothing; then dispute 0's own referendum decides it.
#[test]
fn item_6_a_strangers_dispute_track_referendum_cannot_decide_a_dispute() {
	dev_ext().execute_with(|| {
		let work = completed_job();
		let alice = Alice.to_account_id();
		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(alice), work, Reason::WrongResult));
		let own = referendum_of(0);
		let hostile = common::referendum(
			cloudana_runtime::RuntimeCall::Disputes(pallet_disputes::Call::rule { dispute: 0, upheld: true }),
			cloudana_runtime::OriginCaller::Origins(cloudana_runtime::governance::origins::Origin::Dispute),
		);
		run_until_ended(hostile, 200);
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(hostile),
			Some(pallet_referenda::ReferendumInfo::Approved(..))
		));
		run_to_block(System::block_number() + 2);
		assert_eq!(referendum_of(0), own, "the stranger's referendum decided nothing");
		assert!(!ProverStaking::prover(&Bob.to_account_id()).unwrap().banned);
		decide(0, true);
		assert!(matches!(Disputes::dispute(0).map(|d| d.phase), Some(Phase::Ruled { upheld: true, .. })));
		check_invariants();
	});
}

/// Issue 26 item 7: a key's owner (here Ferdie, who registered it; it could be the prover
/// itself) may unregister it once no live job uses it, which a timed-out job no longer does.
/// Before, a missing key made an `Unprovable` appeal automatic, so the owner could clear the
/// prover's slash without a vote. Now only governance's revocation does; an owner's own
/// removal leaves the appeal to its referendum, and only Root may revoke.
#[test]
fn item_7_a_key_its_owner_unregisters_does_not_clear_a_slash_without_a_vote() {
	dev_ext().execute_with(|| {
		let slash = pending_slash();
		let bob = Bob.to_account_id();
		let (circuit, _) = circuit();
		let ferdie = RuntimeOrigin::signed(sp_keyring::Sr25519Keyring::Ferdie.to_account_id());
		assert_noop!(cloudana_runtime::Verifier::revoke_vk(ferdie.clone(), circuit), sp_runtime::DispatchError::BadOrigin);
		assert_ok!(cloudana_runtime::Verifier::unregister_vk(ferdie, circuit));
		let count = pallet_referenda::ReferendumCount::<Runtime>::get();
		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(bob.clone()), slash, Reason::Unprovable));
		assert_eq!(pallet_referenda::ReferendumCount::<Runtime>::get(), count + 1, "decided by a referendum");
		assert!(matches!(Disputes::dispute(0).map(|d| d.phase), Some(Phase::Voting { .. })));
		assert!(pallet_slashing::PendingSlashes::<Runtime>::get(slash).is_some(), "the slash stands, frozen");
		assert_eq!(bonded(&bob), BOND);
		check_invariants();
	});
}
