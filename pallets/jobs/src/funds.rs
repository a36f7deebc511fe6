//! Every currency operation of pallet-jobs, so the money paths read in one place.
//!
//! Escrow is held from the requester with `HoldReason::JobEscrow`; collateral from the prover
//! with `HoldReason::JobCollateral`. Money only ever moves out of those holds: nothing is paid
//! from thin air, and total issuance never changes. Held funds belong to the job, so moving
//! them uses `Fortitude::Force` (a freeze on the owner's account does not stop a payout).

use crate::{BalanceOf, Config, Error, HoldReason};
use frame_support::{
	pallet_prelude::DispatchResult,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use sp_runtime::{traits::Zero, DispatchError};

/// Holds a job's escrow from its requester.
pub(crate) fn hold_escrow<T: Config>(requester: &T::AccountId, amount: BalanceOf<T>) -> Result<(), Error<T>> {
	T::Currency::hold(&HoldReason::JobEscrow.into(), requester, amount).map_err(|_| Error::<T>::InsufficientBalance)
}

/// Holds a job's collateral from the prover locking it.
pub(crate) fn hold_collateral<T: Config>(prover: &T::AccountId, amount: BalanceOf<T>) -> Result<(), Error<T>> {
	T::Currency::hold(&HoldReason::JobCollateral.into(), prover, amount)
		.map_err(|_| Error::<T>::InsufficientCollateral)
}

/// Pays `amount` out of `requester`'s escrow into `to`'s free balance.
pub(crate) fn pay_from_escrow<T: Config>(
	requester: &T::AccountId,
	to: &T::AccountId,
	amount: BalanceOf<T>,
) -> DispatchResult {
	if amount.is_zero() {
		return Ok(());
	}
	T::Currency::transfer_on_hold(
		&HoldReason::JobEscrow.into(),
		requester,
		to,
		amount,
		Precision::Exact,
		Restriction::Free,
		Fortitude::Force,
	)
	.map(|_| ())
}

/// Releases `amount` of `requester`'s escrow back to them; returns the amount released.
pub(crate) fn refund_escrow<T: Config>(
	requester: &T::AccountId,
	amount: BalanceOf<T>,
) -> Result<BalanceOf<T>, DispatchError> {
	T::Currency::release(&HoldReason::JobEscrow.into(), requester, amount, Precision::Exact)
}

/// Releases a prover's collateral after a valid result.
pub(crate) fn release_collateral<T: Config>(prover: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
	T::Currency::release(&HoldReason::JobCollateral.into(), prover, amount, Precision::Exact).map(|_| ())
}

/// Moves a failed prover's collateral to the requester; returns the amount moved.
pub(crate) fn forfeit_collateral<T: Config>(
	prover: &T::AccountId,
	requester: &T::AccountId,
	amount: BalanceOf<T>,
) -> Result<BalanceOf<T>, DispatchError> {
	if amount.is_zero() {
		return Ok(amount);
	}
	T::Currency::transfer_on_hold(
		&HoldReason::JobCollateral.into(),
		prover,
		requester,
		amount,
		Precision::Exact,
		Restriction::Free,
		Fortitude::Force,
	)
}
