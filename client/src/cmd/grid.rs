//! `cloudana grid`: multi-slot (grid) jobs, a hyper-parameter search over a dataset's accuracy
//! circuit.

use super::{accuracy_dataset, read_dataset, Output, Signer};
use anyhow::{anyhow, bail, Context as _};
use clap::Subcommand;
use cloudana_circuits::keys;
use cloudana_client::{
	event, runtime, signer,
	units::{format_cld, parse_cld},
	Client,
};
use cloudana_primitives::grid::RankKey;
use serde_json::json;
use std::path::PathBuf;

type GridJob = runtime::runtime_types::pallet_jobs::types::GridJob;

/// Multi-slot (grid) jobs: a hyper-parameter search over a dataset's accuracy circuit (Iris,
/// Wine or Breast Cancer), with 50% of the bounty to the best proven accuracy and the rest
/// split among the others.
#[derive(Subcommand)]
pub enum GridCommand {
	/// Submit a grid job: one slot per combination of the --grid values (the last key varies
	/// fastest); prints the grid id. Each slot's prover trains the model with its
	/// hyper-parameters (deterministically) and proves its accuracy on the dataset's holdout.
	Submit {
		/// Dataset: a CSV file, or `iris`, `wine` or `breast_cancer` (found in
		/// $CLOUDANA_DATASETS, default `data`: the repository's data/ when run from its root). Its
		/// holdout's commitment is the job's input, and its accuracy circuit the job's circuit.
		#[arg(long)]
		dataset: PathBuf,
		/// Hyper-parameter values: `key=v1,v2,…` (keys `lr`, `epochs`, `hidden`); repeat the
		/// flag per key, or separate keys with `;` (`lr=0.01,0.05;epochs=10,20`).
		#[arg(long = "grid", required = true)]
		grid: Vec<String>,
		/// Bounty, CLD: held in escrow, paid out at the close.
		#[arg(long)]
		bounty: String,
		/// Collateral a prover holds while it has a slot locked, CLD (burned if it fails).
		#[arg(long, default_value = "0")]
		collateral: String,
		/// Blocks a prover has, from locking a slot, to prove it (at least the chain's
		/// `MinProofTimeout`).
		#[arg(long, default_value_t = 100)]
		proof_timeout: u32,
		/// Blocks until the grid closes (earlier if every slot is settled); at least
		/// --proof-timeout. No slot is locked later than --proof-timeout blocks before the close.
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
	/// Lock an open slot as the signing prover, by hand (a prover node's off-chain worker does
	/// this for the keys it holds); prints the binding input its proof must take
	/// (`cloudana-prover prove-accuracy --binding`).
	Lock {
		/// The grid's id.
		id: u64,
		/// The slot.
		slot: u32,
		#[command(flatten)]
		signer: Signer,
	},
	/// Submit a locked slot's result by hand: the `proof.json` and `public.json` (snarkjs
	/// format) that `cloudana-prover prove-accuracy --out DIR` wrote. The public inputs must be
	/// the slot's binding for the signer, the grid's inputs, then the outputs.
	SubmitResult {
		/// The grid's id.
		id: u64,
		/// The slot.
		slot: u32,
		/// The directory holding proof.json and public.json.
		#[arg(long)]
		proof: PathBuf,
		#[command(flatten)]
		signer: Signer,
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

/// The binding public input of slot `slot` of grid `id` for `prover` on the client's chain:
/// `H(genesis ‖ work ‖ prover)`, as the runtime computes it.
fn slot_binding(client: &Client, id: u64, slot: u32, prover: &subxt::utils::AccountId32) -> [u8; 32] {
	cloudana_primitives::WorkId::Slot(id, slot).binding(&client.genesis_hash().0, &prover.0)
}

async fn grid_job(client: &Client, id: u64) -> anyhow::Result<GridJob> {
	let at = client.api.at_current_block().await?;
	let job = at
		.storage()
		.try_fetch(runtime::storage().jobs().grid_jobs(), (id,))
		.await?
		.ok_or_else(|| anyhow!("no grid job {id} (never submitted, or pruned after its retention period)"))?
		.decode()?;
	Ok(job)
}

/// Runs a `grid` command.
pub async fn run(command: GridCommand, client: &Client, out: Output) -> anyhow::Result<()> {
	use runtime::runtime_types::pallet_jobs::types::{GridStatus, GridTerms, SlotState};
	match command {
		GridCommand::Submit { dataset, grid, bounty, collateral, proof_timeout, duration, signer: s } => {
			let slots = cloudana_client::expand_grid(&grid)?;
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
			out.print(
				json!({"grid": event.grid, "dataset": data.spec.name(), "slots": slots, "bounty": event.bounty.to_string(),
					"deposit": event.deposit.to_string(), "closes_at": event.closes_at}),
				format!(
					"grid {} submitted on {}: {} slots ({}), {} held, storage deposit {}, closes at block {}",
					event.grid,
					data.spec.title(),
					slots.len(),
					slots.join(" | "),
					format_cld(event.bounty),
					format_cld(event.deposit),
					event.closes_at
				),
			);
		},
		GridCommand::Lock { id, slot, signer: s } => {
			let keypair = signer(&s.suri)?;
			let prover = keypair.public_key().to_account_id();
			let events = client.submit(&runtime::tx().jobs().lock_slot(id, slot), &keypair).await?;
			let event = event::<runtime::jobs::events::Locked>(&events)?;
			let binding = slot_binding(client, id, slot, &prover);
			out.print(
				json!({"grid": id, "slot": slot, "prover": prover.to_string(), "expires_at": event.expires_at,
					"binding": super::hex32(&binding)}),
				format!(
					"slot {slot} of grid {id} locked by {prover}; prove it before block {} with binding {}",
					event.expires_at,
					super::hex32(&binding)
				),
			);
		},
		GridCommand::SubmitResult { id, slot, proof, signer: s } => {
			use cloudana_groth16::snarkjs;
			let keypair = signer(&s.suri)?;
			let prover = keypair.public_key().to_account_id();
			let read = |name: &str| super::read(&proof.join(name));
			let parsed = snarkjs::proof_from_json(&read("proof.json")?).map_err(|e| anyhow!("proof.json: {e}"))?;
			let public = snarkjs::public_inputs_from_json(&read("public.json")?).map_err(|e| anyhow!("public.json: {e}"))?;
			let job = grid_job(client, id).await?;
			let binding = slot_binding(client, id, slot, &prover);
			let (first, rest) = public.split_first().ok_or_else(|| anyhow!("public.json is empty"))?;
			if *first != binding {
				bail!(
					"public.json's binding {} is not slot {slot} of grid {id} for {prover} ({}): prove with --binding {}",
					super::hex32(first),
					super::hex32(&binding),
					super::hex32(&binding)
				);
			}
			if rest.len() < job.inputs.len() || rest[..job.inputs.len()] != job.inputs[..] {
				bail!("public.json's inputs are not grid {id}'s inputs (its dataset commitment)");
			}
			let outputs = rest[job.inputs.len()..].to_vec();
			let chain_proof = cloudana_client::ChainProof { a: parsed.a, b: parsed.b, c: parsed.c };
			let call = runtime::tx().jobs().submit_slot_result(id, slot, outputs, chain_proof);
			client.submit(&call, &keypair).await?;
			let after = grid_job(client, id).await?;
			match after.slots.get(slot as usize).map(|s| &s.state) {
				Some(SlotState::Proven { metric, .. }) => out.print(
					json!({"grid": id, "slot": slot, "proven": true, "metric": metric.to_string()}),
					format!("slot {slot} of grid {id} proven: metric {metric}"),
				),
				// The grid closed with this result: the slot is in the leaderboard.
				_ if matches!(after.status, GridStatus::Closed { .. }) => out.print(
					json!({"grid": id, "slot": slot, "proven": true, "closed": true}),
					format!("slot {slot} of grid {id} proven; the grid closed"),
				),
				_ => bail!("the result was included but slot {slot} is not proven: see the chain's events"),
			}
		},
		GridCommand::Status { id } => {
			let job = grid_job(client, id).await?;
			let slots: Vec<serde_json::Value> = job
				.slots
				.iter()
				.enumerate()
				.map(|(i, slot)| {
					let params = String::from_utf8_lossy(&slot.params).to_string();
					match &slot.state {
						SlotState::Open => json!({"slot": i, "params": params, "state": "open"}),
						SlotState::Locked(lock) => json!({"slot": i, "params": params, "state": "locked",
							"prover": lock.prover.to_string(), "expires_at": lock.expires_at}),
						SlotState::Proven { prover, metric, at } => json!({"slot": i, "params": params, "state": "proven",
							"prover": prover.to_string(), "correct": metric.to_string(), "at": at}),
						SlotState::Void { prover, reason } => json!({"slot": i, "params": params, "state": "void",
							"prover": prover.to_string(), "reason": format!("{reason:?}")}),
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
			out.print(
				json!({"grid": id, "dataset": spec.map(|s| s.name()), "status": status, "closes_at": job.closes_at, "slots": slots}),
				text,
			);
		},
		GridCommand::Results { id } => {
			let job = grid_job(client, id).await?;
			let params = |slot: u32| String::from_utf8_lossy(&job.slots[slot as usize].params).to_string();
			let rows: Vec<serde_json::Value> = match &job.status {
				GridStatus::Closed { payouts, .. } => payouts
					.iter()
					.map(|p| json!({"slot": p.slot, "params": params(p.slot), "prover": p.prover.to_string(),
						"correct": p.metric.to_string(), "paid": p.paid.to_string(), "fee": p.fee.to_string()}))
					.collect(),
				GridStatus::Open => {
					// The ranking the chain applies at the close.
					let mut proven: Vec<(RankKey<u32>, String)> = job
						.slots
						.iter()
						.enumerate()
						.filter_map(|(i, s)| match &s.state {
							SlotState::Proven { prover, metric, at } =>
								Some((RankKey { metric: *metric, at: *at, slot: i as u32 }, prover.to_string())),
							_ => None,
						})
						.collect();
					proven.sort_by(|a, b| a.0.cmp(&b.0));
					proven
						.into_iter()
						.map(|(key, prover)| json!({"slot": key.slot, "params": params(key.slot), "prover": prover, "correct": key.metric.to_string()}))
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
			out.print(
				json!({"grid": id, "closed": closed, "leaderboard": rows, "refund": refund.map(|r| r.to_string())}),
				text.join("\n"),
			);
		},
		GridCommand::Replay { id, dataset } => {
			use cloudana_circuits::train::{slot_seed, train, HyperParams};
			let job = grid_job(client, id).await?;
			let all = read_dataset(&dataset)?;
			let holdout = all.holdout()?;
			if job.inputs.first().copied() != Some(cloudana_groth16::encoding::encode_fr(&holdout.commitment())) {
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
			out.print(json!({"grid": id, "replayed": rows}), text);
		},
	}
	Ok(())
}
