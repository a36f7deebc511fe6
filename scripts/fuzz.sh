#!/usr/bin/env bash
# Runtime fuzzing (runtime/tests/fuzz.rs): random sequences of every pallet's calls, generated
# from the runtime's own type information, from random origins (signed, Root, none), with random
# block advances, dispatched into the real runtime, mixed with a stateful generator of jobs,
# locks, results (valid and invalid proofs), timeouts, appeals, challenges, evidence, rulings and
# withdrawals (about 40% of the calls); after every block every pallet's try_state
# and the conservation of issuance are checked. Prints calls and successes per pallet and a JSON
# line; a failure prints its seed and the last calls.
#
#   scripts/fuzz.sh [--calls N] [--seed S] [--episode K]
#
# Defaults: 1 000 000 calls, a random seed, episodes of 20 000 calls. Each episode starts from a
# fresh genesis with seed S + its index (every block's try_state reads the whole state, so one
# endless episode would slow down as the state grows).
#
# CI runs 20 000 calls (scripts/test.sh). Needs no node: the tooling build (scripts/cargo-tooling.sh:
# the runtime natively with try-runtime and runtime-benchmarks), about 10 minutes the first time.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CALLS=1000000
SEED=""
EPISODE=20000
while [ $# -gt 0 ]; do
	case "$1" in
		-h | --help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		--calls) CALLS="${2:?--calls needs a number}"; shift 2 ;;
		--seed) SEED="${2:?--seed needs a number}"; shift 2 ;;
		--episode) EPISODE="${2:?--episode needs a number}"; shift 2 ;;
		*) die "unknown argument $1 (try --help)" ;;
	esac
done
[[ "$CALLS" =~ ^[0-9]+$ ]] || die "--calls must be a whole number, got $CALLS"
[[ "$EPISODE" =~ ^[1-9][0-9]*$ ]] || die "--episode must be a positive whole number, got $EPISODE"
[ -z "$SEED" ] || [[ "$SEED" =~ ^[0-9]+$ ]] || die "--seed must be a whole number, got $SEED"
ensure_prerequisites
cd "$ROOT"
CLOUDANA_FUZZ_CALLS="$CALLS" CLOUDANA_FUZZ_SEED="$SEED" CLOUDANA_FUZZ_EPISODE="$EPISODE" \
	cargo_tooling --test tooling -- fuzz:: --nocapture --test-threads 1
