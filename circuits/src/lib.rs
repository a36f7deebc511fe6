//! # Cloudana circuits
//!
//! The R1CS circuits Cloudana's provers run, with their data handling, setup, witness
//! generation and proving. Everything here is off-chain (std, arkworks).
//!
//! - [`mlp`]: the supported datasets (Iris, Wine, Breast Cancer) with their fixed holdout and
//!   feature scaling, the n-8-c MLP model file, fixed-point evaluation in plain Rust, and the
//!   Poseidon commitments to data and model;
//! - [`accuracy`]: the circuit family proving how many holdout samples a model classifies
//!   correctly, one circuit per dataset;
//! - [`keys`]: the deterministic development setup (**not for production**), EIP-197
//!   conversion and the proving-key cache;
//! - [`poseidon`]: the Poseidon instance used for commitments;
//! - [`train`]: deterministic fixed-point training of the MLP from hyper-parameters (grid jobs);
//! - [`prove_accuracy`]: witness generation and proving in one call.

pub mod accuracy;
pub mod circom;
pub mod keys;
pub mod mlp;
pub mod poseidon;
pub mod train;

use ark_bn254::{Bn254, Fr};
use ark_groth16::{Groth16, ProvingKey};
use ark_snark::SNARK;
use cloudana_groth16::{encoding, Proof, PublicInput};

/// A proven accuracy statement, in the bytes the chain takes.
#[derive(Clone, Debug)]
pub struct AccuracyProof {
	/// The proof, EIP-197.
	pub proof: Proof,
	/// All four public inputs `[binding, dataset, model, correct]`, 32 bytes big-endian each.
	pub public_inputs: Vec<PublicInput>,
	/// Correct predictions (public input 3).
	pub correct: u32,
}

/// Why proving failed.
#[derive(Debug, thiserror::Error)]
pub enum ProveError {
	/// The binding input is not a canonical scalar.
	#[error("binding input: {0}")]
	Binding(cloudana_groth16::Groth16Error),
	/// The witness does not satisfy the circuit, or synthesis failed.
	#[error("proving failed: {0}")]
	Synthesis(#[from] ark_relations::r1cs::SynthesisError),
	/// The model does not have the dataset's shape.
	#[error("{0}")]
	Shape(mlp::DataError),
	/// The proof produced does not verify (a bug; never sent to the chain).
	#[error("the proof produced does not verify: {0}")]
	SelfCheck(cloudana_groth16::Groth16Error),
}

/// Generates the witness and proves the accuracy of `model` on `data` for `binding`, then
/// verifies the proof before returning it. `pk` must be the proving key of `data.spec`'s circuit.
pub fn prove_accuracy(
	pk: &ProvingKey<Bn254>,
	binding: &PublicInput,
	model: &mlp::Model,
	data: &mlp::Dataset,
) -> Result<AccuracyProof, ProveError> {
	model.check(data.spec).map_err(ProveError::Shape)?;
	let binding = encoding::decode_fr(binding, cloudana_groth16::Element::PublicInput(0)).map_err(ProveError::Binding)?;
	let circuit = accuracy::AccuracyCircuit { binding, model: model.clone(), data: data.clone() };
	let inputs: Vec<Fr> = circuit.public_inputs().to_vec();
	let proof = Groth16::<Bn254>::prove(pk, circuit, &mut rand_core::OsRng)?;
	let proof = keys::proof_to_eip197(&proof);
	let public_inputs: Vec<PublicInput> = inputs.iter().map(encoding::encode_fr).collect();
	cloudana_groth16::verifier::verify(&keys::vk_to_eip197(&pk.vk), &public_inputs, &proof).map_err(ProveError::SelfCheck)?;
	Ok(AccuracyProof { proof, public_inputs, correct: model.correct(data) })
}
