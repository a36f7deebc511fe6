//! Groth16 keys for the built-in circuits: the deterministic development setup, conversion to
//! EIP-197 bytes, and the on-disk proving-key cache.
//!
//! **The development setup is not for production.** Its randomness (the "toxic waste" α, β, γ,
//! δ, τ) comes from a ChaCha20 generator seeded with a public string, so anyone can recompute it
//! and forge proofs for this circuit. It exists so that every node, prover and test derives the
//! same keys without a ceremony. A production deployment replaces it with keys from a
//! multi-party ceremony (e.g. snarkjs phase 2 on a public powers-of-tau file) and registers
//! that verifying key instead.

use crate::accuracy::AccuracyCircuit;
use ark_bn254::Bn254;
use ark_groth16::{Groth16, ProvingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_snark::SNARK;
use cloudana_groth16::{encoding, G1Bytes, Proof, VerifyingKey};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use std::path::{Path, PathBuf};

/// The public seed of the development setup. NOT FOR PRODUCTION: see the module docs.
pub const DEV_SETUP_SEED: &[u8] = b"cloudana/dev-setup/iris-accuracy/v1 -- public seed, NOT FOR PRODUCTION";

/// The verifying key the development setup produces, committed so a change to the circuit is
/// noticed (a test recomputes it) and so `cloudana vk register` can read it without a setup.
pub const IRIS_ACCURACY_VK_JSON: &str = include_str!("../keys/iris_accuracy.vk.json");

/// Runs the deterministic development setup of the accuracy circuit (tens of seconds).
pub fn dev_setup() -> ProvingKey<Bn254> {
	let mut rng = ChaCha20Rng::from_seed(sp_crypto_hashing::blake2_256(DEV_SETUP_SEED));
	let (pk, _vk) = Groth16::<Bn254>::circuit_specific_setup(AccuracyCircuit::blank(), &mut rng)
		.expect("the blank accuracy circuit synthesizes; qed");
	pk
}

/// The EIP-197 form of an arkworks verifying key.
pub fn vk_to_eip197(vk: &ark_groth16::VerifyingKey<Bn254>) -> VerifyingKey<Vec<G1Bytes>> {
	VerifyingKey {
		alpha_g1: encoding::encode_g1(&vk.alpha_g1),
		beta_g2: encoding::encode_g2(&vk.beta_g2),
		gamma_g2: encoding::encode_g2(&vk.gamma_g2),
		delta_g2: encoding::encode_g2(&vk.delta_g2),
		ic: vk.gamma_abc_g1.iter().map(encoding::encode_g1).collect(),
	}
}

/// The EIP-197 form of an arkworks proof.
pub fn proof_to_eip197(proof: &ark_groth16::Proof<Bn254>) -> Proof {
	Proof { a: encoding::encode_g1(&proof.a), b: encoding::encode_g2(&proof.b), c: encoding::encode_g1(&proof.c) }
}

/// The committed development verifying key of the accuracy circuit.
pub fn iris_accuracy_vk() -> VerifyingKey<Vec<G1Bytes>> {
	cloudana_groth16::snarkjs::verifying_key_from_json(IRIS_ACCURACY_VK_JSON).expect("the committed key parses; qed")
}

/// Where the proving key of the circuit whose verifying key is `vk_id` is cached in `dir`.
pub fn cache_path(dir: &Path, vk_id: &[u8; 32]) -> PathBuf {
	dir.join(format!("iris-accuracy-{}.pk", hex_prefix(vk_id)))
}

fn hex_prefix(bytes: &[u8]) -> String {
	bytes.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Errors of the proving-key cache.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
	/// Reading or writing the cache failed.
	#[error("{path}: {source}")]
	Io {
		/// The file.
		path: String,
		/// Why.
		source: std::io::Error,
	},
	/// The development setup does not reproduce the committed verifying key: the circuit
	/// changed without `circuits/keys/iris_accuracy.vk.json` being regenerated.
	#[error("the development setup no longer matches circuits/keys/iris_accuracy.vk.json; regenerate it (see circuits/README.md)")]
	SetupMismatch,
}

/// Loads the accuracy circuit's proving key from `dir`, or runs the development setup and
/// caches it there. The key's verifying key must equal the committed one.
pub fn load_or_setup(dir: &Path) -> Result<ProvingKey<Bn254>, KeyError> {
	let expected = iris_accuracy_vk();
	let path = cache_path(dir, &cloudana_groth16::statement::vk_id(&expected));
	let io = |source| KeyError::Io { path: path.display().to_string(), source };
	if let Ok(bytes) = std::fs::read(&path) {
		if let Ok(pk) = ProvingKey::<Bn254>::deserialize_uncompressed_unchecked(&bytes[..]) {
			if vk_to_eip197(&pk.vk) == expected {
				return Ok(pk);
			}
		}
		tracing::warn!(path = %path.display(), "cached proving key is stale or corrupt; regenerating");
	}
	tracing::info!("running the development setup of the accuracy circuit (one time, NOT FOR PRODUCTION)");
	let pk = dev_setup();
	if vk_to_eip197(&pk.vk) != expected {
		return Err(KeyError::SetupMismatch);
	}
	std::fs::create_dir_all(dir).map_err(io)?;
	let mut bytes = Vec::new();
	pk.serialize_uncompressed(&mut bytes).expect("writing to a Vec cannot fail; qed");
	let tmp = path.with_extension("pk.tmp");
	std::fs::write(&tmp, &bytes).map_err(io)?;
	std::fs::rename(&tmp, &path).map_err(io)?;
	Ok(pk)
}
