//! `cloudana dispute`: appeal a pending slash, challenge completed work, post evidence, show
//! disputes, appeal a ruling and carry a verdict out (pallet-disputes). Votes on a dispute's
//! referendum are `cloudana gov vote`.

use super::{hex32, Output, Signer};
use anyhow::{bail, Context as _};
use clap::{Subcommand, ValueEnum};
use cloudana_client::{event, parse_h256, runtime, signer, units::format_cld, Client};
use runtime::runtime_types::{
	cloudana_primitives::WorkId,
	pallet_disputes::types::{Dispute, Phase, Reason, Round, Side, Subject},
};
use serde_json::json;
use std::path::PathBuf;

/// A prover's ground to appeal a slash.
#[derive(Clone, Copy, ValueEnum)]
pub enum AppealReason {
	/// Nobody could have proven the job (the chain decides at once when it can tell).
	Unprovable,
	/// The requester caused the failure.
	RequesterFault,
	/// The result was submitted in time and not included.
	ResultNotIncluded,
}

/// A requester's ground to challenge completed work.
#[derive(Clone, Copy, ValueEnum)]
pub enum ChallengeReason {
	/// The model was not produced by the declared hyper-parameters and seed (check with
	/// `cloudana grid replay`).
	TrainingMismatch,
	/// The outputs are not what the declared computation gives.
	WrongResult,
}

/// Disputes (docs/governance.md, "Disputes").
#[derive(Subcommand)]
pub enum DisputeCommand {
	/// Appeal a pending slash of the signer (inside its deferral): holds the dispute bond,
	/// freezes the slash, and submits the `dispute` referendum with its deposits.
	AppealSlash {
		/// The pending slash's id (`Slashing` event `OffenceReported`).
		slash: u64,
		/// The ground.
		#[arg(long, value_enum)]
		reason: AppealReason,
		#[command(flatten)]
		signer: Signer,
	},
	/// Challenge completed work the signer requested (inside the challenge window): a job
	/// (`--job`) or a proven grid slot (`--grid` and `--slot`).
	#[command(group(clap::ArgGroup::new("work").required(true).args(["job", "grid"])))]
	Challenge {
		/// A completed job.
		#[arg(long, conflicts_with_all = ["grid", "slot"])]
		job: Option<u64>,
		/// A grid job.
		#[arg(long, requires = "slot")]
		grid: Option<u64>,
		/// A proven slot of `--grid`.
		#[arg(long, requires = "grid")]
		slot: Option<u32>,
		/// The ground.
		#[arg(long, value_enum)]
		reason: ChallengeReason,
		#[command(flatten)]
		signer: Signer,
	},
	/// Post evidence to a dispute (a party, inside the evidence period): a content hash and a
	/// note. The respondent's first evidence holds its bond.
	Evidence {
		/// The dispute.
		dispute: u64,
		/// A file to hash (blake2-256); its hash is posted, not the file.
		#[arg(long, conflicts_with = "hash", required_unless_present = "hash")]
		file: Option<PathBuf>,
		/// A content hash (`0x` + 64 hex digits) instead of `--file`.
		#[arg(long)]
		hash: Option<String>,
		/// A short note (at most 256 bytes).
		#[arg(long, default_value = "")]
		note: String,
		#[command(flatten)]
		signer: Signer,
	},
	/// Show an open dispute: parties, bonds, evidence and phase.
	Show {
		/// The dispute.
		dispute: u64,
	},
	/// List open disputes.
	List,
	/// Appeal the first ruling (its loser, inside the appeal window): holds the appeal bond and
	/// submits the `dispute_appeal` referendum with its deposits.
	Appeal {
		/// The dispute.
		dispute: u64,
		#[command(flatten)]
		signer: Signer,
	},
	/// Move a dispute on (anyone): rule on a referendum that ended, or carry out a ruling whose
	/// appeal window passed.
	Conclude {
		/// The dispute.
		dispute: u64,
		#[command(flatten)]
		signer: Signer,
	},
}

fn work_text(work: &WorkId) -> String {
	match work {
		WorkId::Job(id) => format!("job {id}"),
		WorkId::Slot(grid, slot) => format!("grid {grid} slot {slot}"),
	}
}

fn reason_text(reason: &Reason) -> &'static str {
	match reason {
		Reason::Unprovable => "unprovable",
		Reason::RequesterFault => "requester-fault",
		Reason::ResultNotIncluded => "result-not-included",
		Reason::TrainingMismatch => "training-mismatch",
		Reason::WrongResult => "wrong-result",
	}
}

/// A dispute as JSON and text.
fn describe(id: u64, d: &Dispute<subxt::utils::AccountId32, u128, u32>) -> (serde_json::Value, String) {
	let subject = match &d.subject {
		Subject::Slash(slash) => format!("slash {slash} (on {})", work_text(&d.work)),
		Subject::Work(work) => work_text(work),
	};
	let (phase, referendum) = match &d.phase {
		Phase::Voting { referendum, round: Round::First } => (format!("voting: referendum {referendum} (dispute track)"), Some(*referendum)),
		Phase::Voting { referendum, round: Round::Appeal { .. } } =>
			(format!("appeal voting: referendum {referendum} (dispute_appeal track)"), Some(*referendum)),
		Phase::Ruled { upheld, appeal_until } => (
			format!("ruled {}; appealable until block {appeal_until}", if *upheld { "upheld" } else { "rejected" }),
			None,
		),
	};
	let evidence: Vec<_> = d
		.evidence
		.iter()
		.map(|e| {
			let by = if matches!(e.by, Side::Disputer) { "disputer" } else { "respondent" };
			(by, hex32(&e.hash.0), String::from_utf8_lossy(&e.note).into_owned())
		})
		.collect();
	let value = json!({
		"dispute": id,
		"subject": subject,
		"reason": reason_text(&d.reason),
		"disputer": d.disputer.to_string(),
		"respondent": d.respondent.to_string(),
		"prover": d.prover.to_string(),
		"disputer_bond": d.disputer_bond.to_string(),
		"respondent_bond": d.respondent_bond.to_string(),
		"appeal_bond": d.appeal.as_ref().map(|a| a.bond.to_string()),
		"opened_at": d.opened_at,
		"phase": phase,
		"referendum": referendum,
		"evidence": evidence.iter().map(|(by, hash, note)| json!({"by": by, "hash": hash, "note": note})).collect::<Vec<_>>(),
	});
	let mut text = format!(
		"dispute {id}: {subject}, {}\n  disputer {} (bond {})\n  respondent {} (bond {})\n  opened at block {}\n  {phase}",
		reason_text(&d.reason),
		d.disputer,
		format_cld(d.disputer_bond),
		d.respondent,
		format_cld(d.respondent_bond),
		d.opened_at,
	);
	if let Some(appeal) = &d.appeal {
		text.push_str(&format!("\n  appeal bond {}", format_cld(appeal.bond)));
	}
	for (by, hash, note) in &evidence {
		text.push_str(&format!("\n  evidence by the {by}: {hash} {note}"));
	}
	(value, text)
}

/// Prints what opening a dispute did.
fn opened(out: Output, events: &cloudana_client::Events) -> anyhow::Result<()> {
	let opened = event::<runtime::disputes::events::DisputeOpened>(events)?;
	let decided = event::<runtime::disputes::events::DisputeConcluded>(events).ok().map(|c| c.upheld);
	let text = match opened.referendum {
		Some(referendum) => format!(
			"dispute {} opened (bond {}); referendum {referendum} on the dispute track: vote with `cloudana gov vote {referendum} aye|nay`",
			opened.dispute,
			format_cld(opened.bond)
		),
		None => format!("dispute {} decided at once by the chain: upheld", opened.dispute),
	};
	out.print(
		json!({"dispute": opened.dispute, "referendum": opened.referendum, "bond": opened.bond.to_string(), "decided_at_once": decided}),
		text,
	);
	Ok(())
}

/// Runs a `dispute` command.
pub async fn run(command: DisputeCommand, client: &Client, out: Output) -> anyhow::Result<()> {
	match command {
		DisputeCommand::AppealSlash { slash, reason, signer: s } => {
			let reason = match reason {
				AppealReason::Unprovable => Reason::Unprovable,
				AppealReason::RequesterFault => Reason::RequesterFault,
				AppealReason::ResultNotIncluded => Reason::ResultNotIncluded,
			};
			let events = client.submit(&runtime::tx().disputes().appeal_slash(slash, reason), &signer(&s.suri)?).await?;
			opened(out, &events)?;
		},
		DisputeCommand::Challenge { job, grid, slot, reason, signer: s } => {
			let work = match (job, grid, slot) {
				(Some(job), None, None) => WorkId::Job(job),
				(None, Some(grid), Some(slot)) => WorkId::Slot(grid, slot),
				_ => bail!("name a job (--job) or a grid slot (--grid and --slot)"),
			};
			let reason = match reason {
				ChallengeReason::TrainingMismatch => Reason::TrainingMismatch,
				ChallengeReason::WrongResult => Reason::WrongResult,
			};
			let events = client.submit(&runtime::tx().disputes().challenge(work, reason), &signer(&s.suri)?).await?;
			opened(out, &events)?;
		},
		DisputeCommand::Evidence { dispute, file, hash, note, signer: s } => {
			let hash = match (file, hash) {
				(Some(file), _) => {
					let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
					subxt::utils::H256(sp_crypto_hashing::blake2_256(&bytes))
				},
				(None, Some(hash)) => parse_h256("--hash", &hash)?,
				(None, None) => bail!("give --file or --hash"),
			};
			if note.len() > 256 {
				bail!("--note is {} bytes; at most 256", note.len());
			}
			client
				.submit(&runtime::tx().disputes().add_evidence(dispute, hash, note.into_bytes()), &signer(&s.suri)?)
				.await?;
			out.print(json!({"dispute": dispute, "hash": hex32(&hash.0)}), format!("evidence {} posted to dispute {dispute}", hex32(&hash.0)));
		},
		DisputeCommand::Show { dispute } => {
			let at = client.api.at_current_block().await?;
			let Some(record) = at.storage().try_fetch(runtime::storage().disputes().disputes(), (dispute,)).await? else {
				bail!("no open dispute {dispute} (never opened, or concluded: see its DisputeConcluded event)");
			};
			let (value, text) = describe(dispute, &record.decode()?);
			out.print(value, text);
		},
		DisputeCommand::List => {
			// Only open disputes are stored: read them all at once, in id order.
			let at = client.api.at_current_block().await?;
			let mut entries = at.storage().iter(runtime::storage().disputes().disputes(), ()).await?;
			let mut open = Vec::new();
			while let Some(entry) = entries.next().await {
				let entry = entry?;
				let (id,) = entry.key()?.decode()?;
				open.push((id, entry.value().decode()?));
			}
			open.sort_by_key(|(id, _)| *id);
			let (values, texts): (Vec<_>, Vec<_>) = open.iter().map(|(id, record)| describe(*id, record)).unzip();
			let text = if texts.is_empty() { "no open disputes".to_string() } else { texts.join("\n") };
			out.print(json!(values), text);
		},
		DisputeCommand::Appeal { dispute, signer: s } => {
			let events = client.submit(&runtime::tx().disputes().appeal(dispute), &signer(&s.suri)?).await?;
			let appealed = event::<runtime::disputes::events::Appealed>(&events)?;
			out.print(
				json!({"dispute": dispute, "referendum": appealed.referendum, "bond": appealed.bond.to_string()}),
				format!(
					"dispute {dispute} appealed (bond {}); referendum {} on the dispute_appeal track",
					format_cld(appealed.bond),
					appealed.referendum
				),
			);
		},
		DisputeCommand::Conclude { dispute, signer: s } => {
			let events = client.submit(&runtime::tx().disputes().conclude(dispute), &signer(&s.suri)?).await?;
			if let Ok(ruled) = event::<runtime::disputes::events::Ruled>(&events) {
				out.print(
					json!({"dispute": dispute, "ruled": true, "upheld": ruled.upheld, "appeal_until": ruled.appeal_until}),
					format!(
						"dispute {dispute} ruled {}; appealable until block {}",
						if ruled.upheld { "upheld" } else { "rejected" },
						ruled.appeal_until
					),
				);
			} else {
				let done = event::<runtime::disputes::events::DisputeConcluded>(&events)?;
				let fraud = event::<runtime::slashing::events::FraudSlashed>(&events).ok();
				let (to_requester, to_treasury) = fraud.as_ref().map_or((0, 0), |f| (f.to_victim, f.to_treasury));
				let mut text = format!(
					"dispute {dispute} concluded: {}; bonds paid to the winner {}",
					if done.upheld { "upheld" } else { "rejected" },
					format_cld(done.bonds_paid),
				);
				if let Some(fraud) = &fraud {
					text.push_str(&format!(
						"\nfraud: {} slashed from {} (banned): {} to the requester, {} to the treasury",
						format_cld(fraud.amount),
						fraud.offender,
						format_cld(fraud.to_victim),
						format_cld(fraud.to_treasury)
					));
				}
				out.print(
					json!({
						"dispute": dispute,
						"concluded": true,
						"upheld": done.upheld,
						"bonds_paid": done.bonds_paid.to_string(),
						"fraud_slashed": done.fraud_slashed.to_string(),
						"to_requester": to_requester.to_string(),
						"to_treasury": to_treasury.to_string(),
					}),
					text,
				);
			}
		},
	}
	Ok(())
}
