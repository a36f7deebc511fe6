//! The Iris dataset, its fixed split, the MLP model file, the fixed-point arithmetic, and the
//! commitments the accuracy circuit takes as public inputs.
//!
//! ## Data
//!
//! `iris.csv` (Fisher 1936, UCI, as shipped by scikit-learn): a header line, then 150 rows of four
//! features in centimetres (sepal length, sepal width, petal length, petal width) and a class
//! label 0..=2. Data rows are numbered from 0 in file order; **the holdout is the 30 rows with
//! index % 5 == 4** (10 per class); the other 120 rows trained the model
//! (`scripts/train-iris.py`).
//!
//! ## Fixed point
//!
//! With `S = 8` fractional bits ([`SCALE_BITS`]):
//!
//! | value | integer | bound |
//! |---|---|---|
//! | feature `x` | `x_q = round(x · 2⁸)`, exact from the decimal text | `0 ≤ x_q < 2¹²` |
//! | layer-1 weight | `round(w · 2⁸)` | `\|w1_q\| < 2¹⁵` |
//! | layer-1 bias | `round(b · 2¹⁶)` | `\|b1_q\| < 2³¹` |
//! | layer-2 weight | `round(w · 2⁸)` | `\|w2_q\| < 2¹⁵` |
//! | layer-2 bias | `round(b · 2²⁴)` | `\|b2_q\| < 2⁴⁷` |
//!
//! Evaluation is exact integer arithmetic, no rescaling:
//! `z1 = W1·x + b1` (scale 2¹⁶, `|z1| < 2³²`), `h = max(z1, 0)`,
//! `z2 = W2·h + b2` (scale 2²⁴, `|z2| < 2⁵¹`), prediction `argmax z2` with ties going to the
//! lowest class index. [`Model::predict`] is that evaluation in plain Rust; the circuit computes
//! exactly the same integers.
//!
//! ## Commitments
//!
//! Integers enter the field as themselves (negative `v` as `r − |v|`).
//! - dataset: `Poseidon(DATASET_TAG, n, x₀₀, x₀₁, x₀₂, x₀₃, y₀, …)` over the quantized holdout;
//! - model: `Poseidon(MODEL_TAG, 4, 8, 3, W1 row-major, b1, W2 row-major, b2)`.

use crate::poseidon;
use ark_bn254::Fr;
use ark_ff::PrimeField;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Fractional bits of features and weights.
pub const SCALE_BITS: u32 = 8;
/// Features.
pub const INPUTS: usize = 4;
/// Hidden ReLU units.
pub const HIDDEN: usize = 8;
/// Classes.
pub const CLASSES: usize = 3;
/// Samples in the holdout the circuit evaluates.
pub const HOLDOUT: usize = 30;
/// Bits of a quantized feature (`0 ≤ x_q < 2¹²`).
pub const FEATURE_BITS: u32 = 12;
/// Bound on quantized weights (`|w| < 2¹⁵`).
pub const WEIGHT_BITS: u32 = 15;
/// Bound on quantized layer-1 biases (`|b1| < 2³¹`).
pub const BIAS1_BITS: u32 = 31;
/// Bound on quantized layer-2 biases (`|b2| < 2⁴⁷`).
pub const BIAS2_BITS: u32 = 47;
/// Bound on layer-1 pre-activations (`|z1| < 2³²`), implied by the bounds above.
pub const Z1_BITS: u32 = 32;
/// Bound on layer-2 outputs (`|z2| < 2⁵¹`), implied by the bounds above.
pub const Z2_BITS: u32 = 51;

/// Domain tag of dataset commitments (the ASCII bytes, little-endian, as a field element).
pub const DATASET_TAG: &[u8] = b"cloudana/dataset/v1";
/// Domain tag of model commitments.
pub const MODEL_TAG: &[u8] = b"cloudana/mlp/v1";

/// Errors reading or checking data and models.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
	/// The file could not be read.
	#[error("{path}: {source}")]
	Io {
		/// The file.
		path: String,
		/// Why.
		source: std::io::Error,
	},
	/// The dataset is not a scikit-learn style Iris CSV.
	#[error("dataset line {line}: {reason}")]
	Dataset {
		/// 1-based line number.
		line: usize,
		/// What is wrong.
		reason: String,
	},
	/// The model file is malformed or out of the circuit's bounds.
	#[error("model: {0}")]
	Model(String),
}

fn read_text(path: &Path) -> Result<String, DataError> {
	std::fs::read_to_string(path).map_err(|source| DataError::Io { path: path.display().to_string(), source })
}

/// One quantized sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
	/// Quantized features `x_q`.
	pub features: [i64; INPUTS],
	/// Class label 0..=2.
	pub label: u8,
}

/// A quantized dataset (for the circuit: the 30-sample holdout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dataset {
	/// The samples, in file order.
	pub samples: Vec<Sample>,
}

/// Parses a non-negative decimal like `5.1` into `round(value · 2⁸)`, exactly (half up).
pub fn quantize_feature(text: &str) -> Option<i64> {
	let (int, frac) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
	if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 6 {
		return None;
	}
	let denominator = 10i64.pow(frac.len() as u32);
	let numerator: i64 = format!("{int}{frac}").parse().ok()?;
	let scaled = numerator.checked_mul(1 << SCALE_BITS)?;
	Some((2 * scaled + denominator) / (2 * denominator))
}

impl Dataset {
	/// Reads the full Iris CSV (header + 150 rows) and returns all quantized rows.
	pub fn read_csv(path: &Path) -> Result<Dataset, DataError> {
		Self::parse_csv(&read_text(path)?)
	}

	/// Parses the Iris CSV text.
	pub fn parse_csv(text: &str) -> Result<Dataset, DataError> {
		let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
		let mut samples = Vec::new();
		for (i, record) in reader.records().enumerate() {
			let line = i + 1;
			let record = record.map_err(|e| DataError::Dataset { line, reason: e.to_string() })?;
			if i == 0 {
				let rows = record.get(0).and_then(|v| v.parse::<usize>().ok());
				let features = record.get(1).and_then(|v| v.parse::<usize>().ok());
				if features != Some(INPUTS) || rows.is_none() {
					return Err(DataError::Dataset { line, reason: "header must be `rows,4,class names...`".into() });
				}
				continue;
			}
			if record.len() != INPUTS + 1 {
				return Err(DataError::Dataset { line, reason: format!("expected {} fields, found {}", INPUTS + 1, record.len()) });
			}
			let mut features = [0i64; INPUTS];
			for (j, feature) in features.iter_mut().enumerate() {
				*feature = quantize_feature(&record[j])
					.filter(|v| *v < 1 << FEATURE_BITS)
					.ok_or_else(|| DataError::Dataset { line, reason: format!("feature {:?} is not a decimal in [0, 16)", &record[j]) })?;
			}
			let label = record[INPUTS]
				.trim()
				.parse::<u8>()
				.ok()
				.filter(|l| (*l as usize) < CLASSES)
				.ok_or_else(|| DataError::Dataset { line, reason: format!("label {:?} is not 0, 1 or 2", &record[INPUTS]) })?;
			samples.push(Sample { features, label });
		}
		Ok(Dataset { samples })
	}

	/// The fixed holdout: rows with index % 5 == 4.
	pub fn holdout(&self) -> Result<Dataset, DataError> {
		let samples: Vec<Sample> = self.samples.iter().enumerate().filter(|(i, _)| i % 5 == 4).map(|(_, s)| *s).collect();
		if samples.len() != HOLDOUT {
			return Err(DataError::Dataset { line: 0, reason: format!("the holdout has {} rows, the circuit needs {HOLDOUT}", samples.len()) });
		}
		Ok(Dataset { samples })
	}

	/// The training split: rows with index % 5 != 4 (120 rows of Iris).
	pub fn training(&self) -> Dataset {
		Dataset { samples: self.samples.iter().enumerate().filter(|(i, _)| i % 5 != 4).map(|(_, s)| *s).collect() }
	}

	/// Reads the Iris CSV and returns its holdout.
	pub fn iris_holdout(path: &Path) -> Result<Dataset, DataError> {
		Self::read_csv(path)?.holdout()
	}

	/// The dataset commitment: see the module docs.
	pub fn commitment(&self) -> Fr {
		let mut elements = vec![tag(DATASET_TAG), Fr::from(self.samples.len() as u64)];
		for sample in &self.samples {
			elements.extend(sample.features.iter().map(|v| to_field(*v as i128)));
			elements.push(Fr::from(sample.label as u64));
		}
		poseidon::hash(&elements)
	}
}

/// A 4-8-3 ReLU MLP in fixed point, as stored in a model file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Model {
	/// Layer-1 weights, `HIDDEN × INPUTS`, scale 2⁸.
	pub w1: Vec<Vec<i64>>,
	/// Layer-1 biases, scale 2¹⁶.
	pub b1: Vec<i64>,
	/// Layer-2 weights, `CLASSES × HIDDEN`, scale 2⁸.
	pub w2: Vec<Vec<i64>>,
	/// Layer-2 biases, scale 2²⁴.
	pub b2: Vec<i64>,
}

#[derive(Deserialize)]
struct ModelFile {
	format: String,
	layers: Vec<usize>,
	scale_bits: u32,
	#[serde(flatten)]
	model: Model,
}

fn within(values: impl IntoIterator<Item = i64>, bits: u32) -> bool {
	values.into_iter().all(|v| v.unsigned_abs() < 1u64 << bits)
}

impl Model {
	/// Reads a model file written by `scripts/train-iris.py` and checks its shape and bounds.
	pub fn read(path: &Path) -> Result<Model, DataError> {
		Self::parse(&read_text(path)?)
	}

	/// Parses a model file and checks its shape and bounds.
	pub fn parse(text: &str) -> Result<Model, DataError> {
		let file: ModelFile = serde_json::from_str(text).map_err(|e| DataError::Model(e.to_string()))?;
		if file.format != "cloudana-mlp-v1" {
			return Err(DataError::Model(format!("format is {:?}, expected \"cloudana-mlp-v1\"", file.format)));
		}
		if file.layers != [INPUTS, HIDDEN, CLASSES] || file.scale_bits != SCALE_BITS {
			return Err(DataError::Model(format!("the circuit takes layers [4, 8, 3] at scale_bits 8, found {:?} at {}", file.layers, file.scale_bits)));
		}
		file.model.check()?;
		Ok(file.model)
	}

	/// Checks the shape and the fixed-point bounds the circuit relies on.
	pub fn check(&self) -> Result<(), DataError> {
		let shape_ok = self.w1.len() == HIDDEN
			&& self.w1.iter().all(|r| r.len() == INPUTS)
			&& self.b1.len() == HIDDEN
			&& self.w2.len() == CLASSES
			&& self.w2.iter().all(|r| r.len() == HIDDEN)
			&& self.b2.len() == CLASSES;
		if !shape_ok {
			return Err(DataError::Model("weights do not have the 4-8-3 shape".into()));
		}
		let bounds_ok = within(self.w1.iter().flatten().copied(), WEIGHT_BITS)
			&& within(self.w2.iter().flatten().copied(), WEIGHT_BITS)
			&& within(self.b1.iter().copied(), BIAS1_BITS)
			&& within(self.b2.iter().copied(), BIAS2_BITS);
		if !bounds_ok {
			return Err(DataError::Model("a weight is outside the circuit's fixed-point bounds".into()));
		}
		Ok(())
	}

	/// Layer-1 pre-activations `z1 = W1·x + b1` (scale 2¹⁶).
	pub fn layer1(&self, x: &[i64; INPUTS]) -> [i64; HIDDEN] {
		let mut z = [0i64; HIDDEN];
		for (j, zj) in z.iter_mut().enumerate() {
			*zj = self.w1[j].iter().zip(x).map(|(w, x)| w * x).sum::<i64>() + self.b1[j];
		}
		z
	}

	/// Layer-2 outputs `z2 = W2·max(z1, 0) + b2` (scale 2²⁴).
	pub fn logits(&self, x: &[i64; INPUTS]) -> [i64; CLASSES] {
		let h = self.layer1(x).map(|z| z.max(0));
		let mut out = [0i64; CLASSES];
		for (k, zk) in out.iter_mut().enumerate() {
			*zk = self.w2[k].iter().zip(&h).map(|(w, h)| w * h).sum::<i64>() + self.b2[k];
		}
		out
	}

	/// The predicted class: `argmax` of the logits, ties to the lowest index.
	pub fn predict(&self, x: &[i64; INPUTS]) -> u8 {
		let z = self.logits(x);
		let mut best = 0;
		for k in 1..CLASSES {
			if z[k] > z[best] {
				best = k;
			}
		}
		best as u8
	}

	/// How many samples the model classifies correctly: the statement the circuit proves.
	pub fn correct(&self, data: &Dataset) -> u32 {
		data.samples.iter().filter(|s| self.predict(&s.features) == s.label).count() as u32
	}

	/// The model's parameters in commitment order: `W1` row-major, `b1`, `W2` row-major, `b2`.
	pub fn parameters(&self) -> Vec<i64> {
		let mut out = Vec::with_capacity(HIDDEN * INPUTS + HIDDEN + CLASSES * HIDDEN + CLASSES);
		out.extend(self.w1.iter().flatten());
		out.extend(&self.b1);
		out.extend(self.w2.iter().flatten());
		out.extend(&self.b2);
		out
	}

	/// The model commitment: see the module docs.
	pub fn commitment(&self) -> Fr {
		let mut elements = vec![tag(MODEL_TAG), Fr::from(INPUTS as u64), Fr::from(HIDDEN as u64), Fr::from(CLASSES as u64)];
		elements.extend(self.parameters().into_iter().map(|v| to_field(v as i128)));
		poseidon::hash(&elements)
	}

	/// An all-zero model of the right shape (for setup, where values do not matter).
	pub fn zero() -> Model {
		Model { w1: vec![vec![0; INPUTS]; HIDDEN], b1: vec![0; HIDDEN], w2: vec![vec![0; HIDDEN]; CLASSES], b2: vec![0; CLASSES] }
	}
}

/// A domain tag as a field element (its bytes, little-endian; tags are shorter than 31 bytes).
pub fn tag(bytes: &[u8]) -> Fr {
	Fr::from_le_bytes_mod_order(bytes)
}

/// A signed integer as a field element (`v` or `r − |v|`).
pub fn to_field(v: i128) -> Fr {
	let magnitude = Fr::from(v.unsigned_abs());
	if v < 0 {
		-magnitude
	} else {
		magnitude
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn features_quantize_exactly() {
		assert_eq!(quantize_feature("5.1"), Some(1306)); // 5.1 · 256 = 1305.6
		assert_eq!(quantize_feature("0.2"), Some(51)); // 51.2
		assert_eq!(quantize_feature("7"), Some(1792));
		assert_eq!(quantize_feature("0.5"), Some(128));
		assert_eq!(quantize_feature("-1.0"), None);
		assert_eq!(quantize_feature("abc"), None);
		assert_eq!(quantize_feature(""), None);
	}

	#[test]
	fn bad_csv_is_refused_with_line() {
		let err = Dataset::parse_csv("150,4,a,b,c\n5.1,3.5,1.4,0.2,7\n").unwrap_err();
		assert!(err.to_string().contains("line 2"), "{err}");
		let err = Dataset::parse_csv("150,5,a,b,c\n").unwrap_err();
		assert!(err.to_string().contains("header"), "{err}");
	}

	#[test]
	fn out_of_bounds_model_is_refused() {
		let mut model = Model::zero();
		model.w1[0][0] = 1 << 15;
		assert!(model.check().is_err());
		let mut model = Model::zero();
		model.b2.pop();
		assert!(model.check().is_err());
	}

	#[test]
	fn argmax_ties_go_to_the_lowest_index() {
		let model = Model::zero();
		assert_eq!(model.predict(&[0; 4]), 0);
		let mut model = Model::zero();
		model.b2 = vec![0, 5, 5];
		assert_eq!(model.predict(&[0; 4]), 1);
	}
}
