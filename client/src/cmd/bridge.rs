//! `cloudana bridge`: the Wormhole bridge to Solana (`pallet-wormhole-bridge`): send CLD, follow
//! a transfer, redeem a VAA, work the rate-limit queues; and `verify-vaa`, offline, which checks
//! a VAA against a guardian set as the chain does (`cloudana-wormhole`).

use super::{hex32, read, Output, Signer};
use anyhow::{anyhow, bail};
use clap::Subcommand;
use cloudana_client::{
	bridge::{emitter_address, outbound_body, read_vaa, solana_address, solana_text, vaa_path, SOLANA},
	event, runtime,
	runtime::runtime_types::pallet_wormhole_bridge::types::Queued,
	signer,
	units::{format_cld, parse_cld},
	Client,
};
use cloudana_wormhole::{ntt::TransceiverMessage, verify, Address, GuardianSet, Vaa, K256};
use serde_json::json;
use std::path::{Path, PathBuf};

/// The Wormhole bridge.
#[derive(Subcommand)]
pub enum BridgeCommand {
	/// Send CLD to a Solana owner: locks it on Cloudana and publishes a message the guardians
	/// sign; the relayer mints it on Solana. Over the rate limit, the transfer is queued for
	/// 24 hours (`bridge complete --outbound ID` then sends it, `bridge cancel ID` returns it).
	Transfer {
		/// The recipient: a Solana owner's address (base58); the CLD arrives in its token
		/// account for the bridged mint.
		#[arg(long)]
		to_solana: String,
		/// CLD to send (e.g. `12.5`): a multiple of 0.00000001 CLD (10⁴ base units), the
		/// precision that crosses to a mint of 8 decimals.
		#[arg(long)]
		amount: String,
		#[command(flatten)]
		signer: Signer,
	},
	/// The bridge's state (guardian set, peers, locked CLD, queues), or one outbound transfer
	/// by its sequence: amount, recipient, block, whether it is finalized and whether its VAA
	/// is in `--vaa-dir`.
	Status {
		/// An outbound transfer's sequence.
		sequence: Option<u64>,
		/// The guardians' VAA directory (`cloudana-guardian --vaa-dir`).
		#[arg(long)]
		vaa_dir: Option<PathBuf>,
	},
	/// Redeem a VAA from a peer (`WormholeBridge::receive_message`): unlocks its CLD to the
	/// recipient. A VAA redeemed already is reported as such and exits 0.
	Redeem {
		/// A file with the VAA in hex.
		#[arg(long)]
		vaa: PathBuf,
		#[command(flatten)]
		signer: Signer,
	},
	/// Complete a queued transfer once its 24 hours have passed: an outbound one by its queue
	/// id, or an inbound one by its VAA digest.
	Complete {
		#[arg(long, conflicts_with = "inbound", required_unless_present = "inbound")]
		outbound: Option<u64>,
		/// The VAA's digest (0x + 32 bytes hex).
		#[arg(long)]
		inbound: Option<String>,
		#[command(flatten)]
		signer: Signer,
	},
	/// Register (or update) a peer: `WormholeBridge::register_peer`, a `bridge_admin` track
	/// call. With `--sudo` (development chains) it is dispatched at once; otherwise the
	/// encoded call is printed for `cloudana gov propose call 0x… --track bridge-admin`.
	RegisterPeer {
		/// The peer's Wormhole chain id (1: Solana).
		#[arg(long, default_value_t = SOLANA)]
		chain: u16,
		/// Its emitter: base58 (a Solana address) or 0x + 32 bytes hex.
		#[arg(long)]
		emitter: String,
		/// Its NTT manager (base58 or 0x hex, 32 bytes).
		#[arg(long)]
		manager: String,
		/// Its token's decimals.
		#[arg(long, default_value_t = 8)]
		decimals: u8,
		/// CLD that may leave for it per 24 hours.
		#[arg(long)]
		outbound_limit: String,
		/// CLD that may come back from it per 24 hours.
		#[arg(long)]
		inbound_limit: String,
		/// Dispatch through Sudo (the signer must be the Sudo key).
		#[arg(long)]
		sudo: bool,
		#[command(flatten)]
		signer: Signer,
	},
	/// Cancel your queued outbound transfer: its CLD and deposit come back.
	Cancel {
		/// The queue id (from `bridge transfer`).
		id: u64,
		#[command(flatten)]
		signer: Signer,
	},
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
			let bytes = read_vaa(&vaa)?;
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
		_ => unreachable!("only verify-vaa is offline"),
	}
}

/// A 32-byte address given as base58 (Solana) or 0x hex.
fn address32(what: &str, text: &str) -> anyhow::Result<[u8; 32]> {
	let bytes = if let Some(hex_text) = text.strip_prefix("0x") {
		cloudana_client::parse_h256(what, &format!("0x{hex_text}"))?.0
	} else {
		solana_address(text).map_err(|e| anyhow!("{what}: {e}"))?
	};
	if bytes == [0u8; 32] {
		bail!("{what}: the all-zero address");
	}
	Ok(bytes)
}

/// The CLD units that cross to an 8-decimal mint: 10⁴ base units.
const UNIT: u128 = 10_000;

/// Runs a `bridge` command that talks to a node.
pub async fn run(command: BridgeCommand, client: &Client, out: Output) -> anyhow::Result<()> {
	match command {
		BridgeCommand::Transfer { to_solana, amount, signer: s } => {
			let recipient = solana_address(&to_solana)?;
			if recipient == [0u8; 32] {
				bail!("--to-solana: the all-zero address is no owner");
			}
			let amount = parse_cld(&amount)?;
			if amount == 0 {
				bail!("--amount: nothing to send");
			}
			if amount % UNIT != 0 {
				bail!(
					"--amount: {} has digits below 0.00000001 CLD, which cannot cross to Solana (8 decimals); send {} or {}",
					format_cld(amount),
					format_cld(amount / UNIT * UNIT),
					format_cld((amount / UNIT + 1) * UNIT)
				);
			}
			let call = runtime::tx().wormhole_bridge().transfer(amount, SOLANA, recipient);
			let events = client.submit(&call, &signer(&s.suri)?).await?;
			if let Ok(sent) = event::<runtime::wormhole_bridge::events::TransferSent>(&events) {
				out.print(
					json!({"sequence": sent.sequence, "amount": amount.to_string(), "to": to_solana, "queued": false}),
					format!("sent {} to {to_solana}: sequence {} (the guardians sign it once finalized)", format_cld(amount), sent.sequence),
				);
			} else {
				let queued = event::<runtime::wormhole_bridge::events::OutboundQueued>(&events)?;
				out.print(
					json!({"queued": true, "id": queued.id, "amount": amount.to_string(), "to": to_solana, "release_at": queued.release_at}),
					format!(
						"over the outbound rate limit: {} locked and queued as {} until Unix time {} (`cloudana bridge complete --outbound {}` then; `cloudana bridge cancel {}` returns it)",
						format_cld(amount), queued.id, queued.release_at, queued.id, queued.id
					),
				);
			}
		},
		BridgeCommand::Status { sequence: Some(sequence), vaa_dir } => {
			let at = client.api.at_current_block().await?;
			let finalized = at.block_number();
			let best = client.legacy.chain_get_header(None).await?.map(|h| h.number as u64).unwrap_or(finalized);
			let best_at = client.api.at_block(best).await?;
			let emitter = emitter_address(&at)?;
			let Some((body, block)) = outbound_body(&best_at, emitter, sequence).await? else {
				let next = best_at.storage().fetch(runtime::storage().wormhole_bridge().next_sequence(), ()).await?.decode()?;
				if sequence >= next {
					bail!("no outbound transfer {sequence}: the next sequence is {next}");
				}
				bail!("outbound transfer {sequence} has left the outbox (kept a week), so it was published long ago");
			};
			let message = TransceiverMessage::parse(&body.payload).map_err(|e| anyhow!("an outbox payload that is no NTT message: {e:?}"))?;
			let (manager, transfer) = message.transfer().map_err(|e| anyhow!("an outbox payload that is no NTT transfer: {e:?}"))?;
			let amount = transfer.amount.untrim(12).map_err(|e| anyhow!("{e:?}"))?;
			let digest = body.digest(&K256);
			let signed = vaa_dir.as_ref().map(|dir| vaa_path(dir, body.emitter_chain, &emitter, sequence)).filter(|p| p.exists());
			let is_final = u64::from(block) <= finalized;
			out.print(
				json!({
					"sequence": sequence,
					"amount": amount.to_string(),
					"sender": hex32(&manager.sender),
					"recipient_chain": transfer.to_chain,
					"recipient": if transfer.to_chain == SOLANA { solana_text(&transfer.to) } else { hex32(&transfer.to) },
					"block": block,
					"finalized": is_final,
					"digest": hex32(&digest),
					"vaa": signed.as_ref().map(|p| p.display().to_string()),
				}),
				format!(
					"transfer {sequence}: {} to {} on chain {}, published in block {block} ({}); digest {}{}",
					format_cld(amount),
					if transfer.to_chain == SOLANA { solana_text(&transfer.to) } else { hex32(&transfer.to) },
					transfer.to_chain,
					if is_final { "finalized" } else { "not finalized yet" },
					hex32(&digest),
					match &signed {
						Some(path) => format!("; signed VAA: {}", path.display()),
						None => String::new(),
					}
				),
			);
		},
		BridgeCommand::Status { sequence: None, .. } => {
			let at = client.api.at_current_block().await?;
			let bridge = runtime::storage().wormhole_bridge();
			let index = at.storage().fetch(bridge.current_guardian_set(), ()).await?.decode()?;
			let set = at.storage().try_fetch(bridge.guardian_sets(), (index,)).await?;
			let guardians = match set {
				Some(set) => set.decode()?.keys.len(),
				None => 0,
			};
			let next = at.storage().fetch(bridge.next_sequence(), ()).await?.decode()?;
			let emitter = emitter_address(&at)?;
			let account = subxt::utils::AccountId32(emitter);
			let (free, _) = client.balance(&account).await?;
			let ed = at.constants().entry(runtime::constants().balances().existential_deposit())?;
			let mut peers = Vec::new();
			let mut entries = at.storage().iter(bridge.peers(), ()).await?;
			while let Some(entry) = entries.next().await {
				let entry = entry?;
				let (chain,) = entry.key()?.decode()?;
				let peer = entry.value().decode()?;
				peers.push((chain, peer));
			}
			let mut outbound = 0;
			let mut queue = at.storage().iter(bridge.outbound_queue(), ()).await?;
			while let Some(entry) = queue.next().await {
				entry?;
				outbound += 1;
			}
			let mut inbound = 0;
			let mut queue = at.storage().iter(bridge.inbound_queue(), ()).await?;
			while let Some(entry) = queue.next().await {
				entry?;
				inbound += 1;
			}
			let locked = free.saturating_sub(ed);
			let peer_values: Vec<_> = peers
				.iter()
				.map(|(chain, p)| {
					json!({
						"chain": chain,
						"emitter": if *chain == SOLANA { solana_text(&p.emitter) } else { hex32(&p.emitter) },
						"manager": hex32(&p.manager),
						"decimals": p.decimals,
						"outstanding": p.outstanding.to_string(),
						"outbound_limit": p.outbound.limit.to_string(),
						"inbound_limit": p.inbound.limit.to_string(),
					})
				})
				.collect();
			let peer_lines: Vec<_> = peers
				.iter()
				.map(|(chain, p)| {
					format!(
						"  chain {chain}: outstanding {}, limits {} out / {} in a day",
						format_cld(p.outstanding),
						format_cld(p.outbound.limit),
						format_cld(p.inbound.limit)
					)
				})
				.collect();
			out.print(
				json!({
					"emitter": hex32(&emitter),
					"guardian_set": index,
					"guardians": guardians,
					"next_sequence": next,
					"locked": locked.to_string(),
					"peers": peer_values,
					"queued_outbound": outbound,
					"queued_inbound": inbound,
				}),
				format!(
					"emitter {}; guardian set {index} ({guardians} guardians); {} locked; next sequence {next}; queued: {outbound} outbound, {inbound} inbound\npeers:\n{}",
					hex32(&emitter),
					format_cld(locked),
					if peer_lines.is_empty() { "  none".to_string() } else { peer_lines.join("\n") }
				),
			);
		},
		BridgeCommand::Redeem { vaa, signer: s } => {
			let bytes = read_vaa(&vaa)?;
			let parsed = Vaa::parse(&bytes).map_err(|e| anyhow!("{}: not a VAA: {e}", vaa.display()))?;
			let digest = parsed.body.digest(&K256);
			let call = runtime::tx().wormhole_bridge().receive_message(bytes);
			match client.submit(&call, &signer(&s.suri)?).await {
				Ok(events) => {
					if let Ok(done) = event::<runtime::wormhole_bridge::events::TransferRedeemed>(&events) {
						out.print(
							json!({"digest": hex32(&digest), "redeemed": true, "queued": false, "recipient": done.recipient.to_string(), "amount": done.amount.to_string()}),
							format!("redeemed: {} to {}", format_cld(done.amount), done.recipient),
						);
					} else {
						let queued = event::<runtime::wormhole_bridge::events::InboundQueued>(&events)?;
						out.print(
							json!({"digest": hex32(&digest), "redeemed": true, "queued": true, "recipient": queued.recipient.to_string(), "amount": queued.amount.to_string(), "release_at": queued.release_at}),
							format!(
								"redeemed over the inbound rate limit: {} to {} queued until Unix time {} (`cloudana bridge complete --inbound {}`)",
								format_cld(queued.amount), queued.recipient, queued.release_at, hex32(&digest)
							),
						);
					}
				},
				Err(e) if e.to_string().contains("AlreadyConsumed") => out.print(
					json!({"digest": hex32(&digest), "redeemed": true, "already": true}),
					format!("already redeemed (digest {})", hex32(&digest)),
				),
				Err(e) => return Err(e),
			}
		},
		BridgeCommand::Complete { outbound, inbound, signer: s } => {
			let queued = match (outbound, inbound) {
				(Some(id), _) => Queued::Outbound(id),
				(None, Some(digest)) => Queued::Inbound(cloudana_client::parse_h256("--inbound", &digest)?.0),
				(None, None) => bail!("give --outbound ID or --inbound DIGEST"),
			};
			client.submit(&runtime::tx().wormhole_bridge().complete_queued(queued), &signer(&s.suri)?).await?;
			out.print(json!({"completed": true}), "completed".into());
		},
		BridgeCommand::Cancel { id, signer: s } => {
			let events = client.submit(&runtime::tx().wormhole_bridge().cancel_queued(id), &signer(&s.suri)?).await?;
			let cancelled = event::<runtime::wormhole_bridge::events::OutboundCancelled>(&events)?;
			out.print(
				json!({"id": id, "returned": cancelled.amount.to_string()}),
				format!("queued transfer {id} cancelled: {} returned", format_cld(cancelled.amount)),
			);
		},
		BridgeCommand::RegisterPeer { chain, emitter, manager, decimals, outbound_limit, inbound_limit, sudo, signer: s } => {
			use runtime::runtime_types::{
				cloudana_runtime::RuntimeCall, pallet_wormhole_bridge::pallet::Call, pallet_wormhole_bridge::types::PeerConfig,
			};
			let config = PeerConfig {
				emitter: address32("--emitter", &emitter)?,
				manager: address32("--manager", &manager)?,
				decimals,
				outbound_limit: parse_cld(&outbound_limit).map_err(|e| anyhow!("--outbound-limit: {e}"))?,
				inbound_limit: parse_cld(&inbound_limit).map_err(|e| anyhow!("--inbound-limit: {e}"))?,
			};
			if sudo {
				let call = RuntimeCall::WormholeBridge(Call::register_peer { chain, config });
				client.submit(&runtime::tx().sudo().sudo(call), &signer(&s.suri)?).await?;
				out.print(json!({"chain": chain, "registered": true}), format!("peer on chain {chain} registered"));
			} else {
				let at = client.api.at_current_block().await?;
				let bytes = at
					.tx()
					.call_data(&runtime::tx().wormhole_bridge().register_peer(chain, config))
					.map_err(|e| anyhow!("cannot encode the call: {e}"))?;
				out.print(
					json!({"call": hex32(&bytes), "track": "bridge_admin"}),
					format!("propose it: cloudana gov propose call {} --track bridge-admin", hex32(&bytes)),
				);
			}
		},
		BridgeCommand::VerifyVaa { .. } => unreachable!("verify-vaa is offline"),
	}
	Ok(())
}
