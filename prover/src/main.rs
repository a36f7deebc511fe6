//! `cloudana-prover`: the Cloudana proving daemon, and one-shot proving.

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use cloudana_circuits::{iris, keys};
use cloudana_groth16::snarkjs;
use cloudana_prover::{from_hex, serve, Config, Data, Prover};
use std::{net::SocketAddr, path::PathBuf, time::Duration};

/// Cloudana's proving daemon. A Cloudana node started with `--prover-endpoint` hands it jobs
/// over JSON-RPC; it proves them (Groth16, BN254, CPU, all cores) and keeps a journal so a
/// restart loses no accepted job.
#[derive(Parser)]
#[command(version)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Run the daemon.
	Serve {
		/// Address to serve JSON-RPC (HTTP and WebSocket) on. Keep it on localhost: the API has
		/// no authentication.
		#[arg(long, default_value = "127.0.0.1:9955")]
		listen: SocketAddr,
		/// Journal directory (accepted tasks and results).
		#[arg(long, default_value = "cloudana-prover-data")]
		journal: PathBuf,
		/// Proving-key cache directory [default: <journal>/keys].
		#[arg(long)]
		keys: Option<PathBuf>,
		/// An Iris dataset CSV to prove about (its fixed 30-sample holdout); repeatable.
		#[arg(long = "dataset", value_name = "CSV")]
		datasets: Vec<PathBuf>,
		/// A model file (circuits/models/*.json) to prove about; repeatable.
		#[arg(long = "model", value_name = "JSON")]
		models: Vec<PathBuf>,
		/// Most queued tasks; beyond it the daemon reports `accepting: false`.
		#[arg(long, default_value_t = 64)]
		max_queue: usize,
		/// Hours finished tasks stay in the journal.
		#[arg(long, default_value_t = 24)]
		retain_hours: u64,
	},
	/// Prove the accuracy of a model on the Iris holdout once, and write snarkjs files
	/// (verification_key.json, proof.json, public.json) that `cloudana verify` checks.
	ProveAccuracy {
		/// Model file.
		#[arg(long)]
		model: PathBuf,
		/// Iris dataset CSV.
		#[arg(long)]
		dataset: PathBuf,
		/// Binding input, 32 bytes hex (on chain: H(genesis ‖ job ‖ prover)); must be below r.
		#[arg(long, default_value = "0x0000000000000000000000000000000000000000000000000000000000000001")]
		binding: String,
		/// Output directory.
		#[arg(long)]
		out: PathBuf,
		/// Proving-key cache directory.
		#[arg(long, default_value = "cloudana-prover-data/keys")]
		keys: PathBuf,
	},
}

fn init_logging() {
	// arkworks instruments every R1CS gadget with an INFO span on target `r1cs`; recording
	// them makes synthesis ~100 times slower, so that target is always off.
	let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into());
	tracing_subscriber::fmt()
		.with_env_filter(tracing_subscriber::EnvFilter::new(format!("{filter},r1cs=off")))
		.with_writer(std::io::stderr)
		.init();
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	init_logging();
	match Cli::parse().command {
		Command::Serve { listen, journal, keys, datasets, models, max_queue, retain_hours } => {
			if datasets.is_empty() || models.is_empty() {
				tracing::warn!("no --dataset or no --model given: every task will fail with an unknown commitment");
			}
			let data = Data::load(&datasets, &models)?;
			let keys = keys.unwrap_or_else(|| journal.join("keys"));
			let prover = tokio::task::spawn_blocking(move || {
				Prover::new(Config { journal, keys, data, max_queue, retain: Duration::from_secs(retain_hours * 3600) })
			})
			.await??;
			let capabilities = prover.capabilities();
			let (address, handle) = serve(prover, listen).await?;
			tracing::info!(%address, circuits = ?capabilities.circuits, "cloudana-prover listening");
			tokio::select! {
				_ = handle.clone().stopped() => {},
				_ = tokio::signal::ctrl_c() => {
					tracing::info!("stopping");
					let _ = handle.stop();
				},
			}
			Ok(())
		},
		Command::ProveAccuracy { model, dataset, binding, out, keys: keys_dir } => {
			let binding = from_hex::<32>("--binding", &binding).map_err(anyhow::Error::msg)?;
			let model = iris::Model::read(&model)?;
			let data = iris::Dataset::iris_holdout(&dataset)?;
			let pk = keys::load_or_setup(&keys_dir)?;
			let started = std::time::Instant::now();
			let proven = cloudana_circuits::prove_accuracy(&pk, &binding, &model, &data)?;
			tracing::info!(ms = started.elapsed().as_millis() as u64, correct = proven.correct, "proven");
			std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
			let write = |name: &str, value: serde_json::Value| -> anyhow::Result<()> {
				let path = out.join(name);
				std::fs::write(&path, serde_json::to_string_pretty(&value)? + "\n").with_context(|| format!("cannot write {}", path.display()))
			};
			write("verification_key.json", snarkjs::verifying_key_to_json(&keys::vk_to_eip197(&pk.vk)))?;
			write("proof.json", snarkjs::proof_to_json(&proven.proof))?;
			write("public.json", snarkjs::public_inputs_to_json(&proven.public_inputs))?;
			println!("{} of {} holdout samples correct; proof written to {}", proven.correct, iris::HOLDOUT, out.display());
			Ok(())
		},
	}
}
