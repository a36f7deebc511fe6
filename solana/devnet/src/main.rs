//! `cloudana-solana-devnet`: a Solana devnet in one process for the bridge's demo and tests.
//! litesvm holds the spoke program and the SPL Token program; clients (the guardian, the
//! relayer, scripts) talk to it in JSON-RPC 2.0, one request per line over TCP on 127.0.0.1,
//! one response line back.
//!
//! | method | params | result |
//! |---|---|---|
//! | `info` | | program, mint, config (base58), hub chain, hub emitter (hex), next sequence, supply |
//! | `owner` | `name` | a Solana owner the devnet holds the key of (made on first use, with SOL and a token account): address, token account |
//! | `balance` | `owner` (base58) | the owner's bridged CLD, 10⁻⁸ CLD |
//! | `redeem` | `vaa` (hex) | redeems into the recipient's token account (made if missing): `already` true when redeemed before |
//! | `burn_and_send` | `name`, `amount` (10⁻⁸ CLD), `recipient` (hex, 32 bytes) | the outbox sequence |
//! | `outbox` | `sequence` | the VAA body published there (hex), or null |
//!
//! State lives in memory: a restart is a new devnet.

use cloudana_solana_devnet::{Devnet, Failure};
use cloudana_spoke_interface::SpokeError;
use serde_json::{json, Value};
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::{
	collections::BTreeMap,
	io::{BufRead, BufReader, Write},
	net::TcpListener,
	path::PathBuf,
};

const USAGE: &str = "Usage: cloudana-solana-devnet --program SPOKE.so --hub-chain ID --hub-emitter 0xHEX \
[--listen 127.0.0.1:8899] [--guardians N]

A Solana devnet in one process (litesvm) with Cloudana's bridge spoke and the SPL Token program,
serving JSON-RPC 2.0 one request per line over TCP.

  --program PATH      the spoke's SBF build (scripts/build-spoke.sh)
  --hub-chain ID      Cloudana's Wormhole chain id (49616 on the dev chain)
  --hub-emitter HEX   Cloudana's bridge address (cloudana bridge status: emitter)
  --listen ADDR       where to listen [default: 127.0.0.1:8899]
  --guardians N       the guardian set: the first N of Wormhole's devnet guardians [default: 5]";

/// The spoke's program id on the devnet: 32 bytes of 0x5B (base58 `79cu2QNvp92chEmBhBgcUfERDT9KHnUcr8eiJb5WzKML`).
const PROGRAM: Address = Address::new_from_array([0x5B; 32]);

struct Args {
	program: PathBuf,
	hub_chain: u16,
	hub_emitter: [u8; 32],
	listen: String,
	guardians: usize,
}

fn parse_args() -> Result<Args, String> {
	let mut args = std::env::args().skip(1);
	let (mut program, mut hub_chain, mut hub_emitter) = (None, None, None);
	let (mut listen, mut guardians) = ("127.0.0.1:8899".to_string(), cloudana_wormhole::devnet::DEV_GUARDIANS);
	while let Some(flag) = args.next() {
		let mut value = || args.next().ok_or(format!("{flag} needs a value"));
		match flag.as_str() {
			"--help" | "-h" => return Err(String::new()),
			"--program" => program = Some(PathBuf::from(value()?)),
			"--hub-chain" => hub_chain = Some(value()?.parse::<u16>().map_err(|e| format!("--hub-chain: {e}"))?),
			"--hub-emitter" => {
				let text = value()?;
				let bytes = hex::decode(text.trim_start_matches("0x")).map_err(|e| format!("--hub-emitter: {e}"))?;
				hub_emitter = Some(bytes.try_into().map_err(|_| "--hub-emitter: 32 bytes expected".to_string())?);
			},
			"--listen" => listen = value()?,
			"--guardians" => guardians = value()?.parse().map_err(|e| format!("--guardians: {e}"))?,
			other => return Err(format!("unknown argument {other}")),
		}
	}
	if guardians == 0 || guardians > cloudana_wormhole::devnet::GUARDIAN_KEYS.len() {
		return Err("--guardians: 1 to 19".into());
	}
	Ok(Args {
		program: program.ok_or("--program is required")?,
		hub_chain: hub_chain.ok_or("--hub-chain is required")?,
		hub_emitter: hub_emitter.ok_or("--hub-emitter is required")?,
		listen,
		guardians,
	})
}

/// The devnet and the owners whose keys it holds.
struct State {
	devnet: Devnet,
	owners: BTreeMap<String, Keypair>,
	accounts: BTreeMap<Address, Address>,
}

impl State {
	fn token_account(&mut self, owner: &Address) -> Result<Address, Failure> {
		if let Some(account) = self.accounts.get(owner) {
			return Ok(*account);
		}
		let account = self.devnet.token_account(owner)?;
		self.accounts.insert(*owner, account);
		Ok(account)
	}

	fn handle(&mut self, method: &str, params: &Value) -> Result<Value, String> {
		let text = |name: &str| params.get(name).and_then(Value::as_str).ok_or(format!("params.{name}: a string is required"));
		let number = |name: &str| params.get(name).and_then(Value::as_u64).ok_or(format!("params.{name}: a number is required"));
		let failure = |f: Failure| f.to_string();
		match method {
			"info" => {
				let config = self.devnet.config();
				Ok(json!({
					"program": self.devnet.program.to_string(),
					"mint": self.devnet.mint.to_string(),
					"config": self.devnet.config.to_string(),
					"hub_chain": config.hub_chain,
					"hub_emitter": hex::encode(config.hub_emitter),
					"guardian_set_index": config.guardian_set_index,
					"next_sequence": config.next_sequence,
					"supply": self.devnet.supply(),
				}))
			},
			"owner" => {
				let name = text("name")?.to_string();
				if !self.owners.contains_key(&name) {
					let key = Keypair::new();
					self.devnet.fund(&key.pubkey());
					self.owners.insert(name.clone(), key);
				}
				let owner = self.owners[&name].pubkey();
				let account = self.token_account(&owner).map_err(failure)?;
				Ok(json!({"address": owner.to_string(), "token_account": account.to_string()}))
			},
			"balance" => {
				let owner: Address = text("owner")?.parse().map_err(|e| format!("params.owner: {e:?}"))?;
				let balance = self.accounts.get(&owner).map(|a| self.devnet.balance(a)).unwrap_or(0);
				Ok(json!({"owner": owner.to_string(), "balance": balance}))
			},
			"redeem" => {
				let vaa = hex::decode(text("vaa")?.trim_start_matches("0x")).map_err(|e| format!("params.vaa: {e}"))?;
				let parsed = cloudana_wormhole::Vaa::parse(&vaa).map_err(|e| format!("not a VAA: {e}"))?;
				let transfer = cloudana_wormhole::ntt::TransceiverMessage::parse(&parsed.body.payload)
					.and_then(|m| m.transfer())
					.map_err(|e| format!("not an NTT transfer: {e:?}"))?
					.1;
				let owner = Address::new_from_array(transfer.to);
				let account = self.token_account(&owner).map_err(failure)?;
				match self.devnet.redeem(&vaa, account) {
					Ok(()) => Ok(json!({"already": false, "owner": owner.to_string(), "amount": transfer.amount.amount})),
					Err(Failure::Spoke(SpokeError::AlreadyRedeemed)) => Ok(json!({"already": true, "owner": owner.to_string()})),
					Err(other) => Err(other.to_string()),
				}
			},
			"burn_and_send" => {
				let name = text("name")?;
				let amount = number("amount")?;
				let recipient: [u8; 32] = hex::decode(text("recipient")?.trim_start_matches("0x"))
					.map_err(|e| format!("params.recipient: {e}"))?
					.try_into()
					.map_err(|_| "params.recipient: 32 bytes expected".to_string())?;
				let key = self.owners.get(name).ok_or(format!("no owner {name:?} (call owner first)"))?.insecure_clone();
				let account = self.token_account(&key.pubkey()).map_err(failure)?;
				let sequence = self.devnet.burn_and_send(&key, account, amount, recipient).map_err(failure)?;
				Ok(json!({"sequence": sequence}))
			},
			"outbox" => {
				let body = self.devnet.outbox(number("sequence")?);
				Ok(json!({"body": body.map(hex::encode)}))
			},
			other => Err(format!("unknown method {other}")),
		}
	}
}

fn main() {
	let args = match parse_args() {
		Ok(args) => args,
		Err(message) => {
			if message.is_empty() {
				println!("{USAGE}");
				return;
			}
			eprintln!("error: {message}\n\n{USAGE}");
			std::process::exit(2);
		},
	};
	let guardians = cloudana_wormhole::devnet::GUARDIAN_ADDRESSES[..args.guardians].to_vec();
	let devnet = match Devnet::new(&args.program, PROGRAM, args.hub_chain, args.hub_emitter, 0, guardians) {
		Ok(devnet) => devnet,
		Err(e) => {
			eprintln!("error: cannot start the devnet: {e}");
			std::process::exit(1);
		},
	};
	let listener = match TcpListener::bind(&args.listen) {
		Ok(listener) => listener,
		Err(e) => {
			eprintln!("error: cannot listen on {}: {e}", args.listen);
			std::process::exit(1);
		},
	};
	eprintln!(
		"cloudana-solana-devnet: spoke {} mint {} on {} (JSON-RPC, one request per line)",
		devnet.program, devnet.mint, args.listen
	);
	let mut state = State { devnet, owners: BTreeMap::new(), accounts: BTreeMap::new() };
	for stream in listener.incoming() {
		let Ok(mut stream) = stream else { continue };
		let mut line = String::new();
		if BufReader::new(&stream).read_line(&mut line).is_err() {
			continue;
		}
		let response = match serde_json::from_str::<Value>(&line) {
			Ok(request) => {
				let id = request.get("id").cloned().unwrap_or(Value::Null);
				let method = request.get("method").and_then(Value::as_str).unwrap_or("");
				let params = request.get("params").cloned().unwrap_or(Value::Null);
				match state.handle(method, &params) {
					Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
					Err(message) => json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32000, "message": message}}),
				}
			},
			Err(e) => json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("not JSON: {e}")}}),
		};
		let _ = writeln!(stream, "{response}");
	}
}
