//! # cloudana-prover
//!
//! The proving daemon a prover operator runs beside a Cloudana node. The node's off-chain
//! worker hands it jobs over JSON-RPC (HTTP, localhost); the daemon proves them with the CPU
//! backend (arkworks Groth16 over BN254, using every core) and the worker submits the proofs.
//! The daemon holds no keys: it proves, the node signs.
//!
//! ## Protocol (JSON-RPC 2.0; one object parameter)
//!
//! | method | params | result |
//! |---|---|---|
//! | `prover_capabilities` | none | [`Capabilities`] |
//! | `prover_submit` | [`ProveRequest`] | [`TaskStatus`] (idempotent: a task is keyed by its binding) |
//! | `prover_status` | [`StatusQuery`] | [`TaskStatus`] (`state: "unknown"` if never submitted) |
//! | `prover_list` | none | every [`TaskStatus`] |
//!
//! Byte strings are `0x`-prefixed hex; scalars are 32 bytes big-endian.
//!
//! ## Journal
//!
//! Every accepted task is written to `<journal>/tasks/<binding>.json` before `prover_submit`
//! answers, and rewritten on every change of state (written to a temporary file, then renamed).
//! On start the daemon reloads the journal and requeues whatever was queued or proving, so a
//! restart loses no accepted job. Finished tasks are kept for `--retain-hours`.
//!
//! ## Circuits
//!
//! The built-in accuracy circuits (`cloudana_circuits::accuracy`), one per dataset (Iris, Wine,
//! Breast Cancer): requester inputs `[dataset commitment, model commitment]`, one output
//! (correct predictions); for a grid slot, requester input `[dataset commitment]`, outputs
//! `[model commitment, correct predictions]`. The daemon proves only for datasets and models it
//! was given (`--dataset`, `--model`), found by commitment, and holds the proving key of each
//! given dataset's circuit (its `capabilities` list exactly those circuits).

use anyhow::Context as _;
use cloudana_circuits::{keys, mlp};
use cloudana_groth16::{PublicInput, PROOF_LEN};
use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::ErrorObjectOwned,
};
use serde::{Deserialize, Serialize};
use std::{
	collections::{BTreeMap, VecDeque},
	path::{Path, PathBuf},
	sync::{Arc, Mutex},
	time::{Duration, SystemTime, UNIX_EPOCH},
};
use tokio::sync::Notify;

/// What the daemon proves.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Capabilities {
	/// Verifying-key ids of the circuits it has proving keys for.
	pub circuits: Vec<String>,
	/// Whether it accepts new tasks (false when its queue is full).
	pub accepting: bool,
	/// The daemon's version.
	pub version: String,
	/// Commitments of the datasets it holds.
	pub datasets: Vec<String>,
	/// Commitments of the models it holds.
	pub models: Vec<String>,
}

/// A task: prove job `job_id` on `circuit` for statement `binding ‖ inputs ‖ outputs`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ProveRequest {
	/// The job's id on chain (for logs).
	pub job_id: u64,
	/// The circuit's verifying-key id, 32 bytes hex.
	pub circuit: String,
	/// Public input 0, 32 bytes hex.
	pub binding: String,
	/// The requester's public inputs, 32 bytes hex each.
	pub inputs: Vec<String>,
	/// How many outputs the proof must have.
	pub outputs: u32,
	/// For a grid slot: train the model first (the requester inputs are then only the dataset
	/// commitment, and the outputs `[model commitment, correct count]`). Absent for a plain job.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub training: Option<TrainingRequest>,
}

/// What to train a grid slot's model with (`cloudana_circuits::train`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TrainingRequest {
	/// The slot's hyper-parameters, e.g. `lr=0.05,epochs=20,hidden=8`.
	pub params: String,
	/// The grid job's id.
	pub grid: u64,
	/// The slot's index; the training seed is `cloudana_circuits::train::slot_seed(grid, slot)`.
	pub slot: u32,
}

/// Which task `prover_status` asks about.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct StatusQuery {
	/// The task's binding, 32 bytes hex.
	pub binding: String,
}

/// Where a task stands.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum State {
	/// Never submitted (or pruned).
	Unknown,
	/// Waiting for a worker.
	Queued,
	/// Being proven.
	Proving,
	/// Proven: `outputs` and `proof` are set.
	Done,
	/// Given up: `error` says why.
	Failed,
}

/// A task and its result, as journaled and as answered.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TaskStatus {
	/// Where it stands.
	pub state: State,
	/// The job's id.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub job_id: Option<u64>,
	/// The request, once accepted.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub request: Option<ProveRequest>,
	/// The proven outputs, 32 bytes hex each.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub outputs: Option<Vec<String>>,
	/// The proof, 256 bytes hex (EIP-197 `A ‖ B ‖ C`).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub proof: Option<String>,
	/// Why it failed.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub error: Option<String>,
	/// When it was accepted, UNIX seconds.
	#[serde(default)]
	pub accepted_at: u64,
	/// When it finished, UNIX seconds.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub finished_at: Option<u64>,
	/// Proving time, milliseconds.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub proving_ms: Option<u64>,
}

impl TaskStatus {
	fn unknown() -> Self {
		TaskStatus {
			state: State::Unknown,
			job_id: None,
			request: None,
			outputs: None,
			proof: None,
			error: None,
			accepted_at: 0,
			finished_at: None,
			proving_ms: None,
		}
	}
}

/// `0x`-prefixed hex.
pub fn to_hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// Parses `0x`-prefixed (or bare) hex of exactly `N` bytes.
pub fn from_hex<const N: usize>(what: &str, text: &str) -> Result<[u8; N], String> {
	let bytes = hex::decode(text.strip_prefix("0x").unwrap_or(text)).map_err(|e| format!("{what}: not hex: {e}"))?;
	bytes.try_into().map_err(|b: Vec<u8>| format!("{what}: expected {N} bytes, got {}", b.len()))
}

fn now_secs() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Datasets and models the daemon can prove about, by commitment.
#[derive(Default)]
pub struct Data {
	datasets: BTreeMap<PublicInput, mlp::Dataset>,
	/// The training split of each dataset, by the commitment of its holdout.
	training: BTreeMap<PublicInput, mlp::Dataset>,
	models: BTreeMap<PublicInput, mlp::Model>,
}

impl Data {
	/// Loads dataset CSV files (Iris, Wine or Breast Cancer: their fixed holdout and training
	/// split) and model files.
	pub fn load(datasets: &[PathBuf], models: &[PathBuf]) -> anyhow::Result<Data> {
		let mut data = Data::default();
		for path in datasets {
			let all = mlp::Dataset::read_csv(path).with_context(|| format!("dataset {}", path.display()))?;
			let dataset = all.holdout().with_context(|| format!("dataset {}", path.display()))?;
			let commitment = cloudana_groth16::encoding::encode_fr(&dataset.commitment());
			data.training.insert(commitment, all.training());
			tracing::info!(
				path = %path.display(),
				dataset = %all.spec,
				holdout = dataset.samples.len(),
				commitment = %to_hex(&commitment),
				"dataset loaded"
			);
			data.datasets.insert(commitment, dataset);
		}
		for path in models {
			let model = mlp::Model::read(path).with_context(|| format!("model {}", path.display()))?;
			let commitment = cloudana_groth16::encoding::encode_fr(&model.commitment());
			tracing::info!(path = %path.display(), commitment = %to_hex(&commitment), "model loaded");
			data.models.insert(commitment, model);
		}
		Ok(data)
	}
}

/// The task store: in memory, journaled to disk.
pub struct Journal {
	dir: PathBuf,
	tasks: BTreeMap<PublicInput, TaskStatus>,
}

impl Journal {
	/// Opens (and creates) `<dir>/tasks`, loading every task in it.
	pub fn open(dir: &Path) -> anyhow::Result<Journal> {
		let tasks_dir = dir.join("tasks");
		std::fs::create_dir_all(&tasks_dir).with_context(|| format!("cannot create {}", tasks_dir.display()))?;
		let mut tasks = BTreeMap::new();
		for entry in std::fs::read_dir(&tasks_dir)? {
			let path = entry?.path();
			if path.extension().and_then(|e| e.to_str()) != Some("json") {
				continue;
			}
			let text = std::fs::read_to_string(&path)?;
			match serde_json::from_str::<TaskStatus>(&text) {
				Ok(task) => match task.request.as_ref().map(|r| from_hex::<32>("binding", &r.binding)) {
					Some(Ok(binding)) => {
						tasks.insert(binding, task);
					},
					_ => tracing::warn!(path = %path.display(), "journal entry without a valid request; ignored"),
				},
				Err(error) => tracing::warn!(path = %path.display(), %error, "unreadable journal entry; ignored"),
			}
		}
		Ok(Journal { dir: tasks_dir, tasks })
	}

	fn path(&self, binding: &PublicInput) -> PathBuf {
		self.dir.join(format!("{}.json", hex::encode(binding)))
	}

	/// Stores `task` and writes it to disk (temporary file, then rename).
	pub fn put(&mut self, binding: PublicInput, task: TaskStatus) -> anyhow::Result<()> {
		let path = self.path(&binding);
		let tmp = path.with_extension("json.tmp");
		std::fs::write(&tmp, serde_json::to_vec_pretty(&task)?).with_context(|| format!("cannot write {}", tmp.display()))?;
		std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
		self.tasks.insert(binding, task);
		Ok(())
	}

	/// A task.
	pub fn get(&self, binding: &PublicInput) -> Option<&TaskStatus> {
		self.tasks.get(binding)
	}

	/// Removes finished tasks older than `retain`.
	pub fn prune(&mut self, retain: Duration) {
		let cutoff = now_secs().saturating_sub(retain.as_secs());
		let old: Vec<PublicInput> = self
			.tasks
			.iter()
			.filter(|(_, t)| t.finished_at.is_some_and(|f| f < cutoff))
			.map(|(b, _)| *b)
			.collect();
		for binding in old {
			let _ = std::fs::remove_file(self.path(&binding));
			self.tasks.remove(&binding);
		}
	}
}

/// Daemon settings.
pub struct Config {
	/// Journal directory.
	pub journal: PathBuf,
	/// Proving-key cache directory.
	pub keys: PathBuf,
	/// Datasets and models.
	pub data: Data,
	/// Most queued tasks before `accepting` turns false.
	pub max_queue: usize,
	/// How long finished tasks are kept.
	pub retain: Duration,
}

/// The daemon's shared state.
pub struct Prover {
	journal: Mutex<Journal>,
	queue: Mutex<VecDeque<PublicInput>>,
	wake: Notify,
	data: Data,
	/// The proving key of each given dataset's circuit, by circuit id.
	proving_keys: BTreeMap<[u8; 32], (mlp::Spec, ark_groth16::ProvingKey<ark_bn254::Bn254>)>,
	max_queue: usize,
}

impl Prover {
	/// Opens the journal, loads (or creates) the proving key of each given dataset's circuit,
	/// and requeues unfinished tasks.
	pub fn new(config: Config) -> anyhow::Result<Arc<Prover>> {
		let mut journal = Journal::open(&config.journal)?;
		journal.prune(config.retain);
		let specs: std::collections::BTreeSet<mlp::Spec> = config.data.datasets.values().map(|d| d.spec).collect();
		if specs.is_empty() {
			tracing::warn!("no --dataset given: this daemon proves nothing");
		}
		let mut proving_keys = BTreeMap::new();
		for spec in specs {
			let circuit = keys::accuracy_circuit_id(spec);
			let proving_key = keys::load_or_setup(&config.keys, spec)?;
			tracing::info!(dataset = %spec, circuit = %to_hex(&circuit), "proving key ready");
			proving_keys.insert(circuit, (spec, proving_key));
		}
		let mut queue = VecDeque::new();
		for (binding, task) in journal.tasks.iter_mut() {
			if matches!(task.state, State::Queued | State::Proving) {
				task.state = State::Queued;
				queue.push_back(*binding);
			}
		}
		if !queue.is_empty() {
			tracing::info!(tasks = queue.len(), "requeued unfinished tasks from the journal");
		}
		Ok(Arc::new(Prover {
			journal: Mutex::new(journal),
			queue: Mutex::new(queue),
			wake: Notify::new(),
			data: config.data,
			proving_keys,
			max_queue: config.max_queue,
		}))
	}

	/// What the daemon proves.
	pub fn capabilities(&self) -> Capabilities {
		Capabilities {
			circuits: self.proving_keys.keys().map(|c| to_hex(c)).collect(),
			accepting: self.queue.lock().expect("queue lock").len() < self.max_queue,
			version: env!("CARGO_PKG_VERSION").into(),
			datasets: self.data.datasets.keys().map(|c| to_hex(c)).collect(),
			models: self.data.models.keys().map(|c| to_hex(c)).collect(),
		}
	}

	/// Accepts (and journals) a task, or returns the one already known for its binding.
	pub fn submit(&self, request: ProveRequest) -> Result<TaskStatus, String> {
		let binding = from_hex::<32>("binding", &request.binding)?;
		let circuit = from_hex::<32>("circuit", &request.circuit)?;
		for (i, input) in request.inputs.iter().enumerate() {
			from_hex::<32>(&format!("input {i}"), input)?;
		}
		if !self.proving_keys.contains_key(&circuit) {
			return Err(format!(
				"this daemon does not prove circuit {} (it proves the accuracy circuits of the datasets it was given)",
				request.circuit
			));
		}
		let mut journal = self.journal.lock().expect("journal lock");
		if let Some(task) = journal.get(&binding) {
			return Ok(task.clone());
		}
		if self.queue.lock().expect("queue lock").len() >= self.max_queue {
			return Err("the queue is full; try later".into());
		}
		let task = TaskStatus {
			state: State::Queued,
			job_id: Some(request.job_id),
			request: Some(request.clone()),
			accepted_at: now_secs(),
			..TaskStatus::unknown()
		};
		journal.put(binding, task.clone()).map_err(|e| format!("cannot journal the task: {e:#}"))?;
		drop(journal);
		self.queue.lock().expect("queue lock").push_back(binding);
		self.wake.notify_one();
		tracing::info!(job = request.job_id, binding = %request.binding, "task accepted");
		Ok(task)
	}

	/// A task's status.
	pub fn status(&self, binding: &str) -> Result<TaskStatus, String> {
		let binding = from_hex::<32>("binding", binding)?;
		Ok(self.journal.lock().expect("journal lock").get(&binding).cloned().unwrap_or_else(TaskStatus::unknown))
	}

	/// Every task.
	pub fn list(&self) -> Vec<TaskStatus> {
		self.journal.lock().expect("journal lock").tasks.values().cloned().collect()
	}

	fn update(&self, binding: PublicInput, f: impl FnOnce(&mut TaskStatus)) {
		let mut journal = self.journal.lock().expect("journal lock");
		if let Some(mut task) = journal.get(&binding).cloned() {
			f(&mut task);
			if let Err(error) = journal.put(binding, task) {
				tracing::error!(%error, "cannot journal a task update");
			}
		}
	}

	/// The proving key for `request`'s circuit, which must be `dataset`'s.
	fn proving_key(
		&self,
		request: &ProveRequest,
		dataset: &mlp::Dataset,
	) -> Result<&ark_groth16::ProvingKey<ark_bn254::Bn254>, String> {
		let circuit = from_hex::<32>("circuit", &request.circuit)?;
		match self.proving_keys.get(&circuit) {
			Some((spec, pk)) if *spec == dataset.spec => Ok(pk),
			_ => Err(format!(
				"the dataset {} is {}, whose accuracy circuit is {}, not the job's {}",
				request.inputs[0],
				dataset.spec.title(),
				to_hex(&keys::accuracy_circuit_id(dataset.spec)),
				request.circuit
			)),
		}
	}

	/// Proves one task's statement.
	fn prove(&self, request: &ProveRequest) -> Result<(Vec<String>, String), String> {
		if let Some(training) = &request.training {
			return self.train_and_prove(request, training);
		}
		if request.inputs.len() != 2 || request.outputs != 1 {
			return Err(format!(
				"the accuracy circuit takes 2 requester inputs and 1 output, the job has {} and {}",
				request.inputs.len(),
				request.outputs
			));
		}
		let dataset_commitment = from_hex::<32>("input 0", &request.inputs[0])?;
		let model_commitment = from_hex::<32>("input 1", &request.inputs[1])?;
		let dataset = self.data.datasets.get(&dataset_commitment).ok_or_else(|| {
			format!("unknown dataset commitment {}; start the daemon with --dataset <file>", request.inputs[0])
		})?;
		let model = self.data.models.get(&model_commitment).ok_or_else(|| {
			format!("unknown model commitment {}; start the daemon with --model <file>", request.inputs[1])
		})?;
		let proving_key = self.proving_key(request, dataset)?;
		let binding = from_hex::<32>("binding", &request.binding)?;
		let proven = cloudana_circuits::prove_accuracy(proving_key, &binding, model, dataset).map_err(|e| e.to_string())?;
		let proof = proven.proof.to_bytes();
		debug_assert_eq!(proof.len(), PROOF_LEN);
		Ok((vec![to_hex(&proven.public_inputs[3])], to_hex(&proof)))
	}

	/// A grid slot: checks the dataset commitment, trains the model on that dataset's training
	/// split with the slot's hyper-parameters and seed, and proves the trained model's holdout
	/// accuracy. Outputs: `[model commitment, correct count]`.
	fn train_and_prove(&self, request: &ProveRequest, training: &TrainingRequest) -> Result<(Vec<String>, String), String> {
		if request.inputs.len() != 1 || request.outputs != 2 {
			return Err(format!(
				"a grid slot on the accuracy circuit takes 1 requester input and 2 outputs, the job has {} and {}",
				request.inputs.len(),
				request.outputs
			));
		}
		let params = cloudana_circuits::train::HyperParams::parse(&training.params).map_err(|e| e.to_string())?;
		let dataset_commitment = from_hex::<32>("input 0", &request.inputs[0])?;
		let (Some(holdout), Some(split)) =
			(self.data.datasets.get(&dataset_commitment), self.data.training.get(&dataset_commitment))
		else {
			return Err(format!("unknown dataset commitment {}; start the daemon with --dataset <file>", request.inputs[0]));
		};
		let proving_key = self.proving_key(request, holdout)?;
		let started = std::time::Instant::now();
		let seed = cloudana_circuits::train::slot_seed(training.grid, training.slot);
		let model = cloudana_circuits::train::train(split, &params, seed);
		tracing::info!(job = request.job_id, params = %params.to_text(), ms = started.elapsed().as_millis() as u64, "trained");
		let binding = from_hex::<32>("binding", &request.binding)?;
		let proven = cloudana_circuits::prove_accuracy(proving_key, &binding, &model, holdout).map_err(|e| e.to_string())?;
		Ok((vec![to_hex(&proven.public_inputs[2]), to_hex(&proven.public_inputs[3])], to_hex(&proven.proof.to_bytes())))
	}

	/// Proves queued tasks, one at a time (each proof uses every core), forever.
	pub async fn run_worker(self: Arc<Self>) {
		loop {
			let next = self.queue.lock().expect("queue lock").pop_front();
			let Some(binding) = next else {
				self.wake.notified().await;
				continue;
			};
			let Some(request) = self.journal.lock().expect("journal lock").get(&binding).and_then(|t| t.request.clone())
			else {
				continue;
			};
			self.update(binding, |t| t.state = State::Proving);
			tracing::info!(job = request.job_id, "proving");
			let started = std::time::Instant::now();
			let this = self.clone();
			let result = tokio::task::spawn_blocking(move || this.prove(&request))
				.await
				.unwrap_or_else(|e| Err(format!("the prover panicked: {e}")));
			let elapsed = started.elapsed();
			self.update(binding, |t| {
				t.finished_at = Some(now_secs());
				t.proving_ms = Some(elapsed.as_millis() as u64);
				match result {
					Ok((outputs, proof)) => {
						tracing::info!(job = ?t.job_id, outputs = ?outputs, ms = elapsed.as_millis() as u64, "proven");
						t.state = State::Done;
						t.outputs = Some(outputs);
						t.proof = Some(proof);
					},
					Err(error) => {
						tracing::warn!(job = ?t.job_id, %error, "could not prove");
						t.state = State::Failed;
						t.error = Some(error);
					},
				}
			});
		}
	}
}

/// The JSON-RPC API.
#[rpc(server, namespace = "prover")]
pub trait ProverApi {
	/// What this daemon proves.
	#[method(name = "capabilities")]
	fn capabilities(&self) -> RpcResult<Capabilities>;

	/// Accept a task (idempotent).
	#[method(name = "submit")]
	fn submit(&self, request: ProveRequest) -> RpcResult<TaskStatus>;

	/// A task's status, by binding.
	#[method(name = "status")]
	fn status(&self, query: StatusQuery) -> RpcResult<TaskStatus>;

	/// Every task in the journal.
	#[method(name = "list")]
	fn list(&self) -> RpcResult<Vec<TaskStatus>>;
}

/// The server side of [`ProverApi`].
pub struct Api(pub Arc<Prover>);

fn invalid(message: String) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(jsonrpsee::types::error::INVALID_PARAMS_CODE, message, None::<()>)
}

#[async_trait]
impl ProverApiServer for Api {
	fn capabilities(&self) -> RpcResult<Capabilities> {
		Ok(self.0.capabilities())
	}

	fn submit(&self, request: ProveRequest) -> RpcResult<TaskStatus> {
		self.0.submit(request).map_err(invalid)
	}

	fn status(&self, query: StatusQuery) -> RpcResult<TaskStatus> {
		self.0.status(&query.binding).map_err(invalid)
	}

	fn list(&self) -> RpcResult<Vec<TaskStatus>> {
		Ok(self.0.list())
	}
}

/// Starts the JSON-RPC server on `listen` and the proving worker; returns the bound address
/// and the server's handle.
pub async fn serve(
	prover: Arc<Prover>,
	listen: std::net::SocketAddr,
) -> anyhow::Result<(std::net::SocketAddr, jsonrpsee::server::ServerHandle)> {
	let server = jsonrpsee::server::Server::builder()
		.build(listen)
		.await
		.with_context(|| format!("cannot listen on {listen}"))?;
	let address = server.local_addr()?;
	let handle = server.start(Api(prover.clone()).into_rpc());
	tokio::spawn(prover.run_worker());
	Ok((address, handle))
}
