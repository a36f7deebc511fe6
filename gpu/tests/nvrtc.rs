//! The kernels compile with NVRTC for every architecture the prover targets, and the PTX has
//! every kernel. Needs libnvrtc (CUDA 12), not a GPU: `scripts/test.sh` installs it from PyPI
//! (`nvidia-cuda-nvrtc-cu12`) and sets `CLOUDANA_REQUIRE_NVRTC=1`, so that there a missing
//! library fails; elsewhere the test says it skipped.
#![cfg(feature = "cuda")]

use cloudana_gpu::{cuda, Kernel};

#[test]
fn kernels_compile_with_nvrtc() {
	let required = std::env::var("CLOUDANA_REQUIRE_NVRTC").is_ok_and(|v| v == "1");
	let version = match cuda::nvrtc_version() {
		Ok(version) => version,
		Err(e) if !required => {
			eprintln!("skipped: {e}");
			return;
		},
		Err(e) => panic!("{e}"),
	};
	// H100/H200 (sm_90, through the cache: compiled, then loaded) and A100 (sm_80); ~10 s each.
	let dir = std::env::temp_dir().join(format!("cloudana-ptx-test-{}", std::process::id()));
	let (first, path, cached) = cuda::cached_ptx("compute_90", &dir).unwrap_or_else(|e| panic!("NVRTC {version}: {e}"));
	assert!(!cached && path.exists());
	let (second, _, cached) = cuda::cached_ptx("compute_90", &dir).unwrap();
	assert!(cached && first == second);
	let _ = std::fs::remove_dir_all(dir);
	let ptx80 = cuda::compile("compute_80").unwrap_or_else(|e| panic!("NVRTC {version}: {e}"));
	for (arch, ptx) in [("compute_90", &first), ("compute_80", &ptx80)] {
		for kernel in Kernel::ALL {
			assert!(ptx.contains(&format!(".entry {}(", kernel.name())), "{arch}: {} is missing from the PTX", kernel.name());
		}
	}
}
