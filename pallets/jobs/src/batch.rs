//! Batched results: the logic behind [`Pallet::submit_results`].
//!
//! Each result is checked exactly as the single calls check it ([`Pallet::job_statement`],
//! [`Pallet::slot_statement`]); a result that fails its check is refused on its own
//! ([`Event::ResultRefused`]) and nothing changes for its work. The checked results of each key
//! group are verified in one batch ([`Verifier::verify_batch`]: one multi-Miller loop and one
//! final exponentiation, bisected if it fails), then each is settled by its verdict exactly as
//! the single call settles it: paid, an invalid proof's offence, or void. A result the
//! bisection did not reach is deferred ([`Event::ResultDeferred`]), its lock untouched.
//!
//! Weight ([`Pallet::results_weight`]), per key group of `k` results whose largest statement
//! has `n` public inputs:
//!
//! ```text
//! submit_results(k, n)                       every result checked, verified in one batch, paid
//! + Verifier::bisection_weight(k, n)         the most a failing batch's bisection spends
//! + k × (submit_result_invalid(n) − submit_result(n))⁺   settling invalid proofs, if dearer
//! + per slot result: slot_result_weight(n) − result_weight(n)   a slot's settlement and close
//! ```
//!
//! `n` is taken as `1 + MaxInputs + outputs` before dispatch (the inputs are in storage) and as
//! the real count after; the unspent bisection allowance and the invalid-proof surcharge of
//! valid results are refunded.

use crate::{pallet::*, KeyResults, Verdict, Verifier, WeightInfo, WorkId};
use alloc::{collections::btree_set::BTreeSet, vec::Vec};
use cloudana_groth16::{Proof, PublicInput};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// The weight [`Pallet::submit_results`] declares before dispatch (see the module docs).
	pub fn results_weight(batches: &[KeyResults<T>]) -> Weight {
		let worst = 1 + T::MaxInputs::get();
		batches.iter().fold(Weight::zero(), |total, batch| {
			let n = worst + batch.results.iter().map(|r| r.outputs.len() as u32).max().unwrap_or(0);
			let k = batch.results.len() as u32;
			total
				.saturating_add(Self::group_weight(k, n, Self::slot_results(batch), k))
				.saturating_add(T::Verifier::bisection_weight(k, n))
		})
	}

	/// The weight of a key group of `k` results of `n` inputs, `slots` of them slot results
	/// and `invalid` of them settled as invalid proofs, without bisection: what a group whose
	/// batch check holds actually takes (`invalid = 0`).
	pub fn group_weight(k: u32, n: u32, slots: u32, invalid: u32) -> Weight {
		let invalid_extra = Self::invalid_result_weight(n).saturating_sub(T::WeightInfo::submit_result(n));
		let slot_extra = Self::slot_result_weight(n).saturating_sub(Self::result_weight(n));
		T::WeightInfo::submit_results(k, n)
			.saturating_add(invalid_extra.saturating_mul(invalid.into()))
			.saturating_add(slot_extra.saturating_mul(slots.into()))
	}

	/// Returns the weight the call actually took.
	pub(crate) fn do_submit_results(who: T::AccountId, batches: Vec<KeyResults<T>>) -> Result<Weight, DispatchError> {
		let total: usize = batches.iter().map(|b| b.results.len()).sum();
		ensure!(
			total > 0 && total as u32 <= T::MaxBatch::get() && batches.iter().all(|b| !b.results.is_empty()),
			Error::<T>::BadBatchSize
		);
		let mut works = BTreeSet::new();
		let mut circuits = BTreeSet::new();
		for batch in &batches {
			ensure!(circuits.insert(batch.circuit), Error::<T>::DuplicateInBatch);
			for result in &batch.results {
				ensure!(works.insert(result.work), Error::<T>::DuplicateInBatch);
			}
		}
		let mut weight = Weight::zero();
		for batch in batches {
			// The results that passed their checks (by index) and their statements.
			let mut checked: Vec<usize> = Vec::with_capacity(batch.results.len());
			let mut statements: Vec<(Vec<PublicInput>, Proof)> = Vec::with_capacity(batch.results.len());
			let mut n = 0u32;
			for (i, result) in batch.results.iter().enumerate() {
				match Self::result_statement(&who, result.work, &result.outputs) {
					Ok((circuit, _)) if circuit != batch.circuit => {
						Self::deposit_event(Event::ResultRefused { work: result.work, error: Error::<T>::WrongCircuit.into() })
					},
					Ok((_, statement)) => {
						n = n.max(statement.len() as u32);
						checked.push(i);
						statements.push((statement, result.proof.clone()));
					},
					Err(error) => Self::deposit_event(Event::ResultRefused { work: result.work, error }),
				}
			}
			let (verdicts, bisection) = T::Verifier::verify_batch(&batch.circuit, &statements);
			let mut invalid = 0u32;
			for (i, verdict) in checked.into_iter().zip(verdicts) {
				let result = &batch.results[i];
				let verdict = match verdict {
					Verdict::Valid => Ok(()),
					Verdict::Invalid(reason) => {
						invalid += 1;
						Err(reason)
					},
					Verdict::Unresolved => {
						Self::deposit_event(Event::ResultDeferred { work: result.work });
						continue;
					},
				};
				Self::settle_result(&who, result.work, result.outputs.clone(), verdict)?;
			}
			weight = weight
				.saturating_add(Self::group_weight(batch.results.len() as u32, n.max(1), Self::slot_results(&batch), invalid))
				.saturating_add(bisection);
		}
		Ok(weight)
	}

	/// How many of a key group's results are for grid slots.
	fn slot_results(batch: &KeyResults<T>) -> u32 {
		batch.results.iter().filter(|r| matches!(r.work, WorkId::Slot(..))).count() as u32
	}

	/// [`Pallet::job_statement`] or [`Pallet::slot_statement`], by the kind of work.
	fn result_statement(
		who: &T::AccountId,
		work: WorkId,
		outputs: &[PublicInput],
	) -> Result<(crate::CircuitId, Vec<PublicInput>), DispatchError> {
		match work {
			WorkId::Job(id) => Self::job_statement(who, id, outputs),
			WorkId::Slot(grid, slot) => Self::slot_statement(who, grid, slot, outputs),
		}
	}

	/// [`Pallet::settle_job_result`] or [`Pallet::settle_slot_result`], by the kind of work.
	fn settle_result(
		who: &T::AccountId,
		work: WorkId,
		outputs: BoundedVec<PublicInput, T::MaxOutputs>,
		verdict: Result<(), crate::VerifyError>,
	) -> Result<Weight, DispatchError> {
		match work {
			WorkId::Job(id) => Self::settle_job_result(who, id, outputs, verdict),
			WorkId::Slot(grid, slot) => Self::settle_slot_result(who, grid, slot, outputs, verdict),
		}
	}
}
