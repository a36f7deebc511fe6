//! Multi-slot (grid) jobs: the logic behind [`Pallet::submit_grid`], [`Pallet::lock_slot`] and
//! [`Pallet::submit_slot_result`], the slot deadlines and the close.
//!
//! A requester opens one job with K slots, each a hyper-parameter vector (opaque bytes), and a
//! bounty held in escrow. Each slot is locked by one prover (holding the grid's collateral),
//! who trains a model off chain with the slot's hyper-parameters and proves its metric (e.g.
//! the holdout accuracy count) with the grid's circuit, for the statement
//! `binding(grid, slot, prover) ‖ requester inputs ‖ outputs`. An invalid proof or a timeout
//! forfeits the collateral to the requester, is reported as an offence, and reopens the slot.
//!
//! **Close** (at `closes_at`, or as soon as every slot is proven): locks still open time out;
//! the proven slots are ranked by metric, higher first; ties go to the slot proven in the
//! earlier block, then to the lower slot index. The best slot is paid half the bounty; the other
//! half is split equally among the other proven slots, the rounding remainder going to the
//! best. With one proven slot, the other half is refunded; with none, all of it. Each payment
//! pays the platform fee (the prover's `FeePolicy` rate) to the treasury out of it. So the
//! payouts and fees add up to the bounty less the refund, exactly.

use crate::{
	funds, pallet::*, BalanceOf, CircuitId, FeePolicy, GridDeadline, GridId, GridJob, GridJobOf, GridStatus,
	GridTermsOf, HyperParamsOf, Offence, ProverOutcomes, ProverRegistry, Slot, SlotIndex, SlotPayout, SlotState,
	Verifier, MAX_DEADLINE_SHIFT,
};
use alloc::vec::Vec;
use cloudana_groth16::{Proof, PublicInput};
use frame_support::{ensure, pallet_prelude::*, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{One, Saturating, Zero},
	DispatchError,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_submit_grid(
		requester: T::AccountId,
		circuit: CircuitId,
		inputs: BoundedVec<PublicInput, T::MaxInputs>,
		params: BoundedVec<HyperParamsOf<T>, T::MaxSlots>,
		metric_output: u32,
		terms: GridTermsOf<T>,
	) -> DispatchResult {
		ensure!(!params.is_empty(), Error::<T>::NoSlots);
		ensure!(!terms.bounty.is_zero(), Error::<T>::ZeroPrice);
		ensure!(
			!terms.proof_timeout.is_zero() && terms.proof_timeout <= T::MaxProofTimeout::get(),
			Error::<T>::InvalidProofTimeout
		);
		ensure!(
			!terms.duration.is_zero() && terms.duration <= T::MaxLockTimeout::get(),
			Error::<T>::InvalidGridDuration
		);
		let total = T::Verifier::public_inputs(&circuit).ok_or(Error::<T>::CircuitNotFound)?;
		let outputs = total.checked_sub(1 + inputs.len() as u32).ok_or(Error::<T>::TooManyInputs)?;
		ensure!(outputs <= T::MaxOutputs::get(), Error::<T>::TooManyOutputs);
		ensure!(metric_output < outputs, Error::<T>::InvalidMetricOutput);

		funds::hold_escrow::<T>(&requester, terms.bounty)?;
		T::Verifier::acquire(&circuit).map_err(|_| Error::<T>::CircuitNotFound)?;
		let grid = NextGridId::<T>::mutate(|next| {
			let id = *next;
			*next = next.saturating_add(1);
			id
		});
		let now = frame_system::Pallet::<T>::block_number();
		let closes_at = Self::schedule_grid(GridDeadline::Close(grid), now.saturating_add(terms.duration))?;
		let slots: BoundedVec<Slot<T>, T::MaxSlots> = params
			.into_iter()
			.map(|params| Slot { params, state: SlotState::Open })
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::<T>::NoSlots)?;
		let count = slots.len() as u32;
		let bounty = terms.bounty;
		GridJobs::<T>::insert(
			grid,
			GridJob {
				requester: requester.clone(),
				circuit,
				inputs,
				outputs,
				metric_output,
				terms,
				submitted_at: now,
				closes_at,
				slots,
				status: GridStatus::Open,
			},
		);
		Self::deposit_event(Event::GridSubmitted { grid, requester, circuit, slots: count, bounty, closes_at });
		Ok(())
	}

	/// The price a slot stands for in eligibility checks: the bounty over the slots.
	pub fn slot_price(job: &GridJobOf<T>) -> BalanceOf<T> {
		job.terms.bounty / (job.slots.len().max(1) as u32).into()
	}

	pub(crate) fn do_lock_slot(prover: T::AccountId, grid: GridId, slot: SlotIndex) -> DispatchResult {
		let mut job = GridJobs::<T>::get(grid).ok_or(Error::<T>::GridNotFound)?;
		ensure!(job.status == GridStatus::Open, Error::<T>::GridClosed);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < job.closes_at, Error::<T>::GridClosed);
		let state = &job.slots.get(slot as usize).ok_or(Error::<T>::SlotNotFound)?.state;
		ensure!(*state == SlotState::Open, Error::<T>::SlotNotOpen);
		ensure!(prover != job.requester, Error::<T>::CannotLockOwnJob);
		T::Provers::ensure_eligible(&prover, &job.circuit, Self::slot_price(&job)).map_err(Error::<T>::from)?;

		funds::hold_collateral::<T>(&prover, job.terms.collateral)?;
		let expires_at = now.saturating_add(job.terms.proof_timeout).min(job.closes_at);
		let expires_at = Self::schedule_grid(GridDeadline::Slot(grid, slot), expires_at)?;
		job.slots[slot as usize].state = SlotState::Locked { prover: prover.clone(), locked_at: now, expires_at };
		let collateral = job.terms.collateral;
		GridJobs::<T>::insert(grid, job);
		Self::deposit_event(Event::SlotLocked { grid, slot, prover, collateral, expires_at });
		Ok(())
	}

	/// The statement a result for `slot` of `grid` by `prover` proves.
	pub fn grid_statement(
		grid: GridId,
		slot: SlotIndex,
		prover: &T::AccountId,
		inputs: &[PublicInput],
		outputs: &[PublicInput],
	) -> Vec<PublicInput> {
		Self::statement(crate::grid_binding_job(grid, slot), prover, inputs, outputs)
	}

	/// Verifies and records a slot's result; returns whether the grid closed.
	pub(crate) fn do_submit_slot_result(
		who: T::AccountId,
		grid: GridId,
		slot: SlotIndex,
		outputs: BoundedVec<PublicInput, T::MaxOutputs>,
		proof: &Proof,
	) -> Result<bool, DispatchError> {
		let mut job = GridJobs::<T>::get(grid).ok_or(Error::<T>::GridNotFound)?;
		ensure!(job.status == GridStatus::Open, Error::<T>::GridClosed);
		let SlotState::Locked { prover, locked_at, expires_at } =
			job.slots.get(slot as usize).ok_or(Error::<T>::SlotNotFound)?.state.clone()
		else {
			return Err(Error::<T>::SlotNotLocked.into());
		};
		ensure!(who == prover, Error::<T>::NotJobProver);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < expires_at, Error::<T>::ProofDeadlinePassed);
		ensure!(outputs.len() as u32 == job.outputs, Error::<T>::OutputCountMismatch);
		let metric = metric_of(&outputs[job.metric_output as usize]).ok_or(Error::<T>::MetricOutOfRange)?;

		let statement = Self::grid_statement(grid, slot, &prover, &job.inputs, &outputs);
		match T::Verifier::verify(&job.circuit, &statement, proof) {
			Ok(()) => {
				funds::release_collateral::<T>(&prover, job.terms.collateral)?;
				let taken = now.saturating_sub(locked_at);
				let on_time = taken.saturating_mul(2u32.into()) <= job.terms.proof_timeout;
				T::Outcomes::on_completed(&prover, crate::grid_binding_job(grid, slot), on_time);
				job.slots[slot as usize].state = SlotState::Proven { prover: prover.clone(), metric, at: now };
				Self::deposit_event(Event::SlotProven { grid, slot, prover, metric });
				if job.slots.iter().all(|s| matches!(s.state, SlotState::Proven { .. })) {
					Self::close_grid(grid, job, now)?;
					return Ok(true);
				}
			},
			Err(reason) => {
				let forfeited = Self::fail_slot(grid, slot, &mut job, &prover, Offence::InvalidProof)?;
				Self::deposit_event(Event::SlotRejected { grid, slot, prover, reason, forfeited });
			},
		}
		GridJobs::<T>::insert(grid, job);
		Ok(false)
	}

	/// The slot's prover failed: forfeit its collateral to the requester, report the offence,
	/// and reopen the slot. Returns the amount forfeited.
	fn fail_slot(
		grid: GridId,
		slot: SlotIndex,
		job: &mut GridJobOf<T>,
		prover: &T::AccountId,
		offence: Offence,
	) -> Result<BalanceOf<T>, DispatchError> {
		let forfeited = funds::forfeit_collateral::<T>(prover, &job.requester, job.terms.collateral)?;
		T::Outcomes::on_offence(prover, crate::grid_binding_job(grid, slot), offence);
		job.slots[slot as usize].state = SlotState::Open;
		Ok(forfeited)
	}

	/// Queues a grid deadline at block `at`, or the first block after it with room.
	fn schedule_grid(deadline: GridDeadline, at: BlockNumberFor<T>) -> Result<BlockNumberFor<T>, Error<T>> {
		let mut block = at;
		for _ in 0..=MAX_DEADLINE_SHIFT {
			if GridDeadlines::<T>::try_mutate(block, |due| due.try_push(deadline)).is_ok() {
				return Ok(block);
			}
			block = block.saturating_add(One::one());
		}
		Err(Error::<T>::DeadlineQueueFull)
	}

	/// Acts on a grid deadline due at `now`, if it still applies.
	pub(crate) fn process_grid_deadline(deadline: GridDeadline, now: BlockNumberFor<T>) {
		let grid = match deadline {
			GridDeadline::Slot(grid, _) | GridDeadline::Close(grid) => grid,
		};
		let Some(mut job) = GridJobs::<T>::get(grid) else { return };
		if job.status != GridStatus::Open {
			return;
		}
		let result = match deadline {
			GridDeadline::Close(_) if job.closes_at <= now => Self::close_grid(grid, job, now),
			GridDeadline::Slot(_, slot) => match job.slots.get(slot as usize).map(|s| s.state.clone()) {
				Some(SlotState::Locked { prover, expires_at, .. }) if expires_at <= now =>
					Self::fail_slot(grid, slot, &mut job, &prover, Offence::Timeout).map(|forfeited| {
						Self::deposit_event(Event::SlotExpired { grid, slot, prover, forfeited });
						GridJobs::<T>::insert(grid, job);
					}),
				_ => Ok(()),
			},
			_ => Ok(()),
		};
		if let Err(error) = result {
			// Holds made by this pallet cover every amount moved here, so this is a bug.
			log::error!(target: "runtime::jobs", "deadline of grid {grid} failed: {error:?}");
		}
	}

	/// Closes a grid: times out open locks, ranks the proven slots and pays them out of the
	/// escrow (module docs), refunds the rest, and releases the circuit.
	fn close_grid(grid: GridId, mut job: GridJobOf<T>, now: BlockNumberFor<T>) -> DispatchResult {
		for slot in 0..job.slots.len() as SlotIndex {
			if let SlotState::Locked { prover, .. } = job.slots[slot as usize].state.clone() {
				let forfeited = Self::fail_slot(grid, slot, &mut job, &prover, Offence::Timeout)?;
				Self::deposit_event(Event::SlotExpired { grid, slot, prover, forfeited });
			}
		}
		let mut proven: Vec<(SlotIndex, T::AccountId, u128, BlockNumberFor<T>)> = job
			.slots
			.iter()
			.enumerate()
			.filter_map(|(i, s)| match &s.state {
				SlotState::Proven { prover, metric, at } => Some((i as SlotIndex, prover.clone(), *metric, *at)),
				_ => None,
			})
			.collect();
		// Higher metric first; then the earlier proof; then the lower slot.
		proven.sort_by(|a, b| b.2.cmp(&a.2).then(a.3.cmp(&b.3)).then(a.0.cmp(&b.0)));

		let bounty = job.terms.bounty;
		let shares = split_bounty(bounty, proven.len() as u32);
		let mut payouts = Vec::with_capacity(proven.len());
		let mut fees = BalanceOf::<T>::zero();
		let treasury = T::TreasuryAccount::get();
		for ((slot, prover, metric, _), share) in proven.into_iter().zip(shares.iter()) {
			let fee = T::Fees::fee_rate(&prover) * *share;
			let paid = share.saturating_sub(fee);
			funds::pay_from_escrow::<T>(&job.requester, &prover, paid)?;
			funds::pay_from_escrow::<T>(&job.requester, &treasury, fee)?;
			fees = fees.saturating_add(fee);
			payouts.push(SlotPayout { slot, prover, metric, paid, fee });
		}
		let paid_out = shares.iter().fold(BalanceOf::<T>::zero(), |sum, s| sum.saturating_add(*s));
		let refund = funds::refund_escrow::<T>(&job.requester, bounty.saturating_sub(paid_out))?;
		T::Verifier::release(&job.circuit);
		let payouts: BoundedVec<SlotPayout<T>, T::MaxSlots> =
			payouts.try_into().expect("at most one payout per slot, and slots are bounded; qed");
		job.status = GridStatus::Closed { payouts: payouts.clone(), refund, at: now };
		GridJobs::<T>::insert(grid, job);
		Self::deposit_event(Event::GridClosed { grid, payouts, refund, fees });
		Ok(())
	}
}

/// The metric in a big-endian 32-byte scalar, if it is below 2¹²⁸.
pub fn metric_of(output: &PublicInput) -> Option<u128> {
	if output[..16].iter().any(|b| *b != 0) {
		return None;
	}
	let mut low = [0u8; 16];
	low.copy_from_slice(&output[16..]);
	Some(u128::from_be_bytes(low))
}

/// The shares of `bounty` for `proven` ranked slots, best first: half to the best, the other
/// half equally to the rest with the remainder to the best; with one proven slot only the
/// half, with none nothing (the rest is refunded).
pub fn split_bounty<Balance>(bounty: Balance, proven: u32) -> Vec<Balance>
where
	Balance: sp_runtime::traits::AtLeast32BitUnsigned + Copy,
{
	if proven == 0 {
		return Vec::new();
	}
	let half = bounty / 2u32.into();
	if proven == 1 {
		return alloc::vec![half];
	}
	let others = bounty.saturating_sub(half);
	let each = others / (proven - 1).into();
	let remainder = others.saturating_sub(each * (proven - 1).into());
	let mut shares = alloc::vec![each; proven as usize];
	shares[0] = half.saturating_add(remainder);
	shares
}
