//! Every money move of the bridge, in one place.
//!
//! CLD sent to another chain is **locked** by a transfer into the bridge's account (derived
//! from `PalletId`) and **unlocked** by a transfer out of it. The account keeps the existential
//! deposit (minted into it at genesis), so `locked = balance − ED`. A queued outbound transfer
//! also holds a storage deposit on its sender ([`HoldReason::QueuedTransfer`]).

use crate::{BalanceOf, Config, HoldReason};
use frame_support::{
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		Get,
		tokens::{Precision, Preservation},
	},
};
use sp_runtime::traits::{AccountIdConversion, Saturating, Zero};

/// The bridge's account: where locked CLD lies.
pub fn account<T: Config>() -> T::AccountId {
	T::PalletId::get().into_account_truncating()
}

/// CLD locked in the bridge's account, base units (its balance above the existential deposit).
pub fn locked<T: Config>() -> BalanceOf<T> {
	T::Currency::balance(&account::<T>()).saturating_sub(T::Currency::minimum_balance())
}

/// Moves `amount` from `who` into the bridge's account (`who` keeps its existential deposit).
pub fn lock<T: Config>(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
	T::Currency::transfer(who, &account::<T>(), amount, Preservation::Preserve).map(|_| ())
}

/// Moves `amount` out of the bridge's account to `to`. Fails (and so reverts the call) if `to`
/// would be left below the existential deposit.
pub fn unlock<T: Config>(to: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
	T::Currency::transfer(&account::<T>(), to, amount, Preservation::Preserve).map(|_| ())
}

/// Holds a queued transfer's storage deposit on `who`.
pub fn hold_deposit<T: Config>(who: &T::AccountId, deposit: BalanceOf<T>) -> DispatchResult {
	if deposit.is_zero() {
		return Ok(());
	}
	T::Currency::hold(&HoldReason::QueuedTransfer.into(), who, deposit)
}

/// Gives a queued transfer's storage deposit back (all of it, or what is left of it).
pub fn release_deposit<T: Config>(who: &T::AccountId, deposit: BalanceOf<T>) {
	if deposit.is_zero() {
		return;
	}
	let _ = T::Currency::release(&HoldReason::QueuedTransfer.into(), who, deposit, Precision::BestEffort);
}

/// At genesis: gives the bridge's account its existential deposit, so that it exists before
/// the first lock and keeps existing after the last unlock.
pub fn endow<T: Config>() {
	let account = account::<T>();
	let ed = T::Currency::minimum_balance();
	let balance = T::Currency::balance(&account);
	if balance < ed {
		let _ = T::Currency::mint_into(&account, ed - balance);
	}
}
