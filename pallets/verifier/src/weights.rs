//! Weights for `pallet_verifier`.
//!
//! PLACEHOLDER until `scripts/benchmark-weights.sh` runs: conservative estimates from a native
//! measurement (verification ≈ 1.5 ms, preparation ≈ 1.3 ms), to be replaced by the generated file.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_verifier`.
pub trait WeightInfo {
	fn register_vk(n: u32, ) -> Weight;
	fn unregister_vk() -> Weight;
	fn verify_proof(n: u32, ) -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_vk(n: u32, ) -> Weight {
		Weight::from_parts(2_000_000_000, 40_000)
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn unregister_vk() -> Weight {
		Weight::from_parts(50_000_000, 40_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn verify_proof(n: u32, ) -> Weight {
		Weight::from_parts(2_000_000_000, 40_000)
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
	}
}

impl WeightInfo for () {
	fn register_vk(n: u32, ) -> Weight {
		Weight::from_parts(2_000_000_000, 40_000)
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn unregister_vk() -> Weight {
		Weight::from_parts(50_000_000, 40_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn verify_proof(n: u32, ) -> Weight {
		Weight::from_parts(2_000_000_000, 40_000)
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
	}
}
