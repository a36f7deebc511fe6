//! Benchmarks for pallet-prover-staking (frame-benchmarking v2), each at its worst case:
//! `MaxCircuits` circuits, `MaxUnbondingChunks` chunks.

use super::*;
use crate::Pallet as ProverStaking;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::{Inspect, Mutate}, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::traits::{Bounded, Saturating};

/// Circuit `i`: `i` in the last four bytes, `tag` in the first.
fn circuit(tag: u8, i: u32) -> CircuitId {
	let mut bytes = [0u8; 32];
	bytes[0] = tag;
	bytes[28..].copy_from_slice(&i.to_be_bytes());
	CircuitId::from(bytes)
}

fn circuits<T: Config>() -> BoundedVec<CircuitId, T::MaxCircuits> {
	(0..T::MaxCircuits::get())
		.map(|i| circuit(1, i))
		.collect::<Vec<_>>()
		.try_into()
		.expect("exactly MaxCircuits; qed")
}

fn funded<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}

fn stake<T: Config>() -> BalanceOf<T> {
	T::MinimumStake::get().saturating_mul(100u32.into())
}

fn registered<T: Config>() -> Result<T::AccountId, BenchmarkError> {
	let who = funded::<T>();
	ProverStaking::<T>::register(RawOrigin::Signed(who.clone()).into(), stake::<T>(), circuits::<T>())?;
	Ok(who)
}

fn past_lock<T: Config>() {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now.saturating_add(T::StakeLockPeriod::get()));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register() {
		let who = funded::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), stake::<T>(), circuits::<T>());

		assert!(Provers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn bond_extra() -> Result<(), BenchmarkError> {
		let who = registered::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MinimumStake::get());

		assert_eq!(Provers::<T>::get(&who).map(|p| p.stake), Some(stake::<T>().saturating_add(T::MinimumStake::get())));
		Ok(())
	}

	#[benchmark]
	fn unbond() -> Result<(), BenchmarkError> {
		let who = registered::<T>()?;
		past_lock::<T>();
		for _ in 1..T::MaxUnbondingChunks::get() {
			ProverStaking::<T>::unbond(RawOrigin::Signed(who.clone()).into(), T::MinimumStake::get())?;
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MinimumStake::get());

		assert_eq!(Provers::<T>::get(&who).map(|p| p.unbonding.len() as u32), Some(T::MaxUnbondingChunks::get()));
		Ok(())
	}

	#[benchmark]
	fn withdraw_unbonded() -> Result<(), BenchmarkError> {
		let who = registered::<T>()?;
		past_lock::<T>();
		for _ in 0..T::MaxUnbondingChunks::get() {
			ProverStaking::<T>::unbond(RawOrigin::Signed(who.clone()).into(), T::MinimumStake::get())?;
		}
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(T::UnbondingPeriod::get()));
		let before = T::Currency::balance(&who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(T::Currency::balance(&who) > before);
		Ok(())
	}

	#[benchmark]
	fn set_circuits() -> Result<(), BenchmarkError> {
		let who = registered::<T>()?;
		let new: BoundedVec<CircuitId, T::MaxCircuits> = (0..T::MaxCircuits::get())
			.map(|i| circuit(2, i))
			.collect::<Vec<_>>()
			.try_into()
			.expect("exactly MaxCircuits; qed");

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), new.clone());

		assert_eq!(Provers::<T>::get(&who).map(|p| p.circuits), Some(new));
		Ok(())
	}

	#[benchmark]
	fn heartbeat() -> Result<(), BenchmarkError> {
		let who = registered::<T>()?;
		ProverStaking::<T>::heartbeat(RawOrigin::Signed(who.clone()).into())?;
		let now = frame_system::Pallet::<T>::block_number();
		let next = now.saturating_add(T::HeartbeatInterval::get());
		frame_system::Pallet::<T>::set_block_number(next);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert_eq!(Provers::<T>::get(&who).and_then(|p| p.last_heartbeat), Some(next));
		Ok(())
	}

	#[benchmark]
	fn chill() -> Result<(), BenchmarkError> {
		let who = registered::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert_eq!(Provers::<T>::get(&who).map(|p| p.chilled), Some(true));
		Ok(())
	}

	#[benchmark]
	fn activate() -> Result<(), BenchmarkError> {
		let who = registered::<T>()?;
		ProverStaking::<T>::chill(RawOrigin::Signed(who.clone()).into())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert_eq!(Provers::<T>::get(&who).map(|p| p.chilled), Some(false));
		Ok(())
	}

	impl_benchmark_test_suite!(ProverStaking, crate::mock::new_test_ext(), crate::mock::Test);
}
