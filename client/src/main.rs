//! `cloudana`: the command-line client of a Cloudana chain. `main` parses and dispatches; each
//! command group is a module of [`cmd`].

mod cmd;

use clap::{Parser, Subcommand};
use cloudana_client::Client;
use cmd::{
	balance::BalanceArgs, bridge::BridgeCommand, dispute::DisputeCommand, gov::GovCommand, grid::GridCommand, job::JobCommand, model::ModelCommand, prover::ProverCommand,
	verify::VerifyArgs, vk::VkCommand, Output,
};

/// Cloudana client: register verifying keys and provers, submit compute jobs and read their
/// proven results, and verify Groth16 proofs offline.
///
/// Amounts are CLD (12 decimals; `0.5` is 500 000 000 000 base units). Times are blocks.
#[derive(Parser)]
#[command(version)]
struct Cli {
	/// The node's WebSocket RPC endpoint.
	#[arg(long, global = true, env = "CLOUDANA_URL", default_value = "ws://127.0.0.1:9944")]
	url: String,

	/// Print results as JSON.
	#[arg(long, global = true)]
	json: bool,

	/// Tip added to every transaction the command sends, CLD: under congestion, the chain
	/// includes ordinary transactions in order of tip per block share (market-critical ones,
	/// provers' locks and results, come first regardless).
	#[arg(long, global = true, default_value = "0")]
	tip: String,

	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Verify a snarkjs Groth16 proof (bn128) offline: exit 0 if valid, else 1 with the reason.
	Verify(VerifyArgs),
	/// Models (offline).
	#[command(subcommand)]
	Model(ModelCommand),
	/// Artifacts of jobs on circom circuits: hash them, serve them for a development setup
	/// (offline: no node needed).
	#[command(subcommand)]
	Artifacts(cmd::artifacts::ArtifactsCommand),
	/// Free and held balance of an account (SS58 address, secret URI, or `treasury`).
	Balance(BalanceArgs),
	/// Verifying keys.
	#[command(subcommand)]
	Vk(VkCommand),
	/// Provers.
	#[command(subcommand)]
	Prover(ProverCommand),
	/// Jobs.
	#[command(subcommand)]
	Job(JobCommand),
	/// Multi-slot (grid) jobs: a hyper-parameter search over a dataset's accuracy circuit (Iris,
	/// Wine or Breast Cancer), with 50% of the bounty to the best proven accuracy and the rest
	/// split among the others.
	#[command(subcommand)]
	Grid(GridCommand),
	/// Governance (OpenGov): propose, list and vote on referenda, delegate, unlock. Tracks and
	/// periods: docs/governance.md.
	#[command(subcommand)]
	Gov(GovCommand),
	/// Disputes: appeal a pending slash, challenge completed work, post evidence, appeal a
	/// ruling. Windows, bonds and verdicts: docs/governance.md, "Disputes".
	#[command(subcommand)]
	Dispute(DisputeCommand),
	/// The Wormhole bridge to Solana: send CLD, follow and redeem transfers, verify a VAA offline
	/// (docs/bridge.md).
	#[command(subcommand)]
	Bridge(BridgeCommand),
	/// Fill blocks with tipped remarks from several accounts: a block-stuffing attack, for load
	/// tests on local or test networks (every remark pays its fee and tip).
	Flood(cmd::flood::FloodArgs),
}

async fn run(cli: Cli) -> anyhow::Result<()> {
	let out = Output { json: cli.json };
	match cli.command {
		Command::Verify(args) => cmd::verify::run(args, out),
		Command::Artifacts(command) => cmd::artifacts::run(command, out).await,
		Command::Model(command) => cmd::model::run(command, out),
		Command::Vk(command) if command.offline() => cmd::vk::run_offline(command, out),
		Command::Bridge(command) if command.offline() => cmd::bridge::run_offline(command, out),
		command => {
			let tip = cloudana_client::units::parse_cld(&cli.tip).map_err(|e| anyhow::anyhow!("--tip: {e}"))?;
			let client = Client::connect(&cli.url).await?.with_tip(tip);
			match command {
				Command::Balance(args) => cmd::balance::run(args, &client, out).await,
				Command::Vk(command) => cmd::vk::run(command, &client, out).await,
				Command::Prover(command) => cmd::prover::run(command, &client, out).await,
				Command::Job(command) => cmd::job::run(command, &client, out).await,
				Command::Grid(command) => cmd::grid::run(command, &client, out).await,
				Command::Gov(command) => cmd::gov::run(command, &client, out).await,
				Command::Dispute(command) => cmd::dispute::run(command, &client, out).await,
				Command::Bridge(command) => cmd::bridge::run(command, &client, out).await,
				Command::Flood(args) => cmd::flood::run(args, &client, out).await,
				Command::Verify(_) | Command::Model(_) | Command::Artifacts(_) => unreachable!("offline commands are handled above"),
			}
		},
	}
}

#[tokio::main]
async fn main() {
	// `r1cs=off`: arkworks' per-gadget spans would make circuit code ~100 times slower.
	let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into());
	tracing_subscriber::fmt()
		.with_env_filter(tracing_subscriber::EnvFilter::new(format!("{filter},r1cs=off")))
		.with_writer(std::io::stderr)
		.init();
	if let Err(error) = run(Cli::parse()).await {
		eprintln!("error: {error:#}");
		std::process::exit(1);
	}
}
