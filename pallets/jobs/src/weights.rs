//! Weights for `pallet_jobs`.
//!
//! PLACEHOLDER until `scripts/benchmark-weights.sh` runs; replaced by the generated file.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_jobs`.
pub trait WeightInfo {
	fn submit() -> Weight;
	fn lock() -> Weight;
	fn submit_result(n: u32, ) -> Weight;
	fn cancel() -> Weight;
	fn on_initialize(d: u32, ) -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn submit() -> Weight {
		Weight::from_parts(60000000, 6000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn lock() -> Weight {
		Weight::from_parts(60000000, 6000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn submit_result(n: u32, ) -> Weight {
		Weight::from_parts(1700000000, 42000)
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn cancel() -> Weight {
		Weight::from_parts(60000000, 6000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn on_initialize(d: u32, ) -> Weight {
		Weight::from_parts(5000000, 2000)
			.saturating_add(Weight::from_parts(80000000, 0).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(d.into())))
	}
}

impl WeightInfo for () {
	fn submit() -> Weight {
		Weight::from_parts(60000000, 6000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn lock() -> Weight {
		Weight::from_parts(60000000, 6000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn submit_result(n: u32, ) -> Weight {
		Weight::from_parts(1700000000, 42000)
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn cancel() -> Weight {
		Weight::from_parts(60000000, 6000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn on_initialize(d: u32, ) -> Weight {
		Weight::from_parts(5000000, 2000)
			.saturating_add(Weight::from_parts(80000000, 0).saturating_mul(d.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(d.into())))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(d.into())))
	}
}
