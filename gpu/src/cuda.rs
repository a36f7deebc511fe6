//! The CUDA device: [`crate::SOURCE`] compiled by NVRTC and run on an NVIDIA GPU through
//! cudarc's driver API.
//!
//! cudarc loads `libcuda.so` (the driver) and `libnvrtc.so.12` (the run-time compiler) with
//! `dlopen` when first used (feature `dynamic-loading`), so this code builds everywhere and a
//! machine without them gets an error here, not a failed start: [`Cuda::new`] checks that both
//! libraries load before it touches them (cudarc panics on a missing library), and catches a
//! panic from a missing symbol as an error too.
//!
//! Compiled PTX is cached in a directory (`<cache>/<hash>.ptx`), by the hash of the source, the
//! options (the GPU's compute capability) and NVRTC's version; a cached file is loaded as it is,
//! and a file the driver refuses is compiled again.

use crate::{Arg, Device, Kernel, SOURCE};
use cloudana_circuits::engine::EngineError;
use cudarc::{
	driver::{sys::CUdevice_attribute, CudaContext, CudaFunction, CudaSlice, CudaStream, LaunchConfig, PushKernelArg},
	nvrtc::{compile_ptx_with_opts, CompileError, CompileOptions, Ptx},
};
use std::{
	collections::HashMap,
	path::{Path, PathBuf},
	sync::Arc,
};

/// Threads per block.
const BLOCK: u32 = 256;

fn error(what: &str, e: impl std::fmt::Debug) -> EngineError {
	EngineError(format!("{what}: {e:?}"))
}

/// Whether `libcuda` and `libnvrtc` can be loaded (without loading them for good).
pub fn libraries_present() -> (bool, bool) {
	// SAFETY: these only try `dlopen` on cudarc's candidate names and close the handle.
	unsafe { (cudarc::driver::sys::is_culib_present(), cudarc::nvrtc::sys::is_culib_present()) }
}

/// NVRTC's version, `major.minor`.
pub fn nvrtc_version() -> Result<String, EngineError> {
	if !libraries_present().1 {
		return Err(EngineError("libnvrtc.so.12 was not found (install CUDA 12's NVRTC or put it on LD_LIBRARY_PATH)".into()));
	}
	let (mut major, mut minor) = (0, 0);
	// SAFETY: two out-parameters.
	let status = unsafe { cudarc::nvrtc::sys::nvrtcVersion(&mut major, &mut minor) };
	if status != cudarc::nvrtc::sys::nvrtcResult::NVRTC_SUCCESS {
		return Err(error("nvrtcVersion", status));
	}
	Ok(format!("{major}.{minor}"))
}

/// The NVRTC options for a virtual architecture such as `compute_90`.
pub fn options(arch: &str) -> Vec<String> {
	vec![format!("--gpu-architecture={arch}"), "--std=c++17".into()]
}

/// Compiles [`SOURCE`] to PTX for `arch` (`compute_90` for H100/H200) with NVRTC. Needs only
/// libnvrtc, no GPU: CI checks the kernels compile with it. A compile error carries NVRTC's log.
pub fn compile(arch: &str) -> Result<String, EngineError> {
	nvrtc_version()?;
	let opts = CompileOptions { options: options(arch), name: Some("bn254.cu".into()), ..Default::default() };
	match compile_ptx_with_opts(SOURCE, opts) {
		Ok(ptx) => Ok(ptx.to_src()),
		Err(CompileError::CompileError { nvrtc, log, .. }) => {
			Err(EngineError(format!("NVRTC refused the kernels ({nvrtc:?}):\n{}", log.to_string_lossy())))
		},
		Err(other) => Err(error("NVRTC", other)),
	}
}

/// PTX for `arch` from `cache` (by [`crate::source_hash`]) or compiled and cached.
pub fn cached_ptx(arch: &str, cache: &Path) -> Result<(String, PathBuf, bool), EngineError> {
	let hash = crate::source_hash(&options(arch), &nvrtc_version()?);
	let path = cache.join(format!("{hash}.ptx"));
	if let Ok(ptx) = std::fs::read_to_string(&path) {
		return Ok((ptx, path, true));
	}
	let ptx = compile(arch)?;
	if let Err(e) = std::fs::create_dir_all(cache).and_then(|_| {
		let partial = path.with_extension("ptx.partial");
		std::fs::write(&partial, &ptx)?;
		std::fs::rename(&partial, &path)
	}) {
		tracing::warn!(target: "cloudana::gpu", path = %path.display(), error = %e, "cannot cache the compiled kernels");
	}
	Ok((ptx, path, false))
}

/// An NVIDIA GPU with the kernels loaded.
pub struct Cuda {
	stream: Arc<CudaStream>,
	functions: HashMap<Kernel, CudaFunction>,
	name: String,
	parallelism: u32,
}

impl Cuda {
	/// Opens GPU `ordinal`, compiles (or loads from `cache`) the kernels for its compute
	/// capability and loads them. Any failure, a missing library included, is an error.
	pub fn new(ordinal: usize, cache: &Path) -> Result<Cuda, EngineError> {
		let (driver, nvrtc) = libraries_present();
		if !driver {
			return Err(EngineError("libcuda.so was not found: no NVIDIA driver on this machine".into()));
		}
		if !nvrtc {
			return Err(EngineError("libnvrtc.so.12 was not found (install CUDA 12's NVRTC or put it on LD_LIBRARY_PATH)".into()));
		}
		std::panic::catch_unwind(|| Cuda::open(ordinal, cache))
			.unwrap_or_else(|panic| Err(EngineError(format!("the CUDA libraries failed: {}", panic_message(&panic)))))
	}

	fn open(ordinal: usize, cache: &Path) -> Result<Cuda, EngineError> {
		let context = CudaContext::new(ordinal).map_err(|e| error("no usable GPU", e))?;
		let (major, minor) = context.compute_capability().map_err(|e| error("compute capability", e))?;
		let gpu = context.name().map_err(|e| error("device name", e))?;
		let processors = context
			.attribute(CUdevice_attribute::CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT)
			.map_err(|e| error("multiprocessor count", e))?;
		let arch = format!("compute_{major}{minor}");
		let (ptx, path, cached) = cached_ptx(&arch, cache)?;
		let module = match context.load_module(Ptx::from_src(ptx)) {
			Ok(module) => module,
			Err(e) if cached => {
				tracing::warn!(target: "cloudana::gpu", path = %path.display(), error = ?e, "the cached kernels do not load; compiling them again");
				let _ = std::fs::remove_file(&path);
				context.load_module(Ptx::from_src(compile(&arch)?)).map_err(|e| error("loading the kernels", e))?
			},
			Err(e) => return Err(error("loading the kernels", e)),
		};
		let mut functions = HashMap::new();
		for kernel in Kernel::ALL {
			functions.insert(kernel, module.load_function(kernel.name()).map_err(|e| error(kernel.name(), e))?);
		}
		let name = format!("cuda ({gpu}, sm_{major}{minor}, {processors} SMs)");
		tracing::info!(target: "cloudana::gpu", device = %name, ptx = %path.display(), cached, "kernels loaded");
		Ok(Cuda { stream: context.default_stream(), functions, name, parallelism: processors.max(1) as u32 * BLOCK })
	}
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
	panic
		.downcast_ref::<String>()
		.cloned()
		.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
		.unwrap_or_else(|| "a panic".into())
}

impl Device for Cuda {
	type Buffer = CudaSlice<u32>;

	fn name(&self) -> String {
		self.name.clone()
	}

	fn parallelism(&self) -> u32 {
		self.parallelism
	}

	fn upload(&self, words: &[u32]) -> Result<CudaSlice<u32>, EngineError> {
		if words.is_empty() {
			return self.zeroed(1);
		}
		self.stream.clone_htod(words).map_err(|e| error("copying to the GPU", e))
	}

	fn zeroed(&self, len: usize) -> Result<CudaSlice<u32>, EngineError> {
		self.stream.alloc_zeros::<u32>(len.max(1)).map_err(|e| error(&format!("allocating {} MiB on the GPU", len * 4 >> 20), e))
	}

	fn download(&self, buffer: &CudaSlice<u32>, out: &mut [u32]) -> Result<(), EngineError> {
		let view = buffer.slice(0..out.len());
		self.stream.memcpy_dtoh(&view, out).map_err(|e| error("copying from the GPU", e))?;
		self.stream.synchronize().map_err(|e| error("copying from the GPU", e))
	}

	fn launch(&self, kernel: Kernel, threads: u32, args: &[Arg<'_, CudaSlice<u32>>]) -> Result<(), EngineError> {
		if threads == 0 {
			return Ok(());
		}
		let function = self.functions.get(&kernel).ok_or_else(|| EngineError(format!("{} is not loaded", kernel.name())))?;
		let mut builder = self.stream.launch_builder(function);
		for arg in args {
			match arg {
				Arg::Buf(buffer) => builder.arg(*buffer),
				Arg::U32(value) => builder.arg(value),
			};
		}
		let config = LaunchConfig { grid_dim: (threads.div_ceil(BLOCK), 1, 1), block_dim: (BLOCK, 1, 1), shared_mem_bytes: 0 };
		// SAFETY: the arguments are the kernel's, in order and of its types (pointers to 32-bit
		// words and 32-bit integers); the buffers are sized by `Gpu` for the kernel's indexing.
		unsafe { builder.launch(config) }.map_err(|e| error(kernel.name(), e))?;
		self.stream.synchronize().map_err(|e| error(kernel.name(), e))
	}
}
