//! Reads snarkjs's Groth16 proving key, the `.zkey` file.
//!
//! The format is iden3's binary container ([`super::binfile`]) with the magic `zkey`. Integers
//! are little-endian. Sections of a Groth16 key (snarkjs `zkey_utils.js`):
//!
//! | type | contents |
//! |---|---|
//! | 1 | `u32` protocol: 1 = Groth16 |
//! | 2 | `n8q`, `q`, `n8r`, `r`, `nVars`, `nPublic`, `domainSize` (`u32`s and the moduli), then α₁, β₁, β₂, γ₂, δ₁, δ₂ |
//! | 3 | IC: `nPublic + 1` G1 points |
//! | 4 | the constraint coefficients: `u32` count, then `(u32 matrix (0 = A, 1 = B), u32 constraint, u32 signal, Fr value)` |
//! | 5, 6, 7 | A (G1), B (G1), B (G2): `nVars` points each |
//! | 8 | C: the private signals' `nVars − nPublic − 1` G1 points (arkworks' `l_query`) |
//! | 9 | H: `domainSize` G1 points for the quotient's evaluations on the odd coset (`h_query`) |
//! | 10 | the phase-2 contributions (not read) |
//!
//! Field elements are 32 bytes little-endian: coordinates in Montgomery form (`x·R`), the
//! coefficients of section 4 in "double Montgomery" form (`c·R²`), with `R = 2²⁵⁶`. A point
//! whose coordinates are all zero is the identity. G2 coordinates are `c0 ‖ c1`.
//!
//! snarkjs appends `nPublic + 1` constraints `signalᵢ · 0 = 0` (one per public signal, the
//! constant included) to the circuit's, so every public input has a non-identity IC point; the
//! coefficients of section 4 include those rows.

use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ff::{BigInteger256, Field, PrimeField};
use ark_groth16::{ProvingKey, VerifyingKey};
use ark_relations::r1cs::ConstraintMatrices;

/// Why a `.zkey` could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ZkeyError {
	/// Not the container, or cut short.
	#[error("not a snarkjs .zkey file: {0}")]
	Format(String),
	/// Another proving system than Groth16 (PLONK, FFLONK).
	#[error("the .zkey is for protocol {0}, not Groth16 (1)")]
	Protocol(u32),
	/// Another curve than BN254.
	#[error("the .zkey is not over BN254 (bn128)")]
	Curve,
	/// A point is not on its curve.
	#[error("a point of section {0} is not on the curve")]
	NotOnCurve(u32),
	/// A coefficient points outside the key.
	#[error("constraint coefficient {0} is out of range")]
	Coefficient(usize),
}

/// A snarkjs Groth16 proving key, in arkworks' types.
pub struct Zkey {
	/// The proving key (its verifying key included).
	pub pk: ProvingKey<Bn254>,
	/// The A and B matrices, the `nPublic + 1` input rows included; C is not stored (the prover
	/// computes C's evaluations as A's times B's).
	pub matrices: ConstraintMatrices<Fr>,
	/// Public signals (outputs, then public inputs), the constant excluded.
	pub n_public: usize,
	/// Signals, the constant included.
	pub n_vars: usize,
	/// The evaluation domain's size, a power of two at least the number of rows.
	pub domain_size: usize,
}

struct Reader<'a> {
	bytes: &'a [u8],
	at: usize,
	section: u32,
}

impl<'a> Reader<'a> {
	/// A reader of section `kind`, or why it is missing.
	fn of(sections: &std::collections::BTreeMap<u32, &'a [u8]>, kind: u32) -> Result<Reader<'a>, ZkeyError> {
		let bytes = *sections.get(&kind).ok_or_else(|| ZkeyError::Format(format!("section {kind} is missing")))?;
		Ok(Reader { bytes, at: 0, section: kind })
	}
	fn take(&mut self, n: usize) -> Result<&'a [u8], ZkeyError> {
		let end = self.at.checked_add(n).filter(|end| *end <= self.bytes.len());
		let end = end.ok_or_else(|| ZkeyError::Format(format!("section {} is cut short", self.section)))?;
		let slice = &self.bytes[self.at..end];
		self.at = end;
		Ok(slice)
	}
	fn u32(&mut self) -> Result<u32, ZkeyError> {
		Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes; qed")))
	}
	fn limbs(&mut self) -> Result<BigInteger256, ZkeyError> {
		let bytes = self.take(32)?;
		let mut limbs = [0u64; 4];
		for (i, limb) in limbs.iter_mut().enumerate() {
			*limb = u64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().expect("8 bytes; qed"));
		}
		Ok(BigInteger256::new(limbs))
	}
	/// A base-field element in Montgomery form.
	fn fq(&mut self) -> Result<Fq, ZkeyError> {
		let limbs = self.limbs()?;
		if limbs >= Fq::MODULUS {
			return Err(ZkeyError::Format(format!("a coordinate of section {} is not below q", self.section)));
		}
		Ok(Fq::new_unchecked(limbs))
	}
	fn g1(&mut self) -> Result<G1Affine, ZkeyError> {
		let (x, y) = (self.fq()?, self.fq()?);
		if x.is_zero() && y.is_zero() {
			return Ok(G1Affine::identity());
		}
		let point = G1Affine::new_unchecked(x, y);
		if !point.is_on_curve() {
			return Err(ZkeyError::NotOnCurve(self.section));
		}
		Ok(point)
	}
	fn g2(&mut self) -> Result<G2Affine, ZkeyError> {
		let x = Fq2::new(self.fq()?, self.fq()?);
		let y = Fq2::new(self.fq()?, self.fq()?);
		if x.is_zero() && y.is_zero() {
			return Ok(G2Affine::identity());
		}
		let point = G2Affine::new_unchecked(x, y);
		if !point.is_on_curve() {
			return Err(ZkeyError::NotOnCurve(self.section));
		}
		Ok(point)
	}
	fn g1s(&mut self, n: usize) -> Result<Vec<G1Affine>, ZkeyError> {
		(0..n).map(|_| self.g1()).collect()
	}
}

use ark_ff::Zero as _;

/// A `.zkey`'s header and verifying key (sections 1 to 3), read before anything else.
struct Head {
	n_vars: usize,
	n_public: usize,
	domain_size: usize,
	beta_g1: G1Affine,
	delta_g1: G1Affine,
	vk: VerifyingKey<ark_bn254::Bn254>,
}

/// The bytes a G1 and a G2 point take in a `.zkey`.
const G1_BYTES: usize = 64;
const G2_BYTES: usize = 128;

impl Zkey {
	/// The verifying key of a `.zkey`, reading only its header and section 3 (a few hundred
	/// bytes): so that a daemon can check that a file is the job's circuit before it parses,
	/// or allocates for, the rest.
	pub fn read_verifying_key(bytes: &[u8]) -> Result<VerifyingKey<ark_bn254::Bn254>, ZkeyError> {
		let sections = super::binfile::sections(bytes, b"zkey").map_err(ZkeyError::Format)?;
		Ok(Self::head(&sections)?.vk)
	}

	fn head(sections: &std::collections::BTreeMap<u32, &[u8]>) -> Result<Head, ZkeyError> {
		let section = |kind: u32| Reader::of(sections, kind);
		let protocol = section(1)?.u32()?;
		if protocol != 1 {
			return Err(ZkeyError::Protocol(protocol));
		}
		let mut header = section(2)?;
		let n8q = header.u32()? as usize;
		let q = header.take(n8q)?.to_vec();
		let n8r = header.u32()? as usize;
		let r = header.take(n8r)?.to_vec();
		let modulus_bytes = |m: BigInteger256| -> Vec<u8> { m.0.iter().flat_map(|l| l.to_le_bytes()).collect() };
		if q != modulus_bytes(Fq::MODULUS) || r != modulus_bytes(Fr::MODULUS) {
			return Err(ZkeyError::Curve);
		}
		let n_vars = header.u32()? as usize;
		let n_public = header.u32()? as usize;
		let domain_size = header.u32()? as usize;
		if !domain_size.is_power_of_two() || n_public >= n_vars {
			return Err(ZkeyError::Format(format!("nVars {n_vars}, nPublic {n_public}, domain size {domain_size}")));
		}
		// Every count the header declares is bounded by the bytes its section actually holds
		// before anything is allocated for it: a 1 KB file cannot claim a 2³¹ domain.
		let holds = |kind: u32, count: usize, size: usize| -> Result<(), ZkeyError> {
			let have = sections.get(&kind).map_or(0, |s| s.len());
			match count.checked_mul(size) {
				Some(need) if need <= have => Ok(()),
				_ => Err(ZkeyError::Format(format!("section {kind} holds {have} bytes, too few for the {count} elements the header declares"))),
			}
		};
		holds(3, n_public + 1, G1_BYTES)?;
		holds(5, n_vars, G1_BYTES)?;
		holds(6, n_vars, G1_BYTES)?;
		holds(7, n_vars, G2_BYTES)?;
		holds(8, n_vars - n_public - 1, G1_BYTES)?;
		holds(9, domain_size, G1_BYTES)?;
		let alpha_g1 = header.g1()?;
		let beta_g1 = header.g1()?;
		let beta_g2 = header.g2()?;
		let gamma_g2 = header.g2()?;
		let delta_g1 = header.g1()?;
		let delta_g2 = header.g2()?;
		let gamma_abc_g1 = section(3)?.g1s(n_public + 1)?;
		let vk = VerifyingKey { alpha_g1, beta_g2, gamma_g2, delta_g2, gamma_abc_g1 };
		Ok(Head { n_vars, n_public, domain_size, beta_g1, delta_g1, vk })
	}

	/// Parses a `.zkey` (module docs).
	pub fn read(bytes: &[u8]) -> Result<Zkey, ZkeyError> {
		let sections = super::binfile::sections(bytes, b"zkey").map_err(ZkeyError::Format)?;
		let section = |kind: u32| Reader::of(&sections, kind);
		let Head { n_vars, n_public, domain_size, beta_g1, delta_g1, vk } = Self::head(&sections)?;

		let mut coefficients = section(4)?;
		let count = coefficients.u32()? as usize;
		// Each coefficient is 44 bytes (matrix, constraint, signal: u32; value: 32 bytes).
		if count.checked_mul(44).is_none_or(|need| need > coefficients.bytes.len() - 4) {
			return Err(ZkeyError::Format(format!("section 4 declares {count} coefficients, more than its bytes hold")));
		}
		let mut a: Vec<Vec<(Fr, usize)>> = Vec::new();
		let mut b: Vec<Vec<(Fr, usize)>> = Vec::new();
		// Coefficients are stored times R² (Montgomery form of a Montgomery form).
		let r_inverse = Fr::from_bigint(Fr::R).expect("R mod r is a field element; qed").inverse().expect("R is invertible; qed");
		for index in 0..count {
			let matrix = coefficients.u32()?;
			let constraint = coefficients.u32()? as usize;
			let signal = coefficients.u32()? as usize;
			let limbs = coefficients.limbs()?;
			if limbs >= Fr::MODULUS || constraint >= domain_size || signal >= n_vars || matrix > 1 {
				return Err(ZkeyError::Coefficient(index));
			}
			let value = Fr::new_unchecked(limbs) * r_inverse;
			let rows = if matrix == 0 { &mut a } else { &mut b };
			if rows.len() <= constraint {
				rows.resize(constraint + 1, Vec::new());
			}
			rows[constraint].push((value, signal));
		}
		let rows = a.len().max(b.len());
		a.resize(rows, Vec::new());
		b.resize(rows, Vec::new());
		if rows < n_public + 1 || rows > domain_size {
			return Err(ZkeyError::Format(format!("{rows} constraint rows for a domain of {domain_size}")));
		}
		let a_query = section(5)?.g1s(n_vars)?;
		let b_g1_query = section(6)?.g1s(n_vars)?;
		let mut b2 = section(7)?;
		let b_g2_query = (0..n_vars).map(|_| b2.g2()).collect::<Result<Vec<_>, _>>()?;
		let l_query = section(8)?.g1s(n_vars - n_public - 1)?;
		let h_query = section(9)?.g1s(domain_size)?;
		let matrices = ConstraintMatrices {
			num_instance_variables: n_public + 1,
			num_witness_variables: n_vars - n_public - 1,
			num_constraints: rows,
			a_num_non_zero: a.iter().map(Vec::len).sum(),
			b_num_non_zero: b.iter().map(Vec::len).sum(),
			c_num_non_zero: 0,
			a,
			b,
			c: Vec::new(),
		};
		let pk = ProvingKey { vk, beta_g1, delta_g1, a_query, b_g1_query, b_g2_query, h_query, l_query };
		Ok(Zkey { pk, matrices, n_public, n_vars, domain_size })
	}

	/// The number of constraints the circuit has (its rows less snarkjs's input rows).
	pub fn constraints(&self) -> usize {
		self.matrices.num_constraints - (self.n_public + 1)
	}
}
