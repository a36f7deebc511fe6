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
//! Fees to the treasury ([`pay_fee`]) are best-effort: a treasury that cannot take one (its
//! account reaped by Root) never stops a job's settlement, expiry or cancellation.
//!
//! Nothing is paid from thin air: total issuance only falls, by burned collateral. Held funds
//! belong to the job, so moving them uses `Fortitude::Force` (a freeze on the owner's account
//! does not stop a payout).

use crate::{BalanceOf, Config, Error, HoldReason};
use frame_support::{
	pallet_prelude::DispatchResult,
	storage::with_storage_layer,
	traits::{
		fungible::MutateHold,
		Get,
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

/// Holds a lock's collateral from its prover.
pub(crate) fn hold_collateral<T: Config>(prover: &T::AccountId, amount: BalanceOf<T>) -> Result<(), Error<T>> {
	T::Currency::hold(&HoldReason::JobCollateral.into(), prover, amount)
		.map_err(|_| Error::<T>::InsufficientCollateral)
}

/// Pays `amount` out of `from`'s `reason` hold into `to`'s free balance.
fn pay_from_hold<T: Config>(
	reason: HoldReason,
	from: &T::AccountId,
	to: &T::AccountId,
	amount: BalanceOf<T>,
) -> DispatchResult {
	if amount.is_zero() {
		return Ok(());
	}
	T::Currency::transfer_on_hold(
		&reason.into(),
		from,
		to,
		amount,
		Precision::Exact,
		Restriction::Free,
		Fortitude::Force,
	)
	.map(|_| ())
}

/// Pays `amount` out of `requester`'s escrow into `to`'s free balance.
pub(crate) fn pay_from_escrow<T: Config>(
	requester: &T::AccountId,
	to: &T::AccountId,
	amount: BalanceOf<T>,
) -> DispatchResult {
	pay_from_hold::<T>(HoldReason::JobEscrow, requester, to, amount)
}

/// Pays a fee of `amount` out of `payer`'s `reason` hold to `TreasuryAccount` if the treasury
/// can take it, atomically; returns what was paid: `amount`, or zero when the transfer fails
/// (the treasury's account reaped, by Root, and the fee below the existential deposit). A fee
/// never stops a settlement, an expiry or a cancellation: what is not paid stays in the hold,
/// and the caller decides whose it is.
pub(crate) fn pay_fee<T: Config>(reason: HoldReason, payer: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
	let treasury = T::TreasuryAccount::get();
	match with_storage_layer(|| pay_from_hold::<T>(reason.clone(), payer, &treasury, amount)) {
		Ok(()) => amount,
		Err(error) => {
			log::warn!(target: "runtime::jobs", "a {amount:?} fee ({reason:?}) could not go to the treasury: {error:?}");
			Zero::zero()
		},
	}
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
