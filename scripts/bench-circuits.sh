#!/usr/bin/env bash
# The accuracy circuits side by side, one per dataset (Iris, Wine, Breast Cancer), measured in
# one run on this machine: constraints, the development setup, proving (median of RUNS proofs,
# witness generation included, a model trained on the dataset), native verification and the
# proving key's size. docs/economics.md's "Datasets and circuit sizes" table comes from it.
#
# Usage: scripts/bench-circuits.sh        (RUNS=3 by default; a minute or two on 2 cores)

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_prerequisites

ensure_built
log "measuring (setup and ${RUNS:-3} proofs per dataset)"
"$BIN/cloudana-prover" circuits --measure --runs "${RUNS:-3}" --datasets "$CLOUDANA_DATASETS"
