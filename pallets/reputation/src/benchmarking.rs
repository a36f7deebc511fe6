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
		let work = WorkId::Job(7);
		Ratings::<T>::insert(work, Rating { requester: requester.clone(), prover: prover.clone(), stars: None });
		Reputation::<T>::note_completed(&prover, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), work, 5);

		assert_eq!(Ratings::<T>::get(work).and_then(|r| r.stars), Some(5));
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
