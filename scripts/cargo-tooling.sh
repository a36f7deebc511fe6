#!/usr/bin/env bash
# `cargo test` on the tooling build: the pallets and the runtime with the `runtime-benchmarks`
# and `try-runtime` features, natively (SKIP_WASM_BUILD=1), always with the same packages and
# features so that every caller reuses one build (scripts/lib.sh, `cargo_tooling`). The
# benchmark tests, runtime fuzzing (scripts/fuzz.sh) and try-runtime on a network's state
# (scripts/testnet/upgrade.py) run through it.
#
#   scripts/cargo-tooling.sh [cargo test arguments]
#   scripts/cargo-tooling.sh --lib -- benchmark                 # every benchmark, as a test
#   scripts/cargo-tooling.sh --test tooling -- try_runtime:: --ignored --nocapture

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case "${1:-}" in
	-h | --help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
ensure_prerequisites
cargo_tooling "$@"
