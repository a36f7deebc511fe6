#!/usr/bin/env bash
# Governance and disputes on a development chain, through RPC with the `cloudana` CLI only.
#
# The development preset divides every governance period by 1 440 (a day lasts 10 blocks), so
# each referendum here takes under a minute at one block a second. Dave, Eve and Ferdie vote
# (900 000 CLD each, conviction 1×: about a fifth of the issuance).
#
#   1. A parameter change by referendum (`economic_params` track): DisputeBond 50 → 40 CLD,
#      enacted and read back from the chain (`cloudana gov parameters`).
#   2. A slash appealed and won: Alice asks for a job nobody can prove (its inputs open to no
#      model); Bob locks it by hand, cannot prove it, times out and is slashed 10% (pending,
#      deferred 2 days). Bob appeals ("unprovable"; the chain cannot tell by itself, the
#      inputs are field elements and the key is registered), Alice contests (her bond: the new
#      40 CLD), the `dispute` referendum upholds the appeal, and after the appeal window anyone
#      carries it out: the slash is cancelled and Alice's bond paid to Bob.
#   3. Fraud on a grid slot: Alice submits a one-slot grid on Iris (lr 0.01, 5 epochs; 8 CLD,
#      below the 10 CLD that a new, Bronze prover may take).
#      Charlie locks the slot by hand and proves a model trained otherwise than declared (lr 0.2,
#      20 epochs, another seed). `cloudana grid replay` re-trains the declared slot and shows the
#      mismatch; Alice challenges it ("training-mismatch") with the replay's hash as evidence,
#      the referendum upholds it, and Charlie is slashed 50% of his stake (half to Alice but at
#      most the grid's value, its 8 CLD bounty; the rest to the treasury) and banned.
#
# Ends with one JSON line (amounts in base units):
#   {"param_changed": true, "appeal_upheld": true, "slash_cancelled": true, "fraud_slashed": ..,
#    "requester_share": .., "treasury_share": .., "banned": true}
#
# Environment as demo.sh.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
	-h | --help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	"") ;;
	*) die "unknown argument $1 (try --help)" ;;
esac

ensure_prerequisites
ensure_built

WORK="$(mktemp -d -t cloudana-gov.XXXXXX)"
[ "${KEEP:-0}" = 1 ] || trap 'stop_all; rm -rf "$WORK"' EXIT
start_dev_chain

VOTERS=(//Dave //Eve //Ferdie)
DATASET="$CLOUDANA_DATASETS/iris.csv"

# Every voter votes aye on referendum $1.
vote() {
	for voter in "${VOTERS[@]}"; do
		cloudana gov vote "$1" aye --balance 900000 --conviction 1 --suri "$voter" >&2
	done
}

# Runs "$@" until it succeeds, every 2 seconds, for at most $TIMEOUT seconds (default 180);
# $WHAT names what is awaited.
await() {
	local deadline=$((SECONDS + ${TIMEOUT:-180}))
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $deadline ] || { tail -20 "$WORK/node.log" >&2; die "timed out waiting: $WHAT"; }
		sleep 2
	done
}

# Whether dispute $1's first round has ruled.
ruled() { cloudana --json dispute show "$1" | field '["phase"]' | grep -q '^ruled'; }

# Carries dispute $1's ruling out once its appeal window has passed; prints the result (JSON).
conclude() {
	local deadline=$((SECONDS + 120)) result
	until result="$(cloudana --json dispute conclude "$1" --suri //Charlie 2>"$WORK/conclude.err")"; do
		grep -q AppealWindowOpen "$WORK/conclude.err" || { cat "$WORK/conclude.err" >&2; die "dispute $1 did not conclude"; }
		[ $SECONDS -lt $deadline ] || die "dispute $1's appeal window did not pass in 2 minutes"
		sleep 2
	done
	echo "$result"
}

log "1/3 a parameter change by referendum: DisputeBond 50 → 40 CLD (economic_params track)"
REF="$(cloudana --json gov propose parameter DisputeBond 40 --suri //Alice | field '["referendum"]')"
echo "referendum $REF" >&2
vote "$REF"
# Whether DisputeBond is set on chain to 40 CLD.
bond_is_40() {
	cloudana --json gov parameters | python3 -c 'import json, sys
sys.exit(not any(p["name"] == "DisputeBond" and p["value"] == "40000000000000" and p["set"] for p in json.load(sys.stdin)))'
}
WHAT="DisputeBond = 40 CLD enacted" await bond_is_40
cloudana gov parameters | grep -F 'DisputeBond' >&2
PARAM_CHANGED=true

log "2/3 Bob is slashed on a job nobody can prove, appeals, and wins"
CIRCUIT="$(cloudana --json vk register --vk "$ROOT/circuits/keys/iris_accuracy.vk.json" --suri //Alice | field '["id"]')"
cloudana prover register --stake 500 --circuit "$CIRCUIT" --suri //Bob >&2
JOB="$(cloudana --json job submit --circuit "$CIRCUIT" --input 1 --input 2 --max-price 5 \
	--lock-timeout 60 --proof-timeout 10 --suri //Alice | field '["job"]')"
cloudana job lock "$JOB" --suri //Bob >&2
WHAT="Bob's lock to time out" await bash -c "'$BIN/cloudana' --json prover slashes //Bob | grep -q slash"
cloudana prover slashes //Bob >&2
SLASH="$(cloudana --json prover slashes //Bob | field '[0]["slash"]')"
STAKE_BEFORE="$(cloudana --json prover show //Bob | field '["stake"]')"

OPENED="$(cloudana --json dispute appeal-slash "$SLASH" --reason unprovable --suri //Bob)"
DISPUTE="$(field '["dispute"]' <<<"$OPENED")"
REF="$(field '["referendum"]' <<<"$OPENED")"
BOND="$(field '["bond"]' <<<"$OPENED")"
[ "$BOND" = 40000000000000 ] || PARAM_CHANGED=false
cloudana dispute evidence "$DISPUTE" --hash "0x$(printf 'job %s inputs 1 and 2' "$JOB" | sha256sum | cut -c1-64)" \
	--note "the inputs open to no model: nobody could prove this job" --suri //Bob >&2
echo "Alice's inputs: 1, 2 (job $JOB)" >"$WORK/alice-evidence.txt"
cloudana dispute evidence "$DISPUTE" --file "$WORK/alice-evidence.txt" --note "my inputs are what I meant" --suri //Alice >&2
cloudana dispute show "$DISPUTE" >&2
vote "$REF"
WHAT="dispute $DISPUTE's referendum $REF to rule" await ruled "$DISPUTE"
APPEAL="$(conclude "$DISPUTE")"
echo "$APPEAL" >&2
APPEAL_UPHELD="$(field '["upheld"]' <<<"$APPEAL" | tr 'TF' 'tf')"
BONDS_PAID="$(field '["bonds_paid"]' <<<"$APPEAL")"
[ "$BONDS_PAID" = "$BOND" ] || die "Alice's bond ($BOND) was not paid to Bob (paid $BONDS_PAID)"
STAKE_AFTER="$(cloudana --json prover show //Bob | field '["stake"]')"
SLASHES_LEFT="$(cloudana --json prover slashes //Bob | field '.__len__()')"
SLASH_CANCELLED=false
[ "$SLASHES_LEFT" = 0 ] && [ "$STAKE_AFTER" = "$STAKE_BEFORE" ] && SLASH_CANCELLED=true

log "3/3 Charlie proves a grid slot with a model trained otherwise than declared, and is caught"
cloudana prover register --stake 1000 --circuit "$CIRCUIT" --suri //Charlie >&2
GRID="$(cloudana --json grid submit --dataset "$DATASET" --grid "lr=0.01;epochs=5" --bounty 8 \
	--proof-timeout 120 --duration 600 --suri //Alice | field '["grid"]')"
BINDING="$(cloudana --json grid lock "$GRID" 0 --suri //Charlie | field '["binding"]')"
log "Charlie trains with lr 0.2 and 20 epochs instead, and proves that model's accuracy"
"$BIN/cloudana-prover" prove-accuracy --train lr=0.2,epochs=20 --dataset "$DATASET" --binding "$BINDING" \
	--out "$WORK/charlie" --keys "$CLOUDANA_KEYS" >&2
cloudana grid submit-result "$GRID" 0 --proof "$WORK/charlie" --suri //Charlie >&2
cloudana grid results "$GRID" >&2
PROVEN="$(cloudana --json grid results "$GRID" | field '["leaderboard"][0]["correct"]')"
log "Alice re-trains the slot as declared (cloudana grid replay)"
cloudana grid replay "$GRID" --dataset "$DATASET" | tee "$WORK/replay.txt" >&2
REPLAYED="$(cloudana --json grid replay "$GRID" --dataset "$DATASET" | field '["replayed"][0]["correct"]')"
[ "$PROVEN" != "$REPLAYED" ] || die "the replay ($REPLAYED/30) matches the proven accuracy ($PROVEN/30): nothing to dispute"
echo "proven $PROVEN/30, replayed $REPLAYED/30: the slot's model was not trained as declared" >&2

OPENED="$(cloudana --json dispute challenge --grid "$GRID" --slot 0 --reason training-mismatch --suri //Alice)"
DISPUTE="$(field '["dispute"]' <<<"$OPENED")"
REF="$(field '["referendum"]' <<<"$OPENED")"
cloudana dispute evidence "$DISPUTE" --file "$WORK/replay.txt" \
	--note "replay: $REPLAYED/30 as declared; proven: $PROVEN/30" --suri //Alice >&2
vote "$REF"
WHAT="dispute $DISPUTE's referendum $REF to rule" await ruled "$DISPUTE"
FRAUD="$(conclude "$DISPUTE")"
echo "$FRAUD" >&2
[ "$(field '["upheld"]' <<<"$FRAUD")" = True ] || die "the challenge was not upheld"
BANNED="$(cloudana --json prover show //Charlie | field '["banned"]' | tr 'TF' 'tf')"

python3 - "$FRAUD" <<PY
import json, sys
fraud = json.loads(sys.argv[1])
print(json.dumps({
    "param_changed": "$PARAM_CHANGED" == "true",
    "appeal_upheld": "$APPEAL_UPHELD" == "true",
    "slash_cancelled": "$SLASH_CANCELLED" == "true",
    "fraud_slashed": int(fraud["fraud_slashed"]),
    "requester_share": int(fraud["to_requester"]),
    "treasury_share": int(fraud["to_treasury"]),
    "banned": "$BANNED" == "true",
}))
PY
