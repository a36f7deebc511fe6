//! `cloudana`: the command-line client of a Cloudana chain.

use anyhow::{anyhow, bail, Context as _};
use clap::{Args, Parser, Subcommand};
use cloudana_circuits::{keys, mlp};
use cloudana_client::{
	account, chain_vk, event, parse_h256, parse_scalar, runtime, scalar_to_u128, signer, status_name,
	units::{format_cld, parse_cld},
	Client, JobStatus, JobTerms,
};
use cloudana_groth16::{snarkjs, statement, verifier};
use serde_json::json;
use std::{path::PathBuf, time::Duration};

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

	#[command(subcommand)]
	command: Command,
}

#[derive(Args, Clone)]
struct Signer {
	/// Secret URI of the signing account: a dev account (`//Alice`), a mnemonic, or a seed.
	#[arg(long, env = "CLOUDANA_SURI", default_value = "//Alice")]
	suri: String,
}

#[derive(Subcommand)]
enum Command {
	/// Verify a snarkjs Groth16 proof (bn128) offline: exit 0 if valid, else 1 with the reason.
	Verify {
		/// verification_key.json
		#[arg(long)]
		vk: PathBuf,
		/// proof.json
		#[arg(long)]
		proof: PathBuf,
		/// public.json
		#[arg(long)]
		public: PathBuf,
	},
	/// Models (offline).
	#[command(subcommand)]
	Model(ModelCommand),
	/// Free and held balance of an account (SS58 address, secret URI, or `treasury`).
	Balance {
		/// Account [default: the --suri account].
		account: Option<String>,
		#[command(flatten)]
		signer: Signer,
	},
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
}

#[derive(Subcommand)]
enum GridCommand {
	/// Submit a grid job: one slot per combination of the --grid values (the last key varies
	/// fastest); prints the grid id. Each slot's prover trains the model with its
	/// hyper-parameters (deterministically) and proves its accuracy on the dataset's holdout.
	Submit {
		/// Dataset: a CSV file, or `iris`, `wine` or `breast_cancer` (found in
		/// $CLOUDANA_DATASETS, default `data`: the repository's data/ when run from its root).
		/// Its holdout's commitment is the job's input, and its accuracy circuit the job's
		/// circuit.
		#[arg(long)]
		dataset: PathBuf,
		/// Hyper-parameter values: `key=v1,v2,…` (keys `lr`, `epochs`, `hidden`); repeat the
		/// flag per key, or separate keys with `;` (`lr=0.01,0.05;epochs=10,20`).
		#[arg(long = "grid", required = true)]
		grid: Vec<String>,
		/// Bounty, CLD: held in escrow, paid out at the close.
		#[arg(long)]
		bounty: String,
		/// Collateral a prover holds while it has a slot locked, CLD.
		#[arg(long, default_value = "0")]
		collateral: String,
		/// Blocks a prover has, from locking a slot, to prove it.
		#[arg(long, default_value_t = 100)]
		proof_timeout: u32,
		/// Blocks until the grid closes (earlier if every slot is proven).
		#[arg(long, default_value_t = 600)]
		duration: u32,
		#[command(flatten)]
		signer: Signer,
	},
	/// Show a grid job and each slot's state.
	Status {
		/// The grid's id.
		id: u64,
	},
	/// The leaderboard: proven slots, best first, and once closed what each was paid.
	Results {
		/// The grid's id.
		id: u64,
	},
	/// Re-train every slot's model here, in plain Rust, with the same code and seed the
	/// provers use, and print each one's holdout accuracy (unproven; to check the leaderboard).
	Replay {
		/// The grid's id.
		id: u64,
		/// Dataset CSV or name (`iris`, `wine`, `breast_cancer`); must match the grid's dataset
		/// commitment.
		#[arg(long)]
		dataset: PathBuf,
	},
}

/// Reads `--dataset`: a CSV file, or a dataset name resolved in `$CLOUDANA_DATASETS` (default
/// `data`, relative to the current directory: the repository's `data/` when run from its
/// root). Returns every row, quantized.
fn read_dataset(arg: &std::path::Path) -> anyhow::Result<mlp::Dataset> {
	let path = match arg.to_str().and_then(mlp::Spec::from_name) {
		Some(spec) if !arg.exists() => {
			let dir = std::env::var("CLOUDANA_DATASETS").unwrap_or_else(|_| "data".into());
			PathBuf::from(dir).join(spec.file_name())
		},
		None if !arg.exists() => bail!(
			"--dataset {}: no such file, and not a dataset name (iris, wine, breast_cancer)",
			arg.display()
		),
		_ => arg.to_path_buf(),
	};
	mlp::Dataset::read_csv(&path).with_context(|| format!("--dataset {}", path.display()))
}

/// The dataset whose accuracy circuit `circuit` is, if any, and its holdout size as printed
/// after a correct count (`?` for another circuit).
fn accuracy_dataset(circuit: &[u8; 32]) -> (Option<mlp::Spec>, String) {
	let spec = keys::spec_of_circuit(circuit);
	(spec, spec.map(|s| s.shape().holdout.to_string()).unwrap_or_else(|| "?".into()))
}

/// The slots' hyper-parameters for `--grid` arguments: the cartesian product, canonical text.
fn expand_grid(args: &[String]) -> anyhow::Result<Vec<String>> {
	let mut axes: Vec<(String, Vec<String>)> = Vec::new();
	for part in args.iter().flat_map(|a| a.split(';')).map(str::trim).filter(|p| !p.is_empty()) {
		let (key, values) = part.split_once('=').ok_or_else(|| anyhow!("--grid {part:?} is not key=v1,v2,…"))?;
		let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
		if values.is_empty() {
			bail!("--grid {key} has no values");
		}
		if axes.iter().any(|(k, _)| k == key.trim()) {
			bail!("--grid {key} is given twice");
		}
		axes.push((key.trim().to_string(), values));
	}
	let mut combos: Vec<Vec<String>> = vec![vec![]];
	for (key, values) in &axes {
		combos = combos
			.into_iter()
			.flat_map(|combo| values.iter().map(move |v| [combo.clone(), vec![format!("{key}={v}")]].concat()))
			.collect();
	}
	combos
		.into_iter()
		.map(|combo| {
			let text = combo.join(",");
			cloudana_circuits::train::HyperParams::parse(&text).map(|p| p.to_text()).map_err(|e| anyhow!("slot {text:?}: {e}"))
		})
		.collect()
}

async fn grid_job(client: &Client, id: u64) -> anyhow::Result<GridJob> {
	let at = client.api.at_current_block().await?;
	let job = at
		.storage()
		.try_fetch(runtime::storage().jobs().grid_jobs(), (id,))
		.await?
		.ok_or_else(|| anyhow!("no grid job {id}"))?
		.decode()?;
	Ok(job)
}

type GridJob = runtime::runtime_types::pallet_jobs::types::GridJob;

#[derive(Subcommand)]
enum ModelCommand {
	/// Evaluate a model on a dataset's holdout in plain Rust (the same fixed-point arithmetic
	/// the circuit proves), and print the commitments a job on them uses.
	Evaluate {
		/// Model file (circuits/models/*.json).
		#[arg(long)]
		model: PathBuf,
		/// Dataset: a CSV file, or `iris`, `wine` or `breast_cancer` (found in
		/// $CLOUDANA_DATASETS, default `data`: the repository's data/ when run from its root).
		#[arg(long)]
		dataset: PathBuf,
	},
}

#[derive(Subcommand)]
enum VkCommand {
	/// Register a snarkjs verification_key.json; prints the key's id. Holds a deposit.
	Register {
		/// verification_key.json (bn128)
		#[arg(long)]
		vk: PathBuf,
		#[command(flatten)]
		signer: Signer,
	},
	/// Print a verification_key.json's id without registering it (offline).
	Id {
		/// verification_key.json (bn128)
		#[arg(long)]
		vk: PathBuf,
	},
	/// Show a registered key.
	Show {
		/// The key's id (0x…).
		id: String,
	},
	/// Unregister a key you own; releases its deposit.
	Unregister {
		/// The key's id (0x…).
		id: String,
		#[command(flatten)]
		signer: Signer,
	},
}

#[derive(Subcommand)]
enum ProverCommand {
	/// Register the signer as a prover with a stake and the circuits it serves.
	Register {
		/// Stake to hold, CLD (at least the chain's minimum, 50 CLD on Cloudana).
		#[arg(long)]
		stake: String,
		/// Circuit (verifying-key id) served; repeatable.
		#[arg(long = "circuit", required = true)]
		circuits: Vec<String>,
		#[command(flatten)]
		signer: Signer,
	},
	/// Put the signer's key into the node's keystore as its prover key (key type `cprv`), so
	/// the node's off-chain worker proves and signs for it. Needs unsafe RPC (a local node).
	InsertKey {
		#[command(flatten)]
		signer: Signer,
	},
	/// Show a prover (SS58 address or secret URI).
	Show {
		/// Account [default: the --suri account].
		account: Option<String>,
		#[command(flatten)]
		signer: Signer,
	},
	/// Show a prover's reputation: score (0–1000), tier, the formula's value and the counters
	/// behind them (the runtime API `ReputationApi_reputation`).
	Reputation {
		/// Account [default: the --suri account].
		account: Option<String>,
		#[command(flatten)]
		signer: Signer,
	},
}

#[derive(Args)]
struct TermsArgs {
	/// Highest price, CLD; held in escrow until the job completes, expires or is cancelled.
	#[arg(long)]
	max_price: String,
	/// Price at submission, CLD; rises linearly to --max-price [default: --max-price].
	#[arg(long)]
	min_price: Option<String>,
	/// Blocks over which the price rises.
	#[arg(long, default_value_t = 10)]
	ramp_blocks: u32,
	/// Blocks during which the job can be locked before it expires.
	#[arg(long, default_value_t = 600)]
	lock_timeout: u32,
	/// Blocks a prover has, from locking, to submit a valid proof.
	#[arg(long, default_value_t = 300)]
	proof_timeout: u32,
	/// Collateral a prover holds while the job is locked, CLD.
	#[arg(long, default_value = "1")]
	collateral: String,
}

#[derive(Subcommand)]
enum JobCommand {
	/// Submit a job on a circuit with public inputs; prints the job id.
	Submit {
		/// The circuit (verifying-key id, 0x…).
		#[arg(long)]
		circuit: String,
		/// A public input: decimal or 0x hex, below the BN254 scalar modulus; repeatable.
		#[arg(long = "input")]
		inputs: Vec<String>,
		#[command(flatten)]
		terms: TermsArgs,
		#[command(flatten)]
		signer: Signer,
	},
	/// Submit the built-in job "accuracy of this model on this dataset's holdout": computes the
	/// dataset and model commitments and uses the dataset's accuracy circuit (the model must have
	/// its shape: 4-8-3 Iris, 13-8-3 Wine, 30-8-2 Breast Cancer).
	SubmitAccuracy {
		/// Model file (circuits/models/*.json).
		#[arg(long)]
		model: PathBuf,
		/// Dataset: a CSV file, or `iris`, `wine` or `breast_cancer` (found in
		/// $CLOUDANA_DATASETS, default `data`: the repository's data/ when run from its root).
		#[arg(long)]
		dataset: PathBuf,
		#[command(flatten)]
		terms: TermsArgs,
		#[command(flatten)]
		signer: Signer,
	},
	/// Show a job.
	Status {
		/// The job's id.
		id: u64,
	},
	/// Wait until a job is completed, cancelled or expired.
	Wait {
		/// The job's id.
		id: u64,
		/// Give up after this many seconds.
		#[arg(long, default_value_t = 600)]
		timeout: u64,
	},
	/// Show a completed job's proven outputs.
	Result {
		/// The job's id.
		id: u64,
	},
	/// Cancel an open job you submitted (10% cancellation fee).
	Cancel {
		/// The job's id.
		id: u64,
		#[command(flatten)]
		signer: Signer,
	},
}

fn read(path: &PathBuf) -> anyhow::Result<String> {
	std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

fn hex32(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

fn print(json_mode: bool, value: serde_json::Value, human: String) {
	if json_mode {
		println!("{value}");
	} else {
		println!("{human}");
	}
}

/// Offline verification: `Ok` if valid, otherwise the one-line reason.
fn verify(vk: &PathBuf, proof: &PathBuf, public: &PathBuf) -> anyhow::Result<()> {
	let vk = snarkjs::verifying_key_from_json(&read(vk)?).map_err(|e| anyhow!("{}: {e}", vk.display()))?;
	let proof = snarkjs::proof_from_json(&read(proof)?).map_err(|e| anyhow!("{}: {e}", proof.display()))?;
	let inputs = snarkjs::public_inputs_from_json(&read(public)?).map_err(|e| anyhow!("{}: {e}", public.display()))?;
	verifier::verify(&vk, &inputs, &proof).map_err(|e| anyhow!("invalid proof: {e}"))
}

fn terms(args: &TermsArgs) -> anyhow::Result<JobTerms<u128, u32>> {
	let max_price = parse_cld(&args.max_price).context("--max-price")?;
	let min_price = match &args.min_price {
		Some(p) => parse_cld(p).context("--min-price")?,
		None => max_price,
	};
	Ok(JobTerms {
		min_price,
		max_price,
		ramp_blocks: args.ramp_blocks,
		lock_timeout: args.lock_timeout,
		proof_timeout: args.proof_timeout,
		collateral: parse_cld(&args.collateral).context("--collateral")?,
	})
}

async fn submit_job(
	client: &Client,
	json_mode: bool,
	circuit: subxt::utils::H256,
	inputs: Vec<[u8; 32]>,
	terms: JobTerms<u128, u32>,
	suri: &str,
) -> anyhow::Result<()> {
	let keypair = signer(suri)?;
	let call = runtime::tx().jobs().submit(circuit, inputs, terms);
	let events = client.submit(&call, &keypair).await?;
	let event = event::<runtime::jobs::events::JobSubmitted>(&events)?;
	print(
		json_mode,
		json!({"job": event.job, "max_price": event.max_price.to_string(), "lock_expires_at": event.lock_expires_at}),
		format!(
			"job {} submitted: {} held in escrow, lockable until block {}",
			event.job,
			format_cld(event.max_price),
			event.lock_expires_at
		),
	);
	Ok(())
}

fn describe_job(job: &cloudana_client::Job) -> (serde_json::Value, String) {
	let spec = keys::spec_of_circuit(&job.circuit.0);
	let outputs: Vec<String> = match &job.status {
		JobStatus::Completed { outputs, .. } => outputs.iter().map(|o| hex32(o)).collect(),
		_ => vec![],
	};
	let mut lines = vec![
		format!("status: {}", status_name(&job.status)),
		format!("circuit: {}{}", hex32(&job.circuit.0), spec.map(|s| format!(" ({} accuracy)", s.title())).unwrap_or_default()),
		format!("requester: {}", job.requester),
		format!(
			"price: {} → {} over {} blocks; collateral {}",
			format_cld(job.terms.min_price),
			format_cld(job.terms.max_price),
			job.terms.ramp_blocks,
			format_cld(job.terms.collateral)
		),
		format!("submitted at block {}, lockable until block {}", job.submitted_at, job.lock_expires_at),
	];
	let mut value = json!({
		"status": status_name(&job.status),
		"circuit": hex32(&job.circuit.0),
		"requester": job.requester.to_string(),
		"inputs": job.inputs.iter().map(|i| hex32(i)).collect::<Vec<_>>(),
		"outputs": outputs,
		"max_price": job.terms.max_price.to_string(),
	});
	match &job.status {
		JobStatus::Locked { prover, price, expires_at, .. } => {
			lines.push(format!("locked by {prover} at {}, proof due before block {expires_at}", format_cld(*price)));
			value["prover"] = json!(prover.to_string());
			value["price"] = json!(price.to_string());
		},
		JobStatus::Completed { prover, price, fee, outputs, at } => {
			lines.push(format!(
				"completed at block {at} by {prover}: price {}, prover paid {}, fee {}",
				format_cld(*price),
				format_cld(price - fee),
				format_cld(*fee)
			));
			for (i, output) in outputs.iter().enumerate() {
				lines.push(format!("output {i}: {}", scalar_to_u128(output).map(|v| v.to_string()).unwrap_or_else(|| hex32(output))));
			}
			if let Some(spec) = spec {
				if let Some(correct) = outputs.first().and_then(scalar_to_u128) {
					let holdout = spec.shape().holdout;
					let accuracy = correct as f64 / holdout as f64;
					lines.push(format!("proven accuracy: {correct}/{holdout} = {:.2}%", accuracy * 100.0));
					value["correct"] = json!(correct as u64);
					value["accuracy"] = json!(accuracy);
				}
			}
			value["prover"] = json!(prover.to_string());
			value["price"] = json!(price.to_string());
			value["fee"] = json!(fee.to_string());
		},
		JobStatus::Cancelled { refund, fee } => lines.push(format!("cancelled: refunded {}, fee {}", format_cld(*refund), format_cld(*fee))),
		JobStatus::Expired { refund } => lines.push(format!("expired: refunded {}", format_cld(*refund))),
		JobStatus::Open => {},
	}
	(value, lines.join("\n"))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
	let json_mode = cli.json;
	match &cli.command {
		Command::Verify { vk, proof, public } => {
			verify(vk, proof, public)?;
			print(json_mode, json!({"valid": true}), "valid proof".into());
			return Ok(());
		},
		Command::Vk(VkCommand::Id { vk }) => {
			let vk = snarkjs::verifying_key_from_json(&read(vk)?)?;
			println!("{}", hex32(&statement::vk_id(&vk)));
			return Ok(());
		},
		Command::Model(ModelCommand::Evaluate { model, dataset }) => {
			let model = mlp::Model::read(model)?;
			let data = read_dataset(dataset)?.holdout()?;
			model.check(data.spec).with_context(|| format!("the model does not fit {}", data.spec.title()))?;
			let correct = model.correct(&data);
			let dataset_commitment = hex32(&cloudana_groth16::encoding::encode_fr(&data.commitment()));
			let model_commitment = hex32(&cloudana_groth16::encoding::encode_fr(&model.commitment()));
			print(
				json_mode,
				json!({"correct": correct, "samples": data.samples.len(), "accuracy": correct as f64 / data.samples.len() as f64,
					"dataset_commitment": dataset_commitment, "model_commitment": model_commitment}),
				format!(
					"{correct}/{} holdout samples correct ({:.2}%)\ndataset commitment {dataset_commitment}\nmodel commitment   {model_commitment}",
					data.samples.len(),
					100.0 * correct as f64 / data.samples.len() as f64
				),
			);
			return Ok(());
		},
		_ => {},
	}

	let client = Client::connect(&cli.url).await?;
	match cli.command {
		Command::Verify { .. } | Command::Vk(VkCommand::Id { .. }) | Command::Model(_) =>
			unreachable!("handled offline above"),
		Command::Balance { account: who, signer: s } => {
			let who = account(who.as_deref().unwrap_or(&s.suri))?;
			let (free, held) = client.balance(&who).await?;
			print(
				json_mode,
				json!({"account": who.to_string(), "free": free.to_string(), "held": held.to_string()}),
				format!("{who}: free {}, held {}", format_cld(free), format_cld(held)),
			);
		},
		Command::Vk(VkCommand::Register { vk, signer: s }) => {
			let vk = snarkjs::verifying_key_from_json(&read(&vk)?).map_err(|e| anyhow!("{}: {e}", vk.display()))?;
			// Refuse locally what the chain would refuse, with the precise reason.
			verifier::decode_verifying_key(&vk).map_err(|e| anyhow!("invalid verifying key: {e}"))?;
			let call = runtime::tx().verifier().register_vk(chain_vk(&vk));
			let events = client.submit(&call, &signer(&s.suri)?).await?;
			let event = event::<runtime::verifier::events::VkRegistered>(&events)?;
			print(
				json_mode,
				json!({"id": hex32(&event.id.0), "public_inputs": event.public_inputs, "deposit": event.deposit.to_string()}),
				format!("verifying key {} registered ({} public inputs, deposit {})", hex32(&event.id.0), event.public_inputs, format_cld(event.deposit)),
			);
		},
		Command::Vk(VkCommand::Show { id }) => {
			let id = parse_h256("key id", &id)?;
			let at = client.api.at_current_block().await?;
			let info = at
				.storage()
				.try_fetch(runtime::storage().verifier().verifying_keys(), (id,))
				.await?
				.ok_or_else(|| anyhow!("no verifying key {} is registered", hex32(&id.0)))?
				.decode()?;
			print(
				json_mode,
				json!({"id": hex32(&id.0), "owner": info.owner.to_string(), "public_inputs": info.public_inputs, "consumers": info.consumers, "deposit": info.deposit.to_string()}),
				format!(
					"key {}: owner {}, {} public inputs, used by {} live jobs, deposit {}",
					hex32(&id.0),
					info.owner,
					info.public_inputs,
					info.consumers,
					format_cld(info.deposit)
				),
			);
		},
		Command::Vk(VkCommand::Unregister { id, signer: s }) => {
			let id = parse_h256("key id", &id)?;
			client.submit(&runtime::tx().verifier().unregister_vk(id), &signer(&s.suri)?).await?;
			print(json_mode, json!({"unregistered": hex32(&id.0)}), format!("verifying key {} unregistered", hex32(&id.0)));
		},
		Command::Prover(ProverCommand::Register { stake, circuits, signer: s }) => {
			let stake = parse_cld(&stake).context("--stake")?;
			let circuits = circuits.iter().map(|c| parse_h256("--circuit", c)).collect::<anyhow::Result<Vec<_>>>()?;
			let keypair = signer(&s.suri)?;
			client.submit(&runtime::tx().prover_staking().register(stake, circuits.clone()), &keypair).await?;
			let who = keypair.public_key().to_account_id();
			print(
				json_mode,
				json!({"prover": who.to_string(), "stake": stake.to_string()}),
				format!("{who} registered as a prover with {} staked, serving {} circuit(s)", format_cld(stake), circuits.len()),
			);
		},
		Command::Prover(ProverCommand::InsertKey { signer: s }) => {
			let keypair = signer(&s.suri)?;
			client.insert_key("cprv", &s.suri, &keypair.public_key().0).await?;
			let who = keypair.public_key().to_account_id();
			print(json_mode, json!({"prover": who.to_string()}), format!("prover key of {who} inserted into the node's keystore"));
		},
		Command::Prover(ProverCommand::Show { account: who, signer: s }) => {
			let who = account(who.as_deref().unwrap_or(&s.suri))?;
			let at = client.api.at_current_block().await?;
			let prover = at
				.storage()
				.try_fetch(runtime::storage().prover_staking().provers(), (who.clone(),))
				.await?
				.ok_or_else(|| anyhow!("{who} is not a registered prover"))?
				.decode()?;
			let unbonding: u128 = prover.unbonding.iter().map(|c| c.amount).sum();
			let state = if prover.banned {
				"banned".to_string()
			} else if let Some(until) = prover.suspended_until {
				format!("suspended until block {until}")
			} else if prover.chilled {
				"chilled".to_string()
			} else {
				"active".to_string()
			};
			print(
				json_mode,
				json!({"prover": who.to_string(), "stake": prover.stake.to_string(), "unbonding": unbonding.to_string(),
					"circuits": prover.circuits.iter().map(|c| hex32(&c.0)).collect::<Vec<_>>(), "registered_at": prover.registered_at,
					"chilled": prover.chilled, "suspended_until": prover.suspended_until, "banned": prover.banned,
					"last_heartbeat": prover.last_heartbeat}),
				format!(
					"{who}: stake {}, unbonding {}, registered at block {}, {state}, circuits {}",
					format_cld(prover.stake),
					format_cld(unbonding),
					prover.registered_at,
					prover.circuits.iter().map(|c| hex32(&c.0)).collect::<Vec<_>>().join(", ")
				),
			);
		},
		Command::Prover(ProverCommand::Reputation { account: who, signer: s }) => {
			let who = account(who.as_deref().unwrap_or(&s.suri))?;
			let at = client.api.at_current_block().await?;
			let reputation = at
				.runtime_apis()
				.call(runtime::runtime_apis().reputation_api().reputation(who.clone()))
				.await?
				.ok_or_else(|| anyhow!("{who} has no reputation record (score 0, Bronze)"))?;
			let r = &reputation.record;
			let tier = format!("{:?}", reputation.tier);
			print(
				json_mode,
				json!({"prover": who.to_string(), "score": reputation.score, "tier": tier, "formula": reputation.formula,
					"completed": r.completed, "on_time": r.on_time, "timeouts": r.timeouts, "invalid_proofs": r.invalid_proofs,
					"repeated_failures": r.repeated_failures, "disputes_lost": r.disputes_lost, "ratings": r.ratings,
					"stars": r.stars, "heartbeats": r.heartbeats, "since": r.since}),
				format!(
					"{who}: score {} ({tier}; formula {}), {} completed ({} on time), {} timeouts, {} invalid proofs, \
					 {} ratings ({} stars), {} heartbeats since block {}",
					reputation.score,
					reputation.formula,
					r.completed,
					r.on_time,
					r.timeouts,
					r.invalid_proofs,
					r.ratings,
					r.stars,
					r.heartbeats,
					r.since
				),
			);
		},
		Command::Job(JobCommand::Submit { circuit, inputs, terms: t, signer: s }) => {
			let circuit = parse_h256("--circuit", &circuit)?;
			let inputs = inputs.iter().map(|i| parse_scalar(i)).collect::<anyhow::Result<Vec<_>>>()?;
			submit_job(&client, json_mode, circuit, inputs, terms(&t)?, &s.suri).await?;
		},
		Command::Job(JobCommand::SubmitAccuracy { model, dataset, terms: t, signer: s }) => {
			let model = mlp::Model::read(&model)?;
			let data = read_dataset(&dataset)?.holdout()?;
			model.check(data.spec).with_context(|| format!("the model does not fit {}", data.spec.title()))?;
			let inputs = vec![
				cloudana_groth16::encoding::encode_fr(&data.commitment()),
				cloudana_groth16::encoding::encode_fr(&model.commitment()),
			];
			let circuit = subxt::utils::H256(keys::accuracy_circuit_id(data.spec));
			submit_job(&client, json_mode, circuit, inputs, terms(&t)?, &s.suri).await?;
		},
		Command::Job(JobCommand::Status { id }) | Command::Job(JobCommand::Result { id }) => {
			let job = client.job(id).await?.ok_or_else(|| anyhow!("no job {id}"))?;
			let wants_result = matches!(cli.command, Command::Job(JobCommand::Result { .. }));
			if wants_result && !matches!(job.status, JobStatus::Completed { .. }) {
				bail!("job {id} is {}, not completed: it has no result", status_name(&job.status));
			}
			let (mut value, human) = describe_job(&job);
			value["job"] = json!(id);
			print(json_mode, value, format!("job {id}\n{human}"));
		},
		Command::Job(JobCommand::Wait { id, timeout }) => {
			let deadline = std::time::Instant::now() + Duration::from_secs(timeout);
			let mut last = String::new();
			loop {
				let job = client.job(id).await?.ok_or_else(|| anyhow!("no job {id}"))?;
				let status = status_name(&job.status);
				if status != last {
					eprintln!("job {id}: {status} (block {})", client.block_number().await?);
					last = status.to_string();
				}
				if matches!(job.status, JobStatus::Completed { .. } | JobStatus::Cancelled { .. } | JobStatus::Expired { .. }) {
					let (mut value, human) = describe_job(&job);
					value["job"] = json!(id);
					print(json_mode, value, format!("job {id}\n{human}"));
					break;
				}
				if std::time::Instant::now() > deadline {
					bail!("job {id} is still {status} after {timeout} s");
				}
				tokio::time::sleep(Duration::from_millis(1000)).await;
			}
		},
		Command::Grid(GridCommand::Submit { dataset, grid, bounty, collateral, proof_timeout, duration, signer: s }) => {
			use runtime::runtime_types::pallet_jobs::types::GridTerms;
			let slots = expand_grid(&grid)?;
			let data = read_dataset(&dataset)?.holdout()?;
			let inputs = vec![cloudana_groth16::encoding::encode_fr(&data.commitment())];
			let circuit = subxt::utils::H256(keys::accuracy_circuit_id(data.spec));
			let terms = GridTerms {
				bounty: parse_cld(&bounty).context("--bounty")?,
				collateral: parse_cld(&collateral).context("--collateral")?,
				proof_timeout,
				duration,
			};
			// Outputs of the accuracy circuit: [model commitment, correct count]; rank by the count.
			let params: Vec<Vec<u8>> = slots.iter().map(|p| p.as_bytes().to_vec()).collect();
			let call = runtime::tx().jobs().submit_grid(circuit, inputs, params, 1, terms);
			let events = client.submit(&call, &signer(&s.suri)?).await?;
			let event = event::<runtime::jobs::events::GridSubmitted>(&events)?;
			print(
				json_mode,
				json!({"grid": event.grid, "dataset": data.spec.name(), "slots": slots, "bounty": event.bounty.to_string(), "closes_at": event.closes_at}),
				format!(
					"grid {} submitted on {}: {} slots ({}), {} held, closes at block {}",
					event.grid,
					data.spec.title(),
					slots.len(),
					slots.join(" | "),
					format_cld(event.bounty),
					event.closes_at
				),
			);
		},
		Command::Grid(GridCommand::Status { id }) => {
			use runtime::runtime_types::pallet_jobs::types::{GridStatus, SlotState};
			let job = grid_job(&client, id).await?;
			let slots: Vec<serde_json::Value> = job
				.slots
				.iter()
				.enumerate()
				.map(|(i, slot)| {
					let params = String::from_utf8_lossy(&slot.params).to_string();
					match &slot.state {
						SlotState::Open => json!({"slot": i, "params": params, "state": "open"}),
						SlotState::Locked { prover, expires_at, .. } =>
							json!({"slot": i, "params": params, "state": "locked", "prover": prover.to_string(), "expires_at": expires_at}),
						SlotState::Proven { prover, metric, at } => json!({"slot": i, "params": params, "state": "proven",
							"prover": prover.to_string(), "correct": metric.to_string(), "at": at}),
					}
				})
				.collect();
			let status = match &job.status {
				GridStatus::Open => "open",
				GridStatus::Closed { .. } => "closed",
			};
			let (spec, holdout) = accuracy_dataset(&job.circuit.0);
			let text = std::iter::once(format!(
				"grid {id}{}: {status}, bounty {}, closes at block {}",
				spec.map(|s| format!(" ({})", s.title())).unwrap_or_default(),
				format_cld(job.terms.bounty),
				job.closes_at
			))
			.chain(slots.iter().map(|s| {
				format!(
					"  slot {}: {} — {}{}{}",
					s["slot"],
					s["params"].as_str().unwrap_or(""),
					s["state"].as_str().unwrap_or(""),
					s.get("prover").and_then(|p| p.as_str()).map(|p| format!(" by {p}")).unwrap_or_default(),
					s.get("correct").and_then(|c| c.as_str()).map(|c| format!(", {c}/{holdout} correct")).unwrap_or_default()
				)
			}))
			.collect::<Vec<_>>()
			.join("\n");
			print(
				json_mode,
				json!({"grid": id, "dataset": spec.map(|s| s.name()), "status": status, "closes_at": job.closes_at, "slots": slots}),
				text,
			);
		},
		Command::Grid(GridCommand::Results { id }) => {
			use runtime::runtime_types::pallet_jobs::types::{GridStatus, SlotState};
			let job = grid_job(&client, id).await?;
			let params = |slot: u32| String::from_utf8_lossy(&job.slots[slot as usize].params).to_string();
			let rows: Vec<serde_json::Value> = match &job.status {
				GridStatus::Closed { payouts, .. } => payouts
					.iter()
					.map(|p| json!({"slot": p.slot, "params": params(p.slot), "prover": p.prover.to_string(),
						"correct": p.metric.to_string(), "paid": p.paid.to_string(), "fee": p.fee.to_string()}))
					.collect(),
				GridStatus::Open => {
					let mut proven: Vec<(u32, String, u128, u32)> = job
						.slots
						.iter()
						.enumerate()
						.filter_map(|(i, s)| match &s.state {
							SlotState::Proven { prover, metric, at } => Some((i as u32, prover.to_string(), *metric, *at)),
							_ => None,
						})
						.collect();
					proven.sort_by(|a, b| b.2.cmp(&a.2).then(a.3.cmp(&b.3)).then(a.0.cmp(&b.0)));
					proven
						.into_iter()
						.map(|(slot, prover, metric, _)| json!({"slot": slot, "params": params(slot), "prover": prover, "correct": metric.to_string()}))
						.collect()
				},
			};
			let (closed, refund) = match &job.status {
				GridStatus::Closed { refund, .. } => (true, Some(*refund)),
				GridStatus::Open => (false, None),
			};
			let (spec, holdout) = accuracy_dataset(&job.circuit.0);
			let mut text = vec![format!(
				"grid {id}{} leaderboard ({}):",
				spec.map(|s| format!(" ({})", s.title())).unwrap_or_default(),
				if closed { "closed" } else { "open, so far" }
			)];
			for (rank, row) in rows.iter().enumerate() {
				let paid = row.get("paid").and_then(|p| p.as_str()).and_then(|p| p.parse::<u128>().ok());
				text.push(format!(
					"  {}. slot {} ({}): {}/{holdout} correct{}",
					rank + 1,
					row["slot"],
					row["params"].as_str().unwrap_or(""),
					row["correct"].as_str().unwrap_or(""),
					paid.map(|p| format!(", paid {}", format_cld(p))).unwrap_or_default()
				));
			}
			if rows.is_empty() {
				text.push("  no slot proven yet".into());
			}
			if let Some(refund) = refund {
				text.push(format!("  refunded to the requester: {}", format_cld(refund)));
			}
			print(
				json_mode,
				json!({"grid": id, "closed": closed, "leaderboard": rows, "refund": refund.map(|r| r.to_string())}),
				text.join("\n"),
			);
		},
		Command::Grid(GridCommand::Replay { id, dataset }) => {
			use cloudana_circuits::train::{slot_seed, train, HyperParams};
			let job = grid_job(&client, id).await?;
			let all = read_dataset(&dataset)?;
			let holdout = all.holdout()?;
			if job.inputs.first().map(|i| *i) != Some(cloudana_groth16::encoding::encode_fr(&holdout.commitment())) {
				bail!("{} is not the grid's dataset (its holdout commitment differs)", dataset.display());
			}
			let training = all.training();
			let mut rows = Vec::new();
			for (slot, s) in job.slots.iter().enumerate() {
				let text = String::from_utf8_lossy(&s.params).to_string();
				let params = HyperParams::parse(&text).with_context(|| format!("slot {slot}"))?;
				let model = train(&training, &params, slot_seed(id, slot as u32));
				rows.push(json!({"slot": slot, "params": text, "correct": model.correct(&holdout)}));
			}
			let text = rows
				.iter()
				.map(|r| {
					format!(
						"slot {} ({}): {}/{} correct (re-trained, unproven)",
						r["slot"],
						r["params"].as_str().unwrap_or(""),
						r["correct"],
						holdout.samples.len()
					)
				})
				.collect::<Vec<_>>()
				.join("\n");
			print(json_mode, json!({"grid": id, "replayed": rows}), text);
		},
		Command::Job(JobCommand::Cancel { id, signer: s }) => {
			let events = client.submit(&runtime::tx().jobs().cancel(id), &signer(&s.suri)?).await?;
			let event = event::<runtime::jobs::events::JobCancelled>(&events)?;
			print(
				json_mode,
				json!({"job": id, "refund": event.refund.to_string(), "fee": event.fee.to_string()}),
				format!("job {id} cancelled: refunded {}, fee {}", format_cld(event.refund), format_cld(event.fee)),
			);
		},
	}
	Ok(())
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

#[cfg(test)]
mod tests {
	use super::expand_grid;

	#[test]
	fn grid_arguments_expand_to_the_cartesian_product_last_key_fastest() {
		let slots = expand_grid(&["lr=0.01,0.05;epochs=10,20".into(), "hidden=4".into()]).unwrap();
		assert_eq!(
			slots,
			vec![
				"lr=0.01,epochs=10,hidden=4",
				"lr=0.01,epochs=20,hidden=4",
				"lr=0.05,epochs=10,hidden=4",
				"lr=0.05,epochs=20,hidden=4"
			]
		);
		assert_eq!(expand_grid(&["epochs=5".into(), "lr=1".into()]).unwrap(), vec!["lr=1,epochs=5,hidden=8"]);
		for bad in [vec!["lr"], vec!["lr="], vec!["lr=0.1", "lr=0.2"], vec!["lr=2", "epochs=1"], vec!["lr=0.1"], vec!["depth=3"]] {
			let args: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
			assert!(expand_grid(&args).is_err(), "{bad:?} should be refused");
		}
	}
}
