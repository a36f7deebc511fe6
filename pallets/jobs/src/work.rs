//! What plain jobs and grid slots share, written once: checking a statement's shape at
//! submission, taking a lock, checking and verifying a result, and ending a lock (released,
//! failed with an offence, or voided without one). [`crate::job`] and [`crate::grid`] decide
//! what happens to their record around these steps.

use crate::{
	funds, pallet::*, BalanceOf, CircuitId, Deadline, FeePolicy, Lock, ProverRegistry, Verifier, VerifyError, WorkId,
	WorkOutcomes,
};
use cloudana_groth16::{Element, PublicInput};
use cloudana_primitives::{CompletedWork, Offence};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchError};

/// Whether a 32-byte big-endian value is a BN254 scalar (below r).
pub fn in_field(value: &PublicInput) -> bool {
	cloudana_groth16::encoding::decode_fr(value, Element::PublicInput(0)).is_ok()
}

impl<T: Config> Pallet<T> {
	/// Takes the next id of a sequence (`NextJobId`, `NextGridId`).
	pub(crate) fn take_id<S: frame_support::storage::StorageValue<u64, Query = u64>>() -> u64 {
		S::mutate(|next| {
			let id = *next;
			*next = next.saturating_add(1);
			id
		})
	}

	/// Checks a proof timeout against `MinProofTimeout` and `MaxProofTimeout`.
	pub(crate) fn check_proof_timeout(proof_timeout: BlockNumberFor<T>) -> DispatchResult {
		ensure!(proof_timeout <= T::MaxProofTimeout::get(), Error::<T>::InvalidProofTimeout);
		ensure!(proof_timeout >= T::MinProofTimeout::get(), Error::<T>::ProofWindowTooShort);
		Ok(())
	}

	/// Checks that `circuit` is registered and takes `inputs` (each below r) plus the binding
	/// and at most `MaxOutputs` outputs; returns the number of outputs.
	pub(crate) fn check_statement_shape(circuit: &CircuitId, inputs: &[PublicInput]) -> Result<u32, DispatchError> {
		let total = T::Verifier::public_inputs(circuit).ok_or(Error::<T>::CircuitNotFound)?;
		let outputs = total.checked_sub(1 + inputs.len() as u32).ok_or(Error::<T>::TooManyInputs)?;
		ensure!(outputs <= T::MaxOutputs::get(), Error::<T>::TooManyOutputs);
		ensure!(inputs.iter().all(in_field), Error::<T>::InputNotInField);
		Ok(outputs)
	}

	/// The storage deposit of a record of `bytes` bytes.
	pub fn deposit_for(bytes: usize) -> BalanceOf<T> {
		T::DepositPerByte::get()
			.saturating_mul((bytes as u32).into())
			.saturating_add(T::DepositBase::get())
	}

	/// Takes a lock on `work` for `prover` at `price`: reserves the stake the price requires
	/// (eligibility checked), holds `collateral`, moves the work from [`OpenWork`] to
	/// [`ActiveLocks`], and schedules `deadline` for when it times out, `proof_timeout` blocks
	/// from now.
	///
	/// Emits [`Event::Locked`].
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn take_lock(
		work: WorkId,
		prover: T::AccountId,
		circuit: &CircuitId,
		price: BalanceOf<T>,
		collateral: BalanceOf<T>,
		proof_timeout: BlockNumberFor<T>,
		deadline: Deadline,
	) -> Result<Lock<T>, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		let reserved = T::Provers::reserve(&prover, circuit, price).map_err(Error::<T>::ProverIneligible)?;
		funds::hold_collateral::<T>(&prover, collateral)?;
		let expires_at = now.saturating_add(proof_timeout);
		Self::schedule(deadline, expires_at);
		OpenWork::<T>::remove(circuit, work);
		ActiveLocks::<T>::insert(&prover, work, ());
		Self::deposit_event(Event::Locked { work, prover: prover.clone(), price, collateral, expires_at });
		Ok(Lock { prover, price, reserved, locked_at: now, expires_at })
	}

	/// Checks that `who` holds `lock` and that it has not timed out.
	pub(crate) fn check_live_lock(lock: &Lock<T>, who: &T::AccountId) -> DispatchResult {
		ensure!(*who == lock.prover, Error::<T>::NotJobProver);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < lock.expires_at, Error::<T>::ProofDeadlinePassed);
		Ok(())
	}

	/// Checks a submitted result against its lock: the caller is the prover, the lock has not
	/// timed out ([`Pallet::check_live_lock`]), the outputs are `expected` scalars below r.
	pub(crate) fn check_result(
		lock: &Lock<T>,
		who: &T::AccountId,
		expected: u32,
		outputs: &[PublicInput],
	) -> DispatchResult {
		Self::check_live_lock(lock, who)?;
		ensure!(outputs.len() as u32 == expected, Error::<T>::OutputCountMismatch);
		ensure!(outputs.iter().all(in_field), Error::<T>::OutputNotInField);
		Ok(())
	}

	/// Whether a proof at `now` came in the first half of the lock's proof window.
	pub(crate) fn on_time(lock: &Lock<T>, proof_timeout: BlockNumberFor<T>, now: BlockNumberFor<T>) -> bool {
		now.saturating_sub(lock.locked_at).saturating_mul(2u32.into()) <= proof_timeout
	}

	/// Ends a lock whose prover is not at fault: releases its collateral and reserved stake.
	pub(crate) fn release_lock(work: WorkId, lock: &Lock<T>, collateral: BalanceOf<T>) -> DispatchResult {
		funds::release_collateral::<T>(&lock.prover, collateral)?;
		T::Provers::unreserve(&lock.prover, lock.reserved);
		ActiveLocks::<T>::remove(&lock.prover, work);
		Ok(())
	}

	/// Ends a lock with a valid proof: releases it and tells [`Config::Outcomes`].
	pub(crate) fn complete_lock(
		work: WorkId,
		lock: &Lock<T>,
		requester: &T::AccountId,
		circuit: &CircuitId,
		collateral: BalanceOf<T>,
		proof_timeout: BlockNumberFor<T>,
	) -> DispatchResult {
		Self::release_lock(work, lock, collateral)?;
		let now = frame_system::Pallet::<T>::block_number();
		T::Outcomes::on_completed(&CompletedWork {
			work,
			requester: requester.clone(),
			prover: lock.prover.clone(),
			circuit: *circuit,
			price: lock.price,
			on_time: Self::on_time(lock, proof_timeout, now),
		});
		Ok(())
	}

	/// Ends a lock whose prover failed (`offence`): burns its collateral, releases its reserved
	/// stake and reports the offence. Returns the amount burned.
	pub(crate) fn fail_lock(
		work: WorkId,
		lock: &Lock<T>,
		collateral: BalanceOf<T>,
		offence: Offence,
	) -> Result<BalanceOf<T>, DispatchError> {
		let burned = funds::burn_collateral::<T>(&lock.prover, collateral)?;
		T::Provers::unreserve(&lock.prover, lock.reserved);
		ActiveLocks::<T>::remove(&lock.prover, work);
		T::Outcomes::on_offence(&lock.prover, work, offence);
		Ok(burned)
	}

	/// Ends a lock whose result failed verification: an invalid proof is an offence
	/// ([`Event::ProofRejected`]); a failure that is not the proof's voids the work
	/// ([`Event::Voided`]). Returns whether the prover was at fault (the work reopens) or not
	/// (the work is void).
	pub(crate) fn settle_failed_result(
		work: WorkId,
		lock: &Lock<T>,
		collateral: BalanceOf<T>,
		reason: VerifyError,
	) -> Result<bool, DispatchError> {
		let prover = lock.prover.clone();
		if reason.blames_prover() {
			let burned = Self::fail_lock(work, lock, collateral, Offence::InvalidProof)?;
			Self::deposit_event(Event::ProofRejected { work, prover, reason, burned });
			Ok(true)
		} else {
			Self::release_lock(work, lock, collateral)?;
			Self::deposit_event(Event::Voided { work, prover, reason });
			Ok(false)
		}
	}

	/// Times out a lock: [`Pallet::fail_lock`] with [`Offence::Timeout`].
	///
	/// Emits [`Event::LockTimedOut`].
	pub(crate) fn time_out_lock(work: WorkId, lock: &Lock<T>, collateral: BalanceOf<T>) -> DispatchResult {
		let burned = Self::fail_lock(work, lock, collateral, Offence::Timeout)?;
		Self::deposit_event(Event::LockTimedOut { work, prover: lock.prover.clone(), burned });
		Ok(())
	}

	/// Pays `price` out of `requester`'s escrow to `prover`, less the fee, which goes to the
	/// treasury when it can take it (else to the prover: a treasury Root reaped does not stop
	/// a payout). Returns `(paid, fee)`, as moved.
	pub(crate) fn pay_prover(
		requester: &T::AccountId,
		prover: &T::AccountId,
		price: BalanceOf<T>,
	) -> Result<(BalanceOf<T>, BalanceOf<T>), DispatchError> {
		let fee = funds::pay_fee::<T>(HoldReason::JobEscrow, requester, T::Fees::fee_rate(prover) * price);
		let paid = price.saturating_sub(fee);
		funds::pay_from_escrow::<T>(requester, prover, paid)?;
		Ok((paid, fee))
	}
}
