//! The one deadline queue every record's next step waits in: [`Pallet::schedule`] puts a
//! [`Deadline`] at a block (it never fails: a block holds any number), and
//! [`Pallet::process_deadlines`] works through the queue from [`DeadlineCursor`] in block order,
//! each entry charged the benchmarked weight of its worst case, until `MaxDeadlineWeight` is
//! used; the rest waits for the next block. Each entry is processed in its own storage layer: an
//! error (a bug) rolls back all its changes and queues it again [`DEADLINE_RETRY_BLOCKS`] later.
//! Processing an entry acts only if something is still due for its record ([`Pallet::process_job`], [`Pallet::process_slot`],
//! [`Pallet::process_grid`]).
//!
//! The module also holds the pallet's invariants ([`Pallet::do_try_state`]).

use crate::{pallet::*, BalanceOf, Deadline, GridStatus, HoldReason, JobStatus, SlotState, WorkId};
use crate::WeightInfo;
use frame_support::{pallet_prelude::*, storage::with_storage_layer, traits::fungible::InspectHold};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating, Zero};

/// Blocks after which a deadline whose processing failed (a bug: its changes are rolled back
/// and logged) is tried again.
pub const DEADLINE_RETRY_BLOCKS: u32 = 100;

impl<T: Config> Pallet<T> {
	/// Queues `deadline` at block `at`.
	pub(crate) fn schedule(deadline: Deadline, at: BlockNumberFor<T>) {
		Deadlines::<T>::insert(at, deadline, ());
	}

	/// The most processing `deadline` can take: its benchmarked worst case for its record. A
	/// grid's is for its real slot count (one read to learn it), not `MaxSlots`: charging every
	/// grid the largest one's cost let one-slot grids, cheap to submit, take the hook's budget.
	pub fn deadline_weight(deadline: &Deadline) -> Weight {
		match deadline {
			Deadline::Job(_) => Self::job_deadline_weight(),
			Deadline::Slot(..) => T::WeightInfo::process_slot(),
			Deadline::Grid(id) => {
				let slots = GridJobs::<T>::get(id).map_or(1, |grid| grid.slots.len() as u32);
				Self::grid_deadline_weight(slots).saturating_add(T::DbWeight::get().reads(1))
			},
		}
	}

	/// The most a job's deadline can take: the measured worst case (a lock timing out), and
	/// the [`crate::ReopenedJobs`] entry the job gets when it opens again.
	pub fn job_deadline_weight() -> Weight {
		T::WeightInfo::process_job().saturating_add(T::DbWeight::get().writes(1))
	}

	/// The most a grid of `slots` slots' deadline can take: closing it, or pruning it.
	pub fn grid_deadline_weight(slots: u32) -> Weight {
		let slots = slots.max(1);
		T::WeightInfo::process_grid(slots).max(T::WeightInfo::close_grid(slots))
	}

	/// The heaviest any deadline can be, with the queue reads around it.
	pub fn worst_deadline_weight() -> Weight {
		Self::job_deadline_weight()
			.max(T::WeightInfo::process_slot())
			.max(Self::grid_deadline_weight(T::MaxSlots::get()).saturating_add(T::DbWeight::get().reads(1)))
			.saturating_add(T::DbWeight::get().reads_writes(3, 2))
	}

	/// Processes the deadlines due by `now`, oldest block first, within `MaxDeadlineWeight`;
	/// returns the weight used.
	pub(crate) fn process_deadlines(now: BlockNumberFor<T>) -> Weight {
		let budget = T::MaxDeadlineWeight::get();
		let db = T::DbWeight::get();
		// The cursor's read and write.
		let mut used = db.reads_writes(1, 1);
		let mut cursor = DeadlineCursor::<T>::get();
		while cursor <= now {
			let next = used.saturating_add(db.reads(1));
			if !next.all_lte(budget) {
				break;
			}
			used = next;
			let Some(deadline) = Deadlines::<T>::iter_key_prefix(cursor).next() else {
				cursor = cursor.saturating_add(One::one());
				continue;
			};
			// Its removal, and its requeueing should it fail.
			let cost = Self::deadline_weight(&deadline).saturating_add(db.writes(2));
			if !used.saturating_add(cost).all_lte(budget) {
				break;
			}
			used = used.saturating_add(cost);
			Deadlines::<T>::remove(cursor, deadline);
			// Each deadline is one transaction: a failure undoes all of its changes, never some.
			let result = with_storage_layer(|| match deadline {
				Deadline::Job(id) => Self::process_job(id, now),
				Deadline::Slot(grid, slot) => Self::process_slot(grid, slot, now),
				Deadline::Grid(grid) => Self::process_grid(grid, now),
			});
			if let Err(error) = result {
				// Holds made by this pallet cover every amount moved here, so this is a bug; the
				// record stays as it was, and its deadline is tried again later.
				let retry = now.saturating_add(DEADLINE_RETRY_BLOCKS.into());
				log::error!(target: "runtime::jobs", "deadline {deadline:?} failed: {error:?}; retried at {retry:?}");
				Self::schedule(deadline, retry);
			}
		}
		DeadlineCursor::<T>::put(cursor);
		used
	}

	/// Checks the pallet's invariants:
	///
	/// - held escrow, collateral and storage deposits equal what the records account for;
	/// - every open or locked job, open grid and locked slot has its deadline queued, at or
	///   after the cursor;
	/// - [`OpenWork`] holds exactly the open jobs and the open slots of open grids, and
	///   [`ActiveLocks`] exactly the locks.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		type Sums<T> = BTreeMap<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
		fn add<T: Config>(sums: &mut Sums<T>, who: &T::AccountId, amount: BalanceOf<T>) {
			let entry = sums.entry(who.clone()).or_insert_with(Zero::zero);
			*entry = entry.saturating_add(amount);
		}
		let (mut escrow, mut collateral, mut deposits) = (Sums::<T>::new(), Sums::<T>::new(), Sums::<T>::new());
		let mut open = alloc::vec::Vec::new();
		let mut locks = alloc::vec::Vec::new();
		let cursor = DeadlineCursor::<T>::get();
		let queued = |at: BlockNumberFor<T>, deadline: Deadline| at >= cursor && Deadlines::<T>::contains_key(at, deadline);
		for (id, job) in Jobs::<T>::iter() {
			ensure!(id < NextJobId::<T>::get(), "a job id is not below NextJobId");
			add::<T>(&mut deposits, &job.requester, job.deposit);
			match &job.status {
				JobStatus::Open => {
					add::<T>(&mut escrow, &job.requester, job.terms.max_price);
					ensure!(queued(job.lock_expires_at, Deadline::Job(id)), "an open job's lock window is not queued");
					open.push((job.circuit, WorkId::Job(id)));
				},
				JobStatus::Locked(lock) => {
					add::<T>(&mut escrow, &job.requester, job.terms.max_price);
					add::<T>(&mut collateral, &lock.prover, job.terms.collateral);
					ensure!(queued(lock.expires_at, Deadline::Job(id)), "a lock's timeout is not queued");
					locks.push((lock.prover.clone(), WorkId::Job(id)));
				},
				_ => {},
			}
		}
		for id in CircomJobs::<T>::iter_keys() {
			ensure!(Jobs::<T>::contains_key(id), "circom artifacts outlive their job");
		}
		for id in ReopenedJobs::<T>::iter_keys() {
			ensure!(Jobs::<T>::contains_key(id), "a reopened mark outlives its job");
		}
		for (id, grid) in GridJobs::<T>::iter() {
			ensure!(id < NextGridId::<T>::get(), "a grid id is not below NextGridId");
			add::<T>(&mut deposits, &grid.requester, grid.deposit);
			if grid.status != GridStatus::Open {
				continue;
			}
			add::<T>(&mut escrow, &grid.requester, grid.terms.bounty);
			ensure!(queued(grid.closes_at, Deadline::Grid(id)), "an open grid's close is not queued");
			for (slot, s) in grid.slots.iter().enumerate() {
				let work = WorkId::Slot(id, slot as u32);
				match &s.state {
					SlotState::Open => open.push((grid.circuit, work)),
					SlotState::Locked(lock) => {
						add::<T>(&mut collateral, &lock.prover, grid.terms.collateral);
						ensure!(
							queued(lock.expires_at, Deadline::Slot(id, slot as u32)),
							"a locked slot's timeout is not queued"
						);
						locks.push((lock.prover.clone(), work));
					},
					_ => {},
				}
			}
		}
		for (reason, sums) in
			[(HoldReason::JobEscrow, escrow), (HoldReason::JobCollateral, collateral), (HoldReason::StorageDeposit, deposits)]
		{
			for (who, amount) in sums {
				ensure!(
					T::Currency::balance_on_hold(&reason.clone().into(), &who) == amount,
					"a hold differs from what the records account for"
				);
			}
		}
		ensure!(OpenWork::<T>::iter().count() == open.len(), "OpenWork holds work that is not open");
		for (circuit, work) in open {
			ensure!(OpenWork::<T>::contains_key(circuit, work), "open work is missing from OpenWork");
		}
		ensure!(ActiveLocks::<T>::iter().count() == locks.len(), "ActiveLocks holds a lock that ended");
		for (prover, work) in locks {
			ensure!(ActiveLocks::<T>::contains_key(prover, work), "a lock is missing from ActiveLocks");
		}
		ensure!(
			Deadlines::<T>::iter_keys().all(|(at, _)| at >= cursor),
			"a deadline is queued before the cursor"
		);
		Ok(())
	}
}
