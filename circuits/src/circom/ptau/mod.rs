//! snarkjs's powers of tau file (`.ptau`, BN254), prepared for phase 2, written from known
//! secrets: Cloudana's **development** powers of tau.
//!
//! Phase 1 of a Groth16 setup (Bowe–Gabizon–Miers, "Scalable multi-party computation for
//! zk-SNARK parameters", 2017) publishes `τⁱ·G1`, `τⁱ·G2`, `α·τⁱ·G1`, `β·τⁱ·G1` and `β·G2` for a
//! secret `τ, α, β` nobody knows when the ceremony had one honest contributor. snarkjs's
//! `groth16 setup` takes such a file, "prepared" with the same points in Lagrange form, and makes a
//! circuit's proving key. [`write`] makes that file from secrets the caller knows, as one
//! contribution, in exactly the bytes snarkjs 0.7.6 writes for `new` → `contribute` →
//! `prepare phase2` (tested byte for byte against a file that `snarkjs powersoftau prepare
//! phase2` re-made), so that `snarkjs powersoftau verify` accepts it. It takes seconds on two
//! cores where snarkjs's single-threaded `prepare phase2` takes most of an hour for 2¹⁶.
//!
//! **Whoever knows the secrets can forge proofs for every circuit set up from the file.** The
//! development secrets ([`Secrets::development`]) come from a public seed: the file exists so that
//! tests and demos get a setup in seconds. A production circuit needs a real ceremony.
//!
//! # Layout (power `p`, `n = 2ᵖ`)
//!
//! The container is [`super::binfile`]'s with magic `ptau` and 11 sections, written in the order
//! 1–7, 12–15. Points are affine, Montgomery form, little-endian (`binfile::put_g1`/`put_g2`).
//!
//! | id | contents | points |
//! |---:|---|---:|
//! | 1 | header: `u32` 32 (bytes per element), `q` (32 bytes LE, plain), `u32` power, `u32` ceremony power | – |
//! | 2 | `τⁱ·G1` | `2n − 1` |
//! | 3 | `τⁱ·G2` | `n` |
//! | 4 | `α·τⁱ·G1` | `n` |
//! | 5 | `β·τⁱ·G1` | `n` |
//! | 6 | `β·G2` | 1 |
//! | 7 | the contributions: `u32` count (1), then the record below | – |
//! | 12 | `Lⱼ(τ)·G1` for domains `2ᵏ`, `k = 0..=p+1`, concatenated by `k` | `4n − 1` |
//! | 13, 14, 15 | `Lⱼ(τ)·G2`, `α·Lⱼ(τ)·G1`, `β·Lⱼ(τ)·G1`, `k = 0..=p` | `2n − 1` each |
//!
//! `Lⱼ` is the Lagrange polynomial of the domain `{ωₖʲ}` (ω₂₈ = 5^((r−1)/2²⁸), arkworks' root),
//! that is the inverse FFT of the powers of τ; for `k = p+1` the last power (which section 2 does
//! not hold) is taken as 0, as snarkjs does.
//!
//! The contribution record: `τ·G1`, `τ·G2`, `α·G1`, `β·G1`, `β·G2`; the public key (for τ, α, β:
//! `s·G1`, `x·s·G1`; then for τ, α, β: `x·G2_sp`, where `G2_sp` hashes the previous challenge
//! and the two G1 points to G2: the proof of knowledge); the response hasher's state after the
//! challenge and the compressed points (216 bytes, [`blake2b`]); the next challenge (64 bytes);
//! `u32` type 0; `u32` length of the parameters, then the name as `0x01, len, bytes`.
//!
//! Hashes are BLAKE2b-512. The first challenge hashes the empty hash and the points of a
//! ceremony with no contribution (all generators), uncompressed; the response hash hashes the
//! first challenge, every point of sections 2–6 compressed, and the public key uncompressed; the
//! next challenge hashes the response hash and every point of sections 2–6 uncompressed.
//! "Uncompressed" is big-endian plain coordinates (G2: `c1` before `c0`, the identity as zeros):
//! EIP-197's encoding, `cloudana_groth16::encoding::{encode_g1, encode_g2}`. "Compressed" is `x`
//! alone with bit `0x80` of the first byte set when `y` is the larger root (`0x40`: identity).

pub mod blake2b;

use super::binfile;
use cloudana_groth16::encoding::{encode_fq, encode_g1, encode_g2};
use ark_bn254::{g2, Fq, Fq2, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{scalar_mul::BatchMulPreprocessing, short_weierstrass::SWCurveConfig, AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{BigInt, BigInteger, Field, LegendreSymbol, One, PrimeField, Zero};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use blake2b::Blake2b512;
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use rayon::prelude::*;
use std::io::Write;

/// The largest power [`write`] makes: 2²⁴ (a file of about 18 GB; snarkjs's format goes to 2²⁷).
pub const MAX_POWER: u32 = 24;

/// The public seed of the development secrets. NOT FOR PRODUCTION.
pub const DEV_SEED: &str = "cloudana/dev-ptau/v1 -- public seed, NOT FOR PRODUCTION";

/// The development contribution's name, as snarkjs prints it.
pub const DEV_NAME: &str = "cloudana development ptau (public seed, NOT FOR PRODUCTION)";

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PtauError {
	/// The power is outside `1..=MAX_POWER`.
	#[error("power {0} is outside 1..={MAX_POWER} (circuits of up to 2^power constraints)")]
	Power(u32),
	/// A secret is zero (the proof of knowledge would not verify).
	#[error("a secret scalar is zero")]
	ZeroSecret,
	/// The contribution's name is not ASCII of at most 64 bytes (snarkjs's limit).
	#[error("the contribution name must be ASCII of at most 64 bytes")]
	Name,
	/// Writing failed.
	#[error(transparent)]
	Io(#[from] std::io::Error),
}

/// One contribution's secrets: τ, α, β and the three scalars `s` of its proof of knowledge.
pub struct Secrets {
	/// τ.
	pub tau: Fr,
	/// α.
	pub alpha: Fr,
	/// β.
	pub beta: Fr,
	/// The proof of knowledge's `s` for τ, α and β (`s·G1` is published).
	pub s: [Fr; 3],
}

impl Secrets {
	/// The development secrets: ChaCha20 seeded with BLAKE2b-256 of [`DEV_SEED`]. Anyone can
	/// recompute them. NOT FOR PRODUCTION.
	pub fn development() -> Self {
		let mut rng = ChaCha20Rng::from_seed(sp_crypto_hashing::blake2_256(DEV_SEED.as_bytes()));
		let mut draw = || loop {
			let mut bytes = [0u8; 64];
			rng.fill_bytes(&mut bytes);
			let x = Fr::from_le_bytes_mod_order(&bytes);
			if !x.is_zero() {
				return x;
			}
		};
		Secrets { tau: draw(), alpha: draw(), beta: draw(), s: [draw(), draw(), draw()] }
	}
}

/// The hashes of a written file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transcript {
	/// The challenge the contribution answers (the empty ceremony's).
	pub first_challenge: [u8; 64],
	/// The contribution's response hash (snarkjs's "Contribution Hash").
	pub response_hash: [u8; 64],
	/// The challenge a next contribution would answer.
	pub next_challenge: [u8; 64],
}

/// Writes a prepared `.ptau` of power `power` with one contribution of `secrets` named `name`
/// (module docs), and returns its hashes. Multi-threaded (rayon).
pub fn write(power: u32, secrets: &Secrets, name: &str, out: &mut impl Write) -> Result<Transcript, PtauError> {
	if !(1..=MAX_POWER).contains(&power) {
		return Err(PtauError::Power(power));
	}
	let Secrets { tau, alpha, beta, s } = secrets;
	if [tau, alpha, beta].into_iter().chain(s).any(|x| x.is_zero()) {
		return Err(PtauError::ZeroSecret);
	}
	if !name.is_ascii() || name.len() > 64 {
		return Err(PtauError::Name);
	}
	let started = std::time::Instant::now();
	let n = 1usize << power;
	let powers: Vec<Fr> = std::iter::successors(Some(Fr::one()), |p| Some(*p * tau)).take(2 * n - 1).collect();
	let g1 = BatchMulPreprocessing::new(G1Projective::generator(), 4 * n);
	let g2 = BatchMulPreprocessing::new(G2Projective::generator(), 2 * n);
	let times = |x: &Fr, v: &[Fr]| -> Vec<Fr> { v.par_iter().map(|p| *x * p).collect() };

	let tau_g1 = g1.batch_mul(&powers);
	let tau_g2 = g2.batch_mul(&powers[..n]);
	let alpha_tau_g1 = g1.batch_mul(&times(alpha, &powers[..n]));
	let beta_tau_g1 = g1.batch_mul(&times(beta, &powers[..n]));
	let beta_g2 = (G2Affine::generator() * beta).into_affine();
	tracing::info!(power, seconds = started.elapsed().as_secs_f32(), "powers of tau computed");

	// The contribution's public key, bound to the first challenge.
	let first_challenge = first_challenge(power);
	let key: Vec<(G1Affine, G1Affine, G2Affine)> = [tau, alpha, beta]
		.into_iter()
		.zip(s)
		.enumerate()
		.map(|(personalization, (x, s))| {
			let g1_s = (G1Affine::generator() * s).into_affine();
			let g1_sx = (G1Affine::generator() * (*s * x)).into_affine();
			let g2_spx = (g2_sp(personalization as u8, &first_challenge, &g1_s, &g1_sx) * x).into_affine();
			(g1_s, g1_sx, g2_spx)
		})
		.collect();
	let mut key_uncompressed = Vec::with_capacity(768);
	for (g1_s, g1_sx, _) in &key {
		key_uncompressed.extend(encode_g1(g1_s));
		key_uncompressed.extend(encode_g1(g1_sx));
	}
	for (_, _, g2_spx) in &key {
		key_uncompressed.extend(encode_g2(g2_spx));
	}

	// The response hash (through the stored partial state) and the next challenge.
	let accumulator = Accumulator {
		tau_g1: &tau_g1,
		tau_g2: &tau_g2,
		alpha_tau_g1: &alpha_tau_g1,
		beta_tau_g1: &beta_tau_g1,
		beta_g2: &beta_g2,
	};
	let mut response = Blake2b512::new();
	response.update(&first_challenge);
	accumulator.absorb(&mut response, compressed_g1, compressed_g2);
	let partial_state = response.partial_state();
	response.update(&key_uncompressed);
	let response_hash = response.finalize();
	let mut next = Blake2b512::new();
	next.update(&response_hash);
	accumulator.absorb(&mut next, encode_g1, encode_g2);
	let next_challenge = next.finalize();

	// Lagrange form: the inverse FFT of the powers, per domain size.
	let mut lagrange = Vec::with_capacity(4 * n);
	for k in 0..=power + 1 {
		let m = 1usize << k;
		let domain = Radix2EvaluationDomain::<Fr>::new(m).expect("2^k ≤ 2^28 fits BN254's two-adicity; qed");
		let mut values = powers[..m.min(powers.len())].to_vec();
		values.resize(m, Fr::zero());
		lagrange.extend(domain.ifft(&values));
	}
	let small = 2 * n - 1; // the blocks k = 0..=p
	let lagrange_tau_g1 = g1.batch_mul(&lagrange);
	let lagrange_tau_g2 = g2.batch_mul(&lagrange[..small]);
	let lagrange_alpha_g1 = g1.batch_mul(&times(alpha, &lagrange[..small]));
	let lagrange_beta_g1 = g1.batch_mul(&times(beta, &lagrange[..small]));
	tracing::info!(power, seconds = started.elapsed().as_secs_f32(), "Lagrange sections computed");

	// The file.
	binfile::write_header(out, b"ptau", 11)?;
	let mut header = Vec::with_capacity(44);
	header.extend_from_slice(&32u32.to_le_bytes());
	header.extend_from_slice(&Fq::MODULUS.to_bytes_le());
	header.extend_from_slice(&power.to_le_bytes());
	header.extend_from_slice(&power.to_le_bytes());
	binfile::write_section(out, 1, &header)?;
	binfile::write_section(out, 2, &g1_section(&tau_g1))?;
	binfile::write_section(out, 3, &g2_section(&tau_g2))?;
	binfile::write_section(out, 4, &g1_section(&alpha_tau_g1))?;
	binfile::write_section(out, 5, &g1_section(&beta_tau_g1))?;
	binfile::write_section(out, 6, &g2_section(&[beta_g2]))?;
	let mut record = Vec::with_capacity(4 + 1504 + 66);
	record.extend_from_slice(&1u32.to_le_bytes());
	binfile::put_g1(&mut record, &tau_g1[1]);
	binfile::put_g2(&mut record, &tau_g2[1]);
	binfile::put_g1(&mut record, &alpha_tau_g1[0]);
	binfile::put_g1(&mut record, &beta_tau_g1[0]);
	binfile::put_g2(&mut record, &beta_g2);
	for (g1_s, g1_sx, _) in &key {
		binfile::put_g1(&mut record, g1_s);
		binfile::put_g1(&mut record, g1_sx);
	}
	for (_, _, g2_spx) in &key {
		binfile::put_g2(&mut record, g2_spx);
	}
	record.extend_from_slice(&partial_state);
	record.extend_from_slice(&next_challenge);
	record.extend_from_slice(&0u32.to_le_bytes()); // a contribution, not a beacon
	let params: Vec<u8> = if name.is_empty() { Vec::new() } else { [&[1u8, name.len() as u8][..], name.as_bytes()].concat() };
	record.extend_from_slice(&(params.len() as u32).to_le_bytes());
	record.extend_from_slice(&params);
	binfile::write_section(out, 7, &record)?;
	binfile::write_section(out, 12, &g1_section(&lagrange_tau_g1))?;
	binfile::write_section(out, 13, &g2_section(&lagrange_tau_g2))?;
	binfile::write_section(out, 14, &g1_section(&lagrange_alpha_g1))?;
	binfile::write_section(out, 15, &g1_section(&lagrange_beta_g1))?;
	out.flush()?;
	tracing::info!(power, seconds = started.elapsed().as_secs_f32(), "powers of tau written");
	Ok(Transcript { first_challenge, response_hash, next_challenge })
}

/// Sections 2–6, the points a contribution publishes, in the order they are hashed.
struct Accumulator<'a> {
	tau_g1: &'a [G1Affine],
	tau_g2: &'a [G2Affine],
	alpha_tau_g1: &'a [G1Affine],
	beta_tau_g1: &'a [G1Affine],
	beta_g2: &'a G2Affine,
}

impl Accumulator<'_> {
	/// Hashes every point, in section order, G1 points encoded by `g1` and G2 points by `g2`.
	fn absorb<const N1: usize, const N2: usize>(
		&self,
		h: &mut Blake2b512,
		g1: fn(&G1Affine) -> [u8; N1],
		g2: fn(&G2Affine) -> [u8; N2],
	) {
		absorb(h, self.tau_g1, g1);
		absorb(h, self.tau_g2, g2);
		absorb(h, self.alpha_tau_g1, g1);
		absorb(h, self.beta_tau_g1, g1);
		absorb(h, core::slice::from_ref(self.beta_g2), g2);
	}
}

/// Hashes `points` in order, each encoded by `encode` (the encoding in parallel).
fn absorb<P: Sync, const N: usize>(h: &mut Blake2b512, points: &[P], encode: fn(&P) -> [u8; N]) {
	for chunk in points.chunks(1 << 14) {
		let encoded: Vec<[u8; N]> = chunk.par_iter().map(encode).collect();
		encoded.iter().for_each(|bytes| h.update(bytes));
	}
}

/// A section's body: `points`, each `width` bytes as `put` writes it (in parallel, in order).
fn section<P: Sync>(points: &[P], width: usize, put: fn(&mut Vec<u8>, &P)) -> Vec<u8> {
	let parts: Vec<Vec<u8>> = points
		.par_chunks(1 << 13)
		.map(|chunk| {
			let mut out = Vec::with_capacity(width * chunk.len());
			chunk.iter().for_each(|p| put(&mut out, p));
			out
		})
		.collect();
	parts.concat()
}

fn g1_section(points: &[G1Affine]) -> Vec<u8> {
	section(points, 64, binfile::put_g1)
}

fn g2_section(points: &[G2Affine]) -> Vec<u8> {
	section(points, 128, binfile::put_g2)
}

/// The challenge of a ceremony of power `power` with no contribution yet: BLAKE2b-512 of the
/// empty hash and every point of the empty accumulator (generators), uncompressed.
pub fn first_challenge(power: u32) -> [u8; 64] {
	let n = 1usize << power;
	let (g1, g2) = (encode_g1(&G1Affine::generator()), encode_g2(&G2Affine::generator()));
	let mut h = Blake2b512::new();
	h.update(&blake2b::hash(&[]));
	for _ in 0..2 * n - 1 {
		h.update(&g1);
	}
	for _ in 0..n {
		h.update(&g2);
	}
	for _ in 0..2 * n {
		h.update(&g1);
	}
	h.update(&g2);
	h.finalize()
}

/// The G2 point of a proof of knowledge: BLAKE2b-512 of the personalization (0 τ, 1 α, 2 β),
/// the previous challenge and the two G1 points (uncompressed), hashed to G2 ([`hash_to_g2`]).
pub fn g2_sp(personalization: u8, challenge: &[u8; 64], g1_s: &G1Affine, g1_sx: &G1Affine) -> G2Affine {
	hash_to_g2(&blake2b::hash(&[&[personalization], challenge, &encode_g1(g1_s), &encode_g1(g1_sx)]))
}

/// snarkjs's hash to G2 (`keypair.js` `hashToG2`, ffjavascript's `G2.fromRng`): ChaCha20 keyed by
/// the digest's first 32 bytes read as big-endian words; `x` drawn as two base-field elements
/// (each four 64-bit draws, high word first, masked to 254 bits, rejected at or above `q`, and
/// taken as a Montgomery form), and a sign bit, until `x³ + b` is a square; `y` its root with
/// that sign; the point times the cofactor `2q − r` (a plain multiplication).
pub fn hash_to_g2(digest: &[u8; 64]) -> G2Affine {
	let mut key = [0u8; 32];
	for (word, out) in digest[..32].chunks(4).zip(key.chunks_mut(4)) {
		out.copy_from_slice(&[word[3], word[2], word[1], word[0]]);
	}
	let mut rng = ChaCha20Rng::from_seed(key);
	let next_u64 = |rng: &mut ChaCha20Rng| (u64::from(rng.next_u32()) << 32) | u64::from(rng.next_u32());
	let fq = |rng: &mut ChaCha20Rng| loop {
		let mut limbs = [0u64; 4];
		for limb in limbs.iter_mut() {
			*limb = next_u64(rng);
		}
		limbs[3] &= (1 << 62) - 1;
		let raw = BigInt::new(limbs);
		if raw < Fq::MODULUS {
			return Fq::new_unchecked(raw);
		}
	};
	loop {
		let x = Fq2::new(fq(&mut rng), fq(&mut rng));
		let greatest = rng.next_u32() & 1 == 1;
		let rhs = x.square() * x + g2::Config::COEFF_B;
		if rhs.legendre() == LegendreSymbol::QuadraticNonResidue {
			continue;
		}
		let mut y = rhs.sqrt().expect("a square has a root; qed");
		if greatest != is_negative_fq2(&y) {
			y = -y;
		}
		return G2Affine::new_unchecked(x, y).mul_bigint(G2_COFACTOR).into_affine();
	}
}

/// BN254's G2 cofactor as snarkjs multiplies by it: `2q − r`.
const G2_COFACTOR: BigInt<4> = BigInt::new([0x345f2299c0f9fa8d, 0x06ceecda572a2489, 0xb85045b68181585e, 0x30644e72e131a029]);

fn is_negative(x: &Fq) -> bool {
	x.into_bigint() > Fq::MODULUS_MINUS_ONE_DIV_TWO
}

fn is_negative_fq2(x: &Fq2) -> bool {
	if x.c1.is_zero() {
		is_negative(&x.c0)
	} else {
		is_negative(&x.c1)
	}
}

/// A G1 point compressed: `x` big-endian, `0x80` in the first byte when `y` is the larger root
/// (identity: `0x40` then zeros).
pub fn compressed_g1(p: &G1Affine) -> [u8; 32] {
	let mut out = [0u8; 32];
	match p.xy() {
		Some((x, y)) => {
			out.copy_from_slice(&encode_fq(&x));
			if is_negative(&y) {
				out[0] |= 0x80;
			}
		},
		None => out[0] = 0x40,
	}
	out
}

/// A G2 point compressed: `x.c1 ‖ x.c0` big-endian, the sign of `y` as for G1 (`c1`'s unless it
/// is zero).
pub fn compressed_g2(p: &G2Affine) -> [u8; 64] {
	let mut out = [0u8; 64];
	match p.xy() {
		Some((x, y)) => {
			out[..32].copy_from_slice(&encode_fq(&x.c1));
			out[32..].copy_from_slice(&encode_fq(&x.c0));
			if is_negative_fq2(&y) {
				out[0] |= 0x80;
			}
		},
		None => out[0] = 0x40,
	}
	out
}

#[cfg(test)]
mod tests;
