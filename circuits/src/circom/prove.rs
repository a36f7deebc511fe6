//! Groth16 proving under a snarkjs key, the proof assembled as arkworks assembles it
//! (`ark_groth16::Groth16::create_proof_with_reduction_and_matrices`, whose result it equals for
//! the same reduction, `r` and `s`), its MSMs and FFTs on an [`Engine`] (the CPU or a GPU).
//! On the CPU, the multi-scalar multiplications exploit circom witnesses:
//! most of their values are 0 or 1 (bits, flags, selectors). A scalar 0 costs nothing, a scalar
//! 1 one mixed addition (summed in parallel), and only the rest go through arkworks' Pippenger
//! MSM. The G1 and G2 multiplications over the witness and the quotient's FFTs run concurrently
//! (rayon).
//!
//! Groth16: J. Groth, "On the Size of Pairing-based Non-interactive Arguments", EUROCRYPT 2016
//! (<https://eprint.iacr.org/2016/260>); with `A = α + Σ aᵢ·Aᵢ + r·δ`, `B = β + Σ aᵢ·Bᵢ + s·δ`,
//! `C = Σ_{private} aᵢ·Lᵢ + Σ hᵢ·Hᵢ + s·A + r·B₁ − r·s·δ`.

use crate::engine::{self, Engine, EngineError};
use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{One, PrimeField, Zero};
use ark_groth16::{r1cs_to_qap::evaluate_constraint, Proof, ProvingKey};
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use ark_relations::r1cs::{ConstraintMatrices, SynthesisError};
use rayon::prelude::*;

/// `Σ scalarsᵢ · basesᵢ`: zeros skipped, ones added, the rest by Pippenger.
pub fn msm<A: AffineRepr<ScalarField = Fr>>(bases: &[A], scalars: &[Fr]) -> A::Group
where
	A::Group: VariableBaseMSM<MulBase = A>,
{
	let one = Fr::one();
	let (ones, rest): (Vec<usize>, Vec<usize>) =
		(0..bases.len().min(scalars.len())).filter(|i| !scalars[*i].is_zero()).partition(|i| scalars[*i] == one);
	let (sum_of_ones, general) = rayon::join(
		|| ones.par_iter().fold(A::Group::zero, |acc, i| acc + bases[*i]).reduce(A::Group::zero, |a, b| a + b),
		|| {
			let b: Vec<A> = rest.iter().map(|i| bases[*i]).collect();
			let s: Vec<<Fr as PrimeField>::BigInt> = rest.iter().map(|i| scalars[*i].into_bigint()).collect();
			<A::Group as VariableBaseMSM>::msm_bigint(&b, &s)
		},
	);
	sum_of_ones + general
}

/// The R1CS-to-QAP convention a proving key was made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
	/// snarkjs's ([`super::qap`]): circom circuits under snarkjs keys.
	Snarkjs,
	/// arkworks' default (libsnark's, `ark_groth16::r1cs_to_qap::LibsnarkReduction`): the
	/// built-in circuits, set up by arkworks.
	Libsnark,
}

/// The quotient `h` of `witness` (the constant 1 first) under `matrices`, its heavy steps on
/// `engine`; equal to `SnarkjsReduction`'s or `LibsnarkReduction`'s `witness_map_from_matrices`.
pub fn quotient(
	engine: &dyn Engine,
	reduction: Reduction,
	matrices: &ConstraintMatrices<Fr>,
	num_inputs: usize,
	witness: &[Fr],
) -> Result<Vec<Fr>, ProveError> {
	let rows = matrices.num_constraints;
	let size = match reduction {
		Reduction::Snarkjs => rows,
		Reduction::Libsnark => rows + num_inputs,
	};
	let n = GeneralEvaluationDomain::<Fr>::new(size).ok_or(SynthesisError::PolynomialDegreeTooLarge)?.size();
	let coset = match reduction {
		Reduction::Snarkjs => engine::snarkjs_coset(n),
		Reduction::Libsnark => engine::libsnark_coset(n),
	}
	.ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
	let evaluate = |matrix: &[Vec<(Fr, usize)>]| -> Vec<Fr> {
		let mut values = vec![Fr::zero(); n];
		values[..rows].par_iter_mut().zip(matrix.par_iter()).for_each(|(value, row)| *value = evaluate_constraint(row, witness));
		values
	};
	let (mut a, b) = rayon::join(|| evaluate(&matrices.a), || evaluate(&matrices.b));
	let c = match reduction {
		Reduction::Snarkjs => None,
		Reduction::Libsnark => {
			a[rows..rows + num_inputs].copy_from_slice(&witness[..num_inputs]);
			Some(evaluate(&matrices.c))
		},
	};
	Ok(engine.quotient(a, b, c, coset)?)
}

/// Why a matrix proof failed.
#[derive(Debug, thiserror::Error)]
pub enum ProveError {
	/// The shape (a domain too large for BN254's 2²⁸ roots of unity).
	#[error("proving failed: {0}")]
	Synthesis(#[from] SynthesisError),
	/// The engine failed (the CPU engine never does).
	#[error("the proving engine failed: {0}")]
	Engine(#[from] EngineError),
}

/// `initial + query₀ + Σ assignmentᵢ·queryᵢ₊₁ + vk_param`, as arkworks' `calculate_coeff`.
fn coefficient_g1(engine: &dyn Engine, initial: G1Projective, query: &[G1Affine], vk_param: G1Affine, assignment: &[Fr]) -> Result<G1Projective, EngineError> {
	Ok(initial + query[0] + engine.msm_g1(&query[1..], assignment)? + vk_param)
}

/// A proof of `witness` (the constant 1 first; `num_inputs` counts it) under `pk` and
/// `reduction`, with randomness `r`, `s`, its MSMs and FFTs on `engine`. Equal to arkworks'
/// `create_proof_with_reduction_and_matrices` for the same reduction, `r` and `s`.
#[allow(clippy::too_many_arguments)]
pub fn prove_with(
	engine: &dyn Engine,
	reduction: Reduction,
	pk: &ProvingKey<Bn254>,
	matrices: &ConstraintMatrices<Fr>,
	num_inputs: usize,
	witness: &[Fr],
	r: Fr,
	s: Fr,
) -> Result<Proof<Bn254>, ProveError> {
	let assignment = &witness[1..];
	let aux = &witness[num_inputs..];
	let timed = |what: &'static str, started: std::time::Instant| {
		tracing::debug!(target: "cloudana::prove", what, ms = started.elapsed().as_secs_f64() * 1e3, "done");
	};
	type Quotient = Result<(G1Projective, G1Projective), ProveError>;
	type Coefficients = Result<(G1Projective, (G1Projective, G2Projective)), EngineError>;
	let (quotient, coefficients): (Quotient, Coefficients) = rayon::join(
		|| {
			let started = std::time::Instant::now();
			let h = self::quotient(engine, reduction, matrices, num_inputs, witness)?;
			timed("quotient", started);
			let started = std::time::Instant::now();
			let (h, l) = rayon::join(|| engine.msm_g1(&pk.h_query, &h), || engine.msm_g1(&pk.l_query, aux));
			timed("h and l", started);
			Ok((h?, l?))
		},
		|| {
			let started = std::time::Instant::now();
			let (a, (b1, b2)) = rayon::join(
				|| coefficient_g1(engine, pk.delta_g1 * r, &pk.a_query, pk.vk.alpha_g1, assignment),
				|| {
					rayon::join(
						|| coefficient_g1(engine, pk.delta_g1 * s, &pk.b_g1_query, pk.beta_g1, assignment),
						|| {
							let started = std::time::Instant::now();
							let out = engine
								.msm_g2(&pk.b_g2_query[1..], assignment)
								.map(|sum| pk.vk.delta_g2 * s + pk.b_g2_query[0] + sum + pk.vk.beta_g2);
							timed("b2", started);
							out
						},
					)
				},
			);
			timed("a, b1, b2", started);
			Ok((a?, (b1?, b2?)))
		},
	);
	let (h_acc, l_acc) = quotient?;
	let (g_a, (g1_b, g2_b)) = coefficients?;
	let g_c = g_a * s + g1_b * r - pk.delta_g1 * (r * s) + l_acc + h_acc;
	let mut affine = G1Projective::normalize_batch(&[g_a, g_c]);
	let c = affine.pop().expect("two points; qed");
	let a = affine.pop().expect("two points; qed");
	Ok(Proof { a, b: G2Projective::into_affine(g2_b), c })
}
