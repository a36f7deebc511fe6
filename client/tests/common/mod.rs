//! What the end-to-end tests share: child processes (a node, a daemon) killed on drop, the
//! built binaries, free ports, waiting with a deadline.
#![allow(dead_code)]

use std::{
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// A child process killed on drop, its output in a log file.
pub struct Process {
	child: Child,
	/// Its log file.
	pub log: PathBuf,
}

impl Drop for Process {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

impl Process {
	/// Starts `binary` with `args`, its output in `log`.
	pub fn start(binary: &Path, args: &[String], log: PathBuf) -> Process {
		let file = std::fs::File::create(&log).unwrap();
		let child = Command::new(binary)
			.args(args)
			.stdout(file.try_clone().unwrap())
			.stderr(file)
			.stdin(Stdio::null())
			.spawn()
			.unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
		Process { child, log }
	}

	/// The last 40 lines of its log.
	pub fn tail(&self) -> String {
		let text = std::fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<&str> = text.lines().collect();
		lines[lines.len().saturating_sub(40)..].join("\n")
	}
}

/// A binary built beside the test (`cargo build --release --workspace --bins`).
pub fn binary(name: &str) -> PathBuf {
	let dir = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().to_path_buf();
	let path = dir.join(name);
	assert!(path.exists(), "{} is missing: run `cargo build --release --workspace --bins` first", path.display());
	path
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The repository root.
pub fn root() -> PathBuf {
	// The manifest dir at run time (cargo sets it), not at build time: a shared target dir may
	// hold binaries built from another checkout.
	PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into())).join("..")
}

/// The datasets folder (`$CLOUDANA_DATASETS`, or `data/`).
pub fn datasets() -> PathBuf {
	std::env::var("CLOUDANA_DATASETS").map(PathBuf::from).unwrap_or_else(|_| root().join("data"))
}

/// Polls `f` every 500 ms until it returns a value; past `timeout`, prints the processes' logs
/// and panics naming `what`.
pub async fn wait_for<T, F, Fut>(what: &str, timeout: Duration, logs: &[&Process], mut f: F) -> T
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Option<T>>,
{
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(value) = f().await {
			return value;
		}
		if Instant::now() > deadline {
			for process in logs {
				eprintln!("--- {} ---\n{}", process.log.display(), process.tail());
			}
			panic!("timed out waiting for {what}");
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}


/// Starts `cloudana-node --dev` (blocks every 500 ms) with its base path and log in `dir`, RPC on
/// `rpc_port`, and `extra` arguments.
pub fn dev_node(dir: &Path, rpc_port: u16, extra: &[String]) -> Process {
	let mut args: Vec<String> = [
		"--dev",
		"--base-path",
		&dir.join("node").display().to_string(),
		"--rpc-port",
		&rpc_port.to_string(),
		"--port",
		&free_port().to_string(),
		"--no-prometheus",
		"--no-telemetry",
		"--no-mdns",
		"--dev-block-time",
		"500",
	]
	.iter()
	.map(|a| a.to_string())
	.collect();
	args.extend_from_slice(extra);
	Process::start(&binary("cloudana-node"), &args, dir.join("node.log"))
}
