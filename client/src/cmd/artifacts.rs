//! `cloudana artifacts`: what a requester of a circom job serves and names by hash.
//!
//! `serve DIR` is a development file server: it hashes every file in `DIR` and serves each at
//! `http://LISTEN/<sha256 hex>`, the content-addressed URL `cloudana job submit-circom
//! --artifacts-url http://LISTEN/` names on chain. A production requester puts the files on
//! any HTTP(S) server (or a CDN) under those names, or names each URL itself.

use super::Output;
use anyhow::Context as _;
use clap::Subcommand;
use serde_json::json;
use std::{
	collections::BTreeMap,
	net::SocketAddr,
	path::{Path, PathBuf},
	sync::Arc,
};

/// Artifacts of circom jobs.
#[derive(Subcommand)]
pub enum ArtifactsCommand {
	/// Print each file's SHA-256 and size, as a job names it.
	Hash {
		/// Files.
		#[arg(required = true)]
		files: Vec<PathBuf>,
	},
	/// Serve every file of a directory at `/<sha256 hex>` over HTTP (development; Ctrl-C stops).
	Serve {
		/// The directory (not recursive).
		dir: PathBuf,
		/// Address to listen on.
		#[arg(long, default_value = "127.0.0.1:8090")]
		listen: SocketAddr,
	},
}

/// SHA-256 of bytes, as a job names an artifact.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
	use sha2::Digest as _;
	sha2::Sha256::digest(bytes).into()
}

/// SHA-256 and size of a file.
pub fn hash_file(path: &Path) -> anyhow::Result<([u8; 32], u64)> {
	let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
	Ok((sha256(&bytes), bytes.len() as u64))
}

/// Runs an `artifacts` command (offline, or serving until interrupted).
pub async fn run(command: ArtifactsCommand, out: Output) -> anyhow::Result<()> {
	match command {
		ArtifactsCommand::Hash { files } => {
			let mut rows = Vec::new();
			let mut text = Vec::new();
			for file in files {
				let (hash, size) = hash_file(&file)?;
				text.push(format!("{}  {size:>10}  {}", hex::encode(hash), file.display()));
				rows.push(json!({"file": file.display().to_string(), "sha256": format!("0x{}", hex::encode(hash)), "size": size}));
			}
			out.print(json!(rows), text.join("\n"));
			Ok(())
		},
		ArtifactsCommand::Serve { dir, listen } => serve(&dir, listen, out).await,
	}
}

async fn serve(dir: &Path, listen: SocketAddr, out: Output) -> anyhow::Result<()> {
	let mut files = BTreeMap::new();
	let mut rows = Vec::new();
	let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
	let address = listener.local_addr()?;
	let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
		.with_context(|| format!("cannot read the directory {}", dir.display()))?
		.filter_map(|e| e.ok().map(|e| e.path()))
		.filter(|p| p.is_file())
		.collect();
	entries.sort();
	for path in entries {
		let (hash, size) = hash_file(&path)?;
		let url = format!("http://{address}/{}", hex::encode(hash));
		eprintln!("{}  {size:>10}  {url}", path.display());
		rows.push(json!({"file": path.display().to_string(), "sha256": format!("0x{}", hex::encode(hash)), "size": size, "url": url}));
		files.insert(hex::encode(hash), path);
	}
	out.print(json!({"listen": address.to_string(), "files": rows}), format!("serving {} file(s) of {} on http://{address}/", files.len(), dir.display()));
	let files = Arc::new(files);
	loop {
		let (stream, peer) = tokio::select! {
			accepted = listener.accept() => accepted?,
			_ = tokio::signal::ctrl_c() => return Ok(()),
		};
		let files = files.clone();
		tokio::spawn(async move {
			let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
				let files = files.clone();
				async move {
					let name = request.uri().path().trim_start_matches('/').to_ascii_lowercase();
					let response = match (request.method(), files.get(name.trim_start_matches("0x"))) {
						(&hyper::Method::GET, Some(path)) => match tokio::fs::read(path).await {
							Ok(bytes) => {
								tracing::info!(%peer, file = %path.display(), bytes = bytes.len(), "served");
								hyper::Response::new(http_body_util::Full::new(bytes::Bytes::from(bytes)))
							},
							Err(_) => status(500),
						},
						(&hyper::Method::GET, None) => status(404),
						_ => status(405),
					};
					Ok::<_, std::convert::Infallible>(response)
				}
			});
			let io = hyper_util::rt::TokioIo::new(stream);
			let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
		});
	}
}

fn status(code: u16) -> hyper::Response<http_body_util::Full<bytes::Bytes>> {
	let mut response = hyper::Response::new(http_body_util::Full::new(bytes::Bytes::new()));
	*response.status_mut() = hyper::StatusCode::from_u16(code).expect("a valid status; qed");
	response
}
