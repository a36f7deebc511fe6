//! # cloudana-prover
//!
//! The proving daemon a prover operator runs beside a Cloudana node. The node's off-chain
//! worker asks it whether it can prove a piece of work in time, hands it the work over JSON-RPC
//! (HTTP, localhost), and submits the proofs it returns; the daemon proves with the CPU backend
//! (arkworks Groth16 over BN254, using every core). The daemon holds no keys: it proves, the
//! node signs.
//!
//! ## Protocol
//!
//! `cloudana_primitives::wire` defines it (methods `prover_capabilities`, `prover_assess`,
//! `prover_submit`, `prover_status`, `prover_list`), shared with the node's worker and the CLI.
//! Every call must carry `Authorization: Bearer <token>`; without it, or with another token,
//! the daemon answers HTTP 401. The token is generated at the first start into the data
//! directory (`<journal>/token`, mode 0600) and read by the node from `--prover-token-file`.
//! Requests are at most [`MAX_REQUEST_BYTES`].
//!
//! ## Tasks
//!
//! A task is keyed by its id, `blake2_256` of its SCALE-encoded request
//! ([`ProveRequest::task_id`]): the whole request, not only its binding, so a task another local
//! process submitted for the same binding with other inputs is a different task, never the
//! worker's. Each accepted task is written to `<journal>/tasks/<task id>.json` before
//! `prover_submit` answers, and rewritten on every change of state (to a temporary file, then
//! renamed). On start the daemon reloads the journal, refuses any entry whose request does not
//! hash to its name, and requeues whatever was queued or proving, so a restart loses no accepted
//! work. Finished tasks are pruned every [`PRUNE_EVERY`] once older than `--retain-hours`, and
//! beyond `--max-tasks` the oldest finished ones go first.
//!
//! ## Estimates
//!
//! `prover_assess` answers with the milliseconds until a request's proof would be ready: the
//! tasks queued ahead, the training (grid slots: epochs × the measured time of one epoch on the
//! dataset, scaled by the hidden units) and the proof (the measured proving time of the
//! circuit). Measurements come from this machine: at the first start the daemon trains one
//! epoch and proves once per circuit (`<journal>/estimates.json` keeps them), and every
//! finished task updates them (a slower run counts at once, a faster one a quarter).
//!
//! ## Circuits
//!
//! The built-in accuracy circuits (`cloudana_circuits::accuracy`), one per dataset (Iris, Wine,
//! Breast Cancer): requester inputs `[dataset commitment, model commitment]`, one output
//! (correct predictions); for a grid slot, requester input `[dataset commitment]`, outputs
//! `[model commitment, correct predictions]`. The daemon proves only for datasets and models it
//! was given (`--dataset`, `--model`), found by commitment, and holds the proving key of each
//! given dataset's circuit (its `capabilities` list exactly those circuits).

pub mod backend;
pub mod circom;
pub mod metrics;

use anyhow::Context as _;
use cloudana_circuits::{engine::Engine, keys, mlp, train};
pub use cloudana_primitives::wire::{
	self, Assessment, Bytes32, Capabilities, Hex, ListQuery, ProveRequest, State, StatusQuery, TaskId, TaskPage,
	TaskStatus,
};
use cloudana_groth16::PublicInput;
use cloudana_primitives::WorkId;
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
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};
use tokio::sync::Notify;

/// The largest JSON-RPC request body the daemon reads, bytes.
pub const MAX_REQUEST_BYTES: u32 = 256 * 1024;
/// How often finished tasks are pruned.
pub const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// `0x`-prefixed hex.
pub fn to_hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// Parses `0x`-prefixed (or bare) hex of exactly `N` bytes.
pub fn from_hex<const N: usize>(what: &str, text: &str) -> Result<[u8; N], String> {
	text.parse::<Hex<N>>().map(|h| h.0).map_err(|e| format!("{what}: {e}"))
}

fn now_secs() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Reads the daemon's bearer token from `path`, or creates one (32 random bytes, hex) there
/// with mode 0600.
pub fn load_or_create_token(path: &Path) -> anyhow::Result<String> {
	if let Ok(text) = std::fs::read_to_string(path) {
		let token = text.trim().to_string();
		anyhow::ensure!(!token.is_empty(), "the token file {} is empty", path.display());
		return Ok(token);
	}
	use rand::RngCore;
	let mut bytes = [0u8; 32];
	rand::rngs::OsRng.fill_bytes(&mut bytes);
	let token = hex::encode(bytes);
	if let Some(dir) = path.parent() {
		std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
	}
	let mut options = std::fs::OpenOptions::new();
	options.write(true).create_new(true);
	#[cfg(unix)]
	std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
	let mut file = options.open(path).with_context(|| format!("cannot create the token file {}", path.display()))?;
	std::io::Write::write_all(&mut file, format!("{token}\n").as_bytes())?;
	tracing::info!(path = %path.display(), "generated the daemon's bearer token");
	Ok(token)
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
	tasks: BTreeMap<TaskId, TaskStatus>,
}

impl Journal {
	/// Opens (and creates) `<dir>/tasks`, loading every task in it whose request hashes to its
	/// id; others are refused (left on disk, with a warning).
	pub fn open(dir: &Path) -> anyhow::Result<Journal> {
		let tasks_dir = dir.join("tasks");
		std::fs::create_dir_all(&tasks_dir).with_context(|| format!("cannot create {}", tasks_dir.display()))?;
		let mut tasks = BTreeMap::new();
		for entry in std::fs::read_dir(&tasks_dir)? {
			let path = entry?.path();
			if path.extension().and_then(|e| e.to_str()) != Some("json") {
				continue;
			}
			let named: Option<TaskId> = path.file_stem().and_then(|s| s.to_str()).and_then(|s| s.parse().ok());
			let text = std::fs::read_to_string(&path)?;
			match serde_json::from_str::<TaskStatus>(&text) {
				Ok(task) => match (named, task.request.as_ref().map(ProveRequest::task_id)) {
					(Some(name), Some(id)) if name == id && task.task == id => {
						tasks.insert(id, task);
					},
					_ => tracing::warn!(path = %path.display(), "journal entry whose request does not hash to its id; refused"),
				},
				Err(error) => tracing::warn!(path = %path.display(), %error, "unreadable journal entry; ignored"),
			}
		}
		Ok(Journal { dir: tasks_dir, tasks })
	}

	fn path(&self, task: &TaskId) -> PathBuf {
		self.dir.join(format!("{}.json", hex::encode(task.0)))
	}

	/// Stores `task` and writes it to disk (temporary file, then rename).
	pub fn put(&mut self, task: TaskStatus) -> anyhow::Result<()> {
		let path = self.path(&task.task);
		let tmp = path.with_extension("json.tmp");
		std::fs::write(&tmp, serde_json::to_vec_pretty(&task)?).with_context(|| format!("cannot write {}", tmp.display()))?;
		std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
		self.tasks.insert(task.task, task);
		Ok(())
	}

	/// A task.
	pub fn get(&self, task: &TaskId) -> Option<&TaskStatus> {
		self.tasks.get(task)
	}

	/// How many tasks it holds.
	pub fn len(&self) -> usize {
		self.tasks.len()
	}

	/// Whether it holds no task.
	pub fn is_empty(&self) -> bool {
		self.tasks.is_empty()
	}

	/// Removes finished tasks older than `retain`, then the oldest finished ones beyond
	/// `max_tasks`; returns how many it removed.
	pub fn prune(&mut self, retain: Duration, max_tasks: usize) -> usize {
		let cutoff = now_secs().saturating_sub(retain.as_secs());
		let mut finished: Vec<(u64, TaskId)> =
			self.tasks.iter().filter_map(|(id, t)| t.finished_at.map(|at| (at, *id))).collect();
		finished.sort();
		let over = self.tasks.len().saturating_sub(max_tasks);
		let old: Vec<TaskId> = finished
			.iter()
			.enumerate()
			.filter(|(i, (at, _))| *at < cutoff || *i < over)
			.map(|(_, (_, id))| *id)
			.collect();
		for id in &old {
			let _ = std::fs::remove_file(self.path(id));
			self.tasks.remove(id);
		}
		old.len()
	}

	/// A page of tasks in id order.
	pub fn page(&self, query: &ListQuery) -> TaskPage {
		let limit = query.limit.unwrap_or(wire::MAX_PAGE).clamp(1, wire::MAX_PAGE) as usize;
		let range = match query.after {
			Some(after) => self.tasks.range((std::ops::Bound::Excluded(after), std::ops::Bound::Unbounded)),
			None => self.tasks.range(..),
		};
		let tasks: Vec<TaskStatus> = range.take(limit + 1).map(|(_, t)| t.clone()).collect();
		let next = (tasks.len() > limit).then(|| tasks[limit - 1].task);
		TaskPage { tasks: tasks.into_iter().take(limit).collect(), next }
	}
}

/// Proving and training times measured on this machine (module docs, "Estimates").
#[derive(Default, Serialize, Deserialize)]
pub struct Estimates {
	/// Milliseconds per proof, by circuit id (hex).
	prove_ms: BTreeMap<String, u64>,
	/// Milliseconds per training epoch with 8 hidden units, by dataset name.
	epoch_ms: BTreeMap<String, u64>,
}

impl Estimates {
	fn load(path: &Path) -> Estimates {
		std::fs::read(path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
	}

	fn save(&self, path: &Path) {
		if let Err(error) = serde_json::to_vec_pretty(self).map_err(anyhow::Error::from).and_then(|bytes| {
			let tmp = path.with_extension("json.tmp");
			std::fs::write(&tmp, bytes)?;
			std::fs::rename(&tmp, path)?;
			Ok(())
		}) {
			tracing::warn!(%error, "cannot save the estimates");
		}
	}

	/// A slower run counts at once; a faster one a quarter.
	fn blend(old: Option<u64>, measured: u64) -> u64 {
		match old {
			Some(old) => measured.max((3 * old + measured) / 4),
			None => measured,
		}
	}

	fn prove(&self, circuit: &[u8; 32]) -> Option<u64> {
		self.prove_ms.get(&to_hex(circuit)).copied()
	}

	fn train(&self, spec: mlp::Spec, params: &train::HyperParams) -> Option<u64> {
		let per_epoch = *self.epoch_ms.get(spec.name())?;
		Some((per_epoch * params.epochs as u64 * params.hidden.max(1) as u64).div_ceil(8))
	}
}

/// Daemon settings.
pub struct Config {
	/// Data directory: the journal, the estimates.
	pub journal: PathBuf,
	/// Proving-key cache directory.
	pub keys: PathBuf,
	/// Datasets and models.
	pub data: Data,
	/// Most queued tasks before `accepting` turns false.
	pub max_queue: usize,
	/// How long finished tasks are kept.
	pub retain: Duration,
	/// Most tasks kept in the journal.
	pub max_tasks: usize,
	/// Jobs on circom circuits: proven if set (`--circom`).
	pub circom: Option<circom::Settings>,
	/// The proving engine ([`backend::open`]).
	pub engine: Arc<dyn Engine>,
}

/// What a request asks the daemon to do, once checked against what it holds.
enum Work<'a> {
	/// Prove a given model's accuracy.
	Prove { dataset: &'a mlp::Dataset, model: &'a mlp::Model },
	/// Train a slot's model, then prove its accuracy.
	TrainAndProve { holdout: &'a mlp::Dataset, split: &'a mlp::Dataset, params: train::HyperParams },
}

/// The daemon's shared state.
pub struct Prover {
	journal: Mutex<Journal>,
	queue: Mutex<VecDeque<TaskId>>,
	wake: Notify,
	data: Data,
	/// The proving key of each given dataset's circuit, by circuit id.
	proving_keys: BTreeMap<[u8; 32], (mlp::Spec, ark_groth16::ProvingKey<ark_bn254::Bn254>)>,
	max_queue: usize,
	retain: Duration,
	max_tasks: usize,
	estimates: Mutex<Estimates>,
	estimates_path: PathBuf,
	circom: Option<Arc<circom::Circom>>,
	metrics: Arc<metrics::Metrics>,
	engine: Arc<dyn Engine>,
}

impl Prover {
	/// Opens the journal, loads (or creates) the proving key of each given dataset's circuit,
	/// measures what it has no estimate for, and requeues unfinished tasks.
	pub fn new(config: Config) -> anyhow::Result<Arc<Prover>> {
		let mut journal = Journal::open(&config.journal)?;
		journal.prune(config.retain, config.max_tasks);
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
		for (id, task) in journal.tasks.iter_mut() {
			if matches!(task.state, State::Queued | State::Proving) {
				task.state = State::Queued;
				queue.push_back(*id);
			}
		}
		if !queue.is_empty() {
			tracing::info!(tasks = queue.len(), "requeued unfinished tasks from the journal");
		}
		let estimates_path = config.journal.join("estimates.json");
		let circom = match config.circom {
			Some(settings) => {
				tracing::info!(cache = %settings.cache.display(), "proving jobs on circom circuits");
				Some(Arc::new(circom::Circom::new(settings, config.engine.clone())?))
			},
			None => None,
		};
		let metrics = Arc::new(metrics::Metrics::new().map_err(|e| anyhow::anyhow!("metrics: {e}"))?);
		metrics.queue_depth.set(queue.len() as u64);
		metrics.journal_tasks.set(journal.tasks.len() as u64);
		let prover = Prover {
			engine: config.engine,
			metrics,
			circom,
			journal: Mutex::new(journal),
			queue: Mutex::new(queue),
			wake: Notify::new(),
			estimates: Mutex::new(Estimates::load(&estimates_path)),
			estimates_path,
			data: config.data,
			proving_keys,
			max_queue: config.max_queue,
			retain: config.retain,
			max_tasks: config.max_tasks,
		};
		prover.measure()?;
		Ok(Arc::new(prover))
	}

	/// Trains one epoch and proves once for each circuit without an estimate.
	fn measure(&self) -> anyhow::Result<()> {
		for (circuit, (spec, pk)) in &self.proving_keys {
			if self.estimates.lock().expect("estimates lock").prove(circuit).is_some() {
				continue;
			}
			let (Some(holdout), Some(split)) = (
				self.data.datasets.values().find(|d| d.spec == *spec),
				self.data.training.values().find(|d| d.spec == *spec),
			) else {
				continue;
			};
			let started = Instant::now();
			let params = train::HyperParams::parse("lr=0.01,epochs=1").expect("a valid literal; qed");
			let model = train::train(split, &params, 0);
			let epoch = started.elapsed().as_millis() as u64;
			let started = Instant::now();
			cloudana_circuits::prove_accuracy_on(&*self.engine, pk, &[0; 32], &model, holdout)?;
			let prove = started.elapsed().as_millis() as u64;
			tracing::info!(dataset = %spec, epoch_ms = epoch, prove_ms = prove, "measured this machine");
			let mut estimates = self.estimates.lock().expect("estimates lock");
			estimates.prove_ms.insert(to_hex(circuit), prove.max(1));
			estimates.epoch_ms.insert(spec.name().into(), epoch.max(1));
			estimates.save(&self.estimates_path);
		}
		Ok(())
	}

	/// What the daemon proves.
	pub fn capabilities(&self) -> Capabilities {
		Capabilities {
			circuits: self.proving_keys.keys().map(|c| Hex(*c)).collect(),
			accepting: self.queue.lock().expect("queue lock").len() < self.max_queue,
			version: env!("CARGO_PKG_VERSION").into(),
			datasets: self.data.datasets.keys().map(|c| Hex(*c)).collect(),
			models: self.data.models.keys().map(|c| Hex(*c)).collect(),
			circom: self.circom.is_some(),
		}
	}

	/// The proving key for `request`'s circuit and its spec, if this daemon has it.
	fn proving_key(&self, request: &ProveRequest) -> Result<&(mlp::Spec, ark_groth16::ProvingKey<ark_bn254::Bn254>), String> {
		self.proving_keys.get(&request.circuit.0).ok_or_else(|| {
			format!(
				"this daemon does not prove circuit {} (it proves the accuracy circuits of the datasets it was given)",
				request.circuit
			)
		})
	}

	/// Checks `request` against what the daemon holds: the circuit, the statement's shape, the
	/// dataset (and its circuit), the model or the hyper-parameters.
	fn work<'a>(&'a self, request: &ProveRequest) -> Result<Work<'a>, String> {
		let (spec, _) = self.proving_key(request)?;
		let dataset_of = |input: &Bytes32| {
			self.data.datasets.get(&input.0).ok_or_else(|| {
				format!("unknown dataset commitment {input}; start the daemon with --dataset <file>")
			})
		};
		let circuit_of = |dataset: &mlp::Dataset| {
			if dataset.spec == *spec {
				Ok(())
			} else {
				Err(format!(
					"the dataset {} is {}, whose accuracy circuit is {}, not the job's {}",
					request.inputs[0],
					dataset.spec.title(),
					to_hex(&keys::accuracy_circuit_id(dataset.spec)),
					request.circuit
				))
			}
		};
		match &request.hyper_params {
			None => {
				if request.inputs.len() != 2 || request.outputs != 1 {
					return Err(format!(
						"the accuracy circuit takes 2 requester inputs and 1 output, the job has {} and {}",
						request.inputs.len(),
						request.outputs
					));
				}
				let dataset = dataset_of(&request.inputs[0])?;
				circuit_of(dataset)?;
				let model = self.data.models.get(&request.inputs[1].0).ok_or_else(|| {
					format!("unknown model commitment {}; start the daemon with --model <file>", request.inputs[1])
				})?;
				model.check(dataset.spec).map_err(|e| format!("the model does not fit the {} circuit: {e}", dataset.spec.title()))?;
				Ok(Work::Prove { dataset, model })
			},
			Some(params) => {
				if request.inputs.len() != 1 || request.outputs != 2 {
					return Err(format!(
						"a grid slot on the accuracy circuit takes 1 requester input and 2 outputs, the job has {} and {}",
						request.inputs.len(),
						request.outputs
					));
				}
				if !matches!(request.work, WorkId::Slot(..)) {
					return Err("hyper-parameters are only for grid slots".into());
				}
				let params = train::HyperParams::parse(params).map_err(|e| e.to_string())?;
				let holdout = dataset_of(&request.inputs[0])?;
				circuit_of(holdout)?;
				let split = self.data.training.get(&request.inputs[0].0).ok_or("no training split")?;
				Ok(Work::TrainAndProve { holdout, split, params })
			},
		}
	}

	/// The milliseconds `work` takes on its own, from the estimates.
	fn estimate(&self, circuit: &[u8; 32], work: &Work) -> Option<u64> {
		let estimates = self.estimates.lock().expect("estimates lock");
		let prove = estimates.prove(circuit)?;
		match work {
			Work::Prove { .. } => Some(prove),
			Work::TrainAndProve { holdout, params, .. } => Some(prove + estimates.train(holdout.spec, params)?),
		}
	}

	/// Whether, and how fast, the daemon would prove `request` (`prover_assess`).
	pub fn assess(&self, request: &ProveRequest) -> Assessment {
		let task = request.task_id();
		let refuse = |reason: String| Assessment { task, estimated_ms: None, refusal: Some(reason), retry: false };
		let not_yet = |reason: String| Assessment { task, estimated_ms: None, refusal: Some(reason), retry: true };
		let proves = |ms: u64| Assessment { task, estimated_ms: Some(ms), refusal: None, retry: false };
		if let Some(known) = self.journal.lock().expect("journal lock").get(&task) {
			if known.state == State::Done {
				return proves(0);
			}
		}
		if request.circom.is_some() {
			if self.queue.lock().expect("queue lock").len() >= self.max_queue {
				return not_yet("the queue is full".into());
			}
			return match self.assess_circom(request) {
				Ok(own) => proves(self.queued_ms().saturating_add(own)),
				Err(reason) if reason == circom::PREPARING => not_yet(reason),
				Err(reason) => refuse(reason),
			};
		}
		let work = match self.work(request) {
			Ok(work) => work,
			Err(reason) => return refuse(reason),
		};
		if self.queue.lock().expect("queue lock").len() >= self.max_queue {
			return not_yet("the queue is full".into());
		}
		let Some(own) = self.estimate(&request.circuit.0, &work) else {
			return not_yet("no measurement of this circuit yet".into());
		};
		proves(self.queued_ms().saturating_add(own))
	}

	/// The milliseconds a circom request takes on its own, once prepared (`circom` module
	/// docs); its refusal until then.
	fn assess_circom(&self, request: &ProveRequest) -> Result<u64, String> {
		let circom = self.circom.as_ref().ok_or("this daemon does not prove circom circuits (start it with --circom)")?;
		let measured = self.estimates.lock().expect("estimates lock").prove(&request.circuit.0);
		// Every preparation proves and verifies (issue 26 item 3): a requester's `.wasm` can
		// compute the job's public signals from a witness that does not satisfy the circuit,
		// and only a proof that verifies shows it does. The proof becomes the task's result.
		let prepared = circom.preparation(request, true)?;
		if let Some(ms) = prepared.measured_ms {
			let mut estimates = self.estimates.lock().expect("estimates lock");
			if estimates.prove(&request.circuit.0).is_none() {
				estimates.prove_ms.insert(request.circuit.to_string(), ms.max(1));
				estimates.save(&self.estimates_path);
			}
		}
		if prepared.proven.lock().expect("proven lock").is_some() {
			return Ok(0);
		}
		measured.or(prepared.measured_ms).ok_or_else(|| "no measurement of this circuit yet".into())
	}

	/// The estimated milliseconds of `request` on its own.
	fn estimate_request(&self, request: &ProveRequest) -> Option<u64> {
		if request.circom.is_some() {
			return self.estimates.lock().expect("estimates lock").prove(&request.circuit.0);
		}
		self.estimate(&request.circuit.0, &self.work(request).ok()?)
	}

	/// The estimated milliseconds of every task queued or being proven.
	fn queued_ms(&self) -> u64 {
		let queue: Vec<TaskId> = self.queue.lock().expect("queue lock").iter().copied().collect();
		let journal = self.journal.lock().expect("journal lock");
		let proving = journal.tasks.values().filter(|t| t.state == State::Proving).map(|t| t.task);
		queue
			.into_iter()
			.chain(proving)
			.filter_map(|id| journal.get(&id)?.request.clone())
			.filter_map(|request| self.estimate_request(&request))
			.sum()
	}

	/// Accepts (and journals) a task, or returns the one already known under its id.
	pub fn submit(&self, request: ProveRequest) -> Result<TaskStatus, String> {
		if request.circom.is_some() {
			if self.circom.is_none() {
				return Err("this daemon does not prove circom circuits (start it with --circom)".into());
			}
		} else {
			self.proving_key(&request)?;
		}
		let task = request.task_id();
		let mut journal = self.journal.lock().expect("journal lock");
		if let Some(known) = journal.get(&task) {
			return Ok(known.clone());
		}
		if self.queue.lock().expect("queue lock").len() >= self.max_queue {
			return Err("the queue is full; try later".into());
		}
		let status = TaskStatus {
			state: State::Queued,
			request: Some(request.clone()),
			accepted_at: now_secs(),
			..TaskStatus::unknown(task)
		};
		journal.put(status.clone()).map_err(|e| format!("cannot journal the task: {e:#}"))?;
		self.metrics.journal_tasks.set(journal.tasks.len() as u64);
		drop(journal);
		let depth = {
			let mut queue = self.queue.lock().expect("queue lock");
			queue.push_back(task);
			queue.len()
		};
		self.wake.notify_one();
		self.metrics.accepted.inc();
		self.metrics.queue_depth.set(depth as u64);
		tracing::info!(work = %request.work, %task, "task accepted");
		Ok(status)
	}

	/// A task's status.
	pub fn status(&self, task: &TaskId) -> TaskStatus {
		self.journal.lock().expect("journal lock").get(task).cloned().unwrap_or_else(|| TaskStatus::unknown(*task))
	}

	/// A page of tasks.
	pub fn list(&self, query: &ListQuery) -> TaskPage {
		self.journal.lock().expect("journal lock").page(query)
	}

	/// Prunes the journal (module docs); returns how many tasks it removed.
	pub fn prune(&self) -> usize {
		let mut journal = self.journal.lock().expect("journal lock");
		let pruned = journal.prune(self.retain, self.max_tasks);
		self.metrics.journal_tasks.set(journal.tasks.len() as u64);
		pruned
	}

	/// The daemon's metrics (module [`metrics`]).
	pub fn metrics(&self) -> Arc<metrics::Metrics> {
		self.metrics.clone()
	}

	fn update(&self, task: TaskId, f: impl FnOnce(&mut TaskStatus)) {
		let mut journal = self.journal.lock().expect("journal lock");
		if let Some(mut status) = journal.get(&task).cloned() {
			f(&mut status);
			if let Err(error) = journal.put(status) {
				tracing::error!(%error, "cannot journal a task update");
			}
			self.metrics.journal_tasks.set(journal.tasks.len() as u64);
		}
	}

	/// Proves one task's statement; returns the outputs, the proof and, if it is not the time
	/// this call took, the milliseconds proving took (a circom job proven while it was prepared).
	fn prove(
		&self,
		request: &ProveRequest,
		handle: &tokio::runtime::Handle,
	) -> Result<(Vec<Bytes32>, Hex<256>, Option<u64>), String> {
		if let Some(circom) = &self.circom {
			if request.circom.is_some() {
				let (outputs, proof, ms) = circom.prove(request, handle)?;
				let mut estimates = self.estimates.lock().expect("estimates lock");
				let old = estimates.prove(&request.circuit.0);
				estimates.prove_ms.insert(request.circuit.to_string(), Estimates::blend(old, ms.max(1)));
				estimates.save(&self.estimates_path);
				return Ok((outputs, proof, Some(ms)));
			}
		}
		let work = self.work(request)?;
		let (_, proving_key) = self.proving_key(request)?;
		let binding = request.binding.0;
		let (model, dataset) = match work {
			Work::Prove { dataset, model } => (model.clone(), dataset),
			Work::TrainAndProve { holdout, split, params } => {
				let WorkId::Slot(grid, slot) = request.work else { return Err("not a grid slot".into()) };
				let started = Instant::now();
				let model = train::train(split, &params, train::slot_seed(grid, slot));
				let ms = started.elapsed().as_millis() as u64;
				tracing::info!(work = %request.work, params = %params.to_text(), ms, "trained");
				let per_epoch = (ms * 8).div_ceil(params.epochs.max(1) as u64 * params.hidden.max(1) as u64);
				let mut estimates = self.estimates.lock().expect("estimates lock");
				let old = estimates.epoch_ms.get(holdout.spec.name()).copied();
				estimates.epoch_ms.insert(holdout.spec.name().into(), Estimates::blend(old, per_epoch.max(1)));
				(model, holdout)
			},
		};
		let started = Instant::now();
		let proven = cloudana_circuits::prove_accuracy_on(&*self.engine, proving_key, &binding, &model, dataset).map_err(|e| e.to_string())?;
		let ms = started.elapsed().as_millis() as u64;
		{
			let mut estimates = self.estimates.lock().expect("estimates lock");
			let old = estimates.prove(&request.circuit.0);
			estimates.prove_ms.insert(request.circuit.to_string(), Estimates::blend(old, ms.max(1)));
			estimates.save(&self.estimates_path);
		}
		let outputs = proven.public_inputs[1 + request.inputs.len()..].iter().map(|o| Hex(*o)).collect();
		Ok((outputs, Hex(proven.proof.to_bytes()), None))
	}

	/// Proves queued tasks, one at a time (each proof uses every core), forever.
	pub async fn run_worker(self: Arc<Self>) {
		loop {
			let next = {
				let mut queue = self.queue.lock().expect("queue lock");
				let next = queue.pop_front();
				self.metrics.queue_depth.set(queue.len() as u64);
				next
			};
			let Some(task) = next else {
				self.wake.notified().await;
				continue;
			};
			let Some(request) = self.journal.lock().expect("journal lock").get(&task).and_then(|t| t.request.clone())
			else {
				continue;
			};
			self.update(task, |t| t.state = State::Proving);
			tracing::info!(work = %request.work, "proving");
			let circuit = request.circuit.to_string();
			let started = Instant::now();
			let this = self.clone();
			let handle = tokio::runtime::Handle::current();
			let result = tokio::task::spawn_blocking(move || this.prove(&request, &handle))
				.await
				.unwrap_or_else(|e| Err(format!("the prover panicked: {e}")));
			let elapsed = started.elapsed();
			let outcome = if result.is_ok() { "proven" } else { "failed" };
			self.metrics.proofs.with_label_values(&[&circuit, outcome]).inc();
			self.metrics.proving_seconds.with_label_values(&[&circuit]).observe(elapsed.as_secs_f64());
			self.update(task, |t| {
				t.finished_at = Some(now_secs());
				t.proving_ms = Some(elapsed.as_millis() as u64);
				match result {
					Ok((outputs, proof, measured)) => {
						if let Some(ms) = measured {
							t.proving_ms = Some(ms);
						}
						tracing::info!(%task, outputs = ?outputs, ms = elapsed.as_millis() as u64, "proven");
						t.state = State::Done;
						t.outputs = Some(outputs);
						t.proof = Some(proof);
					},
					Err(error) => {
						tracing::warn!(%task, %error, "could not prove");
						t.state = State::Failed;
						t.error = Some(error);
					},
				}
			});
		}
	}

	/// Prunes the journal every [`PRUNE_EVERY`], forever.
	pub async fn run_pruner(self: Arc<Self>) {
		loop {
			tokio::time::sleep(PRUNE_EVERY).await;
			let pruned = self.prune();
			if pruned > 0 {
				tracing::info!(pruned, "pruned finished tasks from the journal");
			}
		}
	}
}


/// The JSON-RPC API.
#[rpc(server, namespace = "prover")]
pub trait ProverApi {
	/// What this daemon proves.
	#[method(name = "capabilities")]
	fn capabilities(&self) -> RpcResult<Capabilities>;

	/// Whether, and how fast, it would prove a request.
	#[method(name = "assess")]
	fn assess(&self, request: ProveRequest) -> RpcResult<Assessment>;

	/// Accept a task (idempotent).
	#[method(name = "submit")]
	fn submit(&self, request: ProveRequest) -> RpcResult<TaskStatus>;

	/// A task's status, by id.
	#[method(name = "status")]
	fn status(&self, query: StatusQuery) -> RpcResult<TaskStatus>;

	/// A page of the journal's tasks.
	#[method(name = "list")]
	fn list(&self, query: Option<ListQuery>) -> RpcResult<TaskPage>;
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

	fn assess(&self, request: ProveRequest) -> RpcResult<Assessment> {
		Ok(self.0.assess(&request))
	}

	fn submit(&self, request: ProveRequest) -> RpcResult<TaskStatus> {
		self.0.submit(request).map_err(invalid)
	}

	fn status(&self, query: StatusQuery) -> RpcResult<TaskStatus> {
		Ok(self.0.status(&query.task))
	}

	fn list(&self, query: Option<ListQuery>) -> RpcResult<TaskPage> {
		Ok(self.0.list(&query.unwrap_or_default()))
	}
}

/// Starts the JSON-RPC server on `listen`, requiring `Authorization: Bearer <token>` on every
/// request (HTTP 401 otherwise), with the proving worker and the journal pruner; returns the
/// bound address and the server's handle.
pub async fn serve(
	prover: Arc<Prover>,
	listen: std::net::SocketAddr,
	token: &str,
) -> anyhow::Result<(std::net::SocketAddr, jsonrpsee::server::ServerHandle)> {
	let http = tower::ServiceBuilder::new()
		.layer(tower_http::validate_request::ValidateRequestHeaderLayer::bearer(token));
	let server = jsonrpsee::server::Server::builder()
		.max_request_body_size(MAX_REQUEST_BYTES)
		.set_http_middleware(http)
		.build(listen)
		.await
		.with_context(|| format!("cannot listen on {listen}"))?;
	let address = server.local_addr()?;
	let handle = server.start(Api(prover.clone()).into_rpc());
	tokio::spawn(prover.clone().run_worker());
	tokio::spawn(prover.run_pruner());
	Ok((address, handle))
}
