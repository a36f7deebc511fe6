//! Benchmarks for pallet-slashing (frame-benchmarking v2). The runtime's [`BenchmarkHelper`]
//! gives offenders real stake to slash.

use super::*;
use crate::Pallet as Slashing;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get, Hooks};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

/// What benchmarks need from the rest of the runtime.
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` a prover with stake to slash.
	fn setup_offender(who: &AccountId);
}

fn offender<T: Config>(i: u32) -> T::AccountId {
	let who: T::AccountId = account("offender", i, 0);
	T::BenchmarkHelper::setup_offender(&who);
	who
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn cancel_deferred_slash() -> Result<(), BenchmarkError> {
		let who = offender::<T>(0);
		let reported =
			Slashing::<T>::report_offence(&who, Offence::Timeout, WorkId::Job(1)).map_err(|_| BenchmarkError::Weightless)?;
		let origin = T::CancelOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, reported.slash);

		assert!(PendingSlashes::<T>::get(reported.slash).is_none());
		Ok(())
	}

	/// `n` slashes due in one block, each of a different prover with unbonding chunks (the
	/// queue's cursor at that block).
	#[benchmark]
	fn on_initialize(n: Linear<0, { T::MaxSlashesPerBlock::get() }>) -> Result<(), BenchmarkError> {
		let now = frame_system::Pallet::<T>::block_number();
		for i in 0..n {
			let who = offender::<T>(i);
			Slashing::<T>::report_offence(&who, Offence::InvalidProof, WorkId::Job(i.into()))
				.map_err(|_| BenchmarkError::Weightless)?;
		}
		let due: BlockNumberFor<T> = now.saturating_add(T::SlashDeferDuration::get());
		assert_eq!(SlashQueue::<T>::iter_key_prefix(due).count() as u32, n);
		SlashCursor::<T>::put(due);

		#[block]
		{
			Slashing::<T>::on_initialize(due);
		}

		assert_eq!(SlashQueue::<T>::iter_key_prefix(due).count(), 0);
		Ok(())
	}

	impl_benchmark_test_suite!(Slashing, crate::mock::new_test_ext(), crate::mock::Test);
}
