//! Every currency operation of pallet-jobs, so the money paths read in one place.
//!
//! Three holds, each released or spent only as the job's rules say:
//!
//! - **escrow** (`HoldReason::JobEscrow`), from the requester: a job's `max_price`, a grid's
//!   bounty. Paid to provers and the treasury, or refunded.
//! - **collateral** (`HoldReason::JobCollateral`), from a prover while it holds a lock. Released
//!   when it proves (or when a result fails for a reason that is not its proof), **burned** when
//!   it times out or submits an invalid proof: never paid to the requester, who could have set
//!   the trap, nor to another prover, who could be the same person.
//! - **storage deposit** (`HoldReason::StorageDeposit`), from the requester for each job and
//!   grid record, per byte: released when the record is pruned, less `ExpiryFee` (to the
//!   treasury) for a job that expired with no prover's failure.
//!
//! Nothing is paid from thin air: total issuance only falls, by burned collateral. Held funds
//! belong to the job, so moving them uses `Fortitude::Force` (a freeze on the owner's account
//! does not stop a payout).

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

/// Holds a record's storage deposit from its requester.
pub(crate) fn hold_deposit<T: Config>(requester: &T::AccountId, amount: BalanceOf<T>) -> Result<(), Error<T>> {
	T::Currency::hold(&HoldReason::StorageDeposit.into(), requester, amount)
		.map_err(|_| Error::<T>::InsufficientBalance)
}

/// Releases a pruned record's storage deposit to its requester; returns the amount released.
pub(crate) fn release_deposit<T: Config>(
	requester: &T::AccountId,
	amount: BalanceOf<T>,
) -> Result<BalanceOf<T>, DispatchError> {
	T::Currency::release(&HoldReason::StorageDeposit.into(), requester, amount, Precision::Exact)
}

/// Pays `amount` out of `requester`'s storage deposit into `to`'s free balance.
pub(crate) fn pay_from_deposit<T: Config>(
	requester: &T::AccountId,
	to: &T::AccountId,
	amount: BalanceOf<T>,
) -> DispatchResult {
	if amount.is_zero() {
		return Ok(());
	}
	T::Currency::transfer_on_hold(
		&HoldReason::StorageDeposit.into(),
		requester,
		to,
		amount,
		Precision::Exact,
		Restriction::Free,
		Fortitude::Force,
	)
	.map(|_| ())
}

/// Holds a lock's collateral from its prover.
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

/// Releases a prover's collateral when its lock ends without its fault.
pub(crate) fn release_collateral<T: Config>(prover: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
	T::Currency::release(&HoldReason::JobCollateral.into(), prover, amount, Precision::Exact).map(|_| ())
}

/// Burns a failed prover's collateral; returns the amount burned.
pub(crate) fn burn_collateral<T: Config>(
	prover: &T::AccountId,
	amount: BalanceOf<T>,
) -> Result<BalanceOf<T>, DispatchError> {
	if amount.is_zero() {
		return Ok(amount);
	}
	T::Currency::burn_held(&HoldReason::JobCollateral.into(), prover, amount, Precision::Exact, Fortitude::Force)
}
