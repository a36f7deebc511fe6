#!/usr/bin/env bash
# The bridge's Solana side: builds the spoke program for SBF (scripts/build-spoke.sh) and runs
# its tests in litesvm (solana/devnet/tests), against the SPL Token program litesvm bundles.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SO="$("$ROOT/scripts/build-spoke.sh")"
log "testing the spoke in litesvm ($SO)"
cd "$ROOT/solana/devnet"
CLOUDANA_SPOKE_SO="$SO" CARGO_TARGET_DIR="${CARGO_TARGET_DIR}-solana" cargo test --release --locked -p cloudana-solana-devnet
