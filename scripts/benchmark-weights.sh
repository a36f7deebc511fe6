#!/usr/bin/env bash
# Regenerates the weights of Cloudana's pallets (pallets/*/src/weights.rs, and the runtime-local
# Economics pallet's runtime/src/weights/pallet_economics.rs) by running their
# frame-benchmarking v2 benchmarks in the real runtime, with the node's host functions, on this
# machine. Uses the runtime-benchmarks build of scripts/bench-verify.sh.
#
# Usage: scripts/benchmark-weights.sh [pallet_verifier|pallet_prover_staking|pallet_jobs|pallet_reputation|pallet_slashing|pallet_disputes|pallet_wormhole_bridge|pallet_economics ...]

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_prerequisites

BENCH_TARGET="${CARGO_TARGET_DIR}-benchmarks"
log "building cloudana-node with runtime benchmarks (in $BENCH_TARGET)"
CARGO_TARGET_DIR="$BENCH_TARGET" cargo build --release --locked -p cloudana-node --features cloudana-node/runtime-benchmarks

PALLETS=("$@")
[ ${#PALLETS[@]} -gt 0 ] || PALLETS=(pallet_verifier pallet_prover_staking pallet_jobs pallet_reputation pallet_slashing pallet_disputes pallet_wormhole_bridge pallet_economics)
for pallet in "${PALLETS[@]}"; do
	if [ "$pallet" = pallet_economics ]; then
		output=runtime/src/weights/pallet_economics.rs
	else
		dir="pallets/${pallet#pallet_}"; output="${dir//_/-}/src/weights.rs"
	fi
	log "benchmarking $pallet -> $output"
	"$BENCH_TARGET/release/cloudana-node" benchmark pallet --chain dev --pallet "$pallet" --extrinsic '*' \
		--steps "${STEPS:-20}" --repeat "${REPEAT:-10}" --wasm-execution compiled \
		--template scripts/benchmarks/weight-template.hbs --output "$output"
done
