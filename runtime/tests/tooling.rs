//! The tests that need the tooling build (`try-runtime`, `runtime-benchmarks`; scripts/cargo-tooling.sh).

mod common;
mod fuzz;
mod try_runtime;
