//! # Cloudana's GPU proving engine
//!
//! [`Gpu`] is a [`cloudana_circuits::engine::Engine`]: a Groth16 proof's multi-scalar
//! multiplications (G1 and G2) and the quotient's NTTs run as kernels on a [`Device`], the
//! rest on the CPU. Its results are the same group and field elements as the CPU engine's, so a
//! proof is the same bytes for the same `r`, `s`.
//!
//! - The kernels are one CUDA C source, [`SOURCE`] (`kernels/bn254.cu`): BN254 Fq, Fq2 and Fr
//!   in Montgomery form (8×32-bit limbs, CIOS), Jacobian point arithmetic, Pippenger's bucket
//!   MSM, radix-2 NTT and the quotient's element-wise steps. Its header comment gives the byte
//!   layouts.
//! - [`cuda::Cuda`] (feature `cuda`) runs them on an NVIDIA GPU: cudarc loads libcuda and
//!   libnvrtc at run time, NVRTC compiles [`SOURCE`] to PTX at start (cached on disk by the
//!   hash of source, options and NVRTC version), and the proving keys' points stay resident on
//!   the device (one upload per key).
//! - [`emulator::Emulator`] runs the same source compiled as host C++, thread by thread: the
//!   kernels' arithmetic and indexing are tested against arkworks on machines without a GPU.
//!
//! What the host does: choosing the MSM's window and chunks, combining the windows (Horner), the
//! NTTs' twiddle and power tables, and the conversions between arkworks' values and the kernel
//! layouts (arkworks stores field elements in the same Montgomery form, so these are copies).

pub mod checks;
pub mod emulator;
#[cfg(feature = "cuda")]
pub mod cuda;

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{BigInt, Field, One, Zero};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use cloudana_circuits::engine::{Coset, Engine, EngineError};
use std::{collections::HashMap, sync::Mutex};

/// The kernels' CUDA C source.
pub const SOURCE: &str = include_str!("../kernels/bn254.cu");

/// The kernels of [`SOURCE`]; the discriminants are the emulator's kernel ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Kernel {
	/// Buckets and window sums per (chunk, window), G1.
	MsmG1Partial = 0,
	/// The chunks' sums per window, G1.
	MsmG1Reduce = 1,
	/// Buckets and window sums per (chunk, window), G2.
	MsmG2Partial = 2,
	/// The chunks' sums per window, G2.
	MsmG2Reduce = 3,
	/// Montgomery form to canonical, in place.
	FrFromMontgomery = 4,
	/// Bit-reversal permutation.
	FrBitReverse = 5,
	/// One radix-2 butterfly level.
	NttStage = 6,
	/// Multiplication by tabulated powers.
	FrScalePowers = 7,
	/// Pointwise product.
	FrMulElements = 8,
	/// `(a·b − c)·scale`.
	FrQuotient = 9,
}

impl Kernel {
	/// Every kernel.
	pub const ALL: [Kernel; 10] = [
		Kernel::MsmG1Partial,
		Kernel::MsmG1Reduce,
		Kernel::MsmG2Partial,
		Kernel::MsmG2Reduce,
		Kernel::FrFromMontgomery,
		Kernel::FrBitReverse,
		Kernel::NttStage,
		Kernel::FrScalePowers,
		Kernel::FrMulElements,
		Kernel::FrQuotient,
	];

	/// Its `extern "C"` name in [`SOURCE`].
	pub fn name(self) -> &'static str {
		match self {
			Kernel::MsmG1Partial => "msm_g1_partial",
			Kernel::MsmG1Reduce => "msm_g1_reduce",
			Kernel::MsmG2Partial => "msm_g2_partial",
			Kernel::MsmG2Reduce => "msm_g2_reduce",
			Kernel::FrFromMontgomery => "fr_from_montgomery",
			Kernel::FrBitReverse => "fr_bit_reverse",
			Kernel::NttStage => "ntt_stage",
			Kernel::FrScalePowers => "fr_scale_powers",
			Kernel::FrMulElements => "fr_mul_elements",
			Kernel::FrQuotient => "fr_quotient",
		}
	}
}

/// A kernel argument: a device buffer or a 32-bit integer.
pub enum Arg<'a, B> {
	/// A buffer (a pointer to 32-bit words).
	Buf(&'a B),
	/// An integer.
	U32(u32),
}

/// Where kernels run: a GPU, or the emulator.
pub trait Device: Send + Sync {
	/// Device memory: 32-bit words.
	type Buffer: Send + Sync;

	/// A name for logs.
	fn name(&self) -> String;

	/// How many threads an MSM should spread over (the emulator: 1 per window).
	fn parallelism(&self) -> u32;

	/// Copies `words` to the device.
	fn upload(&self, words: &[u32]) -> Result<Self::Buffer, EngineError>;

	/// `len` zero words on the device.
	fn zeroed(&self, len: usize) -> Result<Self::Buffer, EngineError>;

	/// Copies a buffer back (`out.len()` words).
	fn download(&self, buffer: &Self::Buffer, out: &mut [u32]) -> Result<(), EngineError>;

	/// Runs `kernel` on `threads` threads (the kernels ignore threads past their count) and
	/// waits for it.
	fn launch(&self, kernel: Kernel, threads: u32, args: &[Arg<'_, Self::Buffer>]) -> Result<(), EngineError>;
}

/// Words per element: Fr and Fq 8, Fq2 16.
const FIELD_WORDS: usize = 8;
/// Scalar bits: Fr's modulus is below 2²⁵⁴.
const SCALAR_BITS: u32 = 254;

/// The group-specific part of the MSM: layouts and kernels of G1 and G2.
pub trait Curve {
	/// arkworks' affine point.
	type Affine: AffineRepr<ScalarField = Fr, Group = Self::Projective> + Send + Sync;
	/// arkworks' Jacobian point.
	type Projective: CurveGroup<ScalarField = Fr, Affine = Self::Affine>
		+ VariableBaseMSM<MulBase = Self::Affine>
		+ ark_ff::UniformRand
		+ Send
		+ Sync;
	/// Words of an affine point.
	const AFFINE_WORDS: usize;
	/// The partial-sums kernel.
	const PARTIAL: Kernel;
	/// The reduction kernel.
	const REDUCE: Kernel;
	/// Appends `point`'s words (x ‖ y; zeros for infinity).
	fn push_affine(point: &Self::Affine, out: &mut Vec<u32>);
	/// A Jacobian point from its words (X ‖ Y ‖ Z; Z = 0 is infinity).
	fn jacobian(words: &[u32]) -> Self::Projective;
}

/// arkworks' 4×64-bit limbs as 8 little-endian 32-bit words.
fn limbs_to_words(limbs: &[u64; 4], out: &mut [u32]) {
	for (i, limb) in limbs.iter().enumerate() {
		out[2 * i] = *limb as u32;
		out[2 * i + 1] = (*limb >> 32) as u32;
	}
}

/// 8 little-endian 32-bit words as arkworks' 4×64-bit limbs.
fn words_to_limbs(words: &[u32]) -> BigInt<4> {
	BigInt(std::array::from_fn(|i| words[2 * i] as u64 | (words[2 * i + 1] as u64) << 32))
}

fn push_field(value: &Fq, out: &mut Vec<u32>) {
	let mut words = [0u32; FIELD_WORDS];
	limbs_to_words(&value.0 .0, &mut words);
	out.extend(words);
}

fn field(words: &[u32]) -> Fq {
	Fq::new_unchecked(words_to_limbs(words))
}

fn scalar_words(value: &Fr, out: &mut [u32]) {
	limbs_to_words(&value.0 .0, out);
}

fn scalar(words: &[u32]) -> Fr {
	Fr::new_unchecked(words_to_limbs(words))
}

/// Field elements (Montgomery form, as arkworks stores them) as words.
pub fn fr_words(values: &[Fr]) -> Vec<u32> {
	let mut out = vec![0u32; values.len() * FIELD_WORDS];
	use rayon::prelude::*;
	out.par_chunks_mut(FIELD_WORDS).zip(values.par_iter()).for_each(|(out, v)| scalar_words(v, out));
	out
}

/// Words back into field elements.
pub fn words_fr(words: &[u32]) -> Vec<Fr> {
	use rayon::prelude::*;
	words.par_chunks(FIELD_WORDS).map(scalar).collect()
}

/// G1 over Fq.
pub struct G1;

impl Curve for G1 {
	type Affine = G1Affine;
	type Projective = G1Projective;
	const AFFINE_WORDS: usize = 2 * FIELD_WORDS;
	const PARTIAL: Kernel = Kernel::MsmG1Partial;
	const REDUCE: Kernel = Kernel::MsmG1Reduce;

	fn push_affine(point: &G1Affine, out: &mut Vec<u32>) {
		if point.infinity {
			out.extend([0u32; 2 * FIELD_WORDS]);
		} else {
			push_field(&point.x, out);
			push_field(&point.y, out);
		}
	}

	fn jacobian(words: &[u32]) -> G1Projective {
		let z = field(&words[16..24]);
		if z.is_zero() {
			return G1Projective::zero();
		}
		G1Projective::new_unchecked(field(&words[0..8]), field(&words[8..16]), z)
	}
}

/// G2 over Fq2.
pub struct G2;

fn fq2(words: &[u32]) -> Fq2 {
	Fq2::new(field(&words[0..8]), field(&words[8..16]))
}

impl Curve for G2 {
	type Affine = G2Affine;
	type Projective = G2Projective;
	const AFFINE_WORDS: usize = 4 * FIELD_WORDS;
	const PARTIAL: Kernel = Kernel::MsmG2Partial;
	const REDUCE: Kernel = Kernel::MsmG2Reduce;

	fn push_affine(point: &G2Affine, out: &mut Vec<u32>) {
		if point.infinity {
			out.extend([0u32; 4 * FIELD_WORDS]);
		} else {
			for c in [&point.x.c0, &point.x.c1, &point.y.c0, &point.y.c1] {
				push_field(c, out);
			}
		}
	}

	fn jacobian(words: &[u32]) -> G2Projective {
		let z = fq2(&words[32..48]);
		if z.is_zero() {
			return G2Projective::zero();
		}
		G2Projective::new_unchecked(fq2(&words[0..16]), fq2(&words[16..32]), z)
	}
}

/// An MSM's shape: window bits `c`, windows, points per chunk, chunks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MsmPlan {
	/// Window bits (buckets per thread: 2^c − 1).
	pub c: u32,
	/// ⌈254 / c⌉.
	pub windows: u32,
	/// Points per thread.
	pub chunk: u32,
	/// Chunks (threads = chunks × windows).
	pub chunks: u32,
}

impl MsmPlan {
	/// A plan for `n` points over about `parallelism` threads: chunks of at least one point,
	/// `c` ≈ log₂(chunk) − 2 in 2..=8 (bucket sums cost 2·2^c additions against `chunk` mixed
	/// additions), so that buckets stay at most 255 per thread.
	pub fn new(n: usize, parallelism: u32) -> MsmPlan {
		let n = n.max(1) as u64;
		let windows_guess = SCALAR_BITS.div_ceil(8) as u64;
		let chunks = (parallelism as u64 / windows_guess).clamp(1, n);
		let chunk = n.div_ceil(chunks);
		let c = (chunk.max(1).ilog2().saturating_sub(2)).clamp(2, 8);
		let windows = SCALAR_BITS.div_ceil(c);
		let chunks = n.div_ceil(chunk) as u32;
		MsmPlan { c, windows, chunk: chunk as u32, chunks }
	}

	/// Threads of the partial-sums kernel.
	pub fn threads(&self) -> u32 {
		self.chunks * self.windows
	}
}

/// Bounds on what one engine keeps resident: proving-key point sets.
const MAX_RESIDENT_BASES: usize = 32;

/// A GPU engine over a [`Device`].
pub struct Gpu<D: Device> {
	device: D,
	/// Point sets uploaded once (a proving key's queries), by address, length and a hash of
	/// their first and last points. The key outlives the engine's use of it in the daemon; the
	/// hash guards against another key at a reused address.
	resident: Mutex<HashMap<(usize, usize, [u8; 32]), std::sync::Arc<D::Buffer>>>,
	/// Twiddle tables by domain size and direction.
	twiddles: Mutex<HashMap<(usize, bool), std::sync::Arc<D::Buffer>>>,
	/// One MSM or quotient at a time on the device.
	busy: Mutex<()>,
}

impl<D: Device> Gpu<D> {
	/// An engine on `device`.
	pub fn new(device: D) -> Gpu<D> {
		Gpu { device, resident: Mutex::default(), twiddles: Mutex::default(), busy: Mutex::default() }
	}

	/// The device.
	pub fn device(&self) -> &D {
		&self.device
	}

	fn bases<C: Curve>(&self, bases: &[C::Affine]) -> Result<std::sync::Arc<D::Buffer>, EngineError> {
		use sha2::{Digest, Sha256};
		let mut first_last = Vec::new();
		if let (Some(first), Some(last)) = (bases.first(), bases.last()) {
			C::push_affine(first, &mut first_last);
			C::push_affine(last, &mut first_last);
		}
		let hash: [u8; 32] = Sha256::digest(first_last.iter().flat_map(|w| w.to_le_bytes()).collect::<Vec<u8>>()).into();
		let key = (bases.as_ptr() as usize, bases.len(), hash);
		if let Some(buffer) = self.resident.lock().expect("resident lock").get(&key) {
			return Ok(buffer.clone());
		}
		let mut words = Vec::with_capacity(bases.len() * C::AFFINE_WORDS);
		for point in bases {
			C::push_affine(point, &mut words);
		}
		let buffer = std::sync::Arc::new(self.device.upload(&words)?);
		let mut resident = self.resident.lock().expect("resident lock");
		if resident.len() >= MAX_RESIDENT_BASES {
			resident.clear();
		}
		resident.insert(key, buffer.clone());
		Ok(buffer)
	}

	/// `Σ scalarsᵢ·basesᵢ` over the first `min(len)` pairs, on the device.
	pub fn msm<C: Curve>(&self, bases: &[C::Affine], scalars: &[Fr]) -> Result<C::Projective, EngineError> {
		let n = bases.len().min(scalars.len());
		if n == 0 {
			return Ok(C::Projective::zero());
		}
		let bases = self.bases::<C>(&bases[..n])?;
		let _busy = self.busy.lock().expect("busy lock");
		let plan = MsmPlan::new(n, self.device.parallelism());
		let jacobian_words = C::AFFINE_WORDS / 2 * 3;
		let scalars = self.device.upload(&fr_words(&scalars[..n]))?;
		self.device.launch(Kernel::FrFromMontgomery, n as u32, &[Arg::Buf(&scalars), Arg::U32(n as u32)])?;
		let buckets = self.device.zeroed(plan.threads() as usize * ((1usize << plan.c) - 1) * jacobian_words)?;
		let partials = self.device.zeroed(plan.threads() as usize * jacobian_words)?;
		self.device.launch(
			C::PARTIAL,
			plan.threads(),
			&[
				Arg::Buf(&*bases),
				Arg::Buf(&scalars),
				Arg::U32(n as u32),
				Arg::U32(plan.c),
				Arg::U32(plan.windows),
				Arg::U32(plan.chunk),
				Arg::Buf(&buckets),
				Arg::Buf(&partials),
				Arg::U32(plan.threads()),
			],
		)?;
		drop(buckets);
		let sums = self.device.zeroed(plan.windows as usize * jacobian_words)?;
		self.device.launch(
			C::REDUCE,
			plan.windows,
			&[Arg::Buf(&partials), Arg::U32(plan.chunks), Arg::U32(plan.windows), Arg::Buf(&sums)],
		)?;
		let mut words = vec![0u32; plan.windows as usize * jacobian_words];
		self.device.download(&sums, &mut words)?;
		// Σ_w 2^{c·w}·S_w by Horner, from the top window down.
		let mut total = C::Projective::zero();
		for window in words.chunks(jacobian_words).rev() {
			for _ in 0..plan.c {
				total.double_in_place();
			}
			total += C::jacobian(window);
		}
		Ok(total)
	}

	fn twiddles(&self, domain: &Radix2EvaluationDomain<Fr>, inverse: bool) -> Result<std::sync::Arc<D::Buffer>, EngineError> {
		let n = domain.size();
		if let Some(t) = self.twiddles.lock().expect("twiddles lock").get(&(n, inverse)) {
			return Ok(t.clone());
		}
		let root = if inverse { domain.group_gen_inv } else { domain.group_gen };
		let buffer = std::sync::Arc::new(self.device.upload(&fr_words(&powers(root, (n / 2).max(1))))?);
		let mut twiddles = self.twiddles.lock().expect("twiddles lock");
		if twiddles.len() >= 16 {
			twiddles.clear();
		}
		twiddles.insert((n, inverse), buffer.clone());
		Ok(buffer)
	}

	/// An in-place NTT of `values` (n = 2^log_n elements) with `twiddles` (ω^k, k < n/2): the
	/// evaluations at ω^i in natural order (no scaling). Returns the buffer holding the result.
	fn ntt(&self, values: D::Buffer, twiddles: &D::Buffer, n: usize) -> Result<D::Buffer, EngineError> {
		let log_n = n.trailing_zeros();
		let out = self.device.zeroed(n * FIELD_WORDS)?;
		self.device.launch(
			Kernel::FrBitReverse,
			n as u32,
			&[Arg::Buf(&values), Arg::Buf(&out), Arg::U32(n as u32), Arg::U32(log_n)],
		)?;
		let mut half = 1usize;
		while half < n {
			self.device.launch(
				Kernel::NttStage,
				(n / 2) as u32,
				&[Arg::Buf(&out), Arg::Buf(twiddles), Arg::U32(n as u32), Arg::U32(half as u32)],
			)?;
			half *= 2;
		}
		Ok(out)
	}

	/// `values[i] *= factor · base^i`, from a 1024-entry table and an n/1024 one.
	fn scale_powers(&self, values: &D::Buffer, n: usize, factor: Fr, base: Fr) -> Result<(), EngineError> {
		let low = powers(base, 1024);
		let step = base.pow([1024u64]);
		let high: Vec<Fr> = powers(step, n.div_ceil(1024)).into_iter().map(|p| p * factor).collect();
		let (low, high) = (self.device.upload(&fr_words(&low))?, self.device.upload(&fr_words(&high))?);
		self.device.launch(
			Kernel::FrScalePowers,
			n as u32,
			&[Arg::Buf(values), Arg::Buf(&low), Arg::Buf(&high), Arg::U32(n as u32)],
		)
	}

	/// Checks the device against arkworks on small inputs ([`checks`]: G1 and G2 MSMs with
	/// edge cases, both quotients). A device that fails is not used (`cloudana-prover` proves
	/// on the CPU instead).
	pub fn self_test(&self) -> Result<(), EngineError> {
		let failed: Vec<String> = [checks::msm_g1(self, &[1, 3, 300]), checks::msm_g2(self, &[1, 16]), checks::quotients(self, &[2, 256])]
			.into_iter()
			.flatten()
			.filter_map(|check| check.failure())
			.collect();
		if failed.is_empty() {
			Ok(())
		} else {
			Err(EngineError(failed.join("; ")))
		}
	}

	/// The quotient ([`Engine::quotient`]) on the device.
	pub fn quotient_on_device(&self, a: &[Fr], b: &[Fr], c: Option<&[Fr]>, coset: Coset) -> Result<Vec<Fr>, EngineError> {
		let n = a.len();
		let domain = Radix2EvaluationDomain::<Fr>::new(n)
			.filter(|d| d.size() == n && b.len() == n && c.is_none_or(|c| c.len() == n) && n >= 2)
			.ok_or_else(|| EngineError(format!("the quotient's vectors must have one power-of-two length ≥ 2, not {n}")))?;
		if coset.offset.is_zero() {
			return Err(EngineError("the coset offset is zero".into()));
		}
		let _busy = self.busy.lock().expect("busy lock");
		let forward = self.twiddles(&domain, false)?;
		let inverse = self.twiddles(&domain, true)?;
		let a_buf = self.device.upload(&fr_words(a))?;
		let b_buf = self.device.upload(&fr_words(b))?;
		let c_buf = match c {
			Some(c) => self.device.upload(&fr_words(c))?,
			None => {
				let c = self.device.zeroed(n * FIELD_WORDS)?;
				self.device.launch(Kernel::FrMulElements, n as u32, &[Arg::Buf(&a_buf), Arg::Buf(&b_buf), Arg::Buf(&c), Arg::U32(n as u32)])?;
				c
			},
		};
		// Interpolate (inverse NTT, 1/n), shift to the coset (offsetʲ), evaluate (NTT).
		let mut shifted = Vec::with_capacity(3);
		for values in [a_buf, b_buf, c_buf] {
			let coefficients = self.ntt(values, &inverse, n)?;
			self.scale_powers(&coefficients, n, domain.size_inv, coset.offset)?;
			shifted.push(self.ntt(coefficients, &forward, n)?);
		}
		let scale = self.device.upload(&fr_words(&[coset.scale]))?;
		self.device.launch(
			Kernel::FrQuotient,
			n as u32,
			&[Arg::Buf(&shifted[0]), Arg::Buf(&shifted[1]), Arg::Buf(&shifted[2]), Arg::Buf(&scale), Arg::U32(n as u32)],
		)?;
		let mut h = shifted.swap_remove(0);
		if coset.interpolate {
			h = self.ntt(h, &inverse, n)?;
			let offset_inv = coset.offset.inverse().expect("nonzero; qed");
			self.scale_powers(&h, n, domain.size_inv, offset_inv)?;
		}
		let mut words = vec![0u32; n * FIELD_WORDS];
		self.device.download(&h, &mut words)?;
		Ok(words_fr(&words))
	}
}

/// `[1, base, base², …]`, `count` of them.
fn powers(base: Fr, count: usize) -> Vec<Fr> {
	let mut out = Vec::with_capacity(count);
	let mut power = Fr::one();
	for _ in 0..count {
		out.push(power);
		power *= base;
	}
	out
}

impl<D: Device> Engine for Gpu<D> {
	fn name(&self) -> String {
		self.device.name()
	}

	fn msm_g1(&self, bases: &[G1Affine], scalars: &[Fr]) -> Result<G1Projective, EngineError> {
		self.msm::<G1>(bases, scalars)
	}

	fn msm_g2(&self, bases: &[G2Affine], scalars: &[Fr]) -> Result<G2Projective, EngineError> {
		self.msm::<G2>(bases, scalars)
	}

	fn quotient(&self, a: Vec<Fr>, b: Vec<Fr>, c: Option<Vec<Fr>>, coset: Coset) -> Result<Vec<Fr>, EngineError> {
		self.quotient_on_device(&a, &b, c.as_deref(), coset)
	}
}

/// The kernels' source with the options a device compiles it with, hashed: the cache key of
/// compiled PTX.
pub fn source_hash(options: &[String], compiler_version: &str) -> String {
	use sha2::{Digest, Sha256};
	let mut hasher = Sha256::new();
	hasher.update(SOURCE.as_bytes());
	for option in options {
		hasher.update([0]);
		hasher.update(option.as_bytes());
	}
	hasher.update([0]);
	hasher.update(compiler_version.as_bytes());
	hex::encode(&hasher.finalize()[..16])
}

