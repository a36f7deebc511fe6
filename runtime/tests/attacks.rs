//! The hardening issue's attacks, played against the real runtime (every pallet wired as in
//! production, the runtime's parameters and weights). Each numbered test failed before the fix.
//! The off-chain worker's and the daemon's attacks (items 1, 3, 9, 10) are played against a
//! real node and daemon in `client/tests/e2e.rs` and `prover/tests/daemon.rs`.


use cloudana_groth16_simulator::Trapdoor;
use cloudana_runtime::{
	configs::{dynamic_params::economics, economics::Violation, MaxDeadlineWeight},
	AccountId, Balances, Economics, Jobs, ProverStaking, Reputation, Runtime, RuntimeEvent, RuntimeOrigin, Slashing,
	System, Verifier, CLD,
};
use crate::common::*;
use economics::Parameters as E;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::{Inspect, Mutate}, Get, OnInitialize},
};
use pallet_jobs::{GridTerms, Ineligibility, JobStatus, JobTerms, WorkId};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Ferdie};

/// A simulated circuit (`binding ‖ one input ‖ one output`) whose trapdoor the test knows,
/// registered by `owner`.
fn circuit(seed: &[u8], owner: &AccountId) -> (sp_core::H256, Trapdoor) {
	let trapdoor = Trapdoor::new(seed, 3);
	let vk = trapdoor.verifying_key();
	let id = sp_core::H256(cloudana_groth16::statement::vk_id(&vk));
	assert_ok!(Verifier::register_vk(RuntimeOrigin::signed(owner.clone()), Box::new(vk.try_map_ic(TryInto::try_into).unwrap())));
	(id, trapdoor)
}

fn terms(price: u128, proof_timeout: u32) -> JobTerms<u128, u32> {
	JobTerms { min_price: price, max_price: price, ramp_blocks: 0, lock_timeout: 50, proof_timeout, collateral: CLD }
}

/// A scalar: `x` as a 32-byte big-endian integer.
fn scalar(x: u8) -> [u8; 32] {
	let mut out = [0u8; 32];
	out[31] = x;
	out
}

fn submit(requester: &AccountId, circuit: sp_core::H256, input: u8, terms: JobTerms<u128, u32>) -> u64 {
	let id = pallet_jobs::NextJobId::<Runtime>::get();
	assert_ok!(Jobs::submit(RuntimeOrigin::signed(requester.clone()), circuit, vec![scalar(input)].try_into().unwrap(), terms));
	id
}

fn prove(trapdoor: &Trapdoor, job: u64, prover: &AccountId) {
	let output = [0u8; 32];
	let record = Jobs::job(job).unwrap();
	let statement = Jobs::statement(WorkId::Job(job), prover, &record.inputs, &[output]);
	let proof = trapdoor.prove(&statement).unwrap();
	assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(prover.clone()), job, vec![output].try_into().unwrap(), Box::new(proof)));
}

/// A fresh account, given 10 000 CLD by Alice (transferred, so total issuance stays what the
/// invariant checks expect).
fn account(i: u32) -> AccountId {
	use frame_support::traits::tokens::Preservation;
	let who: AccountId = sp_core::crypto::AccountId32::new(sp_io::hashing::blake2_256(&i.to_le_bytes()));
	assert_ok!(<Balances as Mutate<AccountId>>::transfer(&Alice.to_account_id(), &who, 10_000 * CLD, Preservation::Preserve));
	who
}

fn register(who: &AccountId, circuit: sp_core::H256, stake: u128) {
	assert_ok!(ProverStaking::register(RuntimeOrigin::signed(who.clone()), stake, vec![circuit].try_into().unwrap()));
}

fn pending_slashes() -> usize {
	pallet_slashing::PendingSlashes::<Runtime>::iter().count()
}

#[test]
fn item_1_a_proof_window_no_prover_can_meet_is_refused() {
	dev_ext().execute_with(|| {
		let (circuit, _) = circuit(b"item-1", &Ferdie.to_account_id());
		// One block to prove: the trap timed out every prover that locked it.
		assert_noop!(
			Jobs::submit(RuntimeOrigin::signed(Alice.to_account_id()), circuit, vec![[0u8; 32]].try_into().unwrap(), terms(5 * CLD, 1)),
			pallet_jobs::Error::<Runtime>::ProofWindowTooShort
		);
		// A grid that would close before a proof window fits.
		assert_noop!(
			Jobs::submit_grid(
				RuntimeOrigin::signed(Alice.to_account_id()),
				circuit,
				vec![[0u8; 32]].try_into().unwrap(),
				vec![b"lr=0.1".to_vec().try_into().unwrap()].try_into().unwrap(),
				0,
				GridTerms { bounty: 10 * CLD, collateral: CLD, proof_timeout: 20, duration: 19 },
			),
			pallet_jobs::Error::<Runtime>::InvalidGridDuration
		);
	});
}

#[test]
fn item_2_requester_faults_are_refused_or_cost_the_prover_nothing() {
	dev_ext().execute_with(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let (circuit, trapdoor) = circuit(b"item-2", &Ferdie.to_account_id());
		// An input ≥ r (here r + 6): refused at submit.
		let mut r_plus_6 = cloudana_groth16::encoding::encode_fr(&ark_bn254::Fr::from(0u64));
		r_plus_6.copy_from_slice(&hex::decode("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000007").unwrap());
		assert_noop!(
			Jobs::submit(RuntimeOrigin::signed(alice.clone()), circuit, vec![r_plus_6].try_into().unwrap(), terms(5 * CLD, 20)),
			pallet_jobs::Error::<Runtime>::InputNotInField
		);
		// A key the chain cannot find at verification (a chain fault): the job is void, no
		// offence, nobody loses anything.
		register(&bob, circuit, 500 * CLD);
		let job = submit(&alice, circuit, 1, terms(5 * CLD, 20));
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(bob.clone()), job));
		let (bob_before, score_before) = (Balances::total_balance(&bob), Reputation::score(&bob));
		pallet_verifier::PreparedKeys::<Runtime>::remove(circuit);
		let statement = Jobs::statement(WorkId::Job(job), &bob, &[scalar(1)], &[[0u8; 32]]);
		let proof = trapdoor.prove(&statement).unwrap();
		assert_ok!(Jobs::submit_result(RuntimeOrigin::signed(bob.clone()), job, vec![[0u8; 32]].try_into().unwrap(), Box::new(proof)));
		assert!(matches!(Jobs::job(job).unwrap().status, JobStatus::Void { .. }));
		assert_eq!(pending_slashes(), 0, "no slash");
		assert_eq!(Reputation::score(&bob), score_before, "no penalty");
		assert_eq!(Balances::total_balance(&bob), bob_before, "the collateral back");
		assert_eq!(ProverStaking::ensure_eligible(&bob, &circuit, 5 * CLD), Ok(()), "not suspended");
	});
}

#[test]
fn item_4_storage_costs_a_deposit_and_the_maps_empty_after_a_long_random_run() {
	dev_ext().execute_with(|| {
		use rand::{Rng, SeedableRng};
		short_periods(2, 30, 10, evidence_period(), 60);
		set(E::RetentionPeriod(economics::RetentionPeriod, Some(evidence_period())));
		set(E::MaxCreditsPerPair(economics::MaxCreditsPerPair, Some(1_000)));
		let alice = Alice.to_account_id();
		let (circuit, trapdoor) = circuit(b"item-4", &Ferdie.to_account_id());
		let provers: Vec<AccountId> = (0..4).map(account).collect();
		for p in &provers {
			register(p, circuit, 5_000 * CLD);
		}
		let mut rng = rand::rngs::StdRng::seed_from_u64(4);
		let mut most_jobs = 0;
		for _ in 0..400 {
			match rng.gen_range(0..6) {
				0 | 1 => {
					let _ = Jobs::submit(
						RuntimeOrigin::signed(alice.clone()),
						circuit,
						vec![scalar(rng.gen_range(0..8))].try_into().unwrap(),
						JobTerms { lock_timeout: rng.gen_range(1..30), proof_timeout: rng.gen_range(2..10), ..terms(2 * CLD, 5) },
					);
				},
				2 => {
					let job = rng.gen_range(0..pallet_jobs::NextJobId::<Runtime>::get().max(1));
					let _ = Jobs::lock(RuntimeOrigin::signed(provers[rng.gen_range(0..4)].clone()), job);
				},
				3 => {
					let job = rng.gen_range(0..pallet_jobs::NextJobId::<Runtime>::get().max(1));
					if let Some(JobStatus::Locked(lock)) = Jobs::job(job).map(|j| j.status) {
						if rng.gen_bool(0.8) {
							prove(&trapdoor, job, &lock.prover);
							let _ = Reputation::rate(RuntimeOrigin::signed(alice.clone()), WorkId::Job(job), rng.gen_range(1..=5));
						} else {
							let bad = trapdoor.prove(&[[9u8; 32]; 3]).unwrap();
							let _ = Jobs::submit_result(RuntimeOrigin::signed(lock.prover), job, vec![[0u8; 32]].try_into().unwrap(), Box::new(bad));
						}
					}
				},
				4 => {
					let job = rng.gen_range(0..pallet_jobs::NextJobId::<Runtime>::get().max(1));
					let _ = Jobs::cancel(RuntimeOrigin::signed(alice.clone()), job);
				},
				_ => run_to_block(System::block_number() + rng.gen_range(1..4)),
			}
			most_jobs = most_jobs.max(pallet_jobs::Jobs::<Runtime>::iter().count());
		}
		assert!(pallet_jobs::NextJobId::<Runtime>::get() > 100, "a long run");
		let held = |who: &AccountId| {
			use frame_support::traits::fungible::InspectHold;
			Balances::balance_on_hold(&pallet_jobs::HoldReason::StorageDeposit.into(), who)
		};
		// Every window and period passes: nothing is left of the run but its effects.
		run_to_block(System::block_number() + 100);
		assert_eq!(pallet_jobs::Jobs::<Runtime>::iter().count(), 0, "jobs pruned (up to {most_jobs} at once)");
		assert_eq!(pallet_jobs::Deadlines::<Runtime>::iter().count(), 0);
		assert_eq!(pallet_jobs::OpenWork::<Runtime>::iter().count(), 0);
		assert_eq!(pallet_jobs::ActiveLocks::<Runtime>::iter().count(), 0);
		assert_eq!(pallet_jobs::ReopenedJobs::<Runtime>::iter().count(), 0, "reopened marks pruned with their jobs");
		assert_eq!(pallet_reputation::Ratings::<Runtime>::iter().count(), 0, "ratings pruned with their jobs");
		assert_eq!(pallet_slashing::Offences::<Runtime>::iter().count(), 0, "offences pruned with their slashes");
		assert_eq!(pallet_slashing::PendingSlashes::<Runtime>::iter().count(), 0);
		assert_eq!(pallet_slashing::SlashQueue::<Runtime>::iter().count(), 0);
		assert_eq!(held(&alice), 0, "every deposit released");
		check_invariants();
	});
}

#[test]
fn item_4_a_job_record_holds_a_deposit_per_byte() {
	dev_ext().execute_with(|| {
		use codec::Encode;
		let (circuit, _) = circuit(b"item-4b", &Ferdie.to_account_id());
		let job = submit(&Alice.to_account_id(), circuit, 1, terms(5 * CLD, 20));
		let record = Jobs::job(job).unwrap();
		assert_eq!(
			record.deposit,
			economics::JobDepositBase::get() + economics::JobDepositPerByte::get() * record.encoded_size() as u128
		);
		assert!(record.deposit > CLD / 10);
	});
}

#[test]
fn item_5_filling_the_blocks_around_a_deadline_no_longer_blocks_locks() {
	dev_ext().execute_with(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let (circuit, _) = circuit(b"item-5", &Ferdie.to_account_id());
		register(&bob, circuit, 500 * CLD);
		let job = submit(&alice, circuit, 0, terms(5 * CLD, 20));
		// A lock now times out at block 1 + 20. The old queue held 64 deadlines a block and
		// looked 16 blocks further: 17 × 64 jobs whose lock windows close there filled it.
		for i in 0..(17 * 64 + 1) {
			let lock_timeout = 20 + (i % 17) as u32;
			assert_ok!(Jobs::submit(
				RuntimeOrigin::signed(alice.clone()),
				circuit,
				vec![scalar((i % 200) as u8)].try_into().unwrap(),
				JobTerms { lock_timeout, ..terms(CLD / 100, 20) },
			));
		}
		assert!(pallet_jobs::Deadlines::<Runtime>::iter_key_prefix(21).count() > 64);
		assert_ok!(Jobs::lock(RuntimeOrigin::signed(bob), job));
		check_invariants();
	});
}

#[test]
fn item_6_a_sybil_pair_stays_below_silver() {
	dev_ext().execute_with(|| {
		// The requester owns the key (and so its trapdoor), proves "jobs" for free as its own
		// prover, at near-zero and at credit-worthy prices.
		let requester = account(60);
		let prover = account(61);
		let (own, trapdoor) = circuit(b"item-6", &requester);
		register(&prover, own, 50 * CLD);
		for i in 0..60u8 {
			let price = if i % 2 == 0 { 1_000 } else { CLD };
			let job = submit(&requester, own, i, terms(price, 20));
			assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover.clone()), job));
			prove(&trapdoor, job, &prover);
			let _ = Reputation::rate(RuntimeOrigin::signed(requester.clone()), WorkId::Job(job), 5);
		}
		assert_eq!(Reputation::score(&prover), 0, "nothing on its own circuit");
		// A third account registers the key: the pair still earns at most 3 credits a day.
		let other = account(62);
		let (foreign, trapdoor) = circuit(b"item-6b", &other);
		assert_ok!(ProverStaking::set_circuits(RuntimeOrigin::signed(prover.clone()), vec![foreign].try_into().unwrap()));
		for i in 0..60u8 {
			let job = submit(&requester, foreign, i, terms(CLD, 20));
			assert_ok!(Jobs::lock(RuntimeOrigin::signed(prover.clone()), job));
			prove(&trapdoor, job, &prover);
			let _ = Reputation::rate(RuntimeOrigin::signed(requester.clone()), WorkId::Job(job), 5);
		}
		let score = Reputation::score(&prover);
		assert!(score <= 45, "3 credits and 3 five-star ratings at most: {score}");
		assert_eq!(Reputation::tier(&prover), pallet_reputation::Tier::Bronze);
		assert!(score < economics::SilverFrom::get());
	});
}

#[test]
fn item_7_one_stake_backs_a_bounded_set_of_locks_and_a_span_slashes_the_largest_share() {
	dev_ext().execute_with(|| {
		set(E::MinProofTimeout(economics::MinProofTimeout, Some(2)));
		set(E::StakeLockPeriod(economics::StakeLockPeriod, Some(0)));
		let defer = evidence_period();
		set(E::SlashDeferDuration(economics::SlashDeferDuration, Some(defer)));
		let alice = Alice.to_account_id();
		let charlie = Charlie.to_account_id();
		let (circuit, _) = circuit(b"item-7", &Ferdie.to_account_id());
		// 200 CLD: four 50-CLD-tier locks (jobs below 10 CLD), not a fifth.
		register(&charlie, circuit, 200 * CLD);
		let jobs: Vec<u64> = (0..5).map(|i| submit(&alice, circuit, i, terms(5 * CLD, 5))).collect();
		for job in &jobs[..4] {
			assert_ok!(Jobs::lock(RuntimeOrigin::signed(charlie.clone()), *job));
		}
		assert_noop!(
			Jobs::lock(RuntimeOrigin::signed(charlie.clone()), jobs[4]),
			pallet_jobs::Error::<Runtime>::ProverIneligible(Ineligibility::StakeCommitted)
		);
		// Nor can the reserved stake leave.
		assert_noop!(
			ProverStaking::unbond(RuntimeOrigin::signed(charlie.clone()), 50 * CLD),
			pallet_prover_staking::Error::<Runtime>::StakeReserved
		);
		// All four time out in one block: one fault, one slashing span. The third failure also
		// fires repeated failures (30%), the largest share: 60 CLD in all, where the sum of the
		// shares (4 × 10% + 30%) took 70% of the stake before.
		let start = System::block_number();
		run_to_block(start + 5);
		assert_eq!(ProverStaking::prover(&charlie).unwrap().reserved, 0, "ended locks release their reservation");
		run_to_block(start + 5 + defer);
		assert_eq!(pending_slashes(), 0);
		assert_eq!(ProverStaking::slashable(&charlie), 140 * CLD, "30% of 200");
		check_invariants();
	});
}

#[test]
fn item_8_a_block_of_grid_timeouts_stays_within_the_hook_budget_and_every_slash_waits_its_deferral() {
	dev_ext().execute_with(|| {
		let defer = economics::SlashDeferDuration::get();
		let alice = Alice.to_account_id();
		let (circuit, _) = circuit(b"item-8", &Ferdie.to_account_id());
		// 32 provers, each locking one slot in each of 64 grids (2 048 locks), all timing out at
		// the close.
		let provers: Vec<AccountId> = (0..32).map(|i| account(1_000 + i)).collect();
		for p in &provers {
			register(p, circuit, 5_000 * CLD);
		}
		let grid_terms = GridTerms { bounty: 32 * CLD, collateral: CLD / 10, proof_timeout: 20, duration: 20 };
		for g in 0..64u64 {
			assert_ok!(Jobs::submit_grid(
				RuntimeOrigin::signed(alice.clone()),
				circuit,
				vec![scalar(g as u8)].try_into().unwrap(),
				(0..32).map(|s| format!("lr=0.{s}").into_bytes().try_into().unwrap()).collect::<Vec<_>>().try_into().unwrap(),
				0,
				grid_terms.clone(),
			));
			for (slot, p) in provers.iter().enumerate() {
				assert_ok!(Jobs::lock_slot(RuntimeOrigin::signed(p.clone()), g, slot as u32));
			}
		}
		let closes_at = System::block_number() + 20;
		run_to_block(closes_at - 1);
		let budget = MaxDeadlineWeight::get();
		let mut blocks = 0;
		while pallet_jobs::GridJobs::<Runtime>::iter().any(|(_, g)| g.status == pallet_jobs::GridStatus::Open) {
			let next = System::block_number() + 1;
			System::initialize(&next, &System::parent_hash(), &Default::default());
			let used = Jobs::on_initialize(next);
			assert!(used.all_lte(budget), "block {next}: {used:?} over the budget {budget:?}");
			Slashing::on_initialize(next);
			blocks += 1;
			assert!(blocks < 100, "the closes never finish");
			for record in System::events() {
				assert!(
					!matches!(record.event, RuntimeEvent::Slashing(pallet_slashing::Event::SlashApplied { .. })),
					"a slash applied before its deferral ({defer} blocks) ended"
				);
			}
		}
		assert!(blocks > 1, "2 048 timeouts do not fit one block's budget");
		let pending = pallet_slashing::PendingSlashes::<Runtime>::iter().collect::<Vec<_>>();
		assert!(pending.len() >= 2_048);
		assert!(pending.iter().all(|(_, p)| p.apply_at == p.reported_at + defer), "every slash deferred in full");
		check_invariants();
	});
}

#[test]
fn item_11_and_26_17_parameter_changes_that_break_an_invariant_are_refused_with_their_name() {
	dev_ext().execute_with(|| {
		use cloudana_runtime::{configs::RuntimeParameters, pallet_economics::Error};
		let refuse = |change: E, violation: Violation| {
			assert_noop!(
				Economics::set_parameter(RuntimeOrigin::root(), RuntimeParameters::Economics(change)),
				Error::<Runtime>::InvariantBroken(violation)
			);
		};
		// Stake could leave before the work it backs is judged.
		refuse(E::UnbondingPeriod(economics::UnbondingPeriod, Some(cloudana_runtime::DAYS)), Violation::UnbondingTooShort);
		refuse(E::MaxLockTimeout(economics::MaxLockTimeout, Some(30 * cloudana_runtime::DAYS)), Violation::UnbondingTooShort);
		refuse(E::SlashDeferDuration(economics::SlashDeferDuration, Some(4 * cloudana_runtime::DAYS)), Violation::RetentionTooShort);
		refuse(E::MinProofTimeout(economics::MinProofTimeout, Some(0)), Violation::ProofWindowsInvalid);
		refuse(E::MinProofTimeout(economics::MinProofTimeout, Some(2 * cloudana_runtime::DAYS)), Violation::ProofWindowsInvalid);
		refuse(E::Stake1(economics::Stake1, Some(10 * CLD)), Violation::StakeTiersNotRising);
		refuse(E::StakeTier2Price(economics::StakeTier2Price, Some(5 * CLD)), Violation::StakeTiersNotRising);
		refuse(E::GoldFrom(economics::GoldFrom, Some(900)), Violation::ScoreTiersNotRising);
		refuse(E::DiamondFrom(economics::DiamondFrom, Some(1_001)), Violation::ScoreTiersNotRising);
		refuse(E::SilverPriceLimit(economics::SilverPriceLimit, Some(CLD)), Violation::PriceLimitsNotRising);
		refuse(E::DiamondFeeRate(economics::DiamondFeeRate, Some(sp_runtime::Perbill::from_percent(50))), Violation::DiamondFeeAboveFee);
		refuse(E::MinimumStake(economics::MinimumStake, Some(0)), Violation::ZeroValue);
		refuse(E::OffenceSuspension(economics::OffenceSuspension, Some(60 * cloudana_runtime::DAYS)), Violation::SuspensionsInverted);
		// Issue 26 item 17: a deferral shorter than a dispute's evidence period (20 blocks here),
		// zero above all, would apply slashes and close challenges before a dispute could run.
		refuse(E::SlashDeferDuration(economics::SlashDeferDuration, Some(0)), Violation::DisputesCutShort);
		refuse(E::SlashDeferDuration(economics::SlashDeferDuration, Some(evidence_period() - 1)), Violation::DisputesCutShort);
		set(E::SlashDeferDuration(economics::SlashDeferDuration, Some(evidence_period())));
		// Nor can slowing the clock (a smaller TimeDivisor lengthens the evidence period) leave
		// the deferral behind it.
		let divisor = cloudana_runtime::configs::dynamic_params::governance::TimeDivisor::get();
		assert_noop!(
			Economics::set_parameter(
				RuntimeOrigin::root(),
				RuntimeParameters::Governance(cloudana_runtime::configs::dynamic_params::governance::Parameters::TimeDivisor(
					cloudana_runtime::configs::dynamic_params::governance::TimeDivisor,
					Some(divisor / 2),
				))
			),
			Error::<Runtime>::InvariantBroken(Violation::DisputesCutShort)
		);
		set(E::SlashDeferDuration(economics::SlashDeferDuration, Some(2 * cloudana_runtime::DAYS)));
		// Nothing changed.
		assert_eq!(economics::UnbondingPeriod::get(), 14 * cloudana_runtime::DAYS);
		// A change that keeps every invariant is taken.
		set(E::UnbondingPeriod(economics::UnbondingPeriod, Some(20 * cloudana_runtime::DAYS)));
		set(E::MaxLockTimeout(economics::MaxLockTimeout, Some(10 * cloudana_runtime::DAYS)));
		assert_eq!(economics::MaxLockTimeout::get(), 10 * cloudana_runtime::DAYS);
	});
}
