#!/usr/bin/env bash
# Checks that a standard Substrate client, polkadot.js, sees Cloudana's pallets in the metadata
# and calls them, and runs a root referendum from preimage to enactment with FRAME's governance
# calls and conviction votes: starts a dev node, runs tests/polkadot-js/check.mjs against it.
# Needs Node.js and npm (it installs @polkadot/api into tests/polkadot-js/node_modules).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v node >/dev/null && command -v npm >/dev/null || die "Node.js and npm are needed"
ensure_built

WORK="$(mktemp -d -t cloudana-pjs.XXXXXX)"
trap 'stop_all; rm -rf "$WORK"' EXIT
RPC_PORT="$(free_port)"
log "starting cloudana-node --dev on ws://127.0.0.1:$RPC_PORT"
"$BIN/cloudana-node" --dev --base-path "$WORK/node" --rpc-port "$RPC_PORT" --port "$(free_port)" \
	--no-prometheus --no-telemetry --no-mdns --dev-block-time 500 >"$WORK/node.log" 2>&1 &
PIDS+=($!)
wait_for_port "$RPC_PORT" 120 || { tail -30 "$WORK/node.log" >&2; die "the node did not start"; }

ensure_npm tests/polkadot-js
cd "$ROOT/tests/polkadot-js"
log "running the polkadot.js checks"
timeout 420 node check.mjs "ws://127.0.0.1:$RPC_PORT"
