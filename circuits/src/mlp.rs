//! The datasets the accuracy circuit family supports, their fixed split and feature scaling,
//! the MLP model file, the fixed-point arithmetic, and the commitments the accuracy circuit
//! takes as public inputs.
//!
//! ## Datasets ([`Spec`])
//!
//! The CSV files of the repository's `data/` (scikit-learn's copies of the UCI datasets): a header
//! line `rows,features,class names…`, then one row per sample, its features followed by the
//! integer class label. The header says which dataset a file is.
//!
//! | spec | rows × features | classes | holdout | scaling | model |
//! |---|---|---|---|---|---|
//! | `iris` (Fisher 1936) | 150 × 4 | 3 | 30 | fixed: `x_q = round(x · 2⁸)`, `0 ≤ x < 16` cm | 4-8-3 |
//! | `wine` (Forina et al., UCI Wine) | 178 × 13 | 3 | 35 | training min–max | 13-8-3 |
//! | `breast_cancer` (Wolberg et al., UCI WDBC) | 569 × 30 | 2 | 113 | training min–max | 30-8-2 |
//!
//! Data rows are numbered from 0 in file order; **the holdout is the rows with index % 5 == 4**
//! (`rows / 5` of them), the training split the others. Each dataset fixes the circuit's shape,
//! so each has its own circuit and verifying key (`crate::keys`).
//!
//! ## Feature scaling
//!
//! Features are read as exact decimals and mapped onto 12-bit integers `0 ≤ x_q < 2¹²`, which
//! stand for values in `[0, 16)` at scale 2⁸ ([`SCALE_BITS`]):
//! `x_q = round((x − lo) · 2¹² / (hi − lo))`, half up, clamped to `[0, 2¹² − 1]`.
//! - *fixed* (Iris): `lo = 0`, `hi = 16` for every feature, so `x_q = round(x · 2⁸)`; a feature
//!   outside `[0, 16)` is an error;
//! - *training min–max* (Wine, Breast Cancer): per feature, `lo` and `hi` are its minimum and
//!   maximum over the training split (min–max scaling; the holdout does not influence it, and
//!   holdout values outside the range are clamped). Their raw units differ by six orders of
//!   magnitude (Wine's proline is ~10³, Breast Cancer's fractal dimension ~10⁻²).
//!
//! ## Fixed point
//!
//! With `S = 8` fractional bits and `n` inputs, `m` hidden units:
//!
//! | value | integer | bound |
//! |---|---|---|
//! | feature | `x_q` (above) | `0 ≤ x_q < 2¹²` |
//! | layer-1 weight | `round(w · 2⁸)` | `\|w1_q\| < 2¹⁵` |
//! | layer-1 bias | `round(b · 2¹⁶)` | `\|b1_q\| < 2³¹` |
//! | layer-2 weight | `round(w · 2⁸)` | `\|w2_q\| < 2¹⁵` |
//! | layer-2 bias | `round(b · 2²⁴)` | `\|b2_q\| < 2⁴⁷` |
//!
//! Evaluation is exact integer arithmetic, no rescaling:
//! `z1 = W1·x + b1` (scale 2¹⁶, `|z1| < n·2²⁷ + 2³¹`, [`Shape::z1_bits`]), `h = max(z1, 0)`,
//! `z2 = W2·h + b2` (scale 2²⁴, `|z2| < m·2¹⁵·2^z1_bits + 2⁴⁷`, [`Shape::z2_bits`]), prediction
//! `argmax z2` with ties going to the lowest class index. [`Model::predict`] is that evaluation in
//! plain Rust; the circuit computes exactly the same integers.
//!
//! ## Commitments
//!
//! Integers enter the field as themselves (negative `v` as `r − |v|`).
//! - dataset: `Poseidon(DATASET_TAG, n, features, classes, p₀, p₁, …)` over the quantized
//!   holdout, where each sample's values `x₀ … x_{f−1}, y` (all below 2¹²) are packed
//!   [`PACK`] = 21 to a field element, little-endian in 12-bit limbs
//!   (`p = v₀ + v₁·2¹² + … + v₂₀·2²⁴⁰`); a sample starts a new element. Packing is injective
//!   because the circuit range-checks every limb, and it costs no constraints;
//! - model: `Poseidon(MODEL_TAG, n, m, classes, W1 row-major, b1, W2 row-major, b2)`.

use crate::poseidon;
use ark_bn254::Fr;
use ark_ff::PrimeField;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Fractional bits of features and weights.
pub const SCALE_BITS: u32 = 8;
/// Hidden ReLU units of every model in the family.
pub const HIDDEN: usize = 8;
/// Bits of a quantized feature (`0 ≤ x_q < 2¹²`).
pub const FEATURE_BITS: u32 = 12;
/// Bound on quantized weights (`|w| < 2¹⁵`).
pub const WEIGHT_BITS: u32 = 15;
/// Bound on quantized layer-1 biases (`|b1| < 2³¹`).
pub const BIAS1_BITS: u32 = 31;
/// Bound on quantized layer-2 biases (`|b2| < 2⁴⁷`).
pub const BIAS2_BITS: u32 = 47;
/// 12-bit values packed into one field element of a dataset commitment (252 bits < 253).
pub const PACK: usize = 21;

/// Domain tag of dataset commitments (the ASCII bytes, little-endian, as a field element).
pub const DATASET_TAG: &[u8] = b"cloudana/dataset/v2";
/// Domain tag of model commitments.
pub const MODEL_TAG: &[u8] = b"cloudana/mlp/v1";

/// Scale of exact decimals: 10⁹ (Breast Cancer has 7 fractional digits).
const DECIMAL_SCALE: i128 = 1_000_000_000;

/// A dataset of the accuracy circuit family: see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Spec {
	/// Iris: 150 × 4, 3 classes.
	Iris,
	/// Wine: 178 × 13, 3 classes.
	Wine,
	/// Breast Cancer Wisconsin (Diagnostic): 569 × 30, 2 classes.
	BreastCancer,
}

/// How a dataset's features are scaled onto 12-bit integers (module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scaling {
	/// `lo = 0`, `hi = 16` for every feature; values outside are refused.
	Fixed,
	/// Per feature, the minimum and maximum over the training split.
	TrainingMinMax,
}

/// The shape of a circuit of the family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
	/// Features (model inputs).
	pub inputs: usize,
	/// Hidden ReLU units.
	pub hidden: usize,
	/// Classes (model outputs).
	pub classes: usize,
	/// Samples in the holdout the circuit evaluates.
	pub holdout: usize,
}

fn ceil_log2(v: u128) -> u32 {
	128 - (v - 1).leading_zeros()
}

impl Shape {
	/// Bits bounding layer-1 pre-activations: `|z1| < 2^z1_bits` (32 for Iris and Wine, 33 for
	/// Breast Cancer).
	pub fn z1_bits(&self) -> u32 {
		ceil_log2(((self.inputs as u128) << (WEIGHT_BITS + FEATURE_BITS)) + (1u128 << BIAS1_BITS))
	}

	/// Bits bounding layer-2 outputs: `|z2| < 2^z2_bits`.
	pub fn z2_bits(&self) -> u32 {
		ceil_log2(((self.hidden as u128) << (WEIGHT_BITS + self.z1_bits())) + (1u128 << BIAS2_BITS))
	}

	/// Model parameters: `W1`, `b1`, `W2`, `b2`.
	pub fn parameters(&self) -> usize {
		self.hidden * self.inputs + self.hidden + self.classes * self.hidden + self.classes
	}
}

impl Spec {
	/// Every supported dataset.
	pub const ALL: [Spec; 3] = [Spec::Iris, Spec::Wine, Spec::BreastCancer];

	/// The name used on command lines and in key files: `iris`, `wine`, `breast_cancer`.
	pub fn name(self) -> &'static str {
		match self {
			Spec::Iris => "iris",
			Spec::Wine => "wine",
			Spec::BreastCancer => "breast_cancer",
		}
	}

	/// The human name.
	pub fn title(self) -> &'static str {
		match self {
			Spec::Iris => "Iris",
			Spec::Wine => "Wine",
			Spec::BreastCancer => "Breast Cancer",
		}
	}

	/// The file in the repository's `data/`.
	pub fn file_name(self) -> &'static str {
		match self {
			Spec::Iris => "iris.csv",
			Spec::Wine => "wine_data.csv",
			Spec::BreastCancer => "breast_cancer.csv",
		}
	}

	/// The spec named `name` (`iris`, `wine`, `breast_cancer` or `breast-cancer`).
	pub fn from_name(name: &str) -> Option<Spec> {
		Spec::ALL.into_iter().find(|s| s.name() == name.replace('-', "_"))
	}

	/// Data rows in the file.
	pub fn rows(self) -> usize {
		match self {
			Spec::Iris => 150,
			Spec::Wine => 178,
			Spec::BreastCancer => 569,
		}
	}

	/// The circuit shape.
	pub fn shape(self) -> Shape {
		let (inputs, classes) = match self {
			Spec::Iris => (4, 3),
			Spec::Wine => (13, 3),
			Spec::BreastCancer => (30, 2),
		};
		Shape { inputs, hidden: HIDDEN, classes, holdout: self.rows() / 5 }
	}

	/// How features are scaled.
	pub fn scaling(self) -> Scaling {
		match self {
			Spec::Iris => Scaling::Fixed,
			Spec::Wine | Spec::BreastCancer => Scaling::TrainingMinMax,
		}
	}

	fn from_header(rows: usize, features: usize) -> Option<Spec> {
		Spec::ALL.into_iter().find(|s| s.rows() == rows && s.shape().inputs == features)
	}
}

impl core::fmt::Display for Spec {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(self.name())
	}
}

/// Errors reading or checking data and models.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
	/// The file could not be read.
	#[error("{path}: {reason}")]
	Io {
		/// The file.
		path: String,
		/// Why.
		reason: std::io::Error,
	},
	/// The dataset is not one of the supported scikit-learn style CSVs.
	#[error("dataset line {line}: {reason}")]
	Dataset {
		/// 1-based line number (0: the file as a whole).
		line: usize,
		/// What is wrong.
		reason: String,
	},
	/// The model file is malformed or out of the circuit's bounds.
	#[error("model: {0}")]
	Model(String),
}

fn read_text(path: &Path) -> Result<String, DataError> {
	std::fs::read_to_string(path).map_err(|reason| DataError::Io { path: path.display().to_string(), reason })
}

/// One quantized sample.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
	/// Quantized features `x_q`, one per input.
	pub features: Vec<i64>,
	/// Class label, below the spec's class count.
	pub label: u8,
}

/// A quantized dataset (for the circuit: the holdout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dataset {
	/// Which dataset (and so which circuit shape).
	pub spec: Spec,
	/// The samples, in file order.
	pub samples: Vec<Sample>,
}

/// Parses a non-negative decimal like `5.1` or `0.0008948` exactly, in units of 10⁻⁹.
pub fn parse_decimal(text: &str) -> Option<i128> {
	let text = text.trim();
	let (int, frac) = text.split_once('.').unwrap_or((text, ""));
	if int.is_empty() || int.len() > 12 || frac.len() > 9 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
		return None;
	}
	let int: i128 = int.parse().ok()?;
	let frac: i128 = if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse().ok()? };
	Some(int * DECIMAL_SCALE + frac)
}

/// `round((x − lo) · 2¹² / (hi − lo))`, half up, clamped to `[0, 2¹² − 1]` (all in 10⁻⁹ units;
/// `hi > lo`).
pub fn quantize(x: i128, lo: i128, hi: i128) -> i64 {
	let range = hi - lo;
	let q = (2 * (x - lo) * (1 << FEATURE_BITS) + range).div_euclid(2 * range);
	q.clamp(0, (1 << FEATURE_BITS) - 1) as i64
}

impl Dataset {
	/// Reads a dataset CSV (header and every row) and returns all rows, quantized.
	pub fn read_csv(path: &Path) -> Result<Dataset, DataError> {
		Self::parse_csv(&read_text(path)?)
	}

	/// Parses a dataset CSV's text: the header names the spec, then every row is checked and
	/// quantized with the spec's scaling.
	pub fn parse_csv(text: &str) -> Result<Dataset, DataError> {
		let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
		let mut spec = None;
		let mut raw: Vec<(usize, Vec<i128>, u8)> = Vec::new();
		for (i, record) in reader.records().enumerate() {
			let line = i + 1;
			let record = record.map_err(|e| DataError::Dataset { line, reason: e.to_string() })?;
			let Some(spec) = spec else {
				let rows = record.get(0).and_then(|v| v.trim().parse::<usize>().ok());
				let features = record.get(1).and_then(|v| v.trim().parse::<usize>().ok());
				spec = Some(rows.zip(features).and_then(|(r, f)| Spec::from_header(r, f)).ok_or_else(|| DataError::Dataset {
					line,
					reason: "header must be `rows,features,class names…` of a supported dataset: \
					         150,4 (Iris), 178,13 (Wine) or 569,30 (Breast Cancer)"
						.into(),
				})?);
				continue;
			};
			let shape = spec.shape();
			if record.len() != shape.inputs + 1 {
				return Err(DataError::Dataset { line, reason: format!("expected {} fields, found {}", shape.inputs + 1, record.len()) });
			}
			let features = (0..shape.inputs)
				.map(|j| {
					parse_decimal(&record[j]).ok_or_else(|| DataError::Dataset {
						line,
						reason: format!("feature {} {:?} is not a non-negative decimal", j + 1, &record[j]),
					})
				})
				.collect::<Result<Vec<_>, _>>()?;
			if spec.scaling() == Scaling::Fixed {
				if let Some(j) = features.iter().position(|x| *x >= 16 * DECIMAL_SCALE) {
					return Err(DataError::Dataset { line, reason: format!("feature {} is not in [0, 16)", j + 1) });
				}
			}
			let label_text = &record[shape.inputs];
			let label = label_text.trim().parse::<u8>().ok().filter(|l| (*l as usize) < shape.classes).ok_or_else(|| {
				DataError::Dataset { line, reason: format!("label {label_text:?} is not a class index below {}", shape.classes) }
			})?;
			raw.push((line, features, label));
		}
		let spec = spec.ok_or(DataError::Dataset { line: 1, reason: "the file is empty".into() })?;
		if raw.len() != spec.rows() {
			return Err(DataError::Dataset { line: 0, reason: format!("{} has {} rows, found {}", spec.title(), spec.rows(), raw.len()) });
		}
		let inputs = spec.shape().inputs;
		let ranges: Vec<(i128, i128)> = match spec.scaling() {
			Scaling::Fixed => vec![(0, 16 * DECIMAL_SCALE); inputs],
			Scaling::TrainingMinMax => (0..inputs)
				.map(|j| {
					let column = raw.iter().enumerate().filter(|(i, _)| i % 5 != 4).map(|(_, (_, f, _))| f[j]);
					let (lo, hi) = column.fold((i128::MAX, i128::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
					// A constant feature carries no information; any positive range maps it to 0.
					(lo, hi.max(lo + 1))
				})
				.collect(),
		};
		let mut samples = Vec::with_capacity(raw.len());
		for (_, features, label) in raw {
			let features = features.iter().zip(&ranges).map(|(x, (lo, hi))| quantize(*x, *lo, *hi)).collect();
			samples.push(Sample { features, label });
		}
		Ok(Dataset { spec, samples })
	}

	/// The fixed holdout: rows with index % 5 == 4.
	pub fn holdout(&self) -> Result<Dataset, DataError> {
		let samples: Vec<Sample> = self.samples.iter().enumerate().filter(|(i, _)| i % 5 == 4).map(|(_, s)| s.clone()).collect();
		let expected = self.spec.shape().holdout;
		if samples.len() != expected {
			return Err(DataError::Dataset {
				line: 0,
				reason: format!("the holdout has {} rows, the {} circuit needs {expected}", samples.len(), self.spec.title()),
			});
		}
		Ok(Dataset { spec: self.spec, samples })
	}

	/// The training split: rows with index % 5 != 4.
	pub fn training(&self) -> Dataset {
		let samples = self.samples.iter().enumerate().filter(|(i, _)| i % 5 != 4).map(|(_, s)| s.clone()).collect();
		Dataset { spec: self.spec, samples }
	}

	/// Reads a dataset CSV and returns its holdout.
	pub fn read_holdout(path: &Path) -> Result<Dataset, DataError> {
		Self::read_csv(path)?.holdout()
	}

	/// The field elements of the dataset commitment, after the tag: `n, features, classes`,
	/// then each sample's packed values (module docs).
	pub fn commitment_elements(&self) -> Vec<Fr> {
		let shape = self.spec.shape();
		let mut elements = vec![Fr::from(self.samples.len() as u64), Fr::from(shape.inputs as u64), Fr::from(shape.classes as u64)];
		for sample in &self.samples {
			let values: Vec<u64> = sample.features.iter().map(|v| *v as u64).chain([sample.label as u64]).collect();
			for chunk in values.chunks(PACK) {
				let packed = chunk.iter().rev().fold(Fr::from(0u64), |acc, v| acc * Fr::from(1u64 << FEATURE_BITS) + Fr::from(*v));
				elements.push(packed);
			}
		}
		elements
	}

	/// The dataset commitment: see the module docs.
	pub fn commitment(&self) -> Fr {
		let mut elements = vec![tag(DATASET_TAG)];
		elements.extend(self.commitment_elements());
		poseidon::hash(&elements)
	}
}

/// An n-8-c ReLU MLP in fixed point, as stored in a model file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Model {
	/// Layer-1 weights, `hidden × inputs`, scale 2⁸.
	pub w1: Vec<Vec<i64>>,
	/// Layer-1 biases, scale 2¹⁶.
	pub b1: Vec<i64>,
	/// Layer-2 weights, `classes × hidden`, scale 2⁸.
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
	/// Reads a model file (`circuits/models/*.json`) and checks its shape and bounds.
	pub fn read(path: &Path) -> Result<Model, DataError> {
		Self::parse(&read_text(path)?)
	}

	/// Parses a model file and checks it fits one of the supported datasets and the bounds.
	pub fn parse(text: &str) -> Result<Model, DataError> {
		let file: ModelFile = serde_json::from_str(text).map_err(|e| DataError::Model(e.to_string()))?;
		if file.format != "cloudana-mlp-v1" {
			return Err(DataError::Model(format!("format is {:?}, expected \"cloudana-mlp-v1\"", file.format)));
		}
		if file.scale_bits != SCALE_BITS {
			return Err(DataError::Model(format!("scale_bits is {}, the circuits take {SCALE_BITS}", file.scale_bits)));
		}
		let spec = Spec::ALL
			.into_iter()
			.find(|s| {
				let shape = s.shape();
				file.layers == [shape.inputs, shape.hidden, shape.classes]
			})
			.ok_or_else(|| DataError::Model(format!("layers {:?} fit no supported dataset (4-8-3, 13-8-3, 30-8-2)", file.layers)))?;
		file.model.check(spec)?;
		Ok(file.model)
	}

	/// `(inputs, hidden, classes)`, read from the weights.
	pub fn dims(&self) -> (usize, usize, usize) {
		(self.w1.first().map_or(0, Vec::len), self.b1.len(), self.b2.len())
	}

	/// Checks the model has `spec`'s shape and the fixed-point bounds the circuit relies on.
	pub fn check(&self, spec: Spec) -> Result<(), DataError> {
		let Shape { inputs, hidden, classes, .. } = spec.shape();
		let shape_ok = self.w1.len() == hidden
			&& self.w1.iter().all(|r| r.len() == inputs)
			&& self.b1.len() == hidden
			&& self.w2.len() == classes
			&& self.w2.iter().all(|r| r.len() == hidden)
			&& self.b2.len() == classes;
		if !shape_ok {
			return Err(DataError::Model(format!("weights do not have the {inputs}-{hidden}-{classes} shape of {}", spec.title())));
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
	pub fn layer1(&self, x: &[i64]) -> Vec<i64> {
		self.w1.iter().zip(&self.b1).map(|(row, b)| row.iter().zip(x).map(|(w, x)| w * x).sum::<i64>() + b).collect()
	}

	/// Layer-2 outputs `z2 = W2·max(z1, 0) + b2` (scale 2²⁴).
	pub fn logits(&self, x: &[i64]) -> Vec<i64> {
		let h: Vec<i64> = self.layer1(x).into_iter().map(|z| z.max(0)).collect();
		self.w2.iter().zip(&self.b2).map(|(row, b)| row.iter().zip(&h).map(|(w, h)| w * h).sum::<i64>() + b).collect()
	}

	/// The predicted class: `argmax` of the logits, ties to the lowest index.
	pub fn predict(&self, x: &[i64]) -> u8 {
		let z = self.logits(x);
		let mut best = 0;
		for k in 1..z.len() {
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
		let mut out = Vec::new();
		out.extend(self.w1.iter().flatten());
		out.extend(&self.b1);
		out.extend(self.w2.iter().flatten());
		out.extend(&self.b2);
		out
	}

	/// The model commitment: see the module docs.
	pub fn commitment(&self) -> Fr {
		let (inputs, hidden, classes) = self.dims();
		let mut elements = vec![tag(MODEL_TAG), Fr::from(inputs as u64), Fr::from(hidden as u64), Fr::from(classes as u64)];
		elements.extend(self.parameters().into_iter().map(|v| to_field(v as i128)));
		poseidon::hash(&elements)
	}

	/// An all-zero model of `spec`'s shape (for setup, where values do not matter).
	pub fn zero(spec: Spec) -> Model {
		let Shape { inputs, hidden, classes, .. } = spec.shape();
		Model { w1: vec![vec![0; inputs]; hidden], b1: vec![0; hidden], w2: vec![vec![0; hidden]; classes], b2: vec![0; classes] }
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

	fn fixed(text: &str) -> Option<i64> {
		parse_decimal(text).map(|x| quantize(x, 0, 16 * DECIMAL_SCALE))
	}

	#[test]
	fn features_quantize_exactly() {
		assert_eq!(fixed("5.1"), Some(1306)); // 5.1 · 256 = 1305.6
		assert_eq!(fixed("0.2"), Some(51)); // 51.2
		assert_eq!(fixed("7"), Some(1792));
		assert_eq!(fixed("0.5"), Some(128));
		assert_eq!(fixed("-1.0"), None);
		assert_eq!(fixed("abc"), None);
		assert_eq!(fixed(""), None);
		assert_eq!(parse_decimal("0.0008948"), Some(894_800));
		// Min–max: the ends map to 0 and 4095 (4096 clamped), the middle to 2048.
		assert_eq!(quantize(10, 10, 20), 0);
		assert_eq!(quantize(20, 10, 20), 4095);
		assert_eq!(quantize(15, 10, 20), 2048);
		assert_eq!(quantize(5, 10, 20), 0);
	}

	#[test]
	fn shapes_and_bounds() {
		assert_eq!(Spec::Iris.shape(), Shape { inputs: 4, hidden: 8, classes: 3, holdout: 30 });
		assert_eq!((Spec::Iris.shape().z1_bits(), Spec::Iris.shape().z2_bits()), (32, 51));
		assert_eq!(Spec::Wine.shape().holdout, 35);
		assert_eq!(Spec::Wine.shape().z1_bits(), 32);
		assert_eq!(Spec::BreastCancer.shape().holdout, 113);
		assert_eq!((Spec::BreastCancer.shape().z1_bits(), Spec::BreastCancer.shape().z2_bits()), (33, 52));
		for spec in Spec::ALL {
			assert_eq!(Spec::from_name(spec.name()), Some(spec));
			// The bound holds with every weight and feature at its extreme.
			let shape = spec.shape();
			let z1 = shape.inputs as i128 * ((1 << WEIGHT_BITS) - 1) * ((1 << FEATURE_BITS) - 1) + (1 << BIAS1_BITS) - 1;
			assert!(z1 < 1 << shape.z1_bits());
			let z2 = shape.hidden as i128 * ((1 << WEIGHT_BITS) - 1) * ((1i128 << shape.z1_bits()) - 1) + (1i128 << BIAS2_BITS) - 1;
			assert!(z2 < 1 << shape.z2_bits());
		}
		assert_eq!(Spec::from_name("breast-cancer"), Some(Spec::BreastCancer));
		assert_eq!(Spec::from_name("digits"), None);
	}

	#[test]
	fn bad_csv_is_refused_with_line() {
		let err = Dataset::parse_csv("150,4,a,b,c\n5.1,3.5,1.4,0.2,7\n").unwrap_err();
		assert!(err.to_string().contains("line 2"), "{err}");
		let err = Dataset::parse_csv("150,5,a,b,c\n").unwrap_err();
		assert!(err.to_string().contains("header"), "{err}");
		let err = Dataset::parse_csv("150,4,a,b,c\n5.1,3.5,1.4,0.2,0\n").unwrap_err();
		assert!(err.to_string().contains("150 rows, found 1"), "{err}");
		let err = Dataset::parse_csv("150,4,a,b,c\n5.1,3.5,16.0,0.2,0\n").unwrap_err();
		assert!(err.to_string().contains("[0, 16)"), "{err}");
	}

	#[test]
	fn out_of_bounds_model_is_refused() {
		let mut model = Model::zero(Spec::Iris);
		model.w1[0][0] = 1 << 15;
		assert!(model.check(Spec::Iris).is_err());
		let mut model = Model::zero(Spec::Iris);
		model.b2.pop();
		assert!(model.check(Spec::Iris).is_err());
		assert!(Model::zero(Spec::Wine).check(Spec::Iris).is_err());
		assert!(Model::zero(Spec::Wine).check(Spec::Wine).is_ok());
	}

	#[test]
	fn argmax_ties_go_to_the_lowest_index() {
		let model = Model::zero(Spec::Iris);
		assert_eq!(model.predict(&[0; 4]), 0);
		let mut model = Model::zero(Spec::Iris);
		model.b2 = vec![0, 5, 5];
		assert_eq!(model.predict(&[0; 4]), 1);
	}

	#[test]
	fn packing_is_little_endian_twelve_bit_limbs() {
		let data = Dataset { spec: Spec::Iris, samples: vec![Sample { features: vec![1, 2, 3, 4], label: 2 }] };
		let packed = Fr::from(1u64 + (2 << 12) + (3 << 24) + (4 << 36) + (2 << 48));
		assert_eq!(data.commitment_elements(), vec![Fr::from(1u64), Fr::from(4u64), Fr::from(3u64), packed]);
		// 31 values (Breast Cancer): two elements per sample.
		let data = Dataset { spec: Spec::BreastCancer, samples: vec![Sample { features: vec![0; 30], label: 1 }] };
		assert_eq!(data.commitment_elements().len(), 3 + 2);
	}
}
