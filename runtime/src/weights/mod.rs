//! Weights of the pallets defined in the runtime crate itself, from frame-benchmarking v2
//! (`scripts/benchmark-weights.sh`).

pub mod pallet_economics;
