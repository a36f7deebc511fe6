//! Issue 26, item 5: block space is no longer nearly free, and results cannot be censored into
//! timeouts by someone who buys it. Signed extrinsics go through the runtime's real transaction
//! extensions (`Executive::validate_transaction`, as the pool does).

use crate::common;

use cloudana_runtime::{
	capacity, priority::{PrioritizeMarket, MARKET_PRIORITY}, Executive, Jobs, ProverStaking, Runtime, RuntimeCall,
	RuntimeOrigin, SignedPayload, System, TransactionPayment, UncheckedExtrinsic, CLD, TRANSACTION_BYTE_FEE,
};
use codec::Encode;
use frame_support::{
	assert_ok,
	dispatch::{DispatchClass, GetDispatchInfo},
	traits::Hooks,
};
use pallet_transaction_payment::ChargeTransactionPayment;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Eve};
use sp_runtime::{
	transaction_validity::{TransactionPriority, TransactionSource},
	FixedPointNumber,
};

/// `call` signed by `who` with its next nonce and `tip` (base units).
fn signed(call: RuntimeCall, who: Sr25519Keyring, tip: u128) -> UncheckedExtrinsic {
	let mut extensions = capacity::extensions(System::account_nonce(who.to_account_id()));
	extensions.7 = PrioritizeMarket(ChargeTransactionPayment::from(tip));
	let payload = SignedPayload::new(call.clone(), extensions.clone()).unwrap();
	let signature = payload.using_encoded(|bytes| who.sign(bytes));
	UncheckedExtrinsic::new_signed(call, who.to_account_id().into(), signature.into(), extensions)
}

/// The pool's priority for `xt` (panics if the pool would refuse it).
fn priority(xt: UncheckedExtrinsic) -> TransactionPriority {
	let parent = System::parent_hash();
	let valid = Executive::validate_transaction(TransactionSource::External, xt, parent).expect("valid");
	valid.priority
}

fn remark(bytes: usize) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![7u8; bytes] })
}

/// A job of Alice's on a circuit with a known trapdoor, locked by Bob (collateral 10 CLD,
/// 10 blocks to prove); returns (job, trapdoor).
fn locked_job() -> (u64, cloudana_groth16_simulator::Trapdoor) {
	let (circuit, trapdoor) = common::circuit(b"fees");
	let bob = Bob.to_account_id();
	assert_ok!(ProverStaking::register(RuntimeOrigin::signed(bob.clone()), 500 * CLD, vec![circuit].try_into().unwrap()));
	let mut terms = common::fixed_price(5 * CLD, 50, 10);
	terms.collateral = 10 * CLD;
	let job = common::submit(&Alice.to_account_id(), circuit, terms);
	assert_ok!(Jobs::lock(RuntimeOrigin::signed(bob), job));
	(job, trapdoor)
}

/// Bob's result for `job` (output 42), as the worker sends it.
fn result_call(trapdoor: &cloudana_groth16_simulator::Trapdoor, job: u64) -> RuntimeCall {
	common::result_call(trapdoor, job, &Bob.to_account_id())
}

/// The attack: remarks with tips worth far more than the fee, from several accounts, used to
/// outrank a prover's untipped result in every block until its lock timed out. Now the result
/// for a live lock outranks any remark tipped below `MARKET_PRIORITY / n`, and the remarks'
/// tips would have to be hundreds of CLD each.
#[test]
fn item_26_5_tipped_remarks_cannot_outrank_a_result_for_a_live_lock() {
	common::dev_ext().execute_with(|| {
		let (job, trapdoor) = locked_job();
		let result = priority(signed(result_call(&trapdoor, job), Bob, 0));
		assert!(result >= MARKET_PRIORITY, "a result for a live lock is market-critical: {result}");
		let small = priority(signed(remark(16), Charlie, 10 * CLD));
		let big = priority(signed(remark(3_000_000), Eve, 10_000 * CLD));
		assert!(result > small && result > big, "result {result}, remarks {small} and {big}");
		// What outbidding would cost: the smallest remark's priority per base unit of tip.
		let per_unit = priority(signed(remark(16), Charlie, 1_000_000)) / 1_000_000;
		let needed = u128::from(MARKET_PRIORITY / per_unit.max(1));
		println!("a remark must tip {} CLD to tie with a result ({per_unit} priority per base unit)", needed / CLD);
		assert!(needed >= 100 * CLD, "outbidding a result costs at least 100 CLD per remark ({needed})");

		// Someone else's result for Bob's lock, and Bob's own once the lock timed out, are
		// ordinary traffic.
		let eve_result = priority(signed(result_call(&trapdoor, job), Eve, 0));
		assert!(eve_result < MARKET_PRIORITY, "not Eve's lock");
		common::run_to_block(System::block_number() + 10);
		let late = priority(signed(result_call(&trapdoor, job), Bob, 0));
		assert!(late < MARKET_PRIORITY, "a lock that timed out is not live");
	});
}

/// A lock of open work by an eligible prover is market-critical; a lock that would fail (the
/// requester's own job, a prover not registered) is not.
#[test]
fn item_26_5_a_lock_that_can_succeed_is_market_critical() {
	common::dev_ext().execute_with(|| {
		let (circuit, _) = common::circuit(b"fees-lock");
		assert_ok!(ProverStaking::register(RuntimeOrigin::signed(Bob.to_account_id()), 500 * CLD, vec![circuit].try_into().unwrap()));
		let job = common::submit(&Alice.to_account_id(), circuit, common::fixed_price(5 * CLD, 50, 10));
		let lock = RuntimeCall::Jobs(pallet_jobs::Call::lock { job });
		assert!(priority(signed(lock.clone(), Bob, 0)) >= MARKET_PRIORITY);
		assert!(priority(signed(lock.clone(), Charlie, 0)) < MARKET_PRIORITY, "Charlie is no prover");
		assert!(priority(signed(lock, Alice, 0)) < MARKET_PRIORITY, "Alice's own job");
	});
}

/// The length fee: a block-sized remark cost 0.04 CLD; now `TRANSACTION_BYTE_FEE` per byte.
#[test]
fn item_26_5_a_block_sized_remark_pays_a_real_length_fee() {
	common::dev_ext().execute_with(|| {
		let call = remark(3_900_000);
		let len = call.encoded_size() as u32 + 120;
		let fee = TransactionPayment::compute_fee(len, &call.get_dispatch_info(), 0);
		println!("a {len}-byte remark costs {} milli-CLD", fee / cloudana_runtime::MILLI_CLD);
		assert!(fee >= TRANSACTION_BYTE_FEE * len as u128);
		assert!(fee >= 35 * CLD, "{fee}");
	});
}

/// The fee multiplier follows the blocks' fullness (`TargetedFeeAdjustment`): full blocks
/// raise it, empty ones lower it, never below 0.1.
#[test]
fn item_26_5_full_blocks_raise_the_fee_multiplier() {
	common::dev_ext().execute_with(|| {
		let start = pallet_transaction_payment::NextFeeMultiplier::<Runtime>::get();
		let normal = <Runtime as frame_system::Config>::BlockWeights::get().get(DispatchClass::Normal).max_total.unwrap();
		for _ in 0..100 {
			System::register_extra_weight_unchecked(normal, DispatchClass::Normal);
			TransactionPayment::on_finalize(System::block_number());
			common::run_to_block(System::block_number() + 1);
		}
		let raised = pallet_transaction_payment::NextFeeMultiplier::<Runtime>::get();
		assert!(raised > start, "{raised:?} after 100 full blocks, from {start:?}");
		println!("100 full blocks raised the multiplier from {start} to {raised}");
		pallet_transaction_payment::NextFeeMultiplier::<Runtime>::put(sp_runtime::FixedU128::saturating_from_rational(1, 10));
		TransactionPayment::on_finalize(System::block_number());
		let floor = pallet_transaction_payment::NextFeeMultiplier::<Runtime>::get();
		assert_eq!(floor, sp_runtime::FixedU128::saturating_from_rational(1, 10), "never below 0.1");
	});
}

/// The off-chain worker's tip: none while the lock has time, then 1%, 2%, 4% of the collateral
/// in its last three blocks; nothing for a lock that is not the signer's.
#[test]
fn item_26_5_the_worker_tips_near_a_deadline() {
	common::dev_ext().execute_with(|| {
		let (job, trapdoor) = locked_job();
		let expires_at = match Jobs::job(job).unwrap().status {
			pallet_jobs::JobStatus::Locked(lock) => lock.expires_at,
			status => panic!("{status:?}"),
		};
		let call = result_call(&trapdoor, job);
		let tip = |who: Sr25519Keyring| cloudana_runtime::priority::worker_tip(&who.to_account_id(), &call);
		let mut seen = vec![];
		for left in (1..=5).rev() {
			common::run_to_block(expires_at - left);
			seen.push(tip(Bob));
			assert_eq!(tip(Eve), 0);
		}
		assert_eq!(seen, vec![0, 0, CLD / 10, CLD / 5, 2 * CLD / 5], "0, 0, then 1%, 2%, 4% of 10 CLD");
		// A tipped result still beats a result without one, both above ordinary traffic.
		assert!(priority(signed(call.clone(), Bob, CLD)) > priority(signed(call, Bob, 0)));
	});
}
