//! Runtime fuzzing: random sequences of every pallet's calls, from random origins, with random
//! block advances, dispatched into the real runtime (native), checking after every block every
//! pallet's `try_state` (FRAME's and ours, feature `try-runtime`) and the conservation of
//! issuance (`TotalIssuance` = the sum of every account's free and reserved balance; and no call
//! but a Root one raises it).
//!
//! Calls are generated from the runtime's own type information (`scale-info` of
//! `RuntimeCall`), so every pallet's every call is reachable, new ones included: a random
//! variant for each enum, and for each value one from a set that hits edges and existing state
//! (the development accounts, small ids, 0, 1, the existential deposit, amounts in CLD,
//! maxima). A call that does not decode is counted and skipped. The state starts from the
//! development genesis plus a registered circuit and its prover, so that ids hit.
//!
//! About 40% of the calls come from a stateful generator ([`Story`]) that follows the
//! market's state: jobs submitted on a circuit whose trapdoor it knows, locked by registered
//! provers, proven or failed (valid and invalid proofs) or left to time out, pending slashes
//! appealed or cancelled, completed jobs challenged, evidence posted, disputes ruled, appealed
//! and concluded, stake unbonded and withdrawn while disputes are open.
//!
//! Origins: signed by a development account (≈ 85%), Root (≈ 10%), none (≈ 5%). Left out: the
//! pallets whose calls only the block author makes or that rewrite the chain by design
//! (`System`, `Timestamp`, `Sudo`), and `Balances::force_adjust_total_issuance` (Root changing
//! issuance on purpose).
//!
//! `scripts/fuzz.sh [--calls N] [--seed S] [--episode K]` runs it (`CLOUDANA_FUZZ_CALLS`,
//! `CLOUDANA_FUZZ_SEED`, `CLOUDANA_FUZZ_EPISODE`): N calls in episodes of K calls (default
//! 20 000), each from a fresh genesis. CI runs 20 000 calls. A failing run prints its seed, the block and the last calls.
#![cfg(feature = "try-runtime")]

use crate::common;

use cloudana_runtime::{AllPalletsWithSystem, Balances, Runtime, RuntimeCall, RuntimeOrigin, System, Timestamp};
use codec::{Compact, Decode, Encode};
use frame_support::traits::{OnFinalize, OnInitialize, TryState, TryStateSelect};
use scale_info::{PortableRegistry, TypeDef, TypeDefPrimitive};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, Digest, DigestItem};

/// splitmix64: small, seedable, reproducible.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n.max(1)
	}
	fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}
}

const LEFT_OUT_PALLETS: &[&str] = &["System", "Timestamp", "Sudo"];
const LEFT_OUT_CALLS: &[&str] = &["force_adjust_total_issuance"];

struct Generator {
	registry: PortableRegistry,
	call_type: u32,
	accounts: Vec<[u8; 32]>,
	/// Ids on chain (the registered circuit's): picked for 32-byte values.
	ids: Vec<[u8; 32]>,
	rng: Rng,
}

impl Generator {
	fn new(seed: u64) -> Self {
		let mut registry = scale_info::Registry::new();
		let call_type = registry.register_type(&scale_info::meta_type::<RuntimeCall>()).id;
		let accounts = Sr25519Keyring::iter().map(|k| k.to_account_id().into()).collect();
		Generator { registry: registry.into(), call_type, accounts, ids: Vec::new(), rng: Rng(seed) }
	}

	fn call(&mut self) -> Option<RuntimeCall> {
		let mut bytes = Vec::new();
		self.value(self.call_type, &mut bytes, 0);
		let mut input = &bytes[..];
		let call = RuntimeCall::decode(&mut input).ok()?;
		input.is_empty().then_some(call)
	}

	/// A number of `bits` bits: mostly small (ids, counts), else an edge or a random value.
	fn number(&mut self, bits: u32) -> u128 {
		let max = if bits == 128 { u128::MAX } else { (1u128 << bits) - 1 };
		let cld = cloudana_runtime::CLD;
		let value = match self.rng.below(10) {
			0..=3 => self.rng.below(6) as u128,
			4 if bits >= 64 => [cloudana_runtime::EXISTENTIAL_DEPOSIT, cld, 10 * cld, 500 * cld, 10_000 * cld][self.rng.below(5) as usize],
			5 => [10, 100, 1_000, 14_400][self.rng.below(4) as usize],
			6 => max,
			7 => max / 2,
			_ => (self.rng.next() as u128) << 64 | self.rng.next() as u128,
		};
		value & max
	}

	fn value(&mut self, id: u32, out: &mut Vec<u8>, depth: u32) {
		let ty = self.registry.resolve(id).expect("a registered type").clone();
		let path = ty.path.segments.join("::");
		if path.ends_with("AccountId32") {
			let account = if self.rng.chance(90) {
				self.accounts[self.rng.below(self.accounts.len() as u64) as usize]
			} else {
				let mut a = [0u8; 32];
				a.iter_mut().for_each(|b| *b = self.rng.next() as u8);
				a
			};
			out.extend_from_slice(&account);
			return;
		}
		match &ty.type_def {
			TypeDef::Composite(c) =>
				for field in &c.fields {
					self.value(field.ty.id, out, depth + 1);
				},
			TypeDef::Variant(v) => {
				let top = id == self.call_type;
				let choices: Vec<_> = v
					.variants
					.iter()
					.filter(|variant| !(top && LEFT_OUT_PALLETS.contains(&variant.name.as_str())))
					.filter(|variant| !LEFT_OUT_CALLS.contains(&variant.name.as_str()))
					.collect();
				// Deep in nested calls, stop: prefer field-less variants.
				let choices = if depth > 12 {
					let plain: Vec<_> = choices.iter().copied().filter(|v| v.fields.is_empty()).collect();
					if plain.is_empty() { choices } else { plain }
				} else {
					choices
				};
				if choices.is_empty() {
					return;
				}
				let variant = choices[self.rng.below(choices.len() as u64) as usize].clone();
				out.push(variant.index);
				for field in &variant.fields {
					self.value(field.ty.id, out, depth + 1);
				}
			},
			TypeDef::Sequence(s) => {
				let byte = self.is_u8(s.type_param.id);
				let len = if byte { [0u64, 1, 4, 32, 64, 200][self.rng.below(6) as usize] } else { self.rng.below(if depth > 8 { 1 } else { 4 }) };
				Compact(len as u32).encode_to(out);
				for _ in 0..len {
					self.value(s.type_param.id, out, depth + 1);
				}
			},
			TypeDef::Array(a) => {
				if self.is_u8(a.type_param.id) && a.len == 32 && self.rng.chance(50) {
					// Ids and hashes: one of the accounts' bytes, zeros, or a pattern.
					let pick = match self.rng.below(4) {
						0 => self.accounts[self.rng.below(self.accounts.len() as u64) as usize],
						1 if !self.ids.is_empty() => self.ids[self.rng.below(self.ids.len() as u64) as usize],
						1 | 2 => [0u8; 32],
						_ => [self.rng.next() as u8; 32],
					};
					out.extend_from_slice(&pick);
				} else {
					for _ in 0..a.len {
						self.value(a.type_param.id, out, depth + 1);
					}
				}
			},
			TypeDef::Tuple(t) =>
				for field in &t.fields {
					self.value(field.id, out, depth + 1);
				},
			TypeDef::Primitive(p) => self.primitive(p, out),
			TypeDef::Compact(c) => {
				let inner = self.registry.resolve(c.type_param.id).expect("a registered type").clone();
				let bits = match &inner.type_def {
					TypeDef::Primitive(TypeDefPrimitive::U8) => 8,
					TypeDef::Primitive(TypeDefPrimitive::U16) => 16,
					TypeDef::Primitive(TypeDefPrimitive::U32) => 32,
					TypeDef::Primitive(TypeDefPrimitive::U64) => 64,
					_ => 128,
				};
				Compact(self.number(bits)).encode_to(out);
			},
			TypeDef::BitSequence(_) => Compact(0u32).encode_to(out),
		}
	}

	fn is_u8(&self, id: u32) -> bool {
		matches!(self.registry.resolve(id).map(|t| &t.type_def), Some(TypeDef::Primitive(TypeDefPrimitive::U8)))
	}

	fn primitive(&mut self, p: &TypeDefPrimitive, out: &mut Vec<u8>) {
		match p {
			TypeDefPrimitive::Bool => out.push(self.rng.below(2) as u8),
			TypeDefPrimitive::U8 | TypeDefPrimitive::I8 => out.push(self.number(8) as u8),
			TypeDefPrimitive::U16 | TypeDefPrimitive::I16 => (self.number(16) as u16).encode_to(out),
			TypeDefPrimitive::U32 | TypeDefPrimitive::I32 => (self.number(32) as u32).encode_to(out),
			TypeDefPrimitive::U64 | TypeDefPrimitive::I64 => (self.number(64) as u64).encode_to(out),
			TypeDefPrimitive::U128 | TypeDefPrimitive::I128 => self.number(128).encode_to(out),
			TypeDefPrimitive::U256 | TypeDefPrimitive::I256 => out.extend_from_slice(&[self.rng.next() as u8; 32]),
			TypeDefPrimitive::Str => "fuzz".encode_to(out),
			TypeDefPrimitive::Char => ('a' as u32).encode_to(out),
		}
	}
}

/// Calls that trip a known issue of an upstream pallet, not of Cloudana, left out so that the
/// run goes on (docs/testnets.md, "Runtime fuzzing"), both found by this fuzzer:
/// - a treasury spend whose `valid_from` is within `PayoutPeriod` of the last block number
///   (`u32::MAX`) saturates its expiry to `valid_from`, and pallet-treasury's own try_state
///   then fails ("Spend cannot expire before it becomes valid"); such a spend can never be paid
///   (seed 1795690671147440412);
/// - Root setting a balance so large that the issuance would pass `u128::MAX`: pallet-balances
///   saturates the issuance, which then differs from the accounts' sum (seed 8);
/// - Root's `Balances::force_unreserve`, of pallet-balances' legacy reserve API, lowers an
///   account's `reserved` below the sum of its holds (it knows nothing of holds), so every
///   later release of those holds fails with `Arithmetic(Underflow)`: an open job's expiry
///   then failed, and its lock window was left unqueued (seed 20261240 of the 10⁶-call run).
///
/// Nested calls count too (a `Scheduler::schedule` of such a spend, dispatched later as Root:
/// seed 20261237 of the 10⁶-call run), so the call's whole debug text is searched.
fn known_upstream(call: &RuntimeCall) -> bool {
	let text = format!("{call:?}");
	let numbers_after = |key: &'static str| {
		text.match_indices(key).filter_map(|(at, _)| {
			let digits: String = text[at + key.len()..].chars().take_while(char::is_ascii_digit).collect();
			digits.parse::<u128>().ok()
		})
	};
	let far_spend = text.contains("spend {") && numbers_after("valid_from: Some(").any(|block| block > u128::from(u32::MAX / 2));
	let huge_balance = text.contains("force_set_balance {") && numbers_after("new_free: ").any(|amount| amount > u128::MAX / 1_000);
	let unreserve = text.contains("force_unreserve {");
	far_spend || huge_balance || unreserve
}

/// Starts block `n` as an Aura author would (its slot in the digest) and sets its timestamp.
fn start_block(n: u32) {
	let slot = sp_consensus_aura::Slot::from(n as u64 + 1_000);
	let digest = Digest { logs: vec![DigestItem::PreRuntime(sp_consensus_aura::AURA_ENGINE_ID, slot.encode())] };
	System::reset_events();
	System::initialize(&n, &System::parent_hash(), &digest);
	AllPalletsWithSystem::on_initialize(n);
	Timestamp::set(RuntimeOrigin::none(), u64::from(slot) * cloudana_runtime::SLOT_DURATION).expect("the timestamp inherent");
}

fn end_block(n: u32) {
	AllPalletsWithSystem::on_finalize(n);
}

/// The sum of every account's free and reserved balance.
fn accounts_sum() -> u128 {
	frame_system::Account::<Runtime>::iter().map(|(_, info)| info.data.free + info.data.reserved).sum()
}

fn check_block(n: u32) -> Result<(), String> {
	if AllPalletsWithSystem::try_state(n, TryStateSelect::All).is_err() {
		// Name the pallet and its error (the combined error only says "see logs").
		use frame_support::traits::PalletsInfoAccess;
		for info in AllPalletsWithSystem::infos() {
			if let Err(error) = AllPalletsWithSystem::try_state(n, TryStateSelect::Only(vec![info.name.as_bytes().to_vec()])) {
				return Err(format!("{}'s try_state: {error:?}", info.name));
			}
		}
		return Err("try_state failed".into());
	}
	let (issuance, sum) = (Balances::total_issuance(), accounts_sum());
	if issuance != sum {
		return Err(format!("issuance {issuance} ≠ the accounts' sum {sum}"));
	}
	Ok(())
}

/// Seeds state the random calls can hit: the Iris circuit registered, Bob its prover. Returns
/// the circuit's id.
fn seed_state() -> [u8; 32] {
	use frame_support::assert_ok;
	let signed = |k: Sr25519Keyring| RuntimeOrigin::signed(k.to_account_id());
	let vk = cloudana_circuits::keys::accuracy_vk(cloudana_circuits::mlp::Spec::Iris);
	let circuit = sp_core::H256(cloudana_groth16::statement::vk_id(&vk));
	let vk = vk.try_map_ic(TryInto::try_into).unwrap();
	assert_ok!(cloudana_runtime::Verifier::register_vk(signed(Sr25519Keyring::Alice), Box::new(vk)));
	assert_ok!(cloudana_runtime::ProverStaking::register(
		signed(Sr25519Keyring::Bob),
		500 * cloudana_runtime::CLD,
		vec![circuit].try_into().unwrap()
	));
	circuit.0
}

/// The stateful generator (issue 26): calls that follow the market's state, so that the random
/// run reaches deep into jobs, slashes and disputes, which random bytes rarely do: jobs
/// submitted on a circuit whose trapdoor it knows, locked by registered provers, proven
/// (valid proofs), failed (invalid proofs) or left to time out; pending slashes appealed or
/// cancelled; completed jobs challenged; evidence posted; disputes ruled by Root, appealed and
/// concluded; stake unbonded and withdrawn under open disputes. About 40% of a run's calls.
struct Story {
	circuit: sp_core::H256,
	trapdoor: cloudana_groth16_simulator::Trapdoor,
	provers: Vec<cloudana_runtime::AccountId>,
	requesters: Vec<cloudana_runtime::AccountId>,
}

impl Story {
	/// Registers the story's circuit and provers, and shortens the windows (to the shortest
	/// the parameter set check allows) so that timeouts, slashes and disputes come due.
	fn new() -> Self {
		use frame_support::assert_ok;
		use sp_keyring::Sr25519Keyring::{Charlie, Dave, Eve};
		use cloudana_runtime::configs::dynamic_params::economics::{self, Parameters as E};
		let (circuit, trapdoor) = common::circuit(b"fuzz-story");
		common::short_periods(2, 30, 10, common::evidence_period(), 60);
		common::set(E::StakeLockPeriod(economics::StakeLockPeriod, Some(0)));
		// Suspensions of blocks, not days, so that a prover that failed locks again.
		common::set(E::OffenceSuspension(economics::OffenceSuspension, Some(20)));
		common::set(E::RepeatedFailuresSuspension(economics::RepeatedFailuresSuspension, Some(100)));
		common::set(E::FailureWindow(economics::FailureWindow, Some(200)));
		let provers: Vec<_> = [Charlie, Dave, Eve].iter().map(|k| k.to_account_id()).collect();
		// One prover per reputation tier that matters here: Gold, Silver, Bronze (price limits
		// 200, 50 and 10 CLD).
		for (prover, score) in provers.iter().zip([700, 300, 0]) {
			assert_ok!(cloudana_runtime::ProverStaking::register(
				RuntimeOrigin::signed(prover.clone()),
				1_000 * cloudana_runtime::CLD,
				vec![circuit].try_into().unwrap()
			));
			assert_ok!(cloudana_runtime::Reputation::force_set_score(RuntimeOrigin::root(), prover.clone(), score));
		}
		// Requesters: every development account but the story's provers.
		let requesters = Sr25519Keyring::iter().map(|k| k.to_account_id()).filter(|a| !provers.contains(a)).collect();
		Story { circuit, trapdoor, provers, requesters }
	}

	/// The story's provers that are not banned (fraud verdicts ban them).
	fn active_provers(&self) -> Vec<cloudana_runtime::AccountId> {
		self.provers
			.iter()
			.filter(|p| !cloudana_runtime::ProverStaking::prover(p).is_some_and(|info| info.banned))
			.cloned()
			.collect()
	}

	/// A new prover when every one is banned: an account funded by a development account
	/// (a transfer: issuance unchanged) and its registration.
	fn recruit(&mut self) -> Option<(RuntimeOrigin, RuntimeCall, &'static str)> {
		use frame_support::traits::{fungible::Mutate, tokens::Preservation};
		let index = self.provers.len() as u32;
		let who = cloudana_runtime::AccountId::new(sp_io::hashing::blake2_256(&(b"fuzz-prover", index).encode()));
		let funded = Sr25519Keyring::iter().any(|k| {
			<Balances as Mutate<_>>::transfer(&k.to_account_id(), &who, 2_000 * cloudana_runtime::CLD, Preservation::Preserve)
				.is_ok()
		});
		if !funded {
			return None;
		}
		self.provers.push(who.clone());
		let call = pallet_prover_staking::Call::register {
			stake: 1_000 * cloudana_runtime::CLD,
			circuits: vec![self.circuit].try_into().unwrap(),
		};
		Some((RuntimeOrigin::signed(who), RuntimeCall::ProverStaking(call), "story register"))
	}

	/// Up to 32 of the records `iter` yields, one picked at random.
	fn pick<T>(rng: &mut Rng, iter: impl Iterator<Item = T>) -> Option<T> {
		let mut items: Vec<T> = iter.take(32).collect();
		(!items.is_empty()).then(|| items.swap_remove(rng.below(items.len() as u64) as usize))
	}

	/// The next call and its origin, or `None` when the state offers nothing for the chosen
	/// step (the run then makes a random call instead).
	fn step(&mut self, rng: &mut Rng) -> Option<(RuntimeOrigin, RuntimeCall, &'static str)> {
		use cloudana_runtime::CLD;
		use pallet_disputes::{Phase, Reason};
		use pallet_jobs::{JobStatus, WorkId};
		let signed = |who: &cloudana_runtime::AccountId| RuntimeOrigin::signed(who.clone());
		let any = |rng: &mut Rng, of: &[cloudana_runtime::AccountId]| of[rng.below(of.len() as u64) as usize].clone();
		let jobs_where = |wanted: fn(&JobStatus<Runtime>) -> bool| {
			pallet_jobs::Jobs::<Runtime>::iter().filter(move |(_, job)| wanted(&job.status))
		};
		let provers = self.active_provers();
		if provers.is_empty() {
			return self.recruit();
		}
		match rng.below(12) {
			0 | 1 => {
				// Mostly below 10 CLD (any tier may lock), some up to 60 CLD; windows within the
				// parameters as they stand (random Root calls change them).
				use cloudana_runtime::configs::dynamic_params::economics::{MaxLockTimeout, MaxProofTimeout, MinProofTimeout};
				use frame_support::traits::Get;
				let (shortest, longest) = (MinProofTimeout::get(), MaxProofTimeout::get());
				let min = CLD * if rng.chance(70) { 1 + rng.below(6) } else { 10 + rng.below(40) } as u128;
				let terms = pallet_jobs::JobTerms {
					min_price: min,
					max_price: min + CLD * rng.below(4) as u128,
					ramp_blocks: rng.below(10) as u32,
					lock_timeout: 1 + rng.below(MaxLockTimeout::get().clamp(1, 30) as u64) as u32,
					proof_timeout: shortest + rng.below(longest.saturating_sub(shortest).min(10) as u64 + 1) as u32,
					collateral: CLD * rng.below(5) as u128,
				};
				let call = pallet_jobs::Call::submit { circuit: self.circuit, inputs: vec![[0u8; 32]].try_into().unwrap(), terms };
				// A requester that can still pay (random calls move, set, hold and freeze
				// balances).
				use frame_support::traits::{
					fungible::Inspect,
					tokens::{Fortitude, Preservation},
				};
				let spendable = |who: &cloudana_runtime::AccountId| {
					<Balances as Inspect<_>>::reducible_balance(who, Preservation::Preserve, Fortitude::Polite)
				};
				let solvent: Vec<_> = self.requesters.iter().filter(|who| spendable(who) > 100 * CLD).cloned().collect();
				if solvent.is_empty() {
					return None;
				}
				Some((signed(&any(rng, &solvent)), RuntimeCall::Jobs(call), "story submit"))
			},
			2 | 3 => {
				let (job, _) = Self::pick(rng, jobs_where(|s| matches!(s, JobStatus::Open)))?;
				Some((signed(&any(rng, &provers)), RuntimeCall::Jobs(pallet_jobs::Call::lock { job }), "story lock"))
			},
			4 | 5 => {
				let (job, record) = Self::pick(rng, jobs_where(|s| matches!(s, JobStatus::Locked(_))))?;
				let JobStatus::Locked(lock) = record.status else { return None };
				let output = cloudana_groth16::encoding::encode_fr(&ark_bn254::Fr::from(42u64));
				// One in four results is an invalid proof (another statement's).
				let statement = if rng.chance(75) {
					cloudana_runtime::Jobs::statement(WorkId::Job(job), &lock.prover, &record.inputs, &[output])
				} else {
					vec![[7u8; 32]; 3]
				};
				let proof = Box::new(self.trapdoor.prove(&statement).ok()?);
				let call = pallet_jobs::Call::submit_result { job, outputs: vec![output].try_into().unwrap(), proof };
				Some((signed(&lock.prover), RuntimeCall::Jobs(call), "story result"))
			},
			6 => {
				let (slash, pending) = Self::pick(rng, pallet_slashing::PendingSlashes::<Runtime>::iter())?;
				if rng.chance(80) {
					let reason = [Reason::Unprovable, Reason::RequesterFault, Reason::ResultNotIncluded][rng.below(3) as usize];
					let call = pallet_disputes::Call::appeal_slash { slash, reason };
					Some((signed(&pending.offender), RuntimeCall::Disputes(call), "story appeal_slash"))
				} else {
					let call = pallet_slashing::Call::cancel_deferred_slash { slash };
					Some((RuntimeOrigin::root(), RuntimeCall::Slashing(call), "story cancel_deferred_slash"))
				}
			},
			7 => {
				// Completed within the challenge window (the slash deferral).
				use frame_support::traits::Get;
				let now = System::block_number();
				let window = cloudana_runtime::configs::dynamic_params::economics::SlashDeferDuration::get();
				let recent = pallet_jobs::Jobs::<Runtime>::iter()
					.filter(|(_, job)| matches!(job.status, JobStatus::Completed { at, .. } if now < at.saturating_add(window)));
				let (job, record) = Self::pick(rng, recent)?;
				let reason = if rng.chance(50) { Reason::WrongResult } else { Reason::TrainingMismatch };
				let call = pallet_disputes::Call::challenge { work: WorkId::Job(job), reason };
				Some((signed(&record.requester), RuntimeCall::Disputes(call), "story challenge"))
			},
			8 => {
				let (dispute, record) = Self::pick(rng, pallet_disputes::Disputes::<Runtime>::iter())?;
				let who = if rng.chance(50) { record.disputer } else { record.respondent };
				let call = pallet_disputes::Call::add_evidence {
					dispute,
					hash: sp_core::H256::repeat_byte(rng.below(256) as u8),
					note: b"fuzz".to_vec(),
				};
				Some((signed(&who), RuntimeCall::Disputes(call), "story add_evidence"))
			},
			9 => {
				let (dispute, record) = Self::pick(rng, pallet_disputes::Disputes::<Runtime>::iter())?;
				match record.phase {
					Phase::Voting { .. } => {
						// Fraud verdicts ban provers: upheld less often than not.
						let call = pallet_disputes::Call::rule { dispute, upheld: rng.chance(30) };
						Some((RuntimeOrigin::root(), RuntimeCall::Disputes(call), "story rule"))
					},
					Phase::Ruled { upheld, .. } if rng.chance(50) => {
						let loser = if upheld { record.respondent } else { record.disputer };
						Some((signed(&loser), RuntimeCall::Disputes(pallet_disputes::Call::appeal { dispute }), "story appeal"))
					},
					Phase::Ruled { .. } => {
						let call = pallet_disputes::Call::conclude { dispute };
						Some((signed(&any(rng, &self.requesters)), RuntimeCall::Disputes(call), "story conclude"))
					},
				}
			},
			10 => {
				// Stake moves both ways, so that the provers stay able to lock (random calls
				// also chill them: they come back).
				let prover = any(rng, &provers);
				let amount = CLD * (1 + rng.below(50)) as u128;
				let (call, step) = match rng.below(3) {
					0 => (pallet_prover_staking::Call::unbond { amount }, "story unbond"),
					1 => (pallet_prover_staking::Call::bond_extra { amount }, "story bond_extra"),
					_ => (pallet_prover_staking::Call::activate {}, "story activate"),
				};
				Some((signed(&prover), RuntimeCall::ProverStaking(call), step))
			},
			_ => {
				let prover = any(rng, &self.provers);
				let call = pallet_prover_staking::Call::withdraw_unbonded {};
				Some((signed(&prover), RuntimeCall::ProverStaking(call), "story withdraw_unbonded"))
			},
		}
	}
}

/// What a run counted, summed over its episodes.
#[derive(Default)]
struct Tally {
	dispatched: u64,
	ok: u64,
	undecodable: u64,
	blocks: u64,
	per_pallet: std::collections::BTreeMap<String, (u64, u64)>,
}

/// One episode: `calls` random calls from a fresh genesis, seeded with `seed`.
fn episode(seed: u64, calls: u64, tally: &mut Tally) {
	let mut generator = Generator::new(seed);
	let mut ext = common::dev_ext();
	ext.execute_with(|| {
		generator.ids.push(seed_state());
		let mut story = Story::new();
		generator.ids.push(story.circuit.0);
		let mut recent: std::collections::VecDeque<String> = Default::default();
		let mut dispatched = 0u64;
		let mut n = System::block_number() + 1;
		start_block(n);
		while dispatched < calls {
			let told = if generator.rng.chance(40) { story.step(&mut generator.rng) } else { None };
			let (origin, call, label) = match told {
				Some(told) => told,
				None => {
					let Some(call) = generator.call() else {
						tally.undecodable += 1;
						continue;
					};
					if known_upstream(&call) {
						continue;
					}
					let who = generator.accounts[generator.rng.below(generator.accounts.len() as u64) as usize];
					let (origin, label) = match generator.rng.below(100) {
						0..=84 => (RuntimeOrigin::signed(who.into()), "signed"),
						85..=94 => (RuntimeOrigin::root(), "root"),
						_ => (RuntimeOrigin::none(), "none"),
					};
					(origin, call, label)
				},
			};
			let pallet = match label.strip_prefix("story ") {
				Some(step) => format!("story: {step}"),
				None => format!("{call:?}").split('(').next().unwrap_or("?").to_string(),
			};
			let description = format!("{label} {call:?}");
			recent.push_back(description.chars().take(300).collect());
			if recent.len() > 8 {
				recent.pop_front();
			}
			let issuance = Balances::total_issuance();
			let root = label == "root" || matches!(label, "story rule" | "story cancel_deferred_slash");
			let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| call.dispatch(origin)));
			let Ok(result) = result else {
				panic!("a call panicked (episode seed {seed}, block {n}); last calls:\n{}", recent.iter().cloned().collect::<Vec<_>>().join("\n"));
			};
			dispatched += 1;
			tally.dispatched += 1;
			let entry = tally.per_pallet.entry(pallet).or_default();
			entry.0 += 1;
			if result.is_ok() {
				tally.ok += 1;
				entry.1 += 1;
			}
			if !root && Balances::total_issuance() > issuance {
				panic!("a non-Root call raised the issuance (episode seed {seed}, block {n}): {description}");
			}
			// Random block advances: most calls share a block; sometimes many blocks pass (so
			// that deadlines, slashes and referenda come due).
			let advance = match generator.rng.below(1000) {
				0..=799 => 0,
				800..=989 => 1,
				990..=997 => 2 + generator.rng.below(30) as u32,
				_ => 30 + generator.rng.below(400) as u32,
			};
			for _ in 0..advance {
				end_block(n);
				if let Err(error) = check_block(n) {
					panic!("after block {n} (episode seed {seed}): {error}; last calls:\n{}", recent.iter().cloned().collect::<Vec<_>>().join("\n"));
				}
				tally.blocks += 1;
				n += 1;
				start_block(n);
			}
		}
		end_block(n);
		check_block(n).unwrap_or_else(|e| panic!("after block {n} (episode seed {seed}): {e}"));
		tally.blocks += 1;
	});
}

/// A run is a sequence of episodes of at most `CLOUDANA_FUZZ_EPISODE` calls (default 20 000),
/// each from a fresh genesis with its own seed (the run's seed + the episode's index): every
/// block's try_state reads the whole state, so one endless episode slows as state grows, while
/// episodes keep the rate flat and still reach deep state (deadlines, slashes, referenda).
#[test]
fn random_calls_keep_every_invariant() {
	let calls: u64 = std::env::var("CLOUDANA_FUZZ_CALLS").ok().and_then(|s| s.parse().ok()).unwrap_or(20_000);
	let episode_calls: u64 =
		std::env::var("CLOUDANA_FUZZ_EPISODE").ok().and_then(|s| s.parse().ok()).filter(|n| *n > 0).unwrap_or(20_000);
	let seed: u64 = std::env::var("CLOUDANA_FUZZ_SEED").ok().filter(|s| !s.is_empty()).and_then(|s| s.parse().ok()).unwrap_or_else(|| {
		std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
	});
	let episodes = calls.div_ceil(episode_calls).max(1);
	println!(
		"fuzzing {calls} calls in {episodes} episode(s) of ≤ {episode_calls}, seed {seed} (CLOUDANA_FUZZ_SEED={seed} repeats this run)"
	);
	let started = std::time::Instant::now();
	let mut tally = Tally::default();
	for index in 0..episodes {
		let this = episode_calls.min(calls - tally.dispatched);
		episode(seed.wrapping_add(index), this, &mut tally);
		if episodes > 1 {
			println!(
				"episode {}/{episodes} (seed {}): {} calls so far, {:.0} s",
				index + 1,
				seed.wrapping_add(index),
				tally.dispatched,
				started.elapsed().as_secs_f64()
			);
		}
	}
	let seconds = started.elapsed().as_secs_f64();
	println!("{:<22} {:>9} {:>9}", "pallet", "calls", "ok");
	for (pallet, (count, succeeded)) in &tally.per_pallet {
		println!("{pallet:<22} {count:>9} {succeeded:>9}");
	}
	println!(
		"{{\"calls\": {}, \"ok\": {}, \"undecodable\": {}, \"blocks\": {}, \"episodes\": {episodes}, \"seed\": {seed}, \"seconds\": {seconds:.1}, \"calls_per_second\": {:.0}}}",
		tally.dispatched,
		tally.ok,
		tally.undecodable,
		tally.blocks,
		tally.dispatched as f64 / seconds
	);
}
