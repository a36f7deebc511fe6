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
///   saturates the issuance, which then differs from the accounts' sum (seed 8).
fn known_upstream(call: &RuntimeCall) -> bool {
	let far = |valid_from: &Option<u32>| valid_from.is_some_and(|b| b > u32::MAX / 2);
	let huge = |amount: u128| amount > u128::MAX / 1_000;
	match call {
		RuntimeCall::Treasury(pallet_treasury::Call::spend { valid_from, .. }) => far(valid_from),
		RuntimeCall::InsurancePool(pallet_treasury::Call::spend { valid_from, .. }) => far(valid_from),
		RuntimeCall::Balances(pallet_balances::Call::force_set_balance { new_free, .. }) => huge(*new_free),
		_ => false,
	}
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
		let mut recent: std::collections::VecDeque<String> = Default::default();
		let mut dispatched = 0u64;
		let mut n = System::block_number() + 1;
		start_block(n);
		while dispatched < calls {
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
			let pallet = format!("{call:?}").split('(').next().unwrap_or("?").to_string();
			let description = format!("{label} {call:?}");
			recent.push_back(description.chars().take(300).collect());
			if recent.len() > 8 {
				recent.pop_front();
			}
			let issuance = Balances::total_issuance();
			let root = label == "root";
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
