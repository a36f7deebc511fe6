//! The integration tests, one binary (a test binary per file would link the crate's dependencies
//! once per file): each module is a former `tests/<module>.rs`.

mod circom;
mod daemon;
mod dev_ptau;
