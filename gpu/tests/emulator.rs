//! The kernels, run by the emulator, against arkworks: MSMs over G1 and G2 on random and edge
//! inputs, the quotient's NTTs under both cosets, and whole proofs equal to the CPU's.

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{One, UniformRand, Zero};
use ark_std::rand::{rngs::StdRng, SeedableRng};
use cloudana_circuits::engine::{self, Cpu, Engine};
use cloudana_gpu::{emulator::Emulator, Gpu, MsmPlan};

fn rng() -> StdRng {
	StdRng::seed_from_u64(20261126)
}

fn engines() -> [Gpu<Emulator>; 2] {
	[Gpu::new(Emulator { parallelism: 1 }), Gpu::new(Emulator { parallelism: 2000 })]
}

fn random_g1(rng: &mut StdRng, n: usize) -> Vec<G1Affine> {
	let points: Vec<G1Projective> = (0..n).map(|_| G1Projective::rand(rng)).collect();
	G1Projective::normalize_batch(&points)
}

#[test]
fn g1_msm_equals_arkworks_on_random_and_edge_inputs() {
	let mut rng = rng();
	for gpu in engines() {
		for n in [1usize, 2, 3, 31, 100, 257] {
			let bases = random_g1(&mut rng, n);
			let scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
			let expected = G1Projective::msm(&bases, &scalars).unwrap();
			assert_eq!(gpu.msm_g1(&bases, &scalars).unwrap().into_affine(), expected.into_affine(), "n = {n}");
		}
		// Edge cases in one MSM: zero scalars, the identity, −1 (every digit set), 1, the same
		// point twice with the same scalar (a bucket doubles), P and −P (a bucket cancels).
		let p = random_g1(&mut rng, 2);
		let bases = vec![p[0], G1Affine::zero(), p[1], p[0], p[0], (-p[1].into_group()).into_affine(), p[1], p[0]];
		let scalars = vec![Fr::zero(), Fr::rand(&mut rng), -Fr::one(), Fr::from(7u64), Fr::from(7u64), Fr::from(9u64), Fr::from(9u64), Fr::one()];
		let expected = G1Projective::msm(&bases, &scalars).unwrap();
		assert_eq!(gpu.msm_g1(&bases, &scalars).unwrap(), expected);
		// All zeros, and an empty MSM: the identity. Lengths differ: the shorter counts.
		assert!(gpu.msm_g1(&bases, &[Fr::zero(); 8]).unwrap().is_zero());
		assert!(gpu.msm_g1(&[], &[]).unwrap().is_zero());
		assert_eq!(gpu.msm_g1(&bases, &scalars[..3]).unwrap(), G1Projective::msm(&bases[..3], &scalars[..3]).unwrap());
		// The sum is the identity: P·a + P·(−a).
		let a = Fr::rand(&mut rng);
		assert!(gpu.msm_g1(&[p[0], p[0]], &[a, -a]).unwrap().is_zero());
	}
}

#[test]
fn g2_msm_equals_arkworks() {
	let mut rng = rng();
	for gpu in engines() {
		for n in [1usize, 5, 40] {
			let points: Vec<G2Projective> = (0..n).map(|_| G2Projective::rand(&mut rng)).collect();
			let mut bases = G2Projective::normalize_batch(&points);
			let mut scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
			if n > 2 {
				bases[1] = G2Affine::zero();
				scalars[2] = Fr::zero();
				bases[n - 1] = bases[0];
				scalars[n - 1] = scalars[0];
			}
			let expected = G2Projective::msm(&bases, &scalars).unwrap();
			assert_eq!(gpu.msm_g2(&bases, &scalars).unwrap(), expected, "n = {n}");
		}
		let g = G2Affine::generator();
		assert_eq!(gpu.msm_g2(&[g], &[-Fr::one()]).unwrap(), -G2Projective::generator());
	}
}

#[test]
fn plans_cover_every_point_and_bit() {
	for n in [1usize, 2, 7, 1000, 1 << 16, 1 << 20, (1 << 20) + 1] {
		for parallelism in [1u32, 64, 1 << 15] {
			let plan = MsmPlan::new(n, parallelism);
			assert!(plan.chunks as usize * plan.chunk as usize >= n, "{plan:?}");
			assert!((plan.chunks as usize - 1) * (plan.chunk as usize) < n, "no empty chunk: {plan:?}");
			assert!(plan.c * plan.windows >= 254 && (2..=8).contains(&plan.c), "{plan:?}");
		}
	}
}

#[test]
fn quotients_equal_the_cpu_under_both_cosets() {
	let mut rng = rng();
	let gpu = Gpu::new(Emulator::default());
	for n in [2usize, 8, 1024, 4096] {
		let vector = |rng: &mut StdRng| (0..n).map(|_| Fr::rand(rng)).collect::<Vec<Fr>>();
		let (a, b, c) = (vector(&mut rng), vector(&mut rng), vector(&mut rng));
		for coset in [engine::snarkjs_coset(n).unwrap(), engine::libsnark_coset(n).unwrap()] {
			for c in [None, Some(c.clone())] {
				let expected = Cpu.quotient(a.clone(), b.clone(), c.clone(), coset).unwrap();
				assert_eq!(gpu.quotient(a.clone(), b.clone(), c, coset).unwrap(), expected, "n = {n}, {coset:?}");
			}
		}
	}
	// Bad shapes are errors, not panics.
	assert!(gpu.quotient(vec![Fr::one(); 3], vec![Fr::one(); 3], None, engine::snarkjs_coset(4).unwrap()).is_err());
	assert!(gpu.quotient(vec![Fr::one(); 4], vec![Fr::one(); 2], None, engine::snarkjs_coset(4).unwrap()).is_err());
}

#[test]
fn the_self_test_and_the_checks_pass_on_the_emulator() {
	let gpu = Gpu::new(Emulator { parallelism: 300 });
	gpu.self_test().unwrap();
	let checks = [cloudana_gpu::checks::msm_g1(&gpu, &[8, 1025]), cloudana_gpu::checks::msm_g2(&gpu, &[9])].concat();
	assert!(checks.iter().all(|c| c.error.is_none()), "{checks:?}");
}
