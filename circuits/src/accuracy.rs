//! The accuracy circuit family: "this model classifies `k` of these holdout samples correctly",
//! one circuit per dataset shape ([`Spec`]).
//!
//! ## Statement
//!
//! Public inputs, in this order (the chain's statement layout
//! `binding ‖ requester inputs ‖ prover outputs`):
//!
//! | index | value | from |
//! |---|---|---|
//! | 0 | binding `H(genesis ‖ job id ‖ prover)` | the chain |
//! | 1 | dataset commitment ([`Dataset::commitment`]) | the requester |
//! | 2 | model commitment ([`Model::commitment`]) | the requester |
//! | 3 | correct predictions `k` (0 to the holdout size) | the prover |
//!
//! Witness: the quantized holdout samples with labels and the quantized model parameters
//! (67 for Iris, 139 for Wine, 266 for Breast Cancer).
//!
//! ## Constraints
//!
//! - the binding input is squared into a constraint, so it is bound (DESIGN's binding rule);
//! - features are range-checked to 12 bits, weights and biases to their bounds
//!   (see [`crate::mlp`]), labels are one-hot;
//! - both commitments are recomputed with Poseidon and must equal the public inputs;
//! - each sample is evaluated exactly as [`Model::predict`] does: layer-1 pre-activations, a
//!   sign bit from a `z1_bits + 1`-bit decomposition for each ReLU, layer-2 logits, and one
//!   `z2_bits + 2`-bit comparison per class implementing `argmax` with ties to the lowest index
//!   ([`crate::mlp::Shape`]);
//! - the sum of per-sample correctness bits must equal input 3.
//!
//! ## Sizes
//!
//! [`constraint_count`] per dataset (`tests/accuracy.rs` pins them; proving times are in
//! `circuits/README.md`):
//!
//! | dataset | shape | holdout | constraints |
//! |---|---|---|---|
//! | Iris | 4-8-3 | 30 | 30 038 |
//! | Wine | 13-8-3 | 35 | 50 149 |
//! | Breast Cancer | 30-8-2 | 113 | 183 140 |

use crate::mlp::{self, Dataset, Model, Sample, Spec, FEATURE_BITS, PACK};
use ark_bn254::Fr;
use ark_r1cs_std::{alloc::AllocVar, boolean::Boolean, eq::EqGadget, fields::fp::FpVar, fields::FieldVar};
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, SynthesisError};

/// Public inputs of the circuit.
pub const PUBLIC_INPUTS: usize = 4;
/// Public inputs the requester supplies (dataset and model commitments).
pub const REQUESTER_INPUTS: usize = 2;
/// Public outputs the prover supplies (the count of correct predictions).
pub const OUTPUTS: usize = 1;

/// The circuit with its witness.
#[derive(Clone, Debug)]
pub struct AccuracyCircuit {
	/// Public input 0.
	pub binding: Fr,
	/// The model evaluated.
	pub model: Model,
	/// The holdout samples; their spec fixes the circuit's shape.
	pub data: Dataset,
}

impl AccuracyCircuit {
	/// A circuit of `spec`'s shape with zero values, for setup.
	pub fn blank(spec: Spec) -> Self {
		let shape = spec.shape();
		let sample = Sample { features: vec![0; shape.inputs], label: 0 };
		AccuracyCircuit { binding: Fr::from(0u64), model: Model::zero(spec), data: Dataset { spec, samples: vec![sample; shape.holdout] } }
	}

	/// The public inputs this witness proves: `[binding, dataset, model, correct]`.
	pub fn public_inputs(&self) -> [Fr; PUBLIC_INPUTS] {
		[self.binding, self.data.commitment(), self.model.commitment(), Fr::from(self.model.correct(&self.data) as u64)]
	}
}

/// Allocates the bits of `value + 2^bits` (`bits + 1` of them) and checks they recompose to
/// `var + 2^bits`: so `var ∈ [−2^bits, 2^bits)`. Returns the top bit, which is `var ≥ 0`.
/// `native` is `var`'s integer value, used only to assign the bits.
fn signed_range(cs: &ConstraintSystemRef<Fr>, var: &FpVar<Fr>, native: i128, bits: u32) -> Result<Boolean<Fr>, SynthesisError> {
	let offset = 1i128 << bits;
	let shifted = (native + offset) as u128;
	let vars = unsigned_bits(cs, shifted, bits + 1)?;
	Boolean::le_bits_to_fp(&vars)?.enforce_equal(&(var + FpVar::constant(Fr::from(offset as u128))))?;
	Ok(vars[bits as usize].clone())
}

/// Checks `var ∈ [0, 2^bits)` by decomposition.
fn unsigned_range(cs: &ConstraintSystemRef<Fr>, var: &FpVar<Fr>, native: i128, bits: u32) -> Result<(), SynthesisError> {
	let vars = unsigned_bits(cs, native as u128, bits)?;
	Boolean::le_bits_to_fp(&vars)?.enforce_equal(var)
}

fn unsigned_bits(cs: &ConstraintSystemRef<Fr>, value: u128, bits: u32) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
	(0..bits).map(|i| Boolean::new_witness(cs.clone(), || Ok((value >> i) & 1 == 1))).collect()
}

fn witness(cs: &ConstraintSystemRef<Fr>, v: i128) -> Result<FpVar<Fr>, SynthesisError> {
	FpVar::new_witness(cs.clone(), || Ok(mlp::to_field(v)))
}

impl ConstraintSynthesizer<Fr> for AccuracyCircuit {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let spec = self.data.spec;
		let shape = spec.shape();
		let (inputs, hidden, classes) = (shape.inputs, shape.hidden, shape.classes);
		if self.data.samples.len() != shape.holdout
			|| self.data.samples.iter().any(|s| s.features.len() != inputs)
			|| self.model.check(spec).is_err()
		{
			return Err(SynthesisError::Unsatisfiable);
		}
		// Public inputs. Their values are computed only when proving.
		let binding = FpVar::new_input(cs.clone(), || Ok(self.binding))?;
		let dataset_commitment = FpVar::new_input(cs.clone(), || Ok(self.data.commitment()))?;
		let model_commitment = FpVar::new_input(cs.clone(), || Ok(self.model.commitment()))?;
		let correct = FpVar::new_input(cs.clone(), || Ok(Fr::from(self.model.correct(&self.data) as u64)))?;
		let _ = binding.square()?;

		// Model parameters, range-checked, and their commitment.
		let alloc_matrix = |rows: &Vec<Vec<i64>>, bits: u32| -> Result<Vec<Vec<FpVar<Fr>>>, SynthesisError> {
			rows.iter()
				.map(|row| row.iter().map(|&w| {
					let var = witness(&cs, w as i128)?;
					let _in_range = signed_range(&cs, &var, w as i128, bits)?;
					Ok(var)
				}).collect())
				.collect()
		};
		let alloc_vector = |values: &Vec<i64>, bits: u32| -> Result<Vec<FpVar<Fr>>, SynthesisError> {
			Ok(alloc_matrix(&vec![values.clone()], bits)?.remove(0))
		};
		let w1 = alloc_matrix(&self.model.w1, mlp::WEIGHT_BITS)?;
		let b1 = alloc_vector(&self.model.b1, mlp::BIAS1_BITS)?;
		let w2 = alloc_matrix(&self.model.w2, mlp::WEIGHT_BITS)?;
		let b2 = alloc_vector(&self.model.b2, mlp::BIAS2_BITS)?;
		let mut model_elements = vec![
			FpVar::constant(mlp::tag(mlp::MODEL_TAG)),
			FpVar::constant(Fr::from(inputs as u64)),
			FpVar::constant(Fr::from(hidden as u64)),
			FpVar::constant(Fr::from(classes as u64)),
		];
		model_elements.extend(w1.iter().flatten().cloned());
		model_elements.extend(b1.iter().cloned());
		model_elements.extend(w2.iter().flatten().cloned());
		model_elements.extend(b2.iter().cloned());
		crate::poseidon::hash_var(cs.clone(), &model_elements)?.enforce_equal(&model_commitment)?;

		let mut dataset_elements = vec![
			FpVar::constant(mlp::tag(mlp::DATASET_TAG)),
			FpVar::constant(Fr::from(shape.holdout as u64)),
			FpVar::constant(Fr::from(inputs as u64)),
			FpVar::constant(Fr::from(classes as u64)),
		];
		let limb = Fr::from(1u64 << FEATURE_BITS);
		let mut count = FpVar::<Fr>::zero();
		for sample in &self.data.samples {
			// Features (12-bit) and the one-hot label.
			let mut x = Vec::with_capacity(inputs);
			for &feature in &sample.features {
				let var = witness(&cs, feature as i128)?;
				unsigned_range(&cs, &var, feature as i128, FEATURE_BITS)?;
				x.push(var);
			}
			let onehot = (0..classes)
				.map(|k| Boolean::new_witness(cs.clone(), || Ok(sample.label as usize == k)))
				.collect::<Result<Vec<_>, _>>()?;
			let ones: Vec<FpVar<Fr>> = onehot.iter().map(|b| FpVar::from(b.clone())).collect();
			ones.iter().fold(FpVar::zero(), |acc, e| acc + e).enforce_equal(&FpVar::one())?;
			let label = (1..classes).fold(FpVar::zero(), |acc, k| acc + &ones[k] * Fr::from(k as u64));
			// Packed into the commitment, PACK 12-bit limbs to an element (a linear
			// combination: no constraints).
			let values: Vec<FpVar<Fr>> = x.iter().cloned().chain([label]).collect();
			for chunk in values.chunks(PACK) {
				dataset_elements.push(chunk.iter().rev().fold(FpVar::zero(), |acc, v| acc * limb + v));
			}

			// Layer 1 and ReLU.
			let x_native = &sample.features;
			let z1_native = self.model.layer1(x_native);
			let mut h = Vec::with_capacity(hidden);
			for j in 0..hidden {
				let mut z = b1[j].clone();
				for i in 0..inputs {
					z += &w1[j][i] * &x[i];
				}
				let positive = signed_range(&cs, &z, z1_native[j] as i128, shape.z1_bits())?;
				h.push(positive.select(&z, &FpVar::zero())?);
			}

			// Layer 2.
			let logits_native = self.model.logits(x_native);
			let mut logits = Vec::with_capacity(classes);
			for k in 0..classes {
				let mut z = b2[k].clone();
				for j in 0..hidden {
					z += &w2[k][j] * &h[j];
				}
				logits.push(z);
			}

			// argmax == label, ties to the lowest index: for every k,
			// z[label] − z[k] − [k < label] ≥ 0.
			let mut label_logit = FpVar::zero();
			for k in 0..classes {
				label_logit += onehot[k].select(&logits[k], &FpVar::zero())?;
			}
			let y = sample.label as usize;
			let mut checks = Vec::with_capacity(classes);
			for k in 0..classes {
				let below: FpVar<Fr> = ones[k + 1..].iter().fold(FpVar::zero(), |acc, e| acc + e);
				let diff = &label_logit - &logits[k] - below;
				let diff_native = logits_native[y] as i128 - logits_native[k] as i128 - (k < y) as i128;
				checks.push(signed_range(&cs, &diff, diff_native, shape.z2_bits() + 1)?);
			}
			count += FpVar::from(Boolean::kary_and(&checks)?);
		}
		crate::poseidon::hash_var(cs.clone(), &dataset_elements)?.enforce_equal(&dataset_commitment)?;
		count.enforce_equal(&correct)
	}
}

/// Synthesizes the circuit on `circuit`'s witness and reports whether every constraint holds.
pub fn is_satisfied(circuit: AccuracyCircuit) -> Result<bool, SynthesisError> {
	let cs = ConstraintSystem::<Fr>::new_ref();
	circuit.generate_constraints(cs.clone())?;
	cs.is_satisfied()
}

/// Constraints in `spec`'s circuit.
pub fn constraint_count(spec: Spec) -> usize {
	let cs = ConstraintSystem::<Fr>::new_ref();
	cs.set_mode(ark_relations::r1cs::SynthesisMode::Setup);
	AccuracyCircuit::blank(spec).generate_constraints(cs.clone()).expect("the blank circuit synthesizes; qed");
	cs.num_constraints()
}
