//! Total issuance and every account's total balance are conserved by every call, whatever
//! the sequence and whether calls fail; only fees move value to the treasury, and exactly the
//! fees the jobs record.

use super::*;
use crate::{mock::*, JobStatus, Jobs as JobsStorage};
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
		(0u64..6, any::<bool>()).prop_map(|(job, by_other)| Op::Lock { job, by_other }),
		(0u64..6, any::<bool>()).prop_map(|(job, honest)| Op::Prove { job, honest }),
		(0u64..6).prop_map(|job| Op::Cancel { job }),
		(1u64..8).prop_map(|blocks| Op::Advance { blocks }),
	]
}

fn fees_recorded() -> u64 {
	JobsStorage::<Test>::iter_values()
		.map(|job| match job.status {
			JobStatus::Completed { fee, .. } | JobStatus::Cancelled { fee, .. } => fee,
			_ => 0,
		})
		.sum()
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 32, .. ProptestConfig::default() })]

	#[test]
	fn calls_conserve_balances(ops in proptest::collection::vec(op(), 1..30)) {
		new_test_ext().execute_with(|| {
			let circuit = product_circuit();
			register_prover(&prover(), circuit, 1_000);
			register_prover(&other_prover(), circuit, 1_000);
			let (issuance, sum) = totals();
			let treasury = Balances::total_balance(&TREASURY);
			for op in ops {
				let _ = match op {
					Op::Submit { a, b } => Jobs::submit(RuntimeOrigin::signed(requester()), circuit, inputs(&[a, b]), terms()),
					Op::Lock { job, by_other } => {
						let who = if by_other { other_prover() } else { prover() };
						Jobs::lock(RuntimeOrigin::signed(who), job)
					},
					Op::Prove { job, honest } => match JobsStorage::<Test>::get(job).map(|j| (j.status, j.inputs)) {
						Some((JobStatus::Locked { prover: who, .. }, inputs)) => {
							let a = u64::from_be_bytes(inputs[0][24..].try_into().unwrap());
							let b = u64::from_be_bytes(inputs[1][24..].try_into().unwrap());
							let proof = prove_product(&Jobs::binding(job, &who), a, b);
							let claimed = if honest { a * b } else { a * b + 1 };
							Jobs::submit_result(RuntimeOrigin::signed(who), job, outputs(&[claimed]), Box::new(proof)).map(|_| ()).map_err(|e| e.error)
						},
						_ => Ok(()),
					},
					Op::Cancel { job } => Jobs::cancel(RuntimeOrigin::signed(requester()), job),
					Op::Advance { blocks } => { run_to_block(System::block_number() + blocks); Ok(()) },
				};
				prop_assert_eq!(totals(), (issuance, sum));
				prop_assert_eq!(Balances::total_balance(&TREASURY), treasury + fees_recorded());
				prop_assert!(Jobs::do_try_state().is_ok());
				prop_assert!(Verifier::do_try_state().is_ok());
				prop_assert!(ProverStaking::do_try_state().is_ok());
			}
			Ok(())
		})?;
	}
}
