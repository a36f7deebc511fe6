//! snarkjs's R1CS-to-QAP witness map: the quotient's evaluations on the odd coset.
//!
//! For a domain `D = ⟨ω⟩` of size `n` and `g` a primitive `2n`-th root of unity (so `g·D` is
//! the coset of the odd powers of `g`, where the vanishing polynomial `Xⁿ − 1` is the constant
//! `−2`), snarkjs's prover (`groth16_prove.js`) computes the evaluations `aᵢ = ⟨Aᵢ, w⟩`,
//! `bᵢ = ⟨Bᵢ, w⟩`, `cᵢ = aᵢ·bᵢ` over `D`, interpolates (inverse FFT), evaluates on `g·D` (FFT of
//! the coefficients scaled by `gʲ`), and hands `A'ᵢ·B'ᵢ − C'ᵢ` to the MSM over the key's H
//! points, which fold the division by `−2` and `δ` in. arkworks' default reduction
//! (libsnark's) uses another basis for H, so proofs made with it under a snarkjs key do not
//! verify; this one matches snarkjs's keys.

use ark_ff::PrimeField;
use ark_groth16::r1cs_to_qap::{evaluate_constraint, R1CSToQAP};
use ark_poly::EvaluationDomain;
use ark_relations::r1cs::{ConstraintMatrices, ConstraintSystemRef, SynthesisError};
use rayon::prelude::*;

/// snarkjs's reduction (module docs); proving only.
pub struct SnarkjsReduction;

impl R1CSToQAP for SnarkjsReduction {
	/// Setup is snarkjs's: not implemented here.
	fn instance_map_with_evaluation<F: PrimeField, D: EvaluationDomain<F>>(
		_cs: ConstraintSystemRef<F>,
		_t: &F,
	) -> Result<(Vec<F>, Vec<F>, Vec<F>, F, usize, usize), SynthesisError> {
		Err(SynthesisError::Unsatisfiable)
	}

	/// `num_constraints` is the number of rows of the matrices, snarkjs's input rows included;
	/// the domain is the smallest power of two that holds them (snarkjs's choice).
	fn witness_map_from_matrices<F: PrimeField, D: EvaluationDomain<F>>(
		matrices: &ConstraintMatrices<F>,
		_num_inputs: usize,
		num_constraints: usize,
		full_assignment: &[F],
	) -> Result<Vec<F>, SynthesisError> {
		let domain = D::new(num_constraints).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
		let n = domain.size();
		let mut a = vec![F::zero(); n];
		let mut b = vec![F::zero(); n];
		a[..num_constraints]
			.par_iter_mut()
			.zip(b[..num_constraints].par_iter_mut())
			.zip(matrices.a.par_iter())
			.zip(matrices.b.par_iter())
			.for_each(|(((a, b), a_row), b_row)| {
				*a = evaluate_constraint(a_row, full_assignment);
				*b = evaluate_constraint(b_row, full_assignment);
			});
		let mut c: Vec<F> = a.par_iter().zip(b.par_iter()).map(|(a, b)| *a * b).collect();
		let root = F::get_root_of_unity(2 * n as u64).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
		let coset = domain.get_coset(root).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
		for evaluations in [&mut a, &mut b, &mut c] {
			domain.ifft_in_place(evaluations);
			coset.fft_in_place(evaluations);
		}
		Ok(a.into_par_iter().zip(b).zip(c).map(|((a, b), c)| a * b - c).collect())
	}

	/// Setup is snarkjs's: not implemented here.
	fn h_query_scalars<F: PrimeField, D: EvaluationDomain<F>>(
		_max_power: usize,
		_t: F,
		_zt: F,
		_delta_inverse: F,
	) -> Result<Vec<F>, SynthesisError> {
		Err(SynthesisError::Unsatisfiable)
	}
}
