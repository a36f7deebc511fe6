#!/usr/bin/env bash
# The seed's worked example of prover economics, played on a development chain through RPC.
#
# Bob stakes 1 000 CLD; on the dev chain he starts Gold (reputation 700), which allows jobs
# below 200 CLD. Alice submits two 50 CLD jobs on the Iris accuracy circuit:
#   1. the node's off-chain worker locks it for Bob, the prover daemon proves it, the chain
#      verifies and pays: Bob earns 50 − 10% = 45 CLD;
#   2. with the daemon stopped, Bob locks it and does not prove it in time: the lock times out,
#      Alice gets her 50 CLD back in full, Bob's reputation drops by 30 and, after the slash
#      deferral (shortened to 20 blocks, a dispute's evidence period on the dev chain, by a Root
#      parameter change), 10% of his stake is slashed:
#      100 CLD, 80 to the insurance pool and 20 burned.
# Prints `key: value` lines, amounts in CLD: earned, slashed, to_insurance, burned,
# reputation_delta, refunded.
#
# Needs Node.js and npm (for @polkadot/api, in tests/polkadot-js). Environment as demo.sh.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_prerequisites
command -v node >/dev/null && command -v npm >/dev/null || die "Node.js and npm are needed"
ensure_built

WORK="$(mktemp -d -t cloudana-economics.XXXXXX)"
[ "${KEEP:-0}" = 1 ] || trap 'stop_all; rm -rf "$WORK"' EXIT
start_dev_chain
PROVER_PID="${PIDS[0]}"


log "Alice registers the Iris accuracy circuit; Bob registers as a prover with 1 000 CLD"
CIRCUIT="$(cloudana --json vk register --vk "$ROOT/circuits/keys/iris_accuracy.vk.json" --suri //Alice | field '["id"]')"
cloudana prover register --stake 1000 --circuit "$CIRCUIT" --suri //Bob >&2
cloudana prover insert-key --suri //Bob >&2
cloudana prover reputation //Bob >&2

log "case 1: a 50 CLD job, proven by Bob's node and daemon"
JOB="$(cloudana --json job submit-accuracy --model "$ROOT/circuits/models/iris-mlp.json" \
	--dataset "$CLOUDANA_DATASETS/iris.csv" --min-price 50 --max-price 50 --lock-timeout 300 \
	--proof-timeout 120 --collateral 0 --suri //Alice | field '["job"]')"
RESULT="$(cloudana --json job wait "$JOB" --timeout 300)"
[ "$(field '["status"]' <<<"$RESULT")" = completed ] || { tail -20 "$WORK/node.log" >&2; die "job $JOB did not complete"; }
EARNED="$(python3 -c "import json,sys; r=json.loads(sys.argv[1]); p=int(r['price'])-int(r['fee']); print(f'{p/10**12:g}')" "$RESULT")"

log "case 2: the prover daemon stops; Bob locks a 50 CLD job and does not prove it"
kill "$PROVER_PID" 2>/dev/null || true
ensure_npm tests/polkadot-js >&2
cd "$ROOT/tests/polkadot-js"
SECOND="$(timeout 300 node economics-example.mjs "$CLOUDANA_URL" "$CIRCUIT")" || die "the timeout case failed"
cloudana prover reputation //Bob >&2

echo "earned: $EARNED"
echo "$SECOND"
