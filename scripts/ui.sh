#!/usr/bin/env bash
# Serves Cloudana's web app (ui/): builds it when needed (npm install, typed descriptors from
# client/metadata/cloudana.scale, vite build), then serves ui/dist at http://127.0.0.1:PORT/
# in the foreground until stopped (Ctrl-C).
#
#   scripts/ui.sh [--node ws://127.0.0.1:9944] [--port 5173]
#
#   --node URL   the node the page connects to first (default ws://127.0.0.1:9944); it can be
#                changed in the page, which remembers it
#   --port PORT  the port to serve on, on 127.0.0.1 (default 5173)
#
# Needs Node.js (20 or later) and npm. Start a node first, e.g. `cloudana-node --dev`
# (docs/running-a-node.md).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NODE_URL="ws://127.0.0.1:9944"
PORT=5173
while [ $# -gt 0 ]; do
	case "$1" in
		-h | --help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		--node) NODE_URL="${2:?--node needs a URL}"; shift 2 ;;
		--port) PORT="${2:?--port needs a number}"; shift 2 ;;
		*) die "unknown argument $1 (try --help)" ;;
	esac
done
[[ "$NODE_URL" =~ ^wss?:// ]] || die "--node: \"$NODE_URL\" is not a WebSocket URL (ws://… or wss://…)"
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] || die "--port: \"$PORT\" is not a port number"

build_ui
URL="http://127.0.0.1:$PORT/?node=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$NODE_URL")"
log "serving the web app at http://127.0.0.1:$PORT/ (node $NODE_URL): open $URL"
cd "$ROOT/ui"
exec ./node_modules/.bin/vite preview --host 127.0.0.1 --port "$PORT" --strictPort
