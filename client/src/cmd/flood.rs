//! `cloudana flood`: fills blocks with tipped `System::remark` transactions from several
//! accounts, for load and block-stuffing tests on a local or test network. Every remark pays its
//! fee and tip, like any attacker's would.

use super::Output;
use anyhow::{bail, Context as _};
use clap::Args;
use cloudana_client::{
	account, runtime, signer,
	units::{format_cld, parse_cld},
	Client,
};
use serde_json::json;
use std::time::{Duration, Instant};

/// Fill blocks with tipped remarks (a block-stuffing attack, for tests on local or test
/// networks): each round, every `--from` account sends `--per-block` remarks of `--bytes` bytes
/// with `--tip` each, then waits for the next block; `--blocks` rounds. Remarks the pool refuses
/// (full, or outranked) are counted, not retried. Ends with what was sent and refused.
#[derive(Args)]
pub struct FloodArgs {
	/// Secret URIs of the sending accounts, comma-separated.
	#[arg(long, value_delimiter = ',', default_value = "//Eve,//Ferdie")]
	from: Vec<String>,
	/// Bytes per remark (1 to 3 900 000: a normal extrinsic fits in 75% of a 5 MiB block).
	#[arg(long, default_value_t = 65_536)]
	bytes: usize,
	/// Remarks each account sends per block.
	#[arg(long, default_value_t = 20)]
	per_block: u32,
	/// Tip of each remark, CLD.
	#[arg(long, default_value = "1")]
	tip: String,
	/// Rounds, one per block (1 to 1 000).
	#[arg(long, default_value_t = 10)]
	blocks: u32,
	/// Other nodes' WebSocket RPC endpoints, comma-separated: every transaction goes to each of
	/// them too, as an attacker connected to every block author would send it.
	#[arg(long, value_delimiter = ',')]
	also: Vec<String>,
}

/// Runs `flood`.
pub async fn run(args: FloodArgs, client: &Client, out: Output) -> anyhow::Result<()> {
	if !(1..=3_900_000).contains(&args.bytes) {
		bail!("--bytes must be 1 to 3900000, got {}", args.bytes);
	}
	if !(1..=1_000).contains(&args.blocks) {
		bail!("--blocks must be 1 to 1000, got {}", args.blocks);
	}
	if args.from.is_empty() || args.per_block == 0 {
		bail!("--from needs at least one account and --per-block at least 1");
	}
	let tip = parse_cld(&args.tip).context("--tip")?;
	let mut senders = Vec::with_capacity(args.from.len());
	for suri in &args.from {
		senders.push((signer(suri)?, account(suri)?));
	}
	let mut others = Vec::with_capacity(args.also.len());
	for url in &args.also {
		others.push(Client::connect(url).await?);
	}
	let call = runtime::tx().system().remark(vec![0x5a; args.bytes]);
	let (mut sent, mut refused) = (0u64, 0u64);
	let started = Instant::now();
	let mut block = client.block_number().await?;
	for round in 0..args.blocks {
		// Each account's next nonces, counting what already waits in the pool.
		let mut batch = Vec::with_capacity(senders.len() * args.per_block as usize);
		for (keypair, who) in &senders {
			let next = client.next_nonce(who).await?;
			batch.extend((0..u64::from(args.per_block)).map(|i| (keypair, next + i)));
		}
		let signed = client.sign_batch(&call, &batch, tip).await?;
		for outcome in client.submit_encoded(&signed).await {
			match outcome {
				Ok(()) => sent += 1,
				Err(error) => {
					refused += 1;
					tracing::debug!("remark refused: {error:#}");
				},
			}
		}
		// The same transactions to the other nodes, so that every block author has them without
		// waiting for gossip (already there: refused, not counted).
		for other in &others {
			other.submit_encoded(&signed).await;
		}
		eprintln!("flood: round {}/{} at block {block}: {sent} sent, {refused} refused", round + 1, args.blocks);
		// The next block, for at most 30 s.
		let deadline = Instant::now() + Duration::from_secs(30);
		while client.block_number().await? <= block && Instant::now() < deadline {
			tokio::time::sleep(Duration::from_millis(300)).await;
		}
		block = client.block_number().await?;
	}
	out.print(
		json!({"sent": sent, "refused": refused, "bytes": args.bytes, "tip": tip.to_string(), "seconds": started.elapsed().as_secs()}),
		format!(
			"sent {sent} remarks of {} bytes with a {} tip each ({refused} refused) in {} s",
			args.bytes,
			format_cld(tip),
			started.elapsed().as_secs()
		),
	);
	Ok(())
}
