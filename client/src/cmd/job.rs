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
use std::{path::PathBuf, time::Duration};

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
	});
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
