//! The prover daemon's JSON-RPC 2.0 API over HTTP POST, as its server (`cloudana-prover`), the
//! node's off-chain worker and the CLI speak it. Every call carries
//! `Authorization: Bearer <token>` (the token the daemon writes into its data directory at its
//! first start); without it the daemon answers HTTP 401. Each method takes one positional
//! parameter, an object (none for `prover_capabilities`).
//!
//! | method | parameter | result |
//! |---|---|---|
//! | [`CAPABILITIES`] | none | [`Capabilities`] |
//! | [`ASSESS`] | [`ProveRequest`] | [`Assessment`]: whether and how fast it would prove it |
//! | [`SUBMIT`] | [`ProveRequest`] | [`TaskStatus`] (idempotent: a task is keyed by [`ProveRequest::task_id`]) |
//! | [`STATUS`] | [`StatusQuery`] | [`TaskStatus`] (`state: "unknown"` if never submitted or pruned) |
//! | [`LIST`] | [`ListQuery`] | [`TaskPage`] |
//!
//! Byte strings are `0x`-prefixed lowercase hex ([`Hex`]); scalars are 32 bytes big-endian.

use crate::WorkId;
use alloc::{string::String, vec::Vec};
use codec::Encode;
use serde::{Deserialize, Serialize};

/// `prover_capabilities`.
pub const CAPABILITIES: &str = "prover_capabilities";
/// `prover_assess`.
pub const ASSESS: &str = "prover_assess";
/// `prover_submit`.
pub const SUBMIT: &str = "prover_submit";
/// `prover_status`.
pub const STATUS: &str = "prover_status";
/// `prover_list`.
pub const LIST: &str = "prover_list";
/// The most tasks `prover_list` returns at once.
pub const MAX_PAGE: u32 = 100;

/// `N` bytes, as `0x`-prefixed hex in JSON and as the raw bytes in SCALE.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hex<const N: usize>(pub [u8; N]);

/// A 32-byte value: a scalar, a verifying-key id, a task id.
pub type Bytes32 = Hex<32>;

/// A task's id: `blake2_256` of its SCALE-encoded [`ProveRequest`].
pub type TaskId = Hex<32>;

impl<const N: usize> core::fmt::Debug for Hex<N> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "0x{}", hex::encode(self.0))
	}
}

impl<const N: usize> core::fmt::Display for Hex<N> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "0x{}", hex::encode(self.0))
	}
}

impl<const N: usize> core::str::FromStr for Hex<N> {
	type Err = String;
	fn from_str(text: &str) -> Result<Self, String> {
		let bytes = hex::decode(text.strip_prefix("0x").unwrap_or(text))
			.map_err(|e| alloc::format!("{text:?} is not hex: {e}"))?;
		let len = bytes.len();
		bytes.try_into().map(Hex).map_err(|_| alloc::format!("expected {N} bytes of hex, got {len}"))
	}
}

impl<const N: usize> Encode for Hex<N> {
	fn size_hint(&self) -> usize {
		N
	}
	fn encode_to<W: codec::Output + ?Sized>(&self, dest: &mut W) {
		dest.write(&self.0)
	}
}

impl<const N: usize> Serialize for Hex<N> {
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_str(self)
	}
}

impl<'de, const N: usize> Deserialize<'de> for Hex<N> {
	fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		let text = <alloc::borrow::Cow<'de, str>>::deserialize(deserializer)?;
		text.parse().map_err(serde::de::Error::custom)
	}
}

/// What the daemon proves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
	/// Verifying-key ids of the circuits it holds proving keys for.
	pub circuits: Vec<Bytes32>,
	/// Whether it takes new tasks (false when its queue is full).
	pub accepting: bool,
	/// The daemon's version.
	pub version: String,
	/// Commitments of the datasets it holds.
	#[serde(default)]
	pub datasets: Vec<Bytes32>,
	/// Commitments of the models it holds.
	#[serde(default)]
	pub models: Vec<Bytes32>,
	/// Whether it proves jobs on circom circuits ([`ProveRequest::circom`]) whose artifacts it
	/// can fetch, beyond the circuits listed.
	#[serde(default)]
	pub circom: bool,
}

/// A task: prove `work` on `circuit` for the statement `binding ‖ inputs ‖ outputs`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProveRequest {
	/// The work on chain.
	pub work: WorkId,
	/// The circuit's verifying-key id.
	pub circuit: Bytes32,
	/// Public input 0: `work.binding(genesis, prover)`.
	pub binding: Bytes32,
	/// The requester's public inputs.
	pub inputs: Vec<Bytes32>,
	/// How many outputs the proof must have.
	pub outputs: u32,
	/// For a grid slot: the slot's hyper-parameters (text, e.g. `lr=0.05,epochs=20`); the daemon
	/// trains the model with them first. Absent for a plain job.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub hyper_params: Option<String>,
	/// For a job on a circom circuit: its artifacts and input. The statement is then circom's
	/// order, `outputs ‖ binding ‖ inputs`, and the daemon sets the input signal `binding`.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub circom: Option<crate::artifacts::CircomJob>,
}

impl ProveRequest {
	/// The task's id: `blake2_256` of the SCALE encoding of `work ‖ circuit ‖ binding ‖ inputs ‖
	/// outputs ‖ hyper_params`, followed by that of the circom job when there is one. The worker
	/// asks for its task by this id, so a task someone else submitted for the same binding with
	/// other inputs is never its own.
	///
	/// A request without a circom job hashes exactly as before circom jobs existed (runtime
	/// spec 100): an off-chain worker of that runtime and a newer daemon agree on its ids, so a
	/// daemon can be upgraded before the runtime (the upgrade test found that they did not).
	pub fn task_id(&self) -> TaskId {
		let mut bytes = (&self.work, &self.circuit, &self.binding, &self.inputs, self.outputs, &self.hyper_params).encode();
		if let Some(circom) = &self.circom {
			circom.encode_to(&mut bytes);
		}
		Hex(sp_crypto_hashing::blake2_256(&bytes))
	}
}

/// The daemon's answer to `prover_assess`: whether it would prove the request, and how long
/// it expects to take.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
	/// The request's task id.
	pub task: TaskId,
	/// Milliseconds from now until the proof would be ready: the tasks queued ahead, the
	/// training (grid slots) and the proof, from the daemon's own measurements. Set when it
	/// would prove it.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub estimated_ms: Option<u64>,
	/// Why it would not prove it (unknown circuit, dataset or model, hyper-parameters that do
	/// not parse, a full queue, no measurement yet). Set when it would not.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub refusal: Option<String>,
	/// The refusal is for now only (a full queue, artifacts still being fetched, no measurement
	/// yet): ask again later. Otherwise a refusal stands for the work's life, and the
	/// off-chain worker does not ask about that work again.
	#[serde(default, skip_serializing_if = "core::ops::Not::not")]
	pub retry: bool,
}

/// Which task `prover_status` asks about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusQuery {
	/// The task's id.
	pub task: TaskId,
}

/// A page of `prover_list`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
	/// Start after this task id (the previous page's `next`); from the first if absent.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub after: Option<TaskId>,
	/// At most this many tasks, 1 to [`MAX_PAGE`] (default [`MAX_PAGE`]).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub limit: Option<u32>,
}

/// Tasks in id order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPage {
	/// The tasks.
	pub tasks: Vec<TaskStatus>,
	/// The id to pass as `after` for the next page; absent on the last page.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub next: Option<TaskId>,
}

/// Where a task stands.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum State {
	/// Never submitted (or pruned).
	Unknown,
	/// Waiting for the prover.
	Queued,
	/// Being trained or proven.
	Proving,
	/// Proven: `outputs` and `proof` are set.
	Done,
	/// Given up: `error` says why.
	Failed,
}

/// A task and its result, as journaled and as answered.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct TaskStatus {
	/// The task's id.
	pub task: TaskId,
	/// Where it stands.
	pub state: State,
	/// The request, once accepted.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub request: Option<ProveRequest>,
	/// The proven outputs.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub outputs: Option<Vec<Bytes32>>,
	/// The proof, 256 bytes (EIP-197 `A ‖ B ‖ C`).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub proof: Option<Hex<256>>,
	/// Why it failed.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub error: Option<String>,
	/// When it was accepted, UNIX seconds.
	#[serde(default)]
	pub accepted_at: u64,
	/// When it finished, UNIX seconds.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub finished_at: Option<u64>,
	/// Training and proving time, milliseconds.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub proving_ms: Option<u64>,
}

impl TaskStatus {
	/// The status of a task the daemon does not have.
	pub fn unknown(task: TaskId) -> Self {
		TaskStatus {
			task,
			state: State::Unknown,
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

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn requests_round_trip_through_json_and_their_id_covers_every_field() {
		let request = ProveRequest {
			work: WorkId::Slot(2, 1),
			circuit: Hex([1; 32]),
			binding: Hex([2; 32]),
			inputs: alloc::vec![Hex([3; 32])],
			outputs: 2,
			hyper_params: Some("lr=0.05,epochs=20".into()),
			circom: None,
		};
		let json = serde_json::to_string(&request).unwrap();
		assert!(json.contains(r#""work":{"slot":[2,1]}"#), "{json}");
		assert!(json.contains(&alloc::format!("\"0x{}\"", "01".repeat(32))), "{json}");
		assert_eq!(serde_json::from_str::<ProveRequest>(&json).unwrap(), request);
		let mut other = request.clone();
		other.inputs[0] = Hex([4; 32]);
		assert_ne!(other.task_id(), request.task_id());
		let mut other = request.clone();
		other.hyper_params = None;
		assert_ne!(other.task_id(), request.task_id());
	}

	#[test]
	fn a_request_without_circom_hashes_as_spec_100s_workers_hash_it() {
		// The request as it was before circom jobs (runtime spec 100's off-chain worker).
		#[derive(Encode)]
		struct Spec100Request {
			work: WorkId,
			circuit: Bytes32,
			binding: Bytes32,
			inputs: Vec<Bytes32>,
			outputs: u32,
			hyper_params: Option<String>,
		}
		for hyper_params in [None, Some("lr=0.05,epochs=20".to_string())] {
			let request = ProveRequest {
				work: WorkId::Job(0),
				circuit: Hex([1; 32]),
				binding: Hex([2; 32]),
				inputs: alloc::vec![Hex([3; 32]), Hex([5; 32])],
				outputs: 1,
				hyper_params: hyper_params.clone(),
				circom: None,
			};
			let old = Spec100Request {
				work: request.work,
				circuit: request.circuit,
				binding: request.binding,
				inputs: request.inputs.clone(),
				outputs: 1,
				hyper_params,
			};
			assert_eq!(request.task_id(), Hex(sp_crypto_hashing::blake2_256(&old.encode())));
		}
	}

	#[test]
	fn circom_requests_round_trip_and_their_artifacts_are_in_the_id() {
		use crate::artifacts::{Artifact, CircomJob, InputData};
		let artifact = |url: &str| Artifact { sha256: [7; 32], size: 99, location: url.as_bytes().to_vec().try_into().unwrap() };
		let request = ProveRequest {
			work: WorkId::Job(3),
			circuit: Hex([1; 32]),
			binding: Hex([2; 32]),
			inputs: alloc::vec![],
			outputs: 1,
			hyper_params: None,
			circom: Some(CircomJob {
				wasm: artifact("http://127.0.0.1:8090/a"),
				zkey: artifact("http://127.0.0.1:8090/b"),
				input: InputData::Public(br#"{"a": 1}"#.to_vec().try_into().unwrap()),
			}),
		};
		let json = serde_json::to_string(&request).unwrap();
		assert!(json.contains(r#""location":"http://127.0.0.1:8090/a""#), "{json}");
		assert!(json.contains(&alloc::format!("\"sha256\":\"0x{}\"", "07".repeat(32))), "{json}");
		assert!(json.contains(r#""input":{"public":"{\"a\": 1}"}"#), "{json}");
		assert_eq!(serde_json::from_str::<ProveRequest>(&json).unwrap(), request);
		let mut other = request.clone();
		other.circom.as_mut().unwrap().zkey.sha256 = [8; 32];
		assert_ne!(other.task_id(), request.task_id());
		let too_long = json.replace("http://127.0.0.1:8090/a", &"x".repeat(300));
		assert!(serde_json::from_str::<ProveRequest>(&too_long).is_err());
	}

	#[test]
	fn hex_refuses_wrong_lengths_and_non_hex() {
		assert!(serde_json::from_str::<Bytes32>("\"0x00\"").is_err());
		assert!(serde_json::from_str::<Bytes32>(&alloc::format!("\"0x{}\"", "zz".repeat(32))).is_err());
		assert_eq!(serde_json::from_str::<Hex<2>>("\"0x0102\"").unwrap(), Hex([1, 2]));
	}
}
