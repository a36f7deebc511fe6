//! The prover's off-chain worker.
//!
//! It runs on a node that has a prover key (key type `cprv`, sr25519) in its keystore and a
//! proving daemon configured (the node's `--prover-endpoint`, stored under [`ENDPOINT_KEY`] in
//! the off-chain PERSISTENT storage as a SCALE `Vec<u8>` URL). Keys never leave the node: the
//! daemon proves, the node signs. After each new best block it:
//!
//! 1. asks the daemon which circuits it proves (`prover_capabilities`);
//! 2. for each live job (from the deadline queue, at most 256 a block):
//!    - **open**, on a circuit the daemon proves, at a price at least the operator's minimum
//!      ([`MIN_PRICE_KEY`], SCALE `u128` base units, default 0), with a local prover key
//!      eligible for it: sends a signed `lock`;
//!    - **locked by a local prover key**: asks the daemon for the task (`prover_status`, by
//!      binding); hands it over if the daemon does not have it (`prover_submit`); sends a signed
//!      `submit_result` once the proof is ready.
//! 3. for each open grid job (from the grid deadline queue) on a circuit the daemon proves, the
//!    same per slot: locks open slots (`lock_slot`; with several local keys, slot `i` goes to
//!    key `i mod keys` when it is eligible), hands locked ones to the daemon with a `training`
//!    field (`{"params": "<slot text>", "grid", "slot"}`: the daemon trains, then proves) and
//!    sends `submit_slot_result`.
//!
//! Duplicate work is prevented across blocks, forks and restarts with PERSISTENT storage: a
//! run lock (so two runs never overlap) and, per job and action, the block it was last sent in
//! (resent only after [`RETRY_BLOCKS`] if the job has not moved on). A job whose result this
//! node sent and that opened again (the chain refused the proof) is never locked again by this
//! node. The daemon itself keys tasks by binding and journals them, so handing a task over
//! twice is harmless.
//!
//! ## Daemon protocol (JSON-RPC 2.0 over HTTP POST, one object parameter)
//!
//! | method | params | result |
//! |---|---|---|
//! | `prover_capabilities` | none | `{"circuits": ["0x<32-byte vk id>"…], "accepting": bool, "version": str}` |
//! | `prover_submit` | `{"job_id", "circuit", "binding", "inputs": ["0x<32 bytes>"…], "outputs": n, "training"?}` | a task status |
//! | `prover_status` | `{"binding": "0x<32 bytes>"}` | a task status |
//!
//! A task status is `{"state": "unknown"|"queued"|"proving"|"done"|"failed", "job_id",
//! "outputs": ["0x…"], "proof": "0x<256 bytes>", "error": str}` (fields absent or null unless
//! they apply).

use crate::{
	grid_binding_job, BalanceOf, Call, Config, Deadlines, GridDeadline, GridDeadlines, GridId, GridJobOf, GridJobs,
	GridStatus, JobId, JobOf, JobStatus, Jobs, Pallet, ProverRegistry, SlotIndex, SlotState,
};
use alloc::{collections::btree_set::BTreeSet, string::String, vec, vec::Vec};
use cloudana_groth16::{Proof, PublicInput};
use codec::Encode;
use frame_support::BoundedVec;
use frame_system::{
	offchain::{Account, SendSignedTransaction, Signer},
	pallet_prelude::BlockNumberFor,
};
use sp_runtime::{
	offchain::{
		storage::StorageValueRef,
		storage_lock::{BlockAndTime, StorageLock},
		Duration,
	},
	traits::Saturating,
	SaturatedConversion,
};

/// PERSISTENT off-chain storage key of the daemon's URL (SCALE `Vec<u8>`).
pub const ENDPOINT_KEY: &[u8] = b"cloudana::prover-endpoint";
/// PERSISTENT off-chain storage key of the lowest price the operator locks at (SCALE `u128`).
pub const MIN_PRICE_KEY: &[u8] = b"cloudana::prover-min-price";
/// Blocks before an action on a job is sent again.
pub const RETRY_BLOCKS: u32 = 10;
const RUN_LOCK: &[u8] = b"cloudana::jobs-ocw-run";
const SENT_PREFIX: &[u8] = b"cloudana::jobs-ocw-sent::";
const MAX_SCAN: usize = 256;
const LOG: &str = "runtime::jobs::ocw";
const WARN_EVERY: u64 = 50;

/// One run of the worker, after block `now`.
pub fn run<T: Config>(now: BlockNumberFor<T>) {
	let Some(endpoint) = endpoint() else { return };
	let mut lock = StorageLock::<BlockAndTime<frame_system::Pallet<T>>>::with_block_and_time_deadline(
		RUN_LOCK,
		5,
		Duration::from_millis(60_000),
	);
	let Ok(_guard) = lock.try_lock() else {
		log::debug!(target: LOG, "the previous run is still going");
		return;
	};
	let accounts: Vec<Account<T>> = Signer::<T, T::AuthorityId>::keystore_accounts().collect();
	if accounts.is_empty() {
		warn_sometimes::<T>(now, "a prover endpoint is set but the keystore has no `cprv` key (author_insertKey)".into());
		return;
	}
	let capabilities = match daemon::capabilities(&endpoint) {
		Ok(capabilities) => capabilities,
		Err(error) => {
			warn_sometimes::<T>(
				now,
				alloc::format!("prover daemon at {} unreachable: {error}", String::from_utf8_lossy(&endpoint)),
			);
			return;
		},
	};
	let min_price = min_price();
	for id in live_jobs::<T>() {
		let Some(job) = Jobs::<T>::get(id) else { continue };
		match &job.status {
			JobStatus::Locked { prover, expires_at, .. } if now < *expires_at => {
				if let Some(account) = accounts.iter().find(|a| &a.id == prover) {
					drive_locked::<T>(id, &job, account, &endpoint, now);
				}
			},
			JobStatus::Open if now < job.lock_expires_at =>
				if capabilities.accepting && capabilities.circuits.contains(&job.circuit) {
					try_lock::<T>(id, &job, &accounts, min_price, now);
				},
			_ => {},
		}
	}
	for grid in live_grids::<T>() {
		let Some(job) = GridJobs::<T>::get(grid) else { continue };
		if job.status != GridStatus::Open || now >= job.closes_at || !capabilities.circuits.contains(&job.circuit) {
			continue;
		}
		for slot in 0..job.slots.len() as SlotIndex {
			match &job.slots[slot as usize].state {
				SlotState::Locked { prover, expires_at, .. } if now < *expires_at => {
					if let Some(account) = accounts.iter().find(|a| &a.id == prover) {
						drive_slot::<T>(grid, slot, &job, account, &endpoint, now);
					}
				},
				SlotState::Open if capabilities.accepting => try_lock_slot::<T>(grid, slot, &job, &accounts, min_price, now),
				_ => {},
			}
		}
	}
}

/// Ids of grid jobs with a pending deadline: every open grid, and some closed ones.
fn live_grids<T: Config>() -> BTreeSet<GridId> {
	let mut ids = BTreeSet::new();
	for (_, due) in GridDeadlines::<T>::iter() {
		ids.extend(due.into_iter().map(|d| match d {
			GridDeadline::Slot(grid, _) | GridDeadline::Close(grid) => grid,
		}));
		if ids.len() >= MAX_SCAN {
			break;
		}
	}
	ids
}

/// Locks an open slot for a local prover key: the keys take slots in turn (slot `i` goes to
/// key `i mod keys` if it is eligible, else to the first eligible key), so a node with several
/// keys spreads a grid over them.
fn try_lock_slot<T: Config>(
	grid: GridId,
	slot: SlotIndex,
	job: &GridJobOf<T>,
	accounts: &[Account<T>],
	min_price: u128,
	now: BlockNumberFor<T>,
) {
	let key = grid_binding_job(grid, slot);
	if ever_sent::<T>(b"slot-result", key) {
		return;
	}
	let price = Pallet::<T>::slot_price(job);
	if price.saturated_into::<u128>() < min_price {
		return;
	}
	let eligible = |a: &&Account<T>| a.id != job.requester && T::Provers::ensure_eligible(&a.id, &job.circuit, price).is_ok();
	let preferred = accounts.get(slot as usize % accounts.len().max(1)).filter(|a| eligible(a));
	let Some(account) = preferred.or_else(|| accounts.iter().find(eligible)) else { return };
	if !claim::<T>(b"slot-lock", key, now) {
		return;
	}
	if send::<T>(account, Call::lock_slot { grid, slot }) {
		log::info!(target: LOG, "locking slot {slot} of grid {grid}");
	} else {
		log::warn!(target: LOG, "could not send the lock of slot {slot} of grid {grid}");
	}
}

/// Hands a locked slot to the daemon (train, then prove) and submits its result when ready.
fn drive_slot<T: Config>(
	grid: GridId,
	slot: SlotIndex,
	job: &GridJobOf<T>,
	account: &Account<T>,
	endpoint: &[u8],
	now: BlockNumberFor<T>,
) {
	let key = grid_binding_job(grid, slot);
	let binding = Pallet::<T>::binding(key, &account.id);
	drive::<T>(
		&alloc::format!("slot {slot} of grid {grid}"),
		key,
		binding,
		|| daemon::ProveRequest {
			job_id: key,
			circuit: job.circuit.0,
			binding,
			inputs: job.inputs.to_vec(),
			outputs: job.outputs,
			training: Some(daemon::Training {
				params: String::from_utf8_lossy(&job.slots[slot as usize].params).into_owned(),
				grid,
				slot,
			}),
		},
		b"slot-result",
		|outputs, proof| Call::submit_slot_result { grid, slot, outputs, proof },
		account,
		endpoint,
		now,
	);
}

/// Warns every `WARN_EVERY` blocks, and logs at debug level otherwise, so a misconfigured
/// prover node does not flood its log.
fn warn_sometimes<T: Config>(now: BlockNumberFor<T>, message: String) {
	if (now.saturated_into::<u64>()) % WARN_EVERY == 0 {
		log::warn!(target: LOG, "{message}");
	} else {
		log::debug!(target: LOG, "{message}");
	}
}

fn endpoint() -> Option<Vec<u8>> {
	StorageValueRef::persistent(ENDPOINT_KEY).get::<Vec<u8>>().ok().flatten().filter(|e| !e.is_empty())
}

fn min_price() -> u128 {
	StorageValueRef::persistent(MIN_PRICE_KEY).get::<u128>().ok().flatten().unwrap_or(0)
}

/// Ids of jobs with a pending deadline: every open or locked job, and some finished ones.
fn live_jobs<T: Config>() -> BTreeSet<JobId> {
	let mut ids = BTreeSet::new();
	for (_, due) in Deadlines::<T>::iter() {
		ids.extend(due.into_iter());
		if ids.len() >= MAX_SCAN {
			break;
		}
	}
	ids
}

fn sent_key(action: &[u8], job: JobId) -> Vec<u8> {
	let mut key = SENT_PREFIX.to_vec();
	key.extend_from_slice(action);
	key.extend_from_slice(&job.encode());
	key
}

/// Whether this node ever sent `action` on `job`.
fn ever_sent<T: Config>(action: &[u8], job: JobId) -> bool {
	matches!(StorageValueRef::persistent(&sent_key(action, job)).get::<BlockNumberFor<T>>(), Ok(Some(_)))
}

/// Claims `action` on `job` for this block: false if it was sent less than `RETRY_BLOCKS` ago.
fn claim<T: Config>(action: &[u8], job: JobId, now: BlockNumberFor<T>) -> bool {
	let retry: BlockNumberFor<T> = RETRY_BLOCKS.into();
	StorageValueRef::persistent(&sent_key(action, job))
		.mutate(|last: Result<Option<BlockNumberFor<T>>, _>| match last {
			Ok(Some(at)) if now < at.saturating_add(retry) => Err(()),
			_ => Ok(now),
		})
		.is_ok()
}

fn send<T: Config>(account: &Account<T>, call: Call<T>) -> bool {
	let results = Signer::<T, T::AuthorityId>::all_accounts()
		.with_filter(vec![account.public.clone()])
		.send_signed_transaction(|_| call.clone());
	results.iter().any(|(_, result)| result.is_ok())
}

fn try_lock<T: Config>(id: JobId, job: &JobOf<T>, accounts: &[Account<T>], min_price: u128, now: BlockNumberFor<T>) {
	// A job reopened after this node submitted its result was refused by the chain: the daemon
	// would return the same proof, so leave the job to other provers.
	if ever_sent::<T>(b"result", id) {
		return;
	}
	let price: BalanceOf<T> = Pallet::<T>::price_at(job, now);
	if price.saturated_into::<u128>() < min_price {
		return;
	}
	let Some(account) = accounts
		.iter()
		.find(|a| a.id != job.requester && T::Provers::ensure_eligible(&a.id, &job.circuit, price).is_ok())
	else {
		return;
	};
	if !claim::<T>(b"lock", id, now) {
		return;
	}
	if send::<T>(account, Call::lock { job: id }) {
		log::info!(target: LOG, "locking job {id}");
	} else {
		log::warn!(target: LOG, "could not send the lock of job {id}");
	}
}

fn drive_locked<T: Config>(id: JobId, job: &JobOf<T>, account: &Account<T>, endpoint: &[u8], now: BlockNumberFor<T>) {
	let binding = Pallet::<T>::binding(id, &account.id);
	drive::<T>(
		&alloc::format!("job {id}"),
		id,
		binding,
		|| daemon::ProveRequest {
			job_id: id,
			circuit: job.circuit.0,
			binding,
			inputs: job.inputs.to_vec(),
			outputs: job.outputs,
			training: None,
		},
		b"result",
		|outputs, proof| Call::submit_result { job: id, outputs, proof },
		account,
		endpoint,
		now,
	);
}

/// Drives one locked task (a job, or a grid slot whose sent-key is `key`) with the daemon: hands
/// it over (`request`) if the daemon does not have it, and once proven sends the signed result
/// (`result_call`) under the `result_action` claim. `what` names it in logs.
#[allow(clippy::too_many_arguments)]
fn drive<T: Config>(
	what: &str,
	key: JobId,
	binding: PublicInput,
	request: impl FnOnce() -> daemon::ProveRequest,
	result_action: &[u8],
	result_call: impl FnOnce(BoundedVec<PublicInput, T::MaxOutputs>, alloc::boxed::Box<Proof>) -> Call<T>,
	account: &Account<T>,
	endpoint: &[u8],
	now: BlockNumberFor<T>,
) {
	let status = match daemon::status(endpoint, &binding) {
		Ok(status) => status,
		Err(error) => {
			log::warn!(target: LOG, "{what}: prover_status failed: {error}");
			return;
		},
	};
	match status {
		daemon::Task::Unknown => match daemon::submit(endpoint, &request()) {
			Ok(_) => log::info!(target: LOG, "{what} handed to the prover daemon"),
			Err(error) => log::warn!(target: LOG, "{what}: prover_submit failed: {error}"),
		},
		daemon::Task::Pending => {},
		daemon::Task::Failed(error) => log::warn!(target: LOG, "{what}: the daemon could not prove it: {error}"),
		daemon::Task::Done { outputs, proof } => {
			let Ok(outputs) = BoundedVec::try_from(outputs) else {
				log::warn!(target: LOG, "{what}: the daemon returned too many outputs");
				return;
			};
			if claim::<T>(result_action, key, now) {
				if send::<T>(account, result_call(outputs, alloc::boxed::Box::new(proof))) {
					log::info!(target: LOG, "submitting the result of {what}");
				} else {
					log::warn!(target: LOG, "could not send the result of {what}");
				}
			}
		},
	}
}

/// A minimal JSON-RPC client for the proving daemon, over the off-chain HTTP API.
pub mod daemon {
	use super::*;
	use serde::{Deserialize, Serialize};
	use sp_runtime::offchain::http;

	const TIMEOUT_MS: u64 = 3_000;

	/// What the daemon proves.
	pub struct Capabilities {
		/// Circuits (verifying-key ids) it has proving keys for.
		pub circuits: Vec<sp_core::H256>,
		/// Whether it takes new tasks.
		pub accepting: bool,
	}

	/// A task handed to the daemon.
	pub struct ProveRequest {
		/// The job.
		pub job_id: JobId,
		/// Its circuit.
		pub circuit: [u8; 32],
		/// Public input 0.
		pub binding: PublicInput,
		/// The requester's inputs.
		pub inputs: Vec<PublicInput>,
		/// How many outputs the proof must have.
		pub outputs: u32,
		/// For a grid slot: what to train the model with first.
		pub training: Option<Training>,
	}

	/// A grid slot's training, as the daemon takes it.
	#[derive(Clone, Serialize)]
	pub struct Training {
		/// The slot's hyper-parameters (text).
		pub params: String,
		/// The grid job.
		pub grid: GridId,
		/// The slot.
		pub slot: SlotIndex,
	}

	/// Where a task stands at the daemon.
	#[derive(Debug, PartialEq)]
	pub enum Task {
		/// The daemon does not have it.
		Unknown,
		/// Queued or proving.
		Pending,
		/// Proven.
		Done {
			/// The outputs.
			outputs: Vec<PublicInput>,
			/// The proof.
			proof: Proof,
		},
		/// The daemon gave up, with its reason.
		Failed(String),
	}

	#[derive(Serialize)]
	struct Request<'a, P> {
		jsonrpc: &'a str,
		id: u32,
		method: &'a str,
		params: P,
	}

	#[derive(Deserialize)]
	struct Response<R> {
		result: Option<R>,
		error: Option<RpcError>,
	}

	#[derive(Deserialize)]
	struct RpcError {
		message: String,
	}

	#[derive(Serialize)]
	struct SubmitParams {
		job_id: JobId,
		circuit: String,
		binding: String,
		inputs: Vec<String>,
		outputs: u32,
		#[serde(skip_serializing_if = "Option::is_none")]
		training: Option<Training>,
	}

	#[derive(Serialize)]
	struct StatusParams {
		binding: String,
	}

	#[derive(Deserialize)]
	struct CapabilitiesResult {
		circuits: Vec<String>,
		accepting: bool,
	}

	#[derive(Deserialize)]
	struct TaskResult {
		state: String,
		#[serde(default)]
		outputs: Option<Vec<String>>,
		#[serde(default)]
		proof: Option<String>,
		#[serde(default)]
		error: Option<String>,
	}

	fn to_hex(bytes: &[u8]) -> String {
		let mut out = String::from("0x");
		out.push_str(&hex::encode(bytes));
		out
	}

	fn from_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
		let bytes = hex::decode(text.strip_prefix("0x").unwrap_or(text)).ok()?;
		bytes.try_into().ok()
	}

	/// The JSON body of a call, as sent.
	pub fn request_body<P: Serialize>(method: &str, params: P) -> Vec<u8> {
		serde_json::to_vec(&Request { jsonrpc: "2.0", id: 1, method, params })
			.expect("serializing plain structs to JSON cannot fail; qed")
	}

	fn call<P: Serialize, R: for<'de> Deserialize<'de>>(endpoint: &[u8], method: &str, params: P) -> Result<R, String> {
		let url = core::str::from_utf8(endpoint).map_err(|_| String::from("the endpoint is not UTF-8"))?;
		let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(TIMEOUT_MS));
		let pending = http::Request::post(url, vec![request_body(method, params)])
			.add_header("Content-Type", "application/json")
			.deadline(deadline)
			.send()
			.map_err(|e| alloc::format!("request failed: {e:?}"))?;
		let response = pending
			.try_wait(deadline)
			.map_err(|_| String::from("timed out"))?
			.map_err(|e| alloc::format!("HTTP error: {e:?}"))?;
		if response.code != 200 {
			return Err(alloc::format!("HTTP status {}", response.code));
		}
		let body: Vec<u8> = response.body().collect();
		let response: Response<R> =
			serde_json::from_slice(&body).map_err(|e| alloc::format!("bad JSON-RPC response: {e}"))?;
		match (response.result, response.error) {
			(Some(result), _) => Ok(result),
			(None, Some(error)) => Err(error.message),
			(None, None) => Err(String::from("empty JSON-RPC response")),
		}
	}

	/// `prover_capabilities`.
	pub fn capabilities(endpoint: &[u8]) -> Result<Capabilities, String> {
		let result: CapabilitiesResult = call(endpoint, "prover_capabilities", [(); 0])?;
		let circuits = result
			.circuits
			.iter()
			.filter_map(|c| from_hex::<32>(c).map(sp_core::H256))
			.collect();
		Ok(Capabilities { circuits, accepting: result.accepting })
	}

	/// `prover_submit`.
	pub fn submit(endpoint: &[u8], request: &ProveRequest) -> Result<Task, String> {
		let params = SubmitParams {
			job_id: request.job_id,
			circuit: to_hex(&request.circuit),
			binding: to_hex(&request.binding),
			inputs: request.inputs.iter().map(|i| to_hex(i)).collect(),
			outputs: request.outputs,
			training: request.training.clone(),
		};
		let result: TaskResult = call(endpoint, "prover_submit", [params])?;
		parse_task(result)
	}

	/// `prover_status`.
	pub fn status(endpoint: &[u8], binding: &PublicInput) -> Result<Task, String> {
		let result: TaskResult = call(endpoint, "prover_status", [StatusParams { binding: to_hex(binding) }])?;
		parse_task(result)
	}

	fn parse_task(task: TaskResult) -> Result<Task, String> {
		Ok(match task.state.as_str() {
			"unknown" => Task::Unknown,
			"queued" | "proving" => Task::Pending,
			"failed" => Task::Failed(task.error.unwrap_or_default()),
			"done" => {
				let outputs = task
					.outputs
					.unwrap_or_default()
					.iter()
					.map(|o| from_hex::<32>(o))
					.collect::<Option<Vec<_>>>()
					.ok_or_else(|| String::from("an output is not 32 bytes of hex"))?;
				let proof = task
					.proof
					.as_deref()
					.and_then(from_hex::<{ cloudana_groth16::PROOF_LEN }>)
					.and_then(|bytes| Proof::from_bytes(&bytes).ok())
					.ok_or_else(|| String::from("the proof is not 256 bytes of hex"))?;
				Task::Done { outputs, proof }
			},
			other => return Err(alloc::format!("unknown task state {other:?}")),
		})
	}
}
