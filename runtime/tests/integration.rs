//! The integration tests, one binary (a test binary per file would link the crate's dependencies
//! once per file): each module is a former `tests/<module>.rs`.

mod common;
mod attacks;
mod bridge;
mod capacity;
mod disputes;
mod economics;
mod fees;
mod governance;
mod jobs;
mod metadata;
mod storage_bound;
