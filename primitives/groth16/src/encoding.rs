//! EIP-197 encodings of BN254 field elements, scalars and points, with validation.
//!
//! Source: EIP-197, "Precompiled contracts for optimal ate pairing check on the elliptic curve
//! alt_bn128" (<https://eips.ethereum.org/EIPS/eip-197>), section "Encoding".
//!
//! | value | bytes | layout |
//! |---|---|---|
//! | `Fq`, `Fr` | 32 | big-endian integer; must be `< p` (resp. `< r`) |
//! | G1 | 64 | `x ‖ y`; `(0, 0)` is the identity |
//! | G2 | 128 | `x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0` (imaginary part first); all zeros is the identity |

use crate::types::{Element, G1Bytes, G2Bytes, Groth16Error, G1_LEN, G2_LEN, SCALAR_LEN};
use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInt, PrimeField, Zero};

/// Reads a 32-byte big-endian integer into the 4 little-endian limbs arkworks uses.
fn bigint_from_be(bytes: &[u8]) -> BigInt<4> {
	debug_assert_eq!(bytes.len(), SCALAR_LEN);
	let mut limbs = [0u64; 4];
	for (i, limb) in limbs.iter_mut().enumerate() {
		let start = SCALAR_LEN - 8 * (i + 1);
		let mut word = [0u8; 8];
		word.copy_from_slice(&bytes[start..start + 8]);
		*limb = u64::from_be_bytes(word);
	}
	BigInt::new(limbs)
}

/// Writes arkworks' 4 little-endian limbs as a 32-byte big-endian integer.
fn bigint_to_be(value: BigInt<4>) -> [u8; SCALAR_LEN] {
	let mut out = [0u8; SCALAR_LEN];
	for (i, limb) in value.0.iter().enumerate() {
		let start = SCALAR_LEN - 8 * (i + 1);
		out[start..start + 8].copy_from_slice(&limb.to_be_bytes());
	}
	out
}

/// Decodes a base-field element; `None` if it is not canonical (`≥ p`).
pub fn decode_fq(bytes: &[u8]) -> Option<Fq> {
	Fq::from_bigint(bigint_from_be(bytes))
}

/// Encodes a base-field element, 32 bytes big-endian.
pub fn encode_fq(value: &Fq) -> [u8; SCALAR_LEN] {
	bigint_to_be(value.into_bigint())
}

/// Decodes a public input: a scalar that must be canonical (`< r`). It is never reduced: a
/// value `x + r` is refused, not read as `x`.
pub fn decode_fr(bytes: &[u8; SCALAR_LEN], element: Element) -> Result<Fr, Groth16Error> {
	Fr::from_bigint(bigint_from_be(bytes)).ok_or(Groth16Error::PublicInputNotInField(element))
}

/// Encodes a scalar, 32 bytes big-endian.
pub fn encode_fr(value: &Fr) -> [u8; SCALAR_LEN] {
	bigint_to_be(value.into_bigint())
}

fn fq_at(bytes: &[u8], offset: usize, element: Element) -> Result<Fq, Groth16Error> {
	decode_fq(&bytes[offset..offset + SCALAR_LEN])
		.ok_or(Groth16Error::NonCanonicalFieldElement(element))
}

/// Decodes a G1 point: canonical coordinates, on the curve. `(0, 0)` decodes to the identity;
/// the caller decides whether the identity is allowed. BN254's G1 has cofactor 1, so every point
/// on the curve is in the prime-order subgroup.
pub fn decode_g1(bytes: &G1Bytes, element: Element) -> Result<G1Affine, Groth16Error> {
	let x = fq_at(bytes, 0, element)?;
	let y = fq_at(bytes, SCALAR_LEN, element)?;
	if x.is_zero() && y.is_zero() {
		return Ok(G1Affine::identity());
	}
	let point = G1Affine::new_unchecked(x, y);
	if !point.is_on_curve() {
		return Err(Groth16Error::PointNotOnCurve(element));
	}
	Ok(point)
}

/// Encodes a G1 point; the identity is `(0, 0)`.
pub fn encode_g1(point: &G1Affine) -> G1Bytes {
	let mut out = [0u8; G1_LEN];
	if let Some((x, y)) = point.xy() {
		out[..SCALAR_LEN].copy_from_slice(&encode_fq(&x));
		out[SCALAR_LEN..].copy_from_slice(&encode_fq(&y));
	}
	out
}

/// Decodes a G2 point: canonical coordinates, on the twist, in the prime-order subgroup. All
/// zeros decodes to the identity; the caller decides whether the identity is allowed.
pub fn decode_g2(bytes: &G2Bytes, element: Element) -> Result<G2Affine, Groth16Error> {
	let x_c1 = fq_at(bytes, 0, element)?;
	let x_c0 = fq_at(bytes, SCALAR_LEN, element)?;
	let y_c1 = fq_at(bytes, 2 * SCALAR_LEN, element)?;
	let y_c0 = fq_at(bytes, 3 * SCALAR_LEN, element)?;
	let (x, y) = (Fq2::new(x_c0, x_c1), Fq2::new(y_c0, y_c1));
	if x.is_zero() && y.is_zero() {
		return Ok(G2Affine::identity());
	}
	let point = G2Affine::new_unchecked(x, y);
	if !point.is_on_curve() {
		return Err(Groth16Error::PointNotOnCurve(element));
	}
	if !point.is_in_correct_subgroup_assuming_on_curve() {
		return Err(Groth16Error::PointNotInSubgroup(element));
	}
	Ok(point)
}

/// Encodes a G2 point as `x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0`; the identity is all zeros.
pub fn encode_g2(point: &G2Affine) -> G2Bytes {
	let mut out = [0u8; G2_LEN];
	if let Some((x, y)) = point.xy() {
		out[..SCALAR_LEN].copy_from_slice(&encode_fq(&x.c1));
		out[SCALAR_LEN..2 * SCALAR_LEN].copy_from_slice(&encode_fq(&x.c0));
		out[2 * SCALAR_LEN..3 * SCALAR_LEN].copy_from_slice(&encode_fq(&y.c1));
		out[3 * SCALAR_LEN..].copy_from_slice(&encode_fq(&y.c0));
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use ark_ec::CurveGroup;
	use ark_ff::{BigInteger, One};

	#[test]
	fn generators_round_trip() {
		let g1 = G1Affine::generator();
		assert_eq!(decode_g1(&encode_g1(&g1), Element::ProofA).unwrap(), g1);
		let g2 = G2Affine::generator();
		assert_eq!(decode_g2(&encode_g2(&g2), Element::ProofB).unwrap(), g2);
		let p = (g1 * Fr::from(12345u64)).into_affine();
		assert_eq!(decode_g1(&encode_g1(&p), Element::ProofA).unwrap(), p);
	}

	#[test]
	fn g1_generator_is_eip197_one_two() {
		// EIP-197: the G1 generator is (1, 2).
		let bytes = encode_g1(&G1Affine::generator());
		assert_eq!(bytes[31], 1);
		assert_eq!(bytes[63], 2);
		assert!(bytes[..31].iter().all(|b| *b == 0));
	}

	#[test]
	fn g2_generator_matches_eip197() {
		// EIP-197 lists the G2 generator with x = 11559…05634·i + 10857…52781 (imaginary first).
		let bytes = encode_g2(&G2Affine::generator());
		assert_eq!(
			hex::encode(&bytes[..32]),
			"198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
		);
		assert_eq!(
			hex::encode(&bytes[32..64]),
			"1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
		);
	}

	#[test]
	fn identity_encodes_to_zeros() {
		assert_eq!(encode_g1(&G1Affine::identity()), [0u8; 64]);
		assert_eq!(encode_g2(&G2Affine::identity()), [0u8; 128]);
		assert!(decode_g1(&[0u8; 64], Element::Alpha).unwrap().is_zero());
		assert!(decode_g2(&[0u8; 128], Element::Beta).unwrap().is_zero());
	}

	#[test]
	fn modulus_is_not_canonical() {
		let p = bigint_to_be(Fq::MODULUS);
		assert!(decode_fq(&p).is_none());
		let mut p_minus_one = Fq::MODULUS;
		p_minus_one.sub_with_borrow(&BigInt::one());
		assert!(decode_fq(&bigint_to_be(p_minus_one)).is_some());
		let r = bigint_to_be(Fr::MODULUS);
		assert_eq!(
			decode_fr(&r, Element::PublicInput(0)),
			Err(Groth16Error::PublicInputNotInField(Element::PublicInput(0)))
		);
	}

	#[test]
	fn scalars_round_trip() {
		for v in [Fr::zero(), Fr::one(), -Fr::one(), Fr::from(u64::MAX)] {
			assert_eq!(decode_fr(&encode_fr(&v), Element::PublicInput(0)).unwrap(), v);
		}
	}
}
