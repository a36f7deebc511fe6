//! The prover's off-chain worker.
//!
//! It runs on a node that has prover keys (key type `cprv`, sr25519) in its keystore and a
//! proving daemon configured: the node writes the daemon's URL, its bearer token, the operator's
//! [`ProverPolicy`] and the block time into the off-chain PERSISTENT storage
//! ([`cloudana_primitives::offchain`] names the keys). Keys never leave the node: the daemon
//! proves, the node signs. After each new best block it:
//!
//! 1. asks the daemon what it proves ([`wire::CAPABILITIES`]);
//! 2. **drives its own locks** ([`ActiveLocks`] of each local key): asks the daemon for the
//!    task by its id (the hash of the whole request, so a task someone else submitted for the
//!    same binding is never taken for ours), hands it over if the daemon does not have it, and
//!    once proven **verifies the proof locally** against the chain's key before sending the
//!    signed `submit_result` / `submit_slot_result` (a daemon bug costs a lock timeout, never an
//!    invalid-proof slash);
//! 3. **locks new work** from [`OpenWork`] on the circuits the daemon proves, a bounded window
//!    of entries per circuit and block that rotates through the index (so no number of junk
//!    submissions hides a job for long), and, if the daemon proves circom circuits
//!    ([`wire::Capabilities::circom`]), a window of the jobs on circom circuits
//!    ([`crate::CircomJobs`]). It locks a job or slot only when:
//!    - this node never locked it before (a job it timed out on, or whose proof the chain
//!      refused, is left to others);
//!    - the price and collateral fit the operator's policy (`--prover-min-price`,
//!      `--prover-max-collateral`, `--prover-max-collateral-ratio`);
//!    - a local key is eligible (and is not the requester);
//!    - the lock window (a grid: the close) leaves a whole proof window;
//!    - the daemon, asked with the exact request it would get ([`wire::ASSESS`]), knows the
//!      circuit, dataset, model and hyper-parameters (a circom job: has fetched its artifacts,
//!      checked their hashes, sizes and verifying key, and computed a witness whose public
//!      inputs are the job's), and estimates from its own measurements
//!      that the proof is ready within two thirds of the proof window (less two blocks for
//!      inclusion).
//!
//!    The window's work is assessed best paid first, at most [`MAX_ASSESS`] a run, so cheap junk
//!    that passes the policy cannot spend the run's assessments before a well-paid job. A
//!    refusal stands for the work's life ([`REFUSED_FOR_GOOD`]: its terms never change), unless
//!    the daemon marks it `retry` (a full queue, artifacts still being fetched, no measurement
//!    yet): then it is asked again after [`REASSESS_BLOCKS`].
//!
//! **Transactions.** Nonces are tracked per key in PERSISTENT storage: a transaction sent
//! takes the next nonce after the last one this node sent (or the chain's, if that is higher),
//! so two sends in one run or in consecutive blocks never collide. When the chain's nonce for
//! the key has not moved for [`NONCE_STALE_BLOCKS`] while this node is ahead of it, the
//! transactions in the gap were lost (dropped by the pool, or signed for a runtime that was
//! replaced) and the next one takes the chain's nonce again. Resending does not keep a lost gap
//! alive: the clock runs from the block the chain's nonce last moved, not from the last send
//! (a resend every [`RETRY_BLOCKS`] at ever higher nonces would otherwise never be included). An action
//! is recorded as sent only once the transaction pool took it, and resent after
//! [`RETRY_BLOCKS`] if the chain has not moved on. A run lock keeps two runs from overlapping.
//! The worker's memory of works is a ring of the last [`MEMO_CAPACITY`] works it touched.
//!
//! The daemon protocol is [`cloudana_primitives::wire`]'s.

use crate::{
	ActiveLocks, BalanceOf, Call, Config, GridJobs, GridStatus, JobStatus, Jobs, OpenWork, Pallet, ProverRegistry,
	SlotState, Verifier,
};
use alloc::{string::String, vec, vec::Vec};
use cloudana_groth16::{Proof, PublicInput};
use cloudana_primitives::{
	offchain::{ProverPolicy, BLOCK_TIME_KEY, ENDPOINT_KEY, POLICY_KEY, TOKEN_KEY},
	wire::{self, Hex, ProveRequest},
	CircuitId, WorkId,
};
use codec::{Decode, Encode};
use frame_support::{traits::Get, BoundedVec};
use frame_system::{
	offchain::{Account, CreateSignedTransaction, Signer, SubmitTransaction},
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

/// Blocks before an action on a piece of work is sent again, if the chain has not moved on.
pub const RETRY_BLOCKS: u32 = 10;
/// Blocks the chain's nonce may stand still, with this node's transactions ahead of it, before
/// those transactions are taken as lost and the chain's nonce is used again.
pub const NONCE_STALE_BLOCKS: u32 = 20;
/// Blocks a refusal for now (`retry`: a full queue, artifacts still being fetched) is
/// remembered before the daemon is asked again. Any other refusal stands for the work's life.
pub const REASSESS_BLOCKS: u32 = 10;
/// A [`Memo::refused`] block that never passes: refused for the work's life.
pub const REFUSED_FOR_GOOD: u32 = u32::MAX;
/// Blocks allowed for a transaction to be included, taken off every proof window.
pub const INCLUSION_BLOCKS: u32 = 2;
/// How many open-work entries are looked at per circuit and run.
pub const MAX_SCAN: usize = 512;
/// How many assessments are asked of the daemon per run.
pub const MAX_ASSESS: usize = 8;
/// How many works the worker remembers.
pub const MEMO_CAPACITY: usize = 1024;

const RUN_LOCK: &[u8] = b"cloudana::jobs-ocw-run";
const MEMO_KEY: &[u8] = b"cloudana::jobs-ocw-memo";
const NONCES_KEY: &[u8] = b"cloudana::jobs-ocw-nonces/2";
const CURSOR_KEY: &[u8] = b"cloudana::jobs-ocw-cursor";
const CIRCOM_CURSOR_KEY: &[u8] = b"cloudana::jobs-ocw-circom-cursor";
const LOG: &str = "runtime::jobs::ocw";
const WARN_EVERY: u64 = 50;

/// What the worker remembers of a piece of work.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Memo {
	/// A local key held a lock on it (seen on chain): never lock it again.
	pub locked: bool,
	/// The block a lock was last sent in.
	pub lock_sent: Option<u32>,
	/// The block a result was last sent in.
	pub result_sent: Option<u32>,
	/// The block the daemon last refused it for now (or its proof failed local verification),
	/// or [`REFUSED_FOR_GOOD`].
	pub refused: Option<u32>,
}

/// The worker's memory: the last [`MEMO_CAPACITY`] works it touched, oldest first.
#[derive(Default, Encode, Decode)]
struct Memory {
	works: Vec<(WorkId, Memo)>,
}

impl Memory {
	fn load() -> Self {
		StorageValueRef::persistent(MEMO_KEY).get::<Memory>().ok().flatten().unwrap_or_default()
	}
	fn save(&self) {
		StorageValueRef::persistent(MEMO_KEY).set(self);
	}
	fn get(&self, work: WorkId) -> Memo {
		self.works.iter().find(|(w, _)| *w == work).map(|(_, m)| *m).unwrap_or_default()
	}
	fn update(&mut self, work: WorkId, f: impl FnOnce(&mut Memo)) {
		if let Some(index) = self.works.iter().position(|(w, _)| *w == work) {
			f(&mut self.works[index].1);
			return;
		}
		let mut memo = Memo::default();
		f(&mut memo);
		if self.works.len() >= MEMO_CAPACITY {
			self.works.remove(0);
		}
		self.works.push((work, memo));
	}
}

/// Whether `at` is less than `blocks` before `now`.
fn recent(at: Option<u32>, now: u32, blocks: u32) -> bool {
	at.is_some_and(|at| now < at.saturating_add(blocks))
}

/// Hands out nonces per key, so that several transactions in flight never share one.
struct Nonces<T: Config> {
	now: u32,
	/// Per key: the next nonce this node hands out, the chain's nonce when it was last seen to
	/// move, and the block it was seen to move in.
	sent: Vec<(T::AccountId, T::Nonce, T::Nonce, u32)>,
}

impl<T: Config> Nonces<T> {
	fn load(now: u32) -> Self {
		let sent = StorageValueRef::persistent(NONCES_KEY)
			.get::<Vec<(T::AccountId, T::Nonce, T::Nonce, u32)>>()
			.ok()
			.flatten()
			.unwrap_or_default();
		Nonces { now, sent }
	}

	/// The nonce `who`'s next transaction takes: one past the last this node sent while the
	/// chain has not caught up with it, unless the chain's nonce has stood still for
	/// [`NONCE_STALE_BLOCKS`] (the transactions in between were lost); otherwise the chain's.
	fn next(&self, who: &T::AccountId) -> T::Nonce {
		let chain = frame_system::Pallet::<T>::account_nonce(who);
		match self.sent.iter().find(|(a, ..)| a == who) {
			Some((_, next, seen, since))
				if *next > chain && (*seen != chain || self.now < since.saturating_add(NONCE_STALE_BLOCKS)) =>
				*next,
			_ => chain,
		}
	}

	/// Records that a transaction with `nonce` went to the pool. The stale clock restarts when
	/// the chain's nonce moved or this send started from it, never merely because of a send.
	fn used(&mut self, who: &T::AccountId, nonce: T::Nonce) {
		let chain = frame_system::Pallet::<T>::account_nonce(who);
		let since = match self.sent.iter().find(|(a, ..)| a == who) {
			Some((_, _, seen, since)) if *seen == chain && nonce > chain => *since,
			_ => self.now,
		};
		self.sent.retain(|(a, ..)| a != who);
		self.sent.push((who.clone(), nonce.saturating_add(1u32.into()), chain, since));
		StorageValueRef::persistent(NONCES_KEY).set(&self.sent);
	}
}

/// One run's context.
struct Worker<T: Config> {
	now: BlockNumberFor<T>,
	block: u32,
	daemon: daemon::Client,
	accounts: Vec<Account<T>>,
	policy: ProverPolicy,
	block_ms: u64,
	memory: Memory,
	nonces: Nonces<T>,
	assessed: usize,
	/// Results proven and verified here in this run, to send once every lock was driven:
	/// `(key index, circuit, result)`.
	ready: Vec<(usize, CircuitId, crate::BatchedResult<T>)>,
}

/// One run of the worker, after block `now`.
pub fn run<T: Config>(now: BlockNumberFor<T>) {
	let Some(endpoint) = read::<Vec<u8>>(ENDPOINT_KEY).filter(|e| !e.is_empty()) else { return };
	let mut lock = StorageLock::<BlockAndTime<frame_system::Pallet<T>>>::with_block_and_time_deadline(
		RUN_LOCK,
		5,
		Duration::from_millis(60_000),
	);
	let Ok(_guard) = lock.try_lock() else {
		log::debug!(target: LOG, "the previous run is still going");
		return;
	};
	let block: u32 = now.saturated_into();
	let accounts: Vec<Account<T>> = Signer::<T, T::AuthorityId>::keystore_accounts().collect();
	if accounts.is_empty() {
		warn_sometimes(block, "a prover endpoint is set but the keystore has no `cprv` key (author_insertKey)".into());
		return;
	}
	let daemon = daemon::Client { endpoint, token: read::<Vec<u8>>(TOKEN_KEY).unwrap_or_default() };
	let capabilities = match daemon.capabilities() {
		Ok(capabilities) => capabilities,
		Err(error) => {
			warn_sometimes(block, alloc::format!("prover daemon at {} unreachable: {error}", daemon.url()));
			return;
		},
	};
	let mut worker = Worker::<T> {
		now,
		block,
		daemon,
		accounts,
		policy: read::<ProverPolicy>(POLICY_KEY).unwrap_or_default(),
		block_ms: read::<u64>(BLOCK_TIME_KEY).filter(|ms| *ms > 0).unwrap_or_else(T::BlockTimeMs::get),
		memory: Memory::load(),
		nonces: Nonces::load(block),
		assessed: 0,
		ready: Vec::new(),
	};
	worker.drive_locks();
	worker.send_results();
	if capabilities.accepting {
		for circuit in &capabilities.circuits {
			worker.lock_open_work(CircuitId::from(circuit.0));
		}
		if capabilities.circom {
			worker.lock_open_circom(&capabilities.circuits);
		}
	}
	worker.memory.save();
}

fn read<V: Decode>(key: &[u8]) -> Option<V> {
	StorageValueRef::persistent(key).get::<V>().ok().flatten()
}

/// Warns every `WARN_EVERY` blocks, and logs at debug level otherwise, so a misconfigured
/// prover node does not flood its log.
fn warn_sometimes(block: u32, message: String) {
	if (block as u64) % WARN_EVERY == 0 {
		log::warn!(target: LOG, "{message}");
	} else {
		log::debug!(target: LOG, "{message}");
	}
}

/// What the worker needs to know of a piece of work to lock and prove it.
struct View<T: Config> {
	work: WorkId,
	requester: T::AccountId,
	circuit: CircuitId,
	inputs: Vec<PublicInput>,
	outputs: u32,
	hyper_params: Option<String>,
	circom: Option<crate::CircomJob>,
	price: BalanceOf<T>,
	collateral: BalanceOf<T>,
	proof_timeout: BlockNumberFor<T>,
	/// The last block a lock can be included in and still get a whole proof window.
	lockable_until: BlockNumberFor<T>,
}

/// Where a piece of work stands, for the worker.
enum Stand<T: Config> {
	/// Lockable.
	Open,
	/// Locked by this lock.
	Locked(crate::Lock<T>),
	/// Neither (finished, proven, void, or its grid closed).
	Other,
}

impl<T: Config> View<T> {
	/// The work as it stands at block `now`, if its record exists.
	fn load(work: WorkId, now: BlockNumberFor<T>) -> Option<(Self, Stand<T>)> {
		let next = now.saturating_add(1u32.into());
		let (view, stand) = match work {
			WorkId::Job(id) => {
				let job = Jobs::<T>::get(id)?;
				let (price, lockable_until, stand) = match &job.status {
					JobStatus::Open => (Pallet::<T>::price_at(&job, next), job.lock_expires_at.saturating_sub(1u32.into()), Stand::Open),
					JobStatus::Locked(lock) => (lock.price, lock.expires_at, Stand::Locked(lock.clone())),
					_ => (Default::default(), now, Stand::Other),
				};
				let view = View {
					work,
					requester: job.requester,
					circuit: job.circuit,
					inputs: job.inputs.to_vec(),
					outputs: job.outputs,
					hyper_params: None,
					circom: crate::CircomJobs::<T>::get(id),
					price,
					collateral: job.terms.collateral,
					proof_timeout: job.terms.proof_timeout,
					lockable_until,
				};
				(view, stand)
			},
			WorkId::Slot(grid, slot) => {
				let job = GridJobs::<T>::get(grid)?;
				let entry = job.slots.get(slot as usize)?;
				let (price, lockable_until, stand) = match (&job.status, &entry.state) {
					(GridStatus::Open, SlotState::Open) => (
						Pallet::<T>::slot_price(&job),
						job.closes_at.saturating_sub(job.terms.proof_timeout),
						Stand::Open,
					),
					(GridStatus::Open, SlotState::Locked(lock)) => (lock.price, lock.expires_at, Stand::Locked(lock.clone())),
					_ => (Default::default(), now, Stand::Other),
				};
				let view = View {
					work,
					requester: job.requester.clone(),
					circuit: job.circuit,
					inputs: job.inputs.to_vec(),
					outputs: job.outputs,
					hyper_params: Some(String::from_utf8_lossy(&entry.params).into_owned()),
					circom: None,
					price,
					collateral: job.terms.collateral,
					proof_timeout: job.terms.proof_timeout,
					lockable_until,
				};
				(view, stand)
			},
		};
		Some((view, stand))
	}

	/// The work as it stands now, if it is open.
	fn open(work: WorkId, now: BlockNumberFor<T>) -> Option<Self> {
		match Self::load(work, now)? {
			(view, Stand::Open) => Some(view),
			_ => None,
		}
	}

	/// The work, if `prover` holds its lock.
	fn locked_by(work: WorkId, prover: &T::AccountId, now: BlockNumberFor<T>) -> Option<Self> {
		match Self::load(work, now)? {
			(view, Stand::Locked(lock)) if lock.prover == *prover => Some(view),
			_ => None,
		}
	}

	/// The request the daemon gets for this work when `prover` proves it.
	fn request(&self, prover: &T::AccountId) -> ProveRequest {
		ProveRequest {
			work: self.work,
			circuit: Hex(self.circuit.0),
			binding: Hex(Pallet::<T>::binding(self.work, prover)),
			inputs: self.inputs.iter().map(|i| Hex(*i)).collect(),
			outputs: self.outputs,
			hyper_params: self.hyper_params.clone(),
			circom: self.circom.clone(),
		}
	}

}

/// The single-result call for `result`: `submit_result` for a job, `submit_slot_result` for a
/// slot.
fn single_result_call<T: Config>(result: crate::BatchedResult<T>) -> Call<T> {
	let crate::BatchedResult { work, outputs, proof } = result;
	let proof = alloc::boxed::Box::new(proof);
	match work {
		WorkId::Job(job) => Call::submit_result { job, outputs, proof },
		WorkId::Slot(grid, slot) => Call::submit_slot_result { grid, slot, outputs, proof },
	}
}

impl<T: Config> Worker<T> {
	/// Signs and sends `call` with `account`'s next nonce; true if the pool took it.
	fn send(&mut self, account: &Account<T>, call: Call<T>) -> bool {
		let nonce = self.nonces.next(&account.id);
		let Some(xt) = <T as CreateSignedTransaction<Call<T>>>::create_signed_transaction::<T::AuthorityId>(
			call.into(),
			account.public.clone(),
			account.id.clone(),
			nonce,
		) else {
			log::warn!(target: LOG, "could not sign a transaction");
			return false;
		};
		if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_ok() {
			self.nonces.used(&account.id, nonce);
			true
		} else {
			false
		}
	}

	/// Drives every lock a local key holds.
	fn drive_locks(&mut self) {
		let accounts = self.accounts.clone();
		for (index, account) in accounts.iter().enumerate() {
			let works: Vec<WorkId> = ActiveLocks::<T>::iter_key_prefix(&account.id).collect();
			for work in works {
				self.memory.update(work, |m| m.locked = true);
				if let Some(view) = View::<T>::locked_by(work, &account.id, self.now) {
					if self.now < view.lockable_until {
						self.drive(&view, account, index);
					}
				}
			}
		}
	}

	/// Sends the results this run made ready, per key: one alone as `submit_result` /
	/// `submit_slot_result`, several as `submit_results` grouped by verifying key (chunks of at
	/// most `MaxBatch` results and `MaxBatchKeys` keys), so the chain verifies each group in one
	/// batch.
	fn send_results(&mut self) {
		let ready = core::mem::take(&mut self.ready);
		for (index, account) in self.accounts.clone().iter().enumerate() {
			let mine: Vec<(CircuitId, crate::BatchedResult<T>)> =
				ready.iter().filter(|(i, _, _)| *i == index).map(|(_, c, r)| (*c, r.clone())).collect();
			if let [(_, result)] = &mine[..] {
				self.sent(account, single_result_call(result.clone()), &[result.work]);
				continue;
			}
			for chunk in mine.chunks(T::MaxBatch::get().max(1) as usize) {
				let mut groups: Vec<crate::KeyResults<T>> = Vec::new();
				let mut works = Vec::new();
				for (circuit, result) in chunk {
					let at = match groups.iter().position(|g| g.circuit == *circuit) {
						Some(at) => at,
						None if (groups.len() as u32) < T::MaxBatchKeys::get() => {
							groups.push(crate::KeyResults { circuit: *circuit, results: BoundedVec::new() });
							groups.len() - 1
						},
						// More keys than one call takes: left for the next run.
						None => continue,
					};
					if groups[at].results.try_push(result.clone()).is_ok() {
						works.push(result.work);
					}
				}
				let Ok(batches) = BoundedVec::try_from(groups) else { continue };
				self.sent(account, Call::submit_results { batches }, &works);
			}
		}
	}

	/// Sends `call` with `account` and records the results of `works` as sent.
	fn sent(&mut self, account: &Account<T>, call: Call<T>, works: &[WorkId]) {
		if self.send(account, call) {
			let block = self.block;
			for work in works {
				log::info!(target: LOG, "submitting the result of {work}{}", if works.len() > 1 { " (batched)" } else { "" });
				self.memory.update(*work, |m| m.result_sent = Some(block));
			}
		} else {
			log::warn!(target: LOG, "could not send the results of {} work(s)", works.len());
		}
	}

	/// Hands a locked piece of work to the daemon if it does not have it, and sends the result
	/// once proven and verified here.
	fn drive(&mut self, view: &View<T>, account: &Account<T>, index: usize) {
		let work = view.work;
		let request = view.request(&account.id);
		let task = request.task_id();
		let status = match self.daemon.status(&task) {
			Ok(status) => status,
			Err(error) => {
				log::warn!(target: LOG, "{work}: prover_status failed: {error}");
				return;
			},
		};
		match status.state {
			wire::State::Unknown => match self.daemon.submit(&request) {
				Ok(_) => log::info!(target: LOG, "{work} handed to the prover daemon"),
				Err(error) => log::warn!(target: LOG, "{work}: prover_submit failed: {error}"),
			},
			wire::State::Queued | wire::State::Proving => {},
			wire::State::Failed => {
				if !recent(self.memory.get(work).refused, self.block, REASSESS_BLOCKS) {
					log::warn!(target: LOG, "{work}: the daemon could not prove it: {}", status.error.unwrap_or_default());
					self.memory.update(work, |m| m.refused = Some(self.block));
				}
			},
			wire::State::Done => {
				if recent(self.memory.get(work).result_sent, self.block, RETRY_BLOCKS) {
					return;
				}
				if status.request.as_ref() != Some(&request) {
					log::error!(target: LOG, "{work}: the daemon answered for another request; not sent");
					return;
				}
				let Some((outputs, proof)) = Self::result_of(&status) else {
					log::error!(target: LOG, "{work}: the daemon's result is malformed; not sent");
					return;
				};
				let statement = Pallet::<T>::statement(work, &account.id, &view.inputs, &outputs);
				if let Err(reason) = T::Verifier::verify(&view.circuit, &statement, &proof) {
					if !recent(self.memory.get(work).refused, self.block, REASSESS_BLOCKS) {
						log::error!(
							target: LOG,
							"{work}: the daemon's proof does not verify here ({reason:?}); not sent, so the lock \
							 times out instead of being slashed for an invalid proof"
						);
						self.memory.update(work, |m| m.refused = Some(self.block));
					}
					return;
				}
				self.ready.push((index, view.circuit, crate::BatchedResult { work, outputs, proof }));
			},
		}
	}

	fn result_of(status: &wire::TaskStatus) -> Option<(BoundedVec<PublicInput, T::MaxOutputs>, Proof)> {
		let outputs: Vec<PublicInput> = status.outputs.as_ref()?.iter().map(|o| o.0).collect();
		let proof = Proof::from_bytes(&status.proof.as_ref()?.0).ok()?;
		Some((outputs.try_into().ok()?, proof))
	}

	/// Looks at the next window of open work on `circuit` and locks what fits.
	fn lock_open_work(&mut self, circuit: CircuitId) {
		let mut cursors: Vec<(CircuitId, Vec<u8>)> = read(CURSOR_KEY).unwrap_or_default();
		let start = cursors.iter().find(|(c, _)| *c == circuit).map(|(_, key)| key.clone());
		let mut works: Vec<WorkId> = match &start {
			Some(key) => OpenWork::<T>::iter_key_prefix_from(circuit, key.clone()).take(MAX_SCAN).collect(),
			None => Vec::new(),
		};
		if works.len() < MAX_SCAN {
			// Wrap around to the start of the index.
			let first = works.first().copied();
			works.extend(
				OpenWork::<T>::iter_key_prefix(circuit).take(MAX_SCAN - works.len()).take_while(|w| Some(*w) != first),
			);
		}
		if let Some(last) = works.last() {
			cursors.retain(|(c, _)| *c != circuit);
			cursors.push((circuit, OpenWork::<T>::hashed_key_for(circuit, last)));
			StorageValueRef::persistent(CURSOR_KEY).set(&cursors);
		}
		let views = works.into_iter().filter_map(|work| View::<T>::open(work, self.now)).collect();
		self.consider_by_price(views);
	}

	/// Considers `views` best paid first, so that the run's [`MAX_ASSESS`] assessments go to
	/// the work most worth locking, not to whatever cheap junk comes first in the index.
	fn consider_by_price(&mut self, mut views: Vec<View<T>>) {
		views.sort_by(|a, b| b.price.cmp(&a.price));
		for view in views {
			self.consider(&view);
		}
	}

	/// Looks at the next window of jobs on circom circuits ([`crate::CircomJobs`]) that the
	/// daemon does not list among its circuits, and locks what fits: the daemon fetches their
	/// artifacts when first asked, and refuses until it has them and they match.
	fn lock_open_circom(&mut self, listed: &[wire::Bytes32]) {
		let start: Option<Vec<u8>> = read(CIRCOM_CURSOR_KEY);
		let mut jobs: Vec<crate::JobId> = match start {
			Some(key) => crate::CircomJobs::<T>::iter_keys_from(key).take(MAX_SCAN).collect(),
			None => Vec::new(),
		};
		if jobs.len() < MAX_SCAN {
			let first = jobs.first().copied();
			jobs.extend(crate::CircomJobs::<T>::iter_keys().take(MAX_SCAN - jobs.len()).take_while(|j| Some(*j) != first));
		}
		if let Some(last) = jobs.last() {
			StorageValueRef::persistent(CIRCOM_CURSOR_KEY).set(&crate::CircomJobs::<T>::hashed_key_for(last));
		}
		let views = jobs
			.into_iter()
			.filter_map(|job| View::<T>::open(WorkId::Job(job), self.now))
			.filter(|view| !listed.iter().any(|c| c.0 == view.circuit.0))
			.collect();
		self.consider_by_price(views);
	}

	/// Locks an open piece of work if everything in the module docs holds. Every decision is
	/// logged with the work's id (target `runtime::jobs::ocw`): `decision <work>: lock`, or
	/// `decision <work>: skip (<why>)` — at `info` for refusals and locks, at `debug` for the
	/// skips that repeat each block (remembered, policy, window, eligibility, assessment budget).
	fn consider(&mut self, view: &View<T>) {
		let work = view.work;
		let skip = |why: &dyn core::fmt::Display| log::debug!(target: LOG, "decision {work}: skip ({why})");
		let memo = self.memory.get(work);
		if memo.locked {
			return skip(&"locked by this node");
		}
		if recent(memo.lock_sent, self.block, RETRY_BLOCKS) {
			return skip(&"lock sent, awaiting inclusion");
		}
		if memo.refused == Some(REFUSED_FOR_GOOD) {
			return skip(&"refused for good");
		}
		if recent(memo.refused, self.block, REASSESS_BLOCKS) {
			return skip(&"refused for now, reassessed after REASSESS_BLOCKS");
		}
		if let Err(why) = self.policy.admits(view.price.saturated_into(), view.collateral.saturated_into()) {
			return skip(&why);
		}
		let inclusion: BlockNumberFor<T> = INCLUSION_BLOCKS.into();
		if self.now.saturating_add(inclusion) > view.lockable_until {
			return skip(&"too late to lock before it stops being lockable");
		}
		// Keys take work in turn (work `i` prefers key `i mod keys`), so a node with several keys
		// spreads a grid over them.
		let preferred = match work {
			WorkId::Job(id) => id as usize,
			WorkId::Slot(_, slot) => slot as usize,
		} % self.accounts.len();
		let eligible = |a: &Account<T>| a.id != view.requester && T::Provers::ensure_eligible(&a.id, &view.circuit, view.price).is_ok();
		let Some(account) = core::iter::once(&self.accounts[preferred]).chain(self.accounts.iter()).find(|a| eligible(a)).cloned()
		else {
			return skip(&"no key of this node is eligible (stake, tier, circuit, status, or its own job)");
		};
		if self.assessed >= MAX_ASSESS {
			return skip(&"this run's assessments are spent (MAX_ASSESS)");
		}
		self.assessed += 1;
		let assessment = match self.daemon.assess(&view.request(&account.id)) {
			Ok(assessment) => assessment,
			Err(error) => {
				// The daemon is failing (down, overloaded, or refusing a hostile request's
				// artifacts badly): back off for the rest of this run rather than ask again.
				log::warn!(target: LOG, "decision {work}: skip (prover_assess failed: {error}); no more assessments this run");
				self.assessed = MAX_ASSESS;
				return;
			},
		};
		let window_blocks: u32 = view.proof_timeout.saturated_into::<u32>().saturating_sub(INCLUSION_BLOCKS);
		let window_ms = (window_blocks as u64).saturating_mul(self.block_ms);
		let retry = assessment.retry;
		let refusal = match (assessment.refusal, assessment.estimated_ms) {
			(Some(refusal), _) => Some(refusal),
			(None, Some(ms)) if ms.saturating_mul(3) / 2 > window_ms => Some(alloc::format!(
				"the daemon estimates {ms} ms, more than two thirds of the {window_ms} ms proof window"
			)),
			(None, Some(_)) => None,
			(None, None) => Some("the daemon gave no estimate".into()),
		};
		if let Some(refusal) = refusal {
			// A refusal for now is asked again after REASSESS_BLOCKS; any other stands for the
			// work's life (its terms do not change), so junk is assessed once, not every run.
			let until = if retry { self.block } else { REFUSED_FOR_GOOD };
			log::info!(target: LOG, "decision {work}: skip ({refusal}{})", if retry { "; for now" } else { "" });
			self.memory.update(work, |m| m.refused = Some(until));
			return;
		}
		let call = match work {
			WorkId::Job(job) => Call::lock { job },
			WorkId::Slot(grid, slot) => Call::lock_slot { grid, slot },
		};
		if self.send(&account, call) {
			log::info!(target: LOG, "decision {work}: lock (as {:?}, price {:?})", account.id, view.price);
			let block = self.block;
			self.memory.update(work, |m| m.lock_sent = Some(block));
		} else {
			log::warn!(target: LOG, "decision {work}: skip (could not send the lock)");
		}
	}
}

/// A JSON-RPC client for the proving daemon over the off-chain HTTP API, with the bearer token.
pub mod daemon {
	use super::*;
	use serde::{Deserialize, Serialize};
	use sp_runtime::offchain::http;

	const TIMEOUT_MS: u64 = 3_000;

	/// The largest response body the worker reads from the daemon, bytes: the largest answer
	/// (a task's status with its request, or the capabilities of a daemon holding thousands of
	/// circuits) is a few kilobytes. A longer body is refused after `MAX_RESPONSE_BYTES + 1`
	/// bytes are read, before it is parsed, so a broken or hostile daemon (or anything that
	/// answers on its address) cannot exhaust the worker's heap.
	pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

	/// The daemon's address and token.
	pub struct Client {
		/// The URL (UTF-8 bytes).
		pub endpoint: Vec<u8>,
		/// The bearer token (UTF-8 bytes).
		pub token: Vec<u8>,
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

	/// The JSON body of a call, as sent.
	pub fn request_body<P: Serialize>(method: &str, params: P) -> Vec<u8> {
		serde_json::to_vec(&Request { jsonrpc: "2.0", id: 1, method, params })
			.expect("serializing plain structs to JSON cannot fail; qed")
	}

	impl Client {
		/// The URL, for messages.
		pub fn url(&self) -> String {
			String::from_utf8_lossy(&self.endpoint).into_owned()
		}

		fn call<P: Serialize, R: for<'de> Deserialize<'de>>(&self, method: &str, params: P) -> Result<R, String> {
			let url = core::str::from_utf8(&self.endpoint).map_err(|_| String::from("the endpoint is not UTF-8"))?;
			let token = core::str::from_utf8(&self.token).map_err(|_| String::from("the token is not UTF-8"))?;
			let authorization = alloc::format!("Bearer {}", token.trim());
			let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(TIMEOUT_MS));
			let pending = http::Request::post(url, vec![request_body(method, params)])
				.add_header("Content-Type", "application/json")
				.add_header("Authorization", &authorization)
				.deadline(deadline)
				.send()
				.map_err(|e| alloc::format!("request failed: {e:?}"))?;
			let response = pending
				.try_wait(deadline)
				.map_err(|_| String::from("timed out"))?
				.map_err(|e| alloc::format!("HTTP error: {e:?}"))?;
			match response.code {
				200 => {},
				401 => return Err("HTTP 401: the daemon refused the token (check --prover-token-file)".into()),
				code => return Err(alloc::format!("HTTP status {code}")),
			}
			let body: Vec<u8> = response.body().take(MAX_RESPONSE_BYTES + 1).collect();
			if body.len() > MAX_RESPONSE_BYTES {
				return Err(alloc::format!("the response is larger than {MAX_RESPONSE_BYTES} bytes"));
			}
			let response: Response<R> =
				serde_json::from_slice(&body).map_err(|e| alloc::format!("bad JSON-RPC response: {e}"))?;
			match (response.result, response.error) {
				(Some(result), _) => Ok(result),
				(None, Some(error)) => Err(error.message),
				(None, None) => Err(String::from("empty JSON-RPC response")),
			}
		}

		/// `prover_capabilities`.
		pub fn capabilities(&self) -> Result<wire::Capabilities, String> {
			self.call(wire::CAPABILITIES, [(); 0])
		}

		/// `prover_assess`.
		pub fn assess(&self, request: &ProveRequest) -> Result<wire::Assessment, String> {
			self.call(wire::ASSESS, [request])
		}

		/// `prover_submit`.
		pub fn submit(&self, request: &ProveRequest) -> Result<wire::TaskStatus, String> {
			self.call(wire::SUBMIT, [request])
		}

		/// `prover_status`.
		pub fn status(&self, task: &wire::TaskId) -> Result<wire::TaskStatus, String> {
			self.call(wire::STATUS, [wire::StatusQuery { task: *task }])
		}
	}
}
