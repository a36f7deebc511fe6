//! Deterministic fixed-point training on the real Iris, Wine and Breast Cancer data: the same
//! hyper-parameters and seed give the same model, bit for bit; sensible hyper-parameters learn
//! each dataset; the trained model is a valid circuit model whose accuracy the circuit proves.

use cloudana_circuits::{
	mlp::{Dataset, Spec},
	train::{slot_seed, train, HyperParams},
};
use std::path::PathBuf;

fn read(spec: Spec) -> Dataset {
	let path = std::env::var("CLOUDANA_DATASETS")
		.map(PathBuf::from)
		.unwrap_or_else(|_| {
			PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()))
				.join("../data")
		})
		.join(spec.file_name());
	Dataset::read_csv(&path).unwrap_or_else(|e| panic!("{} is readable: {e}", spec.file_name()))
}

fn iris() -> Dataset {
	read(Spec::Iris)
}

#[test]
fn training_is_deterministic_and_learns_iris() {
	let all = iris();
	let (training, holdout) = (all.training(), all.holdout().unwrap());
	assert_eq!((training.samples.len(), holdout.samples.len()), (120, 30));
	let params = HyperParams::parse("lr=0.01,epochs=40,hidden=8").unwrap();
	let a = train(&training, &params, slot_seed(0, 0));
	let b = train(&training, &params, slot_seed(0, 0));
	assert_eq!(a, b, "same parameters and seed, same model");
	a.check(Spec::Iris).unwrap();
	let correct = a.correct(&holdout);
	assert!(correct >= 24, "lr 0.01 × 40 epochs should learn Iris; got {correct}/30");
	let other = train(&training, &params, slot_seed(0, 1));
	assert_ne!(a, other, "another slot, another seed, another model");
}

#[test]
fn hyper_parameters_change_the_outcome_and_unused_units_stay_silent() {
	let all = iris();
	let training = all.training();
	let small = train(&training, &HyperParams::parse("lr=0.01,epochs=5,hidden=2").unwrap(), 9);
	small.check(Spec::Iris).unwrap();
	assert!(small.w1[2..].iter().flatten().all(|w| *w == 0), "units beyond `hidden` keep zero weights");
	assert!(small.w2.iter().all(|row| row[2..].iter().all(|w| *w == 0)));
	let results: Vec<u32> = ["lr=0.001,epochs=2", "lr=0.01,epochs=20", "lr=0.05,epochs=20", "lr=0.2,epochs=5"]
		.iter()
		.map(|p| train(&training, &HyperParams::parse(p).unwrap(), 3).correct(&all.holdout().unwrap()))
		.collect();
	println!("holdout accuracy by hyper-parameters: {results:?}");
	assert!(results.iter().any(|c| *c != results[0]), "hyper-parameters matter: {results:?}");
}

#[test]
fn the_circuit_proves_a_trained_models_accuracy() {
	use cloudana_circuits::{keys, prove_accuracy};
	use cloudana_groth16::{statement, verifier};
	let all = iris();
	let holdout = all.holdout().unwrap();
	let model = train(&all.training(), &HyperParams::parse("lr=0.05,epochs=20").unwrap(), slot_seed(3, 1));
	let pk = keys::dev_setup(Spec::Iris);
	let binding = statement::binding_input(&[1; 32], &(1u64 << 63).to_le_bytes(), &[2; 32]);
	let proven = prove_accuracy(&pk, &binding, &model, &holdout).unwrap();
	assert_eq!(proven.correct, model.correct(&holdout), "the proven count is the trained model's");
	assert_eq!(verifier::verify(&keys::vk_to_eip197(&pk.vk), &proven.public_inputs, &proven.proof), Ok(()));
}

/// Min–max scaled Wine and Breast Cancer are learnt too, well above the majority class
/// (15 of 35 and 71 of 113).
#[test]
fn training_learns_wine_and_breast_cancer() {
	for (spec, params, at_least) in [(Spec::Wine, "lr=0.002,epochs=20", 28), (Spec::BreastCancer, "lr=0.002,epochs=20", 100)] {
		let all = read(spec);
		let (training, holdout) = (all.training(), all.holdout().unwrap());
		let params = HyperParams::parse(params).unwrap();
		let model = train(&training, &params, slot_seed(0, 0));
		model.check(spec).unwrap();
		assert_eq!(model, train(&training, &params, slot_seed(0, 0)));
		let correct = model.correct(&holdout);
		println!("{spec}: {correct}/{}", holdout.samples.len());
		assert!(correct >= at_least, "{spec}: {params:?} should learn; got {correct}/{}", holdout.samples.len());
	}
}
