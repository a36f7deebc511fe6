use super::*;
use crate::{mock::*, Deadline, Deadlines, Error, Event, JobStatus, OpenWork};
use cloudana_groth16_simulator::Trapdoor;
use codec::Encode;
use frame_support::{assert_noop, assert_ok};

#[test]
fn submit_holds_escrow_and_deposit_and_queues_the_lock_window() {
	new_test_ext().execute_with(|| {
		let circuit = product_circuit();
		let before = totals();
		let job = submit_product(circuit, 6, 7);
		let record = Jobs::job(job).unwrap();
		assert_eq!(record.deposit, 10 + record.encoded_size() as u64, "base 10 + 1 per byte");
		System::assert_last_event(
			Event::JobSubmitted {
				job,
				requester: requester(),
				circuit,
				max_price: 60,
				deposit: record.deposit,
				lock_expires_at: 21,
			}
			.into(),
		);
		assert_eq!((escrow(&requester()), deposit(&requester())), (60, record.deposit));
		assert_eq!(Balances::balance(&requester()), RICH - 60 - record.deposit);
		assert_eq!((record.outputs, record.submitted_at, record.lock_expires_at), (1, 1, 21));
		assert_eq!(record.status, JobStatus::Open);
		assert!(Deadlines::<Test>::contains_key(21, Deadline::Job(job)));
		assert!(OpenWork::<Test>::contains_key(circuit, WorkId::Job(job)));
		assert_eq!(consumers(&circuit), 1);
		assert_eq!(totals(), before);
		Jobs::do_try_state().unwrap();
	});
}

#[test]
fn submit_validates_the_offer() {
	new_test_ext().execute_with(|| {
		let circuit = product_circuit();
		let submit = |t: JobTermsOf<Test>| Jobs::submit(RuntimeOrigin::signed(requester()), circuit, inputs(&[6, 7]), t);
		assert_noop!(submit(JobTerms { max_price: 0, min_price: 0, ..terms() }), Error::<Test>::ZeroPrice);
		assert_noop!(submit(JobTerms { min_price: 61, ..terms() }), Error::<Test>::InvalidPriceRange);
		assert_noop!(submit(JobTerms { lock_timeout: 0, ..terms() }), Error::<Test>::InvalidLockTimeout);
		assert_noop!(submit(JobTerms { lock_timeout: 101, ..terms() }), Error::<Test>::InvalidLockTimeout);
		assert_noop!(submit(JobTerms { proof_timeout: 0, ..terms() }), Error::<Test>::ProofWindowTooShort);
		assert_noop!(submit(JobTerms { proof_timeout: 1, ..terms() }), Error::<Test>::ProofWindowTooShort);
		assert_noop!(submit(JobTerms { proof_timeout: 51, ..terms() }), Error::<Test>::InvalidProofTimeout);
		assert_ok!(submit(JobTerms { proof_timeout: 2, ..terms() }));
		assert_noop!(
			Jobs::submit(RuntimeOrigin::none(), circuit, inputs(&[6, 7]), terms()),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn submit_checks_the_circuit_and_the_statement_shape() {
	new_test_ext().execute_with(|| {
		let circuit = product_circuit();
		assert_noop!(
			Jobs::submit(RuntimeOrigin::signed(requester()), CircuitId::repeat_byte(3), inputs(&[6, 7]), terms()),
			Error::<Test>::CircuitNotFound
		);
		// The key takes 4 inputs: binding + 3 requester inputs leaves 0 outputs (allowed);
		// 4 requester inputs do not fit.
		assert_ok!(Jobs::submit(RuntimeOrigin::signed(requester()), circuit, inputs(&[6, 7, 42]), terms()));
		assert_noop!(
			Jobs::submit(RuntimeOrigin::signed(requester()), circuit, inputs(&[1, 2, 3, 4]), terms()),
			Error::<Test>::TooManyInputs
		);
		// A key with 6 inputs and no requester inputs leaves 5 outputs > MaxOutputs (4).
		let wide = register_key(Trapdoor::new(b"wide", 6).verifying_key());
		assert_noop!(
			Jobs::submit(RuntimeOrigin::signed(requester()), wide, inputs(&[]), terms()),
			Error::<Test>::TooManyOutputs
		);
	});
}

#[test]
fn submit_requires_the_escrow_and_the_deposit() {
	new_test_ext().execute_with(|| {
		let circuit = product_circuit();
		assert_noop!(
			Jobs::submit(RuntimeOrigin::signed(poor()), circuit, inputs(&[6, 7]), terms()),
			Error::<Test>::InsufficientBalance
		);
		// 50 free: the escrow of 10 fits, the deposit does not.
		assert_noop!(
			Jobs::submit(RuntimeOrigin::signed(poor()), circuit, inputs(&[6, 7]), JobTerms { min_price: 10, max_price: 10, ..terms() }),
			Error::<Test>::InsufficientBalance
		);
	});
}
