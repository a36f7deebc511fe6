//! `cloudana verify`: a snarkjs proof checked offline.

use super::{read, Output};
use anyhow::anyhow;
use clap::Args;
use cloudana_groth16::{snarkjs, verifier};
use serde_json::json;
use std::path::PathBuf;

/// Verify a snarkjs Groth16 proof (bn128) offline: exit 0 if valid, else 1 with the reason.
#[derive(Args)]
pub struct VerifyArgs {
	/// verification_key.json
	#[arg(long)]
	vk: PathBuf,
	/// proof.json
	#[arg(long)]
	proof: PathBuf,
	/// public.json
	#[arg(long)]
	public: PathBuf,
}

/// Runs `verify`.
pub fn run(args: VerifyArgs, out: Output) -> anyhow::Result<()> {
	let vk = snarkjs::verifying_key_from_json(&read(&args.vk)?).map_err(|e| anyhow!("{}: {e}", args.vk.display()))?;
	let proof = snarkjs::proof_from_json(&read(&args.proof)?).map_err(|e| anyhow!("{}: {e}", args.proof.display()))?;
	let inputs =
		snarkjs::public_inputs_from_json(&read(&args.public)?).map_err(|e| anyhow!("{}: {e}", args.public.display()))?;
	verifier::verify(&vk, &inputs, &proof).map_err(|e| anyhow!("invalid proof: {e}"))?;
	out.print(json!({"valid": true}), "valid proof".into());
	Ok(())
}
