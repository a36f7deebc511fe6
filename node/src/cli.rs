//! Command-line interface.

/// Cloudana node: validator, prover node, or RPC node of a Cloudana chain.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	#[clap(flatten)]
	pub cloudana: CloudanaParams,
}

/// Cloudana's own node options.
#[derive(Debug, Clone, clap::Args)]
pub struct CloudanaParams {
	/// Development chains only: milliseconds between manually sealed (and instantly finalized)
	/// blocks. 0 seals a block for each transaction, and none otherwise (the prover worker then
	/// stalls: use it only for scripted tests).
	#[arg(long, value_name = "MILLIS", default_value_t = 1000)]
	pub dev_block_time: u64,

	/// URL of a `cloudana-prover` daemon (e.g. http://127.0.0.1:9955). Makes this node a prover
	/// node: its off-chain worker locks, for the `cprv` keys in its keystore, the jobs the daemon
	/// says it can prove in time, hands them to the daemon and submits the proofs. Stored in
	/// off-chain storage, so it persists. Off-chain workers must run: they do on validators by
	/// default, elsewhere pass `--offchain-worker always`. An empty string turns the prover
	/// worker off.
	#[arg(long, value_name = "URL")]
	pub prover_endpoint: Option<String>,

	/// The daemon's bearer token file (`<daemon journal>/token`, written at the daemon's first
	/// start). Read once at start and kept in off-chain storage.
	#[arg(long, value_name = "PATH")]
	pub prover_token_file: Option<std::path::PathBuf>,

	/// The lowest price, in base units (1 CLD = 10^12), at which the prover worker locks a job;
	/// cheaper jobs are left until their price has risen. Stored in off-chain storage (default
	/// 0).
	#[arg(long, value_name = "BASE_UNITS")]
	pub prover_min_price: Option<u128>,

	/// The most collateral, in base units, the prover worker puts at risk on one lock. Stored in
	/// off-chain storage (default 100 CLD).
	#[arg(long, value_name = "BASE_UNITS")]
	pub prover_max_collateral: Option<u128>,

	/// The most collateral the prover worker puts at risk on one lock, in percent of the lock's
	/// price. Stored in off-chain storage (default 100).
	#[arg(long, value_name = "PERCENT")]
	pub prover_max_collateral_ratio: Option<u32>,
}

#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Print a chain specification (JSON) to stdout.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export a chain specification (no node configuration needed).
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a block as a chain specification.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database metadata.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Runtime benchmarks (weights); needs a build with `--features runtime-benchmarks`.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Compare Groth16 verification natively, through the host function inside the runtime, and
	/// in pure wasm, on the same proof; needs `--features runtime-benchmarks`.
	#[cfg(feature = "runtime-benchmarks")]
	BenchmarkVerify(crate::verify_bench::VerifyBenchCmd),
}
