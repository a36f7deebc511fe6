#!/usr/bin/env bash
# Cloudana's main job: a proven compute job on a local development chain, from RPC to payout.
#
# Builds everything (installing what is missing), starts a dev node and a prover daemon,
# registers the Iris accuracy circuit and Bob as a prover, submits "what accuracy does this
# model reach on Iris's 30-sample holdout?" as Alice, waits for the node's off-chain worker and
# the daemon to prove it and the chain to verify and pay, then prints the proven accuracy, the
# balances moved, and checks the accuracy against a plain evaluation of the same model.
#
# Environment: CARGO_TARGET_DIR (default ~/.cache/cloudana/target), CLOUDANA_DATASETS
# (default the repository's data/), DEV_BLOCK_TIME (ms, default 1000), KEEP=1 keeps the work
# folder.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_prerequisites
ensure_built

WORK="$(mktemp -d -t cloudana-demo.XXXXXX)"
[ "${KEEP:-0}" = 1 ] || trap 'stop_all; rm -rf "$WORK"' EXIT
start_dev_chain

MODEL="$ROOT/circuits/models/iris-mlp.json"
DATASET="$CLOUDANA_DATASETS/iris.csv"

log "Alice registers the Iris accuracy circuit's verifying key"
CIRCUIT="$(cloudana --json vk register --vk "$ROOT/circuits/keys/iris_accuracy.vk.json" --suri //Alice | field '["id"]')"
echo "circuit $CIRCUIT"

log "Bob registers as a prover (500 CLD staked) and gives the node his prover key"
cloudana prover register --stake 500 --circuit "$CIRCUIT" --suri //Bob
cloudana prover insert-key --suri //Bob

balances() { for who in //Alice //Bob treasury; do cloudana --json balance "$who" | field '["free"]'; done; }
read -r -d '' -a BEFORE < <(balances) || true

log "Alice submits the job: the model's accuracy on Iris's holdout, paying 5 → 20 CLD"
JOB="$(cloudana --json job submit-accuracy --model "$MODEL" --dataset "$DATASET" \
	--min-price 5 --max-price 20 --ramp-blocks 10 --lock-timeout 300 --proof-timeout 120 --collateral 1 \
	--suri //Alice | field '["job"]')"
echo "job $JOB"

log "the node's off-chain worker locks the job and hands it to the prover; waiting for payout"
RESULT="$(cloudana --json job wait "$JOB" --timeout 300)"
STATUS="$(field '["status"]' <<<"$RESULT")"
[ "$STATUS" = completed ] || { tail -20 "$WORK/node.log" >&2; die "job $JOB ended $STATUS"; }
cloudana job result "$JOB"

read -r -d '' -a AFTER < <(balances) || true
PLAIN="$(cloudana --json model evaluate --model "$MODEL" --dataset "$DATASET" | field '["correct"]')"
PROVEN="$(field '["correct"]' <<<"$RESULT")"

python3 - "$RESULT" "${BEFORE[@]}" "${AFTER[@]}" <<'PY'
import json, sys
result = json.loads(sys.argv[1])
before, after = [int(x) for x in sys.argv[2:5]], [int(x) for x in sys.argv[5:8]]
cld = lambda base: f"{base / 10**12:,.6f} CLD"
price, fee = int(result["price"]), int(result["fee"])
print()
print(f"proven accuracy: {result['correct']}/30 = {result['accuracy'] * 100:.2f}%")
print(f"price {cld(price)}: prover paid {cld(price - fee)}, treasury fee {cld(fee)}")
for name, b, a in zip(["Alice (requester)", "Bob (prover)", "treasury"], before, after):
	print(f"  {name:18} free balance {cld(b)} -> {cld(a)} ({'+' if a >= b else '-'}{cld(abs(a - b))})")
print("  (Alice's and Bob's changes include their transaction fees; Bob's stake stays held, and so does")
print("   Alice's storage deposit for the job's record until it is pruned, 3 days later)")
PY

if [ "$PROVEN" != "$PLAIN" ]; then
	die "the proven accuracy ($PROVEN/30) differs from the plain evaluation ($PLAIN/30)"
fi
log "✓ the proven accuracy ($PROVEN/30) equals the plain fixed-point evaluation of the model ($PLAIN/30)"
