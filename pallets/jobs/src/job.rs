//! Plain jobs: the logic behind [`Pallet::submit`], [`Pallet::lock`], [`Pallet::submit_result`]
//! and [`Pallet::cancel`], and what a job's deadlines do.
//!
//! ```text
//! submit ──> Open ──lock──> Locked ──valid proof──────────────> Completed
//!             │               ├──invalid proof / timeout──────> Open again (Expired past the lock window)
//!             │               └──key or statement at fault────> Void (full refund, no offence)
//!             ├──cancel──> Cancelled (refund minus the cancellation fee)
//!             └──lock window closes──> Expired (full refund)
//! Completed / Cancelled / Expired / Void ──RetentionPeriod──> pruned (deposit released)
//! ```

use crate::{
	CircomJob, funds, pallet::*, Deadline, Job, JobId, JobOf, JobStatus, JobTermsOf, RecordId, Verifier, WorkId, WorkOutcomes,
};
use alloc::vec::Vec;
use cloudana_groth16::{Proof, PublicInput};
use codec::Encode;
use crate::WeightInfo;
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_submit(
		requester: T::AccountId,
		circuit: crate::CircuitId,
		inputs: BoundedVec<PublicInput, T::MaxInputs>,
		terms: JobTermsOf<T>,
		circom: Option<CircomJob>,
	) -> DispatchResult {
		ensure!(!terms.max_price.is_zero(), Error::<T>::ZeroPrice);
		ensure!(terms.min_price <= terms.max_price, Error::<T>::InvalidPriceRange);
		ensure!(
			!terms.lock_timeout.is_zero() && terms.lock_timeout <= T::MaxLockTimeout::get(),
			Error::<T>::InvalidLockTimeout
		);
		Self::check_proof_timeout(terms.proof_timeout)?;
		let outputs = Self::check_statement_shape(&circuit, &inputs)?;

		funds::hold_escrow::<T>(&requester, terms.max_price)?;
		T::Verifier::acquire(&circuit).map_err(|_| Error::<T>::CircuitNotFound)?;
		let id = Self::take_id::<NextJobId<T>>();
		let now = frame_system::Pallet::<T>::block_number();
		let lock_expires_at = now.saturating_add(terms.lock_timeout);
		let max_price = terms.max_price;
		let mut job = Job {
			requester: requester.clone(),
			circuit,
			inputs,
			outputs,
			terms,
			submitted_at: now,
			lock_expires_at,
			deposit: Zero::zero(),
			status: JobStatus::Open,
		};
		job.deposit = Self::deposit_for(job.encoded_size().saturating_add(circom.as_ref().map_or(0, |c| c.encoded_size())));
		funds::hold_deposit::<T>(&requester, job.deposit)?;
		let deposit = job.deposit;
		Self::schedule(Deadline::Job(id), lock_expires_at);
		OpenWork::<T>::insert(circuit, WorkId::Job(id), ());
		Jobs::<T>::insert(id, job);
		if let Some(circom) = circom {
			CircomJobs::<T>::insert(id, circom);
		}
		Self::deposit_event(Event::JobSubmitted { job: id, requester, circuit, max_price, deposit, lock_expires_at });
		Ok(())
	}

	/// Checks that `prover` may lock `job` at `now` (its stake aside): it is open, its lock
	/// window has not closed, and it is not the prover's own.
	pub(crate) fn check_lockable_job(prover: &T::AccountId, job: &JobOf<T>, now: BlockNumberFor<T>) -> DispatchResult {
		ensure!(job.status == JobStatus::Open, Error::<T>::JobNotOpen);
		ensure!(now < job.lock_expires_at, Error::<T>::LockWindowClosed);
		ensure!(*prover != job.requester, Error::<T>::CannotLockOwnJob);
		Ok(())
	}

	pub(crate) fn do_lock(prover: T::AccountId, id: JobId) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::JobNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		Self::check_lockable_job(&prover, &job, now)?;
		let price = Self::price_at(&job, now);
		let lock = Self::take_lock(
			WorkId::Job(id),
			prover,
			&job.circuit,
			price,
			job.terms.collateral,
			job.terms.proof_timeout,
			Deadline::Job(id),
		)?;
		job.status = JobStatus::Locked(lock);
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	/// Returns the weight the result actually took.
	pub(crate) fn do_submit_result(
		who: T::AccountId,
		id: JobId,
		outputs: BoundedVec<PublicInput, T::MaxOutputs>,
		proof: &Proof,
	) -> Result<Weight, DispatchError> {
		let (circuit, statement) = Self::job_statement(&who, id, &outputs)?;
		let verdict = T::Verifier::verify(&circuit, &statement, proof);
		Self::settle_job_result(&who, id, outputs, verdict)
	}

	/// Checks a result for job `id` by `who` against its lock (see [`Pallet::check_result`]);
	/// returns the job's circuit and the full statement the proof must prove.
	pub(crate) fn job_statement(
		who: &T::AccountId,
		id: JobId,
		outputs: &[PublicInput],
	) -> Result<(crate::CircuitId, Vec<PublicInput>), DispatchError> {
		let job = Jobs::<T>::get(id).ok_or(Error::<T>::JobNotFound)?;
		let JobStatus::Locked(lock) = &job.status else { return Err(Error::<T>::JobNotLocked.into()) };
		Self::check_result(lock, who, job.outputs, outputs)?;
		Ok((job.circuit, Self::statement(WorkId::Job(id), &lock.prover, &job.inputs, outputs)))
	}

	/// Settles a checked result for job `id` with its proof's `verdict`: pays the prover, or
	/// reopens / expires the job (the prover at fault), or voids it. Returns its weight.
	pub(crate) fn settle_job_result(
		who: &T::AccountId,
		id: JobId,
		outputs: BoundedVec<PublicInput, T::MaxOutputs>,
		verdict: Result<(), crate::VerifyError>,
	) -> Result<Weight, DispatchError> {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::JobNotFound)?;
		let JobStatus::Locked(lock) = job.status.clone() else { return Err(Error::<T>::JobNotLocked.into()) };
		Self::check_result(&lock, who, job.outputs, &outputs)?;
		let work = WorkId::Job(id);
		let n = 1 + job.inputs.len() as u32 + outputs.len() as u32;
		let now = frame_system::Pallet::<T>::block_number();
		match verdict {
			Ok(()) => {
				let requester = job.requester.clone();
				let price = lock.price;
				let (paid, fee) = Self::pay_prover(&requester, &lock.prover, price)?;
				let refund = funds::refund_escrow::<T>(&requester, job.terms.max_price.saturating_sub(price))?;
				Self::complete_lock(work, &lock, &requester, &job.circuit, job.terms.collateral, job.terms.proof_timeout)?;
				T::Verifier::release(&job.circuit);
				job.status =
					JobStatus::Completed { prover: lock.prover.clone(), price, fee, outputs: outputs.clone(), at: now };
				Self::finish(id, job, now);
				Self::deposit_event(Event::JobCompleted { job: id, prover: lock.prover, price, paid, fee, refund, outputs });
				Ok(T::WeightInfo::submit_result(n))
			},
			Err(reason) => {
				if Self::settle_failed_result(work, &lock, job.terms.collateral, reason)? {
					Self::reopen_or_expire(id, job, now)?;
				} else {
					funds::refund_escrow::<T>(&job.requester, job.terms.max_price)?;
					T::Verifier::release(&job.circuit);
					job.status = JobStatus::Void { prover: lock.prover, reason, at: now };
					Self::finish(id, job, now);
				}
				Ok(Self::invalid_result_weight(n))
			},
		}
	}

	pub(crate) fn do_cancel(who: T::AccountId, id: JobId) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::JobNotFound)?;
		ensure!(who == job.requester, Error::<T>::NotRequester);
		ensure!(job.status == JobStatus::Open, Error::<T>::JobNotOpen);
		let escrow = job.terms.max_price;
		let fee = funds::pay_fee::<T>(HoldReason::JobEscrow, &who, T::CancellationFee::get() * escrow);
		let refund = funds::refund_escrow::<T>(&who, escrow.saturating_sub(fee))?;
		T::Verifier::release(&job.circuit);
		OpenWork::<T>::remove(job.circuit, WorkId::Job(id));
		let now = frame_system::Pallet::<T>::block_number();
		job.status = JobStatus::Cancelled { refund, fee, at: now };
		Self::finish(id, job, now);
		Self::deposit_event(Event::JobCancelled { job: id, refund, fee });
		Ok(())
	}

	/// Stores a job that just finished and schedules its pruning.
	fn finish(id: JobId, job: JobOf<T>, now: BlockNumberFor<T>) {
		Self::schedule(Deadline::Job(id), now.saturating_add(T::RetentionPeriod::get()));
		Jobs::<T>::insert(id, job);
	}

	/// After a failed lock: the job opens again if its lock window is still open, else it
	/// expires.
	fn reopen_or_expire(id: JobId, mut job: JobOf<T>, now: BlockNumberFor<T>) -> DispatchResult {
		if now < job.lock_expires_at {
			job.status = JobStatus::Open;
			OpenWork::<T>::insert(job.circuit, WorkId::Job(id), ());
			ReopenedJobs::<T>::insert(id, ());
			Jobs::<T>::insert(id, job);
			Ok(())
		} else {
			Self::expire(id, job, now, true)
		}
	}

	/// Refunds the whole escrow and records the job as expired. Unless a prover failed it
	/// (`prover_failed`, or it reopened after a failure), `ExpiryFee` of its storage deposit
	/// goes to the treasury now; the rest is released at pruning.
	fn expire(id: JobId, mut job: JobOf<T>, now: BlockNumberFor<T>, prover_failed: bool) -> DispatchResult {
		let refund = funds::refund_escrow::<T>(&job.requester, job.terms.max_price)?;
		let prover_failed = ReopenedJobs::<T>::take(id).is_some() || prover_failed;
		let deposit_fee = if prover_failed { Zero::zero() } else { T::ExpiryFee::get() * job.deposit };
		let deposit_fee = funds::pay_fee::<T>(HoldReason::StorageDeposit, &job.requester, deposit_fee);
		job.deposit = job.deposit.saturating_sub(deposit_fee);
		T::Verifier::release(&job.circuit);
		OpenWork::<T>::remove(job.circuit, WorkId::Job(id));
		job.status = JobStatus::Expired { refund, at: now };
		Self::finish(id, job, now);
		Self::deposit_event(Event::JobExpired { job: id, refund, deposit_fee });
		Ok(())
	}

	/// What is due for job `id` at `now`: its lock window closing, its lock timing out, or its
	/// pruning.
	pub(crate) fn process_job(id: JobId, now: BlockNumberFor<T>) -> DispatchResult {
		let Some(job) = Jobs::<T>::get(id) else { return Ok(()) };
		match job.status.clone() {
			JobStatus::Open if job.lock_expires_at <= now => Self::expire(id, job, now, false),
			JobStatus::Locked(lock) if lock.expires_at <= now => {
				Self::time_out_lock(WorkId::Job(id), &lock, job.terms.collateral)?;
				Self::reopen_or_expire(id, job, now)
			},
			status if status.finished_at().is_some_and(|at| at.saturating_add(T::RetentionPeriod::get()) <= now) => {
				Jobs::<T>::remove(id);
				CircomJobs::<T>::remove(id);
				ReopenedJobs::<T>::remove(id);
				let deposit = funds::release_deposit::<T>(&job.requester, job.deposit)?;
				T::Outcomes::on_reaped(WorkId::Job(id));
				Self::deposit_event(Event::Reaped { record: RecordId::Job(id), deposit });
				Ok(())
			},
			_ => Ok(()),
		}
	}
}
