//! Benchmarks for pallet-jobs (frame-benchmarking v2), each on its most expensive path.
//!
//! The circuits are simulated keys (`cloudana_groth16_simulator`, seed [`BENCHMARK_SEED`])
//! registered through [`Config::BenchmarkHelper`], so a valid proof exists for every statement;
//! verification does all of its real work. Prices are 10 CLD (on a 12-decimal chain), so a
//! completion earns reputation (the costlier path), and every prover is a different account.

use super::*;
use crate::Pallet as Jobs;
use alloc::{boxed::Box, vec::Vec};
use cloudana_groth16::PublicInput;
use cloudana_groth16_simulator::Trapdoor;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Bounded, Saturating};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	// Small enough that many funded accounts cannot overflow total issuance.
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4096u32.into());
	who
}

/// A full-size public input (253 bits): the cost of verification grows with the inputs' bit
/// length, so the benchmarks use the largest.
fn input(i: u32) -> PublicInput {
	let mut value = sp_io::hashing::blake2_256(&i.to_le_bytes());
	value[0] &= 0x1f;
	value
}

/// 10¹³ base units: 10 CLD on Cloudana.
fn price<T: Config>() -> BalanceOf<T> {
	BalanceOf::<T>::from(10u32).saturating_pow(13)
}

fn terms<T: Config>() -> JobTermsOf<T> {
	JobTerms {
		min_price: price::<T>(),
		max_price: price::<T>(),
		ramp_blocks: 10u32.into(),
		lock_timeout: 2u32.into(),
		proof_timeout: T::MinProofTimeout::get().max(10u32.into()),
		collateral: 1_000u32.into(),
	}
}

/// A circuit with `inputs` requester inputs and `outputs` outputs.
fn circuit<T: Config>(inputs: u32, outputs: u32) -> (CircuitId, Trapdoor) {
	let total = 1 + inputs + outputs;
	(T::BenchmarkHelper::register_circuit(total), Trapdoor::new(BENCHMARK_SEED, total))
}

fn inputs<T: Config>(n: u32) -> Result<BoundedVec<PublicInput, T::MaxInputs>, BenchmarkError> {
	(0..n).map(input).collect::<Vec<_>>().try_into().map_err(|_| BenchmarkError::Stop("too many inputs"))
}

fn outputs<T: Config>(n: u32) -> Result<BoundedVec<PublicInput, T::MaxOutputs>, BenchmarkError> {
	(0..n).map(|i| input(1_000 + i)).collect::<Vec<_>>().try_into().map_err(|_| BenchmarkError::Stop("too many outputs"))
}

fn metric_outputs<T: Config>(metric: u8) -> Result<BoundedVec<PublicInput, T::MaxOutputs>, BenchmarkError> {
	let mut value = [0u8; 32];
	value[31] = metric;
	alloc::vec![value].try_into().map_err(|_| BenchmarkError::Stop("outputs"))
}

fn submit_job<T: Config>(requester: &T::AccountId, circuit: CircuitId, n: u32) -> Result<JobId, BenchmarkError> {
	let id = NextJobId::<T>::get();
	Jobs::<T>::submit(RawOrigin::Signed(requester.clone()).into(), circuit, inputs::<T>(n)?, terms::<T>())?;
	Ok(id)
}

/// A job of `inputs` inputs and `outputs` outputs locked by a fresh prover: `(job, prover,
/// trapdoor)`.
fn locked_job<T: Config>(inputs: u32, outputs: u32) -> Result<(JobId, T::AccountId, Trapdoor), BenchmarkError> {
	let requester = funded::<T>("requester", 0);
	let prover = funded::<T>("prover", 0);
	let (circuit, trapdoor) = circuit::<T>(inputs, outputs);
	T::BenchmarkHelper::register_prover(&prover, circuit);
	let job = submit_job::<T>(&requester, circuit, inputs)?;
	Jobs::<T>::lock(RawOrigin::Signed(prover.clone()).into(), job)?;
	Ok((job, prover, trapdoor))
}

/// Splits `n` statement inputs into requester inputs and outputs (at least one output).
fn split<T: Config>(n: u32) -> (u32, u32) {
	let outputs = (n - 1).min(T::MaxOutputs::get());
	(n - 1 - outputs, outputs)
}

fn grid_terms<T: Config>() -> GridTermsOf<T> {
	let proof_timeout = T::MinProofTimeout::get().max(10u32.into());
	GridTerms {
		bounty: price::<T>().saturating_mul(T::MaxSlots::get().into()),
		collateral: 1_000u32.into(),
		proof_timeout,
		duration: proof_timeout.saturating_mul(2u32.into()),
	}
}

fn grid_slots<T: Config>(s: u32) -> BoundedVec<HyperParamsOf<T>, T::MaxSlots> {
	(0..s)
		.map(|i| {
			let mut params = alloc::vec![0u8; T::MaxHyperParamsLen::get() as usize];
			params[..4].copy_from_slice(&i.to_le_bytes());
			params.try_into().expect("MaxHyperParamsLen bytes; qed")
		})
		.collect::<Vec<_>>()
		.try_into()
		.expect("at most MaxSlots; qed")
}

fn submit_grid_job<T: Config>(
	requester: &T::AccountId,
	circuit: CircuitId,
	n: u32,
	slots: u32,
) -> Result<GridId, BenchmarkError> {
	let id = NextGridId::<T>::get();
	Jobs::<T>::submit_grid(
		RawOrigin::Signed(requester.clone()).into(),
		circuit,
		inputs::<T>(n)?,
		grid_slots::<T>(slots),
		0,
		grid_terms::<T>(),
	)?;
	Ok(id)
}

/// A grid of `slots` slots on a circuit of one output; slot `i` locked by prover `i` for each
/// `i < locked`, and proven for each `i < proven`.
fn grid_with<T: Config>(slots: u32, locked: u32, proven: u32) -> Result<GridId, BenchmarkError> {
	let requester = funded::<T>("requester", 0);
	let (circuit, trapdoor) = circuit::<T>(0, 1);
	let grid = submit_grid_job::<T>(&requester, circuit, 0, slots)?;
	for slot in 0..locked {
		let prover = funded::<T>("prover", slot);
		T::BenchmarkHelper::register_prover(&prover, circuit);
		Jobs::<T>::lock_slot(RawOrigin::Signed(prover.clone()).into(), grid, slot)?;
		if slot < proven {
			let outputs = metric_outputs::<T>(slot as u8)?;
			let statement = Jobs::<T>::statement(WorkId::Slot(grid, slot), &prover, &[], &outputs);
			let proof = trapdoor.prove(&statement).map_err(|_| BenchmarkError::Stop("simulated proof"))?;
			Jobs::<T>::submit_slot_result(RawOrigin::Signed(prover).into(), grid, slot, outputs, Box::new(proof))?;
		}
	}
	Ok(grid)
}

fn at<T: Config>(block: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(block);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `MaxInputs` inputs, each checked to be below r.
	#[benchmark]
	fn submit() -> Result<(), BenchmarkError> {
		let requester = funded::<T>("requester", 0);
		let (circuit, _) = circuit::<T>(T::MaxInputs::get(), 1);
		let inputs = inputs::<T>(T::MaxInputs::get())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), circuit, inputs, terms::<T>());

		assert_eq!(NextJobId::<T>::get(), 1);
		Ok(())
	}

	/// `MaxInputs` inputs; every location of the longest length and a public input of the
	/// largest size (the most bytes to check, store and charge a deposit for).
	#[benchmark]
	fn submit_circom() -> Result<(), BenchmarkError> {
		use cloudana_primitives::artifacts::{MAX_LOCATION_LEN, MAX_PUBLIC_INPUT_LEN};
		let requester = funded::<T>("requester", 0);
		let (circuit, _) = circuit::<T>(T::MaxInputs::get(), 1);
		let inputs = inputs::<T>(T::MaxInputs::get())?;
		let mut url = b"https://".to_vec();
		url.resize(MAX_LOCATION_LEN as usize, b'a');
		let artifact = Artifact { sha256: [7; 32], size: u64::MAX, location: url.try_into().expect("the longest; qed") };
		let input = InputData::Public(alloc::vec![b'1'; MAX_PUBLIC_INPUT_LEN as usize].try_into().expect("the longest; qed"));
		let circom = Box::new(CircomJob { wasm: artifact.clone(), zkey: artifact, input });

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), circuit, inputs, terms::<T>(), circom);

		assert!(CircomJobs::<T>::contains_key(0));
		Ok(())
	}

	#[benchmark]
	fn lock() -> Result<(), BenchmarkError> {
		let requester = funded::<T>("requester", 0);
		let prover = funded::<T>("prover", 0);
		let (circuit, _) = circuit::<T>(1, 1);
		T::BenchmarkHelper::register_prover(&prover, circuit);
		let job = submit_job::<T>(&requester, circuit, 1)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(prover), job);

		assert!(matches!(Jobs::<T>::job(job).map(|j| j.status), Some(JobStatus::Locked(_))));
		Ok(())
	}

	/// `n`: public inputs of the statement (binding + requester inputs + outputs); a valid
	/// proof, paid.
	#[benchmark]
	fn submit_result(n: Linear<2, { 1 + T::MaxInputs::get() + T::MaxOutputs::get() }>) -> Result<(), BenchmarkError> {
		let (inputs_len, outputs_len) = split::<T>(n);
		let (job, prover, trapdoor) = locked_job::<T>(inputs_len, outputs_len)?;
		let outputs = outputs::<T>(outputs_len)?;
		let record = Jobs::<T>::job(job).ok_or(BenchmarkError::Stop("job"))?;
		let statement = Jobs::<T>::statement(WorkId::Job(job), &prover, &record.inputs, &outputs);
		let proof = trapdoor.prove(&statement).map_err(|_| BenchmarkError::Stop("simulated proof"))?;

		#[extrinsic_call]
		submit_result(RawOrigin::Signed(prover), job, outputs, Box::new(proof));

		assert!(matches!(Jobs::<T>::job(job).map(|j| j.status), Some(JobStatus::Completed { .. })));
		Ok(())
	}

	/// `n` as for `submit_result`; a proof of another statement: the collateral is burned,
	/// the offence reported, the job reopened.
	#[benchmark]
	fn submit_result_invalid(
		n: Linear<2, { 1 + T::MaxInputs::get() + T::MaxOutputs::get() }>,
	) -> Result<(), BenchmarkError> {
		let (inputs_len, outputs_len) = split::<T>(n);
		let (job, prover, trapdoor) = locked_job::<T>(inputs_len, outputs_len)?;
		let outputs = outputs::<T>(outputs_len)?;
		let record = Jobs::<T>::job(job).ok_or(BenchmarkError::Stop("job"))?;
		let mut statement = Jobs::<T>::statement(WorkId::Job(job), &prover, &record.inputs, &outputs);
		statement[0] = input(u32::MAX);
		let proof = trapdoor.prove(&statement).map_err(|_| BenchmarkError::Stop("simulated proof"))?;

		#[extrinsic_call]
		submit_result(RawOrigin::Signed(prover), job, outputs, Box::new(proof));

		assert!(matches!(Jobs::<T>::job(job).map(|j| j.status), Some(JobStatus::Open)));
		Ok(())
	}

	/// `k` valid results of `n` public inputs each under one key, in one `submit_results`:
	/// every job of its own requester (the most accounts touched), one prover, every result
	/// paid. The bisection a failing batch may need is weighed by the verifier
	/// (`Verifier::bisection_weight`), on top.
	#[benchmark]
	fn submit_results(
		k: Linear<1, { T::MaxBatch::get() }>,
		n: Linear<2, { 1 + T::MaxInputs::get() + T::MaxOutputs::get() }>,
	) -> Result<(), BenchmarkError> {
		let (inputs_len, outputs_len) = split::<T>(n);
		let (circuit, trapdoor) = circuit::<T>(inputs_len, outputs_len);
		let prover = funded::<T>("prover", 0);
		T::BenchmarkHelper::register_prover(&prover, circuit);
		let outputs = outputs::<T>(outputs_len)?;
		let mut results = Vec::new();
		for i in 0..k {
			let requester = funded::<T>("requester", i);
			let job = submit_job::<T>(&requester, circuit, inputs_len)?;
			Jobs::<T>::lock(RawOrigin::Signed(prover.clone()).into(), job)?;
			let record = Jobs::<T>::job(job).ok_or(BenchmarkError::Stop("job"))?;
			let statement = Jobs::<T>::statement(WorkId::Job(job), &prover, &record.inputs, &outputs);
			let proof = trapdoor.prove(&statement).map_err(|_| BenchmarkError::Stop("simulated proof"))?;
			results.push(BatchedResult::<T> { work: WorkId::Job(job), outputs: outputs.clone(), proof });
		}
		let batches: BoundedVec<KeyResults<T>, T::MaxBatchKeys> = alloc::vec![KeyResults {
			circuit,
			results: results.try_into().map_err(|_| BenchmarkError::Stop("MaxBatch"))?,
		}]
		.try_into()
		.map_err(|_| BenchmarkError::Stop("MaxBatchKeys"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(prover), batches);

		assert!(matches!(Jobs::<T>::job(0).map(|j| j.status), Some(JobStatus::Completed { .. })));
		assert!(matches!(Jobs::<T>::job(k as u64 - 1).map(|j| j.status), Some(JobStatus::Completed { .. })));
		Ok(())
	}

	#[benchmark]
	fn cancel() -> Result<(), BenchmarkError> {
		let requester = funded::<T>("requester", 0);
		let (circuit, _) = circuit::<T>(1, 1);
		let job = submit_job::<T>(&requester, circuit, 1)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), job);

		assert!(matches!(Jobs::<T>::job(job).map(|j| j.status), Some(JobStatus::Cancelled { .. })));
		Ok(())
	}

	/// `s`: slots, each with a `MaxHyperParamsLen`-byte hyper-parameter vector; `MaxInputs`
	/// inputs.
	#[benchmark]
	fn submit_grid(s: Linear<1, { T::MaxSlots::get() }>) -> Result<(), BenchmarkError> {
		let requester = funded::<T>("requester", 0);
		let (circuit, _) = circuit::<T>(T::MaxInputs::get(), 1);
		let inputs = inputs::<T>(T::MaxInputs::get())?;
		let slots = grid_slots::<T>(s);

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), circuit, inputs, slots, 0, grid_terms::<T>());

		assert_eq!(NextGridId::<T>::get(), 1);
		Ok(())
	}

	#[benchmark]
	fn lock_slot() -> Result<(), BenchmarkError> {
		let grid = grid_with::<T>(T::MaxSlots::get(), 0, 0)?;
		let prover = funded::<T>("prover", 0);
		let circuit = GridJobs::<T>::get(grid).ok_or(BenchmarkError::Stop("grid"))?.circuit;
		T::BenchmarkHelper::register_prover(&prover, circuit);

		#[extrinsic_call]
		_(RawOrigin::Signed(prover), grid, 0);

		assert!(matches!(GridJobs::<T>::get(grid).map(|g| g.slots[0].state.clone()), Some(SlotState::Locked(_))));
		Ok(())
	}

	/// `n`: public inputs of the statement (binding + requester inputs + the metric output);
	/// the grid keeps another slot open, so it does not close (`close_grid` weighs the close).
	#[benchmark]
	fn submit_slot_result(n: Linear<2, { 1 + T::MaxInputs::get() + 1 }>) -> Result<(), BenchmarkError> {
		let inputs_len = n - 2;
		let requester = funded::<T>("requester", 0);
		let prover = funded::<T>("prover", 0);
		let (circuit, trapdoor) = circuit::<T>(inputs_len, 1);
		T::BenchmarkHelper::register_prover(&prover, circuit);
		let grid = submit_grid_job::<T>(&requester, circuit, inputs_len, T::MaxSlots::get().max(2))?;
		Jobs::<T>::lock_slot(RawOrigin::Signed(prover.clone()).into(), grid, 0)?;
		let outputs = metric_outputs::<T>(29)?;
		let statement = Jobs::<T>::statement(WorkId::Slot(grid, 0), &prover, &inputs::<T>(inputs_len)?, &outputs);
		let proof = trapdoor.prove(&statement).map_err(|_| BenchmarkError::Stop("simulated proof"))?;

		#[extrinsic_call]
		submit_slot_result(RawOrigin::Signed(prover), grid, 0, outputs, Box::new(proof));

		assert!(matches!(GridJobs::<T>::get(grid).map(|g| g.slots[0].state.clone()), Some(SlotState::Proven { .. })));
		Ok(())
	}

	/// `n` as for `submit_slot_result`; a proof of another statement.
	#[benchmark]
	fn submit_slot_result_invalid(n: Linear<2, { 1 + T::MaxInputs::get() + 1 }>) -> Result<(), BenchmarkError> {
		let inputs_len = n - 2;
		let requester = funded::<T>("requester", 0);
		let prover = funded::<T>("prover", 0);
		let (circuit, trapdoor) = circuit::<T>(inputs_len, 1);
		T::BenchmarkHelper::register_prover(&prover, circuit);
		let grid = submit_grid_job::<T>(&requester, circuit, inputs_len, T::MaxSlots::get().max(2))?;
		Jobs::<T>::lock_slot(RawOrigin::Signed(prover.clone()).into(), grid, 0)?;
		let outputs = metric_outputs::<T>(29)?;
		let mut statement = Jobs::<T>::statement(WorkId::Slot(grid, 0), &prover, &inputs::<T>(inputs_len)?, &outputs);
		statement[0] = input(u32::MAX);
		let proof = trapdoor.prove(&statement).map_err(|_| BenchmarkError::Stop("simulated proof"))?;

		#[extrinsic_call]
		submit_slot_result(RawOrigin::Signed(prover), grid, 0, outputs, Box::new(proof));

		assert!(matches!(GridJobs::<T>::get(grid).map(|g| g.slots[0].state.clone()), Some(SlotState::Open)));
		Ok(())
	}

	/// `s`: slots, all but one proven by a different prover each, paid at the close; the last
	/// one's lock times out there.
	#[benchmark]
	fn close_grid(s: Linear<1, { T::MaxSlots::get() }>) -> Result<(), BenchmarkError> {
		let grid = grid_with::<T>(s, s, s - 1)?;
		let closes_at = GridJobs::<T>::get(grid).ok_or(BenchmarkError::Stop("grid"))?.closes_at;
		at::<T>(closes_at);

		#[block]
		{
			Jobs::<T>::process_grid(grid, closes_at)?;
		}

		assert!(matches!(GridJobs::<T>::get(grid).map(|g| g.status), Some(GridStatus::Closed { .. })));
		Ok(())
	}

	/// `s`: slots, each locked by a different prover, all timing out at the close: `s`
	/// offences.
	#[benchmark]
	fn process_grid(s: Linear<1, { T::MaxSlots::get() }>) -> Result<(), BenchmarkError> {
		let grid = grid_with::<T>(s, s, 0)?;
		let closes_at = GridJobs::<T>::get(grid).ok_or(BenchmarkError::Stop("grid"))?.closes_at;
		at::<T>(closes_at);

		#[block]
		{
			Jobs::<T>::process_grid(grid, closes_at)?;
		}

		assert!(matches!(GridJobs::<T>::get(grid).map(|g| g.status), Some(GridStatus::Closed { .. })));
		Ok(())
	}

	/// A lock timing out after the job's lock window closed: the collateral is burned, the
	/// offence reported, and the job expires with a refund (the costliest of a job's
	/// deadlines).
	#[benchmark]
	fn process_job() -> Result<(), BenchmarkError> {
		let (job, _, _) = locked_job::<T>(1, 1)?;
		let expires_at = match Jobs::<T>::job(job).map(|j| j.status) {
			Some(JobStatus::Locked(held)) => held.expires_at,
			_ => return Err(BenchmarkError::Stop("not locked")),
		};
		at::<T>(expires_at);

		#[block]
		{
			Jobs::<T>::process_job(job, expires_at)?;
		}

		assert!(matches!(Jobs::<T>::job(job).map(|j| j.status), Some(JobStatus::Expired { .. })));
		Ok(())
	}

	/// A slot's lock timing out: the collateral is burned, the offence reported, the slot
	/// reopened.
	#[benchmark]
	fn process_slot() -> Result<(), BenchmarkError> {
		let grid = grid_with::<T>(T::MaxSlots::get(), 1, 0)?;
		let expires_at = match GridJobs::<T>::get(grid).map(|g| g.slots[0].state.clone()) {
			Some(SlotState::Locked(held)) => held.expires_at,
			_ => return Err(BenchmarkError::Stop("not locked")),
		};
		at::<T>(expires_at);

		#[block]
		{
			Jobs::<T>::process_slot(grid, 0, expires_at)?;
		}

		assert!(matches!(GridJobs::<T>::get(grid).map(|g| g.slots[0].state.clone()), Some(SlotState::Open)));
		Ok(())
	}

	impl_benchmark_test_suite!(Jobs, crate::mock::new_test_ext(), crate::mock::Test);
}
