//! How many proven results one block carries, by the benchmarked weights.
//!
//! A block author adds an extrinsic while its **declared** weight (`Jobs::results_weight`,
//! with the bisection allowance and the invalid-proof surcharge, plus the transaction
//! extensions' weight and `base_extrinsic`) fits in what is left of the normal class
//! (`RuntimeBlockWeights`: 75% of 2 s); once applied it takes its **actual** weight (for a
//! batch whose check holds: `Jobs::group_weight(k, n, 0, 0)`, the rest refunded). So a block
//! of valid batched results holds as many as this greedy packing gives: whole batches of
//! `MaxBatch` while they fit, then the largest batch that still fits.

use crate::{configs::RuntimeBlockWeights, Jobs, Runtime, RuntimeCall, TxExtension};
use alloc::vec::Vec;
use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo},
	traits::Get,
	weights::Weight,
};
use sp_runtime::traits::TransactionExtension;

/// A `submit_results` call of `k` results of one key, each with `outputs` outputs (values
/// are placeholders: only the shape counts for weight).
pub fn results_call(k: u32, outputs: u32) -> RuntimeCall {
	let result = |i: u32| pallet_jobs::BatchedResult::<Runtime> {
		work: pallet_jobs::WorkId::Job(i as u64),
		outputs: (0..outputs).map(|_| [0u8; 32]).collect::<Vec<_>>().try_into().expect("at most MaxOutputs; qed"),
		proof: cloudana_groth16::Proof { a: [0; 64], b: [0; 128], c: [0; 64] },
	};
	let results = (0..k).map(result).collect::<Vec<_>>().try_into().expect("at most MaxBatch; qed");
	let batches = alloc::vec![pallet_jobs::KeyResults { circuit: Default::default(), results }]
		.try_into()
		.expect("one key; qed");
	RuntimeCall::Jobs(pallet_jobs::Call::submit_results { batches })
}

/// The transaction extensions of a signed, immortal extrinsic with `nonce` and no tip.
pub fn extensions(nonce: crate::Nonce) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(sp_runtime::generic::Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		crate::priority::PrioritizeMarket(pallet_transaction_payment::ChargeTransactionPayment::from(0)),
	)
}

/// The weight of the transaction extensions of a signed extrinsic carrying `call`.
pub fn extension_weight(call: &RuntimeCall) -> Weight {
	extensions(0).weight(call)
}

/// How many results of `inputs` public inputs (`inputs − 1 − outputs` requester inputs and
/// `outputs` outputs), all valid and under one key, fit in one block's normal class.
pub fn results_per_block(inputs: u32, outputs: u32) -> u32 {
	let weights = RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let limit = normal.max_total.unwrap_or(weights.max_block);
	let max = <Runtime as pallet_jobs::Config>::MaxBatch::get();
	let overhead = |call: &RuntimeCall| extension_weight(call).saturating_add(normal.base_extrinsic);
	let declared = |k: u32| {
		let call = results_call(k, outputs);
		call.get_dispatch_info().call_weight.saturating_add(overhead(&call))
	};
	let actual = |k: u32| Jobs::group_weight(k, inputs, 0, 0).saturating_add(overhead(&results_call(k, outputs)));
	let (mut used, mut results) = (Weight::zero(), 0u32);
	loop {
		let fits = |k: u32| used.saturating_add(declared(k)).all_lte(limit);
		let Some(k) = (1..=max).rev().find(|k| fits(*k)) else { return results };
		used = used.saturating_add(actual(k));
		results += k;
	}
}
