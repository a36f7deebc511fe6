//! The bridge's Cloudana side end to end, against a real `cloudana-node --dev`: the CLI
//! registers a peer through Sudo and sends CLD; `cloudana-guardian` (the development guardian
//! set, five of Wormhole's devnet keys) signs the finalized message into a VAA that
//! `cloudana bridge verify-vaa` accepts; a VAA from the peer (signed by the same set, as the
//! guardians would sign what the Solana program emits) is redeemed by `cloudana-relayer`,
//! which survives losing its journal without redeeming twice; over the rate limit a transfer
//! queues and is cancelled; bad input gets readable errors.
//!
//! Needs the binaries: `cargo build --release --workspace --bins` (scripts/test.sh does it).

#[path = "../../client/tests/common/mod.rs"]
mod common;

use cloudana_client::{
	bridge::{solana_text, write_vaa, SOLANA},
	Client,
};
use cloudana_wormhole::{
	devnet,
	ntt::{Transfer, TrimmedAmount},
	Body, Signature, Vaa, K256,
};
use common::{binary, dev_node, free_port, wait_for, Process};
use std::{path::Path, process::Command, time::Duration};

const EMITTER: [u8; 32] = [0xE1; 32];
const MANAGER: [u8; 32] = [0x3A; 32];
const CLD: u128 = 1_000_000_000_000;

fn run(binary_name: &str, args: &[&str]) -> (bool, String, String) {
	let output = Command::new(binary(binary_name)).args(args).output().unwrap();
	(output.status.success(), String::from_utf8_lossy(&output.stdout).into(), String::from_utf8_lossy(&output.stderr).into())
}

fn cli(url: &str, args: &[&str]) -> (bool, String, String) {
	let mut all = vec!["--url", url, "--json"];
	all.extend_from_slice(args);
	run("cloudana", &all)
}

fn ok(url: &str, args: &[&str]) -> serde_json::Value {
	let (success, out, err) = cli(url, args);
	assert!(success, "cloudana {args:?} failed: {err}");
	serde_json::from_str(out.lines().last().unwrap_or_default()).unwrap_or_else(|e| panic!("{out}: {e}"))
}

fn fails(url: &str, args: &[&str], needle: &str) {
	let (success, out, err) = cli(url, args);
	assert!(!success, "cloudana {args:?} should fail, printed {out}");
	assert!(err.contains(needle), "cloudana {args:?}: expected {needle:?} in: {err}");
}

async fn free(client: &Client, who: &str) -> u128 {
	client.balance(&cloudana_client::account(who).unwrap()).await.unwrap().0
}

/// A transfer of `units` (10⁻⁸ CLD) back to `to` from the peer, signed by the development set.
fn from_peer(units: u64, to: [u8; 32], emitter_of_cloudana: [u8; 32], sequence: u64) -> Vaa {
	let payload = Transfer {
		source_manager: MANAGER,
		recipient_manager: emitter_of_cloudana,
		sequence,
		sender: [0x5E; 32],
		amount: TrimmedAmount { amount: units, decimals: 8 },
		source_token: [0x70; 32],
		to,
		to_chain: 0xC1D0,
	}
	.encode()
	.unwrap();
	let body = Body {
		timestamp: 1_750_000_000,
		nonce: 0,
		emitter_chain: SOLANA,
		emitter_address: EMITTER,
		sequence,
		consistency_level: 32,
		payload,
	};
	let digest = body.digest(&K256);
	let signatures = (0..devnet::DEV_GUARDIANS)
		.map(|i| Signature { guardian_index: i as u8, signature: K256.sign(&devnet::GUARDIAN_KEYS[i], &digest).unwrap() })
		.collect();
	Vaa { guardian_set_index: 0, signatures, body }
}

fn guardian_set_file(dir: &Path) -> String {
	let path = dir.join("dev-set.txt");
	let lines: Vec<String> =
		devnet::GUARDIAN_ADDRESSES[..devnet::DEV_GUARDIANS].iter().map(|a| format!("0x{}", hex::encode(a))).collect();
	std::fs::write(&path, lines.join("\n")).unwrap();
	path.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn cld_leaves_through_the_guardians_and_comes_back_through_the_relayer() {
	let work = tempfile::tempdir().unwrap();
	let rpc_port = free_port();
	let node: Process = dev_node(work.path(), rpc_port, &[]);
	let url = format!("ws://127.0.0.1:{rpc_port}");
	let client = wait_for("the node's RPC", Duration::from_secs(120), &[&node], || async { Client::connect(&url).await.ok() }).await;
	let vaas = work.path().join("vaas");
	let vaa_dir = vaas.display().to_string();
	let owner = solana_text(&[0xB0; 32]);

	let status = ok(&url, &["bridge", "status"]);
	assert_eq!((status["guardian_set"].as_u64(), status["guardians"].as_u64()), (Some(0), Some(5)));
	assert_eq!(status["peers"].as_array().unwrap().len(), 0);

	// Bad input: readable errors, nothing sent.
	fails(&url, &["bridge", "transfer", "--to-solana", "not-base58!", "--amount", "1"], "not base58");
	fails(&url, &["bridge", "transfer", "--to-solana", "abc", "--amount", "1"], "a Solana address is 32");
	fails(&url, &["bridge", "transfer", "--to-solana", &owner, "--amount", "0.000000000001"], "cannot cross to Solana");
	fails(&url, &["bridge", "transfer", "--to-solana", &owner, "--amount", "1"], "WormholeBridge::UnknownPeer");
	fails(&url, &["bridge", "status", "0"], "no outbound transfer 0");

	// Not through Sudo: the call to propose on the bridge_admin track.
	let peer = ["--emitter", &solana_text(&EMITTER), "--manager", &format!("0x{}", hex::encode(MANAGER))];
	let limits = ["--outbound-limit", "1000", "--inbound-limit", "1000"];
	let proposal = ok(&url, &[&["bridge", "register-peer"][..], &peer, &limits].concat());
	assert_eq!(proposal["track"], "bridge_admin");
	assert!(proposal["call"].as_str().unwrap().starts_with("0x1004"), "{proposal}");
	fails(&url, &[&["bridge", "register-peer", "--sudo", "--suri", "//Bob"][..], &peer, &limits].concat(), "Sudo::RequireSudo");
	ok(&url, &[&["bridge", "register-peer", "--sudo"][..], &peer, &limits].concat());

	// Issue 26 item 13: below the minimum transfer (1 CLD), nothing is locked.
	fails(&url, &["bridge", "transfer", "--to-solana", &owner, "--amount", "0.5"], "WormholeBridge::BelowMinimumTransfer");

	// Alice sends 100 CLD; the guardians sign it once finalized.
	let alice_before = free(&client, "//Alice").await;
	let sent = ok(&url, &["bridge", "transfer", "--to-solana", &owner, "--amount", "100"]);
	assert_eq!((sent["sequence"].as_u64(), sent["queued"].as_bool()), (Some(0), Some(false)));
	assert!(free(&client, "//Alice").await <= alice_before - 100 * CLD);
	let (success, _, err) = run("cloudana-guardian", &["--url", &url, "--vaa-dir", &vaa_dir, "--once"]);
	assert!(success, "cloudana-guardian failed: {err}");
	let status = ok(&url, &["bridge", "status", "0", "--vaa-dir", &vaa_dir]);
	assert_eq!(status["finalized"], true, "{status}");
	assert_eq!((status["amount"].as_str(), status["recipient"].as_str()), (Some("100000000000000"), Some(owner.as_str())));
	let signed = status["vaa"].as_str().expect("the guardians signed it").to_string();
	let verified = run(
		"cloudana",
		&["--json", "bridge", "verify-vaa", "--guardian-set", &guardian_set_file(work.path()), "--guardian-set-index", "0", "--vaa", &signed],
	);
	assert!(verified.0, "verify-vaa: {}", verified.2);
	// A restarted guardian resumes where it stopped: nothing signed twice, nothing skipped.
	let (success, _, err) = run("cloudana-guardian", &["--url", &url, "--vaa-dir", &vaa_dir, "--once"]);
	assert!(success && err.contains("caught up"), "{err}");
	assert_eq!(std::fs::read_to_string(vaas.join("cloudana-guardian.next")).unwrap().trim(), "1");
	// Keys that are not the chain's set are refused before signing anything.
	let (success, _, err) = run("cloudana-guardian", &["--url", &url, "--vaa-dir", &vaa_dir, "--dev", "4", "--once"]);
	assert!(!success && err.contains("not the chain's guardian set 0"), "{err}");

	// 40 CLD come back to Bob from the peer, through the relayer.
	let emitter = cloudana_client::bridge::emitter_address(&client.api.at_current_block().await.unwrap()).unwrap();
	let bob: [u8; 32] = cloudana_client::account("//Bob").unwrap().0;
	let back = from_peer(40 * 100_000_000, bob, emitter, 0);
	let path = write_vaa(&vaas, &back).unwrap();
	let bob_before = free(&client, "//Bob").await;
	let (success, _, err) = run("cloudana-relayer", &["--url", &url, "--vaa-dir", &vaa_dir, "--suri", "//Charlie", "--once"]);
	assert!(success, "cloudana-relayer failed: {err}");
	assert_eq!(free(&client, "//Bob").await, bob_before + 40 * CLD);
	// Its journal lost, the relayer finds the VAA redeemed already and counts it as done.
	std::fs::remove_file(vaas.join("cloudana-relayer.done")).unwrap();
	let (success, _, err) = run("cloudana-relayer", &["--url", &url, "--vaa-dir", &vaa_dir, "--suri", "//Charlie", "--once"]);
	assert!(success && err.contains("redeemed already"), "{err}");
	assert_eq!(free(&client, "//Bob").await, bob_before + 40 * CLD);
	let again = ok(&url, &["bridge", "redeem", "--vaa", &path.display().to_string(), "--suri", "//Charlie"]);
	assert_eq!(again["already"], true);
	// Issue 26 item 13: dust (0.5 CLD) is skipped by a relayer with the default 1 CLD minimum,
	// so it cannot drain the relayer's fees; a relayer with a lower minimum redeems it.
	let dust = write_vaa(&vaas, &from_peer(50_000_000, bob, emitter, 2)).unwrap();
	let (success, _, err) = run("cloudana-relayer", &["--url", &url, "--vaa-dir", &vaa_dir, "--suri", "//Charlie", "--once"]);
	assert!(success && err.contains("below the relayer's minimum"), "{err}");
	assert_eq!(free(&client, "//Bob").await, bob_before + 40 * CLD);
	let args = ["--url", &url, "--vaa-dir", &vaa_dir, "--suri", "//Charlie", "--once", "--min-amount", "0.1"];
	let (success, _, err) = run("cloudana-relayer", &args);
	assert!(success, "cloudana-relayer failed: {err}");
	assert_eq!(free(&client, "//Bob").await, bob_before + 40 * CLD + CLD / 2);
	std::fs::remove_file(dust).unwrap();
	// The peer cannot return more than it was sent.
	let too_much = write_vaa(&vaas, &from_peer(60 * 100_000_000, bob, emitter, 1)).unwrap();
	fails(&url, &["bridge", "redeem", "--vaa", &too_much.display().to_string()], "WormholeBridge::ExceedsOutstanding");
	std::fs::remove_file(too_much).unwrap();

	// Over the outbound limit (1 000 CLD a day): locked, queued, then cancelled.
	let queued = ok(&url, &["bridge", "transfer", "--to-solana", &owner, "--amount", "2000"]);
	assert_eq!(queued["queued"], true);
	let id = queued["id"].as_u64().unwrap().to_string();
	fails(&url, &["bridge", "complete", "--outbound", &id], "WormholeBridge::StillQueued");
	fails(&url, &["bridge", "cancel", &id, "--suri", "//Bob"], "WormholeBridge::NotSender");
	let cancelled = ok(&url, &["bridge", "cancel", &id]);
	assert_eq!(cancelled["returned"], "2000000000000000");

	let status = ok(&url, &["bridge", "status"]);
	assert_eq!(status["locked"], "59500000000000", "{status}");
	assert_eq!(status["peers"][0]["outstanding"], "59500000000000");
	drop(node);
}
