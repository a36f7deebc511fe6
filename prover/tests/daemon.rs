//! The proving daemon over its real JSON-RPC API: capabilities, a real Iris proof, idempotent
//! submission, named errors for bad requests, failures for unknown data, and a restart that
//! loses no accepted task; grid slots trained and proven on Iris and on Wine.

use cloudana_circuits::{keys, mlp};
use cloudana_groth16::{encoding::encode_fr, verifier, Proof};
use cloudana_prover::{from_hex, serve, to_hex, Config, Data, ProveRequest, Prover, State, StatusQuery, TaskStatus};
use jsonrpsee::{core::client::ClientT, http_client::HttpClientBuilder, rpc_params};
use std::{
	path::{Path, PathBuf},
	sync::Arc,
	time::{Duration, Instant},
};

fn root() -> PathBuf {
	// The manifest dir at run time (cargo sets it), not at build time: a shared target dir may
	// hold binaries built from another checkout.
	PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into())).join("..")
}

fn csv(spec: mlp::Spec) -> PathBuf {
	std::env::var("CLOUDANA_DATASETS")
		.map(PathBuf::from)
		.unwrap_or_else(|_| root().join("data"))
		.join(spec.file_name())
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

fn prover(journal: &Path) -> Arc<Prover> {
	let data = Data::load(&[iris_csv(), csv(mlp::Spec::Wine)], &[model_json()]).unwrap();
	Prover::new(Config { journal: journal.into(), keys: keys_dir(), data, max_queue: 8, retain: Duration::from_secs(3600) }).unwrap()
}

fn request(job_id: u64, binding_byte: u8) -> ProveRequest {
	let data = mlp::Dataset::read_holdout(&iris_csv()).unwrap();
	let model = mlp::Model::read(&model_json()).unwrap();
	ProveRequest {
		job_id,
		circuit: to_hex(&keys::accuracy_circuit_id(mlp::Spec::Iris)),
		binding: to_hex(&[binding_byte; 32]),
		inputs: vec![to_hex(&encode_fr(&data.commitment())), to_hex(&encode_fr(&model.commitment()))],
		outputs: 1,
		training: None,
	}
}

async fn wait_done(client: &jsonrpsee::http_client::HttpClient, binding: &str) -> TaskStatus {
	let deadline = Instant::now() + Duration::from_secs(120);
	loop {
		let status: TaskStatus =
			client.request("prover_status", rpc_params![StatusQuery { binding: binding.into() }]).await.unwrap();
		if matches!(status.state, State::Done | State::Failed) {
			return status;
		}
		assert!(Instant::now() < deadline, "task still {:?}", status.state);
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn proves_a_job_over_json_rpc_and_answers_errors() {
	let journal = tempfile::tempdir().unwrap();
	let (address, _handle) = serve(prover(journal.path()), "127.0.0.1:0".parse().unwrap()).await.unwrap();
	let client = HttpClientBuilder::default().build(format!("http://{address}")).unwrap();

	let capabilities: cloudana_prover::Capabilities = client.request("prover_capabilities", rpc_params![]).await.unwrap();
	// The circuits of the datasets given, and only those.
	let mut circuits = vec![to_hex(&keys::accuracy_circuit_id(mlp::Spec::Iris)), to_hex(&keys::accuracy_circuit_id(mlp::Spec::Wine))];
	circuits.sort();
	assert_eq!(capabilities.circuits, circuits);
	assert!(capabilities.accepting);
	assert_eq!(capabilities.datasets.len(), 2);

	// Never submitted: unknown.
	let unknown: TaskStatus = client.request("prover_status", rpc_params![StatusQuery { binding: to_hex(&[9; 32]) }]).await.unwrap();
	assert_eq!(unknown.state, State::Unknown);

	// A real proof, for the binding asked.
	let req = request(7, 1);
	let accepted: TaskStatus = client.request("prover_submit", rpc_params![req.clone()]).await.unwrap();
	assert!(matches!(accepted.state, State::Queued | State::Proving | State::Done));
	// Submitting again is harmless: the same task.
	let again: TaskStatus = client.request("prover_submit", rpc_params![req.clone()]).await.unwrap();
	assert_eq!(again.request, accepted.request);
	let done = wait_done(&client, &req.binding).await;
	assert_eq!(done.state, State::Done, "{:?}", done.error);
	let outputs = done.outputs.unwrap();
	assert_eq!(outputs, vec![to_hex(&encode_fr(&ark_bn254::Fr::from(29u64)))]);
	let proof = Proof::from_bytes(&hex::decode(done.proof.unwrap().trim_start_matches("0x")).unwrap()).unwrap();
	let mut statement_inputs = vec![[1u8; 32]];
	statement_inputs.extend(req.inputs.iter().map(|i| from_hex::<32>("input", i).unwrap()));
	statement_inputs.push(from_hex::<32>("output", &outputs[0]).unwrap());
	assert_eq!(verifier::verify(&keys::accuracy_vk(mlp::Spec::Iris), &statement_inputs, &proof), Ok(()));

	// Bad requests are refused with a reason.
	let bad_binding = ProveRequest { binding: "0x1234".into(), ..request(8, 2) };
	let error = client.request::<TaskStatus, _>("prover_submit", rpc_params![bad_binding]).await.unwrap_err();
	assert!(error.to_string().contains("binding: expected 32 bytes"), "{error}");
	let other_circuit = ProveRequest { circuit: to_hex(&[5; 32]), ..request(8, 2) };
	let error = client.request::<TaskStatus, _>("prover_submit", rpc_params![other_circuit]).await.unwrap_err();
	assert!(error.to_string().contains("does not prove circuit"), "{error}");

	// Data the daemon does not hold: the task fails with the reason.
	let mut unknown_data = request(9, 3);
	unknown_data.inputs[0] = to_hex(&[0; 32]);
	let _: TaskStatus = client.request("prover_submit", rpc_params![unknown_data.clone()]).await.unwrap();
	let failed = wait_done(&client, &unknown_data.binding).await;
	assert_eq!(failed.state, State::Failed);
	assert!(failed.error.unwrap().contains("unknown dataset commitment"));

	let listed: Vec<TaskStatus> = client.request("prover_list", rpc_params![]).await.unwrap();
	assert_eq!(listed.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_loses_no_accepted_task() {
	let journal = tempfile::tempdir().unwrap();
	// Accept a task without ever running a worker: it stays queued, on disk.
	{
		let first = prover(journal.path());
		let status = first.submit(request(3, 4)).unwrap();
		assert_eq!(status.state, State::Queued);
	}
	assert!(journal.path().join("tasks").join(format!("{}.json", hex::encode([4u8; 32]))).exists());

	// A new daemon on the same journal requeues and proves it.
	let (address, _handle) = serve(prover(journal.path()), "127.0.0.1:0".parse().unwrap()).await.unwrap();
	let client = HttpClientBuilder::default().build(format!("http://{address}")).unwrap();
	let done = wait_done(&client, &to_hex(&[4; 32])).await;
	assert_eq!(done.state, State::Done, "{:?}", done.error);
	assert_eq!(done.job_id, Some(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn trains_a_grid_slot_then_proves_the_trained_models_accuracy() {
	use cloudana_circuits::train::{slot_seed, train, HyperParams};
	use cloudana_prover::TrainingRequest;
	let journal = tempfile::tempdir().unwrap();
	let (address, _handle) = serve(prover(journal.path()), "127.0.0.1:0".parse().unwrap()).await.unwrap();
	let client = HttpClientBuilder::default().build(format!("http://{address}")).unwrap();
	let all = mlp::Dataset::read_csv(&iris_csv()).unwrap();
	let holdout = all.holdout().unwrap();
	let training = TrainingRequest { params: "lr=0.05,epochs=20".into(), grid: 4, slot: 2 };
	let req = ProveRequest {
		inputs: vec![to_hex(&encode_fr(&holdout.commitment()))],
		outputs: 2,
		training: Some(training.clone()),
		..request(11, 4)
	};
	let _: TaskStatus = client.request("prover_submit", rpc_params![req.clone()]).await.unwrap();
	let done = wait_done(&client, &req.binding).await;
	assert_eq!(done.state, State::Done, "{:?}", done.error);
	// The outputs are the re-trained model's commitment and holdout accuracy: replayable.
	let model = train(&all.training(), &HyperParams::parse(&training.params).unwrap(), slot_seed(4, 2));
	let outputs = done.outputs.unwrap();
	assert_eq!(
		outputs,
		vec![to_hex(&encode_fr(&model.commitment())), to_hex(&encode_fr(&ark_bn254::Fr::from(model.correct(&holdout) as u64)))]
	);
	let proof = Proof::from_bytes(&hex::decode(done.proof.unwrap().trim_start_matches("0x")).unwrap()).unwrap();
	let statement_inputs: Vec<[u8; 32]> = [&[to_hex(&[4u8; 32])], &req.inputs[..], &outputs[..]]
		.concat()
		.iter()
		.map(|i| from_hex::<32>("input", i).unwrap())
		.collect();
	assert_eq!(verifier::verify(&keys::accuracy_vk(mlp::Spec::Iris), &statement_inputs, &proof), Ok(()));

	// Bad hyper-parameters fail the task with the reason.
	let bad = ProveRequest { training: Some(TrainingRequest { params: "lr=7,epochs=1".into(), grid: 4, slot: 3 }), binding: to_hex(&[5; 32]), ..req };
	let _: TaskStatus = client.request("prover_submit", rpc_params![bad.clone()]).await.unwrap();
	let failed = wait_done(&client, &bad.binding).await;
	assert_eq!(failed.state, State::Failed);
	assert!(failed.error.unwrap().contains("lr must be in (0, 1]"));

	// A Wine slot: the daemon checks the dataset commitment, trains the 13-8-3 model on Wine's
	// training split and proves with the Wine circuit.
	let wine = mlp::Dataset::read_csv(&csv(mlp::Spec::Wine)).unwrap();
	let wine_holdout = wine.holdout().unwrap();
	let training = TrainingRequest { params: "lr=0.002,epochs=20".into(), grid: 5, slot: 0 };
	let req = ProveRequest {
		circuit: to_hex(&keys::accuracy_circuit_id(mlp::Spec::Wine)),
		binding: to_hex(&[6; 32]),
		inputs: vec![to_hex(&encode_fr(&wine_holdout.commitment()))],
		training: Some(training.clone()),
		..bad
	};
	let _: TaskStatus = client.request("prover_submit", rpc_params![req.clone()]).await.unwrap();
	let done = wait_done(&client, &req.binding).await;
	assert_eq!(done.state, State::Done, "{:?}", done.error);
	let model = train(&wine.training(), &HyperParams::parse(&training.params).unwrap(), slot_seed(5, 0));
	let correct = model.correct(&wine_holdout);
	assert!(correct >= 28, "a sensible Wine model: {correct}/35");
	let outputs = done.outputs.unwrap();
	assert_eq!(outputs[1], to_hex(&encode_fr(&ark_bn254::Fr::from(correct as u64))));
	let proof = Proof::from_bytes(&hex::decode(done.proof.unwrap().trim_start_matches("0x")).unwrap()).unwrap();
	let statement_inputs: Vec<[u8; 32]> = [&[req.binding.clone()], &req.inputs[..], &outputs[..]]
		.concat()
		.iter()
		.map(|i| from_hex::<32>("input", i).unwrap())
		.collect();
	assert_eq!(verifier::verify(&keys::accuracy_vk(mlp::Spec::Wine), &statement_inputs, &proof), Ok(()));

	// The Wine dataset named under the Iris circuit: failed with the reason, nothing proven.
	let mismatch = ProveRequest { circuit: to_hex(&keys::accuracy_circuit_id(mlp::Spec::Iris)), binding: to_hex(&[7; 32]), ..req };
	let _: TaskStatus = client.request("prover_submit", rpc_params![mismatch.clone()]).await.unwrap();
	let failed = wait_done(&client, &mismatch.binding).await;
	assert_eq!(failed.state, State::Failed);
	assert!(failed.error.unwrap().contains("is Wine, whose accuracy circuit is"));
}
