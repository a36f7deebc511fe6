//! Deterministic fixed-point training of the n-8-c MLP, for multi-slot (grid) jobs.
//!
//! A grid slot names hyper-parameters; the prover trains a model with them on the dataset's
//! training split (the rows with index % 5 ≠ 4: 120 of Iris, 143 of Wine, 456 of Breast
//! Cancer, quantized as [`crate::mlp`] says) and proves the trained model's holdout accuracy
//! with the accuracy circuit. **Training is not proven**: the proof guarantees that *the
//! committed model* classifies *the committed holdout* with the proven count, nothing about how
//! the model was obtained. Training is deterministic (integer arithmetic only, a seeded
//! generator), so anyone can re-train a slot and get the same model, bit for bit, and the
//! same accuracy: `scripts/grid-demo.sh` replays every slot that way.
//!
//! ## Hyper-parameters
//!
//! Text, as a slot stores them: `lr=0.05,epochs=30,hidden=8` ([`HyperParams::parse`]):
//! - `lr`: the learning rate, a decimal with at most 6 fractional digits, in (0, 1];
//! - `epochs`: passes over the training split, 1 to 1 000;
//! - `hidden`: hidden units used, 1 to 8 (the circuit has 8; units beyond `hidden` keep zero
//!   weights, so they output nothing).
//!
//! ## Algorithm
//!
//! Stochastic gradient descent on the mean squared error against one-hot targets, one sample at
//! a time, in a seeded order. Parameters are kept at a finer scale than the circuit's
//! (weights 2¹⁶, layer-1 biases 2²⁴, layer-2 biases 2³²) and rounded to the circuit's at the
//! end ([`to_model`]: weights 2⁸, biases 2¹⁶ and 2²⁴, clamped to the circuit's bounds). With
//! features `x` at 2⁸:
//!
//! ```text
//! z1 = W1·x + b1 (2²⁴)   h = max(z1, 0) / 2⁸ (2¹⁶)   z2 = W2·h + b2 (2³²)   y = z2 / 2¹⁶ (2¹⁶)
//! e = y − onehot (2¹⁶)
//! W2 -= lr·e·hᵀ / 2¹⁶     b2 -= lr·e·2¹⁶     d = (W2ᵀ·e / 2¹⁶) ⊙ [z1 > 0]
//! W1 -= lr·d·xᵀ / 2⁸      b1 -= lr·d·2⁸
//! ```
//!
//! `lr` is applied as `lr_ppm · g / 10⁶` in 128-bit integers (division truncates toward zero).
//! Initial weights are uniform in [−a, a) from the seed, with `a = 0.5` for up to 4 inputs and
//! `a = 0.5·√(4/n)` for `n` inputs beyond (so layer-1 activations start at the same size for
//! every dataset; the width is computed in integers: [`init_half_width`]); biases start at 0.
//!
//! ## Seeds
//!
//! The generator is SplitMix64 (Steele, Lea, Flood: *Fast splittable pseudorandom number
//! generators*, OOPSLA 2014). A grid slot's seed is [`slot_seed`]`(grid, slot)`.

use crate::mlp::{Dataset, Model, BIAS1_BITS, BIAS2_BITS, HIDDEN, WEIGHT_BITS};

/// One slot's hyper-parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HyperParams {
	/// Learning rate in millionths (`lr=0.05` is 50 000).
	pub lr_ppm: u32,
	/// Passes over the training split.
	pub epochs: u32,
	/// Hidden units used, 1 to 8.
	pub hidden: usize,
}

/// Why hyper-parameters were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamsError(pub String);

impl core::fmt::Display for ParamsError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "bad hyper-parameters: {}", self.0)
	}
}

impl std::error::Error for ParamsError {}

fn parse_ppm(text: &str) -> Option<u32> {
	let (int, frac) = text.split_once('.').unwrap_or((text, ""));
	if int.is_empty() || frac.len() > 6 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
		return None;
	}
	let int: u64 = int.parse().ok()?;
	let frac: u64 = format!("{frac:0<6}").parse().ok()?;
	u32::try_from(int.checked_mul(1_000_000)?.checked_add(frac)?).ok()
}

impl HyperParams {
	/// Parses `lr=…,epochs=…,hidden=…` (keys in any order; `hidden` defaults to 8).
	pub fn parse(text: &str) -> Result<HyperParams, ParamsError> {
		let (mut lr, mut epochs, mut hidden) = (None, None, HIDDEN);
		for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
			let (key, value) = part.split_once('=').ok_or_else(|| ParamsError(format!("{part:?} is not key=value")))?;
			match key.trim() {
				"lr" => lr = Some(parse_ppm(value.trim()).ok_or_else(|| ParamsError(format!("lr {value:?} is not a decimal")))?),
				"epochs" => epochs = Some(value.trim().parse::<u32>().map_err(|_| ParamsError(format!("epochs {value:?} is not a whole number")))?),
				"hidden" => hidden = value.trim().parse::<usize>().map_err(|_| ParamsError(format!("hidden {value:?} is not a whole number")))?,
				other => return Err(ParamsError(format!("unknown key {other:?} (lr, epochs, hidden)"))),
			}
		}
		let lr_ppm = lr.ok_or_else(|| ParamsError("lr is missing".into()))?;
		let epochs = epochs.ok_or_else(|| ParamsError("epochs is missing".into()))?;
		if lr_ppm == 0 || lr_ppm > 1_000_000 {
			return Err(ParamsError("lr must be in (0, 1]".into()));
		}
		if epochs == 0 || epochs > 1_000 {
			return Err(ParamsError("epochs must be 1 to 1000".into()));
		}
		if hidden == 0 || hidden > HIDDEN {
			return Err(ParamsError(format!("hidden must be 1 to {HIDDEN}")));
		}
		Ok(HyperParams { lr_ppm, epochs, hidden })
	}

	/// The canonical text: `lr=<decimal>,epochs=<n>,hidden=<n>`.
	pub fn to_text(&self) -> String {
		let frac = format!("{:06}", self.lr_ppm % 1_000_000);
		let frac = frac.trim_end_matches('0');
		let lr = if frac.is_empty() { format!("{}", self.lr_ppm / 1_000_000) } else { format!("{}.{frac}", self.lr_ppm / 1_000_000) };
		format!("lr={lr},epochs={},hidden={}", self.epochs, self.hidden)
	}
}

/// SplitMix64: the seeded generator of initial weights and sample order.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
	/// A generator from `seed`.
	pub fn new(seed: u64) -> Self {
		SplitMix64(seed)
	}

	/// The next 64 bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}

	/// Uniform in `0..n` (`n > 0`), by rejection so it is unbiased.
	pub fn below(&mut self, n: u64) -> u64 {
		let zone = u64::MAX - u64::MAX % n;
		loop {
			let v = self.next_u64();
			if v < zone {
				return v % n;
			}
		}
	}
}

/// The seed of `slot` of grid job `grid`: SplitMix64 seeded with `grid`, advanced once, xor
/// `slot`, advanced once more.
pub fn slot_seed(grid: u64, slot: u32) -> u64 {
	let first = SplitMix64::new(grid).next_u64();
	SplitMix64::new(first ^ slot as u64).next_u64()
}

/// Parameters at training scale (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trainer {
	w1: Vec<Vec<i64>>,
	b1: Vec<i64>,
	w2: Vec<Vec<i64>>,
	b2: Vec<i64>,
	hidden: usize,
}

const ONE: i64 = 1 << 16;

fn step(lr_ppm: u32, gradient: i128) -> i64 {
	let delta = (lr_ppm as i128 * gradient) / 1_000_000;
	delta.clamp(i64::MIN as i128 / 4, i64::MAX as i128 / 4) as i64
}

/// Half-width `a` of the initial layer-1 weights at scale 2¹⁶: `2¹⁵` for up to 4 inputs,
/// `⌊2¹⁵·√(4/n)⌋` beyond (integer square root of `2³⁰·4/n`). Layer-2 weights always use `2¹⁵`.
pub fn init_half_width(inputs: usize) -> i64 {
	if inputs <= 4 {
		return ONE / 2;
	}
	let target = (1u64 << 32) / inputs as u64;
	let mut r = (target as f64).sqrt() as u64;
	while r * r > target {
		r -= 1;
	}
	while (r + 1) * (r + 1) <= target {
		r += 1;
	}
	r as i64
}

impl Trainer {
	fn new(inputs: usize, classes: usize, hidden: usize, rng: &mut SplitMix64) -> Self {
		let mut weight = |used: bool, half: i64| if used { rng.below(2 * half as u64) as i64 - half } else { 0 };
		let first = init_half_width(inputs);
		let mut w1 = vec![vec![0; inputs]; HIDDEN];
		for (j, row) in w1.iter_mut().enumerate() {
			for w in row.iter_mut() {
				*w = weight(j < hidden, first);
			}
		}
		let mut w2 = vec![vec![0; HIDDEN]; classes];
		for row in w2.iter_mut() {
			for (j, w) in row.iter_mut().enumerate() {
				*w = weight(j < hidden, ONE / 2);
			}
		}
		Trainer { w1, b1: vec![0; HIDDEN], w2, b2: vec![0; classes], hidden }
	}

	fn train_one(&mut self, x: &[i64], label: u8, lr_ppm: u32) {
		let classes = self.b2.len();
		let mut z1 = [0i64; HIDDEN];
		let mut h = [0i64; HIDDEN];
		for j in 0..self.hidden {
			z1[j] = self.w1[j].iter().zip(x).map(|(w, x)| w.saturating_mul(*x)).fold(self.b1[j], i64::saturating_add);
			h[j] = z1[j].max(0) >> 8;
		}
		let mut e = vec![0i64; classes];
		for k in 0..classes {
			let z2 = self.w2[k][..self.hidden]
				.iter()
				.zip(&h)
				.map(|(w, h)| w.saturating_mul(*h))
				.fold(self.b2[k], i64::saturating_add);
			let target = if k == label as usize { ONE } else { 0 };
			e[k] = (z2 >> 16).saturating_sub(target);
		}
		for j in 0..self.hidden {
			let back: i128 = (0..classes).map(|k| self.w2[k][j] as i128 * e[k] as i128).sum::<i128>() >> 16;
			let d = if z1[j] > 0 { back } else { 0 };
			for i in 0..x.len() {
				self.w1[j][i] = self.w1[j][i].saturating_sub(step(lr_ppm, (d * x[i] as i128) >> 8));
			}
			self.b1[j] = self.b1[j].saturating_sub(step(lr_ppm, d << 8));
		}
		for k in 0..classes {
			for j in 0..self.hidden {
				self.w2[k][j] = self.w2[k][j].saturating_sub(step(lr_ppm, (e[k] as i128 * h[j] as i128) >> 16));
			}
			self.b2[k] = self.b2[k].saturating_sub(step(lr_ppm, (e[k] as i128) << 16));
		}
	}
}

fn round_shift(v: i64, bits: u32) -> i64 {
	(v + (1 << (bits - 1))) >> bits
}

fn clamp_bits(v: i64, bits: u32) -> i64 {
	let max = (1i64 << bits) - 1;
	v.clamp(-max, max)
}

/// The circuit's model from training-scale parameters: rounded to nearest, clamped to the
/// circuit's bounds (so [`Model::check`] always passes).
pub fn to_model(t: &Trainer) -> Model {
	Model {
		w1: t.w1.iter().map(|r| r.iter().map(|w| clamp_bits(round_shift(*w, 8), WEIGHT_BITS)).collect()).collect(),
		b1: t.b1.iter().map(|b| clamp_bits(round_shift(*b, 8), BIAS1_BITS)).collect(),
		w2: t.w2.iter().map(|r| r.iter().map(|w| clamp_bits(round_shift(*w, 8), WEIGHT_BITS)).collect()).collect(),
		b2: t.b2.iter().map(|b| clamp_bits(round_shift(*b, 8), BIAS2_BITS)).collect(),
	}
}

/// Trains a model of `training.spec`'s shape on `training` with `params` from `seed`:
/// deterministic, bit for bit.
pub fn train(training: &Dataset, params: &HyperParams, seed: u64) -> Model {
	let mut rng = SplitMix64::new(seed);
	let shape = training.spec.shape();
	let mut trainer = Trainer::new(shape.inputs, shape.classes, params.hidden, &mut rng);
	let mut order: Vec<usize> = (0..training.samples.len()).collect();
	for _ in 0..params.epochs {
		for i in (1..order.len()).rev() {
			let j = rng.below(i as u64 + 1) as usize;
			order.swap(i, j);
		}
		for &i in &order {
			let sample = &training.samples[i];
			trainer.train_one(&sample.features, sample.label, params.lr_ppm);
		}
	}
	to_model(&trainer)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hyper_params_parse_and_print() {
		let p = HyperParams::parse("epochs=30, lr=0.05").unwrap();
		assert_eq!(p, HyperParams { lr_ppm: 50_000, epochs: 30, hidden: 8 });
		assert_eq!(p.to_text(), "lr=0.05,epochs=30,hidden=8");
		assert_eq!(HyperParams::parse(&p.to_text()).unwrap(), p);
		assert_eq!(HyperParams::parse("lr=1,epochs=1,hidden=3").unwrap().to_text(), "lr=1,epochs=1,hidden=3");
		for bad in ["", "lr=0.1", "epochs=3", "lr=0,epochs=3", "lr=1.5,epochs=3", "lr=0.1,epochs=0", "lr=0.1,epochs=3,hidden=9",
			"lr=0.1,epochs=3,depth=2", "lr=x,epochs=3", "lr=0.0000001,epochs=3", "lr"]
		{
			assert!(HyperParams::parse(bad).is_err(), "{bad:?} should be refused");
		}
	}

	#[test]
	fn splitmix_is_the_published_generator() {
		// First outputs for seed 0 (reference implementation by Vigna).
		let mut g = SplitMix64::new(0);
		assert_eq!(g.next_u64(), 0xe220_a839_7b1d_cdaf);
		assert_eq!(g.next_u64(), 0x6e78_9e6a_a1b9_65f4);
		assert_ne!(slot_seed(1, 0), slot_seed(0, 1));
		assert_ne!(slot_seed(7, 2), slot_seed(7, 3));
	}
}
