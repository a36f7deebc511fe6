//! The accuracy circuit family against the plain-Rust fixed-point model, on the real Iris, Wine
//! and Breast Cancer data.

use ark_bn254::{Bn254, Fr};
use ark_groth16::ProvingKey;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem};
use cloudana_circuits::{
	accuracy::{self, AccuracyCircuit},
	keys,
	mlp::{Dataset, Model, Sample, Spec},
	prove_accuracy,
	train::{slot_seed, train, HyperParams},
};
use cloudana_groth16::{statement, verifier, Groth16Error};
use proptest::prelude::*;
use std::{path::PathBuf, sync::OnceLock};

fn root() -> PathBuf {
	// The manifest dir at run time (cargo sets it), not at build time: a shared target dir may
	// hold binaries built from another checkout.
	PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into())).join("..")
}

fn read(spec: Spec) -> Dataset {
	let path = std::env::var("CLOUDANA_DATASETS")
		.map(PathBuf::from)
		.unwrap_or_else(|_| root().join("data"))
		.join(spec.file_name());
	Dataset::read_csv(&path).unwrap_or_else(|e| panic!("{} is readable: {e}", spec.file_name()))
}

fn iris() -> Dataset {
	read(Spec::Iris).holdout().unwrap()
}

fn model() -> Model {
	Model::read(&root().join("circuits/models/iris-mlp.json")).expect("the committed model is valid")
}

fn pk() -> &'static ProvingKey<Bn254> {
	static PK: OnceLock<ProvingKey<Bn254>> = OnceLock::new();
	PK.get_or_init(|| keys::dev_setup(Spec::Iris))
}

/// Every dataset's committed verifying key is what the development setup produces (with
/// `CLOUDANA_BLESS=1`: rewrites them). One setup per dataset, so this is the slow test.
#[test]
fn committed_vks_match_the_dev_setup() {
	for spec in Spec::ALL {
		let vk = if spec == Spec::Iris { keys::vk_to_eip197(&pk().vk) } else { keys::vk_to_eip197(&keys::dev_setup(spec).vk) };
		let path = keys::accuracy_vk_path(spec);
		if std::env::var_os("CLOUDANA_BLESS").is_some() {
			let json = serde_json::to_string_pretty(&cloudana_groth16::snarkjs::verifying_key_to_json(&vk)).unwrap();
			std::fs::write(root().join(&path), json + "\n").unwrap();
			continue;
		}
		assert_eq!(keys::accuracy_vk(spec), vk, "{path} is stale: rerun with CLOUDANA_BLESS=1");
		assert_eq!(keys::spec_of_circuit(&keys::accuracy_circuit_id(spec)), Some(spec));
	}
}

#[test]
fn holdouts_have_the_circuit_sizes_and_every_class() {
	for (spec, per_class) in [(Spec::Iris, vec![10, 10, 10]), (Spec::Wine, vec![11, 15, 9]), (Spec::BreastCancer, vec![42, 71])] {
		let all = read(spec);
		let data = all.holdout().unwrap();
		assert_eq!(data.samples.len(), spec.shape().holdout);
		assert_eq!(all.training().samples.len(), spec.rows() - spec.shape().holdout);
		let counts: Vec<usize> =
			(0..spec.shape().classes as u8).map(|class| data.samples.iter().filter(|s| s.label == class).count()).collect();
		assert_eq!(counts, per_class, "{spec}");
		assert!(data.samples.iter().flat_map(|s| &s.features).all(|x| (0..4096).contains(x)));
	}
}

/// A model trained on each of the other datasets: the circuit's count equals plain Rust's, and
/// a claim of one more does not hold.
#[test]
fn circuit_count_equals_plain_rust_on_wine_and_breast_cancer() {
	for spec in [Spec::Wine, Spec::BreastCancer] {
		let all = read(spec);
		let holdout = all.holdout().unwrap();
		let model = train(&all.training(), &HyperParams::parse("lr=0.01,epochs=10").unwrap(), slot_seed(1, 0));
		let rust = model.correct(&holdout);
		let circuit = AccuracyCircuit { binding: Fr::from(5u64), model, data: holdout };
		assert_eq!(circuit.public_inputs()[3], Fr::from(rust as u64));
		let cs = ConstraintSystem::<Fr>::new_ref();
		circuit.generate_constraints(cs.clone()).unwrap();
		assert!(cs.is_satisfied().unwrap(), "{spec}");
		cs.borrow_mut().unwrap().instance_assignment[4] += Fr::from(1u64);
		assert!(!cs.is_satisfied().unwrap(), "{spec}: one more than the model reaches");
	}
}

#[test]
fn circuit_count_equals_plain_rust_on_iris() {
	let (model, data) = (model(), iris());
	let rust = model.correct(&data);
	assert_eq!(rust, 29, "the committed model classifies 29 of 30 holdout samples (see the model file)");
	let circuit = AccuracyCircuit { binding: Fr::from(5u64), model, data };
	assert_eq!(circuit.public_inputs()[3], Fr::from(rust as u64));
	assert!(accuracy::is_satisfied(circuit).unwrap());
}

/// Synthesizes the honest witness, then changes public input `index` and checks the circuit
/// no longer holds.
fn tampered_is_unsatisfied(index: usize, delta: u64) -> bool {
	let circuit = AccuracyCircuit { binding: Fr::from(5u64), model: model(), data: iris() };
	let cs = ConstraintSystem::<Fr>::new_ref();
	circuit.generate_constraints(cs.clone()).unwrap();
	assert!(cs.is_satisfied().unwrap());
	cs.borrow_mut().unwrap().instance_assignment[1 + index] += Fr::from(delta);
	!cs.is_satisfied().unwrap()
}

#[test]
fn a_wrong_count_cannot_be_claimed() {
	assert!(tampered_is_unsatisfied(3, 1));
}

#[test]
fn commitments_bind_data_and_model() {
	assert!(tampered_is_unsatisfied(1, 1));
	assert!(tampered_is_unsatisfied(2, 1));
}

#[test]
fn proof_verifies_and_is_bound_to_its_job() {
	let (model, data) = (model(), iris());
	let binding = statement::binding_input(&[1; 32], &7u64.to_le_bytes(), &[2; 32]);
	let proven = prove_accuracy(pk(), &binding, &model, &data).unwrap();
	assert_eq!(proven.correct, 29);
	assert_eq!(proven.public_inputs.len(), accuracy::PUBLIC_INPUTS);
	let vk = keys::vk_to_eip197(&pk().vk);
	assert_eq!(verifier::verify(&vk, &proven.public_inputs, &proven.proof), Ok(()));

	// Another job, prover or claim: refused.
	for other in [
		statement::binding_input(&[1; 32], &8u64.to_le_bytes(), &[2; 32]),
		statement::binding_input(&[1; 32], &7u64.to_le_bytes(), &[3; 32]),
	] {
		let mut inputs = proven.public_inputs.clone();
		inputs[0] = other;
		assert_eq!(verifier::verify(&vk, &inputs, &proven.proof), Err(Groth16Error::ProofInvalid));
	}
	let mut inputs = proven.public_inputs.clone();
	inputs[3][31] = 30;
	assert_eq!(verifier::verify(&vk, &inputs, &proven.proof), Err(Groth16Error::ProofInvalid));
}

/// The engine prover (matrices, libsnark's reduction) makes arkworks' proof: the same bytes
/// as `Groth16::create_proof_with_reduction` for the same `r`, `s`.
#[test]
fn the_engine_prover_equals_arkworks_for_the_same_randomness() {
	use ark_groth16::{r1cs_to_qap::LibsnarkReduction, Groth16};
	use cloudana_circuits::{engine::Cpu, AccuracyStatement};
	let (model, data) = (model(), iris());
	let binding = statement::binding_input(&[1; 32], &7u64.to_le_bytes(), &[2; 32]);
	let (r, s) = (Fr::from(12345u64), Fr::from(67890u64));
	let ours = AccuracyStatement::new(&binding, &model, &data).unwrap().prove(&Cpu, pk(), r, s).unwrap();
	let circuit = AccuracyCircuit {
		binding: cloudana_groth16::encoding::decode_fr(&binding, cloudana_groth16::Element::PublicInput(0)).unwrap(),
		model: model.clone(),
		data: data.clone(),
	};
	let theirs = Groth16::<Bn254, LibsnarkReduction>::create_proof_with_reduction(circuit, pk(), r, s).unwrap();
	assert_eq!(ours.proof, keys::proof_to_eip197(&theirs));
	assert_eq!(ours.correct, 29);
}

fn arb_model() -> impl Strategy<Value = Model> {
	let w = -(1i64 << 10)..(1i64 << 10);
	(
		proptest::collection::vec(proptest::collection::vec(w.clone(), 4), 8),
		proptest::collection::vec(-(1i64 << 24)..(1i64 << 24), 8),
		proptest::collection::vec(proptest::collection::vec(w, 8), 3),
		proptest::collection::vec(-(1i64 << 40)..(1i64 << 40), 3),
	)
		.prop_map(|(w1, b1, w2, b2)| Model { w1, b1, w2, b2 })
}

fn arb_data() -> impl Strategy<Value = Dataset> {
	proptest::collection::vec(
		(proptest::collection::vec(0i64..4096, 4), 0u8..3).prop_map(|(features, label)| Sample { features, label }),
		Spec::Iris.shape().holdout,
	)
	.prop_map(|samples| Dataset { spec: Spec::Iris, samples })
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

	/// For any in-bounds model and data, the circuit holds exactly for the count plain Rust
	/// computes. Small weights make ties and all-negative layers common.
	#[test]
	fn circuit_matches_plain_rust(model in arb_model(), data in arb_data(), small in any::<bool>()) {
		let model = if small {
			Model {
				w1: model.w1.iter().map(|r| r.iter().map(|w| w % 3).collect()).collect(),
				b1: model.b1.iter().map(|b| b % 3).collect(),
				w2: model.w2.iter().map(|r| r.iter().map(|w| w % 2).collect()).collect(),
				b2: model.b2.iter().map(|b| b % 2).collect(),
			}
		} else { model };
		let circuit = AccuracyCircuit { binding: Fr::from(1u64), model: model.clone(), data: data.clone() };
		prop_assert_eq!(circuit.public_inputs()[3], Fr::from(model.correct(&data) as u64));
		prop_assert!(accuracy::is_satisfied(circuit).unwrap());
	}
}

/// The sizes `accuracy.rs` and `circuits/README.md` document.
#[test]
fn constraint_counts_are_the_documented_ones() {
	let counts: Vec<(Spec, usize)> = Spec::ALL.into_iter().map(|s| (s, accuracy::constraint_count(s))).collect();
	println!("accuracy circuits: {counts:?}");
	assert_eq!(counts, vec![(Spec::Iris, 30_038), (Spec::Wine, 50_149), (Spec::BreastCancer, 183_140)]);
}
