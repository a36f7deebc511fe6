
//! Provisional weights for `pallet_economics`; replaced by `scripts/benchmark-weights.sh`
//! (frame-benchmarking v2 in the real runtime).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_economics`.
pub trait WeightInfo {
	fn set_parameter() -> Weight;
}

/// Weights for `pallet_economics` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn set_parameter() -> Weight {
		Weight::from_parts(60_000_000, 40_000)
			.saturating_add(T::DbWeight::get().reads(28_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

// For tests: the same numbers with RocksDB's database weights.
impl WeightInfo for () {
	fn set_parameter() -> Weight {
		Weight::from_parts(60_000_000, 40_000)
			.saturating_add(RocksDbWeight::get().reads(28_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
}
