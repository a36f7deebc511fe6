//! Whole proofs made with the kernels (run by the emulator) equal the CPU's byte for byte for
//! the same `r`, `s`: a circom circuit under its snarkjs key, and the built-in Iris accuracy
//! circuit under arkworks' setup. And a failing engine falls back to the CPU.

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::AffineRepr;
use cloudana_circuits::{
	circom::CircomCircuit,
	engine::{self, Coset, Cpu, Engine, EngineError},
	keys,
	mlp::{Dataset, Model, Spec},
	AccuracyStatement,
};
use cloudana_groth16::statement;
use cloudana_gpu::{emulator::Emulator, Gpu};
use std::path::PathBuf;

fn root() -> PathBuf {
	PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into())).join("..")
}

fn sum() -> CircomCircuit {
	let fixture = |name: &str| std::fs::read(root().join("circuits/tests/fixtures/circom").join(name)).unwrap();
	CircomCircuit::new(&fixture("sum.zkey"), &fixture("sum.wasm")).unwrap()
}

fn sum_witness(circuit: &CircomCircuit) -> Vec<Fr> {
	let input = std::fs::read(root().join("circuits/tests/fixtures/circom/sum.input.json")).unwrap();
	circuit.generator.witness(&serde_json::from_slice(&input).unwrap()).unwrap()
}

#[test]
fn a_circom_proof_equals_the_cpus() {
	let circuit = sum();
	let witness = sum_witness(&circuit);
	let (r, s) = (Fr::from(12345u64), Fr::from(67890u64));
	let cpu = circuit.prove_with(&Cpu, &witness, r, s).unwrap();
	for gpu in [Gpu::new(Emulator::default()), Gpu::new(Emulator { parallelism: 500 })] {
		let ours = circuit.prove_with(&gpu, &witness, r, s).unwrap();
		assert_eq!(ours.proof, cpu.proof);
		assert_eq!(ours.public, cpu.public);
	}
}

#[test]
fn an_accuracy_proof_equals_the_cpus() {
	let data = Dataset::read_csv(&root().join("data").join(Spec::Iris.file_name())).unwrap().holdout().unwrap();
	let model = Model::read(&root().join("circuits/models/iris-mlp.json")).unwrap();
	let pk = keys::dev_setup(Spec::Iris);
	let binding = statement::binding_input(&[1; 32], &7u64.to_le_bytes(), &[2; 32]);
	let statement = AccuracyStatement::new(&binding, &model, &data).unwrap();
	let (r, s) = (Fr::from(3u64), Fr::from(4u64));
	let cpu = statement.prove(&Cpu, &pk, r, s).unwrap();
	let gpu = statement.prove(&Gpu::new(Emulator { parallelism: 4000 }), &pk, r, s).unwrap();
	assert_eq!(gpu.proof, cpu.proof);
	assert_eq!(gpu.public_inputs, cpu.public_inputs);
	assert_eq!(gpu.correct, 29);
}

/// An engine whose every step fails, or whose MSMs are wrong (a kernel bug).
struct Broken {
	wrong: bool,
}

impl Engine for Broken {
	fn name(&self) -> String {
		"broken".into()
	}

	fn msm_g1(&self, bases: &[G1Affine], scalars: &[Fr]) -> Result<G1Projective, EngineError> {
		if self.wrong {
			return Ok(Cpu.msm_g1(bases, scalars)? + G1Affine::generator());
		}
		Err(EngineError("CUDA_ERROR_LAUNCH_FAILED".into()))
	}

	fn msm_g2(&self, bases: &[G2Affine], scalars: &[Fr]) -> Result<G2Projective, EngineError> {
		Cpu.msm_g2(bases, scalars)
	}

	fn quotient(&self, a: Vec<Fr>, b: Vec<Fr>, c: Option<Vec<Fr>>, coset: Coset) -> Result<Vec<Fr>, EngineError> {
		Cpu.quotient(a, b, c, coset)
	}
}

#[test]
fn a_failing_or_wrong_engine_falls_back_to_the_cpu() {
	let circuit = sum();
	let witness = sum_witness(&circuit);
	let (r, s) = (Fr::from(1u64), Fr::from(2u64));
	for wrong in [false, true] {
		let broken = Broken { wrong };
		// Alone, the broken engine's proof is refused: its error, or a proof that fails the
		// self-check.
		assert!(circuit.prove_with(&broken, &witness, r, s).is_err());
		// With the fallback, the proof is made on the CPU and verifies.
		let proven = circuit.prove_on(&broken, &witness).unwrap();
		cloudana_groth16::verifier::verify(&circuit.vk, &proven.public, &proven.proof).unwrap();
	}
	// A witness that does not fit fails on the CPU too: the error is the CPU's.
	assert!(circuit.prove_on(&Broken { wrong: false }, &witness[1..]).is_err());
	assert!(engine::with_fallback(&Cpu, |_| Err::<(), _>("cpu")).is_err());
}
