//! Which engine proves: `--backend auto|cpu|cuda`.
//!
//! - `cpu`: arkworks on every core.
//! - `cuda`: the GPU engine (`cloudana-gpu`, feature `cuda`, on by default). If the machine has
//!   no NVIDIA driver, no NVRTC, no GPU, if the kernels do not compile or load, or if they fail
//!   the start-up self-test against arkworks, the daemon warns and proves on the CPU.
//! - `auto` (the default): the GPU if one works, else the CPU, with an info line either way.
//!
//! Per proof, a GPU failure (a kernel error, or a proof that does not verify) is a warning and
//! the proof is made again on the CPU (`cloudana_circuits::engine::with_fallback`).

use cloudana_circuits::engine::{Cpu, Engine};
use std::{path::Path, sync::Arc};

/// The `--backend` choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Backend {
	/// The GPU if one works, else the CPU.
	#[default]
	Auto,
	/// The CPU only.
	Cpu,
	/// The GPU, warning and falling back to the CPU if it does not work.
	Cuda,
}

/// The engine for `backend`; `cache` holds compiled kernels.
pub fn open(backend: Backend, cache: &Path) -> Arc<dyn Engine> {
	if backend == Backend::Cpu {
		tracing::info!(target: "cloudana::gpu", "proving on the CPU (--backend cpu)");
		return Arc::new(Cpu);
	}
	match open_gpu(cache) {
		Ok(engine) => {
			tracing::info!(target: "cloudana::gpu", engine = %engine.name(), "proving on the GPU");
			engine
		},
		Err(reason) if backend == Backend::Cuda => {
			tracing::warn!(target: "cloudana::gpu", %reason, "--backend cuda: no usable GPU; proving on the CPU");
			Arc::new(Cpu)
		},
		Err(reason) => {
			tracing::info!(target: "cloudana::gpu", %reason, "no usable GPU; proving on the CPU");
			Arc::new(Cpu)
		},
	}
}

#[cfg(feature = "cuda")]
fn open_gpu(cache: &Path) -> Result<Arc<dyn Engine>, String> {
	let device = cloudana_gpu::cuda::Cuda::new(0, cache).map_err(|e| e.to_string())?;
	let engine = cloudana_gpu::Gpu::new(device);
	engine.self_test().map_err(|e| format!("the GPU failed its self-test: {e}"))?;
	Ok(Arc::new(engine))
}

#[cfg(not(feature = "cuda"))]
fn open_gpu(_cache: &Path) -> Result<Arc<dyn Engine>, String> {
	Err("this cloudana-prover was built without the `cuda` feature".into())
}
