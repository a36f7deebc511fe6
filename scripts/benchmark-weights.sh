#!/usr/bin/env bash
# Regenerates the weights of Cloudana's pallets (pallets/*/src/weights.rs) by running their
# frame-benchmarking v2 benchmarks in the real runtime, with the node's host functions, on this
# machine. Uses the runtime-benchmarks build of scripts/bench-verify.sh.
#
# Usage: scripts/benchmark-weights.sh [pallet_verifier|pallet_prover_staking|pallet_jobs|pallet_reputation|pallet_slashing ...]

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_prerequisites

BENCH_TARGET="${CARGO_TARGET_DIR}-benchmarks"
log "building cloudana-node with runtime benchmarks (in $BENCH_TARGET)"
CARGO_TARGET_DIR="$BENCH_TARGET" cargo build --release --locked -p cloudana-node --features cloudana-node/runtime-benchmarks

PALLETS=("$@")
[ ${#PALLETS[@]} -gt 0 ] || PALLETS=(pallet_verifier pallet_prover_staking pallet_jobs pallet_reputation pallet_slashing)
for pallet in "${PALLETS[@]}"; do
	dir="pallets/${pallet#pallet_}"; dir="${dir//_/-}"
	log "benchmarking $pallet -> $dir/src/weights.rs"
	"$BENCH_TARGET/release/cloudana-node" benchmark pallet --chain dev --pallet "$pallet" --extrinsic '*' \
		--steps "${STEPS:-20}" --repeat "${REPEAT:-10}" --wasm-execution compiled \
		--template scripts/benchmarks/weight-template.hbs --output "$dir/src/weights.rs"
done
