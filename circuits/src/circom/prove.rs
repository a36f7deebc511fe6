//! Groth16 proving under a snarkjs key, the proof assembled as arkworks assembles it
//! (`ark_groth16::Groth16::create_proof_with_reduction_and_matrices`, whose result it equals for
//! the same `r` and `s`), with multi-scalar multiplications that exploit circom witnesses:
//! most of their values are 0 or 1 (bits, flags, selectors). A scalar 0 costs nothing, a scalar
//! 1 one mixed addition (summed in parallel), and only the rest go through arkworks' Pippenger
//! MSM. The G1 and G2 multiplications over the witness and the quotient's FFTs run concurrently
//! (rayon).
//!
//! Groth16: J. Groth, "On the Size of Pairing-based Non-interactive Arguments", EUROCRYPT 2016
//! (<https://eprint.iacr.org/2016/260>); with `A = α + Σ aᵢ·Aᵢ + r·δ`, `B = β + Σ aᵢ·Bᵢ + s·δ`,
//! `C = Σ_{private} aᵢ·Lᵢ + Σ hᵢ·Hᵢ + s·A + r·B₁ − r·s·δ`.

use super::qap::SnarkjsReduction;
use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{One, PrimeField, Zero};
use ark_groth16::{r1cs_to_qap::R1CSToQAP, Proof, ProvingKey};
use ark_poly::GeneralEvaluationDomain;
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

/// `initial + query₀ + Σ assignmentᵢ·queryᵢ₊₁ + vk_param`, as arkworks' `calculate_coeff`.
fn coefficient<A: AffineRepr<ScalarField = Fr>>(initial: A::Group, query: &[A], vk_param: A, assignment: &[Fr]) -> A::Group
where
	A::Group: VariableBaseMSM<MulBase = A>,
{
	initial + query[0] + msm(&query[1..], assignment) + vk_param
}

/// A proof of `witness` (the constant 1 first) under `pk`, with randomness `r`, `s`.
pub fn prove(
	pk: &ProvingKey<Bn254>,
	matrices: &ConstraintMatrices<Fr>,
	num_inputs: usize,
	witness: &[Fr],
	r: Fr,
	s: Fr,
) -> Result<Proof<Bn254>, SynthesisError> {
	let assignment = &witness[1..];
	let aux = &witness[num_inputs..];
	let timed = |what: &'static str, started: std::time::Instant| {
		tracing::debug!(target: "cloudana::prove", what, ms = started.elapsed().as_secs_f64() * 1e3, "done");
	};
	let (quotient, (g_a, (g1_b, g2_b))) = rayon::join(
		|| -> Result<(G1Projective, G1Projective), SynthesisError> {
			let started = std::time::Instant::now();
			let h = SnarkjsReduction::witness_map_from_matrices::<Fr, GeneralEvaluationDomain<Fr>>(
				matrices,
				num_inputs,
				matrices.num_constraints,
				witness,
			)?;
			timed("quotient", started);
			let started = std::time::Instant::now();
			let out = rayon::join(|| msm(&pk.h_query, &h), || msm(&pk.l_query, aux));
			timed("h and l", started);
			Ok(out)
		},
		|| {
			let started = std::time::Instant::now();
			let out = rayon::join(
				|| coefficient::<G1Affine>(pk.delta_g1 * r, &pk.a_query, pk.vk.alpha_g1, assignment),
				|| {
					rayon::join(
						|| coefficient::<G1Affine>(pk.delta_g1 * s, &pk.b_g1_query, pk.beta_g1, assignment),
						|| {
							let started = std::time::Instant::now();
							let out = coefficient::<G2Affine>(pk.vk.delta_g2 * s, &pk.b_g2_query, pk.vk.beta_g2, assignment);
							timed("b2", started);
							out
						},
					)
				},
			);
			timed("a, b1, b2", started);
			out
		},
	);
	let (h_acc, l_acc) = quotient?;
	let g_c = g_a * s + g1_b * r - pk.delta_g1 * (r * s) + l_acc + h_acc;
	let mut affine = G1Projective::normalize_batch(&[g_a, g_c]);
	let c = affine.pop().expect("two points; qed");
	let a = affine.pop().expect("two points; qed");
	Ok(Proof { a, b: G2Projective::into_affine(g2_b), c })
}
