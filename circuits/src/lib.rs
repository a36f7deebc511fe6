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
//! - [`engine`]: where a proof's MSMs and FFTs run (the CPU here, a GPU in `cloudana-gpu`);
//! - [`prove_accuracy`]: witness generation and proving in one call.

pub mod accuracy;
pub mod circom;
pub mod engine;
pub mod keys;
pub mod mlp;
pub mod poseidon;
pub mod train;

use ark_bn254::{Bn254, Fr};
use ark_groth16::ProvingKey;
use ark_relations::r1cs::{ConstraintMatrices, ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisError};
use circom::prove::{self, Reduction};
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
	Synthesis(#[from] SynthesisError),
	/// The proving engine failed (a GPU; the proof is then made on the CPU).
	#[error(transparent)]
	Engine(#[from] prove::ProveError),
	/// The model does not have the dataset's shape.
	#[error("{0}")]
	Shape(mlp::DataError),
	/// The proof produced does not verify (a bug; never sent to the chain).
	#[error("the proof produced does not verify: {0}")]
	SelfCheck(cloudana_groth16::Groth16Error),
}

/// Generates the witness and proves the accuracy of `model` on `data` for `binding` on the
/// CPU, then verifies the proof before returning it. `pk` must be the proving key of
/// `data.spec`'s circuit.
pub fn prove_accuracy(
	pk: &ProvingKey<Bn254>,
	binding: &PublicInput,
	model: &mlp::Model,
	data: &mlp::Dataset,
) -> Result<AccuracyProof, ProveError> {
	prove_accuracy_on(&engine::Cpu, pk, binding, model, data)
}

/// [`prove_accuracy`] with the MSMs and FFTs on `engine`, falling back to the CPU if the
/// engine fails or its proof does not verify.
pub fn prove_accuracy_on(
	engine: &dyn engine::Engine,
	pk: &ProvingKey<Bn254>,
	binding: &PublicInput,
	model: &mlp::Model,
	data: &mlp::Dataset,
) -> Result<AccuracyProof, ProveError> {
	let statement = AccuracyStatement::new(binding, model, data)?;
	engine::with_fallback(engine, |engine| {
		use ark_std::UniformRand;
		let mut rng = rand_core::OsRng;
		let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
		statement.prove(engine, pk, r, s)
	})
}

/// A circuit synthesized as arkworks' prover synthesizes it (`OptimizationGoal::Constraints`,
/// finalized): its R1CS matrices and full assignment, ready for [`prove::prove_with`] under
/// arkworks' (libsnark's) reduction.
pub struct Synthesized {
	/// The R1CS matrices.
	pub matrices: ConstraintMatrices<Fr>,
	/// `[1, inputs…, witness…]`.
	pub assignment: Vec<Fr>,
	/// Instance variables, the constant 1 included.
	pub num_inputs: usize,
}

impl Synthesized {
	/// Synthesizes `circuit`.
	pub fn new<C: ConstraintSynthesizer<Fr>>(circuit: C) -> Result<Synthesized, SynthesisError> {
		let cs = ConstraintSystem::<Fr>::new_ref();
		cs.set_optimization_goal(OptimizationGoal::Constraints);
		circuit.generate_constraints(cs.clone())?;
		cs.finalize();
		let matrices = cs.to_matrices().ok_or(SynthesisError::AssignmentMissing)?;
		let cs = cs.borrow().ok_or(SynthesisError::AssignmentMissing)?;
		let assignment = [cs.instance_assignment.as_slice(), cs.witness_assignment.as_slice()].concat();
		Ok(Synthesized { matrices, assignment, num_inputs: cs.num_instance_variables })
	}

	/// The public inputs (the constant 1 left out).
	pub fn public_inputs(&self) -> &[Fr] {
		&self.assignment[1..self.num_inputs]
	}

	/// A proof on `engine` with randomness `r`, `s` (no fallback, no check): arkworks'
	/// `Groth16::create_proof_with_reduction` for the same `r`, `s` on the CPU engine.
	pub fn prove(&self, engine: &dyn engine::Engine, pk: &ProvingKey<Bn254>, r: Fr, s: Fr) -> Result<ark_groth16::Proof<Bn254>, prove::ProveError> {
		prove::prove_with(engine, Reduction::Libsnark, pk, &self.matrices, self.num_inputs, &self.assignment, r, s)
	}
}

/// An accuracy circuit, synthesized, with its count of correct predictions.
pub struct AccuracyStatement {
	/// The synthesized circuit.
	pub r1cs: Synthesized,
	/// Correct predictions (public input 3).
	pub correct: u32,
}

impl AccuracyStatement {
	/// Synthesizes the circuit for `model` on `data` with `binding`.
	pub fn new(binding: &PublicInput, model: &mlp::Model, data: &mlp::Dataset) -> Result<AccuracyStatement, ProveError> {
		model.check(data.spec).map_err(ProveError::Shape)?;
		let binding = encoding::decode_fr(binding, cloudana_groth16::Element::PublicInput(0)).map_err(ProveError::Binding)?;
		let circuit = accuracy::AccuracyCircuit { binding, model: model.clone(), data: data.clone() };
		Ok(AccuracyStatement { r1cs: Synthesized::new(circuit)?, correct: model.correct(data) })
	}

	/// Proves the statement on `engine` with randomness `r`, `s` (no fallback) and verifies the
	/// proof. With the CPU engine the proof equals arkworks' `Groth16::create_proof_with_reduction`.
	pub fn prove(&self, engine: &dyn engine::Engine, pk: &ProvingKey<Bn254>, r: Fr, s: Fr) -> Result<AccuracyProof, ProveError> {
		let proof = keys::proof_to_eip197(&self.r1cs.prove(engine, pk, r, s)?);
		let public_inputs: Vec<PublicInput> = self.r1cs.public_inputs().iter().map(encoding::encode_fr).collect();
		cloudana_groth16::verifier::verify(&keys::vk_to_eip197(&pk.vk), &public_inputs, &proof).map_err(ProveError::SelfCheck)?;
		Ok(AccuracyProof { proof, public_inputs, correct: self.correct })
	}
}
