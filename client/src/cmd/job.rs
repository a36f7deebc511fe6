//! `cloudana job`: submit, follow, read, cancel and rate jobs.

use super::{hex32, read_dataset, Output, Signer};
use anyhow::{anyhow, bail, Context as _};
use clap::{Args, Subcommand};
use cloudana_circuits::{keys, mlp};
use cloudana_client::{
	event, parse_h256, parse_scalar, runtime, scalar_to_u128, signer, status_name,
	units::{format_cld, parse_cld},
	Client, JobStatus, JobTerms,
};
use serde_json::json;
use std::{
	path::{Path, PathBuf},
	time::Duration,
};

/// What a requester offers.
#[derive(Args)]
pub struct TermsArgs {
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
	/// Blocks a prover has, from locking, to submit a valid proof (at least the chain's
	/// `MinProofTimeout`, 10 blocks on Cloudana).
	#[arg(long, default_value_t = 300)]
	proof_timeout: u32,
	/// Collateral a prover holds while the job is locked, CLD (burned if it fails).
	#[arg(long, default_value = "1")]
	collateral: String,
}

impl TermsArgs {
	fn terms(&self) -> anyhow::Result<JobTerms<u128, u32>> {
		let max_price = parse_cld(&self.max_price).context("--max-price")?;
		let min_price = match &self.min_price {
			Some(p) => parse_cld(p).context("--min-price")?,
			None => max_price,
		};
		Ok(JobTerms {
			min_price,
			max_price,
			ramp_blocks: self.ramp_blocks,
			lock_timeout: self.lock_timeout,
			proof_timeout: self.proof_timeout,
			collateral: parse_cld(&self.collateral).context("--collateral")?,
		})
	}
}

/// Jobs.
#[derive(Subcommand)]
pub enum JobCommand {
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
	/// Submit a job on a circom circuit (its verifying key registered with `vk register`):
	/// names the `.wasm`, the `.zkey` and the input by SHA-256, size and URL
	/// (`<artifacts-url>/<sha256 hex>`, as `cloudana artifacts serve` serves them). Computes the
	/// witness here first, so an input the circuit refuses costs nothing, and takes the job's
	/// public inputs from it (the circuit's public inputs after `binding`).
	SubmitCircom {
		/// The witness generator (circom `--wasm` output).
		#[arg(long)]
		wasm: PathBuf,
		/// The proving key (snarkjs `.zkey`); its verifying key is the job's circuit.
		#[arg(long)]
		zkey: PathBuf,
		/// The input (snarkjs `input.json`; any `binding` in it is replaced by the prover's).
		#[arg(long)]
		input: PathBuf,
		/// Base URL the files are served under, each at `<base>/<sha256 hex>`.
		#[arg(long)]
		artifacts_url: String,
		/// `committed`: only the input file's hash, size and URL go on chain; `public`: the input
		/// JSON itself (at most 2 048 bytes).
		#[arg(long, default_value = "committed", value_parser = ["committed", "public"])]
		privacy: String,
		#[command(flatten)]
		terms: TermsArgs,
		#[command(flatten)]
		signer: Signer,
	},
	/// Write a completed job's proof as snarkjs files (proof.json, public.json,
	/// verification_key.json) read back from the chain: the proof from the `submit_result`
	/// that completed it, the public signals in the order its circuit takes them, the key from
	/// the verifier. Checks the proof before writing.
	Proof {
		/// Job id.
		id: u64,
		/// Output directory.
		#[arg(long)]
		out: PathBuf,
		/// The circuit's verification_key.json: checked to be the job's circuit, written beside
		/// the proof, and the proof verified against it before it is written.
		#[arg(long)]
		vk: Option<PathBuf>,
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
	/// Wait until a job is completed, cancelled, expired or void.
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
	/// Lock an open job as the signing prover, by hand (a prover node's off-chain worker does
	/// this for the keys it holds): the prover must then submit a valid proof within the job's
	/// proof timeout, or be slashed.
	Lock {
		/// The job's id.
		id: u64,
		#[command(flatten)]
		signer: Signer,
	},
	/// Cancel an open job you submitted (10% cancellation fee).
	Cancel {
		/// The job's id.
		id: u64,
		#[command(flatten)]
		signer: Signer,
	},
	/// Rate the prover of a job you submitted that completed and earned it reputation, 1 to 5
	/// stars, once (until the job's record is pruned).
	Rate {
		/// The job's id.
		id: u64,
		/// Stars, 1 to 5.
		#[arg(long)]
		stars: u8,
		#[command(flatten)]
		signer: Signer,
	},
}

async fn submit(
	client: &Client,
	out: Output,
	circuit: subxt::utils::H256,
	inputs: Vec<[u8; 32]>,
	terms: JobTerms<u128, u32>,
	suri: &str,
) -> anyhow::Result<()> {
	let keypair = signer(suri)?;
	let call = runtime::tx().jobs().submit(circuit, inputs, terms);
	let events = client.submit(&call, &keypair).await?;
	let event = event::<runtime::jobs::events::JobSubmitted>(&events)?;
	out.print(
		json!({"job": event.job, "max_price": event.max_price.to_string(), "deposit": event.deposit.to_string(),
			"lock_expires_at": event.lock_expires_at}),
		format!(
			"job {} submitted: {} held in escrow and {} as the record's storage deposit, lockable until block {}",
			event.job,
			format_cld(event.max_price),
			format_cld(event.deposit),
			event.lock_expires_at
		),
	);
	Ok(())
}

type ChainCircomJob = runtime::runtime_types::cloudana_primitives::artifacts::CircomJob;

/// The circuit, public inputs and artifacts of a circom job (`job submit-circom`).
fn circom_job(
	wasm: &Path,
	zkey: &Path,
	input: &Path,
	base: &str,
	privacy: &str,
) -> anyhow::Result<(subxt::utils::H256, Vec<[u8; 32]>, ChainCircomJob)> {
	use cloudana_circuits::circom::CircomCircuit;
	use runtime::runtime_types::cloudana_primitives::artifacts::{Artifact, InputData};
	let read = |path: &Path| std::fs::read(path).with_context(|| format!("cannot read {}", path.display()));
	let (zkey_bytes, wasm_bytes, input_bytes) = (read(zkey)?, read(wasm)?, read(input)?);
	let circuit = CircomCircuit::new(&zkey_bytes, &wasm_bytes).context("--zkey and --wasm")?;
	let mut json: serde_json::Value =
		serde_json::from_slice(&input_bytes).with_context(|| format!("{} is not JSON", input.display()))?;
	// The binding is the prover's: a random stand-in finds its place among the public signals.
	let probe: [u8; 31] = rand::random();
	let probe_text = num_bigint::BigUint::from_bytes_be(&probe).to_string();
	json.as_object_mut().context("the input is not a JSON object")?.insert("binding".into(), json!(probe_text));
	let witness = circuit.generator.witness(&json).with_context(|| format!("{} does not satisfy the circuit", input.display()))?;
	let public = circuit.public_signals(&witness)?;
	let mut padded = [0u8; 32];
	padded[1..].copy_from_slice(&probe);
	let Some(at) = public.iter().position(|p| *p == padded) else {
		bail!("the circuit has no public input `binding` (circuits/circom/README.md, \"The binding rule\")");
	};
	let inputs = public[at + 1..].to_vec();
	let base = base.trim_end_matches('/');
	let artifact = |bytes: &[u8]| -> anyhow::Result<Artifact> {
		let hash = super::artifacts::sha256(bytes);
		let location = format!("{base}/{}", hex::encode(hash)).into_bytes();
		anyhow::ensure!(location.len() <= 256, "--artifacts-url is too long: a location is at most 256 bytes");
		Ok(Artifact { sha256: hash, size: bytes.len() as u64, location })
	};
	let input = match privacy {
		"public" => {
			anyhow::ensure!(input_bytes.len() <= 2048, "a public input is at most 2048 bytes on chain; {} has {}", input.display(), input_bytes.len());
			InputData::Public(input_bytes.clone())
		},
		_ => InputData::Committed(artifact(&input_bytes)?),
	};
	let job = ChainCircomJob { wasm: artifact(&wasm_bytes)?, zkey: artifact(&zkey_bytes)?, input };
	eprintln!(
		"circom circuit {}: {} constraints, {} outputs, {} public inputs besides the binding",
		hex32(&circuit.vk_id),
		circuit.zkey.constraints(),
		at,
		inputs.len()
	);
	Ok((subxt::utils::H256(circuit.vk_id), inputs, job))
}

/// `job proof`: the completing proof of job `id`, read back from its block (the `submit_result`
/// for it whose outputs are the record's; with `vk`, the one that verifies), written as snarkjs
/// files.
async fn write_proof(client: &Client, id: u64, dir: &Path, vk: Option<&Path>) -> anyhow::Result<(serde_json::Value, String)> {
	use cloudana_groth16::{snarkjs, statement, verifier};
	let record = job(client, id).await?;
	let JobStatus::Completed { prover, outputs, at, .. } = &record.status else {
		bail!("job {id} is {}, not completed: it has no proof", status_name(&record.status));
	};
	let block = client.api.at_block(*at as u64).await.with_context(|| format!("block {at}"))?;
	let extrinsics = block.extrinsics().fetch().await?;
	let latest = client.api.at_current_block().await?;
	let circom = latest.storage().try_fetch(runtime::storage().jobs().circom_jobs(), (id,)).await?.is_some();
	let vk = match vk {
		Some(path) => {
			let vk = snarkjs::verifying_key_from_json(&super::read(path)?).with_context(|| path.display().to_string())?;
			if statement::vk_id(&vk) != record.circuit.0 {
				bail!("{} is key {}, not job {id}'s circuit {}", path.display(), hex32(&statement::vk_id(&vk)), hex32(&record.circuit.0));
			}
			Some(vk)
		},
		None => None,
	};
	let binding = cloudana_primitives::WorkId::Job(id).binding(&client.genesis_hash().0, &prover.0);
	let mut public = Vec::new();
	if circom {
		public.extend(outputs.iter().copied());
	}
	public.push(binding);
	public.extend(record.inputs.iter().copied());
	if !circom {
		public.extend(outputs.iter().copied());
	}
	let calls: Vec<_> = extrinsics.find::<runtime::jobs::calls::SubmitResult>().collect::<Result<_, _>>()?;
	for call in calls.into_iter().rev() {
		if call.job != id || call.outputs != *outputs {
			continue;
		}
		let proof = cloudana_groth16::Proof { a: call.proof.a, b: call.proof.b, c: call.proof.c };
		if vk.as_ref().is_some_and(|vk| verifier::verify(vk, &public, &proof).is_err()) {
			continue;
		}
		std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
		let write = |name: &str, value: serde_json::Value| -> anyhow::Result<()> {
			let path = dir.join(name);
			std::fs::write(&path, serde_json::to_string_pretty(&value)? + "\n").with_context(|| format!("cannot write {}", path.display()))
		};
		write("proof.json", snarkjs::proof_to_json(&proof))?;
		write("public.json", snarkjs::public_inputs_to_json(&public))?;
		if let Some(vk) = &vk {
			write("verification_key.json", snarkjs::verifying_key_to_json(vk))?;
		}
		let signals: Vec<String> = public.iter().map(|p| snarkjs::format_decimal(p)).collect();
		return Ok((
			json!({"job": id, "block": at, "public_signals": signals, "out": dir.display().to_string()}),
			format!(
				"job {id}: the proof of block {at}{} written to {}",
				if vk.is_some() { ", verified," } else { "" },
				dir.display()
			),
		));
	}
	bail!("no submit_result in block {at} proves job {id}")
}

fn describe(job: &cloudana_client::Job) -> (serde_json::Value, String) {
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
			"price: {} → {} over {} blocks; collateral {}; storage deposit {}",
			format_cld(job.terms.min_price),
			format_cld(job.terms.max_price),
			job.terms.ramp_blocks,
			format_cld(job.terms.collateral),
			format_cld(job.deposit)
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
		"deposit": job.deposit.to_string(),
		"submitted_at": job.submitted_at,
	});
	match &job.status {
		JobStatus::Completed { at, .. } | JobStatus::Cancelled { at, .. } | JobStatus::Expired { at, .. } | JobStatus::Void { at, .. } =>
			value["ended_at"] = json!(at),
		JobStatus::Open | JobStatus::Locked(_) => {},
	}
	match &job.status {
		JobStatus::Locked(lock) => {
			lines.push(format!(
				"locked by {} at {}, proof due before block {}",
				lock.prover,
				format_cld(lock.price),
				lock.expires_at
			));
			value["prover"] = json!(lock.prover.to_string());
			value["price"] = json!(lock.price.to_string());
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
		JobStatus::Cancelled { refund, fee, at } =>
			lines.push(format!("cancelled at block {at}: refunded {}, fee {}", format_cld(*refund), format_cld(*fee))),
		JobStatus::Expired { refund, at } => lines.push(format!("expired at block {at}: refunded {}", format_cld(*refund))),
		JobStatus::Void { prover, reason, at } => {
			lines.push(format!("void at block {at}: {prover}'s result failed for a reason not the proof's ({reason:?}); refunded in full"));
			value["prover"] = json!(prover.to_string());
			value["reason"] = json!(format!("{reason:?}"));
		},
		JobStatus::Open => {},
	}
	(value, lines.join("\n"))
}

async fn job(client: &Client, id: u64) -> anyhow::Result<cloudana_client::Job> {
	client.job(id).await?.ok_or_else(|| anyhow!("no job {id} (never submitted, or pruned after its retention period)"))
}

/// Runs a `job` command.
pub async fn run(command: JobCommand, client: &Client, out: Output) -> anyhow::Result<()> {
	match command {
		JobCommand::Submit { circuit, inputs, terms, signer: s } => {
			let circuit = parse_h256("--circuit", &circuit)?;
			let inputs = inputs.iter().map(|i| parse_scalar(i)).collect::<anyhow::Result<Vec<_>>>()?;
			submit(client, out, circuit, inputs, terms.terms()?, &s.suri).await?;
		},
		JobCommand::SubmitAccuracy { model, dataset, terms, signer: s } => {
			let model = mlp::Model::read(&model)?;
			let data = read_dataset(&dataset)?.holdout()?;
			model.check(data.spec).with_context(|| format!("the model does not fit {}", data.spec.title()))?;
			let inputs = vec![
				cloudana_groth16::encoding::encode_fr(&data.commitment()),
				cloudana_groth16::encoding::encode_fr(&model.commitment()),
			];
			let circuit = subxt::utils::H256(keys::accuracy_circuit_id(data.spec));
			submit(client, out, circuit, inputs, terms.terms()?, &s.suri).await?;
		},
		JobCommand::SubmitCircom { wasm, zkey, input, artifacts_url, privacy, terms, signer: s } => {
			let (circuit, inputs, circom) = circom_job(&wasm, &zkey, &input, &artifacts_url, &privacy)?;
			let keypair = signer(&s.suri)?;
			let call = runtime::tx().jobs().submit_circom(circuit, inputs, terms.terms()?, circom);
			let events = client.submit(&call, &keypair).await?;
			let event = event::<runtime::jobs::events::JobSubmitted>(&events)?;
			out.print(
				json!({"job": event.job, "circuit": hex32(&circuit.0), "max_price": event.max_price.to_string(),
					"deposit": event.deposit.to_string(), "lock_expires_at": event.lock_expires_at}),
				format!(
					"job {} submitted on circom circuit {}: {} held in escrow and {} as the storage deposit, lockable until block {}",
					event.job,
					hex32(&circuit.0),
					format_cld(event.max_price),
					format_cld(event.deposit),
					event.lock_expires_at
				),
			);
		},
		JobCommand::Proof { id, out: dir, vk } => {
			let (value, human) = write_proof(client, id, &dir, vk.as_deref()).await?;
			out.print(value, human);
		},
		JobCommand::Status { id } => {
			let (mut value, human) = describe(&job(client, id).await?);
			value["job"] = json!(id);
			out.print(value, format!("job {id}\n{human}"));
		},
		JobCommand::Result { id } => {
			let record = job(client, id).await?;
			if !matches!(record.status, JobStatus::Completed { .. }) {
				bail!("job {id} is {}, not completed: it has no result", status_name(&record.status));
			}
			let (mut value, human) = describe(&record);
			value["job"] = json!(id);
			out.print(value, format!("job {id}\n{human}"));
		},
		JobCommand::Wait { id, timeout } => {
			let deadline = std::time::Instant::now() + Duration::from_secs(timeout);
			let mut last = String::new();
			loop {
				let record = job(client, id).await?;
				let status = status_name(&record.status);
				if status != last {
					eprintln!("job {id}: {status} (block {})", client.block_number().await?);
					last = status.to_string();
				}
				if !matches!(record.status, JobStatus::Open | JobStatus::Locked(_)) {
					let (mut value, human) = describe(&record);
					value["job"] = json!(id);
					out.print(value, format!("job {id}\n{human}"));
					break;
				}
				if std::time::Instant::now() > deadline {
					bail!("job {id} is still {status} after {timeout} s");
				}
				tokio::time::sleep(Duration::from_millis(1000)).await;
			}
		},
		JobCommand::Lock { id, signer: s } => {
			let events = client.submit(&runtime::tx().jobs().lock(id), &signer(&s.suri)?).await?;
			let event = event::<runtime::jobs::events::Locked>(&events)?;
			out.print(
				json!({"job": id, "prover": event.prover.to_string(), "price": event.price.to_string(), "expires_at": event.expires_at}),
				format!("job {id} locked by {} at {}; prove it before block {}", event.prover, format_cld(event.price), event.expires_at),
			);
		},
		JobCommand::Cancel { id, signer: s } => {
			let events = client.submit(&runtime::tx().jobs().cancel(id), &signer(&s.suri)?).await?;
			let event = event::<runtime::jobs::events::JobCancelled>(&events)?;
			out.print(
				json!({"job": id, "refund": event.refund.to_string(), "fee": event.fee.to_string()}),
				format!("job {id} cancelled: refunded {}, fee {}", format_cld(event.refund), format_cld(event.fee)),
			);
		},
		JobCommand::Rate { id, stars, signer: s } => {
			use runtime::runtime_types::cloudana_primitives::WorkId;
			if !(1..=5).contains(&stars) {
				bail!("--stars {stars}: give 1 to 5 stars");
			}
			let events = client.submit(&runtime::tx().reputation().rate(WorkId::Job(id), stars), &signer(&s.suri)?).await?;
			let event = event::<runtime::reputation::events::Rated>(&events)?;
			out.print(
				json!({"job": id, "prover": event.prover.to_string(), "stars": stars}),
				format!("job {id}: {} rated {stars} star(s)", event.prover),
			);
		},
	}
	Ok(())
}
