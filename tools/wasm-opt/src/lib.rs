//! The part of the `wasm-opt` crate's API (0.116) that `substrate-wasm-builder` calls, without
//! binaryen.
//!
//! `substrate-wasm-builder` runs binaryen at optimization level 0 with two passes only:
//! [`Pass::StripDwarf`] and [`Pass::SignextLowering`], with the MVP feature set when it compacts
//! the runtime ([`OptimizationOptions::mvp_features_only`]). Building binaryen's C++ costs more
//! than ten minutes of one core on every cold build, on the critical path of the node's build.
//! Cloudana's runtime is built for `wasm32v1-none`, whose code has no sign-extension operators
//! (WebAssembly 1.0 plus mutable globals), in release without debug info: so lowering has
//! nothing to lower and there is no DWARF to strip. This crate does what the two passes would
//! do to such a module, and refuses any other:
//!
//! - the input must validate (`wasmparser`'s validator) with the MVP feature set (plus mutable
//!   globals) when [`OptimizationOptions::mvp_features_only`] or [`Pass::SignextLowering`] is
//!   asked for: a module with sign-extension operators (a `wasm32-unknown-unknown` build) fails
//!   with [`OptimizationError::NeedsBinaryen`], which says to install `wasm32v1-none`;
//! - [`Pass::StripDwarf`] drops custom sections whose names start with `.debug_`; every other
//!   byte is copied as it is (the `name` section stays: `debug_info(true)`).
//!
//! Every other pass, and any optimization level above 0, is not available here
//! ([`OptimizationError::NeedsBinaryen`]).

use std::path::{Path, PathBuf};
use wasmparser::{Validator, WasmFeatures};

/// The passes `substrate-wasm-builder` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pass {
	/// Strip DWARF debug information (custom sections `.debug_*`).
	StripDwarf,
	/// Lower sign-extension operators to MVP instructions: here, check that there are none.
	SignextLowering,
}

/// Why a module was refused.
#[derive(Debug, thiserror::Error)]
pub enum OptimizationError {
	/// The input module could not be read.
	#[error("cannot read {path}: {source}")]
	Read {
		/// The file.
		path: PathBuf,
		/// Why.
		source: std::io::Error,
	},
	/// The output module could not be written.
	#[error("cannot write {path}: {source}")]
	Write {
		/// The file.
		path: PathBuf,
		/// Why.
		source: std::io::Error,
	},
	/// The input is not a valid WebAssembly module with the features allowed.
	#[error("{path} does not validate as a WebAssembly {features} module: {message}")]
	ValidateWasmInput {
		/// The file.
		path: PathBuf,
		/// `MVP` or `all-features`.
		features: &'static str,
		/// The validator's message (with the byte offset).
		message: String,
	},
	/// The module needs a real binaryen transformation (sign-extension operators to lower, or a
	/// pass or level this crate does not do).
	#[error("{0}: this needs binaryen's wasm-opt, which Cloudana's build replaces (tools/wasm-opt/README.md); build the runtime for wasm32v1-none (`rustup target add wasm32v1-none`)")]
	NeedsBinaryen(String),
}

/// Options of one run, as built by `substrate-wasm-builder`.
#[derive(Clone, Debug, Default)]
pub struct OptimizationOptions {
	passes: Vec<Pass>,
	mvp_only: bool,
	debug_info: bool,
}

impl OptimizationOptions {
	/// Optimization level 0 (`-O0`): no passes but those added.
	pub fn new_opt_level_0() -> Self {
		Self::default()
	}

	/// Adds a pass.
	pub fn add_pass(&mut self, pass: Pass) -> &mut Self {
		self.passes.push(pass);
		self
	}

	/// Whether to keep debug information other than DWARF (the `name` section is always kept).
	pub fn debug_info(&mut self, value: bool) -> &mut Self {
		self.debug_info = value;
		self
	}

	/// Allow WebAssembly 1.0 (MVP) features only, plus mutable globals as `wasm32v1-none` emits.
	pub fn mvp_features_only(&mut self) -> &mut Self {
		self.mvp_only = true;
		self
	}

	/// Reads `infile`, checks it, applies the passes and writes `outfile` (which may be
	/// `infile`).
	pub fn run(&self, infile: impl AsRef<Path>, outfile: impl AsRef<Path>) -> Result<(), OptimizationError> {
		let (infile, outfile) = (infile.as_ref(), outfile.as_ref());
		let bytes = std::fs::read(infile).map_err(|source| OptimizationError::Read { path: infile.into(), source })?;
		let out = self.apply(&bytes).map_err(|e| match e {
			OptimizationError::ValidateWasmInput { features, message, .. } =>
				OptimizationError::ValidateWasmInput { path: infile.into(), features, message },
			other => other,
		})?;
		std::fs::write(outfile, out).map_err(|source| OptimizationError::Write { path: outfile.into(), source })
	}

	/// The passes on a module in memory.
	pub fn apply(&self, module: &[u8]) -> Result<Vec<u8>, OptimizationError> {
		let mvp = self.mvp_only || self.passes.contains(&Pass::SignextLowering);
		let (features, name) = if mvp { (mvp_features(), "MVP") } else { (WasmFeatures::all(), "all-features") };
		if let Err(error) = Validator::new_with_features(features).validate_all(module) {
			let message = error.to_string();
			if mvp && Validator::new_with_features(WasmFeatures::all()).validate_all(module).is_ok() {
				return Err(OptimizationError::NeedsBinaryen(format!(
					"the module uses features beyond WebAssembly 1.0 ({message}), e.g. sign-extension operators from a wasm32-unknown-unknown build"
				)));
			}
			return Err(OptimizationError::ValidateWasmInput { path: PathBuf::new(), features: name, message });
		}
		if self.passes.contains(&Pass::StripDwarf) {
			Ok(strip_custom_sections(module, |name| name.starts_with(".debug_")))
		} else {
			Ok(module.to_vec())
		}
	}
}

/// WebAssembly 1.0 (with mutable globals): what `wasm32v1-none` targets.
fn mvp_features() -> WasmFeatures {
	WasmFeatures::WASM1
}

/// `module` without the custom sections whose name `drop` selects; every other byte as it is.
/// `module` must be valid (the sections' sizes are trusted).
fn strip_custom_sections(module: &[u8], drop: impl Fn(&str) -> bool) -> Vec<u8> {
	let mut out = Vec::with_capacity(module.len());
	out.extend_from_slice(&module[..8]);
	let mut at = 8;
	while at < module.len() {
		let start = at;
		let id = module[at];
		let (size, len) = leb_u32(&module[at + 1..]);
		let body = at + 1 + len;
		at = body + size as usize;
		if id == 0 {
			let (name_len, n) = leb_u32(&module[body..]);
			let name = &module[body + n..body + n + name_len as usize];
			if drop(std::str::from_utf8(name).unwrap_or("")) {
				continue;
			}
		}
		out.extend_from_slice(&module[start..at]);
	}
	out
}

/// An unsigned LEB128 u32 at the start of `bytes`, and its length.
fn leb_u32(bytes: &[u8]) -> (u32, usize) {
	let mut value = 0u32;
	for (i, byte) in bytes.iter().take(5).enumerate() {
		value |= u32::from(byte & 0x7f) << (7 * i);
		if byte & 0x80 == 0 {
			return (value, i + 1);
		}
	}
	(value, 5)
}

#[cfg(test)]
mod tests {
	use super::*;
	use wasm_encoder::{CodeSection, CustomSection, Function, FunctionSection, Instruction, Module, TypeSection, ValType};

	/// A module with one function `(i32) -> i32`, its body `instructions`, and custom sections.
	fn module(instructions: &[Instruction], customs: &[&str]) -> Vec<u8> {
		let mut m = Module::new();
		let mut types = TypeSection::new();
		types.ty().function([ValType::I32], [ValType::I32]);
		m.section(&types);
		let mut functions = FunctionSection::new();
		functions.function(0);
		m.section(&functions);
		let mut code = CodeSection::new();
		let mut f = Function::new([]);
		for i in instructions {
			f.instruction(i);
		}
		f.instruction(&Instruction::End);
		code.function(&f);
		m.section(&code);
		for name in customs {
			m.section(&CustomSection { name: (*name).into(), data: b"payload".as_slice().into() });
		}
		m.finish()
	}

	fn builder_like_compact() -> OptimizationOptions {
		let mut o = OptimizationOptions::new_opt_level_0();
		o.mvp_features_only().debug_info(true).add_pass(Pass::StripDwarf).add_pass(Pass::SignextLowering);
		o
	}

	#[test]
	fn mvp_modules_pass_with_dwarf_stripped_and_the_rest_byte_for_byte() {
		let input = module(&[Instruction::LocalGet(0)], &[".debug_info", "name", ".debug_line", "other"]);
		let out = builder_like_compact().apply(&input).unwrap();
		assert_eq!(out, module(&[Instruction::LocalGet(0)], &["name", "other"]));
		// Without StripDwarf (the builder's non-compact path) the module is copied as it is.
		let mut lower = OptimizationOptions::new_opt_level_0();
		lower.add_pass(Pass::SignextLowering).debug_info(true);
		assert_eq!(lower.apply(&input).unwrap(), input);
	}

	#[test]
	fn sign_extension_operators_are_refused_with_the_fix_named() {
		let input = module(&[Instruction::LocalGet(0), Instruction::I32Extend8S], &[]);
		let error = builder_like_compact().apply(&input).unwrap_err();
		assert!(matches!(error, OptimizationError::NeedsBinaryen(_)), "{error}");
		assert!(error.to_string().contains("wasm32v1-none"), "{error}");
	}

	#[test]
	fn invalid_modules_are_refused() {
		let mut input = module(&[Instruction::LocalGet(0)], &[]);
		input.truncate(input.len() - 1);
		let error = builder_like_compact().apply(&input).unwrap_err();
		assert!(matches!(error, OptimizationError::ValidateWasmInput { .. }), "{error}");
		assert!(matches!(builder_like_compact().apply(b"\0asm"), Err(OptimizationError::ValidateWasmInput { .. })));
	}

	#[test]
	fn run_reads_and_writes_files_in_place() {
		let dir = std::env::temp_dir().join(format!("wasm-opt-test-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let path = dir.join("m.wasm");
		std::fs::write(&path, module(&[Instruction::LocalGet(0)], &[".debug_str"])).unwrap();
		builder_like_compact().run(&path, &path).unwrap();
		assert_eq!(std::fs::read(&path).unwrap(), module(&[Instruction::LocalGet(0)], &[]));
		let missing = builder_like_compact().run(dir.join("missing.wasm"), &path).unwrap_err();
		assert!(matches!(missing, OptimizationError::Read { .. }), "{missing}");
		std::fs::remove_dir_all(dir).unwrap();
	}
}
