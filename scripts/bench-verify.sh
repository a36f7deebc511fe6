#!/usr/bin/env bash
# Groth16 verification cost, measured side by side in one run on the same proof (the Iris
# accuracy circuit's, 4 public inputs):
#   - native ark-groth16 `verify_with_processed_vk` with a prepared key;
#   - inside the runtime (the node's wasm executor) through the host function, reading the
#     prepared key from the bytes as stored on chain: per runtime call and per verification;
#   - inside the runtime in pure wasm (arkworks compiled to wasm);
#   - batched (batches of 1, 16, 64 and 256 copies of the statement), natively and through the
#     host function in the runtime (`Verifier::verify_batch`), per proof.
# Ends with `host/native: <ratio>` (the target in docs/architecture.md is at most 1.3) and
# `results/block: <N>`: valid 4-input results of one key that fit in a 6 s block's normal class
# by the benchmarked weights (cloudana_runtime::capacity::results_per_block; the goal is 1 000).
#
# Needs a node built with `--features runtime-benchmarks` (a separate target directory,
# $CARGO_TARGET_DIR-benchmarks, so the normal build is not replaced; first time ~40 minutes).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_prerequisites

BENCH_TARGET="${CARGO_TARGET_DIR}-benchmarks"
log "building cloudana-node with runtime benchmarks (in $BENCH_TARGET)"
CARGO_TARGET_DIR="$BENCH_TARGET" cargo build --release --locked -p cloudana-node -p cloudana-prover --features cloudana-node/runtime-benchmarks

WORK="$(mktemp -d -t cloudana-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
log "proving the accuracy of the Iris model once (the proof every method verifies)"
"$BENCH_TARGET/release/cloudana-prover" prove-accuracy --model circuits/models/iris-mlp.json \
	--dataset "$CLOUDANA_DATASETS/iris.csv" --keys "$CLOUDANA_KEYS" --out "$WORK" >/dev/null

"$BENCH_TARGET/release/cloudana-node" benchmark-verify --vk "$WORK/verification_key.json" \
	--proof "$WORK/proof.json" --public "$WORK/public.json" "$@"
