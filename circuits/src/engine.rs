//! Proving engines: where a Groth16 proof's heavy steps run.
//!
//! A proof's cost is its multi-scalar multiplications (over G1 and G2) and the quotient
//! polynomial's FFTs; the rest (the witness, the constraint rows, the final combination) is
//! cheap and stays on the CPU. An [`Engine`] does the heavy steps: [`Cpu`] with arkworks on
//! every core, and the CUDA engine of `cloudana-gpu` on a GPU. Every engine must produce the
//! same group elements and field elements, so that a proof is the same bytes whichever engine
//! made it (for the same `r`, `s`); [`with_fallback`] runs a proof on an engine and, if the
//! engine fails or its proof does not verify, again on the CPU.

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ff::{FftField, Field, One};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use rayon::prelude::*;

/// Why an engine could not do its part (a GPU's driver, compiler or kernel failed). The proof
/// is then made on the CPU.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EngineError(pub String);

/// The coset step of a quotient: each of `a`, `b`, `c` (evaluations over the domain `D` of
/// size `n = a.len()`, a power of two) is interpolated (inverse FFT) and evaluated on the coset
/// `offset·D` (FFT of the coefficients scaled by `offsetʲ`); then `hᵢ = (aᵢ·bᵢ − cᵢ)·scale`;
/// then, if `interpolate`, `h` is interpolated back from the coset (coset inverse FFT).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Coset {
	/// The coset's offset.
	pub offset: Fr,
	/// The factor applied to `a·b − c` (the inverse of the vanishing polynomial on the coset,
	/// or 1 where the proving key folds it in).
	pub scale: Fr,
	/// Whether `h` is returned as coefficients (true) or as evaluations on the coset.
	pub interpolate: bool,
}

/// The heavy steps of a Groth16 proof.
pub trait Engine: Send + Sync {
	/// A short name for logs (`cpu`, `cuda (NVIDIA H100 …)`).
	fn name(&self) -> String;

	/// Whether this is the CPU engine (which nothing falls back from).
	fn is_cpu(&self) -> bool {
		false
	}

	/// `Σ scalarsᵢ·basesᵢ` over the first `min(len)` pairs.
	fn msm_g1(&self, bases: &[G1Affine], scalars: &[Fr]) -> Result<G1Projective, EngineError>;

	/// `Σ scalarsᵢ·basesᵢ` over the first `min(len)` pairs.
	fn msm_g2(&self, bases: &[G2Affine], scalars: &[Fr]) -> Result<G2Projective, EngineError>;

	/// The quotient's evaluations or coefficients ([`Coset`]). `c = None` means `c = a·b`
	/// pointwise over `D` (snarkjs's convention). `a`, `b` and `c` have the same power-of-two
	/// length.
	fn quotient(&self, a: Vec<Fr>, b: Vec<Fr>, c: Option<Vec<Fr>>, coset: Coset) -> Result<Vec<Fr>, EngineError>;
}

/// arkworks on every core (rayon).
#[derive(Clone, Copy, Debug, Default)]
pub struct Cpu;

impl Engine for Cpu {
	fn name(&self) -> String {
		"cpu".into()
	}

	fn is_cpu(&self) -> bool {
		true
	}

	fn msm_g1(&self, bases: &[G1Affine], scalars: &[Fr]) -> Result<G1Projective, EngineError> {
		Ok(crate::circom::prove::msm(bases, scalars))
	}

	fn msm_g2(&self, bases: &[G2Affine], scalars: &[Fr]) -> Result<G2Projective, EngineError> {
		Ok(crate::circom::prove::msm(bases, scalars))
	}

	fn quotient(&self, mut a: Vec<Fr>, mut b: Vec<Fr>, c: Option<Vec<Fr>>, coset: Coset) -> Result<Vec<Fr>, EngineError> {
		let n = a.len();
		let domain = Radix2EvaluationDomain::<Fr>::new(n)
			.filter(|d| d.size() == n && b.len() == n)
			.ok_or_else(|| EngineError(format!("the quotient's vectors must have one power-of-two length, not {n}")))?;
		let mut c = c.unwrap_or_else(|| a.par_iter().zip(b.par_iter()).map(|(a, b)| *a * b).collect());
		if c.len() != n {
			return Err(EngineError(format!("c has {} elements, a {n}", c.len())));
		}
		let shifted = domain.get_coset(coset.offset).ok_or_else(|| EngineError("the coset offset is zero".into()))?;
		for values in [&mut a, &mut b, &mut c] {
			domain.ifft_in_place(values);
			shifted.fft_in_place(values);
		}
		a.par_iter_mut().zip(b.par_iter()).zip(c.par_iter()).for_each(|((a, b), c)| {
			*a = (*a * b - c) * coset.scale;
		});
		if coset.interpolate {
			shifted.ifft_in_place(&mut a);
		}
		Ok(a)
	}
}

/// snarkjs's coset for a domain of `n`: the odd powers of a primitive `2n`-th root of unity,
/// where `Xⁿ − 1 = −2` (folded into snarkjs's H points, so `scale` = 1), evaluations kept.
pub fn snarkjs_coset(n: usize) -> Option<Coset> {
	Some(Coset { offset: Fr::get_root_of_unity(2 * n as u64)?, scale: Fr::one(), interpolate: false })
}

/// arkworks' (libsnark's) coset for a domain of `n`: offset `F::GENERATOR` (5), `h` divided
/// by the vanishing polynomial there (`gⁿ − 1`) and interpolated back to coefficients.
pub fn libsnark_coset(n: usize) -> Option<Coset> {
	let domain = Radix2EvaluationDomain::<Fr>::new(n)?;
	let scale = domain.evaluate_vanishing_polynomial(Fr::GENERATOR).inverse()?;
	Some(Coset { offset: Fr::GENERATOR, scale, interpolate: true })
}

/// Runs `prove` on `engine`; if that fails (the engine's error, or a proof that does not
/// verify: `prove` checks its own result), logs a warning and runs it again on the CPU. On the
/// CPU engine it runs once.
pub fn with_fallback<T, E: std::fmt::Display>(engine: &dyn Engine, prove: impl Fn(&dyn Engine) -> Result<T, E>) -> Result<T, E> {
	if engine.is_cpu() {
		return prove(engine);
	}
	match prove(engine) {
		Ok(done) => Ok(done),
		Err(error) => {
			tracing::warn!(target: "cloudana::prove", engine = %engine.name(), %error, "the engine failed; proving on the CPU");
			prove(&Cpu)
		},
	}
}
