//! Circuits written in circom and set up with snarkjs (Groth16 over BN254): Cloudana proves
//! them without Node.js.
//!
//! - [`witness`]: runs circom's `.wasm` witness generator in wasmtime;
//! - [`zkey`]: reads snarkjs's `.zkey` proving key;
//! - [`ptau`]: writes snarkjs's powers of tau (`.ptau`, prepared for phase 2) from known
//!   secrets: the development powers of tau that `cloudana-prover dev-ptau` makes;
//! - [`binfile`]: the container both files use, and their point encoding;
//! - [`prove`]: Groth16 assembled as arkworks assembles it, under snarkjs's quotient convention
//!   ([`crate::engine::snarkjs_coset`]) so that proofs verify under snarkjs's keys, on a
//!   [`crate::engine::Engine`] (on the CPU, MSMs skip circom's many 0 and 1 scalars);
//!   [`CircomCircuit::prove`] checks each proof against the key's own verifying key before it
//!   returns it.
//!
//! Public signals are circom's order: the main component's outputs, then its public inputs.
//! snarkjs's `public.json` lists them in that order, and so does the statement a Cloudana job on
//! a circom circuit is verified against (`pallet-jobs`: `outputs ‖ binding ‖ inputs`, the binding
//! being the circuit's first public input).

pub mod binfile;
pub mod prove;
pub mod ptau;
pub mod witness;
pub mod zkey;

use ark_bn254::Fr;
use cloudana_groth16::{encoding, G1Bytes, Proof, PublicInput, VerifyingKey};
pub use witness::{Generator, WitnessError};
pub use zkey::{Zkey, ZkeyError};

/// Why a circom proof failed.
#[derive(Debug, thiserror::Error)]
pub enum CircomError {
	/// The witness generator failed.
	#[error(transparent)]
	Witness(#[from] WitnessError),
	/// The witness does not fit the proving key (another circuit's `.wasm`).
	#[error("the witness has {witness} signals, the proving key {key}: the .wasm and the .zkey are of different circuits")]
	Mismatch {
		/// Signals in the witness.
		witness: usize,
		/// Signals in the key.
		key: usize,
	},
	/// The prover refused (a domain too large) or its engine failed.
	#[error(transparent)]
	Prove(#[from] prove::ProveError),
	/// arkworks' verifier refused the proof's shape.
	#[error("verifying failed: {0}")]
	Verify(#[from] ark_relations::r1cs::SynthesisError),
	/// The proof does not verify under the key's verifying key: the witness does not satisfy
	/// the circuit.
	#[error("the proof does not verify under the key: the input does not satisfy the circuit")]
	SelfCheck,
}

/// A circom circuit ready to prove: its proving key and its witness generator.
pub struct CircomCircuit {
	/// The proving key.
	pub zkey: Zkey,
	/// The witness generator.
	pub generator: Generator,
	/// The verifying key, EIP-197.
	pub vk: VerifyingKey<Vec<G1Bytes>>,
	/// Its id (`cloudana_groth16::statement::vk_id`): the circuit id on chain.
	pub vk_id: [u8; 32],
	/// The verifying key prepared for arkworks' verifier (the self-check; it has no bound on
	/// public signals, unlike the chain's).
	prepared: ark_groth16::PreparedVerifyingKey<ark_bn254::Bn254>,
}

/// A proof and the public signals it proves.
pub struct CircomProof {
	/// EIP-197 `A ‖ B ‖ C`.
	pub proof: Proof,
	/// The public signals, circom's order.
	pub public: Vec<PublicInput>,
}

impl CircomCircuit {
	/// The circuit id (`cloudana_groth16::statement::vk_id`) of a `.zkey`'s verifying key,
	/// from its header and section 3 only: check it before loading the rest.
	pub fn vk_id_of(zkey: &[u8]) -> Result<[u8; 32], CircomError> {
		let vk = Zkey::read_verifying_key(zkey).map_err(|e| WitnessError::Module(format!("{e}")))?;
		Ok(cloudana_groth16::statement::vk_id(&crate::keys::vk_to_eip197(&vk)))
	}

	/// A circuit of a parsed `.zkey` and a compiled generator, whose witnesses are capped at
	/// the `.zkey`'s `nVars` signals.
	pub fn from_parts(zkey: Zkey, mut generator: Generator) -> CircomCircuit {
		generator.set_max_witness(zkey.n_vars);
		let vk = crate::keys::vk_to_eip197(&zkey.pk.vk);
		let vk_id = cloudana_groth16::statement::vk_id(&vk);
		let prepared = ark_groth16::prepare_verifying_key(&zkey.pk.vk);
		CircomCircuit { zkey, generator, vk, vk_id, prepared }
	}

	/// Loads a circuit from its `.zkey` and `.wasm` bytes; its witnesses keep to the default
	/// [`witness::Limits`], and to the `.zkey`'s `nVars` signals.
	pub fn new(zkey: &[u8], wasm: &[u8]) -> Result<CircomCircuit, CircomError> {
		let zkey = Zkey::read(zkey).map_err(|e| WitnessError::Module(format!("{e}")))?;
		Ok(Self::from_parts(zkey, Generator::new(wasm)?))
	}

	/// The public signals of a witness.
	pub fn public_signals(&self, witness: &[Fr]) -> Result<Vec<PublicInput>, CircomError> {
		self.check(witness)?;
		Ok(witness[1..=self.zkey.n_public].iter().map(encoding::encode_fr).collect())
	}

	fn check(&self, witness: &[Fr]) -> Result<(), CircomError> {
		if witness.len() != self.zkey.n_vars {
			return Err(CircomError::Mismatch { witness: witness.len(), key: self.zkey.n_vars });
		}
		Ok(())
	}

	/// Proves a witness on the CPU; the proof is verified under the key's verifying key before
	/// it is returned.
	pub fn prove(&self, witness: &[Fr]) -> Result<CircomProof, CircomError> {
		self.prove_on(&crate::engine::Cpu, witness)
	}

	/// Proves a witness on `engine`, falling back to the CPU if the engine fails or its proof
	/// does not verify ([`crate::engine::with_fallback`]); the proof is verified under the
	/// key's verifying key before it is returned.
	pub fn prove_on(&self, engine: &dyn crate::engine::Engine, witness: &[Fr]) -> Result<CircomProof, CircomError> {
		crate::engine::with_fallback(engine, |engine| {
			use ark_std::UniformRand;
			let mut rng = rand_core::OsRng;
			let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
			self.prove_with(engine, witness, r, s)
		})
	}

	/// Proves a witness on `engine` with randomness `r`, `s` (no fallback); the proof is
	/// verified under the key's verifying key before it is returned.
	pub fn prove_with(&self, engine: &dyn crate::engine::Engine, witness: &[Fr], r: Fr, s: Fr) -> Result<CircomProof, CircomError> {
		self.check(witness)?;
		let proof = prove::prove_with(
			engine,
			prove::Reduction::Snarkjs,
			&self.zkey.pk,
			&self.zkey.matrices,
			self.zkey.n_public + 1,
			witness,
			r,
			s,
		)?;
		let valid = ark_groth16::Groth16::<ark_bn254::Bn254>::verify_proof(&self.prepared, &proof, &witness[1..=self.zkey.n_public])?;
		if !valid {
			return Err(CircomError::SelfCheck);
		}
		Ok(CircomProof { proof: crate::keys::proof_to_eip197(&proof), public: self.public_signals(witness)? })
	}
}
