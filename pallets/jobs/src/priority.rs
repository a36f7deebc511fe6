//! Which transactions move the market on, and so must not be kept out of blocks by someone who
//! buys block space: the runtime's transaction extension (`cloudana_runtime::priority`) raises
//! their priority above what ordinary traffic can outbid cheaply, and the off-chain worker tips
//! its results near their deadline ([`Pallet::worker_tip`]).
//!
//! Without this, a prover's result competed with every tipped transaction for the same block
//! space, and a block-stuffer could keep it out until its lock timed out: the prover's collateral
//! burned for something the stuffer controlled (issue 26, item 5).

use crate::{pallet::*, BalanceOf, JobStatus, Lock, ProverRegistry, SlotState, WorkId};
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, Perbill};

/// The worker tips a result only within this many blocks of its lock's timeout.
pub const URGENT_BLOCKS: u32 = 3;

/// The worker's tip in its last [`URGENT_BLOCKS`] blocks: this share of the collateral at stake
/// three blocks before the timeout, doubling with each block closer (1%, 2%, 4%).
pub const URGENT_TIP: Perbill = Perbill::from_percent(1);

impl<T: Config> Pallet<T> {
	/// Whether `call`, signed by `who`, is market-critical at the current block:
	///
	/// - `lock` / `lock_slot` of work that is open now, in its window, by a prover eligible for
	///   its circuit at its current price, not its requester;
	/// - `submit_result` / `submit_slot_result` for `who`'s own lock that has not timed out;
	/// - `submit_results` whose every result is for such a lock.
	///
	/// Anything else, and any of these that would fail those checks, is ordinary traffic. Reads
	/// [`Pallet::market_check_reads`] records.
	pub fn is_market_critical(who: &T::AccountId, call: &Call<T>) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		match call {
			Call::lock { job } => Jobs::<T>::get(job).is_some_and(|job| {
				Self::check_lockable_job(who, &job, now).is_ok() &&
					T::Provers::ensure_eligible(who, &job.circuit, Self::price_at(&job, now)).is_ok()
			}),
			Call::lock_slot { grid, slot } => GridJobs::<T>::get(grid).is_some_and(|grid| {
				Self::check_lockable_slot(who, &grid, *slot, now).is_ok() &&
					T::Provers::ensure_eligible(who, &grid.circuit, Self::slot_price(&grid)).is_ok()
			}),
			call => result_works(call)
				.is_some_and(|works| !works.is_empty() && works.into_iter().all(|work| Self::live_lock(who, work).is_some())),
		}
	}

	/// How many storage reads [`Pallet::is_market_critical`] makes for `call` at most.
	pub fn market_check_reads(call: &Call<T>) -> u64 {
		match call {
			// The record, and the prover's for its eligibility.
			Call::lock { .. } | Call::lock_slot { .. } => 3,
			// Per result, `ActiveLocks` and the record.
			call => result_works(call).map_or(0, |works| 2 * works.len() as u64),
		}
	}

	/// The lock `who` holds on `work`, if it has not timed out ([`Pallet::check_live_lock`]), and
	/// the collateral it holds.
	fn live_lock(who: &T::AccountId, work: WorkId) -> Option<(Lock<T>, BalanceOf<T>)> {
		if !ActiveLocks::<T>::contains_key(who, work) {
			return None;
		}
		let (lock, collateral) = match work {
			WorkId::Job(id) => {
				let job = Jobs::<T>::get(id)?;
				let JobStatus::Locked(lock) = job.status else { return None };
				(lock, job.terms.collateral)
			},
			WorkId::Slot(id, slot) => {
				let grid = GridJobs::<T>::get(id)?;
				let SlotState::Locked(lock) = grid.slots.get(slot as usize)?.state.clone() else { return None };
				(lock, grid.terms.collateral)
			},
		};
		Self::check_live_lock(&lock, who).is_ok().then_some((lock, collateral))
	}

	/// The tip the off-chain worker adds to `call`, signed by `who`, base units: zero, unless it
	/// carries results for `who`'s live locks within [`URGENT_BLOCKS`] of their timeout; then,
	/// for each, [`URGENT_TIP`] of its collateral, doubled for each block closer (a tip is paid,
	/// a timeout burns the whole collateral).
	pub fn worker_tip(who: &T::AccountId, call: &Call<T>) -> BalanceOf<T> {
		let now = frame_system::Pallet::<T>::block_number();
		let urgent: BlockNumberFor<T> = URGENT_BLOCKS.into();
		let works = result_works(call).unwrap_or_default();
		works.into_iter().filter_map(|work| Self::live_lock(who, work)).fold(Default::default(), |tip, (lock, collateral)| {
			let left = lock.expires_at.saturating_sub(now);
			if left > urgent {
				return tip;
			}
			// Three blocks left: 1×; two: 2×; one: 4×.
			let doublings: u32 = (urgent.saturating_sub(left)).try_into().unwrap_or(0);
			let share = URGENT_TIP * collateral;
			tip.saturating_add(share.saturating_mul((1u32 << doublings.min(2)).into()))
		})
	}
}

/// The work each result `call` carries (`submit_result`, `submit_slot_result`,
/// `submit_results`), or `None` for any other call.
fn result_works<T: Config>(call: &Call<T>) -> Option<Vec<WorkId>> {
	match call {
		Call::submit_result { job, .. } => Some(alloc::vec![WorkId::Job(*job)]),
		Call::submit_slot_result { grid, slot, .. } => Some(alloc::vec![WorkId::Slot(*grid, *slot)]),
		Call::submit_results { batches } => Some(batches.iter().flat_map(|b| b.results.iter().map(|r| r.work)).collect()),
		_ => None,
	}
}
