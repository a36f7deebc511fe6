//! End to end: a real `cloudana-node --dev` and a real `cloudana-prover`, talked to over real
//! RPC. Alice registers the Iris accuracy circuit's key and submits a job; Bob registers as a
//! prover and puts his key in the node; the node's off-chain worker asks the daemon, locks the
//! job, hands it over, verifies the proof and submits it; the chain verifies it and pays. Every
//! balance movement is accounted for, fees included.
//!
//! The same run plays the hardening issue's attacks on the worker and the daemon:
//! - item 1: traps (a model the daemon does not hold, a collateral above the operator's
//!   policy, a grid slot whose hyper-parameters do not parse) are never locked, so Bob is never
//!   slashed;
//! - item 3: 2 000 cheap jobs (from four accounts) submitted first do not hide the real ones
//!   from the worker;
//! - item 9: three jobs submitted together are locked in consecutive blocks (their
//!   transactions take consecutive nonces) and proven.
//!
//! Needs the binaries: `cargo build --release --workspace --bins` (scripts/test.sh does it).


use cloudana_circuits::{keys, mlp};
use crate::common::{binary, datasets, dev_node, free_port, root, wait_for, Process};
use cloudana_client::{runtime, signer, units::CLD, Client, JobStatus, JobTerms};
use cloudana_groth16::{encoding::encode_fr, statement};
use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};
use subxt::utils::{AccountId32, H256};

/// Free + reserved (held) balance of each account at block `at`.
async fn totals(client: &Client, at: u64, accounts: &[AccountId32]) -> Vec<u128> {
	let block = client.api.at_block(at).await.unwrap();
	let mut out = Vec::new();
	for who in accounts {
		let info = block.storage().fetch(runtime::storage().system().account(), (who.clone(),)).await.unwrap().decode().unwrap();
		out.push(info.data.free + info.data.reserved);
	}
	out
}

async fn issuance(client: &Client, at: u64) -> u128 {
	let block = client.api.at_block(at).await.unwrap();
	block.storage().fetch(runtime::storage().balances().total_issuance(), ()).await.unwrap().decode().unwrap()
}

/// Transaction fees paid per account in blocks `from..=to`.
async fn fees(client: &Client, from: u64, to: u64) -> BTreeMap<AccountId32, u128> {
	let mut paid = BTreeMap::new();
	for n in from..=to {
		let block = client.api.at_block(n).await.unwrap();
		let events = block.events().fetch().await.unwrap();
		for event in events.find::<runtime::transaction_payment::events::TransactionFeePaid>() {
			let event = event.unwrap();
			*paid.entry(event.who).or_insert(0) += event.actual_fee; // the tip included
		}
	}
	paid
}

/// Sends `calls` from `signer` in nonce order, without waiting for each, until all are on
/// chain: what the pool dropped (it may drop a transaction under load) is sent again from the
/// chain's nonce, at most 10 rounds of 10 s.
async fn flood<Call: subxt::transactions::Payload>(client: &Client, signer: &subxt_signer::sr25519::Keypair, calls: Vec<Call>) -> anyhow::Result<()> {
	let who = signer.public_key().to_account_id();
	let first = client.nonce(&who).await?;
	let target = first + calls.len() as u64;
	for _round in 0..10 {
		let from = client.nonce(&who).await?;
		for nonce in from..target {
			// A transaction the pool still holds is refused as already imported or as one of too
			// low a priority (the same nonce is taken); one included since the nonce was read is
			// refused as outdated: skip them.
			if let Err(error) = client.submit_with_nonce(&calls[(nonce - first) as usize], signer, nonce).await {
				let text = format!("{error:#}").to_lowercase();
				if !["already imported", "priority", "outdated"].iter().any(|known| text.contains(known)) {
					return Err(error);
				}
			}
		}
		let deadline = Instant::now() + Duration::from_secs(10);
		while Instant::now() < deadline {
			if client.nonce(&who).await? >= target {
				return Ok(());
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}
	anyhow::bail!("{} transactions of {who} never made it on chain", target - client.nonce(&who).await?)
}

fn expect_error<T: std::fmt::Debug>(result: anyhow::Result<T>, needle: &str) {
	match result {
		Ok(value) => panic!("expected an error containing {needle:?}, got {value:?}"),
		Err(error) => assert!(format!("{error:#}").contains(needle), "expected {needle:?} in: {error:#}"),
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn an_iris_job_runs_from_rpc_to_payout() {
	let work = tempfile::tempdir().unwrap();
	let (rpc_port, prover_port) = (free_port(), free_port());
	let model_path = root().join("circuits/models/iris-mlp.json");
	let iris_path = datasets().join("iris.csv");

	let journal = work.path().join("prover");
	let prover = Process::start(
		&binary("cloudana-prover"),
		&[
			"serve".into(),
			"--listen".into(),
			format!("127.0.0.1:{prover_port}"),
			"--journal".into(),
			journal.display().to_string(),
			"--dataset".into(),
			iris_path.display().to_string(),
			"--model".into(),
			model_path.display().to_string(),
		],
		work.path().join("prover.log"),
	);
	// The daemon writes its token first thing; the node reads it at its start.
	let token_file = journal.join("token");
	wait_for("the daemon's token", Duration::from_secs(60), &[&prover], || async { token_file.exists().then_some(()) }).await;
	let node = dev_node(
		work.path(),
		rpc_port,
		&[
			"--prover-endpoint".into(),
			format!("http://127.0.0.1:{prover_port}"),
			"--prover-token-file".into(),
			token_file.display().to_string(),
			// Cheap work waits until its price has risen to 1 CLD.
			"--prover-min-price".into(),
			CLD.to_string(),
		],
	);
	let logs = [&node, &prover];

	let url = format!("ws://127.0.0.1:{rpc_port}");
	let client = wait_for("the node's RPC", Duration::from_secs(120), &logs, || async {
		Client::connect(&url).await.ok()
	})
	.await;
	wait_for("the prover daemon", Duration::from_secs(120), &logs, || async {
		std::net::TcpStream::connect(("127.0.0.1", prover_port)).ok()
	})
	.await;

	let (alice, bob, dave) = (signer("//Alice").unwrap(), signer("//Bob").unwrap(), signer("//Dave").unwrap());
	let treasury = cloudana_client::treasury_account();
	let accounts = [alice.public_key().to_account_id(), bob.public_key().to_account_id(), treasury.clone()];
	let start = client.block_number().await.unwrap();
	let (before, issuance_before) = (totals(&client, start, &accounts).await, issuance(&client, start).await);

	// Alice registers the Iris accuracy circuit's verifying key.
	let vk = keys::accuracy_vk(mlp::Spec::Iris);
	let circuit = H256(statement::vk_id(&vk));
	client.submit(&runtime::tx().verifier().register_vk(cloudana_client::chain_vk(&vk)), &alice).await.unwrap();

	// Errors come back named, and cost nothing but the fee.
	let terms = JobTerms { min_price: 5 * CLD, max_price: 20 * CLD, ramp_blocks: 10, lock_timeout: 200, proof_timeout: 100, collateral: CLD };
	let data = mlp::Dataset::read_holdout(&iris_path).unwrap();
	let model = mlp::Model::read(&model_path).unwrap();
	let inputs = vec![encode_fr(&data.commitment()), encode_fr(&model.commitment())];
	expect_error(
		client.submit(&runtime::tx().jobs().submit(H256::repeat_byte(7), inputs.clone(), terms.clone()), &alice).await,
		"Jobs::CircuitNotFound",
	);
	expect_error(
		client.submit(&runtime::tx().prover_staking().register(10 * CLD, vec![circuit]), &dave).await,
		"ProverStaking::StakeBelowMinimum",
	);
	expect_error(
		client.submit(&runtime::tx().jobs().submit(circuit, inputs.clone(), JobTerms { min_price: 30 * CLD, ..terms.clone() }), &alice).await,
		"Jobs::InvalidPriceRange",
	);

	// Item 3: four accounts flood the circuit with 2 000 jobs no prover takes (their price stays
	// below Bob's node's minimum), sent at once, before anything else.
	let junk_terms = JobTerms { min_price: 1_000, max_price: 1_000, ramp_blocks: 0, lock_timeout: 300, proof_timeout: 100, collateral: 0 };
	let flooders: Vec<_> = ["//Charlie", "//Dave", "//Eve", "//Ferdie"].iter().map(|s| signer(s).unwrap()).collect();
	let started = Instant::now();
	let mut floods = Vec::new();
	for (n, flooder) in flooders.iter().enumerate() {
		let junk: Vec<_> = (0..500u64)
			.map(|i| {
				let input = encode_fr(&ark_bn254::Fr::from(n as u64 * 1_000 + i));
				runtime::tx().jobs().submit(circuit, vec![input, [0u8; 32]], junk_terms.clone())
			})
			.collect();
		floods.push(flood(&client, flooder, junk));
	}
	for flooded in futures::future::join_all(floods).await {
		flooded.unwrap_or_else(|e| panic!("{e:#}\n--- node ---\n{}", node.tail()));
	}
	eprintln!("2 000 junk jobs on chain after {:?}", started.elapsed());

	// Item 1: traps set before Bob comes: a model the daemon does not hold, a collateral
	// above the operator's policy (100 CLD by default), a grid slot whose hyper-parameters do not
	// parse.
	let trap_model = vec![encode_fr(&data.commitment()), encode_fr(&ark_bn254::Fr::from(12_345u64))];
	let events = client.submit(&runtime::tx().jobs().submit(circuit, trap_model, terms.clone()), &alice).await.unwrap();
	let trap_model = events.find_first::<runtime::jobs::events::JobSubmitted>().unwrap().unwrap().job;
	let greedy = JobTerms { collateral: 150 * CLD, ..terms.clone() };
	let events = client.submit(&runtime::tx().jobs().submit(circuit, inputs.clone(), greedy), &alice).await.unwrap();
	let trap_collateral = events.find_first::<runtime::jobs::events::JobSubmitted>().unwrap().unwrap().job;
	use runtime::runtime_types::pallet_jobs::types::GridTerms;
	let grid_terms = GridTerms { bounty: 6 * CLD, collateral: 0, proof_timeout: 100, duration: 400 };
	let call = runtime::tx().jobs().submit_grid(circuit, vec![encode_fr(&data.commitment())], vec![b"lr=7,epochs=x".to_vec()], 1, grid_terms);
	let events = client.submit(&call, &alice).await.unwrap();
	let trap_grid = events.find_first::<runtime::jobs::events::GridSubmitted>().unwrap().unwrap().grid;

	// Bob becomes a prover (500 CLD: ten 50-CLD-tier locks at once) and gives the node his key.
	client.submit(&runtime::tx().prover_staking().register(500 * CLD, vec![circuit]), &bob).await.unwrap();
	client.insert_key("cprv", "//Bob", &bob.public_key().0).await.unwrap();

	// Alice asks how accurate the model is, three times at once (item 9).
	let alice_nonce = client.nonce(&accounts[0]).await.unwrap();
	let submitted_at = client.block_number().await.unwrap();
	for n in 0..3 {
		let call = runtime::tx().jobs().submit(circuit, inputs.clone(), terms.clone());
		client.submit_with_nonce(&call, &alice, alice_nonce + n).await.unwrap();
	}
	let first = wait_for("Alice's jobs", Duration::from_secs(60), &logs, || async {
		let next: u64 = client
			.api
			.at_current_block()
			.await
			.ok()?
			.storage()
			.fetch(runtime::storage().jobs().next_job_id(), ())
			.await
			.ok()?
			.decode()
			.ok()?;
		(next >= trap_collateral + 4).then_some(next - 3)
	})
	.await;
	let jobs = [first, first + 1, first + 2];
	let locked_by = wait_for("the three jobs to be locked", Duration::from_secs(120), &logs, || async {
		let mut all = Vec::new();
		for job in jobs {
			match client.job(job).await.ok().flatten()?.status {
				JobStatus::Open => return None,
				_ => all.push(()),
			}
		}
		Some(client.block_number().await.ok()?)
	})
	.await;
	// Old worker: one lock per run got through, the others reused its nonce and waited ten
	// blocks to retry; behind 2 000 junk jobs it might never see them at all.
	assert!(locked_by <= submitted_at + 20, "locked by block {locked_by}, submitted at {submitted_at}");

	let mut completed = Vec::new();
	for job in jobs {
		completed.push(
			wait_for("the jobs to complete", Duration::from_secs(300), &logs, || async {
				match client.job(job).await.ok().flatten()?.status {
					JobStatus::Completed { price, fee, outputs, prover, .. } => Some((price, fee, outputs, prover)),
					JobStatus::Expired { .. } | JobStatus::Cancelled { .. } | JobStatus::Void { .. } =>
						panic!("job {job} did not complete"),
					_ => None,
				}
			})
			.await,
		);
	}
	let end = client.block_number().await.unwrap();

	// The traps were never locked, and nobody was slashed.
	for trap in [trap_model, trap_collateral] {
		assert!(matches!(client.job(trap).await.unwrap().unwrap().status, JobStatus::Open), "trap job {trap} was locked");
	}
	let at = client.api.at_current_block().await.unwrap();
	let grid = at.storage().fetch(runtime::storage().jobs().grid_jobs(), (trap_grid,)).await.unwrap().decode().unwrap();
	assert!(matches!(grid.slots[0].state, runtime::runtime_types::pallet_jobs::types::SlotState::Open));
	let pending = at.storage().fetch(runtime::storage().slashing().next_slash_id(), ()).await.unwrap().decode().unwrap();
	assert_eq!(pending, 0, "no offence was ever reported");

	// The proven accuracy is the plain fixed-point evaluation.
	let expected = model.correct(&data);
	assert_eq!(expected, 29);
	let (mut paid, mut fees_paid) = (0, 0);
	for (price, fee, outputs, paid_prover) in completed {
		assert_eq!(outputs, vec![encode_fr(&ark_bn254::Fr::from(expected as u64))]);
		assert_eq!(paid_prover, accounts[1]);
		assert!((5 * CLD..=20 * CLD).contains(&price), "price {price}");
		assert_eq!(fee, price / 10);
		paid += price;
		fees_paid += fee;
	}

	// Every balance movement accounted for: job payments, escrows, deposits and stakes (held,
	// so in the totals), and transaction fees (burned).
	let after = totals(&client, end, &accounts).await;
	let paid_fees = fees(&client, start + 1, end).await;
	let fee_of = |who: &AccountId32| paid_fees.get(who).copied().unwrap_or(0);
	assert_eq!(after[0], before[0] - paid - fee_of(&accounts[0]), "Alice paid the prices and her fees");
	assert_eq!(after[1], before[1] + (paid - fees_paid) - fee_of(&accounts[1]), "Bob was paid price − fee, less his fees");
	assert_eq!(after[2], before[2] + fees_paid, "the treasury got the fees");
	let burned: u128 = paid_fees.values().sum();
	assert_eq!(issuance(&client, end).await, issuance_before - burned, "only transaction fees left the supply");
}
