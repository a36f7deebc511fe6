//! `cloudana gov` against a real `cloudana-node --dev` (governance periods divided by 1 440):
//! a root referendum proposed, voted by the development accounts with conviction, and enacted;
//! the other commands and their errors.
//!
//! Needs the binaries: `cargo build --release --workspace --bins` (scripts/test.sh does it).

use crate::common;

use cloudana_client::{runtime, Client};
use crate::common::{binary, dev_node, free_port, wait_for};
use std::{process::Command, time::Duration};

/// Runs `cloudana --url URL ARGS…`: success, stdout, stderr.
fn cli(url: &str, args: &[&str]) -> (bool, String, String) {
	let output = Command::new(binary("cloudana")).arg("--url").arg(url).args(args).output().unwrap();
	(output.status.success(), String::from_utf8_lossy(&output.stdout).into(), String::from_utf8_lossy(&output.stderr).into())
}

fn ok(url: &str, args: &[&str]) -> String {
	let (success, out, err) = cli(url, args);
	assert!(success, "cloudana {args:?} failed: {err}");
	out
}

fn fails(url: &str, args: &[&str], needle: &str) {
	let (success, out, err) = cli(url, args);
	assert!(!success, "cloudana {args:?} should fail, printed {out}");
	assert!(err.contains(needle), "cloudana {args:?}: expected {needle:?} in: {err}");
}

/// A dev node in `dir`, its URL, and a client connected to it.
async fn started(dir: &std::path::Path) -> (common::Process, String, Client) {
	let rpc_port = free_port();
	let node = dev_node(dir, rpc_port, &[]);
	let url = format!("ws://127.0.0.1:{rpc_port}");
	let client = wait_for("the node's RPC", Duration::from_secs(120), &[&node], || async { Client::connect(&url).await.ok() }).await;
	(node, url, client)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_root_referendum_runs_from_the_cli_to_enactment() {
	let work = tempfile::tempdir().unwrap();
	let (node, url, client) = started(work.path()).await;

	// Bad input: readable errors, nothing sent.
	fails(&url, &["gov", "propose", "call", "zz", "--track", "root"], "not hex");
	fails(&url, &["gov", "propose", "call", "0x00", "--track", "root"], "at least a pallet and a call index");
	fails(&url, &["gov", "propose", "insurance-spend", "--amount", "0.0000000000001", "--to", "//Dave"], "more than 12 decimals");
	fails(&url, &["gov", "vote", "0", "maybe", "--balance", "1"], "invalid value 'maybe'");
	fails(&url, &["gov", "vote", "7", "aye", "--balance", "1"], "ConvictionVoting::NotOngoing");
	assert_eq!(ok(&url, &["gov", "list"]).trim(), "no referenda");

	// Alice proposes on the root track; the development accounts vote aye with 1× conviction.
	let key = b":cloudana:cli".to_vec();
	let at = client.api.at_current_block().await.unwrap();
	let call = at.tx().call_data(&runtime::tx().system().set_storage(vec![(key.clone(), vec![1])])).unwrap();
	let (call, key) = (format!("0x{}", hex::encode(call)), format!("0x{}", hex::encode(key)));
	let proposed = ok(&url, &["gov", "propose", "call", &call, "--track", "root"]);
	assert!(proposed.starts_with("referendum 0 on track 0"), "{proposed}");
	for suri in ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"] {
		ok(&url, &["gov", "vote", "0", "aye", "--balance", "900000", "--conviction", "1", "--suri", suri]);
	}
	let listed = ok(&url, &["gov", "list"]);
	assert!(listed.contains("referendum 0 track 0") && listed.contains("ayes 5400000 CLD"), "{listed}");

	// Enacted within the development timing (a few dozen blocks of 0.5 s).
	wait_for("the referendum's call to be enacted", Duration::from_secs(180), &[&node], || async {
		let stored: Option<String> = client.rpc.request("state_getStorage", subxt::rpcs::rpc_params![key.clone()]).await.ok()?;
		stored.filter(|value| value == "0x01")
	})
	.await;
	let listed: serde_json::Value = serde_json::from_str(&ok(&url, &["--json", "gov", "list"])).unwrap();
	assert!(listed[0]["phase"].as_str().unwrap().starts_with("approved"), "{listed}");

	// Votes are removed and unlocked by their owners; delegation per track.
	fails(&url, &["gov", "remove-vote", "0", "--suri", "//Bob"], "ConvictionVoting::ClassNeeded");
	ok(&url, &["gov", "remove-vote", "0", "--track", "0", "--suri", "//Bob"]);
	ok(&url, &["gov", "unlock", "--track", "0", "--suri", "//Bob"]);
	ok(&url, &["gov", "delegate", "--track", "10", "--to", "//Alice", "--balance", "100", "--conviction", "2", "--suri", "//Eve"]);
	fails(&url, &["gov", "delegate", "--track", "10", "--to", "//Alice", "--balance", "100", "--suri", "//Eve"], "ConvictionVoting::AlreadyDelegating");
	ok(&url, &["gov", "undelegate", "--track", "10", "--suri", "//Eve"]);
	fails(&url, &["gov", "undelegate", "--track", "10", "--suri", "//Eve"], "ConvictionVoting::NotDelegating");

	// The named proposals land on their tracks.
	assert!(ok(&url, &["gov", "propose", "slash-cancel", "3", "--suri", "//Bob"]).starts_with("referendum 1 on track 11"));
	assert!(ok(&url, &["gov", "propose", "insurance-spend", "--amount", "0.5", "--to", "//Dave", "--suri", "//Bob"])
		.starts_with("referendum 2 on track 12"));

	// A parameter change, typed from the chain's metadata; its errors name what is wrong.
	fails(&url, &["gov", "propose", "parameter", "NoSuchThing", "1"], "no economics parameter \"NoSuchThing\"; the chain has: ");
	fails(&url, &["gov", "propose", "parameter", "FeeRate", "120%"], "not between 0% and 100%");
	fails(&url, &["gov", "propose", "parameter", "SlashDeferDuration", "2.5"], "not a whole number");
	fails(&url, &["gov", "propose", "parameter", "DisputeBond", "lots"], "DisputeBond (CLD)");
	assert!(ok(&url, &["gov", "propose", "parameter", "FeeRate", "12.5%", "--suri", "//Bob"]).starts_with("referendum 3 on track 10"));
	// Every parameter with its current value; the development preset sets one in genesis, the
	// governance time divisor, and the others have their defaults.
	let parameters: Vec<serde_json::Value> = serde_json::from_str(&ok(&url, &["--json", "gov", "parameters"])).unwrap();
	assert_eq!(parameters.len(), 50, "47 economics (ExpiryFee the latest), TimeDivisor, ChainId, MinTransfer");
	let set: Vec<String> = parameters
		.iter()
		.filter(|p| p["set"] == true)
		.map(|p| format!("{}.{} = {}", p["group"].as_str().unwrap(), p["name"].as_str().unwrap(), p["value"].as_str().unwrap()))
		.collect();
	assert_eq!(set, vec!["Governance.TimeDivisor = 1440".to_string()]);
	let bond = parameters.iter().find(|p| p["name"] == "DisputeBond").unwrap();
	assert_eq!((bond["value"].as_str(), bond["unit"].as_str()), (Some("50000000000000"), Some("base units")));
	let fee = parameters.iter().find(|p| p["name"] == "FeeRate").unwrap();
	assert_eq!((fee["value"].as_str(), fee["unit"].as_str()), (Some("100000000"), Some("perbill")));
	assert!(ok(&url, &["gov", "parameters"]).contains("Economics.DisputeBond = 50 CLD\n"));
	drop(node);
}

#[tokio::test(flavor = "multi_thread")]
async fn dispute_commands_refuse_bad_input_readably() {
	let work = tempfile::tempdir().unwrap();
	let (node, url, _client) = started(work.path()).await;

	fails(&url, &["dispute", "appeal-slash", "0", "--reason", "unprovable", "--suri", "//Bob"], "Disputes::SlashNotFound");
	fails(&url, &["dispute", "appeal-slash", "0", "--reason", "training-mismatch"], "invalid value 'training-mismatch'");
	fails(&url, &["dispute", "challenge", "--job", "0", "--reason", "wrong-result"], "Disputes::WorkNotFound");
	fails(&url, &["dispute", "challenge", "--reason", "wrong-result"], "--grid");
	fails(&url, &["dispute", "challenge", "--job", "0", "--grid", "1", "--slot", "0", "--reason", "wrong-result"], "cannot be used with");
	fails(&url, &["dispute", "evidence", "0", "--hash", "0x12"], "--hash");
	fails(&url, &["dispute", "evidence", "0", "--hash", &format!("0x{}", "ab".repeat(32))], "Disputes::DisputeNotFound");
	fails(&url, &["dispute", "evidence", "0", "--hash", &format!("0x{}", "ab".repeat(32)), "--note", &"x".repeat(257)], "at most 256");
	fails(&url, &["dispute", "show", "0"], "no open dispute 0");
	fails(&url, &["dispute", "appeal", "0"], "Disputes::DisputeNotFound");
	fails(&url, &["dispute", "conclude", "0"], "Disputes::DisputeNotFound");
	assert_eq!(ok(&url, &["dispute", "list"]).trim(), "no open disputes");
	assert!(ok(&url, &["prover", "slashes", "//Bob"]).contains("has no pending slash"));
	fails(&url, &["job", "lock", "0", "--suri", "//Bob"], "Jobs::JobNotFound");
	fails(&url, &["grid", "lock", "0", "0", "--suri", "//Bob"], "Jobs::GridNotFound");
	drop(node);
}
