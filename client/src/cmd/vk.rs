//! `cloudana vk`: verifying keys.

use super::{hex32, read, Output, Signer};
use anyhow::anyhow;
use clap::Subcommand;
use cloudana_client::{chain_vk, event, parse_h256, runtime, signer, units::format_cld, Client};
use cloudana_groth16::{snarkjs, statement, verifier};
use serde_json::json;
use std::path::PathBuf;

/// Verifying keys.
#[derive(Subcommand)]
pub enum VkCommand {
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

impl VkCommand {
	/// Whether it runs without a node.
	pub fn offline(&self) -> bool {
		matches!(self, VkCommand::Id { .. })
	}
}

/// `vk id`, offline.
pub fn run_offline(command: VkCommand, out: Output) -> anyhow::Result<()> {
	let VkCommand::Id { vk } = command else { unreachable!("only `vk id` runs offline") };
	let vk = snarkjs::verifying_key_from_json(&read(&vk)?)?;
	let id = hex32(&statement::vk_id(&vk));
	out.print(json!({"id": id}), id.clone());
	Ok(())
}

/// Runs a `vk` command against a node.
pub async fn run(command: VkCommand, client: &Client, out: Output) -> anyhow::Result<()> {
	match command {
		VkCommand::Register { vk, signer: s } => {
			let vk = snarkjs::verifying_key_from_json(&read(&vk)?).map_err(|e| anyhow!("{}: {e}", vk.display()))?;
			// Refuse locally what the chain would refuse, with the precise reason.
			verifier::decode_verifying_key(&vk).map_err(|e| anyhow!("invalid verifying key: {e}"))?;
			let call = runtime::tx().verifier().register_vk(chain_vk(&vk));
			let events = client.submit(&call, &signer(&s.suri)?).await?;
			let event = event::<runtime::verifier::events::VkRegistered>(&events)?;
			out.print(
				json!({"id": hex32(&event.id.0), "public_inputs": event.public_inputs, "deposit": event.deposit.to_string()}),
				format!(
					"verifying key {} registered ({} public inputs, deposit {})",
					hex32(&event.id.0),
					event.public_inputs,
					format_cld(event.deposit)
				),
			);
		},
		VkCommand::Show { id } => {
			let id = parse_h256("key id", &id)?;
			let at = client.api.at_current_block().await?;
			let info = at
				.storage()
				.try_fetch(runtime::storage().verifier().verifying_keys(), (id,))
				.await?
				.ok_or_else(|| anyhow!("no verifying key {} is registered", hex32(&id.0)))?
				.decode()?;
			out.print(
				json!({"id": hex32(&id.0), "owner": info.owner.to_string(), "public_inputs": info.public_inputs,
					"consumers": info.consumers, "deposit": info.deposit.to_string()}),
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
		VkCommand::Unregister { id, signer: s } => {
			let id = parse_h256("key id", &id)?;
			client.submit(&runtime::tx().verifier().unregister_vk(id), &signer(&s.suri)?).await?;
			out.print(json!({"unregistered": hex32(&id.0)}), format!("verifying key {} unregistered", hex32(&id.0)));
		},
		VkCommand::Id { .. } => return run_offline(command, out),
	}
	Ok(())
}
