//! `cloudana bridge`: the Wormhole bridge. Offline for now: `verify-vaa` checks a VAA against a
//! guardian set as the chain will (`cloudana-wormhole`).

use super::{hex32, read, Output};
use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use cloudana_wormhole::{verify, Address, GuardianSet, Vaa, K256};
use serde_json::json;
use std::path::{Path, PathBuf};

/// The Wormhole bridge.
#[derive(Subcommand)]
pub enum BridgeCommand {
	/// Verify a Wormhole VAA (v1) offline against a guardian set: exit 0 if valid, else 1 with
	/// a one-line reason. The set is taken as the current one (no expiry).
	VerifyVaa {
		/// The guardian set: one 0x address (20 bytes) per line, in index order; blank lines and
		/// lines starting with `#` are skipped.
		#[arg(long)]
		guardian_set: PathBuf,
		/// The guardian set's index.
		#[arg(long)]
		guardian_set_index: u32,
		/// The VAA: a file with its bytes in hex (0x optional, whitespace ignored).
		#[arg(long)]
		vaa: PathBuf,
	},
}

impl BridgeCommand {
	/// Whether the command works without a node.
	pub fn offline(&self) -> bool {
		matches!(self, BridgeCommand::VerifyVaa { .. })
	}
}

fn guardian_set(path: &Path) -> anyhow::Result<Vec<Address>> {
	let mut keys = Vec::new();
	for (number, line) in read(path)?.lines().enumerate() {
		let line = line.trim();
		if line.is_empty() || line.starts_with('#') {
			continue;
		}
		let bytes = hex::decode(line.trim_start_matches("0x"))
			.map_err(|e| anyhow!("{} line {}: not hex ({e})", path.display(), number + 1))?;
		let key: Address = bytes
			.try_into()
			.map_err(|b: Vec<u8>| anyhow!("{} line {}: {} bytes, an address is 20", path.display(), number + 1, b.len()))?;
		keys.push(key);
	}
	if keys.is_empty() {
		bail!("{}: no guardian addresses", path.display());
	}
	Ok(keys)
}

/// Runs an offline `bridge` command.
pub fn run_offline(command: BridgeCommand, out: Output) -> anyhow::Result<()> {
	match command {
		BridgeCommand::VerifyVaa { guardian_set: set_path, guardian_set_index, vaa } => {
			let keys = guardian_set(&set_path)?;
			let text: String = read(&vaa)?.split_whitespace().collect();
			let bytes = hex::decode(text.trim_start_matches("0x")).with_context(|| format!("{}: not hex", vaa.display()))?;
			let vaa = Vaa::parse(&bytes).map_err(|e| anyhow!("not a VAA: {e}"))?;
			let set = GuardianSet { index: guardian_set_index, keys: &keys, expiration_time: 0 };
			let digest = verify(&K256, &vaa, &set, guardian_set_index, 0).map_err(|e| anyhow!("invalid VAA: {e}"))?;
			let body = &vaa.body;
			out.print(
				json!({
					"valid": true,
					"guardian_set_index": vaa.guardian_set_index,
					"signatures": vaa.signatures.len(),
					"guardians": keys.len(),
					"emitter_chain": body.emitter_chain,
					"emitter_address": hex32(&body.emitter_address),
					"sequence": body.sequence,
					"timestamp": body.timestamp,
					"digest": hex32(&digest),
					"payload": hex32(&body.payload),
				}),
				format!(
					"valid VAA: {} of {} guardians of set {}; emitter chain {} {}, sequence {}; digest {}",
					vaa.signatures.len(),
					keys.len(),
					vaa.guardian_set_index,
					body.emitter_chain,
					hex32(&body.emitter_address),
					body.sequence,
					hex32(&digest)
				),
			);
			Ok(())
		},
	}
}
