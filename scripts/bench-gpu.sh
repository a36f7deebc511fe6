#!/usr/bin/env bash
# The CUDA backend against this machine's CPU cores, side by side in one run
# (`cloudana-prover gpu-bench`): G1 MSMs of 2^16 … 2^22, G2 MSMs, quotients (7 NTTs each), and
# whole proofs of the built-in circuits and of a 2^20-constraint circuit, each GPU result
# checked equal to the CPU's. One line per measurement: cpu_ms, gpu_ms and cpu/gpu; then the two
# goals of issue 15 (a 2^20 G1 MSM ≤ 5 ms, a 2^20-constraint proof ≤ 50 ms on an H100/H200).
#
# Runs `gpu-check` first (kernels against arkworks, whole proofs equal to the CPU's). Options
# after the script name go to gpu-bench (`--max-log 20 --runs 5 --circuit-log 0`).
#
# On a machine with Rust, builds the prover; on a GPU machine without Rust, set
# CLOUDANA_PROVER=/path/to/cloudana-prover (a release build from a machine with Rust: it loads
# libcuda and libnvrtc at run time). NVRTC comes from the machine's CUDA or, if missing, from
# PyPI (lib.sh: ensure_nvrtc). Without a usable GPU it prints the CPU's times and why.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
PROVER="${CLOUDANA_PROVER:-}"
if [ -z "$PROVER" ]; then
	ensure_built
	PROVER="$BIN/cloudana-prover"
fi
# NVRTC: the system's, a CUDA toolkit's (CUDA_HOME, /usr/local/cuda), else PyPI's.
if ! ldconfig -p 2>/dev/null | grep -q 'libnvrtc\.so'; then
	for cuda in "${CUDA_HOME:-}" /usr/local/cuda; do
		if [ -n "$cuda" ] && ls "$cuda"/lib64/libnvrtc.so* >/dev/null 2>&1; then
			export LD_LIBRARY_PATH="$cuda/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
			break
		fi
	done
	[[ "${LD_LIBRARY_PATH:-}" == *lib64* ]] || ensure_nvrtc
fi
if command -v nvidia-smi >/dev/null; then
	nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
	log "gpu-check: kernels against arkworks"
	"$PROVER" gpu-check --arch compute_90
fi
log "gpu-bench"
"$PROVER" gpu-bench "$@"
