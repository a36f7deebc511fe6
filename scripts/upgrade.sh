#!/usr/bin/env bash
# A runtime upgrade decided by referendum on a running four-validator network, with jobs in
# flight across it, checked by try-runtime on the network's own state first.
#
# The network starts from chain-specs/local.json with the previous release's runtime
# (runtime/releases/cloudana-runtime-100.compact.compressed.wasm, spec 100) as its genesis code;
# the upgrade is this build's runtime (spec 101: pallet-reputation's storage version 0 → 1,
# a `VersionedMigration`):
#   1. a job proven and paid on spec 100;
#   2. try-runtime: a validator's state exported (`cloudana-node export-state`), then this
#      build's migrations, pre/post-upgrade checks, every pallet's try_state and the decoding of
#      every storage value run on it (runtime/tests/try_runtime.rs, feature try-runtime);
#   3. `cloudana gov propose upgrade --wasm` (root track: `system.authorize_upgrade`), seven
#      accounts vote aye, the referendum confirms and is enacted;
#   4. two jobs submitted, then `cloudana gov apply-upgrade --wasm` while they are in flight;
#   5. checks: spec 101, the jobs completed, Bob's reputation record migrated, issuance
#      conserved, one finalized chain on all four validators.
#
#   scripts/upgrade.sh [--from-wasm FILE] [--to-wasm FILE] [--base-port 39944] [--dir DIR] [--keep]
#
# Ends with one JSON line. About 6 minutes on 2 cores (more the first time: the try-runtime
# build). Environment as demo.sh.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run_network_script upgrade "$@"
