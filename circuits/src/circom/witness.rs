//! The circom witness generator: runs the `.wasm` circom 2 compiles (`circom --wasm`) in
//! wasmtime, without Node.js.
//!
//! The module's interface (circom 2.x, as its `witness_calculator.js` drives it): it imports
//! `runtime.exceptionHandler(code)`, `runtime.printErrorMessage()`,
//! `runtime.writeBufferMessage()` and `runtime.showSharedRWMemory()`, and exports
//! `getFieldNumLen32`, `getRawPrime`, `readSharedRWMemory(i)`, `writeSharedRWMemory(i, v)`,
//! `init(sanity_check)`, `getInputSignalSize(h_hi, h_lo)`, `setInputSignal(h_hi, h_lo, i)`,
//! `getInputSize`, `getWitnessSize`, `getWitness(i)` and `getMessageChar`. A field element
//! passes through the shared memory as `getFieldNumLen32` 32-bit limbs, least significant
//! first. An input signal is named by the 64-bit FNV-1a hash of its qualified name (`a`, `a.b`,
//! `a[1].b`), split into high and low halves.
//!
//! Input JSON (snarkjs's `input.json`): an object whose values are numbers, decimal strings
//! (negative ones are taken modulo r), `0x` hex strings, arrays of those (flattened in order),
//! or objects and arrays of objects for bus and struct inputs (names qualified as
//! `witness_calculator.js`'s `qualify_input` does).

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use num_bigint::{BigInt, BigUint, Sign};
use serde_json::Value;
use std::time::{Duration, Instant};
use wasmtime::{Caller, Config, Engine, Linker, Module, Store, StoreLimits, StoreLimitsBuilder, TypedFunc, UpdateDeadline};

/// Why no witness came out.
#[derive(Debug, thiserror::Error)]
pub enum WitnessError {
	/// The `.wasm` is not a circom witness generator (or not a module at all).
	#[error("not a circom witness generator: {0}")]
	Module(String),
	/// The circuit is over another prime than BN254's scalar field.
	#[error("the circuit is not over BN254's scalar field (compile with circom's default prime, bn128)")]
	Prime,
	/// The input JSON is malformed.
	#[error("input: {0}")]
	Input(String),
	/// The generator refused the input (an assertion, a missing or extra signal).
	#[error("the witness generator failed: {0}")]
	Failed(String),
	/// The generator went past a limit ([`Limits`]): fuel, time, memory or witness size.
	#[error("the witness generator went past a limit: {0}")]
	Limit(String),
}

/// What one witness may take. A `.wasm` is a requester's code: without limits it could loop
/// for ever, grow its memory, or claim a witness of 2³¹ signals and have the host allocate it.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
	/// Wasm fuel (about one unit per instruction).
	pub fuel: u64,
	/// Wall-clock time (an epoch deadline), whatever the fuel left.
	pub time: Duration,
	/// The generator's linear memory, bytes.
	pub memory: usize,
	/// The most signals a witness may have (a circuit's: its `.zkey`'s `nVars`).
	pub max_witness: usize,
}

impl Default for Limits {
	/// 50 × 10⁹ fuel, 300 s, 2 GiB of memory, 2²⁶ signals.
	fn default() -> Self {
		Limits { fuel: 50_000_000_000, time: Duration::from_secs(300), memory: 2 << 30, max_witness: 1 << 26 }
	}
}

/// A compiled witness generator; cheap to clone, reusable across witnesses.
#[derive(Clone)]
pub struct Generator {
	engine: Engine,
	module: Module,
	limits: Limits,
}

/// A witness run's store data: the generator's messages and its memory limits.
struct Messages {
	text: String,
	limits: StoreLimits,
}

/// The 64-bit FNV-1a hash of `name`, as circom names its input signals.
pub fn fnv1a(name: &str) -> u64 {
	let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
	for byte in name.bytes() {
		hash ^= byte as u64;
		hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
	}
	hash
}

/// The input signals of `input`, each with its qualified name and its values in order.
pub fn flatten_input(input: &Value) -> Result<Vec<(String, Vec<Fr>)>, WitnessError> {
	let Value::Object(map) = input else { return Err(WitnessError::Input("expected a JSON object".into())) };
	let mut out = Vec::new();
	for (name, value) in map {
		qualify(name, value, &mut out)?;
	}
	Ok(out)
}

fn qualify(prefix: &str, value: &Value, out: &mut Vec<(String, Vec<Fr>)>) -> Result<(), WitnessError> {
	match value {
		Value::Object(map) => {
			for (name, value) in map {
				qualify(&format!("{prefix}.{name}"), value, out)?;
			}
			Ok(())
		},
		Value::Array(items) if contains_objects(items) => {
			for (i, item) in items.iter().enumerate() {
				match item {
					Value::Array(_) | Value::Object(_) => qualify(&format!("{prefix}[{i}]"), item, out)?,
					_ => return Err(WitnessError::Input(format!("{prefix}: mixes numbers and objects"))),
				}
			}
			Ok(())
		},
		_ => {
			let mut values = Vec::new();
			flatten_values(prefix, value, &mut values)?;
			out.push((prefix.to_string(), values));
			Ok(())
		},
	}
}

fn contains_objects(items: &[Value]) -> bool {
	items.iter().any(|item| match item {
		Value::Object(_) => true,
		Value::Array(inner) => contains_objects(inner),
		_ => false,
	})
}

fn flatten_values(name: &str, value: &Value, out: &mut Vec<Fr>) -> Result<(), WitnessError> {
	match value {
		Value::Array(items) => items.iter().try_for_each(|item| flatten_values(name, item, out)),
		Value::Number(number) => {
			let text = number.to_string();
			out.push(parse_scalar(&text).ok_or_else(|| WitnessError::Input(format!("{name}: {text} is not an integer")))?);
			Ok(())
		},
		Value::String(text) => {
			out.push(parse_scalar(text).ok_or_else(|| WitnessError::Input(format!("{name}: {text:?} is not an integer")))?);
			Ok(())
		},
		Value::Bool(b) => {
			out.push(Fr::from(*b as u64));
			Ok(())
		},
		_ => Err(WitnessError::Input(format!("{name}: null is not a value"))),
	}
}

/// An integer (decimal, possibly negative, or `0x` hex) reduced modulo r.
pub fn parse_scalar(text: &str) -> Option<Fr> {
	let text = text.trim();
	let value = if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
		BigInt::from_biguint(Sign::Plus, BigUint::parse_bytes(hex.as_bytes(), 16)?)
	} else {
		text.parse::<BigInt>().ok()?
	};
	let modulus = BigInt::from_biguint(Sign::Plus, Fr::MODULUS.into());
	let reduced = ((value % &modulus) + &modulus) % &modulus;
	Some(Fr::from_le_bytes_mod_order(&reduced.to_biguint()?.to_bytes_le()))
}

fn module_error(e: impl std::fmt::Display) -> WitnessError {
	WitnessError::Module(e.to_string())
}

impl Generator {
	/// Compiles a circom witness generator, with the default [`Limits`].
	pub fn new(wasm: &[u8]) -> Result<Generator, WitnessError> {
		Self::with_limits(wasm, Limits::default())
	}

	/// Compiles a circom witness generator whose runs keep to `limits`: fuel metering and
	/// epoch interruption are compiled in.
	pub fn with_limits(wasm: &[u8], limits: Limits) -> Result<Generator, WitnessError> {
		let mut config = Config::new();
		config.consume_fuel(true).epoch_interruption(true);
		let engine = Engine::new(&config).map_err(module_error)?;
		let module = Module::new(&engine, wasm).map_err(|e| WitnessError::Module(format!("{e:#}")))?;
		Ok(Generator { engine, module, limits })
	}

	/// The limits each witness keeps to.
	pub fn limits(&self) -> Limits {
		self.limits
	}

	/// Caps the witness size (a circuit's `nVars`).
	pub fn set_max_witness(&mut self, max: usize) {
		self.limits.max_witness = max;
	}

	/// The witness of `input` (module docs): the constant 1, the outputs, the public inputs, the
	/// private inputs and every intermediate signal.
	pub fn witness(&self, input: &Value) -> Result<Vec<Fr>, WitnessError> {
		let signals = flatten_input(input)?;
		let limits = self.limits;
		let memory = StoreLimitsBuilder::new().memory_size(limits.memory).instances(1).memories(1).tables(4).build();
		let mut store = Store::new(&self.engine, Messages { text: String::new(), limits: memory });
		store.limiter(|data| &mut data.limits);
		store.set_fuel(limits.fuel).map_err(module_error)?;
		// The epoch ticks once, when this run's time is up (a timer thread below); another run's
		// tick on this engine only makes this callback look at its own clock.
		let deadline = Instant::now() + limits.time;
		store.set_epoch_deadline(1);
		store.epoch_deadline_callback(move |_| {
			if Instant::now() >= deadline {
				Err(wasmtime::Error::msg(format!("ran past its {} s time limit", limits.time.as_secs())))
			} else {
				Ok(UpdateDeadline::Continue(1))
			}
		});
		let (_done, finished) = std::sync::mpsc::channel::<()>();
		let engine = self.engine.clone();
		std::thread::spawn(move || {
			if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(limits.time) {
				engine.increment_epoch();
			}
		});
		let mut linker = Linker::new(&self.engine);
		linker
			.func_wrap("runtime", "exceptionHandler", |caller: Caller<'_, Messages>, code: i32| -> wasmtime::Result<()> {
				let what = match code {
					1 => "signal not found",
					2 => "too many signals set",
					3 => "signal already set",
					4 => "assert failed",
					5 => "not enough memory",
					6 => "input signal array access exceeds the size",
					_ => "unknown error",
				};
				let detail = caller.data().text.trim().to_string();
				Err(wasmtime::Error::msg(if detail.is_empty() { what.to_string() } else { format!("{what}: {detail}") }))
			})
			.map_err(module_error)?;
		linker
			.func_wrap("runtime", "printErrorMessage", |mut caller: Caller<'_, Messages>| -> wasmtime::Result<()> {
				let message = read_message(&mut caller)?;
				caller.data_mut().text.push_str(&message);
				caller.data_mut().text.push(' ');
				Ok(())
			})
			.map_err(module_error)?;
		linker
			.func_wrap("runtime", "writeBufferMessage", |mut caller: Caller<'_, Messages>| -> wasmtime::Result<()> {
				// circom's `log()`: discarded.
				read_message(&mut caller).map(drop)
			})
			.map_err(module_error)?;
		linker.func_wrap("runtime", "showSharedRWMemory", |_: Caller<'_, Messages>| {}).map_err(module_error)?;
		let instance = linker.instantiate(&mut store, &self.module).map_err(|e| match failure(e, "", &limits) {
			WitnessError::Failed(text) => WitnessError::Module(text),
			other => other,
		})?;
		let get = |store: &mut Store<Messages>, name: &str| -> Result<wasmtime::Func, WitnessError> {
			instance.get_func(&mut *store, name).ok_or_else(|| WitnessError::Module(format!("no export {name}")))
		};
		macro_rules! typed {
			($name:literal, $params:ty, $results:ty) => {
				get(&mut store, $name)?.typed::<$params, $results>(&store).map_err(module_error)?
			};
		}
		let n32: TypedFunc<(), i32> = typed!("getFieldNumLen32", (), i32);
		let raw_prime: TypedFunc<(), ()> = typed!("getRawPrime", (), ());
		let read: TypedFunc<i32, i32> = typed!("readSharedRWMemory", i32, i32);
		let write: TypedFunc<(i32, i32), ()> = typed!("writeSharedRWMemory", (i32, i32), ());
		let init: TypedFunc<i32, ()> = typed!("init", i32, ());
		let size_of: TypedFunc<(i32, i32), i32> = typed!("getInputSignalSize", (i32, i32), i32);
		let set: TypedFunc<(i32, i32, i32), ()> = typed!("setInputSignal", (i32, i32, i32), ());
		let input_size: TypedFunc<(), i32> = typed!("getInputSize", (), i32);
		let witness_size: TypedFunc<(), i32> = typed!("getWitnessSize", (), i32);
		let get_witness: TypedFunc<i32, ()> = typed!("getWitness", i32, ());
		let failed = |store: &Store<Messages>, e: wasmtime::Error| failure(e, store.data().text.trim(), &limits);

		let n32 = n32.call(&mut store, ()).map_err(|e| failed(&store, e))?;
		if n32 != 8 {
			return Err(WitnessError::Prime);
		}
		raw_prime.call(&mut store, ()).map_err(|e| failed(&store, e))?;
		let read_element = |store: &mut Store<Messages>| -> Result<Fr, WitnessError> {
			let mut bytes = [0u8; 32];
			for j in 0..8 {
				let limb = read.call(&mut *store, j).map_err(module_error)? as u32;
				bytes[4 * j as usize..4 * j as usize + 4].copy_from_slice(&limb.to_le_bytes());
			}
			Ok(Fr::from_le_bytes_mod_order(&bytes))
		};
		let mut prime = [0u8; 32];
		for j in 0..8 {
			let limb = read.call(&mut store, j).map_err(module_error)? as u32;
			prime[4 * j as usize..4 * j as usize + 4].copy_from_slice(&limb.to_le_bytes());
		}
		if prime[..] != Fr::MODULUS.to_bytes_le()[..] {
			return Err(WitnessError::Prime);
		}

		init.call(&mut store, 1).map_err(|e| failed(&store, e))?;
		let mut set_count = 0usize;
		for (name, values) in &signals {
			let hash = fnv1a(name);
			let (hi, lo) = ((hash >> 32) as u32 as i32, hash as u32 as i32);
			let size = size_of.call(&mut store, (hi, lo)).map_err(|e| failed(&store, e))?;
			if size <= 0 {
				return Err(WitnessError::Input(format!("the circuit has no input signal {name}")));
			}
			if values.len() != size as usize {
				return Err(WitnessError::Input(format!(
					"signal {name} takes {size} value(s), the input gives {}",
					values.len()
				)));
			}
			for (i, value) in values.iter().enumerate() {
				let bytes = value.into_bigint().to_bytes_le();
				for j in 0..8 {
					let limb = u32::from_le_bytes(bytes[4 * j..4 * j + 4].try_into().expect("4 bytes; qed"));
					write.call(&mut store, (j as i32, limb as i32)).map_err(module_error)?;
				}
				set.call(&mut store, (hi, lo, i as i32)).map_err(|e| failed(&store, e))?;
				set_count += 1;
			}
		}
		let expected = input_size.call(&mut store, ()).map_err(|e| failed(&store, e))? as usize;
		if set_count < expected {
			return Err(WitnessError::Input(format!("the circuit takes {expected} input value(s), the input gives {set_count}")));
		}
		let size = witness_size.call(&mut store, ()).map_err(|e| failed(&store, e))?;
		let size = usize::try_from(size).map_err(|_| WitnessError::Module(format!("a witness size of {size}")))?;
		if size > limits.max_witness {
			return Err(WitnessError::Limit(format!("the generator claims {size} signals, the circuit has {}", limits.max_witness)));
		}
		let mut witness = Vec::with_capacity(size);
		for i in 0..size {
			get_witness.call(&mut store, i as i32).map_err(|e| failed(&store, e))?;
			witness.push(read_element(&mut store)?);
		}
		Ok(witness)
	}
}

/// What a trap or error of the generator means: a limit reached ([`WitnessError::Limit`]), or
/// the generator's own failure with the messages it printed (`text`).
fn failure(e: wasmtime::Error, text: &str, limits: &Limits) -> WitnessError {
	if let Some(trap) = e.downcast_ref::<wasmtime::Trap>() {
		if matches!(trap, wasmtime::Trap::OutOfFuel | wasmtime::Trap::Interrupt) {
			return WitnessError::Limit(format!("{trap} (fuel {}, time {} s)", limits.fuel, limits.time.as_secs()));
		}
	}
	let message = format!("{e:#}");
	if message.contains("time limit") || (message.contains("memory") && message.contains("limit")) {
		return WitnessError::Limit(message);
	}
	WitnessError::Failed(if text.is_empty() || message.contains(text) { message } else { format!("{message} ({text})") })
}

fn read_message(caller: &mut Caller<'_, Messages>) -> wasmtime::Result<String> {
	let Some(next) = caller.get_export("getMessageChar").and_then(|e| e.into_func()) else { return Ok(String::new()) };
	let next = next.typed::<(), i32>(&*caller)?;
	let mut bytes = Vec::new();
	while bytes.len() < 4096 {
		let c = next.call(&mut *caller, ())?;
		if c == 0 {
			break;
		}
		bytes.push(c as u8);
	}
	Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads snarkjs's `.wtns` witness file: the magic `wtns`, a `u32` version (2), a `u32` section
/// count; section 1 holds `n8` (`u32`, 32), the prime and the witness length (`u32`), section 2
/// the values, `n8` bytes little-endian each.
pub fn read_wtns(bytes: &[u8]) -> Result<Vec<Fr>, WitnessError> {
	let bad = |what: &str| WitnessError::Input(format!("not a snarkjs .wtns file: {what}"));
	if bytes.len() < 12 || &bytes[..4] != b"wtns" {
		return Err(bad("no `wtns` magic"));
	}
	let u32_at = |at: usize| -> Result<u32, WitnessError> {
		bytes.get(at..at + 4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes; qed"))).ok_or_else(|| bad("cut short"))
	};
	let sections = u32_at(8)?;
	let (mut at, mut count, mut values) = (12usize, None, None);
	for _ in 0..sections {
		let kind = u32_at(at)?;
		let len = bytes.get(at + 4..at + 12).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes; qed"))).ok_or_else(|| bad("cut short"))?;
		let start = at + 12;
		let end = start.checked_add(len as usize).filter(|e| *e <= bytes.len()).ok_or_else(|| bad("a section runs past the end"))?;
		match kind {
			1 => {
				if u32_at(start)? != 32 || bytes.get(start + 4..start + 36) != Some(&Fr::MODULUS.to_bytes_le()[..]) {
					return Err(WitnessError::Prime);
				}
				count = Some(u32_at(start + 36)? as usize);
			},
			2 => values = Some(&bytes[start..end]),
			_ => {},
		}
		at = end;
	}
	let (count, values) = (count.ok_or_else(|| bad("no header"))?, values.ok_or_else(|| bad("no values"))?);
	if values.len() != count * 32 {
		return Err(bad("the values do not match the length"));
	}
	Ok(values.chunks(32).map(Fr::from_le_bytes_mod_order).collect())
}
