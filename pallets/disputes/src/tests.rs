//! pallet-disputes: every verdict (appeal and challenge, upheld and rejected, at once and by
//! referendum, with and without an appeal), the bonds each moves, and every error path.

use crate::{mock::*, Disputes as DisputeRecords, Error, Event, HoldReason, Phase, Reason, ReferendumOutcome, Round, Side, Subject, Subjects, WorkId};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Hooks,
	},
};
use sp_core::H256;
use sp_runtime::DispatchError;

fn total() -> u64 {
	ACCOUNTS.iter().map(|a| Balances::total_balance(a)).sum()
}

fn bonded(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::DisputeBond.into(), &who)
}

fn check() {
	Disputes::do_try_state().unwrap();
}

fn evidence(who: u64, dispute: u64) -> sp_runtime::DispatchResult {
	Disputes::add_evidence(RuntimeOrigin::signed(who), dispute, H256::repeat_byte(who as u8), b"see the log".to_vec())
}

/// Ends the dispute's current referendum and lets anyone move it on.
fn end_and_conclude(dispute: u64, outcome: ReferendumOutcome) {
	let Some(Phase::Voting { referendum, .. }) = DisputeRecords::<Test>::get(dispute).map(|d| d.phase) else {
		panic!("voting")
	};
	end_referendum(referendum, outcome);
	assert_ok!(Disputes::conclude(RuntimeOrigin::signed(OUTSIDER), dispute));
}

fn past_appeal_window(dispute: u64) {
	let Some(Phase::Ruled { appeal_until, .. }) = DisputeRecords::<Test>::get(dispute).map(|d| d.phase) else {
		panic!("ruled")
	};
	assert_noop!(Disputes::conclude(RuntimeOrigin::signed(OUTSIDER), dispute), Error::<Test>::AppealWindowOpen);
	run_to_block(appeal_until);
	assert_ok!(Disputes::conclude(RuntimeOrigin::signed(OUTSIDER), dispute));
}

#[test]
fn an_upheld_appeal_cancels_the_slash_and_pays_the_prover_the_requesters_bond() {
	new_test_ext().execute_with(|| {
		<Disputes as Hooks<u64>>::integrity_test();
		let (issuance, before) = (Balances::total_issuance(), total());
		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(PROVER), 0, Reason::RequesterFault));
		System::assert_last_event(
			Event::DisputeOpened {
				dispute: 0,
				subject: Subject::Slash(0),
				reason: Reason::RequesterFault,
				disputer: PROVER,
				respondent: REQUESTER,
				bond: 50,
				referendum: Some(0),
				at_stake: 250,
			}
			.into(),
		);
		assert!(SLASHES.with(|s| s.borrow()[&0].frozen), "the slash is frozen at once");
		assert_eq!((bonded(PROVER), Stake::open(&PROVER), Stake::at_stake(&PROVER)), (50, 1, 250), "the slash at stake");
		let (submitter, round, proposal, _) = REFERENDA.with(|r| r.borrow()[0].clone());
		assert_eq!((submitter, round), (PROVER, Round::First));
		assert_eq!(proposal, crate::Call::rule { dispute: 0, upheld: true });
		// Both sides post evidence; the requester's first evidence bonds it.
		assert_ok!(evidence(PROVER, 0));
		assert_ok!(evidence(REQUESTER, 0));
		assert_eq!(bonded(REQUESTER), 50);
		check();
		// The referendum passes once evidence is closed: its call rules with the track's origin.
		assert_noop!(Disputes::rule(RuntimeOrigin::signed(FIRST_ROUND_TRACK), 0, true), Error::<Test>::EvidenceOpen);
		run_to_block(11);
		end_referendum(0, ReferendumOutcome::Approved);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(FIRST_ROUND_TRACK), 0, true));
		System::assert_last_event(Event::Ruled { dispute: 0, upheld: true, appeal_until: 16 }.into());
		past_appeal_window(0);
		System::assert_last_event(
			Event::DisputeConcluded {
				dispute: 0,
				subject: Subject::Slash(0),
				upheld: true,
				automatic: false,
				bonds_paid: 50,
				fraud_slashed: 0,
			}
			.into(),
		);
		assert_eq!(SLASH_LOG.with(|l| l.borrow().clone()), vec![(0, "cancelled")]);
		assert_eq!((Balances::balance(&PROVER), Balances::balance(&REQUESTER)), (2_050, 1_950));
		assert_eq!((bonded(PROVER), bonded(REQUESTER), Stake::open(&PROVER)), (0, 0, 0));
		assert!(DisputeRecords::<Test>::get(0).is_none() && !Subjects::<Test>::contains_key(Subject::Slash(0)));
		assert_eq!((Balances::total_issuance(), total()), (issuance, before));
		// Nothing twice.
		assert_noop!(Disputes::conclude(RuntimeOrigin::signed(OUTSIDER), 0), Error::<Test>::DisputeNotFound);
		check();
	});
}

#[test]
fn a_rejected_appeal_applies_the_slash_at_once_and_forfeits_the_bond_to_the_requester() {
	new_test_ext().execute_with(|| {
		let (issuance, before) = (Balances::total_issuance(), total());
		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(PROVER), 0, Reason::ResultNotIncluded));
		assert_noop!(Disputes::conclude(RuntimeOrigin::signed(OUTSIDER), 0), Error::<Test>::ReferendumOngoing);
		end_and_conclude(0, ReferendumOutcome::Rejected);
		System::assert_last_event(Event::Ruled { dispute: 0, upheld: false, appeal_until: 6 }.into());
		past_appeal_window(0);
		assert_eq!(SLASH_LOG.with(|l| l.borrow().clone()), vec![(0, "applied")]);
		// The slash (250) burned from the stake in this mock; the bond (50) went to the requester.
		assert_eq!((Balances::balance(&PROVER), Balances::balance(&REQUESTER)), (2_000 - 250 - 50, 2_050));
		assert_eq!(total(), before - 250);
		assert_eq!(Balances::total_issuance(), issuance - 250);
		check();
	});
}

#[test]
fn the_chain_upholds_an_appeal_it_can_check_itself_without_a_vote() {
	new_test_ext().execute_with(|| {
		UNPROVABLE.with(|u| u.borrow_mut().push(FAILED));
		// Another ground is voted on even when the work is unprovable.
		add_slash(1, PROVER, FAILED, 100);
		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(PROVER), 1, Reason::RequesterFault));
		assert_eq!(REFERENDA.with(|r| r.borrow().len()), 1);
		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(PROVER), 0, Reason::Unprovable));
		System::assert_last_event(
			Event::DisputeConcluded {
				dispute: 1,
				subject: Subject::Slash(0),
				upheld: true,
				automatic: true,
				bonds_paid: 0,
				fraud_slashed: 0,
			}
			.into(),
		);
		assert_eq!(REFERENDA.with(|r| r.borrow().len()), 1, "no referendum");
		assert_eq!(SLASH_LOG.with(|l| l.borrow().clone()), vec![(0, "cancelled")]);
		assert_eq!(bonded(PROVER), 50, "only the voted appeal's bond is held");
		assert_eq!(Stake::open(&PROVER), 1);
		check();
	});
}

#[test]
fn an_upheld_challenge_is_fraud_half_the_stake_split_requester_and_treasury() {
	new_test_ext().execute_with(|| {
		let (issuance, before) = (Balances::total_issuance(), total());
		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(REQUESTER), JOB, Reason::TrainingMismatch));
		assert_eq!((bonded(REQUESTER), Stake::open(&PROVER)), (50, 1));
		assert_eq!(Stake::at_stake(&PROVER), 500, "the fraud share of the stake, not all of it");
		assert_ok!(evidence(REQUESTER, 0));
		assert_ok!(evidence(PROVER, 0));
		run_to_block(11);
		assert_ok!(Disputes::rule(RuntimeOrigin::root(), 0, true));
		past_appeal_window(0);
		System::assert_last_event(
			Event::DisputeConcluded {
				dispute: 0,
				subject: Subject::Work(JOB),
				upheld: true,
				automatic: false,
				bonds_paid: 50,
				fraud_slashed: 500,
			}
			.into(),
		);
		assert_eq!(BANNED.with(|b| b.borrow().clone()), vec![PROVER]);
		assert_eq!(Balances::balance(&PROVER), 2_000 - 500 - 50);
		assert_eq!(Balances::balance(&REQUESTER), 2_000 + 250 + 50);
		assert_eq!(Balances::balance(&TREASURY), 1 + 250);
		assert_eq!((Balances::total_issuance(), total()), (issuance, before));
		assert_eq!(Stake::open(&PROVER), 0);
		// The work stays challenged until its record is pruned.
		assert_noop!(
			Disputes::challenge(RuntimeOrigin::signed(REQUESTER), JOB, Reason::WrongResult),
			Error::<Test>::AlreadyDisputed
		);
		WORK.with(|w| w.borrow_mut().remove(&JOB));
		<Disputes as crate::WorkOutcomes<u64, u64>>::on_reaped(JOB);
		assert!(!Subjects::<Test>::contains_key(Subject::Work(JOB)));
		check();
	});
}

#[test]
fn a_rejected_challenge_pays_the_requesters_bond_to_the_prover() {
	new_test_ext().execute_with(|| {
		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(REQUESTER), JOB, Reason::WrongResult));
		end_and_conclude(0, ReferendumOutcome::Rejected);
		past_appeal_window(0);
		assert_eq!((Balances::balance(&PROVER), Balances::balance(&REQUESTER)), (2_050, 1_950));
		assert!(BANNED.with(|b| b.borrow().is_empty()));
		check();
	});
}

#[test]
fn an_appeal_that_wins_overturns_the_ruling_and_gets_its_bond_back() {
	new_test_ext().execute_with(|| {
		let before = total();
		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(REQUESTER), JOB, Reason::TrainingMismatch));
		assert_ok!(evidence(PROVER, 0));
		end_and_conclude(0, ReferendumOutcome::Rejected);
		// Only the loser (the requester) may appeal, inside the window.
		assert_noop!(Disputes::appeal(RuntimeOrigin::signed(PROVER), 0), Error::<Test>::NotLoser);
		assert_ok!(Disputes::appeal(RuntimeOrigin::signed(REQUESTER), 0));
		System::assert_last_event(Event::Appealed { dispute: 0, by: Side::Disputer, bond: 100, referendum: 1 }.into());
		assert_eq!(bonded(REQUESTER), 150);
		let (_, round, proposal, _) = REFERENDA.with(|r| r.borrow()[1].clone());
		assert_eq!((round, proposal), (Round::Appeal { first: false }, crate::Call::rule { dispute: 0, upheld: true }));
		assert_noop!(Disputes::appeal(RuntimeOrigin::signed(REQUESTER), 0), Error::<Test>::NotRuled);
		assert_noop!(evidence(REQUESTER, 0), Error::<Test>::EvidenceClosed);
		check();
		// The appeal passes: its call carries out the verdict at once.
		end_referendum(1, ReferendumOutcome::Approved);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(APPEAL_TRACK), 0, true));
		assert_eq!(BANNED.with(|b| b.borrow().clone()), vec![PROVER]);
		assert_eq!(Balances::balance(&REQUESTER), 2_000 + 250 + 50, "bond and appeal bond back, plus the prover's bond");
		assert_eq!(Balances::balance(&PROVER), 2_000 - 500 - 50);
		assert_eq!(total(), before);
		assert_eq!((bonded(PROVER), bonded(REQUESTER)), (0, 0));
		check();
	});
}

#[test]
fn an_appeal_that_loses_confirms_the_ruling_and_pays_its_bond_to_the_other_side() {
	new_test_ext().execute_with(|| {
		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(PROVER), 0, Reason::RequesterFault));
		assert_ok!(evidence(REQUESTER, 0));
		end_and_conclude(0, ReferendumOutcome::Approved);
		System::assert_last_event(Event::Ruled { dispute: 0, upheld: true, appeal_until: 6 }.into());
		assert_ok!(Disputes::appeal(RuntimeOrigin::signed(REQUESTER), 0));
		end_and_conclude(0, ReferendumOutcome::Rejected);
		assert_eq!(SLASH_LOG.with(|l| l.borrow().clone()), vec![(0, "cancelled")]);
		assert_eq!(Balances::balance(&PROVER), 2_000 + 50 + 100);
		assert_eq!(Balances::balance(&REQUESTER), 2_000 - 50 - 100);
		check();
	});
}

#[test]
fn the_appeal_window_closes() {
	new_test_ext().execute_with(|| {
		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(REQUESTER), JOB, Reason::TrainingMismatch));
		assert_noop!(Disputes::appeal(RuntimeOrigin::signed(REQUESTER), 0), Error::<Test>::NotRuled);
		end_and_conclude(0, ReferendumOutcome::Rejected);
		run_to_block(6);
		assert_noop!(Disputes::appeal(RuntimeOrigin::signed(REQUESTER), 0), Error::<Test>::AppealWindowClosed);
		assert_noop!(Disputes::appeal(RuntimeOrigin::signed(REQUESTER), 9), Error::<Test>::DisputeNotFound);
	});
}

#[test]
fn opening_errors_change_nothing() {
	new_test_ext().execute_with(|| {
		let signed = RuntimeOrigin::signed;
		assert_noop!(Disputes::appeal_slash(signed(PROVER), 0, Reason::TrainingMismatch), Error::<Test>::WrongReason);
		assert_noop!(Disputes::appeal_slash(signed(PROVER), 5, Reason::Unprovable), Error::<Test>::SlashNotFound);
		assert_noop!(Disputes::appeal_slash(signed(OUTSIDER), 0, Reason::Unprovable), Error::<Test>::NotOffender);
		add_slash(1, PROVER, WorkId::Job(99), 10);
		assert_noop!(Disputes::appeal_slash(signed(PROVER), 1, Reason::Unprovable), Error::<Test>::WorkNotFound);
		assert_noop!(Disputes::appeal_slash(RuntimeOrigin::none(), 0, Reason::Unprovable), DispatchError::BadOrigin);

		assert_noop!(Disputes::challenge(signed(REQUESTER), JOB, Reason::Unprovable), Error::<Test>::WrongReason);
		assert_noop!(Disputes::challenge(signed(REQUESTER), WorkId::Job(99), Reason::WrongResult), Error::<Test>::WorkNotFound);
		assert_noop!(Disputes::challenge(signed(OUTSIDER), JOB, Reason::WrongResult), Error::<Test>::NotRequester);
		assert_noop!(Disputes::challenge(signed(REQUESTER), FAILED, Reason::WrongResult), Error::<Test>::NotCompleted);

		// A disputer that cannot afford the bond, or the referendum's deposits.
		let poor = 40;
		add_slash(2, poor, FAILED, 10);
		assert_noop!(Disputes::appeal_slash(signed(poor), 2, Reason::Unprovable), Error::<Test>::InsufficientBalance);
		{
			use frame_support::traits::fungible::Mutate;
			Balances::set_balance(&poor, 55);
		}
		assert_noop!(Disputes::appeal_slash(signed(poor), 2, Reason::Unprovable), DispatchError::Other("referendum deposit"));

		assert_ok!(Disputes::appeal_slash(signed(PROVER), 0, Reason::Unprovable));
		assert_noop!(Disputes::appeal_slash(signed(PROVER), 0, Reason::RequesterFault), Error::<Test>::AlreadyDisputed);
		assert_ok!(Disputes::challenge(signed(REQUESTER), JOB, Reason::WrongResult));
		assert_noop!(Disputes::challenge(signed(REQUESTER), JOB, Reason::WrongResult), Error::<Test>::AlreadyDisputed);
		check();
	});
}

#[test]
fn a_challenge_comes_inside_its_window() {
	new_test_ext().execute_with(|| {
		run_to_block(21);
		assert_noop!(
			Disputes::challenge(RuntimeOrigin::signed(REQUESTER), JOB, Reason::WrongResult),
			Error::<Test>::ChallengeWindowClosed
		);
		add_work(WorkId::Slot(3, 1), REQUESTER, Some((PROVER, 2)));
		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(REQUESTER), WorkId::Slot(3, 1), Reason::TrainingMismatch));
	});
}

#[test]
fn evidence_errors_change_nothing() {
	new_test_ext().execute_with(|| {
		assert_noop!(evidence(PROVER, 0), Error::<Test>::DisputeNotFound);
		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(PROVER), 0, Reason::RequesterFault));
		assert_noop!(evidence(OUTSIDER, 0), Error::<Test>::NotParty);
		assert_noop!(
			Disputes::add_evidence(RuntimeOrigin::signed(PROVER), 0, H256::zero(), vec![b'x'; 17]),
			Error::<Test>::NoteTooLong
		);
		for _ in 0..4 {
			assert_ok!(evidence(PROVER, 0));
		}
		assert_noop!(evidence(PROVER, 0), Error::<Test>::TooMuchEvidence);
		// A respondent that cannot afford its bond posts nothing.
		let record = DisputeRecords::<Test>::get(0).unwrap();
		assert_eq!(record.evidence.len(), 4);
		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(REQUESTER), JOB, Reason::WrongResult));
		{
			use frame_support::traits::fungible::Mutate;
			Balances::set_balance(&PROVER, 40);
		}
		assert_noop!(evidence(PROVER, 1), Error::<Test>::InsufficientBalance);
		run_to_block(11);
		assert_noop!(evidence(REQUESTER, 1), Error::<Test>::EvidenceClosed);
	});
}

#[test]
fn only_the_ruling_origin_rules_and_only_while_voting() {
	new_test_ext().execute_with(|| {
		assert_noop!(Disputes::rule(RuntimeOrigin::root(), 0, true), Error::<Test>::DisputeNotFound);
		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(REQUESTER), JOB, Reason::WrongResult));
		assert_noop!(Disputes::rule(RuntimeOrigin::signed(REQUESTER), 0, true), DispatchError::BadOrigin);
		assert_noop!(Disputes::rule(RuntimeOrigin::root(), 0, false), Error::<Test>::EvidenceOpen);
		run_to_block(11);
		assert_ok!(Disputes::rule(RuntimeOrigin::root(), 0, false));
		assert_noop!(Disputes::rule(RuntimeOrigin::root(), 0, true), Error::<Test>::NotVoting);
		assert_noop!(Disputes::conclude(RuntimeOrigin::none(), 0), DispatchError::BadOrigin);
	});
}

#[test]
fn a_slash_cancelled_by_governance_during_its_appeal_is_not_cancelled_twice() {
	new_test_ext().execute_with(|| {
		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(PROVER), 0, Reason::RequesterFault));
		<Slashes as cloudana_primitives::traits::SlashDisputes<u64, u64>>::cancel(0);
		end_and_conclude(0, ReferendumOutcome::Rejected);
		past_appeal_window(0);
		assert_eq!(SLASH_LOG.with(|l| l.borrow().clone()), vec![(0, "cancelled")], "nothing applied after the cancel");
		check();
	});
}

/// One step of a random dispute history.
#[derive(Clone, Debug)]
enum Op {
	/// The prover appeals slash `n` (0..3) on a ground.
	AppealSlash(u64, u8),
	/// The requester challenges job `n` (7, or another completed job).
	Challenge(u64),
	/// Party 0 (prover), 1 (requester) or 2 (outsider) posts evidence to dispute `d`.
	Evidence(u8, u64),
	/// Root rules on dispute `d`.
	Rule(u64, bool),
	/// Referendum `r` ends, approved or not.
	End(u32, bool),
	/// Party `p` appeals dispute `d`.
	Appeal(u8, u64),
	/// Anyone concludes dispute `d`.
	Conclude(u64),
	/// Blocks pass.
	Advance(u64),
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
	use proptest::prelude::*;
	prop_oneof![
		(0u64..3, 0u8..3).prop_map(|(n, r)| Op::AppealSlash(n, r)),
		(7u64..10).prop_map(Op::Challenge),
		(0u8..3, 0u64..4).prop_map(|(p, d)| Op::Evidence(p, d)),
		(0u64..4, any::<bool>()).prop_map(|(d, u)| Op::Rule(d, u)),
		(0u32..6, any::<bool>()).prop_map(|(r, a)| Op::End(r, a)),
		(0u8..2, 0u64..4).prop_map(|(p, d)| Op::Appeal(p, d)),
		(0u64..4).prop_map(Op::Conclude),
		(1u64..8).prop_map(Op::Advance),
	]
}

proptest::proptest! {
	/// Whatever is opened, evidenced, ruled, appealed and concluded, in any order: bonds held
	/// equal the open disputes' bonds (`try_state`), balances move only between the parties, the
	/// treasury and the slashes the mock burns, every concluded dispute's record is gone, and a
	/// prover's open-dispute count matches its open disputes.
	#[test]
	fn random_dispute_histories_conserve_bonds_and_balances(ops in proptest::collection::vec(op(), 1..40)) {
		new_test_ext().execute_with(|| {
			add_slash(1, PROVER, FAILED, 100);
			add_slash(2, PROVER, FAILED, 50);
			add_work(WorkId::Job(9), REQUESTER, Some((PROVER, 1)));
			let (issuance, before) = (Balances::total_issuance(), total());
			let parties = [PROVER, REQUESTER, OUTSIDER];
			let grounds = [Reason::Unprovable, Reason::RequesterFault, Reason::ResultNotIncluded];
			let mut burned = 0u64;
			for op in ops {
				let applied_before = SLASH_LOG.with(|l| l.borrow().iter().filter(|(_, what)| *what == "applied").count());
				let pending: std::collections::BTreeMap<_, _> = SLASHES.with(|s| s.borrow().iter().map(|(id, s)| (*id, s.amount)).collect());
				let stake_before = Stake::stake(&PROVER);
				let _ = match op {
					Op::AppealSlash(n, r) => Disputes::appeal_slash(RuntimeOrigin::signed(PROVER), n, grounds[r as usize]),
					Op::Challenge(n) => Disputes::challenge(RuntimeOrigin::signed(REQUESTER), WorkId::Job(n), Reason::WrongResult),
					Op::Evidence(p, d) => evidence(parties[p as usize], d),
					Op::Rule(d, upheld) => Disputes::rule(RuntimeOrigin::root(), d, upheld),
					Op::End(r, approved) => {
						if REFERENDA.with(|refs| (r as usize) < refs.borrow().len()) {
							end_referendum(r, if approved { ReferendumOutcome::Approved } else { ReferendumOutcome::Rejected });
						}
						Ok(())
					},
					Op::Appeal(p, d) => Disputes::appeal(RuntimeOrigin::signed(parties[p as usize]), d),
					Op::Conclude(d) => Disputes::conclude(RuntimeOrigin::signed(OUTSIDER), d),
					Op::Advance(n) => { run_to_block(System::block_number() + n); Ok(()) },
				};
				// The mock burns an applied slash from the stake; fraud moves stake to the
				// requester and the treasury.
				let applied: Vec<_> = SLASH_LOG.with(|l| l.borrow().iter().filter(|(_, what)| *what == "applied").map(|(id, _)| *id).collect());
				if applied.len() > applied_before {
					let id = applied[applied.len() - 1];
					burned += pending[&id].min(stake_before);
				}
				proptest::prop_assert_eq!(Balances::total_issuance(), issuance - burned);
				proptest::prop_assert_eq!(total(), before - burned);
				proptest::prop_assert!(Disputes::do_try_state().is_ok());
				let open = DisputeRecords::<Test>::iter().filter(|(_, d)| d.prover == PROVER).count() as u32;
				proptest::prop_assert_eq!(Stake::open(&PROVER), open);
				let at_stake = DisputeRecords::<Test>::iter().filter(|(_, d)| d.prover == PROVER).map(|(_, d)| d.at_stake).sum::<u64>();
				proptest::prop_assert_eq!(Stake::at_stake(&PROVER), at_stake);
			}
			Ok(())
		})?;
	}
}

/// Issue 26 item 6: anyone can submit a referendum on the `dispute` track whose call is
/// `rule(any dispute, true)`; before, any approved one decided any dispute, in any round, even
/// before its evidence closed. Only the dispute's own referendum rules now: the recorded
/// index, approved, on its round's track, with the ruling it proposed.
#[test]
fn item_6_only_the_disputes_own_referendum_rules_and_only_after_evidence() {
	new_test_ext().execute_with(|| {
		// Dispute 0 (referendum 0): the requester's challenge. Dispute 1 (referendum 1): the
		// prover's appeal of slash 0, standing in for any other referendum on the track.
		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(REQUESTER), JOB, Reason::WrongResult));
		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(PROVER), 0, Reason::RequesterFault));
		let first = RuntimeOrigin::signed(FIRST_ROUND_TRACK);
		end_referendum(1, ReferendumOutcome::Approved);
		assert_noop!(Disputes::rule(first.clone(), 0, true), Error::<Test>::EvidenceOpen);
		run_to_block(11);
		// Referendum 1 passed; dispute 0's own is still voting.
		assert_noop!(Disputes::rule(first.clone(), 0, true), Error::<Test>::NotTheDisputesReferendum);
		end_referendum(0, ReferendumOutcome::Approved);
		// Its referendum proposed `upheld`; the appeal track does not rule the first round.
		assert_noop!(Disputes::rule(first.clone(), 0, false), Error::<Test>::NotTheDisputesReferendum);
		assert_noop!(Disputes::rule(RuntimeOrigin::signed(APPEAL_TRACK), 0, true), Error::<Test>::NotTheDisputesReferendum);
		assert_ok!(Disputes::rule(first.clone(), 0, true));
		// The prover appeals (referendum 2, on `dispute_appeal`, proposing `rejected`).
		assert_ok!(Disputes::appeal(RuntimeOrigin::signed(PROVER), 0));
		let appeal = RuntimeOrigin::signed(APPEAL_TRACK);
		assert_noop!(Disputes::rule(appeal.clone(), 0, false), Error::<Test>::NotTheDisputesReferendum);
		end_referendum(2, ReferendumOutcome::Approved);
		assert_noop!(Disputes::rule(first, 0, false), Error::<Test>::NotTheDisputesReferendum);
		assert_noop!(Disputes::rule(appeal.clone(), 0, true), Error::<Test>::NotTheDisputesReferendum);
		assert_ok!(Disputes::rule(appeal, 0, false));
		assert!(DisputeRecords::<Test>::get(0).is_none(), "the appeal's own ruling carried the verdict out");
		assert!(BANNED.with(|b| b.borrow().is_empty()), "overturned: no fraud");
		check();
	});
}

/// Issue 26 item 6: a fraud verdict pays the requester at most the work's value; the rest of
/// its share goes to the treasury.
#[test]
fn item_6_a_fraud_verdict_pays_the_requester_at_most_the_works_value() {
	new_test_ext().execute_with(|| {
		let cheap = WorkId::Job(20);
		WORK.with(|w| {
			w.borrow_mut().insert(
				cheap,
				crate::WorkParties { requester: REQUESTER, value: 30, circuit: Default::default(), completed: Some((PROVER, 1)) },
			)
		});
		let before = total();
		assert_ok!(Disputes::challenge(RuntimeOrigin::signed(REQUESTER), cheap, Reason::WrongResult));
		run_to_block(11);
		assert_ok!(Disputes::rule(RuntimeOrigin::root(), 0, true));
		past_appeal_window(0);
		// 500 slashed: 30 (the job's value, not 250) to the requester, 470 to the treasury.
		assert_eq!(Balances::balance(&REQUESTER), 2_000 + 30);
		assert_eq!(Balances::balance(&TREASURY), 1 + 470);
		assert_eq!(total(), before);
		check();
	});
}

/// Issue 26 item 5: the runtime gives `conclude` of a dispute that can move on now a priority
/// block-stuffers cannot outbid cheaply; `is_concludable` says exactly when `conclude` would
/// succeed: not while the referendum runs, not in the appeal window, not for an unknown dispute.
#[test]
fn item_26_5_a_dispute_is_concludable_exactly_when_conclude_succeeds() {
	new_test_ext().execute_with(|| {
		assert!(!Disputes::is_concludable(0), "no such dispute");
		assert_ok!(Disputes::appeal_slash(RuntimeOrigin::signed(PROVER), 0, Reason::ResultNotIncluded));
		assert!(!Disputes::is_concludable(0), "its referendum is running");
		let Some(Phase::Voting { referendum, .. }) = DisputeRecords::<Test>::get(0).map(|d| d.phase) else { panic!("voting") };
		end_referendum(referendum, ReferendumOutcome::Rejected);
		assert!(Disputes::is_concludable(0), "its referendum ended");
		assert_ok!(Disputes::conclude(RuntimeOrigin::signed(OUTSIDER), 0));
		assert!(!Disputes::is_concludable(0), "the appeal window is open");
		run_to_block(6);
		assert!(Disputes::is_concludable(0), "the appeal window passed");
		assert_ok!(Disputes::conclude(RuntimeOrigin::signed(OUTSIDER), 0));
		assert!(!Disputes::is_concludable(0), "concluded");
	});
}
