//! Groth16 keys for the built-in circuits: the deterministic development setup, conversion to
//! EIP-197 bytes, and the on-disk proving-key cache. Each dataset ([`Spec`]) has its own
//! accuracy circuit, so its own keys; the verifying keys are committed in `circuits/keys/`
//! (`<name>_accuracy.vk.json`).
//!
//! **The development setup is not for production.** Its randomness (the "toxic waste" α, β, γ,
//! δ, τ) comes from a ChaCha20 generator seeded with a public string, so anyone can recompute it
//! and forge proofs for these circuits. It exists so that every node, prover and test derives the
//! same keys without a ceremony. A production deployment replaces it with keys from a
//! multi-party ceremony (e.g. snarkjs phase 2 on a public powers-of-tau file) and registers
//! that verifying key instead.

use crate::{accuracy::AccuracyCircuit, mlp::Spec};
use ark_bn254::Bn254;
use ark_groth16::{Groth16, ProvingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_snark::SNARK;
use cloudana_groth16::{encoding, G1Bytes, Proof, VerifyingKey};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use std::path::{Path, PathBuf};

/// The public seed of the development setup of `spec`'s accuracy circuit:
/// `cloudana/dev-setup/<name>-accuracy/v1 -- public seed, NOT FOR PRODUCTION`, hashed with
/// BLAKE2b-256 into the ChaCha20 seed. NOT FOR PRODUCTION: see the module docs.
pub fn dev_setup_seed(spec: Spec) -> String {
	format!("cloudana/dev-setup/{}-accuracy/v1 -- public seed, NOT FOR PRODUCTION", slug(spec))
}

/// `spec`'s name with dashes (`breast-cancer`), as in seeds and cached key files.
fn slug(spec: Spec) -> String {
	spec.name().replace('_', "-")
}

/// The verifying keys the development setup produces, committed so a change to a circuit is
/// noticed (a test recomputes them) and so `cloudana vk register` can read them without a setup.
pub fn accuracy_vk_json(spec: Spec) -> &'static str {
	match spec {
		Spec::Iris => include_str!("../keys/iris_accuracy.vk.json"),
		Spec::Wine => include_str!("../keys/wine_accuracy.vk.json"),
		Spec::BreastCancer => include_str!("../keys/breast_cancer_accuracy.vk.json"),
	}
}

/// The committed file of `spec`'s verifying key, relative to the repository root.
pub fn accuracy_vk_path(spec: Spec) -> String {
	format!("circuits/keys/{}_accuracy.vk.json", spec.name())
}

/// Runs the deterministic development setup of `spec`'s accuracy circuit (seconds for Iris,
/// about a minute for Breast Cancer on two cores).
pub fn dev_setup(spec: Spec) -> ProvingKey<Bn254> {
	let mut rng = ChaCha20Rng::from_seed(sp_crypto_hashing::blake2_256(dev_setup_seed(spec).as_bytes()));
	let (pk, _vk) = Groth16::<Bn254>::circuit_specific_setup(AccuracyCircuit::blank(spec), &mut rng)
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

/// The committed development verifying key of `spec`'s accuracy circuit.
pub fn accuracy_vk(spec: Spec) -> VerifyingKey<Vec<G1Bytes>> {
	cloudana_groth16::snarkjs::verifying_key_from_json(accuracy_vk_json(spec)).expect("the committed keys parse; qed")
}

/// The verifying-key id (`cloudana_groth16::statement::vk_id`) of `spec`'s accuracy circuit: the
/// circuit id jobs name.
pub fn accuracy_circuit_id(spec: Spec) -> [u8; 32] {
	cloudana_groth16::statement::vk_id(&accuracy_vk(spec))
}

/// The dataset whose accuracy circuit has id `circuit`, if any.
pub fn spec_of_circuit(circuit: &[u8; 32]) -> Option<Spec> {
	Spec::ALL.into_iter().find(|s| accuracy_circuit_id(*s) == *circuit)
}

/// Where the proving key of `spec`'s circuit whose verifying key is `vk_id` is cached in `dir`.
pub fn cache_path(dir: &Path, spec: Spec, vk_id: &[u8; 32]) -> PathBuf {
	dir.join(format!("{}-accuracy-{}.pk", slug(spec), hex_prefix(vk_id)))
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
	/// changed without `circuits/keys/<name>_accuracy.vk.json` being regenerated.
	#[error("the development setup no longer matches {0}; regenerate it (see circuits/README.md)")]
	SetupMismatch(String),
}

/// Loads `spec`'s accuracy circuit's proving key from `dir`, or runs the development setup and
/// caches it there. The key's verifying key must equal the committed one.
pub fn load_or_setup(dir: &Path, spec: Spec) -> Result<ProvingKey<Bn254>, KeyError> {
	let expected = accuracy_vk(spec);
	let path = cache_path(dir, spec, &cloudana_groth16::statement::vk_id(&expected));
	let io = |source| KeyError::Io { path: path.display().to_string(), source };
	if let Ok(bytes) = std::fs::read(&path) {
		if let Ok(pk) = ProvingKey::<Bn254>::deserialize_uncompressed_unchecked(&bytes[..]) {
			if vk_to_eip197(&pk.vk) == expected {
				return Ok(pk);
			}
		}
		tracing::warn!(path = %path.display(), "cached proving key is stale or corrupt; regenerating");
	}
	tracing::info!(dataset = %spec, "running the development setup of the accuracy circuit (one time, NOT FOR PRODUCTION)");
	let started = std::time::Instant::now();
	let pk = dev_setup(spec);
	if vk_to_eip197(&pk.vk) != expected {
		return Err(KeyError::SetupMismatch(accuracy_vk_path(spec)));
	}
	tracing::info!(dataset = %spec, seconds = started.elapsed().as_secs(), "development setup done");
	std::fs::create_dir_all(dir).map_err(io)?;
	let mut bytes = Vec::new();
	pk.serialize_uncompressed(&mut bytes).expect("writing to a Vec cannot fail; qed");
	// A temporary file of this writer's own: daemons (and tests) sharing a cache directory may
	// set up the same key at once; the last rename wins, with identical bytes.
	let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
	let tmp = path.with_extension(format!("pk.tmp.{}.{nonce}", std::process::id()));
	std::fs::write(&tmp, &bytes).map_err(io)?;
	std::fs::rename(&tmp, &path).map_err(io)?;
	Ok(pk)
}
