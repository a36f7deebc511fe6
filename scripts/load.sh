#!/usr/bin/env bash
# Load on a local four-validator network: N requesters submit Iris accuracy jobs back to back
# for a fixed time, M prover keys on the prover node take them (its off-chain worker spreads
# work over its keys; one daemon proves). Prints jobs submitted, completed and failed, the p50
# and p95 latency from submission to payout in blocks and seconds, block fullness (normal-class
# weight used), extrinsics per block and the finalization lag, as a table and a JSON line.
# A benchmark, not a test (docs/testnets.md, "Load").
#
#   scripts/load.sh [--requesters 4] [--provers 2] [--duration 180] [--drain 180]
#                   [--base-port 19944] [--dir DIR]
#
# Environment as demo.sh.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run_network_script load "$@"
