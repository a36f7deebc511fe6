//! Benchmarks for pallet-jobs (frame-benchmarking v2), each on its most expensive path.
//!
//! The circuits are simulated keys (`cloudana_groth16::simulator`, seed [`BENCHMARK_SEED`])
//! registered through [`Config::BenchmarkHelper`], so a valid proof exists for every statement;
//! verification does all of its real work.

use super::*;
use crate::Pallet as Jobs;
use alloc::{boxed::Box, vec::Vec};
use cloudana_groth16::{simulator::Trapdoor, PublicInput};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get, Hooks},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Bounded, Saturating};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	// Small enough that MaxDeadlinesPerBlock + 1 funded accounts cannot overflow total issuance.
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1024u32.into());
	who
}

/// A full-size public input (253 bits): the cost of verification grows with the inputs' bit
/// length, so the benchmarks use the largest.
fn input(i: u32) -> PublicInput {
	let mut value = sp_io::hashing::blake2_256(&i.to_le_bytes());
	value[0] &= 0x1f;
	value
}

fn terms<T: Config>() -> JobTermsOf<T> {
	JobTerms {
		min_price: 1_000u32.into(),
		max_price: 1_000_000u32.into(),
		ramp_blocks: 10u32.into(),
		lock_timeout: 2u32.into(),
		proof_timeout: 10u32.into(),
		collateral: 1_000u32.into(),
	}
}

/// A circuit with `inputs` requester inputs and `outputs` outputs.
fn circuit<T: Config>(inputs: u32, outputs: u32) -> (CircuitId, Trapdoor) {
	let total = 1 + inputs + outputs;
	(T::BenchmarkHelper::register_circuit(total), Trapdoor::new(BENCHMARK_SEED, total))
}

fn submit_job<T: Config>(requester: &T::AccountId, circuit: CircuitId, inputs: u32) -> Result<JobId, BenchmarkError> {
	let id = NextJobId::<T>::get();
	let inputs: BoundedVec<PublicInput, T::MaxInputs> =
		(0..inputs).map(input).collect::<Vec<_>>().try_into().map_err(|_| BenchmarkError::Stop("too many inputs"))?;
	Jobs::<T>::submit(RawOrigin::Signed(requester.clone()).into(), circuit, inputs, terms::<T>())?;
	Ok(id)
}

fn grid_terms<T: Config>() -> GridTermsOf<T> {
	GridTerms {
		bounty: 1_000_000u32.into(),
		collateral: 1_000u32.into(),
		proof_timeout: 10u32.into(),
		duration: 20u32.into(),
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

fn submit_grid_job<T: Config>(requester: &T::AccountId, circuit: CircuitId, slots: u32) -> Result<GridId, BenchmarkError> {
	let id = NextGridId::<T>::get();
	let inputs: BoundedVec<PublicInput, T::MaxInputs> =
		alloc::vec![input(0)].try_into().map_err(|_| BenchmarkError::Stop("inputs"))?;
	Jobs::<T>::submit_grid(RawOrigin::Signed(requester.clone()).into(), circuit, inputs, grid_slots::<T>(slots), 0, grid_terms::<T>())?;
	Ok(id)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn submit() {
		let requester = funded::<T>("requester", 0);
		let (circuit, _) = circuit::<T>(T::MaxInputs::get(), 1);
		let inputs: BoundedVec<PublicInput, T::MaxInputs> =
			(0..T::MaxInputs::get()).map(input).collect::<Vec<_>>().try_into().expect("MaxInputs inputs; qed");

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), circuit, inputs, terms::<T>());

		assert_eq!(NextJobId::<T>::get(), 1);
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

		assert!(matches!(Jobs::<T>::job(job).map(|j| j.status), Some(JobStatus::Locked { .. })));
		Ok(())
	}

	/// `n`: public inputs of the statement (binding + requester inputs + one output).
	#[benchmark]
	fn submit_result(n: Linear<2, { 1 + T::MaxInputs::get() + T::MaxOutputs::get() }>) -> Result<(), BenchmarkError> {
		let outputs_len = (n - 1).min(T::MaxOutputs::get());
		let inputs_len = n - 1 - outputs_len;
		let requester = funded::<T>("requester", 0);
		let prover = funded::<T>("prover", 0);
		let (circuit, trapdoor) = circuit::<T>(inputs_len, outputs_len);
		T::BenchmarkHelper::register_prover(&prover, circuit);
		let job = submit_job::<T>(&requester, circuit, inputs_len)?;
		Jobs::<T>::lock(RawOrigin::Signed(prover.clone()).into(), job)?;
		let outputs: BoundedVec<PublicInput, T::MaxOutputs> = (0..outputs_len)
			.map(|i| input(1_000 + i))
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| BenchmarkError::Stop("too many outputs"))?;
		let record = Jobs::<T>::job(job).ok_or(BenchmarkError::Stop("job"))?;
		let statement = Jobs::<T>::statement(job, &prover, &record.inputs, &outputs);
		let proof = trapdoor.prove(&statement).map_err(|_| BenchmarkError::Stop("simulated proof"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(prover), job, outputs, Box::new(proof));

		assert!(matches!(Jobs::<T>::job(job).map(|j| j.status), Some(JobStatus::Completed { .. })));
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

	/// `d`: deadlines due, each a lock timing out after its window closed (forfeit the
	/// collateral, report the offence, refund the escrow): the most expensive case.
	#[benchmark]
	fn on_initialize(d: Linear<0, { T::MaxDeadlinesPerBlock::get() }>) -> Result<(), BenchmarkError> {
		let requester = funded::<T>("requester", 0);
		let (circuit, _) = circuit::<T>(1, 1);
		let mut jobs = Vec::new();
		for i in 0..d {
			let prover = funded::<T>("prover", i);
			T::BenchmarkHelper::register_prover(&prover, circuit);
			let job = submit_job::<T>(&requester, circuit, 1)?;
			Jobs::<T>::lock(RawOrigin::Signed(prover).into(), job)?;
			jobs.push(job);
		}
		let start = frame_system::Pallet::<T>::block_number();
		let due: BlockNumberFor<T> = start.saturating_add(terms::<T>().proof_timeout);
		frame_system::Pallet::<T>::set_block_number(due);
		assert_eq!(Deadlines::<T>::get(due).len() as u32, d);

		#[block]
		{
			Jobs::<T>::on_initialize(due);
		}

		for job in jobs {
			assert!(matches!(Jobs::<T>::job(job).map(|j| j.status), Some(JobStatus::Expired { .. })));
		}
		Ok(())
	}

	/// `s`: slots, each with a `MaxHyperParamsLen`-byte hyper-parameter vector.
	#[benchmark]
	fn submit_grid(s: Linear<1, { T::MaxSlots::get() }>) -> Result<(), BenchmarkError> {
		let requester = funded::<T>("requester", 0);
		let (circuit, _) = circuit::<T>(T::MaxInputs::get(), 1);
		let inputs: BoundedVec<PublicInput, T::MaxInputs> =
			(0..T::MaxInputs::get()).map(input).collect::<Vec<_>>().try_into().expect("MaxInputs inputs; qed");
		let slots = grid_slots::<T>(s);

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), circuit, inputs, slots, 0, grid_terms::<T>());

		assert_eq!(NextGridId::<T>::get(), 1);
		Ok(())
	}

	#[benchmark]
	fn lock_slot() -> Result<(), BenchmarkError> {
		let requester = funded::<T>("requester", 0);
		let prover = funded::<T>("prover", 0);
		let (circuit, _) = circuit::<T>(1, 1);
		T::BenchmarkHelper::register_prover(&prover, circuit);
		let grid = submit_grid_job::<T>(&requester, circuit, T::MaxSlots::get())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(prover), grid, 0);

		assert!(matches!(GridJobs::<T>::get(grid).map(|g| g.slots[0].state.clone()), Some(SlotState::Locked { .. })));
		Ok(())
	}

	/// `n`: public inputs of the statement (binding + requester inputs + one output); the
	/// grid keeps another slot open, so it does not close (`close_grid` weighs the close).
	#[benchmark]
	fn submit_slot_result(n: Linear<2, { 1 + T::MaxInputs::get() + 1 }>) -> Result<(), BenchmarkError> {
		let inputs_len = n - 2;
		let requester = funded::<T>("requester", 0);
		let prover = funded::<T>("prover", 0);
		let (circuit, trapdoor) = circuit::<T>(inputs_len, 1);
		T::BenchmarkHelper::register_prover(&prover, circuit);
		let inputs: BoundedVec<PublicInput, T::MaxInputs> =
			(0..inputs_len).map(input).collect::<Vec<_>>().try_into().map_err(|_| BenchmarkError::Stop("inputs"))?;
		let grid = NextGridId::<T>::get();
		Jobs::<T>::submit_grid(
			RawOrigin::Signed(requester).into(),
			circuit,
			inputs.clone(),
			grid_slots::<T>(T::MaxSlots::get().max(2)),
			0,
			grid_terms::<T>(),
		)?;
		Jobs::<T>::lock_slot(RawOrigin::Signed(prover.clone()).into(), grid, 0)?;
		let mut metric = [0u8; 32];
		metric[31] = 29;
		let outputs: BoundedVec<PublicInput, T::MaxOutputs> =
			alloc::vec![metric].try_into().map_err(|_| BenchmarkError::Stop("outputs"))?;
		let statement = Jobs::<T>::grid_statement(grid, 0, &prover, &inputs, &outputs);
		let proof = trapdoor.prove(&statement).map_err(|_| BenchmarkError::Stop("simulated proof"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(prover), grid, 0, outputs, Box::new(proof));

		assert!(matches!(GridJobs::<T>::get(grid).map(|g| g.slots[0].state.clone()), Some(SlotState::Proven { .. })));
		Ok(())
	}

	/// `s`: proven slots paid at the close, each by a different prover.
	#[benchmark]
	fn close_grid(s: Linear<1, { T::MaxSlots::get() }>) -> Result<(), BenchmarkError> {
		let requester = funded::<T>("requester", 0);
		let (circuit, trapdoor) = circuit::<T>(0, 1);
		let grid = NextGridId::<T>::get();
		Jobs::<T>::submit_grid(
			RawOrigin::Signed(requester).into(),
			circuit,
			BoundedVec::new(),
			grid_slots::<T>(s),
			0,
			grid_terms::<T>(),
		)?;
		for slot in 0..s {
			let prover = funded::<T>("prover", slot);
			T::BenchmarkHelper::register_prover(&prover, circuit);
			Jobs::<T>::lock_slot(RawOrigin::Signed(prover.clone()).into(), grid, slot)?;
			if slot + 1 == s {
				break;
			}
			let mut metric = [0u8; 32];
			metric[31] = slot as u8;
			let statement = Jobs::<T>::grid_statement(grid, slot, &prover, &[], &[metric]);
			let proof = trapdoor.prove(&statement).map_err(|_| BenchmarkError::Stop("simulated proof"))?;
			Jobs::<T>::submit_slot_result(
				RawOrigin::Signed(prover).into(),
				grid,
				slot,
				alloc::vec![metric].try_into().map_err(|_| BenchmarkError::Stop("outputs"))?,
				Box::new(proof),
			)?;
		}
		// The last slot's lock is open at the close: it times out there, and the others are paid.
		let closes_at = GridJobs::<T>::get(grid).ok_or(BenchmarkError::Stop("grid"))?.closes_at;
		frame_system::Pallet::<T>::set_block_number(closes_at);

		#[block]
		{
			Jobs::<T>::process_grid_deadline(GridDeadline::Close(grid), closes_at);
		}

		assert!(matches!(GridJobs::<T>::get(grid).map(|g| g.status), Some(GridStatus::Closed { .. })));
		Ok(())
	}

	impl_benchmark_test_suite!(Jobs, crate::mock::new_test_ext(), crate::mock::Test);
}
