//! The proving daemon over its real JSON-RPC API: the bearer token (HTTP 401 without it), the
//! request size limit, assessments, a real Iris proof, idempotent submission, named errors for
//! bad requests, failures for unknown data, tasks keyed by the whole request (a poisoned task for
//! the same binding is not the worker's), paginated listing, pruning with a cap, and a restart
//! that loses no accepted task and refuses a tampered one; grid slots trained and proven on Iris
//! and on Wine.

use cloudana_circuits::{keys, mlp};
use cloudana_groth16::{encoding::encode_fr, verifier, Proof};
use cloudana_primitives::{wire, WorkId};
use cloudana_prover::{
	load_or_create_token, serve, Assessment, Capabilities, Config, Data, Hex, ListQuery, ProveRequest, Prover, State,
	StatusQuery, TaskPage, TaskStatus,
};
use jsonrpsee::{
	core::client::ClientT,
	http_client::{HttpClient, HttpClientBuilder},
	rpc_params,
};
use std::{
	io::{Read, Write},
	path::{Path, PathBuf},
	sync::Arc,
	time::{Duration, Instant},
};

const TOKEN: &str = "test-token";

fn root() -> PathBuf {
	// The manifest dir at run time (cargo sets it), not at build time: a shared target dir may
	// hold binaries built from another checkout.
	PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into())).join("..")
}

fn csv(spec: mlp::Spec) -> PathBuf {
	std::env::var("CLOUDANA_DATASETS").map(PathBuf::from).unwrap_or_else(|_| root().join("data")).join(spec.file_name())
}

fn iris_csv() -> PathBuf {
	csv(mlp::Spec::Iris)
}

fn model_json() -> PathBuf {
	root().join("circuits/models/iris-mlp.json")
}

fn keys_dir() -> PathBuf {
	// Shared between tests: the development setup runs once.
	std::env::temp_dir().join("cloudana-prover-test-keys")
}

fn prover_with(journal: &Path, max_tasks: usize) -> Arc<Prover> {
	let data = Data::load(&[iris_csv(), csv(mlp::Spec::Wine)], &[model_json()]).unwrap();
	Prover::new(Config {
		journal: journal.into(),
		keys: keys_dir(),
		data,
		max_queue: 8,
		retain: Duration::from_secs(3600),
		max_tasks,
		circom: None,
		// `cuda`: on a machine without a GPU (CI), the warning and the CPU; with one, the GPU.
		engine: cloudana_prover::backend::open(cloudana_prover::backend::Backend::Cuda, &journal.join("ptx")),
	})
	.unwrap()
}

fn prover(journal: &Path) -> Arc<Prover> {
	prover_with(journal, 1_000)
}

async fn client(prover: Arc<Prover>) -> (HttpClient, std::net::SocketAddr, jsonrpsee::server::ServerHandle) {
	let (address, handle) = serve(prover, "127.0.0.1:0".parse().unwrap(), TOKEN).await.unwrap();
	let mut headers = jsonrpsee::http_client::HeaderMap::new();
	headers.insert("Authorization", format!("Bearer {TOKEN}").parse().unwrap());
	let client = HttpClientBuilder::default().set_headers(headers).build(format!("http://{address}")).unwrap();
	(client, address, handle)
}

fn request(job: u64, binding_byte: u8) -> ProveRequest {
	let data = mlp::Dataset::read_holdout(&iris_csv()).unwrap();
	let model = mlp::Model::read(&model_json()).unwrap();
	ProveRequest {
		work: WorkId::Job(job),
		circuit: Hex(keys::accuracy_circuit_id(mlp::Spec::Iris)),
		binding: Hex([binding_byte; 32]),
		inputs: vec![Hex(encode_fr(&data.commitment())), Hex(encode_fr(&model.commitment()))],
		outputs: 1,
		hyper_params: None,
		circom: None,
	}
}

async fn wait_done(client: &HttpClient, request: &ProveRequest) -> TaskStatus {
	let deadline = Instant::now() + Duration::from_secs(120);
	loop {
		let status: TaskStatus =
			client.request(wire::STATUS, rpc_params![StatusQuery { task: request.task_id() }]).await.unwrap();
		if matches!(status.state, State::Done | State::Failed) {
			return status;
		}
		assert!(Instant::now() < deadline, "task still {:?}", status.state);
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
}

/// `binding ‖ inputs ‖ outputs` of a finished task, and its proof.
fn statement(status: &TaskStatus) -> (Vec<[u8; 32]>, Proof) {
	let request = status.request.as_ref().unwrap();
	let mut inputs = vec![request.binding.0];
	inputs.extend(request.inputs.iter().map(|i| i.0));
	inputs.extend(status.outputs.as_ref().unwrap().iter().map(|o| o.0));
	(inputs, Proof::from_bytes(&status.proof.unwrap().0).unwrap())
}

/// A raw HTTP POST of `body` with an optional `Authorization` header; returns the status code.
fn raw_post(address: std::net::SocketAddr, authorization: Option<&str>, body: &str) -> u16 {
	let mut stream = std::net::TcpStream::connect(address).unwrap();
	stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
	let auth = authorization.map(|a| format!("Authorization: {a}\r\n")).unwrap_or_default();
	write!(
		stream,
		"POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	)
	.unwrap();
	let mut response = String::new();
	let _ = stream.read_to_string(&mut response);
	response.split_whitespace().nth(1).and_then(|code| code.parse().ok()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn proves_a_job_over_json_rpc_and_answers_errors() {
	let journal = tempfile::tempdir().unwrap();
	let (client, _, _handle) = client(prover(journal.path())).await;

	let capabilities: Capabilities = client.request(wire::CAPABILITIES, rpc_params![]).await.unwrap();
	// The circuits of the datasets given, and only those.
	let mut circuits = vec![Hex(keys::accuracy_circuit_id(mlp::Spec::Iris)), Hex(keys::accuracy_circuit_id(mlp::Spec::Wine))];
	circuits.sort();
	assert_eq!(capabilities.circuits, circuits);
	assert!(capabilities.accepting);
	assert_eq!(capabilities.datasets.len(), 2);

	// Never submitted: unknown.
	let unknown: TaskStatus = client.request(wire::STATUS, rpc_params![StatusQuery { task: Hex([9; 32]) }]).await.unwrap();
	assert_eq!(unknown.state, State::Unknown);

	// Assessed from the daemon's own measurement (made at its first start).
	let req = request(7, 1);
	let assessment: Assessment = client.request(wire::ASSESS, rpc_params![req.clone()]).await.unwrap();
	assert_eq!((assessment.task, assessment.refusal.clone()), (req.task_id(), None));
	assert!(assessment.estimated_ms.unwrap() > 0);

	// A real proof, for the binding asked.
	let accepted: TaskStatus = client.request(wire::SUBMIT, rpc_params![req.clone()]).await.unwrap();
	assert!(matches!(accepted.state, State::Queued | State::Proving | State::Done));
	assert_eq!(accepted.task, req.task_id());
	// Submitting again is harmless: the same task.
	let again: TaskStatus = client.request(wire::SUBMIT, rpc_params![req.clone()]).await.unwrap();
	assert_eq!(again.request, accepted.request);
	let done = wait_done(&client, &req).await;
	assert_eq!(done.state, State::Done, "{:?}", done.error);
	assert_eq!(done.outputs.clone().unwrap(), vec![Hex(encode_fr(&ark_bn254::Fr::from(29u64)))]);
	let (inputs, proof) = statement(&done);
	assert_eq!(verifier::verify(&keys::accuracy_vk(mlp::Spec::Iris), &inputs, &proof), Ok(()));

	// Bad requests are refused with a reason.
	let mut bad_binding = serde_json::to_value(request(8, 2)).unwrap();
	bad_binding["binding"] = "0x1234".into();
	let error = client.request::<TaskStatus, _>(wire::SUBMIT, rpc_params![bad_binding]).await.unwrap_err();
	assert!(error.to_string().contains("expected 32 bytes"), "{error}");
	let other_circuit = ProveRequest { circuit: Hex([5; 32]), ..request(8, 2) };
	let error = client.request::<TaskStatus, _>(wire::SUBMIT, rpc_params![other_circuit.clone()]).await.unwrap_err();
	assert!(error.to_string().contains("does not prove circuit"), "{error}");
	let assessment: Assessment = client.request(wire::ASSESS, rpc_params![other_circuit]).await.unwrap();
	assert!(assessment.refusal.unwrap().contains("does not prove circuit"));

	// Data the daemon does not hold: assessed as refused (the worker does not lock), and a task
	// submitted anyway fails with the reason.
	let mut unknown_data = request(9, 3);
	unknown_data.inputs[1] = Hex([0; 32]);
	let assessment: Assessment = client.request(wire::ASSESS, rpc_params![unknown_data.clone()]).await.unwrap();
	assert!(assessment.refusal.unwrap().contains("unknown model commitment"));
	let _: TaskStatus = client.request(wire::SUBMIT, rpc_params![unknown_data.clone()]).await.unwrap();
	let failed = wait_done(&client, &unknown_data).await;
	assert_eq!(failed.state, State::Failed);
	assert!(failed.error.unwrap().contains("unknown model commitment"));
	// Hyper-parameters on a plain job are refused.
	let plain_with_params = ProveRequest { hyper_params: Some("lr=0.1,epochs=1".into()), ..request(10, 4) };
	let assessment: Assessment = client.request(wire::ASSESS, rpc_params![plain_with_params]).await.unwrap();
	assert!(assessment.refusal.is_some());

	// Listing is paginated.
	let page: TaskPage = client.request(wire::LIST, rpc_params![ListQuery { after: None, limit: Some(1) }]).await.unwrap();
	assert_eq!(page.tasks.len(), 1);
	let rest: TaskPage = client.request(wire::LIST, rpc_params![ListQuery { after: page.next, limit: Some(10) }]).await.unwrap();
	assert_eq!((rest.tasks.len(), rest.next), (1, None));
	assert!(page.tasks[0].task < rest.tasks[0].task);
}

#[tokio::test(flavor = "multi_thread")]
async fn item_10_calls_without_the_token_get_401_and_oversized_requests_are_refused() {
	let journal = tempfile::tempdir().unwrap();
	let (client, address, _handle) = client(prover(journal.path())).await;
	let body = r#"{"jsonrpc":"2.0","id":1,"method":"prover_capabilities","params":[]}"#;
	assert_eq!(raw_post(address, None, body), 401, "no token");
	assert_eq!(raw_post(address, Some("Bearer wrong"), body), 401, "another token");
	assert_eq!(raw_post(address, Some(&format!("Bearer {TOKEN}")), body), 200);
	// A request body above the limit is refused before it is read.
	let huge = format!(
		r#"{{"jsonrpc":"2.0","id":1,"method":"prover_submit","params":[{{"pad":"{}"}}]}}"#,
		"x".repeat(cloudana_prover::MAX_REQUEST_BYTES as usize)
	);
	assert_eq!(raw_post(address, Some(&format!("Bearer {TOKEN}")), &huge), 413);
	// The daemon still serves its worker.
	let _: Capabilities = client.request(wire::CAPABILITIES, rpc_params![]).await.unwrap();
	// The token is created once, private, and read back the same.
	let path = journal.path().join("token");
	let token = load_or_create_token(&path).unwrap();
	assert_eq!(token.len(), 64);
	assert_eq!(load_or_create_token(&path).unwrap(), token);
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn item_10_a_poisoned_task_for_the_same_binding_is_not_the_workers() {
	let journal = tempfile::tempdir().unwrap();
	let (client, _, _handle) = client(prover(journal.path())).await;
	// A local process that knows the token submits a task for the binding the worker will
	// use, with other inputs (a dataset it chose).
	let real = request(12, 5);
	let mut poisoned = real.clone();
	poisoned.inputs[0] = Hex(encode_fr(&ark_bn254::Fr::from(1u64)));
	let _: TaskStatus = client.request(wire::SUBMIT, rpc_params![poisoned.clone()]).await.unwrap();
	// The worker asks for its own request's task: unknown, so it hands its request over, and gets
	// a proof of its own statement.
	let status: TaskStatus = client.request(wire::STATUS, rpc_params![StatusQuery { task: real.task_id() }]).await.unwrap();
	assert_eq!(status.state, State::Unknown);
	let _: TaskStatus = client.request(wire::SUBMIT, rpc_params![real.clone()]).await.unwrap();
	let done = wait_done(&client, &real).await;
	assert_eq!(done.request.as_ref(), Some(&real));
	let (inputs, proof) = statement(&done);
	assert_eq!(verifier::verify(&keys::accuracy_vk(mlp::Spec::Iris), &inputs, &proof), Ok(()));
	assert_eq!(wait_done(&client, &poisoned).await.state, State::Failed);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_loses_no_accepted_task_and_refuses_a_tampered_one() {
	let journal = tempfile::tempdir().unwrap();
	// Accept tasks without ever running a worker: they stay queued, on disk.
	let (kept, tampered) = (request(3, 4), request(4, 6));
	{
		let first = prover(journal.path());
		assert_eq!(first.submit(kept.clone()).unwrap().state, State::Queued);
		assert_eq!(first.submit(tampered.clone()).unwrap().state, State::Queued);
	}
	let tasks = journal.path().join("tasks");
	assert!(tasks.join(format!("{}.json", hex::encode(kept.task_id().0))).exists());
	// Someone edits a journaled request: it no longer hashes to its name.
	let path = tasks.join(format!("{}.json", hex::encode(tampered.task_id().0)));
	let mut entry: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
	entry["request"]["binding"] = serde_json::to_value(Hex([7u8; 32])).unwrap();
	std::fs::write(&path, serde_json::to_vec(&entry).unwrap()).unwrap();

	// A new daemon on the same journal requeues and proves the genuine one only.
	let (client, _, _handle) = client(prover(journal.path())).await;
	let done = wait_done(&client, &kept).await;
	assert_eq!(done.state, State::Done, "{:?}", done.error);
	let status: TaskStatus = client.request(wire::STATUS, rpc_params![StatusQuery { task: tampered.task_id() }]).await.unwrap();
	assert_eq!(status.state, State::Unknown, "refused at load");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_journal_is_pruned_to_its_cap() {
	let journal = tempfile::tempdir().unwrap();
	let prover = prover_with(journal.path(), 2);
	let (client, _, _handle) = client(prover.clone()).await;
	for b in 20..24u8 {
		let mut unknown = request(b as u64, b);
		unknown.inputs[1] = Hex([0; 32]);
		let _: TaskStatus = client.request(wire::SUBMIT, rpc_params![unknown.clone()]).await.unwrap();
		wait_done(&client, &unknown).await;
	}
	assert_eq!(prover.prune(), 2, "the two oldest finished tasks go");
	let page: TaskPage = client.request(wire::LIST, rpc_params![ListQuery::default()]).await.unwrap();
	assert_eq!(page.tasks.len(), 2);
	assert_eq!(std::fs::read_dir(journal.path().join("tasks")).unwrap().count(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn trains_a_grid_slot_then_proves_the_trained_models_accuracy() {
	use cloudana_circuits::train::{slot_seed, train, HyperParams};
	let journal = tempfile::tempdir().unwrap();
	let (client, _, _handle) = client(prover(journal.path())).await;
	let all = mlp::Dataset::read_csv(&iris_csv()).unwrap();
	let holdout = all.holdout().unwrap();
	let params = "lr=0.05,epochs=20";
	let req = ProveRequest {
		work: WorkId::Slot(4, 2),
		inputs: vec![Hex(encode_fr(&holdout.commitment()))],
		outputs: 2,
		hyper_params: Some(params.into()),
		circom: None,
		..request(0, 4)
	};
	let assessment: Assessment = client.request(wire::ASSESS, rpc_params![req.clone()]).await.unwrap();
	assert!(assessment.refusal.is_none() && assessment.estimated_ms.unwrap() > 0, "{assessment:?}");
	let _: TaskStatus = client.request(wire::SUBMIT, rpc_params![req.clone()]).await.unwrap();
	let done = wait_done(&client, &req).await;
	assert_eq!(done.state, State::Done, "{:?}", done.error);
	// The outputs are the re-trained model's commitment and holdout accuracy: replayable.
	let model = train(&all.training(), &HyperParams::parse(params).unwrap(), slot_seed(4, 2));
	assert_eq!(
		done.outputs.clone().unwrap(),
		vec![Hex(encode_fr(&model.commitment())), Hex(encode_fr(&ark_bn254::Fr::from(model.correct(&holdout) as u64)))]
	);
	let (inputs, proof) = statement(&done);
	assert_eq!(verifier::verify(&keys::accuracy_vk(mlp::Spec::Iris), &inputs, &proof), Ok(()));

	// Bad hyper-parameters are refused at assessment, and fail a task submitted anyway.
	let bad = ProveRequest { hyper_params: Some("lr=7,epochs=1".into()), work: WorkId::Slot(4, 3), binding: Hex([5; 32]), ..req };
	let assessment: Assessment = client.request(wire::ASSESS, rpc_params![bad.clone()]).await.unwrap();
	assert!(assessment.refusal.unwrap().contains("lr must be in (0, 1]"));
	let _: TaskStatus = client.request(wire::SUBMIT, rpc_params![bad.clone()]).await.unwrap();
	let failed = wait_done(&client, &bad).await;
	assert_eq!(failed.state, State::Failed);
	assert!(failed.error.unwrap().contains("lr must be in (0, 1]"));

	// A Wine slot: the daemon checks the dataset commitment, trains the 13-8-3 model on Wine's
	// training split and proves with the Wine circuit.
	let wine = mlp::Dataset::read_csv(&csv(mlp::Spec::Wine)).unwrap();
	let wine_holdout = wine.holdout().unwrap();
	let params = "lr=0.002,epochs=20";
	let req = ProveRequest {
		work: WorkId::Slot(5, 0),
		circuit: Hex(keys::accuracy_circuit_id(mlp::Spec::Wine)),
		binding: Hex([6; 32]),
		inputs: vec![Hex(encode_fr(&wine_holdout.commitment()))],
		hyper_params: Some(params.into()),
		circom: None,
		..bad
	};
	let _: TaskStatus = client.request(wire::SUBMIT, rpc_params![req.clone()]).await.unwrap();
	let done = wait_done(&client, &req).await;
	assert_eq!(done.state, State::Done, "{:?}", done.error);
	let model = train(&wine.training(), &HyperParams::parse(params).unwrap(), slot_seed(5, 0));
	let correct = model.correct(&wine_holdout);
	assert!(correct >= 28, "a sensible Wine model: {correct}/35");
	assert_eq!(done.outputs.clone().unwrap()[1], Hex(encode_fr(&ark_bn254::Fr::from(correct as u64))));
	let (inputs, proof) = statement(&done);
	assert_eq!(verifier::verify(&keys::accuracy_vk(mlp::Spec::Wine), &inputs, &proof), Ok(()));

	// The Wine dataset named under the Iris circuit: refused with the reason, nothing proven.
	let mismatch = ProveRequest { circuit: Hex(keys::accuracy_circuit_id(mlp::Spec::Iris)), binding: Hex([7; 32]), ..req };
	let assessment: Assessment = client.request(wire::ASSESS, rpc_params![mismatch.clone()]).await.unwrap();
	assert!(assessment.refusal.unwrap().contains("is Wine, whose accuracy circuit is"));
	let _: TaskStatus = client.request(wire::SUBMIT, rpc_params![mismatch.clone()]).await.unwrap();
	let failed = wait_done(&client, &mismatch).await;
	assert_eq!(failed.state, State::Failed);
	assert!(failed.error.unwrap().contains("is Wine, whose accuracy circuit is"));
}

/// The Prometheus endpoint (`serve --metrics`) counts accepted and proven tasks, by circuit.
#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_tasks_and_proofs() {
	let journal = tempfile::tempdir().unwrap();
	let prover = prover(journal.path());
	let metrics = prover.metrics();
	let address: std::net::SocketAddr = {
		let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
		listener.local_addr().unwrap()
	};
	tokio::spawn(metrics.clone().serve(address));
	let (client, _, _handle) = client(prover).await;
	let req = request(3, 4);
	let _: TaskStatus = client.request(wire::SUBMIT, rpc_params![req.clone()]).await.unwrap();
	wait_done(&client, &req).await;
	let mut text = String::new();
	for _ in 0..50 {
		if let Ok(mut stream) = std::net::TcpStream::connect(address) {
			use std::io::{Read, Write};
			stream.write_all(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
			stream.read_to_string(&mut text).unwrap();
			break;
		}
		tokio::time::sleep(std::time::Duration::from_millis(100)).await;
	}
	let circuit = req.circuit.to_string();
	assert!(text.contains("cloudana_prover_tasks_accepted_total 1"), "{text}");
	assert!(text.contains(&format!("cloudana_prover_proofs_total{{circuit=\"{circuit}\",outcome=\"proven\"}} 1")), "{text}");
	assert!(text.contains(&format!("cloudana_prover_proving_seconds_count{{circuit=\"{circuit}\"}} 1")), "{text}");
	assert!(text.contains("cloudana_prover_queue_depth 0"), "{text}");
	assert!(text.contains("cloudana_prover_journal_tasks 1"), "{text}");
}

/// `--backend cuda` or `auto` on a machine without an NVIDIA driver (CI): the CPU, with a
/// warning, and no panic from the missing libraries; `--backend cpu` never touches CUDA.
#[test]
fn backends_fall_back_to_the_cpu_without_a_gpu() {
	use cloudana_prover::backend::{open, Backend};
	let dir = tempfile::tempdir().unwrap();
	assert_eq!(open(Backend::Cpu, dir.path()).name(), "cpu");
	if !cloudana_gpu::cuda::libraries_present().0 {
		for backend in [Backend::Cuda, Backend::Auto] {
			let engine = open(backend, dir.path());
			assert_eq!(engine.name(), "cpu");
			assert!(engine.is_cpu());
		}
		let error = cloudana_gpu::cuda::Cuda::new(0, dir.path()).err().expect("no driver: an error");
		assert!(error.to_string().contains("libcuda"), "{error}");
	}
}
