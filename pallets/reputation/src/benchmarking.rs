//! Benchmarks for pallet-reputation (frame-benchmarking v2).

use super::*;
use crate::Pallet as Reputation;
use frame_benchmarking::v2::*;
use frame_support::traits::EnsureOrigin;
use frame_system::RawOrigin;

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Worst case: a five-star rating, which recomputes the formula and changes the score.
	#[benchmark]
	fn rate() {
		let requester: T::AccountId = whitelisted_caller();
		let prover: T::AccountId = account("prover", 0, 0);
		T::Jobs::set_completed(7, &requester, &prover);
		Reputation::<T>::note_completed(&prover, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), 7, 5);

		assert_eq!(Ratings::<T>::get(7), Some(5));
	}

	#[benchmark]
	fn force_set_score() -> Result<(), BenchmarkError> {
		let prover: T::AccountId = account("prover", 0, 0);
		let origin = T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, prover.clone(), 700);

		assert_eq!(Reputation::<T>::score(&prover), 700);
		Ok(())
	}

	impl_benchmark_test_suite!(Reputation, crate::mock::new_test_ext(), crate::mock::Test);
}
