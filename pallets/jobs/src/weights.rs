
//! Provisional weights for `pallet_jobs`, written by hand from the benchmarks of the previous
//! release; replaced by `scripts/benchmark-weights.sh` (frame-benchmarking v2 in the real
//! runtime).

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
	fn submit_result_invalid(n: u32, ) -> Weight;
	fn cancel() -> Weight;
	fn submit_grid(s: u32, ) -> Weight;
	fn lock_slot() -> Weight;
	fn submit_slot_result(n: u32, ) -> Weight;
	fn submit_slot_result_invalid(n: u32, ) -> Weight;
	fn close_grid(s: u32, ) -> Weight;
	fn process_job() -> Weight;
	fn process_slot() -> Weight;
	fn process_grid(s: u32, ) -> Weight;
}

/// Weights for `pallet_jobs` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn submit() -> Weight {
		Weight::from_parts(120000000, 6500)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn lock() -> Weight {
		Weight::from_parts(140000000, 9000)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn submit_result(n: u32, ) -> Weight {
		Weight::from_parts(2100000000, 42000)
			.saturating_add(Weight::from_parts(110000000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(15_u64))
			.saturating_add(T::DbWeight::get().writes(10_u64))
	}
	fn submit_result_invalid(n: u32, ) -> Weight {
		Weight::from_parts(2100000000, 42000)
			.saturating_add(Weight::from_parts(110000000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(20_u64))
			.saturating_add(T::DbWeight::get().writes(14_u64))
	}
	fn cancel() -> Weight {
		Weight::from_parts(150000000, 6500)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	fn submit_grid(s: u32, ) -> Weight {
		Weight::from_parts(130000000, 6500)
			.saturating_add(Weight::from_parts(1500000, 0).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes((3_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn lock_slot() -> Weight {
		Weight::from_parts(150000000, 14000)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn submit_slot_result(n: u32, ) -> Weight {
		Weight::from_parts(1900000000, 42000)
			.saturating_add(Weight::from_parts(110000000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn submit_slot_result_invalid(n: u32, ) -> Weight {
		Weight::from_parts(1900000000, 42000)
			.saturating_add(Weight::from_parts(110000000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(14_u64))
			.saturating_add(T::DbWeight::get().writes(10_u64))
	}
	fn close_grid(s: u32, ) -> Weight {
		Weight::from_parts(140000000, 18000)
			.saturating_add(Weight::from_parts(100000000, 0).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes((3_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().reads(18_u64))
			.saturating_add(T::DbWeight::get().writes(14_u64))
	}
	fn process_job() -> Weight {
		Weight::from_parts(250000000, 14000)
			.saturating_add(T::DbWeight::get().reads(20_u64))
			.saturating_add(T::DbWeight::get().writes(14_u64))
	}
	fn process_slot() -> Weight {
		Weight::from_parts(250000000, 18000)
			.saturating_add(T::DbWeight::get().reads(20_u64))
			.saturating_add(T::DbWeight::get().writes(14_u64))
	}
	fn process_grid(s: u32, ) -> Weight {
		Weight::from_parts(150000000, 18000)
			.saturating_add(Weight::from_parts(200000000, 0).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes((3_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().reads(18_u64))
			.saturating_add(T::DbWeight::get().writes(14_u64))
	}
}

// For tests: the same numbers with RocksDB's database weights.
impl WeightInfo for () {
	fn submit() -> Weight {
		Weight::from_parts(120000000, 6500)
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	fn lock() -> Weight {
		Weight::from_parts(140000000, 9000)
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn submit_result(n: u32, ) -> Weight {
		Weight::from_parts(2100000000, 42000)
			.saturating_add(Weight::from_parts(110000000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(15_u64))
			.saturating_add(RocksDbWeight::get().writes(10_u64))
	}
	fn submit_result_invalid(n: u32, ) -> Weight {
		Weight::from_parts(2100000000, 42000)
			.saturating_add(Weight::from_parts(110000000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(20_u64))
			.saturating_add(RocksDbWeight::get().writes(14_u64))
	}
	fn cancel() -> Weight {
		Weight::from_parts(150000000, 6500)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(7_u64))
	}
	fn submit_grid(s: u32, ) -> Weight {
		Weight::from_parts(130000000, 6500)
			.saturating_add(Weight::from_parts(1500000, 0).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(s.into())))
			.saturating_add(RocksDbWeight::get().writes((3_u64).saturating_mul(s.into())))
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	fn lock_slot() -> Weight {
		Weight::from_parts(150000000, 14000)
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn submit_slot_result(n: u32, ) -> Weight {
		Weight::from_parts(1900000000, 42000)
			.saturating_add(Weight::from_parts(110000000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn submit_slot_result_invalid(n: u32, ) -> Weight {
		Weight::from_parts(1900000000, 42000)
			.saturating_add(Weight::from_parts(110000000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(14_u64))
			.saturating_add(RocksDbWeight::get().writes(10_u64))
	}
	fn close_grid(s: u32, ) -> Weight {
		Weight::from_parts(140000000, 18000)
			.saturating_add(Weight::from_parts(100000000, 0).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(s.into())))
			.saturating_add(RocksDbWeight::get().writes((3_u64).saturating_mul(s.into())))
			.saturating_add(RocksDbWeight::get().reads(18_u64))
			.saturating_add(RocksDbWeight::get().writes(14_u64))
	}
	fn process_job() -> Weight {
		Weight::from_parts(250000000, 14000)
			.saturating_add(RocksDbWeight::get().reads(20_u64))
			.saturating_add(RocksDbWeight::get().writes(14_u64))
	}
	fn process_slot() -> Weight {
		Weight::from_parts(250000000, 18000)
			.saturating_add(RocksDbWeight::get().reads(20_u64))
			.saturating_add(RocksDbWeight::get().writes(14_u64))
	}
	fn process_grid(s: u32, ) -> Weight {
		Weight::from_parts(150000000, 18000)
			.saturating_add(Weight::from_parts(200000000, 0).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(s.into())))
			.saturating_add(RocksDbWeight::get().writes((3_u64).saturating_mul(s.into())))
			.saturating_add(RocksDbWeight::get().reads(18_u64))
			.saturating_add(RocksDbWeight::get().writes(14_u64))
	}
}
