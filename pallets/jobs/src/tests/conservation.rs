//! Every call conserves balances, whatever the sequence and whether calls fail: only fees move
//! value to the treasury, exactly the fees the jobs record (an expired job's in its deposit), and only burned collateral leaves
//! total issuance; and the maps stay bounded: once everything has finished and its retention
//! period passed, no record, index entry or deadline is left.

use super::*;
use crate::{mock::*, ActiveLocks, Deadlines, JobStatus, Jobs as JobsStorage, OpenWork};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
	Submit { a: u64, b: u64 },
	Lock { job: u64, by_other: bool },
	Prove { job: u64, honest: bool },
	Cancel { job: u64 },
	Advance { blocks: u64 },
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		(1u64..20, 1u64..20).prop_map(|(a, b)| Op::Submit { a, b }),
		(0u64..8, any::<bool>()).prop_map(|(job, by_other)| Op::Lock { job, by_other }),
		(0u64..8, any::<bool>()).prop_map(|(job, honest)| Op::Prove { job, honest }),
		(0u64..8).prop_map(|job| Op::Cancel { job }),
		(1u64..8).prop_map(|blocks| Op::Advance { blocks }),
	]
}

fn fees_recorded() -> u64 {
	use codec::Encode;
	JobsStorage::<Test>::iter_values()
		.map(|job| match job.status {
			JobStatus::Completed { fee, .. } | JobStatus::Cancelled { fee, .. } => fee,
			// The expiry fee left the deposit: what it was at submission (the record as it
			// was then, open), less what is left.
			JobStatus::Expired { .. } => {
				let submitted = crate::Job { status: JobStatus::Open, ..job.clone() };
				Jobs::deposit_for(submitted.encoded_size()) - job.deposit
			},
			_ => 0,
		})
		.sum()
}

fn apply(circuit: CircuitId, op: Op) {
	let _ = match op {
		Op::Submit { a, b } => Jobs::submit(RuntimeOrigin::signed(requester()), circuit, inputs(&[a, b]), terms()),
		Op::Lock { job, by_other } => {
			let who = if by_other { other_prover() } else { prover() };
			Jobs::lock(RuntimeOrigin::signed(who), job)
		},
		Op::Prove { job, honest } => match JobsStorage::<Test>::get(job).map(|j| (j.status, j.inputs)) {
			Some((JobStatus::Locked(lock), inputs)) => {
				let a = u64::from_be_bytes(inputs[0][24..].try_into().unwrap());
				let b = u64::from_be_bytes(inputs[1][24..].try_into().unwrap());
				let proof = prove_product(&Jobs::binding(WorkId::Job(job), &lock.prover), a, b);
				let claimed = if honest { a * b } else { a * b + 1 };
				Jobs::submit_result(RuntimeOrigin::signed(lock.prover), job, outputs(&[claimed]), Box::new(proof))
					.map(|_| ())
					.map_err(|e| e.error)
			},
			_ => Ok(()),
		},
		Op::Cancel { job } => Jobs::cancel(RuntimeOrigin::signed(requester()), job),
		Op::Advance { blocks } => {
			run_to_block(System::block_number() + blocks);
			Ok(())
		},
	};
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 32, .. ProptestConfig::default() })]

	#[test]
	fn calls_conserve_balances(ops in proptest::collection::vec(op(), 1..30)) {
		new_test_ext().execute_with(|| {
			// Keep every record for the run, so the fees they record can be counted.
			RetentionPeriod::set(1_000);
			let circuit = product_circuit();
			register_prover(&prover(), circuit, 10_000);
			register_prover(&other_prover(), circuit, 10_000);
			let (issuance, sum) = totals();
			let treasury = Balances::total_balance(&TREASURY);
			for op in ops {
				apply(circuit, op);
				let (now_issuance, now_sum) = totals();
				let burned = issuance - now_issuance;
				prop_assert_eq!(now_sum, sum - burned, "only burned collateral leaves");
				prop_assert_eq!(burned % 50, 0, "only whole collaterals are burned");
				prop_assert_eq!(Balances::total_balance(&TREASURY), treasury + fees_recorded());
				prop_assert!(Jobs::do_try_state().is_ok());
				prop_assert!(Verifier::do_try_state().is_ok());
				prop_assert!(ProverStaking::do_try_state().is_ok());
			}
			Ok(())
		})?;
	}

	#[test]
	fn the_maps_empty_once_everything_has_ended(ops in proptest::collection::vec(op(), 1..60)) {
		new_test_ext().execute_with(|| {
			let circuit = product_circuit();
			register_prover(&prover(), circuit, 10_000);
			register_prover(&other_prover(), circuit, 10_000);
			let deposits_before = deposit(&requester());
			for op in ops {
				apply(circuit, op);
			}
			// Lock windows (20), proof windows (5) and the retention period (30) all pass.
			run_to_block(System::block_number() + 60);
			prop_assert_eq!(JobsStorage::<Test>::iter().count(), 0);
			prop_assert_eq!(Deadlines::<Test>::iter().count(), 0);
			prop_assert_eq!(OpenWork::<Test>::iter().count(), 0);
			prop_assert_eq!(ActiveLocks::<Test>::iter().count(), 0);
			prop_assert_eq!(deposit(&requester()), deposits_before);
			prop_assert_eq!((escrow(&requester()), reserved(&prover()), reserved(&other_prover())), (0, 0, 0));
			Ok(())
		})?;
	}
}
