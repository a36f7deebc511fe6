//! `cloudana-node benchmark-verify`: Groth16 verification of one proof, measured side by side in
//! one process:
//!
//! 1. **native**: arkworks' `Groth16::verify_with_processed_vk` with a prepared key;
//! 2. **host, per call**: the runtime's `VerifierApi_verify` executed by the node's wasm executor
//!    (instantiation, argument decoding, the storage read of the prepared key, the host
//!    function with all validation) — one runtime call per verification;
//! 3. **host, in runtime**: `VerifierBenchApi_verify_host`, the same verification repeated
//!    inside one runtime call — what each `submit_result` pays inside a block;
//! 4. **pure wasm**: `VerifierBenchApi_verify_pure_wasm`, arkworks compiled into the runtime;
//! 5. **native batched**: `cloudana_groth16::verifier::verify_batch_prepared` on batches of 1,
//!    16, 64 and 256 copies of the statement (validation, Fiat–Shamir coefficients, one
//!    multi-Miller loop, one final exponentiation), per proof;
//! 6. **host batched**: `VerifierBenchApi_verify_batch_host`, `Verifier::verify_batch` in the
//!    runtime (one host call per batch), per proof.
//!
//! It ends with `host/native: <ratio>` (single verification) and `results/block: <N>`: how many
//! valid results of a 4-input statement under one key fit in one block's normal class by the
//! benchmarked weights (`cloudana_runtime::capacity::results_per_block`).
//!
//! The key is registered with the real `Verifier::register_vk`, so every runtime path reads the
//! prepared key from the bytes as stored on chain.

use codec::{Decode, Encode};
use cloudana_groth16::snarkjs;
use cloudana_runtime::{Runtime, RuntimeOrigin};
use sc_executor::WasmExecutor;
use sp_core::{
	traits::{CallContext, CodeExecutor, RuntimeCode, WrappedRuntimeCode},
	H256,
};
use std::{
	path::PathBuf,
	time::{Duration, Instant},
};

/// Measure Groth16 verification: native, through the host function in the runtime, and in
/// pure wasm, on the same proof; ends with `host/native: <ratio>`.
#[derive(Debug, Clone, clap::Parser)]
pub struct VerifyBenchCmd {
	/// snarkjs `verification_key.json` (bn128).
	#[arg(long)]
	pub vk: PathBuf,
	/// snarkjs `proof.json`.
	#[arg(long)]
	pub proof: PathBuf,
	/// snarkjs `public.json`.
	#[arg(long)]
	pub public: PathBuf,
	/// Verifications per measurement.
	#[arg(long, default_value_t = 200)]
	pub iterations: u32,
	/// Measurements per method; the median is reported.
	#[arg(long, default_value_t = 5)]
	pub repeat: u32,
}

fn read(path: &PathBuf) -> Result<String, String> {
	std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Median over `repeat` runs of `f(iterations)`, per iteration.
fn measure(repeat: u32, iterations: u32, mut f: impl FnMut(u32) -> Result<(), String>) -> Result<Duration, String> {
	f(1)?; // warm up
	let mut samples = Vec::with_capacity(repeat as usize);
	for _ in 0..repeat {
		let start = Instant::now();
		f(iterations)?;
		samples.push(start.elapsed() / iterations);
	}
	samples.sort();
	Ok(samples[samples.len() / 2])
}

fn ms(d: Duration) -> String {
	format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

impl VerifyBenchCmd {
	pub fn run(&self) -> sc_cli::Result<()> {
		self.bench().map_err(sc_cli::Error::Input)
	}

	fn bench(&self) -> Result<(), String> {
		let vk = snarkjs::verifying_key_from_json(&read(&self.vk)?).map_err(|e| e.to_string())?;
		let proof = snarkjs::proof_from_json(&read(&self.proof)?).map_err(|e| e.to_string())?;
		let inputs = snarkjs::public_inputs_from_json(&read(&self.public)?).map_err(|e| e.to_string())?;
		cloudana_groth16::verifier::verify(&vk, &inputs, &proof).map_err(|e| format!("the proof does not verify: {e}"))?;
		let (iterations, repeat) = (self.iterations.max(1), self.repeat.max(1));
		println!("Groth16 (BN254) verification, {} public inputs, {iterations} verifications × {repeat} runs (median)", inputs.len());

		// 1. Native, prepared key.
		let ark_vk = cloudana_groth16::verifier::decode_verifying_key(&vk).map_err(|e| e.to_string())?;
		let pvk = ark_groth16::prepare_verifying_key(&ark_vk);
		let ark_proof = cloudana_groth16::verifier::decode_proof(&proof).map_err(|e| e.to_string())?;
		let ark_inputs = cloudana_groth16::verifier::decode_public_inputs(&cloudana_groth16::flatten_public_inputs(&inputs))
			.map_err(|e| e.to_string())?;
		let native = measure(repeat, iterations, |n| {
			for _ in 0..n {
				use ark_snark::SNARK;
				let ok = ark_groth16::Groth16::<ark_bn254::Bn254>::verify_with_processed_vk(&pvk, &ark_inputs, &ark_proof);
				if !matches!(ok, Ok(true)) {
					return Err("native verification failed".into());
				}
			}
			Ok(())
		})?;
		println!("native ark-groth16 verify_with_processed_vk:        {}", ms(native));

		// The runtime, with the key registered as on chain.
		let mut ext = self.state_with_key(&vk)?;
		let id = H256::from(cloudana_groth16::statement::vk_id(&vk));
		let code = cloudana_runtime::WASM_BINARY.ok_or("the runtime wasm was not built")?;
		let fetcher = WrappedRuntimeCode(code.into());
		let runtime_code = RuntimeCode { code_fetcher: &fetcher, heap_pages: None, hash: sp_io::hashing::blake2_256(code).to_vec() };
		let executor = WasmExecutor::<crate::service::HostFunctions>::builder().build();
		let mut call = |method: &str, data: Vec<u8>| -> Result<Vec<u8>, String> {
			let mut externalities = ext.ext();
			executor
				.call(&mut externalities, &runtime_code, method, &data, CallContext::Offchain)
				.0
				.map_err(|e| format!("{method}: {e}"))
		};

		let mut batched = Vec::new();

		// 2. One runtime call per verification.
		let args = (id, inputs.clone(), proof).encode();
		let per_call = measure(repeat, iterations.min(50), |n| {
			for _ in 0..n {
				let out = call("VerifierApi_verify", args.clone())?;
				let result = Result::<(), pallet_verifier::VerifyError>::decode(&mut &out[..]).map_err(|e| e.to_string())?;
				result.map_err(|e| format!("the runtime refused the proof: {e:?}"))?;
			}
			Ok(())
		})?;
		println!("runtime, host function, one call per verification: {}", ms(per_call));

		// 3 and 4. Repeated inside one runtime call.
		let mut in_runtime = |method: &str, n: u32| -> Result<(), String> {
			let out = call(method, (id, inputs.clone(), proof, n).encode())?;
			let verified = u32::decode(&mut &out[..]).map_err(|e| e.to_string())?;
			if verified != n {
				return Err(format!("{method}: {verified} of {n} verified"));
			}
			Ok(())
		};
		let host = measure(repeat, iterations, |n| in_runtime("VerifierBenchApi_verify_host", n))?;
		println!("runtime, host function, from the stored key:        {}", ms(host));
		let pure = measure(repeat, (iterations / 10).max(3), |n| in_runtime("VerifierBenchApi_verify_pure_wasm", n))?;
		println!("runtime, pure wasm, from the stored key:            {}", ms(pure));

		// 5 and 6. Batches of copies of the statement.
		let prepared = cloudana_groth16::verifier::prepare_verifying_key(&vk).map_err(|e| e.to_string())?;
		let flat_inputs = cloudana_groth16::flatten_public_inputs(&inputs);
		for k in [1u32, 16, 64, 256] {
			let all_inputs = flat_inputs.repeat(k as usize);
			let proofs = proof.to_bytes().repeat(k as usize);
			let rounds = (iterations / k).max(2);
			let native_batch = measure(repeat, rounds, |n| {
				for _ in 0..n {
					let check = cloudana_groth16::verifier::verify_batch_prepared(&prepared, &all_inputs, &proofs)
						.map_err(|e| e.to_string())?;
					if !check.holds || !check.malformed.is_empty() {
						return Err("native batch verification failed".into());
					}
				}
				Ok(())
			})? / k;
			let host_batch = measure(repeat, rounds, |n| {
				for _ in 0..n {
					let out = call("VerifierBenchApi_verify_batch_host", (id, inputs.clone(), proof, k).encode())?;
					let valid = u32::decode(&mut &out[..]).map_err(|e| e.to_string())?;
					if valid != k {
						return Err(format!("host batch: {valid} of {k} valid"));
					}
				}
				Ok(())
			})? / k;
			println!("batch of {k:>3}: native {} per proof, host {} per proof", ms(native_batch), ms(host_batch));
			batched.push((k, native_batch, host_batch));
		}

		let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
		for (k, native_batch, host_batch) in &batched {
			println!("batch of {k:>3}: single/batched per proof: native {:.2}, host {:.2}", ratio(native, *native_batch), ratio(host, *host_batch));
		}
		println!("pure-wasm/host: {:.2}", ratio(pure, host));
		println!("host-per-call/native: {:.2}", ratio(per_call, native));
		println!("host/native: {:.2}", ratio(host, native));
		println!("results/block: {}", cloudana_runtime::capacity::results_per_block(4, 1));
		Ok(())
	}

	/// Runtime state with `vk` registered by `Verifier::register_vk`.
	fn state_with_key(&self, vk: &cloudana_groth16::VerifyingKey<Vec<[u8; 64]>>) -> Result<sp_io::TestExternalities, String> {
		use frame_support::traits::fungible::Mutate;
		use sp_runtime::BuildStorage;
		let storage = cloudana_runtime::RuntimeGenesisConfig::default().build_storage()?;
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| -> Result<(), String> {
			let owner = sp_keyring::Sr25519Keyring::Alice.to_account_id();
			frame_system::Pallet::<Runtime>::set_block_number(1);
			cloudana_runtime::Balances::set_balance(&owner, 1_000 * cloudana_runtime::CLD);
			let vk = vk.clone().try_map_ic(TryInto::try_into).map_err(|_| "too many public inputs")?;
			cloudana_runtime::Verifier::register_vk(RuntimeOrigin::signed(owner), Box::new(vk))
				.map_err(|e| format!("register_vk: {e:?}"))
		})?;
		ext.commit_all().map_err(|e| e.to_string())?;
		Ok(ext)
	}
}
