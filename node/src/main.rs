//! `cloudana-node`: the Cloudana validator and prover node.
//!
//! Aura authoring and GRANDPA finality on normal chains; on development chains (`--dev`),
//! manual sealing every `--dev-block-time` milliseconds with instant finality. The executor
//! carries the native Groth16 host functions (`cloudana_groth16`), off-chain workers run the
//! prover worker of pallet-jobs, and the usual RPCs are served.

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;
#[cfg(feature = "runtime-benchmarks")]
mod verify_bench;

fn main() -> sc_cli::Result<()> {
	command::run()
}
