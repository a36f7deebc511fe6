//! Multi-slot (grid) jobs: the logic behind [`Pallet::submit_grid`], [`Pallet::lock_slot`] and
//! [`Pallet::submit_slot_result`], the slot deadlines and the close.
//!
//! A requester opens one job with K slots, each a hyper-parameter vector (opaque bytes), and a
//! bounty held in escrow. Each slot is work of its own ([`WorkId::Slot`]): locked by one prover
//! (holding the grid's collateral and reserving stake for the slot's price, `bounty / K`), who
//! trains a model off chain with the slot's hyper-parameters and proves its metric (e.g. the
//! holdout accuracy count) with the grid's circuit, for the statement
//! `binding(WorkId::Slot(grid, slot), prover) ‖ requester inputs ‖ outputs`. An invalid proof or
//! a timeout burns the collateral, is reported as an offence, and reopens the slot; a failure
//! that is not the proof's voids the slot. A slot can be locked only while a full proof window
//! fits before the close, so no lock is cut short by it.
//!
//! **Close** (at `closes_at`, or as soon as every slot is proven or void): locks still open have
//! timed out by then; the proven slots are ranked and paid by the rules of
//! [`cloudana_primitives::grid`] (half the bounty to the best metric, the rest equally to the
//! others; ties to the earlier proof, then the lower slot). Each payment pays the platform fee
//! (the prover's `FeePolicy` rate) to the treasury out of it. So the payouts and fees add up to
//! the bounty less the refund, exactly. The record is pruned `RetentionPeriod` blocks after the
//! close.

use crate::{
	funds, pallet::*, CircuitId, Deadline, Lock, GridId, GridJob, GridJobOf, GridStatus, GridTermsOf, HyperParamsOf, RecordId, Slot,
	SlotIndex, SlotPayout, SlotState, Verifier, WorkId, WorkOutcomes,
};
use alloc::vec::Vec;
use cloudana_groth16::{Proof, PublicInput};
use cloudana_primitives::grid::{metric_of, split_bounty, RankKey};
use codec::Encode;
use crate::WeightInfo;
use frame_support::{ensure, pallet_prelude::*, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_submit_grid(
		requester: T::AccountId,
		circuit: crate::CircuitId,
		inputs: BoundedVec<PublicInput, T::MaxInputs>,
		params: BoundedVec<HyperParamsOf<T>, T::MaxSlots>,
		metric_output: u32,
		terms: GridTermsOf<T>,
	) -> DispatchResult {
		ensure!(!params.is_empty(), Error::<T>::NoSlots);
		ensure!(!terms.bounty.is_zero(), Error::<T>::ZeroPrice);
		Self::check_proof_timeout(terms.proof_timeout)?;
		ensure!(
			terms.duration >= terms.proof_timeout && terms.duration <= T::MaxLockTimeout::get(),
			Error::<T>::InvalidGridDuration
		);
		let outputs = Self::check_statement_shape(&circuit, &inputs)?;
		ensure!(metric_output < outputs, Error::<T>::InvalidMetricOutput);

		funds::hold_escrow::<T>(&requester, terms.bounty)?;
		T::Verifier::acquire(&circuit).map_err(|_| Error::<T>::CircuitNotFound)?;
		let id = Self::take_id::<NextGridId<T>>();
		let now = frame_system::Pallet::<T>::block_number();
		let closes_at = now.saturating_add(terms.duration);
		let slots: BoundedVec<Slot<T>, T::MaxSlots> = params
			.into_iter()
			.map(|params| Slot { params, state: SlotState::Open })
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::<T>::NoSlots)?;
		let count = slots.len() as u32;
		let bounty = terms.bounty;
		let mut grid = GridJob {
			requester: requester.clone(),
			circuit,
			inputs,
			outputs,
			metric_output,
			terms,
			submitted_at: now,
			closes_at,
			deposit: Zero::zero(),
			slots,
			status: GridStatus::Open,
		};
		grid.deposit = Self::deposit_for(grid.encoded_size());
		funds::hold_deposit::<T>(&requester, grid.deposit)?;
		let deposit = grid.deposit;
		Self::schedule(Deadline::Grid(id), closes_at);
		for slot in 0..count {
			OpenWork::<T>::insert(circuit, WorkId::Slot(id, slot), ());
		}
		GridJobs::<T>::insert(id, grid);
		Self::deposit_event(Event::GridSubmitted {
			grid: id,
			requester,
			circuit,
			slots: count,
			bounty,
			deposit,
			closes_at,
		});
		Ok(())
	}

	/// The price a slot stands for in eligibility checks and reputation: the bounty over the
	/// slots.
	pub fn slot_price(grid: &GridJobOf<T>) -> crate::BalanceOf<T> {
		grid.terms.bounty / (grid.slots.len().max(1) as u32).into()
	}

	/// Checks that `prover` may lock `slot` of `grid` at `now` (its stake aside): the grid is
	/// open, the slot exists and is open, the grid is not the prover's own, and a whole proof
	/// window fits before the close.
	pub(crate) fn check_lockable_slot(
		prover: &T::AccountId,
		grid: &GridJobOf<T>,
		slot: SlotIndex,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(grid.status == GridStatus::Open, Error::<T>::GridClosed);
		ensure!(now < grid.closes_at, Error::<T>::GridClosed);
		let state = &grid.slots.get(slot as usize).ok_or(Error::<T>::SlotNotFound)?.state;
		ensure!(*state == SlotState::Open, Error::<T>::SlotNotOpen);
		ensure!(*prover != grid.requester, Error::<T>::CannotLockOwnJob);
		ensure!(now.saturating_add(grid.terms.proof_timeout) <= grid.closes_at, Error::<T>::GridClosesTooSoon);
		Ok(())
	}

	pub(crate) fn do_lock_slot(prover: T::AccountId, id: GridId, slot: SlotIndex) -> DispatchResult {
		let mut grid = GridJobs::<T>::get(id).ok_or(Error::<T>::GridNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		Self::check_lockable_slot(&prover, &grid, slot, now)?;
		let lock = Self::take_lock(
			WorkId::Slot(id, slot),
			prover,
			&grid.circuit,
			Self::slot_price(&grid),
			grid.terms.collateral,
			grid.terms.proof_timeout,
			Deadline::Slot(id, slot),
		)?;
		grid.slots[slot as usize].state = SlotState::Locked(lock);
		GridJobs::<T>::insert(id, grid);
		Ok(())
	}

	/// Verifies and records a slot's result; returns the weight it took.
	pub(crate) fn do_submit_slot_result(
		who: T::AccountId,
		id: GridId,
		slot: SlotIndex,
		outputs: BoundedVec<PublicInput, T::MaxOutputs>,
		proof: &Proof,
	) -> Result<Weight, DispatchError> {
		let (circuit, statement) = Self::slot_statement(&who, id, slot, &outputs)?;
		let verdict = T::Verifier::verify(&circuit, &statement, proof);
		Self::settle_slot_result(&who, id, slot, outputs, verdict)
	}

	/// Loads a slot's grid and lock and checks a result by `who` against them (see
	/// [`Pallet::check_result`]; the metric output below 2¹²⁸).
	fn checked_slot(
		who: &T::AccountId,
		id: GridId,
		slot: SlotIndex,
		outputs: &[PublicInput],
	) -> Result<(GridJobOf<T>, Lock<T>, u128), DispatchError> {
		let grid = GridJobs::<T>::get(id).ok_or(Error::<T>::GridNotFound)?;
		ensure!(grid.status == GridStatus::Open, Error::<T>::GridClosed);
		let SlotState::Locked(lock) = grid.slots.get(slot as usize).ok_or(Error::<T>::SlotNotFound)?.state.clone()
		else {
			return Err(Error::<T>::SlotNotLocked.into());
		};
		Self::check_result(&lock, who, grid.outputs, outputs)?;
		let metric = metric_of(&outputs[grid.metric_output as usize]).ok_or(Error::<T>::MetricOutOfRange)?;
		Ok((grid, lock, metric))
	}

	/// Checks a result for a slot; returns the grid's circuit and the full statement.
	pub(crate) fn slot_statement(
		who: &T::AccountId,
		id: GridId,
		slot: SlotIndex,
		outputs: &[PublicInput],
	) -> Result<(CircuitId, Vec<PublicInput>), DispatchError> {
		let (grid, lock, _) = Self::checked_slot(who, id, slot, outputs)?;
		Ok((grid.circuit, Self::statement(WorkId::Slot(id, slot), &lock.prover, &grid.inputs, outputs)))
	}

	/// Settles a checked slot result with its proof's `verdict`; closes the grid when every
	/// slot is settled. Returns its weight.
	pub(crate) fn settle_slot_result(
		who: &T::AccountId,
		id: GridId,
		slot: SlotIndex,
		outputs: BoundedVec<PublicInput, T::MaxOutputs>,
		verdict: Result<(), crate::VerifyError>,
	) -> Result<Weight, DispatchError> {
		let (mut grid, lock, metric) = Self::checked_slot(who, id, slot, &outputs)?;
		let work = WorkId::Slot(id, slot);
		let n = 1 + grid.inputs.len() as u32 + outputs.len() as u32;
		let now = frame_system::Pallet::<T>::block_number();
		let mut weight = match verdict {
			Ok(()) => {
				Self::complete_lock(
					work,
					&lock,
					&grid.requester,
					&grid.circuit,
					grid.terms.collateral,
					grid.terms.proof_timeout,
				)?;
				grid.slots[slot as usize].state = SlotState::Proven { prover: lock.prover.clone(), metric, at: now };
				Self::deposit_event(Event::SlotProven { grid: id, slot, prover: lock.prover, metric });
				T::WeightInfo::submit_slot_result(n)
			},
			Err(reason) => {
				grid.slots[slot as usize].state = if Self::settle_failed_result(work, &lock, grid.terms.collateral, reason)? {
					OpenWork::<T>::insert(grid.circuit, work, ());
					SlotState::Open
				} else {
					SlotState::Void { prover: lock.prover, reason }
				};
				T::WeightInfo::submit_slot_result_invalid(n)
			},
		};
		if grid.slots.iter().all(|s| matches!(s.state, SlotState::Proven { .. } | SlotState::Void { .. })) {
			weight = weight.saturating_add(T::WeightInfo::close_grid(grid.slots.len() as u32));
			Self::close_grid(id, grid, now)?;
		} else {
			GridJobs::<T>::insert(id, grid);
		}
		Ok(weight)
	}

	/// A slot's lock times out at `now`, if it still applies: the slot opens again.
	pub(crate) fn process_slot(id: GridId, slot: SlotIndex, now: BlockNumberFor<T>) -> DispatchResult {
		let Some(mut grid) = GridJobs::<T>::get(id) else { return Ok(()) };
		if grid.status != GridStatus::Open {
			return Ok(());
		}
		let Some(SlotState::Locked(lock)) = grid.slots.get(slot as usize).map(|s| s.state.clone()) else { return Ok(()) };
		if now < lock.expires_at {
			return Ok(());
		}
		let work = WorkId::Slot(id, slot);
		Self::time_out_lock(work, &lock, grid.terms.collateral)?;
		grid.slots[slot as usize].state = SlotState::Open;
		OpenWork::<T>::insert(grid.circuit, work, ());
		GridJobs::<T>::insert(id, grid);
		Ok(())
	}

	/// What is due for grid `id` at `now`: its close, or its pruning.
	pub(crate) fn process_grid(id: GridId, now: BlockNumberFor<T>) -> DispatchResult {
		let Some(grid) = GridJobs::<T>::get(id) else { return Ok(()) };
		match grid.status {
			GridStatus::Open if grid.closes_at <= now => Self::close_grid(id, grid, now),
			GridStatus::Closed { at, .. } if at.saturating_add(T::RetentionPeriod::get()) <= now => {
				GridJobs::<T>::remove(id);
				let deposit = funds::release_deposit::<T>(&grid.requester, grid.deposit)?;
				for slot in 0..grid.slots.len() as SlotIndex {
					T::Outcomes::on_reaped(WorkId::Slot(id, slot));
				}
				Self::deposit_event(Event::Reaped { record: RecordId::Grid(id), deposit });
				Ok(())
			},
			_ => Ok(()),
		}
	}

	/// Closes a grid: times out locks still held, takes open slots off the index, ranks the
	/// proven slots and pays them out of the escrow (module docs), refunds the rest, releases
	/// the circuit and schedules the pruning.
	fn close_grid(id: GridId, mut grid: GridJobOf<T>, now: BlockNumberFor<T>) -> DispatchResult {
		for slot in 0..grid.slots.len() as SlotIndex {
			let work = WorkId::Slot(id, slot);
			match grid.slots[slot as usize].state.clone() {
				SlotState::Locked(lock) => {
					Self::time_out_lock(work, &lock, grid.terms.collateral)?;
					grid.slots[slot as usize].state = SlotState::Open;
				},
				SlotState::Open => OpenWork::<T>::remove(grid.circuit, work),
				_ => {},
			}
		}
		let mut proven: Vec<(RankKey<BlockNumberFor<T>>, T::AccountId)> = grid
			.slots
			.iter()
			.enumerate()
			.filter_map(|(i, s)| match &s.state {
				SlotState::Proven { prover, metric, at } =>
					Some((RankKey { metric: *metric, at: *at, slot: i as SlotIndex }, prover.clone())),
				_ => None,
			})
			.collect();
		proven.sort_by(|a, b| a.0.cmp(&b.0));

		let bounty = grid.terms.bounty;
		let shares = split_bounty(bounty, proven.len() as u32);
		let mut payouts = Vec::with_capacity(proven.len());
		let mut fees = crate::BalanceOf::<T>::zero();
		for ((key, prover), share) in proven.into_iter().zip(shares.iter()) {
			let (paid, fee) = Self::pay_prover(&grid.requester, &prover, *share)?;
			fees = fees.saturating_add(fee);
			payouts.push(SlotPayout { slot: key.slot, prover, metric: key.metric, paid, fee });
		}
		let paid_out = shares.iter().fold(crate::BalanceOf::<T>::zero(), |sum, s| sum.saturating_add(*s));
		let refund = funds::refund_escrow::<T>(&grid.requester, bounty.saturating_sub(paid_out))?;
		T::Verifier::release(&grid.circuit);
		let payouts: BoundedVec<SlotPayout<T>, T::MaxSlots> =
			payouts.try_into().expect("at most one payout per slot, and slots are bounded; qed");
		grid.status = GridStatus::Closed { payouts: payouts.clone(), refund, at: now };
		Self::schedule(Deadline::Grid(id), now.saturating_add(T::RetentionPeriod::get()));
		GridJobs::<T>::insert(id, grid);
		Self::deposit_event(Event::GridClosed { grid: id, payouts, refund, fees });
		Ok(())
	}
}
