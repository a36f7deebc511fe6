#!/usr/bin/env bash
# Cloudana's tests: builds everything (installing what is missing), then runs
#   1. every unit, integration and end-to-end test of the workspace (the e2e test starts a real
#      dev node and a real prover daemon and runs an Iris job to payout over RPC);
#   2. the pallets' benchmarks as tests, on their mock runtimes (feature runtime-benchmarks);
#   3. the polkadot.js check: a standard Substrate client sees and calls Cloudana's pallets;
#   4. the demo (scripts/demo.sh), as README.md tells a newcomer to run it.
# Set SKIP_DEMO=1 or SKIP_POLKADOT_JS=1 to leave those out.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_prerequisites
build_all

log "1/4 workspace tests (unit, runtime integration, chain specs, CLI, end to end)"
if command -v cargo-nextest >/dev/null; then
	cargo nextest run --release --locked --workspace --no-fail-fast
else
	cargo test --release --locked --workspace --no-fail-fast
fi

log "2/4 pallet benchmarks on the mock runtimes"
cargo test --release --locked -p pallet-verifier -p pallet-prover-staking -p pallet-jobs \
	--features runtime-benchmarks --lib -- benchmark

if [ "${SKIP_POLKADOT_JS:-0}" != 1 ]; then
	log "3/4 polkadot.js against a dev node"
	"$ROOT/scripts/check-polkadot-js.sh"
fi

if [ "${SKIP_DEMO:-0}" != 1 ]; then
	log "4/4 the demo"
	"$ROOT/scripts/demo.sh"
fi

log "all tests passed"
