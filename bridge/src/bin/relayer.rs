//! `cloudana-relayer`: carries VAAs from the VAA directory to the chain that redeems them. To
//! Cloudana: every VAA of a registered peer's emitter goes to
//! `WormholeBridge::receive_message`. To Solana (`--solana`): every VAA of Cloudana's emitter
//! goes to the spoke's `Redeem` ("already redeemed" counts as done there too). A VAA redeemed already counts as done; one the chain
//! refuses now (over what the peer is owed, a recipient below the existential deposit) is
//! retried each round, and does not hold up the others.
//!
//! A transfer below `--min-amount` (default 1 CLD) is skipped, both ways: each redemption costs
//! the relayer a fee, so dust sent on purpose would drain it. Its VAA stays in the directory
//! for anyone to redeem (`cloudana bridge redeem`), or for a relayer with a lower minimum.

use anyhow::anyhow;
use clap::Parser;
use cloudana_bridge::{exit_on_error, init_logging, write_atomically, Common};
use cloudana_client::{
	bridge::{emitter_address, list_emitter_vaas, list_vaas, read_vaa},
	runtime, signer, Client,
};
use std::{collections::BTreeSet, path::PathBuf, time::Duration};

/// Relays Wormhole VAAs from a VAA directory to Cloudana (`WormholeBridge::receive_message`)
/// and, with `--solana`, to the Solana spoke.
#[derive(Parser)]
#[command(version)]
struct Args {
	#[command(flatten)]
	common: Common,
	/// The account that pays the transactions' fees (secret URI).
	#[arg(long, env = "CLOUDANA_SURI", default_value = "//Alice")]
	suri: String,
	/// The smallest transfer relayed, CLD (e.g. 0.5): smaller ones are skipped, so that dust
	/// cannot drain the fee payer.
	#[arg(long, default_value = "1", value_parser = cloudana_client::units::parse_cld)]
	min_amount: u128,
}

/// The amount of the NTT transfer a VAA carries, in CLD base units (12 decimals); `None` if the
/// VAA does not parse as one (the chain then refuses it with its own error).
fn transfer_amount(vaa: &[u8]) -> Option<u128> {
	use cloudana_wormhole::{ntt::TransceiverMessage, Vaa};
	let vaa = Vaa::parse(vaa).ok()?;
	let (_, transfer) = TransceiverMessage::parse(&vaa.body.payload).ok()?.transfer().ok()?;
	transfer.amount.untrim(cloudana_client::units::DECIMALS as u8).ok()
}

/// Whether the relayer skips `vaa`: a transfer below its minimum.
fn dust(vaa: &[u8], min: u128, sequence: u64) -> bool {
	match transfer_amount(vaa) {
		Some(amount) if amount < min => {
			tracing::info!(sequence, amount, min, "skipped: below the relayer's minimum (--min-amount)");
			true
		},
		_ => false,
	}
}

#[tokio::main]
async fn main() {
	init_logging();
	exit_on_error(run(Args::parse()).await);
}

/// The journal: one line `<chain> <emitter hex> <sequence>` per VAA relayed (or found
/// redeemed already).
struct Journal {
	path: PathBuf,
	done: BTreeSet<String>,
}

impl Journal {
	fn open(path: PathBuf) -> anyhow::Result<Journal> {
		let done = match std::fs::read_to_string(&path) {
			Ok(text) => text.lines().map(str::to_string).filter(|l| !l.is_empty()).collect(),
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeSet::new(),
			Err(e) => return Err(anyhow!("cannot read {}: {e}", path.display())),
		};
		Ok(Journal { path, done })
	}

	fn key(chain: u16, emitter: &[u8; 32], sequence: u64) -> String {
		format!("{chain} {} {sequence}", hex::encode(emitter))
	}

	fn record(&mut self, key: String) -> anyhow::Result<()> {
		self.done.insert(key);
		let text: String = self.done.iter().map(|k| format!("{k}\n")).collect();
		write_atomically(&self.path, text.as_bytes())
	}
}

async fn run(args: Args) -> anyhow::Result<()> {
	let client = Client::connect(&args.common.url).await?;
	let payer = signer(&args.suri)?;
	let mut journal = Journal::open(args.common.vaa_dir.join("cloudana-relayer.done"))?;
	let solana = args.common.solana();
	tracing::info!(relayed = journal.done.len(), dir = %args.common.vaa_dir.display(), "relayer started");
	loop {
		let at = client.api.at_current_block().await?;
		let mut peers = Vec::new();
		let mut entries = at.storage().iter(runtime::storage().wormhole_bridge().peers(), ()).await?;
		while let Some(entry) = entries.next().await {
			let entry = entry?;
			let (chain,) = entry.key()?.decode()?;
			peers.push((chain, entry.value().decode()?.emitter));
		}
		let mut waiting = 0;
		for (chain, emitter) in peers {
			for (sequence, path) in list_vaas(&args.common.vaa_dir, chain, &emitter)? {
				let key = Journal::key(chain, &emitter, sequence);
				if journal.done.contains(&key) {
					continue;
				}
				let vaa = read_vaa(&path)?;
				if dust(&vaa, args.min_amount, sequence) {
					continue;
				}
				match client.submit(&runtime::tx().wormhole_bridge().receive_message(vaa), &payer).await {
					Ok(_) => {
						tracing::info!(chain, sequence, "redeemed on Cloudana");
						journal.record(key)?;
					},
					Err(e) if e.to_string().contains("AlreadyConsumed") => {
						tracing::info!(chain, sequence, "redeemed already");
						journal.record(key)?;
					},
					Err(e) => {
						waiting += 1;
						tracing::warn!(chain, sequence, "not redeemed, will retry: {e:#}");
					},
				}
			}
		}
		if let Some(solana) = &solana {
			let emitter = emitter_address(&at)?;
			for (chain, sequence, path) in list_emitter_vaas(&args.common.vaa_dir, &emitter)? {
				let key = format!("solana {}", Journal::key(chain, &emitter, sequence));
				if journal.done.contains(&key) {
					continue;
				}
				let vaa = read_vaa(&path)?;
				if dust(&vaa, args.min_amount, sequence) {
					continue;
				}
				match solana.call("redeem", serde_json::json!({"vaa": hex::encode(&vaa)})) {
					Ok(result) => {
						let already = result["already"].as_bool().unwrap_or(false);
						tracing::info!(sequence, already, "redeemed on Solana");
						journal.record(key)?;
					},
					Err(e) => {
						waiting += 1;
						tracing::warn!(sequence, "not redeemed on Solana, will retry: {e:#}");
					},
				}
			}
		}
		if args.common.once {
			if waiting > 0 {
				return Err(anyhow!("{waiting} VAA(s) could not be redeemed yet"));
			}
			return Ok(());
		}
		tokio::time::sleep(Duration::from_millis(args.common.poll_ms)).await;
	}
}
