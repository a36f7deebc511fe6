#!/usr/bin/env bash
# Storage under load: a long random run of jobs and grid jobs on the real runtime (native, no
# node), printing every 1 000 operations how many records, index entries, deadlines, ratings,
# offences and pending slashes are stored, and their bytes; then the same once every record's
# retention period has passed (all zero). Shows that storage follows the work in flight, not the
# work ever submitted.
#
# Usage: scripts/bench-storage.sh [operations]   (default 20 000)

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_prerequisites
CLOUDANA_BENCH_OPS="${1:-20000}" cargo test --release --locked -p cloudana-runtime --test integration \
	-- storage_bound:: --nocapture --test-threads 1 2>&1 | grep -E '^(after|at the end|200 blocks|[0-9]+ operations| +[0-9]+ [a-z_]+:)|test result|panicked'
