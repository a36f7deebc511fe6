//! Weights for `pallet_wormhole_bridge`: placeholders until `scripts/benchmark-weights.sh pallet_wormhole_bridge` runs.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_wormhole_bridge`.
pub trait WeightInfo {
	fn transfer() -> Weight;
	fn transfer_queued() -> Weight;
	fn receive_message(s: u32, ) -> Weight;
	fn complete_outbound() -> Weight;
	fn complete_inbound() -> Weight;
	fn cancel_queued() -> Weight;
	fn register_peer() -> Weight;
	fn set_guardian_set(k: u32, ) -> Weight;
	fn submit_guardian_set_upgrade(s: u32, ) -> Weight;
	fn on_initialize(n: u32, ) -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn transfer() -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(8, 8)) }
	fn transfer_queued() -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(8, 8)) }
	fn receive_message(s: u32, ) -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(60_000_000, 0).saturating_mul(s.into())).saturating_add(T::DbWeight::get().reads_writes(8, 8)) }
	fn complete_outbound() -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(8, 8)) }
	fn complete_inbound() -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(8, 8)) }
	fn cancel_queued() -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(8, 8)) }
	fn register_peer() -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(8, 8)) }
	fn set_guardian_set(k: u32, ) -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(60_000_000, 0).saturating_mul(k.into())).saturating_add(T::DbWeight::get().reads_writes(8, 8)) }
	fn submit_guardian_set_upgrade(s: u32, ) -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(60_000_000, 0).saturating_mul(s.into())).saturating_add(T::DbWeight::get().reads_writes(8, 8)) }
	fn on_initialize(n: u32, ) -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(60_000_000, 0).saturating_mul(n.into())).saturating_add(T::DbWeight::get().reads_writes(8, 8)) }
}

impl WeightInfo for () {
	fn transfer() -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(8, 8)) }
	fn transfer_queued() -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(8, 8)) }
	fn receive_message(s: u32, ) -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(60_000_000, 0).saturating_mul(s.into())).saturating_add(RocksDbWeight::get().reads_writes(8, 8)) }
	fn complete_outbound() -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(8, 8)) }
	fn complete_inbound() -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(8, 8)) }
	fn cancel_queued() -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(8, 8)) }
	fn register_peer() -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(8, 8)) }
	fn set_guardian_set(k: u32, ) -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(60_000_000, 0).saturating_mul(k.into())).saturating_add(RocksDbWeight::get().reads_writes(8, 8)) }
	fn submit_guardian_set_upgrade(s: u32, ) -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(60_000_000, 0).saturating_mul(s.into())).saturating_add(RocksDbWeight::get().reads_writes(8, 8)) }
	fn on_initialize(n: u32, ) -> Weight { Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(60_000_000, 0).saturating_mul(n.into())).saturating_add(RocksDbWeight::get().reads_writes(8, 8)) }
}
