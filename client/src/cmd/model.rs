//! `cloudana model`: models, offline.

use super::{hex32, read_dataset, Output};
use anyhow::Context as _;
use clap::Subcommand;
use cloudana_circuits::mlp;
use serde_json::json;
use std::path::PathBuf;

/// Models (offline).
#[derive(Subcommand)]
pub enum ModelCommand {
	/// Evaluate a model on a dataset's holdout in plain Rust (the same fixed-point arithmetic
	/// the circuit proves), and print the commitments a job on them uses.
	Evaluate {
		/// Model file (circuits/models/*.json).
		#[arg(long)]
		model: PathBuf,
		/// Dataset: a CSV file, or `iris`, `wine` or `breast_cancer` (found in
		/// $CLOUDANA_DATASETS, default `data`: the repository's data/ when run from its root).
		#[arg(long)]
		dataset: PathBuf,
	},
}

/// Runs a `model` command.
pub fn run(command: ModelCommand, out: Output) -> anyhow::Result<()> {
	match command {
		ModelCommand::Evaluate { model, dataset } => {
			let model = mlp::Model::read(&model)?;
			let data = read_dataset(&dataset)?.holdout()?;
			model.check(data.spec).with_context(|| format!("the model does not fit {}", data.spec.title()))?;
			let correct = model.correct(&data);
			let dataset_commitment = hex32(&cloudana_groth16::encoding::encode_fr(&data.commitment()));
			let model_commitment = hex32(&cloudana_groth16::encoding::encode_fr(&model.commitment()));
			out.print(
				json!({"correct": correct, "samples": data.samples.len(), "accuracy": correct as f64 / data.samples.len() as f64,
					"dataset_commitment": dataset_commitment, "model_commitment": model_commitment}),
				format!(
					"{correct}/{} holdout samples correct ({:.2}%)\ndataset commitment {dataset_commitment}\nmodel commitment   {model_commitment}",
					data.samples.len(),
					100.0 * correct as f64 / data.samples.len() as f64
				),
			);
			Ok(())
		},
	}
}
