//! The byte-level types of proofs, verifying keys and public inputs, and the errors of
//! validation and verification.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Bytes of an EIP-197 field element or scalar (big-endian).
pub const SCALAR_LEN: usize = 32;
/// Bytes of an EIP-197 G1 point (`x ‖ y`).
pub const G1_LEN: usize = 64;
/// Bytes of an EIP-197 G2 point (`x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0`).
pub const G2_LEN: usize = 128;
/// Bytes of a proof (`A ‖ B ‖ C`).
pub const PROOF_LEN: usize = G1_LEN + G2_LEN + G1_LEN;
/// The most public inputs a verifying key may have, whatever a chain configures below it.
pub const MAX_PUBLIC_INPUTS: u32 = 64;

/// An EIP-197 G1 point.
pub type G1Bytes = [u8; G1_LEN];
/// An EIP-197 G2 point.
pub type G2Bytes = [u8; G2_LEN];
/// A public input: a BN254 scalar (`< r`), 32 bytes big-endian.
pub type PublicInput = [u8; SCALAR_LEN];

/// A Groth16 proof in EIP-197 encoding: 256 bytes, as Ethereum and Solana verifiers take it.
#[derive(
	Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Proof {
	/// `A ∈ G1`.
	pub a: G1Bytes,
	/// `B ∈ G2`.
	pub b: G2Bytes,
	/// `C ∈ G1`.
	pub c: G1Bytes,
}

impl Proof {
	/// The flat 256-byte encoding `A ‖ B ‖ C`.
	pub fn to_bytes(&self) -> [u8; PROOF_LEN] {
		let mut out = [0u8; PROOF_LEN];
		out[..G1_LEN].copy_from_slice(&self.a);
		out[G1_LEN..G1_LEN + G2_LEN].copy_from_slice(&self.b);
		out[G1_LEN + G2_LEN..].copy_from_slice(&self.c);
		out
	}

	/// Parses the flat 256-byte encoding `A ‖ B ‖ C`.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, Groth16Error> {
		if bytes.len() != PROOF_LEN {
			return Err(Groth16Error::MalformedEncoding);
		}
		let mut proof = Proof { a: [0; G1_LEN], b: [0; G2_LEN], c: [0; G1_LEN] };
		proof.a.copy_from_slice(&bytes[..G1_LEN]);
		proof.b.copy_from_slice(&bytes[G1_LEN..G1_LEN + G2_LEN]);
		proof.c.copy_from_slice(&bytes[G1_LEN + G2_LEN..]);
		Ok(proof)
	}
}

impl core::fmt::Debug for Proof {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("Proof")
			.field("a", &HexBytes(&self.a))
			.field("b", &HexBytes(&self.b))
			.field("c", &HexBytes(&self.c))
			.finish()
	}
}

/// A Groth16 verifying key in EIP-197 encoding.
///
/// `Ic` holds the points `IC₀ … ICₙ` (snarkjs calls them `IC`, arkworks `gamma_abc_g1`), one more
/// than the public inputs; on chain it is a `BoundedVec`, off chain a `Vec`.
///
/// Its flat encoding, hashed to name a key on chain, is
/// `α ‖ β ‖ γ ‖ δ ‖ IC₀ ‖ … ‖ ICₙ` (64 + 3·128 + 64·(n+1) bytes), with no length prefix.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct VerifyingKey<Ic> {
	/// `α ∈ G1`.
	pub alpha_g1: G1Bytes,
	/// `β ∈ G2`.
	pub beta_g2: G2Bytes,
	/// `γ ∈ G2`.
	pub gamma_g2: G2Bytes,
	/// `δ ∈ G2`.
	pub delta_g2: G2Bytes,
	/// `IC₀ … ICₙ ∈ G1`, for `n` public inputs.
	pub ic: Ic,
}

impl<Ic: AsRef<[G1Bytes]>> VerifyingKey<Ic> {
	/// The number of public inputs this key verifies (`IC length − 1`); `None` if `IC` is empty.
	pub fn num_public_inputs(&self) -> Option<u32> {
		(self.ic.as_ref().len() as u32).checked_sub(1)
	}

	/// The flat encoding `α ‖ β ‖ γ ‖ δ ‖ IC₀ ‖ … ‖ ICₙ`.
	pub fn to_flat_bytes(&self) -> Vec<u8> {
		let ic = self.ic.as_ref();
		let mut out = Vec::with_capacity(G1_LEN + 3 * G2_LEN + G1_LEN * ic.len());
		out.extend_from_slice(&self.alpha_g1);
		out.extend_from_slice(&self.beta_g2);
		out.extend_from_slice(&self.gamma_g2);
		out.extend_from_slice(&self.delta_g2);
		for point in ic {
			out.extend_from_slice(point);
		}
		out
	}

	/// The same key with its `IC` points in a `Vec`.
	pub fn to_vec_key(&self) -> VerifyingKey<Vec<G1Bytes>> {
		VerifyingKey {
			alpha_g1: self.alpha_g1,
			beta_g2: self.beta_g2,
			gamma_g2: self.gamma_g2,
			delta_g2: self.delta_g2,
			ic: self.ic.as_ref().to_vec(),
		}
	}
}

impl<Ic> VerifyingKey<Ic> {
	/// The same key with its `IC` points converted, e.g. from a `Vec` to a `BoundedVec`:
	/// `vk.try_map_ic(TryInto::try_into)`.
	pub fn try_map_ic<J, E>(self, f: impl FnOnce(Ic) -> Result<J, E>) -> Result<VerifyingKey<J>, E> {
		Ok(VerifyingKey {
			alpha_g1: self.alpha_g1,
			beta_g2: self.beta_g2,
			gamma_g2: self.gamma_g2,
			delta_g2: self.delta_g2,
			ic: f(self.ic)?,
		})
	}
}

impl VerifyingKey<Vec<G1Bytes>> {
	/// Parses the flat encoding `α ‖ β ‖ γ ‖ δ ‖ IC₀ ‖ … ‖ ICₙ`.
	pub fn from_flat_bytes(bytes: &[u8]) -> Result<Self, Groth16Error> {
		const FIXED: usize = G1_LEN + 3 * G2_LEN;
		if bytes.len() < FIXED + G1_LEN || (bytes.len() - FIXED) % G1_LEN != 0 {
			return Err(Groth16Error::MalformedEncoding);
		}
		let mut key = VerifyingKey {
			alpha_g1: [0; G1_LEN],
			beta_g2: [0; G2_LEN],
			gamma_g2: [0; G2_LEN],
			delta_g2: [0; G2_LEN],
			ic: Vec::new(),
		};
		key.alpha_g1.copy_from_slice(&bytes[..G1_LEN]);
		key.beta_g2.copy_from_slice(&bytes[G1_LEN..G1_LEN + G2_LEN]);
		key.gamma_g2.copy_from_slice(&bytes[G1_LEN + G2_LEN..G1_LEN + 2 * G2_LEN]);
		key.delta_g2.copy_from_slice(&bytes[G1_LEN + 2 * G2_LEN..FIXED]);
		key.ic = bytes[FIXED..]
			.chunks_exact(G1_LEN)
			.map(|chunk| {
				let mut point = [0u8; G1_LEN];
				point.copy_from_slice(chunk);
				point
			})
			.collect();
		Ok(key)
	}
}

impl<Ic: AsRef<[G1Bytes]>> core::fmt::Debug for VerifyingKey<Ic> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("VerifyingKey")
			.field("alpha_g1", &HexBytes(&self.alpha_g1))
			.field("beta_g2", &HexBytes(&self.beta_g2))
			.field("gamma_g2", &HexBytes(&self.gamma_g2))
			.field("delta_g2", &HexBytes(&self.delta_g2))
			.field("ic_len", &self.ic.as_ref().len())
			.finish()
	}
}

/// Flattens public inputs into `n × 32` bytes, the layout the host function takes.
pub fn flatten_public_inputs(inputs: &[PublicInput]) -> Vec<u8> {
	inputs.iter().flat_map(|input| input.iter().copied()).collect()
}

/// Which element of a key, proof or statement a validation error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Element {
	/// The verifying key's `α`.
	Alpha,
	/// The verifying key's `β`.
	Beta,
	/// The verifying key's `γ`.
	Gamma,
	/// The verifying key's `δ`.
	Delta,
	/// The verifying key's `IC` point at this index.
	Ic(u32),
	/// The proof's `A`.
	ProofA,
	/// The proof's `B`.
	ProofB,
	/// The proof's `C`.
	ProofC,
	/// The public input at this index (0-based).
	PublicInput(u32),
}

impl core::fmt::Display for Element {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Element::Alpha => write!(f, "verifying key alpha (G1)"),
			Element::Beta => write!(f, "verifying key beta (G2)"),
			Element::Gamma => write!(f, "verifying key gamma (G2)"),
			Element::Delta => write!(f, "verifying key delta (G2)"),
			Element::Ic(i) => write!(f, "verifying key IC[{i}] (G1)"),
			Element::ProofA => write!(f, "proof A (G1)"),
			Element::ProofB => write!(f, "proof B (G2)"),
			Element::ProofC => write!(f, "proof C (G1)"),
			Element::PublicInput(i) => write!(f, "public input {i}"),
		}
	}
}

/// Why a key, proof or statement was refused. Each validation has its own variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Groth16Error {
	/// A byte string has the wrong length for what it encodes.
	MalformedEncoding,
	/// A coordinate of this point is not a canonical base-field element (it is `≥ p`).
	NonCanonicalFieldElement(Element),
	/// This point is not on its curve.
	PointNotOnCurve(Element),
	/// This G2 point is on the curve but outside the prime-order subgroup.
	PointNotInSubgroup(Element),
	/// This proof point is the identity.
	IdentityInProof(Element),
	/// This verifying-key point is the identity (for an `IC` point: an unbound public input).
	IdentityInVerifyingKey(Element),
	/// The verifying key has `γ = δ`, which lets anyone forge proofs.
	GammaEqualsDelta,
	/// This public input is not a canonical scalar (it is `≥ r`); inputs are never reduced.
	PublicInputNotInField(Element),
	/// The number of public inputs is not the key's `IC length − 1`.
	PublicInputCountMismatch {
		/// Inputs the key verifies.
		expected: u32,
		/// Inputs given.
		got: u32,
	},
	/// The key has more public inputs than [`MAX_PUBLIC_INPUTS`], or has no `IC` point at all.
	TooManyPublicInputs,
	/// A stored prepared key could not be decoded (unknown version or corrupt bytes).
	MalformedPreparedKey,
	/// The pairing check failed: the proof does not prove this statement under this key.
	ProofInvalid,
}

impl Element {
	/// Whether it is a point of the proof (`A`, `B` or `C`).
	pub fn is_proof_point(&self) -> bool {
		matches!(self, Element::ProofA | Element::ProofB | Element::ProofC)
	}
}

impl Groth16Error {
	/// Whether the failure lies in the proof: a proof point that is not a valid point, the
	/// identity in the proof, or a pairing check that fails. Failures of the verifying key or of
	/// the statement (its count, a public input `≥ r`) are not the proof's: whoever made the
	/// proof could not have made them verify.
	pub fn is_proof_fault(&self) -> bool {
		match self {
			Groth16Error::ProofInvalid | Groth16Error::IdentityInProof(_) => true,
			Groth16Error::NonCanonicalFieldElement(e) |
			Groth16Error::PointNotOnCurve(e) |
			Groth16Error::PointNotInSubgroup(e) => e.is_proof_point(),
			_ => false,
		}
	}
}

impl core::fmt::Display for Groth16Error {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Groth16Error::MalformedEncoding => write!(f, "malformed encoding: wrong byte length"),
			Groth16Error::NonCanonicalFieldElement(e) =>
				write!(f, "{e}: coordinate is not a canonical field element (>= p)"),
			Groth16Error::PointNotOnCurve(e) => write!(f, "{e}: point is not on the curve"),
			Groth16Error::PointNotInSubgroup(e) =>
				write!(f, "{e}: point is not in the prime-order subgroup"),
			Groth16Error::IdentityInProof(e) => write!(f, "{e}: proof point is the identity"),
			Groth16Error::IdentityInVerifyingKey(e) =>
				write!(f, "{e}: verifying key point is the identity"),
			Groth16Error::GammaEqualsDelta => write!(f, "verifying key has gamma = delta"),
			Groth16Error::PublicInputNotInField(e) =>
				write!(f, "{e}: not a canonical scalar (>= r); inputs are never reduced"),
			Groth16Error::PublicInputCountMismatch { expected, got } =>
				write!(f, "wrong number of public inputs: the key takes {expected}, got {got}"),
			Groth16Error::TooManyPublicInputs => write!(
				f,
				"verifying key must have between 1 and {} IC points",
				MAX_PUBLIC_INPUTS + 1
			),
			Groth16Error::MalformedPreparedKey => write!(f, "prepared verifying key is corrupt"),
			Groth16Error::ProofInvalid => write!(f, "proof is invalid: the pairing check failed"),
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for Groth16Error {}

struct HexBytes<'a>(&'a [u8]);

impl core::fmt::Debug for HexBytes<'_> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "0x")?;
		for byte in self.0 {
			write!(f, "{byte:02x}")?;
		}
		Ok(())
	}
}

/// What a batch verification found ([`crate::verifier::verify_batch_prepared`]).
#[derive(Clone, Debug, PartialEq, Eq, Default, Encode, Decode, TypeInfo)]
pub struct BatchCheck {
	/// The statements that failed validation, by index in the batch, each with its error
	/// (checked one by one, before any pairing); they take no part in the combined check.
	pub malformed: Vec<(u32, Groth16Error)>,
	/// Whether the combined pairing check of every other statement holds (true when there is
	/// none). If it does, each of them is valid, except with probability at most 2⁻¹²⁸; if it
	/// does not, at least one of them is invalid.
	pub holds: bool,
}
