#!/usr/bin/env bash
# Cloudana's tests: builds everything (installing what is missing), then runs
#   1. every unit, integration and end-to-end test of the workspace (the e2e test starts a real
#      dev node and a real prover daemon and runs an Iris job to payout over RPC);
#   2. the pallets' benchmarks as tests, on their mock runtimes (feature runtime-benchmarks);
#   3. the polkadot.js check: a standard Substrate client sees and calls Cloudana's pallets;
#   4. the demo (scripts/demo.sh), as README.md tells a newcomer to run it;
#   5. the economics worked example (scripts/economics-example.sh), checking its numbers;
#   6. the grid demo (scripts/grid-demo.sh) on Iris, Wine and Breast Cancer, each checking its
#      leaderboard against re-training and its payouts against the bounty.
# Set SKIP_DEMO=1, SKIP_POLKADOT_JS=1, SKIP_ECONOMICS=1 or SKIP_GRID=1 to leave those out.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_prerequisites
build_all

log "1/6 workspace tests (unit, runtime integration, chain specs, CLI, end to end)"
if command -v cargo-nextest >/dev/null; then
	cargo nextest run --release --locked --workspace --no-fail-fast
else
	cargo test --release --locked --workspace --no-fail-fast
fi

log "2/6 pallet benchmarks on the mock runtimes"
cargo test --release --locked -p pallet-verifier -p pallet-prover-staking -p pallet-jobs \
	-p pallet-reputation -p pallet-slashing \
	--features runtime-benchmarks --lib -- benchmark

if [ "${SKIP_POLKADOT_JS:-0}" != 1 ]; then
	log "3/6 polkadot.js against a dev node"
	"$ROOT/scripts/check-polkadot-js.sh"
fi

if [ "${SKIP_DEMO:-0}" != 1 ]; then
	log "4/6 the demo"
	"$ROOT/scripts/demo.sh"
fi

if [ "${SKIP_ECONOMICS:-0}" != 1 ]; then
	log "5/6 the economics worked example"
	OUT="$("$ROOT/scripts/economics-example.sh")"
	echo "$OUT"
	EXPECTED=$'earned: 45\nslashed: 100\nto_insurance: 80\nburned: 20\nreputation_delta: -30\nrefunded: 50'
	[ "$OUT" = "$EXPECTED" ] || die "the economics example printed other numbers than the seed's"
fi

if [ "${SKIP_GRID:-0}" != 1 ]; then
	for dataset in iris wine breast_cancer; do
		log "6/6 the grid demo on $dataset"
		"$ROOT/scripts/grid-demo.sh" "$dataset"
	done
fi

log "all tests passed"
