//! A storage test and benchmark: a long random run of jobs and grid jobs on the real runtime, sampling how many records, index
//! entries, deadlines, ratings, offences and pending slashes are in storage, and their bytes.
//! Live storage follows live work: it peaks with the work in flight and falls back to nothing
//! once every record has passed its retention period.
//!
//! `CLOUDANA_BENCH_OPS` sets the number of operations: 2 000 by default (the test, under a
//! second), 20 000 from `scripts/bench-storage.sh`.


use cloudana_groth16_simulator::Trapdoor;
use cloudana_runtime::{
	configs::dynamic_params::economics, AccountId, Balances, Jobs, ProverStaking, Reputation, Runtime, RuntimeOrigin,
	System, Verifier, CLD,
};
use codec::Encode;
use crate::common::*;
use economics::Parameters as E;
use frame_support::traits::{fungible::Mutate, tokens::Preservation};
use pallet_jobs::{GridTerms, JobTerms, WorkId};
use sp_keyring::Sr25519Keyring::{Alice, Ferdie};

fn scalar(x: u64) -> [u8; 32] {
	cloudana_groth16::encoding::encode_fr(&ark_bn254::Fr::from(x))
}

/// The error of a call, whether or not it returns post-dispatch info.
fn plain(e: impl Into<sp_runtime::DispatchError>) -> sp_runtime::DispatchError {
	e.into()
}

/// `(entries, bytes)` of a storage map's values.
fn size<V: Encode>(values: impl Iterator<Item = V>) -> (usize, usize) {
	values.fold((0, 0), |(n, bytes), v| (n + 1, bytes + v.encoded_size()))
}

#[derive(Default, Clone, Copy)]
struct Sample {
	jobs: (usize, usize),
	grids: (usize, usize),
	deadlines: usize,
	open: usize,
	locks: usize,
	ratings: usize,
	offences: usize,
	slashes: usize,
}

fn sample() -> Sample {
	Sample {
		jobs: size(pallet_jobs::Jobs::<Runtime>::iter_values()),
		grids: size(pallet_jobs::GridJobs::<Runtime>::iter_values()),
		deadlines: pallet_jobs::Deadlines::<Runtime>::iter_keys().count(),
		open: pallet_jobs::OpenWork::<Runtime>::iter_keys().count(),
		locks: pallet_jobs::ActiveLocks::<Runtime>::iter_keys().count(),
		ratings: pallet_reputation::Ratings::<Runtime>::iter_keys().count(),
		offences: pallet_slashing::Offences::<Runtime>::iter_keys().count(),
		slashes: pallet_slashing::PendingSlashes::<Runtime>::iter_keys().count(),
	}
}

fn row(label: &str, s: Sample) {
	println!(
		"{label:<22} {:>6} jobs ({:>8} B) {:>5} grids ({:>8} B) {:>6} deadlines {:>6} open {:>5} locks {:>6} ratings {:>5} offences {:>5} slashes",
		s.jobs.0, s.jobs.1, s.grids.0, s.grids.1, s.deadlines, s.open, s.locks, s.ratings, s.offences, s.slashes
	);
}

#[test]
fn storage_follows_live_work() {
	use rand::{Rng, SeedableRng};
	let ops: usize = std::env::var("CLOUDANA_BENCH_OPS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000);
	dev_ext().execute_with(|| {
		short_periods(2, 40, 10, evidence_period(), 100);
		set(E::RetentionPeriod(economics::RetentionPeriod, Some(20)));
		set(E::MaxCreditsPerPair(economics::MaxCreditsPerPair, Some(1_000_000)));
		let alice = Alice.to_account_id();
		let trapdoor = Trapdoor::new(b"storage-bound", 3);
		let vk = trapdoor.verifying_key();
		let circuit = sp_core::H256(cloudana_groth16::statement::vk_id(&vk));
		Verifier::register_vk(RuntimeOrigin::signed(Ferdie.to_account_id()), Box::new(vk.try_map_ic(TryInto::try_into).unwrap()))
			.unwrap();
		let provers: Vec<AccountId> = (0..24u32)
			.map(|i| {
				let who = sp_core::crypto::AccountId32::new(sp_io::hashing::blake2_256(&i.to_le_bytes()));
				<Balances as Mutate<AccountId>>::transfer(&alice, &who, 20_000 * CLD, Preservation::Preserve).unwrap();
				ProverStaking::register(RuntimeOrigin::signed(who.clone()), 10_000 * CLD, vec![circuit].try_into().unwrap()).unwrap();
				who
			})
			.collect();
		let mut rng = rand::rngs::StdRng::seed_from_u64(42);
		let mut peak = Sample::default();
		let mut outcomes = std::collections::BTreeMap::new();
		let started = std::time::Instant::now();
		for op in 0..ops {
			let prover = provers[rng.gen_range(0..provers.len())].clone();
			let kind = rng.gen_range(0..10);
			let outcome: Result<(), sp_runtime::DispatchError> = match kind {
				0..=2 => Jobs::submit(
					RuntimeOrigin::signed(alice.clone()),
					circuit,
					vec![scalar(rng.gen_range(0..1_000))].try_into().unwrap(),
					JobTerms {
						min_price: 2 * CLD,
						max_price: 2 * CLD,
						ramp_blocks: 0,
						lock_timeout: rng.gen_range(1..40),
						proof_timeout: rng.gen_range(2..10),
						collateral: CLD / 10,
					},
				)
				.map(|_| ())
				.map_err(plain),
				3 => Jobs::submit_grid(
					RuntimeOrigin::signed(alice.clone()),
					circuit,
					vec![scalar(7)].try_into().unwrap(),
					(0..4).map(|s| format!("lr=0.{s}").into_bytes().try_into().unwrap()).collect::<Vec<_>>().try_into().unwrap(),
					0,
					GridTerms { bounty: 8 * CLD, collateral: CLD / 10, proof_timeout: 5, duration: rng.gen_range(5..40) },
				)
				.map(|_| ())
				.map_err(plain),
				4 => {
					let work = match rng.gen_bool(0.8) {
						true => {
							let next = pallet_jobs::NextJobId::<Runtime>::get();
							WorkId::Job(rng.gen_range(next.saturating_sub(50)..next.max(1)))
						},
						false => {
							let next = pallet_jobs::NextGridId::<Runtime>::get();
							WorkId::Slot(rng.gen_range(next.saturating_sub(10)..next.max(1)), rng.gen_range(0..4))
						},
					};
					match work {
						WorkId::Job(job) => Jobs::lock(RuntimeOrigin::signed(prover), job),
						WorkId::Slot(grid, slot) => Jobs::lock_slot(RuntimeOrigin::signed(prover), grid, slot),
					}
					.map(|_| ())
					.map_err(plain)
				},
				5..=7 => {
					// Prove a random lock, mostly honestly.
					let locks = pallet_jobs::ActiveLocks::<Runtime>::iter_keys().count();
					if locks == 0 {
						continue;
					}
					let (prover, work) = pallet_jobs::ActiveLocks::<Runtime>::iter_keys().nth(rng.gen_range(0..locks)).unwrap();
					let (inputs, output) = match work {
						WorkId::Job(job) => (Jobs::job(job).unwrap().inputs.to_vec(), [0u8; 32]),
						WorkId::Slot(grid, _) => (Jobs::grid(grid).unwrap().inputs.to_vec(), scalar(rng.gen_range(0..30))),
					};
					let mut statement = Jobs::statement(work, &prover, &inputs, &[output]);
					if rng.gen_bool(0.1) {
						statement[0] = scalar(1);
					}
					let proof = Box::new(trapdoor.prove(&statement).unwrap());
					let outputs = vec![output].try_into().unwrap();
					let result = match work {
						WorkId::Job(job) => Jobs::submit_result(RuntimeOrigin::signed(prover), job, outputs, proof),
						WorkId::Slot(grid, slot) => Jobs::submit_slot_result(RuntimeOrigin::signed(prover), grid, slot, outputs, proof),
					};
					if let (Ok(_), WorkId::Job(job)) = (&result, work) {
						let _ = Reputation::rate(RuntimeOrigin::signed(alice.clone()), WorkId::Job(job), rng.gen_range(1..=5));
					}
					result.map(|_| ()).map_err(|e| e.error)
				},
				_ => {
					run_to_block(System::block_number() + 1);
					Ok(())
				},
			};
			let name = ["submit", "submit", "submit", "submit_grid", "lock", "prove", "prove", "prove", "block", "block"][kind];
			let what = match outcome {
				Ok(()) => format!("{name}: ok"),
				Err(sp_runtime::DispatchError::Module(m)) => match m.message {
					Some("ProverIneligible") => format!(
						"{name}: ProverIneligible({:?})",
						<cloudana_primitives::Ineligibility as codec::Decode>::decode(&mut &m.error[1..]).unwrap()
					),
					message => format!("{name}: {}", message.unwrap_or("?")),
				},
				Err(e) => format!("{name}: {e:?}"),
			};
			*outcomes.entry(what).or_insert(0usize) += 1;
			if op % 1_000 == 0 {
				let s = sample();
				row(&format!("after {op} operations"), s);
				peak.jobs.0 = peak.jobs.0.max(s.jobs.0);
				peak.grids.0 = peak.grids.0.max(s.grids.0);
				peak.deadlines = peak.deadlines.max(s.deadlines);
			}
		}
		let submitted = pallet_jobs::NextJobId::<Runtime>::get() + pallet_jobs::NextGridId::<Runtime>::get();
		row("at the end of the run", sample());
		run_to_block(System::block_number() + 200);
		let end = sample();
		row("200 blocks later", end);
		println!(
			"{ops} operations over {} blocks in {:.1} s: {submitted} records submitted, at most {} jobs and {} grids stored at once",
			System::block_number(),
			started.elapsed().as_secs_f64(),
			peak.jobs.0,
			peak.grids.0
		);
		for (what, n) in &outcomes {
			println!("{n:>8} {what}");
		}
		assert_eq!((end.jobs.0, end.grids.0, end.deadlines, end.open, end.locks, end.ratings, end.offences, end.slashes), (0, 0, 0, 0, 0, 0, 0, 0));
		check_invariants();
	});
}
