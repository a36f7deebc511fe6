//! The kernel emulator: [`crate::SOURCE`] compiled as host C++ (`kernels/emu.cpp`, built by
//! `build.rs`), each launch a loop over the thread indices on the calling thread, device
//! memory plain host memory. Slow (one core, portable 32-bit arithmetic) and for tests: it
//! checks the kernels' arithmetic and indexing against arkworks without a GPU, not CUDA's
//! memory model or NVRTC (`cloudana-prover gpu-check` does that on a GPU machine).

use crate::{Arg, Device, Kernel};
use cloudana_circuits::engine::EngineError;
use std::cell::UnsafeCell;

extern "C" {
	fn cld_emu_launch(kernel: u32, threads: u32, args: *const u64, count: u32) -> i32;
}

/// Host memory that kernels write through raw pointers.
pub struct HostBuffer(UnsafeCell<Vec<u32>>);

// SAFETY: a buffer is written only by kernel launches, and `Gpu` runs one MSM or quotient at a
// time (its `busy` lock); the resident bases are only read.
unsafe impl Sync for HostBuffer {}
unsafe impl Send for HostBuffer {}

impl HostBuffer {
	fn pointer(&self) -> u64 {
		// SAFETY: the vector is never resized after creation; the pointer stays valid while
		// the buffer lives, and the launch that uses it borrows the buffer.
		unsafe { (*self.0.get()).as_mut_ptr() as u64 }
	}
}

/// Runs kernels on the host, thread by thread.
#[derive(Clone, Copy, Debug)]
pub struct Emulator {
	/// The parallelism it reports to MSM plans: 1 gives one chunk per window; more covers the
	/// chunked path a GPU takes.
	pub parallelism: u32,
}

impl Default for Emulator {
	fn default() -> Emulator {
		Emulator { parallelism: 1 }
	}
}

impl Device for Emulator {
	type Buffer = HostBuffer;

	fn name(&self) -> String {
		"emulator".into()
	}

	fn parallelism(&self) -> u32 {
		self.parallelism
	}

	fn upload(&self, words: &[u32]) -> Result<HostBuffer, EngineError> {
		Ok(HostBuffer(UnsafeCell::new(words.to_vec())))
	}

	fn zeroed(&self, len: usize) -> Result<HostBuffer, EngineError> {
		Ok(HostBuffer(UnsafeCell::new(vec![0; len])))
	}

	fn download(&self, buffer: &HostBuffer, out: &mut [u32]) -> Result<(), EngineError> {
		// SAFETY: no launch is running (launches are synchronous).
		let words = unsafe { &*buffer.0.get() };
		let len = out.len();
		out.copy_from_slice(words.get(..len).ok_or_else(|| EngineError(format!("a download of {len} words from {}", words.len())))?);
		Ok(())
	}

	fn launch(&self, kernel: Kernel, threads: u32, args: &[Arg<'_, HostBuffer>]) -> Result<(), EngineError> {
		let words: Vec<u64> = args
			.iter()
			.map(|arg| match arg {
				Arg::Buf(buffer) => buffer.pointer(),
				Arg::U32(value) => *value as u64,
			})
			.collect();
		// SAFETY: the arguments are the kernel's, in order (the emulator checks the count); the
		// buffers are borrowed for the call and sized by the caller for the kernel's indexing.
		let status = unsafe { cld_emu_launch(kernel as u32, threads, words.as_ptr(), words.len() as u32) };
		match status {
			0 => Ok(()),
			-2 => Err(EngineError(format!("{} takes another number of arguments than {}", kernel.name(), words.len()))),
			other => Err(EngineError(format!("the emulator does not know kernel {} ({other})", kernel.name()))),
		}
	}
}
