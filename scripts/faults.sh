#!/usr/bin/env bash
# Fault tests on a real local network (scripts/testnet.sh's: four validators, a prover node and
# its daemon, from chain-specs/local.json), each bounded in time, each followed by the checks
# that nothing was lost: issuance equals the sum of every account's balance, and every
# validator holds the same finalized chain with no gap.
#
#   one-validator   one validator killed: blocks and finality continue; restarted, it catches up
#   two-validators  two killed: finality stalls, blocks continue; restarted, finality resumes
#   daemon          the prover daemon killed while proving: restarted, it finishes from its
#                   journal and the job completes
#   prover-node     the prover node killed after it locked a job: restarted, it sends one
#                   submit_result and the job completes
#   late-join       two nodes join late: one full sync from genesis, one warp sync
#   partition       one validator isolated (--reserved-only, no reserved peers): the other three
#                   finalize; healed, it reorganizes onto their chain
#   flood           blocks stuffed with tipped remarks from three accounts while a job is
#                   locked: the result lands in a stuffed block, the prover loses nothing
#
#   scripts/faults.sh [--only a,b] [--base-port 29944] [--dir DIR] [--keep]
#
# Ends with one JSON line. About 8 minutes on 2 cores. Environment as demo.sh.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run_network_script faults "$@"
