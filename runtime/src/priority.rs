//! Priority for the transactions that move the market on (issue 26, item 5).
//!
//! A transaction pool orders by priority, and `ChargeTransactionPayment` sets priority from the
//! tip alone (the tip times how many such transactions fit in a block). A block-stuffer paying
//! tips could therefore keep a prover's result out of blocks until its lock timed out, and the
//! prover's collateral burned for what the stuffer controlled. [`PrioritizeMarket`] wraps
//! `ChargeTransactionPayment` and adds [`MARKET_PRIORITY`] to:
//!
//! - `Jobs::lock` / `lock_slot` of open work by a prover eligible for it, and
//!   `Jobs::submit_result` / `submit_slot_result` / `submit_results` for the signer's own live
//!   locks (`pallet_jobs::Pallet::is_market_critical`);
//! - `Disputes::conclude` of a dispute that can be concluded now
//!   (`pallet_disputes::Pallet::is_concludable`), with one pool tag per dispute so that only one
//!   such conclusion waits in the pool.
//!
//! Everything else keeps the tip's priority. To outbid a market-critical transaction, ordinary
//! traffic needs a tip of `MARKET_PRIORITY / n` base units per transaction, where `n` is how many
//! of that transaction fit in a block: for a block-sized remark, 4.6 · 10¹⁸ base units
//! (4.6 million CLD); for the smallest remark, about 1 350 CLD each, for every one of the
//! 6 834 a block holds (`runtime/tests/fees.rs` prints it). Among market-critical transactions
//! the tip still orders (the off-chain worker tips near a deadline:
//! `pallet_jobs::Pallet::worker_tip`).
//!
//! The wrapper is invisible to clients: it has `ChargeTransactionPayment`'s identifier, its
//! encoding (the tip) and, in metadata, its type.

use crate::{Disputes, Jobs, Runtime, RuntimeCall, RuntimeOrigin};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_support::{dispatch::DispatchInfo, pallet_prelude::TransactionSource, weights::Weight};
use scale_info::{Type, TypeInfo};
use sp_runtime::{
	traits::{
		AsSystemOriginSigner, DispatchInfoOf, Implication, PostDispatchInfoOf, TransactionExtension,
		ValidateResult,
	},
	transaction_validity::{TransactionPriority, TransactionValidity, TransactionValidityError},
	DispatchResult,
};

/// What [`PrioritizeMarket`] adds to a market-critical transaction's priority: half the range,
/// so that tips still order such transactions among themselves.
pub const MARKET_PRIORITY: TransactionPriority = TransactionPriority::MAX / 2;

/// Whether `call`, signed by `who`, is market-critical now (module docs).
pub fn is_market_critical(who: &crate::AccountId, call: &RuntimeCall) -> bool {
	match call {
		RuntimeCall::Jobs(call) => Jobs::is_market_critical(who, call),
		RuntimeCall::Disputes(pallet_disputes::Call::conclude { dispute }) => Disputes::is_concludable(*dispute),
		_ => false,
	}
}

/// The storage reads [`is_market_critical`] makes for `call`, at most.
fn market_check_reads(call: &RuntimeCall) -> u64 {
	match call {
		RuntimeCall::Jobs(call) => Jobs::market_check_reads(call),
		RuntimeCall::Disputes(pallet_disputes::Call::conclude { .. }) => 2,
		_ => 0,
	}
}

/// `S` (the runtime's `ChargeTransactionPayment`) with [`MARKET_PRIORITY`] added to
/// market-critical transactions (module docs). Encodes, decodes and describes itself as `S`.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq)]
pub struct PrioritizeMarket<S>(pub S);

impl<S> From<S> for PrioritizeMarket<S> {
	fn from(inner: S) -> Self {
		Self(inner)
	}
}

impl<S: core::fmt::Debug> core::fmt::Debug for PrioritizeMarket<S> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		self.0.fmt(f)
	}
}

impl<S: TypeInfo + 'static> TypeInfo for PrioritizeMarket<S> {
	type Identity = S;
	fn type_info() -> Type {
		S::type_info()
	}
}

impl<S> TransactionExtension<RuntimeCall> for PrioritizeMarket<S>
where
	S: TransactionExtension<RuntimeCall>,
{
	const IDENTIFIER: &'static str = S::IDENTIFIER;
	type Implicit = S::Implicit;
	type Val = S::Val;
	type Pre = S::Pre;

	fn implicit(&self) -> Result<Self::Implicit, TransactionValidityError> {
		self.0.implicit()
	}

	fn metadata() -> Vec<sp_runtime::traits::TransactionExtensionMetadata> {
		S::metadata()
	}

	fn weight(&self, call: &RuntimeCall) -> Weight {
		let reads = <Runtime as frame_system::Config>::DbWeight::get().reads(market_check_reads(call));
		self.0.weight(call).saturating_add(reads)
	}

	fn validate(
		&self,
		origin: RuntimeOrigin,
		call: &RuntimeCall,
		info: &DispatchInfoOf<RuntimeCall>,
		len: usize,
		self_implicit: Self::Implicit,
		inherited_implication: &impl Implication,
		source: TransactionSource,
	) -> ValidateResult<Self::Val, RuntimeCall> {
		let who = origin.as_system_origin_signer().cloned();
		let (mut valid, val, origin) =
			self.0.validate(origin, call, info, len, self_implicit, inherited_implication, source)?;
		if who.is_some_and(|who| is_market_critical(&who, call)) {
			valid.priority = valid.priority.saturating_add(MARKET_PRIORITY);
			if let RuntimeCall::Disputes(pallet_disputes::Call::conclude { dispute }) = call {
				valid.provides.push((b"cloudana/conclude", dispute).encode());
			}
		}
		Ok((valid, val, origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		origin: &RuntimeOrigin,
		call: &RuntimeCall,
		info: &DispatchInfoOf<RuntimeCall>,
		len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		self.0.prepare(val, origin, call, info, len)
	}

	fn post_dispatch_details(
		pre: Self::Pre,
		info: &DispatchInfoOf<RuntimeCall>,
		post_info: &PostDispatchInfoOf<RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<Weight, TransactionValidityError> {
		S::post_dispatch_details(pre, info, post_info, len, result)
	}

	fn post_dispatch(
		pre: Self::Pre,
		info: &DispatchInfoOf<RuntimeCall>,
		post_info: &mut PostDispatchInfoOf<RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<(), TransactionValidityError> {
		S::post_dispatch(pre, info, post_info, len, result)
	}

	fn bare_validate(call: &RuntimeCall, info: &DispatchInfo, len: usize) -> TransactionValidity {
		S::bare_validate(call, info, len)
	}

	fn bare_validate_and_prepare(call: &RuntimeCall, info: &DispatchInfo, len: usize) -> Result<(), TransactionValidityError> {
		S::bare_validate_and_prepare(call, info, len)
	}

	fn bare_post_dispatch(
		info: &DispatchInfoOf<RuntimeCall>,
		post_info: &mut PostDispatchInfoOf<RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<(), TransactionValidityError> {
		S::bare_post_dispatch(info, post_info, len, result)
	}
}

/// The tip the off-chain worker adds to `call` signed by `who` (`pallet_jobs::Pallet::worker_tip`).
pub fn worker_tip(who: &crate::AccountId, call: &RuntimeCall) -> crate::Balance {
	match call {
		RuntimeCall::Jobs(call) => Jobs::worker_tip(who, call),
		_ => 0,
	}
}

