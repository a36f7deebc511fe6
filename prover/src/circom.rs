//! Jobs on circom circuits: artifacts fetched by content hash, checked and cached; circuits
//! kept loaded under a memory cap; each request prepared (artifacts, verifying key, witness,
//! statement) before the worker locks it.
//!
//! ## Artifacts
//!
//! A request names the `.wasm`, the `.zkey` and (committed privacy) the input file by SHA-256,
//! size and URL (`cloudana_primitives::artifacts`). The daemon:
//! - refuses a declared size over its limit (`--max-wasm-mib`, `--max-zkey-mib`,
//!   `--max-input-kib`) without fetching;
//! - looks for `<dir>/<sha256 hex>` in each `--artifacts-dir` (a local source for tests and
//!   for operators who pre-seed files), then in its cache (`<journal>/artifacts/`);
//! - otherwise fetches the URL (HTTP/1.1, `http://` or `https://` with the platform's
//!   certificate store), stops as soon as more bytes than declared arrive, and keeps the file
//!   only if its length and SHA-256 are the declared ones (written to a temporary file, then
//!   renamed, so the cache never holds a partial file).
//!
//! A requester names the URL, so the daemon never fetches from an address on its own network
//! unless the operator allows it (`--allow-private-artifacts`, for local artifact servers):
//! loopback, private (RFC 1918, IPv6 unique-local), link-local (cloud metadata services such as
//! 169.254.169.254), carrier-grade NAT, unspecified, broadcast, multicast and documentation
//! addresses are refused, whether the URL names them or its host name resolves to them. Names
//! are resolved by the connector's own resolver, which drops such addresses, so the connection
//! goes only to an address that was checked (no DNS rebinding). Each fetch has one deadline for
//! the whole download (`--fetch-timeout-s`, 600 s), and at most `--max-fetches` (2) run at once.
//!
//! A failed fetch is remembered for [`RETRY_FAILED`] and reported as the refusal.
//!
//! ## Preparation
//!
//! `prover_assess` on a circom request starts (once per task id, in the background) and then
//! reports its preparation: fetch the files; load the circuit (the `.zkey` parsed, the `.wasm`
//! compiled; kept per `(zkey, wasm)` hash pair, least recently used dropped beyond
//! `--circom-memory-mib`); check that the `.zkey`'s verifying key is the job's circuit; set the
//! input signal `binding` to the request's binding and compute the witness; check that the
//! public signals are `outputs ‖ binding ‖ inputs` with the job's inputs; then prove it and
//! verify the proof, every time (a requester's `.wasm` can compute the right public signals
//! from a witness that does not satisfy the circuit, and only a verified proof shows that it
//! does: a snarkjs `.zkey` holds the constraints' A and B but not C). That proof is kept and
//! becomes the task's result if the worker locks the job, so a locked job costs no second
//! proof; a job lost to another prover costs one. The first proof of a circuit also measures
//! it. Until the preparation succeeds the assessment is a refusal with its reason, so the
//! worker does not lock: a requester's bad artifacts cost the prover nothing.
//!
//! The `.zkey`'s verifying key is read first (its header and section 3) and compared with the
//! job's circuit before the rest is parsed, and every count the header declares is bounded by
//! the bytes its section holds. The witness generator runs in wasmtime with fuel, an epoch
//! deadline and a memory limit (`cloudana_circuits::circom::witness::Limits`), and may not
//! claim more signals than the `.zkey`'s `nVars`.

use anyhow::Context as _;
use cloudana_circuits::{circom::CircomCircuit, engine::Engine};
use cloudana_primitives::{
	artifacts::{Artifact, CircomJob, InputData},
	wire::{Bytes32, Hex, ProveRequest, TaskId},
};
use sha2::Digest as _;
use std::{
	collections::{BTreeMap, VecDeque},
	future::Future,
	net::{IpAddr, SocketAddr},
	path::{Path, PathBuf},
	pin::Pin,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, Mutex,
	},
	task::{Context as TaskContext, Poll},
	time::{Duration, Instant},
};

/// The refusal while a request's artifacts are fetched and checked (a `retry` assessment).
pub const PREPARING: &str = "fetching and checking the circom artifacts";

/// How long a failed fetch or preparation is remembered before it is tried again.
pub const RETRY_FAILED: Duration = Duration::from_secs(60);
/// The most preparations remembered.
pub const MAX_PREPARED: usize = 256;

/// Limits and places (module docs).
#[derive(Clone, Debug)]
pub struct Settings {
	/// The largest `.wasm`, bytes.
	pub max_wasm: u64,
	/// The largest `.zkey`, bytes.
	pub max_zkey: u64,
	/// The largest input file, bytes.
	pub max_input: u64,
	/// Local sources: files named by their SHA-256 in hex.
	pub local: Vec<PathBuf>,
	/// The cache of fetched files.
	pub cache: PathBuf,
	/// The most bytes of loaded circuits (their `.zkey` and `.wasm` sizes) kept in memory.
	pub max_loaded: u64,
	/// Fetch from loopback, private and link-local addresses too (a local artifact server).
	pub allow_private: bool,
	/// The most one fetch may take, from connecting to the last byte.
	pub fetch_timeout: Duration,
	/// The most fetches running at once.
	pub max_fetches: usize,
}

impl Default for Settings {
	fn default() -> Self {
		Settings {
			max_wasm: 64 << 20,
			max_zkey: 2 << 30,
			max_input: 16 << 20,
			local: Vec::new(),
			cache: PathBuf::from("cloudana-prover-data/artifacts"),
			max_loaded: 4 << 30,
			allow_private: false,
			fetch_timeout: Duration::from_secs(600),
			max_fetches: 2,
		}
	}
}

/// A request ready to prove.
pub struct Prepared {
	/// The circuit.
	pub circuit: Arc<CircomCircuit>,
	/// The witness for the request's binding.
	pub witness: Vec<ark_bn254::Fr>,
	/// The outputs (the first public signals).
	pub outputs: Vec<Bytes32>,
	/// A proof made while measuring the circuit, if any.
	pub proven: Mutex<Option<Hex<256>>>,
	/// Measured milliseconds of a proof, if measured here.
	pub measured_ms: Option<u64>,
}

enum Preparation {
	Pending,
	Ready(Arc<Prepared>),
	Refused(String, Instant),
}

/// Whether an artifact fetch may reach `ip` without `--allow-private-artifacts`: not loopback,
/// private, link-local, carrier-grade NAT, unspecified, broadcast, multicast or documentation
/// (an IPv4-mapped IPv6 address as its IPv4 address).
pub fn public_address(ip: IpAddr) -> bool {
	match ip {
		IpAddr::V4(a) => {
			let [first, second, ..] = a.octets();
			!(a.is_private() ||
				a.is_loopback() ||
				a.is_link_local() ||
				a.is_unspecified() ||
				a.is_broadcast() ||
				a.is_multicast() ||
				a.is_documentation() ||
				first == 0 ||
				(first == 100 && (second & 0xC0) == 64))
		},
		IpAddr::V6(a) => {
			if let Some(v4) = a.to_ipv4_mapped() {
				return public_address(IpAddr::V4(v4));
			}
			let first = a.segments()[0];
			!(a.is_loopback() || a.is_unspecified() || a.is_multicast() || (first & 0xFE00) == 0xFC00 || (first & 0xFFC0) == 0xFE80)
		},
	}
}

/// The fetch connector's resolver: the system's, without the addresses [`public_address`]
/// refuses (unless allowed), so that a connection goes only to an address that was checked.
#[derive(Clone)]
struct CheckedResolver {
	allow_private: bool,
}

impl tower::Service<hyper_util::client::legacy::connect::dns::Name> for CheckedResolver {
	type Response = std::vec::IntoIter<SocketAddr>;
	type Error = std::io::Error;
	type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

	fn poll_ready(&mut self, _: &mut TaskContext<'_>) -> Poll<Result<(), Self::Error>> {
		Poll::Ready(Ok(()))
	}

	fn call(&mut self, name: hyper_util::client::legacy::connect::dns::Name) -> Self::Future {
		let allow_private = self.allow_private;
		Box::pin(async move {
			let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
			let allowed: Vec<SocketAddr> = found.iter().copied().filter(|a| allow_private || public_address(a.ip())).collect();
			if allowed.is_empty() {
				return Err(std::io::Error::new(
					std::io::ErrorKind::PermissionDenied,
					format!("{name} resolves only to loopback, private or link-local addresses (--allow-private-artifacts to fetch from them)"),
				));
			}
			Ok(allowed.into_iter())
		})
	}
}

/// The daemon's circom side (module docs).
pub struct Circom {
	settings: Settings,
	client: hyper_util::client::legacy::Client<
		hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector<CheckedResolver>>,
		http_body_util::Empty<bytes::Bytes>,
	>,
	preparations: Mutex<(BTreeMap<TaskId, Preparation>, VecDeque<TaskId>)>,
	/// Loaded circuits by `(zkey, wasm)` hashes, most recently used last, with their byte
	/// sizes.
	loaded: Mutex<Vec<(([u8; 32], [u8; 32]), u64, Arc<CircomCircuit>)>>,
	/// At most `max_fetches` permits: the fetches running.
	fetching: tokio::sync::Semaphore,
	/// Numbers each fetch's temporary file.
	fetches: AtomicU64,
	/// Artifacts found hostile or broken (a `.zkey` that does not parse, a `.wasm` that does
	/// not compile or runs past its limits), by SHA-256, with the reason: never fetched or run
	/// again. Kept in `<cache>/refused` (one `<hex> <reason>` line each), across restarts.
	refused: Mutex<BTreeMap<[u8; 32], String>>,
	engine: Arc<dyn Engine>,
}

/// The refusal of a `.zkey` whose verifying key (circuit id `found`) is not the job's.
fn not_the_jobs_key(found: [u8; 32], job: [u8; 32]) -> String {
	format!(
		"the .zkey's verifying key is {}, not the job's circuit {}: the artifacts do not match the registered key",
		Hex(found),
		Hex(job)
	)
}

fn hex(bytes: &[u8; 32]) -> String {
	hex::encode(bytes)
}

impl Circom {
	/// A circom side with these settings, proving on `engine`; creates the cache directory.
	pub fn new(settings: Settings, engine: Arc<dyn Engine>) -> anyhow::Result<Circom> {
		std::fs::create_dir_all(&settings.cache).with_context(|| format!("cannot create {}", settings.cache.display()))?;
		use rustls_platform_verifier::ConfigVerifierExt as _;
		let tls = rustls::ClientConfig::with_platform_verifier();
		let mut http = hyper_util::client::legacy::connect::HttpConnector::new_with_resolver(CheckedResolver {
			allow_private: settings.allow_private,
		});
		http.enforce_http(false);
		let connector = hyper_rustls::HttpsConnectorBuilder::new()
			.with_tls_config(tls)
			.https_or_http()
			.enable_http1()
			.wrap_connector(http);
		let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
		let settings_fetches = settings.max_fetches.max(1);
		let refused = std::fs::read_to_string(settings.cache.join("refused"))
			.unwrap_or_default()
			.lines()
			.filter_map(|line| {
				let (hash, reason) = line.split_once(' ')?;
				Some((hex::decode(hash).ok()?.try_into().ok()?, reason.to_string()))
			})
			.collect();
		Ok(Circom {
			engine,
			settings,
			client,
			preparations: Mutex::new((BTreeMap::new(), VecDeque::new())),
			loaded: Mutex::new(Vec::new()),
			fetching: tokio::sync::Semaphore::new(settings_fetches),
			fetches: AtomicU64::new(0),
			refused: Mutex::new(refused),
		})
	}

	/// Where a verified copy of a file with this hash is, if any.
	fn local(&self, sha256: &[u8; 32]) -> Option<PathBuf> {
		let name = hex(sha256);
		self.settings.local.iter().chain(std::iter::once(&self.settings.cache)).map(|dir| dir.join(&name)).find(|p| p.is_file())
	}

	/// Refuses an artifact whose declared size is over `limit`.
	fn check_size(what: &str, artifact: &Artifact, limit: u64, flag: &str) -> Result<(), String> {
		if artifact.size > limit {
			return Err(format!(
				"the {what} is declared as {} bytes, over this daemon's limit of {limit} ({flag})",
				artifact.size
			));
		}
		Ok(())
	}

	/// The artifacts a request names, each with its description and size limit; refuses
	/// declared sizes over the limits.
	fn artifacts<'a>(&self, job: &'a CircomJob) -> Result<Vec<(&'static str, &'a Artifact)>, String> {
		let s = &self.settings;
		Self::check_size(".wasm", &job.wasm, s.max_wasm, "--max-wasm-mib")?;
		Self::check_size(".zkey", &job.zkey, s.max_zkey, "--max-zkey-mib")?;
		let mut all = vec![(".wasm", &job.wasm), (".zkey", &job.zkey)];
		match &job.input {
			InputData::Committed(file) => {
				Self::check_size("input file", file, s.max_input, "--max-input-kib")?;
				all.push(("input file", file));
			},
			InputData::Public(json) => {
				if json.len() as u64 > s.max_input {
					return Err(format!("the public input is {} bytes, over --max-input-kib", json.len()));
				}
			},
		}
		Ok(all)
	}

	/// A verified copy of `artifact` at hand, if any; refused if its size is not the declared
	/// one.
	fn at_hand(&self, what: &str, artifact: &Artifact) -> Result<Option<PathBuf>, String> {
		let Some(path) = self.local(&artifact.sha256) else { return Ok(None) };
		let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
		if size != artifact.size {
			return Err(format!("the {what} with this SHA-256 is {size} bytes, the job declares {}: refused", artifact.size));
		}
		Ok(Some(path))
	}

	/// Records `hash` as refused for `reason` (kept across restarts), and returns the reason.
	fn refuse(&self, what: &str, hash: &[u8; 32], reason: String) -> String {
		let line = format!("{} {}\n", hex(hash), reason.replace('\n', " "));
		let mut refused = self.refused.lock().expect("refused lock");
		if refused.insert(*hash, reason.clone()).is_none() {
			use std::io::Write as _;
			let file = std::fs::OpenOptions::new().create(true).append(true).open(self.settings.cache.join("refused"));
			if let Err(e) = file.and_then(|mut f| f.write_all(line.as_bytes())) {
				tracing::warn!("cannot record the refused {what}: {e}");
			}
			tracing::warn!(%what, hash = %hex(hash), %reason, "artifact refused for good");
		}
		reason
	}

	/// Fetches `artifact` into the cache unless a verified copy is at hand; returns its path.
	pub async fn fetch(&self, what: &str, artifact: &Artifact) -> Result<PathBuf, String> {
		if let Some(reason) = self.refused.lock().expect("refused lock").get(&artifact.sha256) {
			return Err(format!("the {what} {} was refused before: {reason}", hex(&artifact.sha256)));
		}
		if let Some(path) = self.at_hand(what, artifact)? {
			return Ok(path);
		}
		let _permit = self.fetching.acquire().await.map_err(|e| format!("cannot fetch: {e}"))?;
		if let Some(path) = self.at_hand(what, artifact)? {
			return Ok(path);
		}
		let url = String::from_utf8_lossy(&artifact.location).into_owned();
		let started = Instant::now();
		let timeout = self.settings.fetch_timeout;
		let bytes = tokio::time::timeout(timeout, self.download(&url, artifact.size))
			.await
			.map_err(|_| format!("cannot fetch the {what} from {url}: not done within {} s (--fetch-timeout-s)", timeout.as_secs()))?
			.map_err(|e| format!("cannot fetch the {what} from {url}: {e:#}"))?;
		if bytes.len() as u64 != artifact.size {
			return Err(format!("the {what} at {url} is {} bytes, the job declares {}", bytes.len(), artifact.size));
		}
		let digest: [u8; 32] = sha2::Sha256::digest(&bytes).into();
		if digest != artifact.sha256 {
			return Err(format!(
				"the {what} at {url} has SHA-256 {}, the job names {}: refused",
				hex(&digest),
				hex(&artifact.sha256)
			));
		}
		let path = self.settings.cache.join(hex(&artifact.sha256));
		let tmp = path.with_extension(format!("part{}", self.fetches.fetch_add(1, Ordering::Relaxed)));
		std::fs::write(&tmp, &bytes).and_then(|_| std::fs::rename(&tmp, &path)).map_err(|e| format!("cannot cache the {what}: {e}"))?;
		tracing::info!(%url, bytes = bytes.len(), ms = started.elapsed().as_millis() as u64, "artifact fetched and verified");
		Ok(path)
	}

	/// GETs `url`, refusing more than `limit` bytes.
	async fn download(&self, url: &str, limit: u64) -> anyhow::Result<Vec<u8>> {
		use http_body_util::BodyExt as _;
		let uri: hyper::Uri = url.parse().context("not a URL")?;
		// An address in the URL is not resolved, so the resolver never sees it: check it here.
		let host = uri.host().context("no host")?;
		if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
			anyhow::ensure!(
				self.settings.allow_private || public_address(ip),
				"{ip} is a loopback, private or link-local address (--allow-private-artifacts to fetch from it)"
			);
		}
		let response = tokio::time::timeout(Duration::from_secs(30), self.client.get(uri))
			.await
			.context("no answer within 30 s")?
			.map_err(|e| {
				// The resolver's refusal is the source of hyper's connect error: show it.
				let mut text = e.to_string();
				let mut source = std::error::Error::source(&e);
				while let Some(inner) = source {
					text = format!("{text}: {inner}");
					source = inner.source();
				}
				anyhow::anyhow!("{text}")
			})?;
		anyhow::ensure!(response.status().is_success(), "HTTP {}", response.status());
		let mut body = response.into_body();
		let mut bytes = Vec::new();
		while let Some(frame) = body.frame().await {
			if let Ok(data) = frame.map_err(|e| anyhow::anyhow!("{e}"))?.into_data() {
				bytes.extend_from_slice(&data);
				anyhow::ensure!(bytes.len() as u64 <= limit, "more than the declared {limit} bytes");
			}
		}
		Ok(bytes)
	}

	/// The loaded circuit of these files, loading (and evicting beyond the memory cap) as
	/// needed.
	fn circuit(&self, zkey: (&Artifact, &Path), wasm: (&Artifact, &Path), expected: [u8; 32]) -> Result<Arc<CircomCircuit>, String> {
		let key = (zkey.0.sha256, wasm.0.sha256);
		{
			let mut loaded = self.loaded.lock().expect("loaded lock");
			if let Some(index) = loaded.iter().position(|(k, _, _)| *k == key) {
				let entry = loaded.remove(index);
				let circuit = entry.2.clone();
				loaded.push(entry);
				return Ok(circuit);
			}
		}
		let started = Instant::now();
		let zkey_bytes = std::fs::read(zkey.1).map_err(|e| format!("cannot read the .zkey: {e}"))?;
		// The key first (a few hundred bytes): another circuit's file is refused before it is
		// parsed or allocated for.
		let id = CircomCircuit::vk_id_of(&zkey_bytes).map_err(|e| e.to_string())?;
		if id != expected {
			return Err(not_the_jobs_key(id, expected));
		}
		let wasm_bytes = std::fs::read(wasm.1).map_err(|e| format!("cannot read the .wasm: {e}"))?;
		let zkey_parsed = cloudana_circuits::circom::Zkey::read(&zkey_bytes)
			.map_err(|e| self.refuse(".zkey", &zkey.0.sha256, format!("the .zkey does not parse: {e}")))?;
		let generator = cloudana_circuits::circom::Generator::new(&wasm_bytes)
			.map_err(|e| self.refuse(".wasm", &wasm.0.sha256, e.to_string()))?;
		let circuit = Arc::new(CircomCircuit::from_parts(zkey_parsed, generator));
		tracing::info!(
			circuit = %Hex(circuit.vk_id),
			constraints = circuit.zkey.constraints(),
			ms = started.elapsed().as_millis() as u64,
			"circom circuit loaded"
		);
		let size = zkey.0.size.saturating_add(wasm.0.size);
		let mut loaded = self.loaded.lock().expect("loaded lock");
		loaded.push((key, size, circuit.clone()));
		while loaded.len() > 1 && loaded.iter().map(|(_, s, _)| *s).sum::<u64>() > self.settings.max_loaded {
			let (_, _, dropped) = loaded.remove(0);
			tracing::info!(circuit = %Hex(dropped.vk_id), "circom circuit unloaded (--circom-memory-mib)");
		}
		Ok(circuit)
	}

	/// Fetches, loads and checks everything `request` needs (module docs, "Preparation"),
	/// proving once if `measure`.
	pub async fn prepare(self: &Arc<Self>, request: &ProveRequest, measure: bool) -> Result<Prepared, String> {
		let job = request.circom.as_ref().ok_or("not a circom request")?;
		let mut paths = Vec::new();
		for (what, artifact) in self.artifacts(job)? {
			paths.push(self.fetch(what, artifact).await?);
		}
		let input = match &job.input {
			InputData::Public(json) => json.to_vec(),
			InputData::Committed(_) => std::fs::read(&paths[2]).map_err(|e| format!("cannot read the input file: {e}"))?,
		};
		let (this, request, job) = (self.clone(), request.clone(), job.clone());
		tokio::task::spawn_blocking(move || {
			let circuit = this.circuit((&job.zkey, &paths[1]), (&job.wasm, &paths[0]), request.circuit.0)?;
			let outcome = Self::check(&*this.engine, circuit, &request, &input, measure);
			if let Err(reason) = &outcome {
				// A generator that ran past its limits is hostile, whatever the input: never run
				// it again.
				if reason.contains("went past a limit") {
					this.refuse(".wasm", &job.wasm.sha256, reason.clone());
				}
			}
			outcome
		})
		.await
		.map_err(|e| format!("the preparation panicked: {e}"))?
	}

	/// The checks of a prepared request (module docs), and the measuring proof.
	fn check(
		engine: &dyn Engine,
		circuit: Arc<CircomCircuit>,
		request: &ProveRequest,
		input: &[u8],
		measure: bool,
	) -> Result<Prepared, String> {
		if circuit.vk_id != request.circuit.0 {
			return Err(not_the_jobs_key(circuit.vk_id, request.circuit.0));
		}
		let outputs = request.outputs as usize;
		let expected = outputs + 1 + request.inputs.len();
		if circuit.zkey.n_public != expected {
			return Err(format!(
				"the circuit has {} public signals, the job {expected} ({outputs} outputs, the binding, {} inputs)",
				circuit.zkey.n_public,
				request.inputs.len()
			));
		}
		let mut input: serde_json::Value =
			serde_json::from_slice(input).map_err(|e| format!("the input is not JSON: {e}"))?;
		let Some(object) = input.as_object_mut() else { return Err("the input is not a JSON object".into()) };
		let binding = num_bigint::BigUint::from_bytes_be(&request.binding.0);
		object.insert("binding".into(), serde_json::Value::String(binding.to_string()));
		let started = Instant::now();
		let witness = circuit.generator.witness(&input).map_err(|e| match e {
			cloudana_circuits::circom::WitnessError::Limit(_) => e.to_string(),
			e => format!("the input does not satisfy the circuit: {e}"),
		})?;
		let public = circuit.public_signals(&witness).map_err(|e| e.to_string())?;
		tracing::debug!(ms = started.elapsed().as_millis() as u64, signals = witness.len(), "witness computed");
		if public[outputs] != request.binding.0 {
			return Err(
				"the circuit's first public input is not the signal `binding` (circuits/circom/README.md, the binding rule)"
					.into(),
			);
		}
		if let Some(i) = (0..request.inputs.len()).find(|i| public[outputs + 1 + i] != request.inputs[*i].0) {
			return Err(format!(
				"the input's public input {i} is {}, the job's is {}: the input file is not the job's",
				Hex(public[outputs + 1 + i]),
				request.inputs[i]
			));
		}
		let outputs = public[..outputs].iter().map(|o| Hex(*o)).collect();
		let (proven, measured_ms) = if measure {
			let started = Instant::now();
			let proof = circuit.prove_on(engine, &witness).map_err(|e| e.to_string())?;
			(Some(Hex(proof.proof.to_bytes())), Some(started.elapsed().as_millis() as u64))
		} else {
			(None, None)
		};
		Ok(Prepared { circuit, witness, outputs, proven: Mutex::new(proven), measured_ms })
	}

	/// Where the preparation of `request` stands: `Ok` once ready, `Err` with the reason
	/// otherwise (starting it in the background if it is not under way).
	pub fn preparation(self: &Arc<Self>, request: &ProveRequest, measure: bool) -> Result<Arc<Prepared>, String> {
		let task = request.task_id();
		let mut guard = self.preparations.lock().expect("preparations lock");
		match guard.0.get(&task) {
			Some(Preparation::Ready(prepared)) => return Ok(prepared.clone()),
			Some(Preparation::Pending) => return Err(PREPARING.into()),
			Some(Preparation::Refused(reason, at)) if at.elapsed() < RETRY_FAILED => return Err(reason.clone()),
			_ => {},
		}
		if guard.0.insert(task, Preparation::Pending).is_none() {
			guard.1.push_back(task);
		}
		while guard.1.len() > MAX_PREPARED {
			if let Some(old) = guard.1.pop_front() {
				guard.0.remove(&old);
			}
		}
		drop(guard);
		let this = self.clone();
		let request = request.clone();
		tokio::spawn(async move {
			let outcome = this.prepare(&request, measure).await;
			let mut guard = this.preparations.lock().expect("preparations lock");
			let entry = match outcome {
				Ok(prepared) => {
					tracing::info!(work = %request.work, "circom job prepared");
					Preparation::Ready(Arc::new(prepared))
				},
				Err(reason) => {
					tracing::info!(work = %request.work, %reason, "circom job refused");
					Preparation::Refused(reason, Instant::now())
				},
			};
			if guard.0.contains_key(&task) {
				guard.0.insert(task, entry);
			}
		});
		Err(PREPARING.into())
	}

	/// The ready preparation of `task`, if any.
	pub fn ready(&self, task: &TaskId) -> Option<Arc<Prepared>> {
		match self.preparations.lock().expect("preparations lock").0.get(task) {
			Some(Preparation::Ready(prepared)) => Some(prepared.clone()),
			_ => None,
		}
	}

	/// Proves a circom request: from its preparation if ready (its measuring proof if it has
	/// one), else preparing it now; returns the outputs, the proof and the milliseconds proving
	/// took (the measuring proof's, if that is the one returned).
	pub fn prove(
		self: &Arc<Self>,
		request: &ProveRequest,
		handle: &tokio::runtime::Handle,
	) -> Result<(Vec<Bytes32>, Hex<256>, u64), String> {
		let prepared = match self.ready(&request.task_id()) {
			Some(prepared) => prepared,
			None => Arc::new(handle.block_on(self.prepare(request, false))?),
		};
		if let Some(proof) = prepared.proven.lock().expect("proven lock").take() {
			return Ok((prepared.outputs.clone(), proof, prepared.measured_ms.unwrap_or_default()));
		}
		let started = Instant::now();
		let proof = prepared.circuit.prove_on(&*self.engine, &prepared.witness).map_err(|e| e.to_string())?;
		Ok((prepared.outputs.clone(), Hex(proof.proof.to_bytes()), started.elapsed().as_millis() as u64))
	}
}
