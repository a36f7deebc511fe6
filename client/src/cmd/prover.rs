//! `cloudana prover`: registration, the node's prover key, standing and reputation.

use super::{hex32, Output, Signer};
use anyhow::{anyhow, Context as _};
use clap::Subcommand;
use cloudana_client::{account, parse_h256, runtime, signer, units::format_cld, units::parse_cld, Client};
use serde_json::json;

/// Provers.
#[derive(Subcommand)]
pub enum ProverCommand {
	/// Register the signer as a prover with a stake and the circuits it serves.
	Register {
		/// Stake to hold, CLD (at least the chain's minimum, 50 CLD on Cloudana). Each active lock
		/// reserves the stake its price's tier requires.
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
	/// A prover's pending slashes (not yet applied; appealable with `cloudana dispute
	/// appeal-slash` inside their deferral), with the work, offence, amount and due block.
	Slashes {
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

/// Runs a `prover` command.
pub async fn run(command: ProverCommand, client: &Client, out: Output) -> anyhow::Result<()> {
	match command {
		ProverCommand::Slashes { account: who, signer: s } => {
			let who = match who {
				Some(text) => account(&text)?,
				None => signer(&s.suri)?.public_key().to_account_id(),
			};
			// Only pending slashes are stored: read them all at once, keep the prover's.
			let at = client.api.at_current_block().await?;
			let mut entries = at.storage().iter(runtime::storage().slashing().pending_slashes(), ()).await?;
			let mut rows = Vec::new();
			while let Some(entry) = entries.next().await {
				let entry = entry?;
				let pending = entry.value().decode()?;
				if pending.offender != who {
					continue;
				}
				let (id,) = entry.key()?.decode()?;
				let frozen = at.storage().try_fetch(runtime::storage().slashing().frozen_slashes(), (id,)).await?.is_some();
				rows.push((id, pending, frozen));
			}
			rows.sort_by_key(|(id, ..)| *id);
			let value = json!(rows
				.iter()
				.map(|(id, p, frozen)| json!({"slash": id, "offence": format!("{:?}", p.kind), "work": format!("{:?}", p.work),
					"amount": p.amount.to_string(), "apply_at": p.apply_at, "frozen": frozen}))
				.collect::<Vec<_>>());
			let text = if rows.is_empty() {
				format!("{who} has no pending slash")
			} else {
				rows.iter()
					.map(|(id, p, frozen)| {
						let when = if *frozen { "frozen by an appeal".to_string() } else { format!("due at block {}", p.apply_at) };
						format!("slash {id}: {:?} on {:?}, {}, {when}", p.kind, p.work, format_cld(p.amount))
					})
					.collect::<Vec<_>>()
					.join("\n")
			};
			out.print(value, text);
		},
		ProverCommand::Register { stake, circuits, signer: s } => {
			let stake = parse_cld(&stake).context("--stake")?;
			let circuits = circuits.iter().map(|c| parse_h256("--circuit", c)).collect::<anyhow::Result<Vec<_>>>()?;
			let keypair = signer(&s.suri)?;
			client.submit(&runtime::tx().prover_staking().register(stake, circuits.clone()), &keypair).await?;
			let who = keypair.public_key().to_account_id();
			out.print(
				json!({"prover": who.to_string(), "stake": stake.to_string()}),
				format!("{who} registered as a prover with {} staked, serving {} circuit(s)", format_cld(stake), circuits.len()),
			);
		},
		ProverCommand::InsertKey { signer: s } => {
			let keypair = signer(&s.suri)?;
			client.insert_key("cprv", &s.suri, &keypair.public_key().0).await?;
			let who = keypair.public_key().to_account_id();
			out.print(json!({"prover": who.to_string()}), format!("prover key of {who} inserted into the node's keystore"));
		},
		ProverCommand::Show { account: who, signer: s } => {
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
			out.print(
				json!({"prover": who.to_string(), "stake": prover.stake.to_string(), "reserved": prover.reserved.to_string(),
					"unbonding": unbonding.to_string(), "circuits": prover.circuits.iter().map(|c| hex32(&c.0)).collect::<Vec<_>>(),
					"registered_at": prover.registered_at, "chilled": prover.chilled, "suspended_until": prover.suspended_until,
					"banned": prover.banned, "last_heartbeat": prover.last_heartbeat}),
				format!(
					"{who}: stake {} ({} reserved by active locks), unbonding {}, registered at block {}, {state}, circuits {}",
					format_cld(prover.stake),
					format_cld(prover.reserved),
					format_cld(unbonding),
					prover.registered_at,
					prover.circuits.iter().map(|c| hex32(&c.0)).collect::<Vec<_>>().join(", ")
				),
			);
		},
		ProverCommand::Reputation { account: who, signer: s } => {
			let who = account(who.as_deref().unwrap_or(&s.suri))?;
			let at = client.api.at_current_block().await?;
			let reputation = at
				.runtime_apis()
				.call(runtime::runtime_apis().reputation_api().reputation(who.clone()))
				.await?
				.ok_or_else(|| anyhow!("{who} has no reputation record (score 0, Bronze)"))?;
			let r = &reputation.record;
			let tier = format!("{:?}", reputation.tier);
			out.print(
				json!({"prover": who.to_string(), "score": reputation.score, "tier": tier, "formula": reputation.formula,
					"completed": r.completed, "on_time": r.on_time, "timeouts": r.timeouts, "invalid_proofs": r.invalid_proofs,
					"repeated_failures": r.repeated_failures, "disputes_lost": r.disputes_lost, "ratings": r.ratings,
					"stars": r.stars, "heartbeats": r.heartbeats, "since": r.since, "last_active": r.last_active}),
				format!(
					"{who}: score {} ({tier}; formula {}), {} completed ({} on time), {} timeouts, {} invalid proofs, \
					 {} ratings ({} stars), {} heartbeats since block {}, last active in block {}",
					reputation.score,
					reputation.formula,
					r.completed,
					r.on_time,
					r.timeouts,
					r.invalid_proofs,
					r.ratings,
					r.stars,
					r.heartbeats,
					r.since,
					r.last_active
				),
			);
		},
	}
	Ok(())
}
