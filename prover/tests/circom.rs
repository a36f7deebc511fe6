//! The daemon on circom jobs: artifacts fetched over HTTP from a local server, checked and
//! cached; the job proven and its proof verified against the chain's statement; and each way
//! a requester's artifacts can be wrong refused at assessment, before any lock: a hash
//! mismatch, an oversize file (declared, or larger than declared), an unreachable URL, a `.zkey`
//! whose verifying key is not the job's circuit, an input whose public inputs are not the job's.
//!
//! The circuit is `circuits/tests/fixtures/circom/product.circom` (c = a·b, the binding rule;
//! public signals `[c, binding, a]`), compiled by circom and set up by snarkjs.

use cloudana_primitives::{
	artifacts::{Artifact, CircomJob, InputData},
	wire::{Hex, ProveRequest, State},
	WorkId,
};
use cloudana_prover::{circom::Settings, Config, Data, Prover};
use sha2::Digest as _;
use std::{collections::BTreeMap, path::Path, sync::Arc, time::Duration};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn fixture(name: &str) -> Vec<u8> {
	let path = format!("{}/../circuits/tests/fixtures/circom/{name}", std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()));
	std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Serves `files` (path → bytes) over HTTP/1.1 on a free local port; returns the base URL.
async fn serve(files: BTreeMap<String, Vec<u8>>) -> String {
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let address = listener.local_addr().unwrap();
	let files = Arc::new(files);
	tokio::spawn(async move {
		loop {
			let Ok((mut stream, _)) = listener.accept().await else { return };
			let files = files.clone();
			tokio::spawn(async move {
				let mut request = Vec::new();
				let mut buffer = [0u8; 1024];
				while !request.windows(4).any(|w| w == b"\r\n\r\n") {
					match stream.read(&mut buffer).await {
						Ok(0) | Err(_) => return,
						Ok(n) => request.extend_from_slice(&buffer[..n]),
					}
				}
				let line = String::from_utf8_lossy(&request);
				let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
				let response = match files.get(&path) {
					Some(body) => {
						let mut r = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).into_bytes();
						r.extend_from_slice(body);
						r
					},
					None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
				};
				let _ = stream.write_all(&response).await;
			});
		}
	});
	format!("http://{address}")
}

fn artifact(bytes: &[u8], url: String) -> Artifact {
	Artifact { sha256: sha2::Sha256::digest(bytes).into(), size: bytes.len() as u64, location: url.into_bytes().try_into().unwrap() }
}

fn circuit_id(zkey: &[u8]) -> [u8; 32] {
	cloudana_circuits::circom::CircomCircuit::new(zkey, &fixture("product.wasm")).unwrap().vk_id
}

fn daemon(dir: &Path, settings: impl FnOnce(&mut Settings)) -> Arc<Prover> {
	// The test server is on 127.0.0.1: allowed here, refused by default (the last test).
	let mut circom = Settings { cache: dir.join("artifacts"), allow_private: true, ..Settings::default() };
	settings(&mut circom);
	Prover::new(Config {
		journal: dir.into(),
		keys: dir.join("keys"),
		data: Data::default(),
		max_queue: 8,
		retain: Duration::from_secs(3600),
		max_tasks: 100,
		circom: Some(circom),
		engine: std::sync::Arc::new(cloudana_circuits::engine::Cpu),
	})
	.unwrap()
}

/// A request for job `job` whose files are served at `base`: `product.zkey` (or `zkey`),
/// `product.wasm`, `product.input.json`, job input `a`.
fn request(base: &str, job: u64, a: u64) -> ProveRequest {
	let zkey = fixture("product.zkey");
	ProveRequest {
		work: WorkId::Job(job),
		circuit: Hex(circuit_id(&zkey)),
		binding: Hex(cloudana_groth16::encoding::encode_fr(&ark_bn254::Fr::from(1000 + job))),
		inputs: vec![Hex(cloudana_groth16::encoding::encode_fr(&ark_bn254::Fr::from(a)))],
		outputs: 1,
		hyper_params: None,
		circom: Some(CircomJob {
			wasm: artifact(&fixture("product.wasm"), format!("{base}/wasm")),
			zkey: artifact(&zkey, format!("{base}/zkey")),
			input: InputData::Committed(artifact(&fixture("product.input.json"), format!("{base}/input"))),
		}),
	}
}

fn files() -> BTreeMap<String, Vec<u8>> {
	BTreeMap::from([
		("/wasm".to_string(), fixture("product.wasm")),
		("/zkey".to_string(), fixture("product.zkey")),
		("/other-zkey".to_string(), fixture("product_other.zkey")),
		("/input".to_string(), fixture("product.input.json")),
	])
}

/// Asks until the preparation is over; returns the refusal, or `None` if it would prove.
async fn assess(prover: &Prover, request: &ProveRequest) -> Option<String> {
	for _ in 0..200 {
		let assessment = prover.assess(request);
		match assessment.refusal {
			Some(reason) if reason.starts_with("fetching") => tokio::time::sleep(Duration::from_millis(50)).await,
			Some(reason) => return Some(reason),
			None => {
				assert!(assessment.estimated_ms.is_some());
				return None;
			},
		}
	}
	panic!("the preparation did not finish");
}

/// Submits `request` and waits until it is proven.
async fn prove(prover: &Prover, request: &ProveRequest) -> cloudana_primitives::wire::TaskStatus {
	prover.submit(request.clone()).unwrap();
	let mut status = prover.status(&request.task_id());
	for _ in 0..400 {
		if matches!(status.state, State::Done | State::Failed) {
			break;
		}
		tokio::time::sleep(Duration::from_millis(50)).await;
		status = prover.status(&request.task_id());
	}
	assert_eq!(status.state, State::Done, "{:?}", status.error);
	status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_circom_job_is_fetched_checked_proven_and_its_proof_verifies() {
	let dir = tempfile::tempdir().unwrap();
	let base = serve(files()).await;
	let prover = daemon(dir.path(), |_| {});
	assert!(prover.capabilities().circom);
	let req = request(&base, 1, 6);
	assert_eq!(assess(&prover, &req).await, None);
	// Cached by hash.
	let zkey_hash = hex::encode(req.circom.as_ref().unwrap().zkey.sha256);
	assert!(dir.path().join("artifacts").join(zkey_hash).is_file());
	let (_address, handle) = cloudana_prover::serve(prover.clone(), "127.0.0.1:0".parse().unwrap(), "t").await.unwrap();
	let status = prove(&prover, &req).await;
	let outputs = status.outputs.unwrap();
	assert_eq!(outputs, vec![Hex(cloudana_groth16::encoding::encode_fr(&ark_bn254::Fr::from(42u64)))]);
	// The chain's statement for a circom job: outputs ‖ binding ‖ inputs.
	let statement = vec![outputs[0].0, req.binding.0, req.inputs[0].0];
	let vk = cloudana_groth16::snarkjs::verifying_key_from_json(std::str::from_utf8(&fixture("product.vk.json")).unwrap()).unwrap();
	let proof = cloudana_groth16::Proof::from_bytes(&status.proof.unwrap().0).unwrap();
	cloudana_groth16::verifier::verify(&vk, &statement, &proof).unwrap();
	// Another binding (another job or prover) does not verify.
	let mut other = statement.clone();
	other[1] = cloudana_groth16::encoding::encode_fr(&ark_bn254::Fr::from(7u64));
	assert!(cloudana_groth16::verifier::verify(&vk, &other, &proof).is_err());

	// A public input: the JSON on chain, nothing to fetch for it.
	let mut public = request(&base, 10, 6);
	public.circom.as_mut().unwrap().input = InputData::Public(br#"{"a": "6", "b": "7"}"#.to_vec().try_into().unwrap());
	assert_eq!(assess(&prover, &public).await, None);
	// Issue 26 item 3: though the circuit is measured, this job too was proven and its proof
	// verified before the worker may lock it (a `.wasm` can compute the right public signals
	// from a witness that does not satisfy the circuit); that proof is its result.
	assert_eq!(prover.assess(&public).estimated_ms, Some(0), "proven during the preparation");
	prove(&prover, &public).await;
	handle.stop().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_artifacts_are_refused_before_any_lock() {
	let dir = tempfile::tempdir().unwrap();
	let base = serve(files()).await;
	let prover = daemon(dir.path(), |s| s.max_zkey = 100_000);

	// A hash mismatch: the URL serves other bytes than the job names.
	let mut req = request(&base, 2, 6);
	req.circom.as_mut().unwrap().zkey.location = format!("{base}/other-zkey").into_bytes().try_into().unwrap();
	let refusal = assess(&prover, &req).await.unwrap();
	assert!(refusal.contains("SHA-256") && refusal.contains("refused"), "{refusal}");

	// Oversize, declared: refused without fetching.
	let mut req = request(&base, 3, 6);
	req.circom.as_mut().unwrap().zkey.size = 200_000;
	let refusal = assess(&prover, &req).await.unwrap();
	assert!(refusal.contains("over this daemon's limit") && refusal.contains("--max-zkey-mib"), "{refusal}");

	// Oversize, served: more bytes than declared (and a cached file of that hash is no
	// exception).
	let mut req = request(&base, 4, 6);
	req.circom.as_mut().unwrap().wasm.size = 1000;
	let refusal = assess(&prover, &req).await.unwrap();
	assert!(refusal.contains("declare") && refusal.contains("1000"), "{refusal}");

	// An unreachable URL (a closed port), and a missing file.
	let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
	let mut req = request(&base, 5, 6);
	if let InputData::Committed(file) = &mut req.circom.as_mut().unwrap().input {
		file.location = format!("http://{closed}/input").into_bytes().try_into().unwrap();
	}
	let refusal = assess(&prover, &req).await.unwrap();
	assert!(refusal.contains("cannot fetch the input file"), "{refusal}");
	let mut req = request(&base, 6, 6);
	if let InputData::Committed(file) = &mut req.circom.as_mut().unwrap().input {
		file.location = format!("{base}/nowhere").into_bytes().try_into().unwrap();
	}
	let refusal = assess(&prover, &req).await.unwrap();
	assert!(refusal.contains("HTTP 404"), "{refusal}");

	// A .zkey that is not the registered key: the job names the other key's circuit.
	let mut req = request(&base, 7, 6);
	req.circuit = Hex(circuit_id(&fixture("product_other.zkey")));
	let refusal = assess(&prover, &req).await.unwrap();
	assert!(refusal.contains("do not match the registered key"), "{refusal}");

	// An input whose public input is not the job's (a = 6 in the file, 5 on chain).
	let req = request(&base, 8, 5);
	let refusal = assess(&prover, &req).await.unwrap();
	assert!(refusal.contains("not the job's"), "{refusal}");

	// Nothing was journaled: a refusal is not a task.
	assert!(prover.list(&Default::default()).tasks.is_empty());

	// A daemon without --circom refuses circom jobs and does not claim them.
	let plain = Prover::new(Config {
		journal: dir.path().join("plain"),
		keys: dir.path().join("keys"),
		data: Data::default(),
		max_queue: 8,
		retain: Duration::from_secs(3600),
		max_tasks: 100,
		circom: None,
		engine: std::sync::Arc::new(cloudana_circuits::engine::Cpu),
	})
	.unwrap();
	assert!(!plain.capabilities().circom);
	assert!(plain.assess(&request(&base, 9, 6)).refusal.unwrap().contains("--circom"));
	assert!(plain.submit(request(&base, 9, 6)).is_err());
}

/// Issue 26 item 12: a requester names the artifact URLs, so a daemon fetched from the
/// operator's own network (loopback services, cloud metadata at 169.254.169.254, private
/// hosts) on the requester's behalf. By default such addresses are refused, named directly or
/// through a host name that resolves to them, before any request is sent; nothing is cached.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn item_12_artifacts_are_not_fetched_from_private_addresses_unless_allowed() {
	use cloudana_prover::circom::public_address;
	let dir = tempfile::tempdir().unwrap();
	let base = serve(files()).await;
	let prover = daemon(dir.path(), |s| s.allow_private = false);
	let refusal = assess(&prover, &request(&base, 1, 6)).await.unwrap();
	assert!(refusal.contains("loopback, private or link-local") && refusal.contains("--allow-private-artifacts"), "{refusal}");
	let port = base.rsplit(':').next().unwrap();
	let refusal = assess(&prover, &request(&format!("http://localhost:{port}"), 2, 6)).await.unwrap();
	assert!(refusal.contains("resolves only to loopback"), "{refusal}");
	let cached = std::fs::read_dir(dir.path().join("artifacts")).unwrap().count();
	assert_eq!(cached, 0, "nothing fetched");
	for refused in ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1"] {
		assert!(!public_address(refused.parse().unwrap()), "{refused}");
	}
	for allowed in ["1.1.1.1", "151.101.1.69", "2606:4700::1111"] {
		assert!(public_address(allowed.parse().unwrap()), "{allowed}");
	}
	// Allowed, the same request is fetched and prepared.
	let other = tempfile::tempdir().unwrap();
	let allowed = daemon(other.path(), |_| {});
	assert_eq!(assess(&allowed, &request(&base, 3, 6)).await, None);
}
