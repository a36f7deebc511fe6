//! `cloudana-prover`: the Cloudana proving daemon, and one-shot proving.

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use cloudana_circuits::{accuracy, keys, mlp, train};
use cloudana_groth16::snarkjs;
use cloudana_prover::{
	backend::{self, Backend},
	from_hex, load_or_create_token, serve, Config, Data, Prover,
};

mod gpu_tools;
use std::{net::SocketAddr, path::PathBuf, time::Duration};

/// Cloudana's proving daemon. A Cloudana node started with `--prover-endpoint` and
/// `--prover-token-file` asks it what it can prove in time and hands it jobs over JSON-RPC; it
/// proves them (Groth16, BN254, on a GPU with `--backend cuda|auto` or on every CPU core) and keeps a journal so a restart loses no
/// accepted job.
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
		/// Address to serve JSON-RPC (HTTP) on. Every call needs the bearer token; keep it on
		/// localhost all the same.
		#[arg(long, default_value = "127.0.0.1:9955")]
		listen: SocketAddr,
		/// Data directory: the journal of accepted tasks and results, the measurements, and the
		/// bearer token.
		#[arg(long, default_value = "cloudana-prover-data")]
		journal: PathBuf,
		/// The bearer token file every call must present (`Authorization: Bearer <token>`); created
		/// with a random token (mode 0600) if missing [default: <journal>/token]. Give the node the
		/// same file with `--prover-token-file`.
		#[arg(long)]
		token_file: Option<PathBuf>,
		/// Proving-key cache directory [default: <journal>/keys].
		#[arg(long)]
		keys: Option<PathBuf>,
		/// A dataset CSV to prove about (Iris, Wine or Breast Cancer from the repository's data/;
		/// its fixed holdout, and its training split for grid slots); repeatable. The daemon sets
		/// up (once, then cached) and serves the accuracy circuit of each dataset given.
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
		/// Most tasks kept in the journal; beyond it the oldest finished ones are pruned first.
		#[arg(long, default_value_t = 10_000)]
		max_tasks: usize,
		/// Serve Prometheus metrics at http://<address>/metrics (queue depth, proofs by circuit
		/// and outcome, proving-time histogram, journal size: docs/running-a-node.md, "Observability"). Off if unset.
		#[arg(long, value_name = "ADDRESS")]
		metrics: Option<SocketAddr>,
		#[command(flatten)]
		circom: CircomArgs,
		#[command(flatten)]
		backend: BackendArgs,
	},
	/// Prove a circom circuit once from its snarkjs `.zkey`, its circom `.wasm` and an
	/// `input.json` (or a snarkjs `.wtns`), and write snarkjs's `proof.json` and `public.json`
	/// (`snarkjs groth16 verify` accepts them). Prints the witness and proving times (proving
	/// excludes the witness); with `--runs`, the median.
	ProveCircom {
		/// The proving key (snarkjs `.zkey`, Groth16, BN254).
		#[arg(long)]
		zkey: PathBuf,
		/// The witness generator (circom `--wasm` output).
		#[arg(long)]
		wasm: PathBuf,
		/// The input (snarkjs `input.json`).
		#[arg(long, required_unless_present = "wtns")]
		input: Option<PathBuf>,
		/// Instead of `--input`: a witness computed by snarkjs (`snarkjs wtns calculate`), so
		/// that only proving is timed, from the same witness as snarkjs's.
		#[arg(long, conflicts_with = "input")]
		wtns: Option<PathBuf>,
		/// Output directory [default: print the public signals only].
		#[arg(long)]
		out: Option<PathBuf>,
		/// Proofs to time; the median is printed.
		#[arg(long, default_value_t = 1)]
		runs: usize,
		#[command(flatten)]
		backend: BackendArgs,
	},
	/// Prove the accuracy of a model on a dataset's holdout once, and write snarkjs files
	/// (verification_key.json, proof.json, public.json) that `cloudana verify` checks.
	ProveAccuracy {
		/// Model file (circuits/models/*.json).
		#[arg(long, conflicts_with = "train", required_unless_present = "train")]
		model: Option<PathBuf>,
		/// Instead of a model file: train one on the dataset's training split with these
		/// hyper-parameters (`lr=0.002,epochs=20[,hidden=8]`) and the seed of grid 0, slot 0.
		#[arg(long)]
		train: Option<String>,
		/// Dataset CSV (Iris, Wine or Breast Cancer).
		#[arg(long)]
		dataset: PathBuf,
		/// Binding input, 32 bytes hex (on chain: H(genesis ‖ work ‖ prover)); must be below r.
		#[arg(long, default_value = "0x0000000000000000000000000000000000000000000000000000000000000001")]
		binding: String,
		/// Output directory.
		#[arg(long)]
		out: PathBuf,
		/// Proving-key cache directory.
		#[arg(long, default_value = "cloudana-prover-data/keys")]
		keys: PathBuf,
		#[command(flatten)]
		backend: BackendArgs,
	},
	/// Check the CUDA backend: compile the kernels with NVRTC for each `--arch` (libnvrtc
	/// only; no GPU needed), then, unless `--compile-only`, open the GPU, run its self-test and
	/// check MSMs, NTTs and whole proofs against arkworks. Exits 1 on any failure.
	GpuCheck {
		/// Virtual architectures to compile for (compute_90: H100/H200; compute_80: A100).
		#[arg(long, value_delimiter = ',', default_value = "compute_90")]
		arch: Vec<String>,
		/// Only compile.
		#[arg(long)]
		compile_only: bool,
		/// Compiled-kernel cache directory [default: ~/.cache/cloudana/ptx].
		#[arg(long)]
		gpu_cache: Option<PathBuf>,
		/// Directory holding the dataset CSVs, for the whole-proof checks.
		#[arg(long, env = "CLOUDANA_DATASETS", default_value = "data")]
		datasets: PathBuf,
	},
	/// Benchmark the GPU against this machine's CPU cores in one run: G1 MSMs of 2^16 … 2^max,
	/// G2 MSMs, quotients (NTTs), and whole proofs of the built-in circuits and of a
	/// 2^20-constraint circuit (checked equal to the CPU's). Prints one line per measurement
	/// with both times and their ratio. Without a usable GPU, prints the CPU's times and why.
	GpuBench {
		/// Largest G1 MSM and quotient, log₂.
		#[arg(long, default_value_t = 22)]
		max_log: u32,
		/// Smallest, log₂.
		#[arg(long, default_value_t = 16)]
		min_log: u32,
		/// Constraints of the synthetic circuit proven whole, log₂ (0: skip it).
		#[arg(long, default_value_t = 20)]
		circuit_log: u32,
		/// Timed runs per measurement (the median is printed), after one untimed warm-up.
		#[arg(long, default_value_t = 3)]
		runs: usize,
		/// Directory holding the dataset CSVs (the built-in circuits' proofs).
		#[arg(long, env = "CLOUDANA_DATASETS", default_value = "data")]
		datasets: PathBuf,
		/// Compiled-kernel cache directory [default: ~/.cache/cloudana/ptx].
		#[arg(long)]
		gpu_cache: Option<PathBuf>,
		/// Run the kernels in the host emulator instead of on a GPU (slow: for testing this
		/// command on machines without one).
		#[arg(long, hide = true)]
		emulator: bool,
	},
	/// Write Cloudana's development powers of tau: a `.ptau` file in snarkjs's format, prepared
	/// for phase 2 (`snarkjs groth16 setup` takes it; `snarkjs powersoftau verify` accepts it),
	/// for circuits of up to 2^power constraints, in seconds on all cores. Its one contribution's
	/// secrets come from a public seed: NOT A CEREMONY, anyone can forge proofs for circuits set
	/// up from it; it is for tests and demos. Prints the contribution hash and the file's size.
	DevPtau {
		/// Circuits of up to 2^power constraints (1 to 24; 16: 72 MB, a few seconds on 2 cores).
		#[arg(long, default_value_t = 16)]
		power: u32,
		/// The file to write (written beside as `<out>.tmp`, then renamed).
		#[arg(long)]
		out: PathBuf,
	},
	/// List the built-in accuracy circuits: dataset, shape, constraints and circuit id. With
	/// `--measure`, also time the development setup, witness generation and proving, and
	/// verification on this machine (a model trained on each dataset; minutes in all).
	Circuits {
		/// Measure setup and proving times (needs `--datasets`).
		#[arg(long)]
		measure: bool,
		/// Directory holding the dataset CSVs (`iris.csv`, `wine_data.csv`, `breast_cancer.csv`);
		/// the default, `data`, is the repository's data/ when run from its root.
		#[arg(long, env = "CLOUDANA_DATASETS", default_value = "data")]
		datasets: PathBuf,
		/// Proofs per dataset when measuring; the median is reported.
		#[arg(long, default_value_t = 3)]
		runs: usize,
	},
}

/// The proving backend (`cloudana_prover::backend`).
#[derive(clap::Args)]
struct BackendArgs {
	/// Where proofs' MSMs and FFTs run: `auto` (a GPU if one works, else the CPU), `cpu`, or
	/// `cuda` (the GPU; a warning and the CPU if there is none). Per proof, a GPU failure falls
	/// back to the CPU.
	#[arg(long, value_enum, default_value_t = Backend::Auto)]
	backend: Backend,
	/// Compiled-kernel cache directory [default: ~/.cache/cloudana/ptx].
	#[arg(long)]
	gpu_cache: Option<PathBuf>,
}

impl BackendArgs {
	fn open(&self) -> std::sync::Arc<dyn cloudana_circuits::engine::Engine> {
		backend::open(self.backend, &gpu_cache(self.gpu_cache.clone()))
	}
}

/// `--gpu-cache`, or `$XDG_CACHE_HOME/cloudana/ptx`, or `~/.cache/cloudana/ptx`.
fn gpu_cache(given: Option<PathBuf>) -> PathBuf {
	given.unwrap_or_else(|| {
		std::env::var_os("XDG_CACHE_HOME")
			.map(PathBuf::from)
			.or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
			.unwrap_or_else(std::env::temp_dir)
			.join("cloudana/ptx")
	})
}

/// Jobs on circom circuits (`cloudana_prover::circom`).
#[derive(clap::Args)]
struct CircomArgs {
	/// Prove jobs on circom circuits: fetch their artifacts by hash (cached in
	/// `<journal>/artifacts`), and lock those whose files match.
	#[arg(long)]
	circom: bool,
	/// A directory of artifacts named by their SHA-256 in hex, used before fetching;
	/// repeatable.
	#[arg(long = "artifacts-dir", value_name = "DIR")]
	artifacts_dirs: Vec<PathBuf>,
	/// The largest circom `.wasm` fetched, MiB.
	#[arg(long, default_value_t = 64)]
	max_wasm_mib: u64,
	/// The largest snarkjs `.zkey` fetched, MiB.
	#[arg(long, default_value_t = 2048)]
	max_zkey_mib: u64,
	/// The largest input file fetched, KiB.
	#[arg(long, default_value_t = 16384)]
	max_input_kib: u64,
	/// The most memory loaded circom circuits may take (their `.zkey` and `.wasm` sizes), MiB;
	/// the least recently used is unloaded first.
	#[arg(long, default_value_t = 4096)]
	circom_memory_mib: u64,
	/// Fetch artifacts from loopback, private and link-local addresses too (a local artifact
	/// server). Off by default: a requester names the URL, and could point it at the
	/// operator's own network.
	#[arg(long)]
	allow_private_artifacts: bool,
	/// The most one artifact fetch may take, seconds, from connecting to the last byte.
	#[arg(long, default_value_t = 600)]
	fetch_timeout_s: u64,
	/// The most artifact fetches running at once.
	#[arg(long, default_value_t = 2)]
	max_fetches: usize,
}

impl CircomArgs {
	fn settings(&self, journal: &std::path::Path) -> Option<cloudana_prover::circom::Settings> {
		self.circom.then(|| cloudana_prover::circom::Settings {
			max_wasm: self.max_wasm_mib << 20,
			max_zkey: self.max_zkey_mib << 20,
			max_input: self.max_input_kib << 10,
			local: self.artifacts_dirs.clone(),
			cache: journal.join("artifacts"),
			max_loaded: self.circom_memory_mib << 20,
			allow_private: self.allow_private_artifacts,
			fetch_timeout: std::time::Duration::from_secs(self.fetch_timeout_s),
			max_fetches: self.max_fetches,
		})
	}
}

/// `prove-circom`.
fn prove_circom(
	zkey: &std::path::Path,
	wasm: &std::path::Path,
	input: Option<PathBuf>,
	wtns: Option<PathBuf>,
	out: Option<PathBuf>,
	runs: usize,
	engine: &dyn cloudana_circuits::engine::Engine,
) -> anyhow::Result<()> {
	use std::time::Instant;
	let read = |path: &std::path::Path| std::fs::read(path).with_context(|| format!("cannot read {}", path.display()));
	let started = Instant::now();
	let circuit = cloudana_circuits::circom::CircomCircuit::new(&read(zkey)?, &read(wasm)?)?;
	let load_ms = started.elapsed().as_secs_f64() * 1e3;
	let given = match wtns {
		Some(path) => Some(cloudana_circuits::circom::witness::read_wtns(&read(&path)?).with_context(|| path.display().to_string())?),
		None => None,
	};
	let input: Option<serde_json::Value> = match &input {
		Some(path) => Some(serde_json::from_slice(&read(path)?).with_context(|| format!("{} is not JSON", path.display()))?),
		None => None,
	};
	let mut times = Vec::new();
	let mut last = None;
	for _ in 0..runs.max(1) {
		let started = Instant::now();
		let witness = match (&given, &input) {
			(Some(witness), _) => witness.clone(),
			(None, Some(input)) => circuit.generator.witness(input)?,
			(None, None) => anyhow::bail!("give --input or --wtns"),
		};
		let witness_ms = started.elapsed().as_secs_f64() * 1e3;
		let proven = circuit.prove_on(engine, &witness)?;
		times.push((started.elapsed().as_secs_f64() * 1e3 - witness_ms, witness_ms));
		last = Some(proven);
	}
	times.sort_by(|a, b| a.0.total_cmp(&b.0));
	let (total, witness) = times[times.len() / 2];
	let proven = last.expect("at least one run; qed");
	println!(
		"circuit {} constraints {} load_ms {load_ms:.0} witness_ms {witness:.1} prove_ms {total:.1} engine {}",
		cloudana_prover::to_hex(&circuit.vk_id),
		circuit.zkey.constraints(),
		engine.name()
	);
	if let Some(out) = out {
		std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
		let write = |name: &str, value: serde_json::Value| -> anyhow::Result<()> {
			let path = out.join(name);
			std::fs::write(&path, serde_json::to_string_pretty(&value)? + "\n").with_context(|| format!("cannot write {}", path.display()))
		};
		write("proof.json", snarkjs::proof_to_json(&proven.proof))?;
		write("public.json", snarkjs::public_inputs_to_json(&proven.public))?;
		write("verification_key.json", snarkjs::verifying_key_to_json(&circuit.vk))?;
	}
	Ok(())
}

/// `dev-ptau`: the development powers of tau, written to a temporary file and renamed, so that
/// a reader never sees a half-written file.
fn dev_ptau(power: u32, out: &std::path::Path) -> anyhow::Result<()> {
	use cloudana_circuits::circom::ptau;
	if !(1..=ptau::MAX_POWER).contains(&power) {
		anyhow::bail!("--power {power} is outside 1..={} (circuits of up to 2^power constraints)", ptau::MAX_POWER);
	}
	let started = std::time::Instant::now();
	let tmp = out.with_extension("ptau.tmp");
	let file = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
	let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
	let transcript = ptau::write(power, &ptau::Secrets::development(), ptau::DEV_NAME, &mut writer)
		.with_context(|| format!("cannot write {}", tmp.display()));
	drop(writer);
	let transcript = match transcript {
		Ok(t) => t,
		Err(e) => {
			let _ = std::fs::remove_file(&tmp);
			return Err(e);
		},
	};
	std::fs::rename(&tmp, out).with_context(|| format!("cannot rename {} to {}", tmp.display(), out.display()))?;
	let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
	println!("{}: development powers of tau, 2^{power}, {:.1} MB, {:.1} s (NOT A CEREMONY: its secrets are public)", out.display(), bytes as f64 / 1e6, started.elapsed().as_secs_f64());
	println!("contribution hash {}", hex::encode(transcript.response_hash));
	Ok(())
}

/// `circuits`: one line per dataset; with `measure`, times on this machine.
fn circuits(measure: bool, datasets: &std::path::Path, runs: usize) -> anyhow::Result<()> {
	use std::time::Instant;
	println!("dataset        shape    holdout  constraints  circuit id{}", if measure { "  setup_s  prove_s  verify_ms  pk_MiB" } else { "" });
	for spec in mlp::Spec::ALL {
		let shape = spec.shape();
		let mut line = format!(
			"{:<14} {:<8} {:>7}  {:>11}  {}",
			spec.name(),
			format!("{}-{}-{}", shape.inputs, shape.hidden, shape.classes),
			shape.holdout,
			accuracy::constraint_count(spec),
			cloudana_prover::to_hex(&keys::accuracy_circuit_id(spec)),
		);
		if measure {
			let path = datasets.join(spec.file_name());
			let all = mlp::Dataset::read_csv(&path).with_context(|| format!("dataset {}", path.display()))?;
			let holdout = all.holdout()?;
			let model = train::train(&all.training(), &train::HyperParams::parse("lr=0.002,epochs=20")?, train::slot_seed(0, 0));
			let started = Instant::now();
			let pk = keys::dev_setup(spec);
			let setup = started.elapsed().as_secs_f64();
			let mut pk_bytes = Vec::new();
			ark_serialize::CanonicalSerialize::serialize_uncompressed(&pk, &mut pk_bytes)?;
			let mut times = Vec::new();
			let mut proven = None;
			for _ in 0..runs.max(1) {
				let started = Instant::now();
				proven = Some(cloudana_circuits::prove_accuracy(&pk, &[0; 32], &model, &holdout)?);
				times.push(started.elapsed().as_secs_f64());
			}
			times.sort_by(f64::total_cmp);
			let proven = proven.expect("at least one run; qed");
			let vk = keys::vk_to_eip197(&pk.vk);
			let started = Instant::now();
			cloudana_groth16::verifier::verify(&vk, &proven.public_inputs, &proven.proof).map_err(|e| anyhow::anyhow!("{e:?}"))?;
			let verify = started.elapsed().as_secs_f64() * 1000.0;
			line += &format!(
				"  {setup:>7.1}  {:>7.2}  {verify:>9.1}  {:>6.0}",
				times[times.len() / 2],
				pk_bytes.len() as f64 / (1 << 20) as f64
			);
		}
		println!("{line}");
	}
	Ok(())
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
		Command::ProveCircom { zkey, wasm, input, wtns, out, runs, backend } => {
			prove_circom(&zkey, &wasm, input, wtns, out, runs, &*backend.open())
		},
		Command::GpuCheck { arch, compile_only, gpu_cache: cache, datasets } => {
			gpu_tools::check(&arch, compile_only, &gpu_cache(cache), &datasets)
		},
		Command::GpuBench { max_log, min_log, circuit_log, runs, datasets, gpu_cache: cache, emulator } => gpu_tools::bench(
			gpu_tools::BenchSettings { min_log, max_log, circuit_log, runs, datasets },
			&gpu_cache(cache),
			emulator,
		),
		Command::Serve {
			listen,
			journal,
			token_file,
			keys,
			datasets,
			models,
			max_queue,
			retain_hours,
			max_tasks,
			metrics,
			circom,
			backend,
		} => {
			let circom = circom.settings(&journal);
			if (datasets.is_empty() || models.is_empty()) && circom.is_none() {
				tracing::warn!("no --dataset or no --model given: jobs on models the daemon does not hold are refused");
			}
			// The token first: the node reads it at its start, while the keys load.
			let token_file = token_file.unwrap_or_else(|| journal.join("token"));
			let token = load_or_create_token(&token_file)?;
			tracing::info!(path = %token_file.display(), "bearer token (give the node --prover-token-file)");
			let data = Data::load(&datasets, &models)?;
			let keys = keys.unwrap_or_else(|| journal.join("keys"));
			let engine = backend.open();
			let prover = tokio::task::spawn_blocking(move || {
				Prover::new(Config {
					journal,
					keys,
					data,
					max_queue,
					retain: Duration::from_secs(retain_hours * 3600),
					max_tasks,
					circom,
					engine,
				})
			})
			.await??;
			let capabilities = prover.capabilities();
			if let Some(address) = metrics {
				let metrics = prover.metrics();
				tokio::spawn(async move {
					if let Err(error) = metrics.serve(address).await {
						tracing::error!(%error, "the metrics endpoint stopped");
					}
				});
				tracing::info!(%address, "Prometheus metrics at /metrics");
			}
			let (address, handle) = serve(prover, listen, &token).await?;
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
		Command::Circuits { measure, datasets, runs } => circuits(measure, &datasets, runs),
		Command::DevPtau { power, out } => dev_ptau(power, &out),
		Command::ProveAccuracy { model, train: params, dataset, binding, out, keys: keys_dir, backend } => {
			let binding = from_hex::<32>("--binding", &binding).map_err(anyhow::Error::msg)?;
			let all = mlp::Dataset::read_csv(&dataset)?;
			let data = all.holdout()?;
			let model = match (model, params) {
				(Some(path), _) => mlp::Model::read(&path)?,
				(None, Some(params)) => train::train(&all.training(), &train::HyperParams::parse(&params)?, train::slot_seed(0, 0)),
				(None, None) => anyhow::bail!("give --model or --train"),
			};
			model.check(data.spec).with_context(|| format!("the model does not fit the {} circuit", data.spec.title()))?;
			let pk = keys::load_or_setup(&keys_dir, data.spec)?;
			let engine = backend.open();
			let started = std::time::Instant::now();
			let proven = cloudana_circuits::prove_accuracy_on(&*engine, &pk, &binding, &model, &data)?;
			tracing::info!(ms = started.elapsed().as_millis() as u64, correct = proven.correct, engine = %engine.name(), "proven");
			std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
			let write = |name: &str, value: serde_json::Value| -> anyhow::Result<()> {
				let path = out.join(name);
				std::fs::write(&path, serde_json::to_string_pretty(&value)? + "\n").with_context(|| format!("cannot write {}", path.display()))
			};
			write("verification_key.json", snarkjs::verifying_key_to_json(&keys::vk_to_eip197(&pk.vk)))?;
			write("proof.json", snarkjs::proof_to_json(&proven.proof))?;
			write("public.json", snarkjs::public_inputs_to_json(&proven.public_inputs))?;
			println!(
				"{} of {} {} holdout samples correct; proof written to {}",
				proven.correct,
				data.samples.len(),
				data.spec.title(),
				out.display()
			);
			Ok(())
		},
	}
}
