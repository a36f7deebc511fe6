//! Benchmarks for pallet-verifier (frame-benchmarking v2).
//!
//! Keys and proofs come from `cloudana_groth16_simulator` (a key with a known trapdoor), so a
//! valid proof exists for any input count; the verifier does all of its real work on them.

use super::*;
use crate::Pallet as Verifier;
use alloc::{boxed::Box, vec::Vec};
use cloudana_groth16::{statement, PublicInput, MAX_PUBLIC_INPUTS};
use cloudana_groth16_simulator::Trapdoor;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::{Inspect, Mutate};
use codec::Encode;
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;

use crate::MAX_BENCHMARKED_BATCH as MAX_BATCH;

fn key<T: Config>(n: u32) -> (Trapdoor, VerifyingKeyOf<T>) {
	let trapdoor = Trapdoor::new(b"cloudana/benchmark", n);
	let vk = trapdoor
		.verifying_key()
		.try_map_ic(TryInto::try_into)
		.expect("the benchmark stays within MaxPublicInputs; qed");
	(trapdoor, vk)
}

fn funded<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	let len = cloudana_groth16::verifier::prepared_key_len(MAX_PUBLIC_INPUTS) as usize;
	let amount = Verifier::<T>::deposit_for(len)
		.saturating_mul(4u32.into())
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&who, amount);
	who
}

/// Full-size public inputs (253 bits): verification costs grow with the inputs' bit length.
fn inputs(n: u32) -> Vec<PublicInput> {
	(0..n)
		.map(|i| {
			let mut input = sp_io::hashing::blake2_256(&i.to_le_bytes());
			input[0] &= 0x1f;
			input
		})
		.collect()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_vk(n: Linear<1, { MAX_PUBLIC_INPUTS }>) {
		let caller = funded::<T>();
		let (_, vk) = key::<T>(n);
		let id = VkId::from(statement::vk_id(&vk));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), Box::new(vk));

		assert!(VerifyingKeys::<T>::contains_key(id));
	}

	#[benchmark]
	fn unregister_vk() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (_, vk) = key::<T>(MAX_PUBLIC_INPUTS);
		let id = VkId::from(statement::vk_id(&vk));
		Verifier::<T>::register_vk(RawOrigin::Signed(caller.clone()).into(), Box::new(vk))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(!VerifyingKeys::<T>::contains_key(id));
		Ok(())
	}

	/// A key in use by jobs (consumers > 0), revoked by governance.
	#[benchmark]
	fn revoke_vk() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (_, vk) = key::<T>(MAX_PUBLIC_INPUTS);
		let id = VkId::from(statement::vk_id(&vk));
		Verifier::<T>::register_vk(RawOrigin::Signed(caller).into(), Box::new(vk))?;
		Verifier::<T>::acquire(&id).map_err(|_| BenchmarkError::Stop("acquire"))?;
		let origin = <T::RevokeOrigin as frame_support::traits::EnsureOrigin<_>>::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert!(!VerifyingKeys::<T>::contains_key(id) && Revoked::<T>::contains_key(id));
		Ok(())
	}

	#[benchmark]
	fn verify_proof(n: Linear<1, { MAX_PUBLIC_INPUTS }>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (trapdoor, vk) = key::<T>(n);
		let id = VkId::from(statement::vk_id(&vk));
		Verifier::<T>::register_vk(RawOrigin::Signed(caller).into(), Box::new(vk))?;
		let inputs = inputs(n);
		let proof = trapdoor.prove(&inputs).map_err(|_| BenchmarkError::Stop("simulated proof"))?;
		let result;

		#[block]
		{
			result = Verifier::<T>::verify(&id, &inputs, &proof);
		}

		assert_eq!(result, Ok(()));
		Ok(())
	}

	/// One batch check of `k` proofs of `n` inputs each (one host call: validation of every
	/// statement, one multi-Miller loop, one final exponentiation), all valid.
	#[benchmark]
	fn verify_batch(k: Linear<1, { MAX_BATCH }>, n: Linear<1, { MAX_PUBLIC_INPUTS }>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (trapdoor, vk) = key::<T>(n);
		let id = VkId::from(statement::vk_id(&vk));
		Verifier::<T>::register_vk(RawOrigin::Signed(caller).into(), Box::new(vk))?;
		let statements = (0..k)
			.map(|i| {
				let mut inputs = inputs(n);
				inputs[0] = sp_io::hashing::blake2_256(&(i, n).encode());
				inputs[0][0] &= 0x1f;
				let proof = trapdoor.prove(&inputs).map_err(|_| BenchmarkError::Stop("simulated proof"))?;
				Ok((inputs, proof))
			})
			.collect::<Result<Vec<_>, BenchmarkError>>()?;
		let result;

		#[block]
		{
			result = Verifier::<T>::verify_batch(&id, &statements);
		}

		assert!(result.0.iter().all(|verdict| *verdict == Verdict::Valid));
		Ok(())
	}

	impl_benchmark_test_suite!(Verifier, crate::mock::new_test_ext(), crate::mock::Test);
}
