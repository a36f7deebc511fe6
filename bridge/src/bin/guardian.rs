//! `cloudana-guardian`: a local Wormhole guardian set for devnets and tests. It follows
//! Cloudana's finalized blocks and signs every message the bridge publishes
//! (`WormholeBridge::Outbox`) with all its keys, writing each VAA into the VAA directory; with
//! `--solana`, the Solana spoke's outbox messages too.

use anyhow::{bail, Context as _};
use clap::Parser;
use cloudana_bridge::{exit_on_error, init_logging, read_keys, read_progress, write_progress, Common};
use cloudana_client::{
	bridge::{emitter_address, outbound_body, write_vaa},
	runtime, Client,
};
use cloudana_wormhole::{devnet, Address, Signature, Vaa, K256};
use std::{path::PathBuf, time::Duration};

/// A local Wormhole guardian set: signs Cloudana's finalized outbound bridge messages into
/// VAAs (`DIR/<chain>/<emitter>/<sequence>.vaa`).
#[derive(Parser)]
#[command(version)]
struct Args {
	#[command(flatten)]
	common: Common,
	/// The guardians' secret keys: one 0x-hex secp256k1 key per line, in index order.
	#[arg(long, conflicts_with = "dev")]
	keys: Option<PathBuf>,
	/// Use the first N of Wormhole's public devnet guardian keys (Cloudana's development set
	/// is the first 5). Public keys: for devnets only.
	#[arg(long, default_value_t = devnet::DEV_GUARDIANS)]
	dev: usize,
}

/// `body` signed by every key, in index order, as guardian set `index`.
fn sign(keys: &[[u8; 32]], index: u32, body: cloudana_wormhole::Body) -> Vaa {
	let digest = body.digest(&K256);
	let signatures = keys
		.iter()
		.enumerate()
		.map(|(i, key)| Signature { guardian_index: i as u8, signature: K256.sign(key, &digest).expect("checked keys") })
		.collect();
	Vaa { guardian_set_index: index, signatures, body }
}

#[tokio::main]
async fn main() {
	init_logging();
	exit_on_error(run(Args::parse()).await);
}

async fn run(args: Args) -> anyhow::Result<()> {
	let keys = match &args.keys {
		Some(path) => read_keys(path)?,
		None => {
			if args.dev == 0 || args.dev > devnet::GUARDIAN_KEYS.len() {
				bail!("--dev: 1 to {} devnet guardians", devnet::GUARDIAN_KEYS.len());
			}
			devnet::GUARDIAN_KEYS[..args.dev].to_vec()
		},
	};
	let addresses: Vec<Address> = keys.iter().map(|k| K256.address_of(k).expect("checked keys")).collect();
	let client = Client::connect(&args.common.url).await?;
	let progress = args.common.vaa_dir.join("cloudana-guardian.next");
	let mut next = read_progress(&progress, 0)?;
	let solana = args.common.solana();
	let solana_progress = args.common.vaa_dir.join("solana-guardian.next");
	let mut next_solana = read_progress(&solana_progress, 0)?;
	tracing::info!(guardians = keys.len(), next, dir = %args.common.vaa_dir.display(), "guardian set started");
	loop {
		let at = client.api.at_current_block().await?;
		let bridge = runtime::storage().wormhole_bridge();
		let index = at.storage().fetch(bridge.current_guardian_set(), ()).await?.decode()?;
		let on_chain = at
			.storage()
			.try_fetch(bridge.guardian_sets(), (index,))
			.await?
			.context("the chain has no current guardian set")?
			.decode()?;
		if on_chain.keys != addresses {
			bail!(
				"these {} keys are not the chain's guardian set {index} ({} guardians): the VAAs would be refused",
				addresses.len(),
				on_chain.keys.len()
			);
		}
		let emitter = emitter_address(&at)?;
		let end = at.storage().fetch(bridge.next_sequence(), ()).await?.decode()?;
		while next < end {
			match outbound_body(&at, emitter, next).await? {
				Some((body, block)) => {
					let digest = body.digest(&K256);
					let path = write_vaa(&args.common.vaa_dir, &sign(&keys, index, body))?;
					tracing::info!(sequence = next, block, digest = %hex::encode(digest), path = %path.display(), "signed");
				},
				None => tracing::warn!(sequence = next, "left the outbox before this guardian saw it finalized: not signed"),
			}
			next += 1;
			write_progress(&progress, next)?;
		}
		if let Some(solana) = &solana {
			// litesvm has no forks: what the spoke published is final.
			let end = solana.call("info", serde_json::json!({}))?["next_sequence"].as_u64().unwrap_or(0);
			while next_solana < end {
				let result = solana.call("outbox", serde_json::json!({"sequence": next_solana}))?;
				match result["body"].as_str() {
					Some(text) => {
						let bytes = hex::decode(text).context("the devnet's outbox body is not hex")?;
						let body = cloudana_wormhole::Body::parse(&bytes).map_err(|e| anyhow::anyhow!("an outbox body that is none: {e}"))?;
						let path = write_vaa(&args.common.vaa_dir, &sign(&keys, index, body))?;
						tracing::info!(sequence = next_solana, path = %path.display(), "signed the Solana spoke's message");
					},
					None => tracing::warn!(sequence = next_solana, "no such outbox account on Solana: not signed"),
				}
				next_solana += 1;
				write_progress(&solana_progress, next_solana)?;
			}
		}
		if args.common.once {
			tracing::info!(next, "caught up with finalized block {}", at.block_number());
			return Ok(());
		}
		tokio::time::sleep(Duration::from_millis(args.common.poll_ms)).await;
	}
}
