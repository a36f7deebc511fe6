#!/usr/bin/env bash
# Builds the bridge's Solana spoke (solana/program) for SBF from upstream Rust, since Solana's
# own platform tools (cargo-build-sbf) cannot be downloaded here: target bpfel-unknown-none with
# -Zbuild-std, linked by sbpf-linker. sbpf-linker 0.2.6 loads the LLVM of the rustc that runs it,
# so both come from one pinned nightly (LLVM 23; sbpf-linker wants ≥ nightly-2026-08-05). Installs
# the nightly (with rust-src) and the linker when missing. Prints the .so's path.
#
# Output: ${CARGO_TARGET_DIR}-solana/bpfel-unknown-none/spoke/libcloudana_spoke.so (SBPF v0).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_sbf_toolchain
LINKER="$SBPF_LINKER"

log "building the spoke for SBF (bpfel-unknown-none, SBPF v0)"
cd "$ROOT/solana/program"
# v0: target-cpu v2 and --arch=v0 (sbpf-linker's own tests); the stack and the instruction set
# as Solana's runtime expects them.
RUSTFLAGS="-C linker=$LINKER -C panic=abort -C relocation-model=static -C target-cpu=v2 \
-C target-feature=+allows-misaligned-mem-access -C link-arg=--arch=v0 \
-C link-arg=--llvm-args=--bpf-stack-size=4096 -C link-arg=--llvm-args=--disable-movsx \
-C link-arg=--llvm-args=--disable-ldsx" \
	CARGO_TARGET_DIR="$SOLANA_TARGET_DIR" cargo "+$SBF_NIGHTLY" build --locked --profile spoke \
	--target bpfel-unknown-none -Zbuild-std=core,alloc -p cloudana-spoke >&2
SO="$SOLANA_TARGET_DIR/bpfel-unknown-none/spoke/libcloudana_spoke.so"
[ -f "$SO" ] || die "the build made no $SO"
echo "$SO"
