#!/usr/bin/env bash
# The Wormhole bridge end to end: a development node (Cloudana, the hub), a Solana devnet
# (litesvm with the spoke program and SPL Token: cloudana-solana-devnet), the development
# guardian set (cloudana-guardian) and the relayer (cloudana-relayer).
#
#   1. the Solana program is registered as Cloudana's peer (Sudo; on a real chain, a
#      bridge_admin referendum), limits 1 000 CLD a day each way;
#   2. Alice sends 100 CLD to a Solana owner: locked on Cloudana, signed by the guardians once
#      finalized, minted on Solana by the relayer;
#   3. the owner burns 40 of them and sends them back to Alice: signed, relayed, unlocked;
#   4. both VAAs are replayed, and both chains refuse them;
#   5. a 2 000 CLD transfer is over the rate limit: it queues (then is cancelled).
#
# Ends with one JSON line, amounts in base units (CLD: 10⁻¹² CLD; the SPL mint: 10⁻⁸ CLD):
#   {"sent", "minted", "burned", "returned", "locked", "spl_supply", "replay_refused", "queued"}
# with locked = spl_supply × 10⁴. Usage: scripts/bridge-demo.sh (KEEP=1 keeps its work folder)

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
	-h | --help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	"") ;;
	*) die "unknown argument $1 (try --help)" ;;
esac

ensure_prerequisites
ensure_built --bridge
SO="$("$ROOT/scripts/build-spoke.sh")"
log "building cloudana-solana-devnet"
(cd "$ROOT/solana/devnet" && CARGO_TARGET_DIR="${CARGO_TARGET_DIR}-solana" cargo build --release --locked >&2)
DEVNET_BIN="${CARGO_TARGET_DIR}-solana/release/cloudana-solana-devnet"

WORK="$(mktemp -d -t cloudana-bridge.XXXXXX)"
[ "${KEEP:-0}" = 1 ] || trap 'stop_all; rm -rf "$WORK"' EXIT
VAAS="$WORK/vaas"
start_dev_chain

# One JSON-RPC call to the Solana devnet: sol METHOD '{params}'.
sol() {
	local params="${2:-}"
	[ -n "$params" ] || params='{}'
	python3 - "$SOL_PORT" "$1" "$params" <<'PY'
import json, socket, sys
port, method, params = int(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
    s.sendall((json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}) + "\n").encode())
    line = s.makefile().readline()
response = json.loads(line)
if "error" in response:
    sys.exit("Solana devnet, %s: %s" % (method, response["error"]["message"]))
print(json.dumps(response["result"]))
PY
}

# Waits (at most $3 seconds) until the command $2 prints $1.
wait_until() {
	local want=$1 check=$2 limit=$3 start=$SECONDS got
	while got="$(eval "$check")"; [ "$got" != "$want" ]; do
		(( SECONDS - start < limit )) || die "waited $limit s for $check to print $want (it printed $got)"
		sleep 1
	done
}

EMITTER="$(cloudana --json bridge status | field '["emitter"]')"
SOL_PORT="$(free_port)"
log "starting the Solana devnet on 127.0.0.1:$SOL_PORT (log: $WORK/solana.log)"
"$DEVNET_BIN" --program "$SO" --hub-chain 49616 --hub-emitter "$EMITTER" --listen "127.0.0.1:$SOL_PORT" \
	>"$WORK/solana.log" 2>&1 &
PIDS+=($!)
wait_for_port "$SOL_PORT" 60 || { cat "$WORK/solana.log" >&2; die "the Solana devnet did not start"; }
PROGRAM="$(sol info | field '["program"]')"

log "registering the Solana spoke $PROGRAM as Cloudana's peer (Sudo; limits 1 000 CLD a day)"
cloudana bridge register-peer --chain 1 --emitter "$PROGRAM" --manager "$PROGRAM" --decimals 8 \
	--outbound-limit 1000 --inbound-limit 1000 --sudo >&2

log "starting the guardians and the relayer (logs: $WORK/guardian.log, $WORK/relayer.log)"
"$BIN/cloudana-guardian" --url "$CLOUDANA_URL" --vaa-dir "$VAAS" --solana "127.0.0.1:$SOL_PORT" --poll-ms 500 \
	>"$WORK/guardian.log" 2>&1 &
PIDS+=($!)
"$BIN/cloudana-relayer" --url "$CLOUDANA_URL" --vaa-dir "$VAAS" --solana "127.0.0.1:$SOL_PORT" --suri //Charlie \
	--poll-ms 500 >"$WORK/relayer.log" 2>&1 &
PIDS+=($!)

OWNER="$(sol owner '{"name": "sol-owner"}' | field '["address"]')"
log "Alice sends 100 CLD to the Solana owner $OWNER"
cloudana bridge transfer --to-solana "$OWNER" --amount 100 >&2
SENT=$((100 * 10**12))
wait_until 10000000000 "sol balance '{\"owner\": \"$OWNER\"}' | field '[\"balance\"]'" 120
MINTED="$(sol balance "{\"owner\": \"$OWNER\"}" | field '["balance"]')"
log "minted on Solana: $MINTED (10⁻⁸ CLD)"

ALICE="$(cloudana --json balance //Alice | field '["account"]')"
ALICE_HEX="$(python3 -c '
import sys
a = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
n = 0
for c in sys.argv[1]: n = n * 58 + a.index(c)
raw = n.to_bytes(35, "big")  # SS58: 1 prefix byte, 32 account bytes, 2 checksum bytes
print(raw[1:33].hex())' "$ALICE")"
FREE_BEFORE="$(cloudana --json balance //Alice | field '["free"]')"
log "the owner burns 40 CLD on Solana and sends them back to Alice"
sol burn_and_send "{\"name\": \"sol-owner\", \"amount\": 4000000000, \"recipient\": \"$ALICE_HEX\"}" >&2
BURNED=4000000000
RETURNED=$((40 * 10**12))
wait_until "$((FREE_BEFORE + RETURNED))" "cloudana --json balance //Alice | field '[\"free\"]'" 120
log "Alice has her 40 CLD back"

log "replaying both VAAs"
TO_SOLANA="$(ls "$VAAS"/49616/"${EMITTER#0x}"/0.vaa)"
TO_CLOUDANA="$(ls "$VAAS"/1/*/0.vaa)"
SOL_REPLAY="$(sol redeem "{\"vaa\": \"$(tr -d '\n' <"$TO_SOLANA")\"}" | field '["already"]')"
CLD_REPLAY="$(cloudana --json bridge redeem --vaa "$TO_CLOUDANA" --suri //Charlie | field '["already"]')"
[ "$SOL_REPLAY" = True ] && [ "$CLD_REPLAY" = True ] && REPLAY=true || REPLAY=false
log "replay refused: Solana $SOL_REPLAY, Cloudana $CLD_REPLAY"

log "Alice sends 2 000 CLD: over the 1 000 CLD daily limit"
QUEUED_JSON="$(cloudana --json bridge transfer --to-solana "$OWNER" --amount 2000)"
QUEUED="$(echo "$QUEUED_JSON" | field '["queued"]')"
cloudana bridge cancel "$(echo "$QUEUED_JSON" | field '["id"]')" >&2
[ "$QUEUED" = True ] && QUEUED=true || QUEUED=false

LOCKED="$(cloudana --json bridge status | field '["locked"]')"
SUPPLY="$(sol info | field '["supply"]')"
printf '{"sent": %s, "minted": %s, "burned": %s, "returned": %s, "locked": %s, "spl_supply": %s, "replay_refused": %s, "queued": %s}\n' \
	"$SENT" "$MINTED" "$BURNED" "$RETURNED" "$LOCKED" "$SUPPLY" "$REPLAY" "$QUEUED"
