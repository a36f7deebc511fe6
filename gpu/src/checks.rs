//! Checks of a device against arkworks, for the start-up self-test, `cloudana-prover
//! gpu-check` and the tests: MSMs over G1 and G2 on random inputs with edge cases (zero and −1
//! scalars, the identity, a repeated point, a point and its negation), and quotients under
//! both cosets against the CPU engine.

use crate::{Curve, Device, Gpu, G1, G2};
use ark_bn254::Fr;
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{One, UniformRand, Zero};
use cloudana_circuits::engine::{libsnark_coset, snarkjs_coset, Cpu, Engine};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

/// One check's outcome.
#[derive(Clone, Debug)]
pub struct Check {
	/// What was checked (`g1 msm n=1000`).
	pub name: String,
	/// `None` if it passed, else why not.
	pub error: Option<String>,
	/// The device's time, milliseconds.
	pub ms: f64,
}

impl Check {
	/// `name: error` if it failed.
	pub fn failure(&self) -> Option<String> {
		self.error.as_ref().map(|e| format!("{}: {e}", self.name))
	}
}

fn rng(n: usize) -> ChaCha20Rng {
	ChaCha20Rng::seed_from_u64(0x636c6f7564616e61 ^ n as u64)
}

/// Random scalars with edge values at the front: 0, −1, 1, 2^128.
pub fn scalars(rng: &mut ChaCha20Rng, n: usize) -> Vec<Fr> {
	let mut out: Vec<Fr> = (0..n).map(|_| Fr::rand(rng)).collect();
	for (slot, edge) in out.iter_mut().zip([Fr::zero(), -Fr::one(), Fr::one(), Fr::from(1u128 << 127) * Fr::from(2u64)]) {
		*slot = edge;
	}
	out
}

/// `n` points P, P + G, P + 2G, … (cheap to make in bulk), affine.
pub fn points<G: PrimeGroup + CurveGroup>(rng: &mut ChaCha20Rng, n: usize) -> Vec<G::Affine>
where
	G: UniformRand,
{
	let start = G::rand(rng);
	let step = G::generator();
	let mut all = Vec::with_capacity(n);
	let mut point = start;
	for _ in 0..n {
		all.push(point);
		point += step;
	}
	G::normalize_batch(&all)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
	let started = std::time::Instant::now();
	let out = f();
	(out, started.elapsed().as_secs_f64() * 1e3)
}

/// G1 MSMs of each size against arkworks ([`msm`]).
pub fn msm_g1<D: Device>(gpu: &Gpu<D>, sizes: &[usize]) -> Vec<Check> {
	msm::<D, G1>(gpu, sizes, "g1")
}

/// G2 MSMs of each size against arkworks ([`msm`]).
pub fn msm_g2<D: Device>(gpu: &Gpu<D>, sizes: &[usize]) -> Vec<Check> {
	msm::<D, G2>(gpu, sizes, "g2")
}

/// MSMs of each size against arkworks; from 8 points on, with the identity at 3, a point
/// repeated at 4 and 5, and a point and its negation at 6 and 7.
pub fn msm<D: Device, C: Curve>(gpu: &Gpu<D>, sizes: &[usize], name: &str) -> Vec<Check> {
	sizes
		.iter()
		.map(|&n| {
			let mut rng = rng(n);
			let mut bases = points::<C::Projective>(&mut rng, n);
			let scalars = scalars(&mut rng, n);
			if n >= 8 {
				bases[3] = C::Affine::zero();
				bases[5] = bases[4];
				bases[7] = (-bases[6].into_group()).into_affine();
			}
			let expected = C::Projective::msm(&bases, &scalars).expect("equal lengths; qed");
			let (got, ms) = timed(|| gpu.msm::<C>(&bases, &scalars));
			check(format!("{name} msm n={n}"), got.map(|g| g == expected), ms)
		})
		.collect()
}

/// Quotients of each (power-of-two) size under snarkjs's and arkworks' cosets against the CPU.
pub fn quotients<D: Device>(gpu: &Gpu<D>, sizes: &[usize]) -> Vec<Check> {
	let mut out = Vec::new();
	for &n in sizes {
		let mut rng = rng(n);
		let (a, b, c) = (scalars(&mut rng, n), scalars(&mut rng, n), scalars(&mut rng, n));
		for (name, coset, c) in [("snarkjs", snarkjs_coset(n), None), ("libsnark", libsnark_coset(n), Some(c))] {
			let Some(coset) = coset else {
				out.push(check(format!("quotient {name} n={n}"), Err(format!("{n} is not a BN254 domain size")), 0.0));
				continue;
			};
			let expected = Cpu.quotient(a.clone(), b.clone(), c.clone(), coset).map_err(|e| e.to_string());
			let (got, ms) = timed(|| gpu.quotient_on_device(&a, &b, c.as_deref(), coset));
			let result = match (got, expected) {
				(Ok(got), Ok(expected)) => Ok(got == expected),
				(Err(e), _) => Err(e.to_string()),
				(_, Err(e)) => Err(format!("the CPU: {e}")),
			};
			out.push(check(format!("quotient {name} n={n}"), result, ms));
		}
	}
	out
}

fn check(name: String, result: Result<bool, impl ToString>, ms: f64) -> Check {
	let error = match result {
		Ok(true) => None,
		Ok(false) => Some("differs from arkworks".into()),
		Err(e) => Some(e.to_string()),
	};
	Check { name, error, ms }
}
