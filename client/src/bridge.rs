//! The Wormhole bridge as off-chain code sees it: the outbound messages guardians sign, read
//! from `WormholeBridge::Outbox` with the bridge's emitter address (its `emitter_address`
//! constant), and the files a local guardian set and relayer hand VAAs over in.
//!
//! **VAA directory.** A devnet's guardians write each VAA they sign to
//! `DIR/<emitter chain>/<emitter address, hex>/<sequence>.vaa`, as one line of hex (`0x…`),
//! atomically (written to a temporary file, then renamed), so a reader never sees half a VAA.
//! Wormhole's guardians publish signed VAAs by the same key (`/v1/signed_vaa/{chain}/{emitter}/
//! {sequence}` in their public API).

use crate::runtime;
use anyhow::{anyhow, bail, Context as _};
use cloudana_wormhole::{Body, ChainId, Vaa};
use std::path::{Path, PathBuf};

/// Wormhole's chain id for Solana.
pub const SOLANA: ChainId = 1;

/// A client's view of the chain at one block.
pub type At = subxt::client::OnlineClientAtBlock<crate::Config>;

/// The bridge's emitter address (its account's 32 bytes), from the runtime's constant.
pub fn emitter_address(at: &At) -> anyhow::Result<[u8; 32]> {
	at.constants()
		.entry(runtime::constants().wormhole_bridge().emitter_address())
		.map_err(|e| anyhow!("the chain has no Wormhole bridge: {e}"))
}

/// The body guardians sign for outbound message `sequence`, if it is (still) in the outbox of
/// block `at`, with the number of the block that published it.
pub async fn outbound_body(
	at: &At,
	emitter: [u8; 32],
	sequence: u64,
) -> anyhow::Result<Option<(Body, u32)>> {
	let Some(message) = at.storage().try_fetch(runtime::storage().wormhole_bridge().outbox(), (sequence,)).await? else {
		return Ok(None);
	};
	let message = message.decode()?;
	let body = Body {
		timestamp: message.timestamp,
		nonce: message.nonce,
		emitter_chain: message.emitter_chain,
		emitter_address: emitter,
		sequence,
		consistency_level: message.consistency_level,
		payload: message.payload,
	};
	Ok(Some((body, message.block)))
}

/// A Solana public key (base58, 32 bytes).
pub fn solana_address(text: &str) -> anyhow::Result<[u8; 32]> {
	let bytes = bs58::decode(text.trim()).into_vec().map_err(|e| anyhow!("{text:?} is not base58: {e}"))?;
	bytes.try_into().map_err(|b: Vec<u8>| anyhow!("{text:?} is {} bytes; a Solana address is 32", b.len()))
}

/// A Solana public key in base58.
pub fn solana_text(address: &[u8; 32]) -> String {
	bs58::encode(address).into_string()
}

/// Where a VAA lies in a VAA directory.
pub fn vaa_path(dir: &Path, chain: ChainId, emitter: &[u8; 32], sequence: u64) -> PathBuf {
	dir.join(chain.to_string()).join(hex::encode(emitter)).join(format!("{sequence}.vaa"))
}

/// Writes `vaa` into a VAA directory, atomically; returns its path.
pub fn write_vaa(dir: &Path, vaa: &Vaa) -> anyhow::Result<PathBuf> {
	let body = &vaa.body;
	let path = vaa_path(dir, body.emitter_chain, &body.emitter_address, body.sequence);
	let parent = path.parent().expect("a VAA path has a parent");
	std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
	let temporary = path.with_extension("vaa.tmp");
	std::fs::write(&temporary, format!("0x{}\n", hex::encode(vaa.encode())))
		.with_context(|| format!("cannot write {}", temporary.display()))?;
	std::fs::rename(&temporary, &path).with_context(|| format!("cannot write {}", path.display()))?;
	Ok(path)
}

/// Reads a VAA file (hex, `0x` optional, whitespace ignored): its bytes.
pub fn read_vaa(path: &Path) -> anyhow::Result<Vec<u8>> {
	let text: String = std::fs::read_to_string(path)
		.with_context(|| format!("cannot read {}", path.display()))?
		.split_whitespace()
		.collect();
	let bytes = hex::decode(text.trim_start_matches("0x")).with_context(|| format!("{}: not hex", path.display()))?;
	if bytes.is_empty() {
		bail!("{}: empty", path.display());
	}
	Ok(bytes)
}

/// The VAAs of one emitter in a VAA directory, by sequence, ascending.
pub fn list_vaas(dir: &Path, chain: ChainId, emitter: &[u8; 32]) -> anyhow::Result<Vec<(u64, PathBuf)>> {
	let folder = dir.join(chain.to_string()).join(hex::encode(emitter));
	let mut found = Vec::new();
	let entries = match std::fs::read_dir(&folder) {
		Ok(entries) => entries,
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
		Err(e) => return Err(e).with_context(|| format!("cannot read {}", folder.display())),
	};
	for entry in entries {
		let path = entry?.path();
		let sequence = path
			.file_name()
			.and_then(|n| n.to_str())
			.and_then(|n| n.strip_suffix(".vaa"))
			.and_then(|n| n.parse::<u64>().ok());
		if let Some(sequence) = sequence {
			found.push((sequence, path));
		}
	}
	found.sort();
	Ok(found)
}

/// The VAAs of `emitter` on any chain in a VAA directory: `(chain, sequence, path)`, by chain
/// then sequence.
pub fn list_emitter_vaas(dir: &Path, emitter: &[u8; 32]) -> anyhow::Result<Vec<(ChainId, u64, PathBuf)>> {
	let mut found = Vec::new();
	let entries = match std::fs::read_dir(dir) {
		Ok(entries) => entries,
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
		Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
	};
	for entry in entries {
		let Some(chain) = entry?.file_name().to_str().and_then(|n| n.parse::<ChainId>().ok()) else { continue };
		for (sequence, path) in list_vaas(dir, chain, emitter)? {
			found.push((chain, sequence, path));
		}
	}
	found.sort();
	Ok(found)
}
