//! One module per command group of `cloudana`; `main` parses and dispatches. What several
//! groups share (the signer argument, output, datasets) is here.

pub mod artifacts;
pub mod balance;
pub mod bridge;
pub mod dispute;
pub mod flood;
pub mod gov;
pub mod grid;
pub mod job;
pub mod model;
pub mod prover;
pub mod verify;
pub mod vk;

use anyhow::{bail, Context as _};
use clap::Args;
use cloudana_circuits::{keys, mlp};
use std::path::{Path, PathBuf};

/// The signing account of a command that sends a transaction.
#[derive(Args, Clone)]
pub struct Signer {
	/// Secret URI of the signing account: a dev account (`//Alice`), a mnemonic, or a seed.
	#[arg(long, env = "CLOUDANA_SURI", default_value = "//Alice")]
	pub suri: String,
}

/// How results are printed: JSON (`--json`) or text.
#[derive(Clone, Copy)]
pub struct Output {
	/// Print JSON.
	pub json: bool,
}

impl Output {
	/// Prints `value` in JSON mode, `human` otherwise.
	pub fn print(&self, value: serde_json::Value, human: String) {
		if self.json {
			println!("{value}");
		} else {
			println!("{human}");
		}
	}
}

/// A file's text, or an error naming it.
pub fn read(path: &Path) -> anyhow::Result<String> {
	std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// `0x`-prefixed hex.
pub fn hex32(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// Reads `--dataset`: a CSV file, or a dataset name resolved in `$CLOUDANA_DATASETS` (default
/// `data`, relative to the current directory: the repository's `data/` when run from its
/// root). Returns every row, quantized.
pub fn read_dataset(arg: &Path) -> anyhow::Result<mlp::Dataset> {
	let path = match arg.to_str().and_then(mlp::Spec::from_name) {
		Some(spec) if !arg.exists() => {
			let dir = std::env::var("CLOUDANA_DATASETS").unwrap_or_else(|_| "data".into());
			PathBuf::from(dir).join(spec.file_name())
		},
		None if !arg.exists() => bail!(
			"--dataset {}: no such file, and not a dataset name (iris, wine, breast_cancer)",
			arg.display()
		),
		_ => arg.to_path_buf(),
	};
	mlp::Dataset::read_csv(&path).with_context(|| format!("--dataset {}", path.display()))
}

/// The dataset whose accuracy circuit `circuit` is, if any, and its holdout size as printed
/// after a correct count (`?` for another circuit).
pub fn accuracy_dataset(circuit: &[u8; 32]) -> (Option<mlp::Spec>, String) {
	let spec = keys::spec_of_circuit(circuit);
	(spec, spec.map(|s| s.shape().holdout.to_string()).unwrap_or_else(|| "?".into()))
}
