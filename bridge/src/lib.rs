//! # cloudana-bridge
//!
//! The off-chain half of Cloudana's Wormhole bridge, for devnets and tests:
//!
//! - `cloudana-guardian`: a local guardian set. It holds N secp256k1 keys (by default the
//!   first five of Wormhole's public devnet guardians, Cloudana's development set), follows
//!   Cloudana's **finalized** blocks, and signs each outbound message of `WormholeBridge::Outbox`
//!   into a VAA in the VAA directory (`cloudana_client::bridge`).
//! - `cloudana-relayer`: carries VAAs to where they are redeemed: the ones the peers emitted to
//!   `WormholeBridge::receive_message`. "Already redeemed" counts as done; a journal in the
//!   VAA directory lets it restart without losing or repeating a transfer.
//!
//! Both keep their progress in small files written atomically, so a crash at any point
//! repeats at most an idempotent step (signing is deterministic, RFC 6979; redeeming twice is
//! refused by the chain and counted as done).

use anyhow::{anyhow, bail, Context as _};
use std::path::{Path, PathBuf};

/// The Solana devnet's JSON-RPC (`cloudana-solana-devnet`: one JSON-RPC 2.0 request per line
/// over TCP, one response line back).
pub struct SolanaDevnet {
	/// `host:port`.
	pub address: String,
}

impl SolanaDevnet {
	/// Calls `method` with `params`; its `result`, or its error's message.
	pub fn call(&self, method: &str, params: serde_json::Value) -> anyhow::Result<serde_json::Value> {
		use std::io::{BufRead, BufReader, Write};
		let mut stream = std::net::TcpStream::connect(&self.address)
			.with_context(|| format!("cannot reach the Solana devnet at {}", self.address))?;
		stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
		let request = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
		writeln!(stream, "{request}")?;
		let mut line = String::new();
		BufReader::new(&stream).read_line(&mut line)?;
		let mut response: serde_json::Value =
			serde_json::from_str(&line).with_context(|| format!("the Solana devnet answered {line:?}"))?;
		if let Some(error) = response.get("error") {
			bail!("Solana devnet, {method}: {}", error.get("message").and_then(|m| m.as_str()).unwrap_or("unknown error"));
		}
		Ok(response["result"].take())
	}
}

/// The options the guardian and the relayer share.
#[derive(clap::Args)]
pub struct Common {
	/// The Cloudana node's WebSocket RPC.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// The VAA directory: the guardian writes signed VAAs there, the relayer reads them; each
	/// keeps its progress there too (`cloudana-guardian.next`, `solana-guardian.next`,
	/// `cloudana-relayer.done`).
	#[arg(long)]
	pub vaa_dir: PathBuf,
	/// How often to look for new work, milliseconds.
	#[arg(long, default_value_t = 1_000)]
	pub poll_ms: u64,
	/// The Solana devnet (`cloudana-solana-devnet`, host:port): the guardian signs the spoke's
	/// outbox, the relayer delivers Cloudana's VAAs to the spoke's `Redeem`.
	#[arg(long)]
	pub solana: Option<String>,
	/// Do what there is to do now, then exit.
	#[arg(long)]
	pub once: bool,
}

impl Common {
	/// The Solana devnet, if one is given.
	pub fn solana(&self) -> Option<SolanaDevnet> {
		self.solana.clone().map(|address| SolanaDevnet { address })
	}
}

/// Reads a progress file (a decimal number), or `default` when there is none yet.
pub fn read_progress(path: &Path, default: u64) -> anyhow::Result<u64> {
	match std::fs::read_to_string(path) {
		Ok(text) => text.trim().parse().with_context(|| format!("{}: not a number", path.display())),
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(default),
		Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
	}
}

/// Writes a progress file atomically.
pub fn write_progress(path: &Path, value: u64) -> anyhow::Result<()> {
	write_atomically(path, format!("{value}\n").as_bytes())
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
	if let Some(parent) = path.parent() {
		std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
	}
	let mut temporary = path.as_os_str().to_owned();
	temporary.push(".tmp");
	let temporary = PathBuf::from(temporary);
	std::fs::write(&temporary, bytes).with_context(|| format!("cannot write {}", temporary.display()))?;
	std::fs::rename(&temporary, path).with_context(|| format!("cannot write {}", path.display()))
}

/// Guardian secret keys from a file: one 32-byte secp256k1 key in hex (`0x` optional) per
/// line, in guardian index order; blank lines and `#` comments skipped.
pub fn read_keys(path: &Path) -> anyhow::Result<Vec<[u8; 32]>> {
	let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
	let mut keys = Vec::new();
	for (number, line) in text.lines().enumerate() {
		let line = line.trim();
		if line.is_empty() || line.starts_with('#') {
			continue;
		}
		let bytes = hex::decode(line.trim_start_matches("0x"))
			.map_err(|e| anyhow!("{} line {}: not hex ({e})", path.display(), number + 1))?;
		let key: [u8; 32] = bytes
			.try_into()
			.map_err(|b: Vec<u8>| anyhow!("{} line {}: {} bytes, a key is 32", path.display(), number + 1, b.len()))?;
		if cloudana_wormhole::K256.address_of(&key).is_none() {
			bail!("{} line {}: not a secp256k1 secret key", path.display(), number + 1);
		}
		keys.push(key);
	}
	if keys.is_empty() {
		bail!("{}: no keys", path.display());
	}
	if keys.len() > 255 {
		bail!("{}: {} keys; a guardian set has at most 255", path.display(), keys.len());
	}
	Ok(keys)
}

/// Ends the process with `error: …` on stderr and status 1 if `result` is an error.
pub fn exit_on_error(result: anyhow::Result<()>) {
	if let Err(error) = result {
		eprintln!("error: {error:#}");
		std::process::exit(1);
	}
}

/// Logs to stderr, `info` unless `RUST_LOG` says otherwise.
pub fn init_logging() {
	let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into());
	tracing_subscriber::fmt()
		.with_env_filter(tracing_subscriber::EnvFilter::new(filter))
		.with_writer(std::io::stderr)
		.init();
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn progress_survives_a_restart_and_starts_at_the_default() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("state/next");
		assert_eq!(read_progress(&path, 7).unwrap(), 7);
		write_progress(&path, 42).unwrap();
		assert_eq!(read_progress(&path, 7).unwrap(), 42);
		std::fs::write(&path, "forty").unwrap();
		assert!(read_progress(&path, 0).unwrap_err().to_string().contains("not a number"));
	}

	#[test]
	fn keys_files_are_checked_line_by_line() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("keys");
		let key = hex::encode(cloudana_wormhole::devnet::GUARDIAN_KEYS[0]);
		std::fs::write(&path, format!("# devnet guardian 0\n0x{key}\n\n{key}\n")).unwrap();
		assert_eq!(read_keys(&path).unwrap().len(), 2);
		std::fs::write(&path, "0x1234\n").unwrap();
		assert!(read_keys(&path).unwrap_err().to_string().contains("line 1: 2 bytes"));
		std::fs::write(&path, format!("0x{}\n", "00".repeat(32))).unwrap();
		assert!(read_keys(&path).unwrap_err().to_string().contains("not a secp256k1 secret key"));
		std::fs::write(&path, "").unwrap();
		assert!(read_keys(&path).unwrap_err().to_string().contains("no keys"));
	}
}
