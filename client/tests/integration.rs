//! The integration tests, one binary (a test binary per file would link the crate's dependencies
//! once per file): each module is a former `tests/<module>.rs`.

mod common;
mod bridge_cli;
mod e2e;
mod gov_cli;
mod verify_cli;
