//! pallet-jobs unit tests, one file per concern. Proofs are real Groth16 proofs of the mock's
//! `a · b = c` circuit, verified by the real pallet-verifier; stake is the real
//! pallet-prover-staking's. The attacks of the hardening issue that a pallet can play alone are
//! in `attacks.rs`.

mod attacks;
mod batch;
mod cancel;
mod circom;
mod conservation;
mod expiry;
mod grid;
mod lock;
mod offchain;
mod result;
mod submit;

use crate::{mock::*, CircuitId, HoldReason, JobId, JobTerms, JobTermsOf, NextJobId, WorkId};
use frame_support::{
	assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};

/// An offer: price 10 → 60 over 10 blocks, lockable for 20 blocks, 5 blocks to prove,
/// collateral 50.
pub fn terms() -> JobTermsOf<Test> {
	JobTerms { min_price: 10, max_price: 60, ramp_blocks: 10, lock_timeout: 20, proof_timeout: 5, collateral: 50 }
}

pub fn product_circuit() -> CircuitId {
	register_key(product_keys().1.clone())
}

pub fn inputs(values: &[u64]) -> BoundedVec<cloudana_groth16::PublicInput, frame_support::traits::ConstU32<8>> {
	values.iter().map(|v| scalar(*v)).collect::<Vec<_>>().try_into().unwrap()
}

pub fn outputs(values: &[u64]) -> BoundedVec<cloudana_groth16::PublicInput, frame_support::traits::ConstU32<4>> {
	values.iter().map(|v| scalar(*v)).collect::<Vec<_>>().try_into().unwrap()
}

pub fn register_prover(who: &AccountId, circuit: CircuitId, stake: u64) {
	assert_ok!(ProverStaking::register(RuntimeOrigin::signed(who.clone()), stake, vec![circuit].try_into().unwrap()));
}

/// Submits `a · b = ?` with [`terms`], returning the job id.
pub fn submit_product(circuit: CircuitId, a: u64, b: u64) -> JobId {
	let id = NextJobId::<Test>::get();
	assert_ok!(Jobs::submit(RuntimeOrigin::signed(requester()), circuit, inputs(&[a, b]), terms()));
	id
}

/// A circuit, a registered prover, and an open job `6 · 7 = ?`.
pub fn open_job() -> (CircuitId, JobId) {
	let circuit = product_circuit();
	register_prover(&prover(), circuit, 1_000);
	let job = submit_product(circuit, 6, 7);
	(circuit, job)
}

/// [`open_job`], locked by `prover()` at the current block.
pub fn locked_job() -> (CircuitId, JobId) {
	let (circuit, job) = open_job();
	assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover()), job));
	(circuit, job)
}

/// A real proof of `6 · 7 = 42` for `job` and `who`.
pub fn valid_proof(job: JobId, who: &AccountId) -> Box<cloudana_groth16::Proof> {
	Box::new(prove_product(&Jobs::binding(WorkId::Job(job), who), 6, 7))
}

pub fn escrow(who: &AccountId) -> u64 {
	Balances::balance_on_hold(&HoldReason::JobEscrow.into(), who)
}

pub fn collateral(who: &AccountId) -> u64 {
	Balances::balance_on_hold(&HoldReason::JobCollateral.into(), who)
}

pub fn deposit(who: &AccountId) -> u64 {
	Balances::balance_on_hold(&HoldReason::StorageDeposit.into(), who)
}

/// Total issuance, and the sum of every account's free and held balance.
pub fn totals() -> (u64, u64) {
	(Balances::total_issuance(), all_accounts().iter().map(|a| Balances::total_balance(a)).sum())
}

pub fn consumers(circuit: &CircuitId) -> u32 {
	Verifier::key_info(circuit).unwrap().consumers
}

pub fn offences() -> Vec<(AccountId, WorkId, crate::Offence)> {
	OFFENCES.with(|o| o.borrow().clone())
}

/// The stake `who`'s active locks reserve.
pub fn reserved(who: &AccountId) -> u64 {
	ProverStaking::prover(who).map_or(0, |p| p.reserved)
}
