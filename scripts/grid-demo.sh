#!/usr/bin/env bash
# Decentralized hyper-parameter search on a development chain: a multi-slot (grid) job.
#
# Usage: scripts/grid-demo.sh [iris|wine|breast_cancer]   (default iris)
#
# Alice submits one grid job on the dataset's accuracy circuit with 6 slots (Iris: lr 0.01,
# 0.05, 0.2 × epochs 5, 20; Wine and Breast Cancer, whose min–max scaled features want smaller
# steps: lr 0.001, 0.005, 0.05 × epochs 5, 20) and a 54 CLD bounty. Bob and Charlie are provers; the node holds both their keys,
# and its off-chain worker spreads the slots over them, hands each to the prover daemon (which
# trains the slot's model deterministically, then proves its holdout accuracy) and submits the
# results. When every slot is proven the grid closes: 50% of the bounty to the best accuracy,
# the rest split among the others, each less the 10% fee. The script prints the leaderboard and
# the payouts, re-trains every slot here in plain Rust (`cloudana grid replay`), checks the
# proven accuracies equal the replayed ones and the payouts add up, and ends with one JSON line:
#   {"bounty": .., "fees": .., "payouts": [..], "accuracies": [..], "replayed_accuracies": [..]}
# (amounts in base units; lists in slot order).
#
# Environment as demo.sh.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME="${1:-iris}"
case "$NAME" in
	-h | --help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	iris) FILE=iris.csv; TITLE=Iris; GRID_SPEC="lr=0.01,0.05,0.2;epochs=5,20" ;;
	wine) FILE=wine_data.csv; TITLE=Wine; GRID_SPEC="lr=0.001,0.005,0.05;epochs=5,20" ;;
	breast_cancer | breast-cancer) NAME=breast_cancer; FILE=breast_cancer.csv; TITLE="Breast Cancer"; GRID_SPEC="lr=0.001,0.005,0.05;epochs=5,20" ;;
	*) die "unknown dataset $NAME (iris, wine, breast_cancer)" ;;
esac

ensure_prerequisites
ensure_built

WORK="$(mktemp -d -t cloudana-grid.XXXXXX)"
[ "${KEEP:-0}" = 1 ] || trap 'stop_all; rm -rf "$WORK"' EXIT
start_dev_chain

DATASET="$CLOUDANA_DATASETS/$FILE"

log "Alice registers the $TITLE accuracy circuit; Bob and Charlie register as provers (100 CLD each)"
CIRCUIT="$(cloudana --json vk register --vk "$ROOT/circuits/keys/${NAME}_accuracy.vk.json" --suri //Alice | field '["id"]')"
for who in //Bob //Charlie; do
	cloudana prover register --stake 100 --circuit "$CIRCUIT" --suri "$who" >&2
	cloudana prover insert-key --suri "$who" >&2
done

log "Alice submits a grid job on $TITLE: $GRID_SPEC; bounty 54 CLD"
GRID="$(cloudana --json grid submit --dataset "$DATASET" --grid "$GRID_SPEC" \
	--bounty 54 --collateral 1 --proof-timeout 100 --duration 600 --suri //Alice | field '["grid"]')"
echo "grid $GRID" >&2

log "the node's off-chain worker locks the slots for Bob and Charlie; the daemon trains and proves each"
deadline=$((SECONDS + 600))
while :; do
	STATUS="$(cloudana --json grid status "$GRID")"
	[ "$(field '["status"]' <<<"$STATUS")" = closed ] && break
	[ $SECONDS -lt $deadline ] || { tail -30 "$WORK/node.log" >&2; die "grid $GRID did not close in 10 minutes"; }
	sleep 3
done
cloudana grid status "$GRID" >&2
cloudana grid results "$GRID"
RESULTS="$(cloudana --json grid results "$GRID")"

log "re-training every slot in plain Rust, with the provers' code and seeds"
REPLAY="$(cloudana --json grid replay "$GRID" --dataset "$DATASET")"
cloudana grid replay "$GRID" --dataset "$DATASET" >&2

python3 - "$RESULTS" "$REPLAY" "$STATUS" <<'PY'
import json, sys
results, replay, status = (json.loads(a) for a in sys.argv[1:4])
slots = len(status["slots"])
bounty = 54 * 10**12
paid = [0] * slots
fees = 0
accuracies = [None] * slots
provers = set()
for row in results["leaderboard"]:
    paid[row["slot"]] = int(row["paid"])
    fees += int(row["fee"])
    accuracies[row["slot"]] = int(row["correct"])
    provers.add(row["prover"])
replayed = [row["correct"] for row in replay["replayed"]]
refund = int(results["refund"] or 0)
errors = []
if accuracies != replayed:
    errors.append(f"proven accuracies {accuracies} differ from the replayed {replayed}")
if sum(paid) + fees + refund != bounty:
    errors.append(f"payouts {sum(paid)} + fees {fees} + refund {refund} != bounty {bounty}")
if refund == 0 and sum(paid) != bounty - fees:
    errors.append("the payouts do not sum to the bounty minus fees")
if len(provers) < 2:
    errors.append(f"only {len(provers)} prover identity took slots")
for e in errors:
    print(f"error: {e}", file=sys.stderr)
print(f"payouts sum to {sum(paid)} = bounty {bounty} - fees {fees} - refund {refund}; provers: {len(provers)}", file=sys.stderr)
print(json.dumps({"bounty": bounty, "fees": fees, "payouts": paid, "accuracies": accuracies, "replayed_accuracies": replayed}))
sys.exit(1 if errors else 0)
PY
