#!/usr/bin/env bash
# The web app's tests (stage 8 of scripts/test.sh):
#   1. its descriptors are current (generated from client/metadata/cloudana.scale), it
#      type-checks, and its unit tests pass (vitest: OpenGov arithmetic, units, the parameter
#      table against the metadata);
#   2. the browser test (ui/tests/browser.mjs) in headless Chromium, against a real dev node
#      with a prover daemon, after the demo job has been proven and a grid submitted: it drives
#      the UI through a parameter referendum, votes, unlocking, a dispute and the explorer.
# Screenshots of every page land in ui/test-artifacts/. Installs Debian's chromium and the npm
# packages when missing. KEEP=1 keeps the work folder (node and prover logs).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
	-h | --help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	"") ;;
	*) die "unknown argument $1 (try --help)" ;;
esac

ensure_built
ensure_chromium
build_ui
cd "$ROOT/ui"
log "web app: descriptors, types and unit tests"
node scripts/check-descriptors.mjs
npx tsc --noEmit -p .
npx vitest run

WORK="$(mktemp -d -t cloudana-ui.XXXXXX)"
[ "${KEEP:-0}" = 1 ] || trap 'stop_all; rm -rf "$WORK"' EXIT
DEV_BLOCK_TIME="${DEV_BLOCK_TIME:-500}" start_dev_chain

log "the demo job and a grid, for the explorer"
CIRCUIT="$(cloudana --json vk register --vk "$ROOT/circuits/keys/iris_accuracy.vk.json" --suri //Alice | field '["id"]')"
cloudana prover register --stake 500 --circuit "$CIRCUIT" --suri //Bob >&2
cloudana prover insert-key --suri //Bob >&2
JOB="$(cloudana --json job submit-accuracy --model "$ROOT/circuits/models/iris-mlp.json" --dataset "$CLOUDANA_DATASETS/iris.csv" \
	--min-price 5 --max-price 20 --ramp-blocks 10 --lock-timeout 300 --proof-timeout 120 --collateral 1 \
	--suri //Alice | field '["job"]')"
STATUS="$(cloudana --json job wait "$JOB" --timeout 300 | field '["status"]')"
[ "$STATUS" = completed ] || { tail -20 "$WORK/node.log" >&2; die "the demo job ended $STATUS"; }
GRID="$(cloudana --json grid submit --dataset "$CLOUDANA_DATASETS/iris.csv" --grid "lr=0.01;epochs=5" --bounty 8 \
	--proof-timeout 120 --duration 600 --suri //Alice | field '["grid"]')"

APP_PORT="$(free_port)"
# The vite binary itself (not npx, whose child would outlive stop_all).
./node_modules/.bin/vite preview --host 127.0.0.1 --port "$APP_PORT" --strictPort >"$WORK/preview.log" 2>&1 &
PIDS+=($!)
wait_for_port "$APP_PORT" 60 || { cat "$WORK/preview.log" >&2; die "vite preview did not start"; }

log "browser test (headless $CHROMIUM; screenshots in ui/test-artifacts/)"
rm -rf "$ROOT/ui/test-artifacts"
timeout 900 node tests/browser.mjs --app "http://127.0.0.1:$APP_PORT/" --node "$CLOUDANA_URL" \
	--job "$JOB" --grid "$GRID" --artifacts "$ROOT/ui/test-artifacts" --chromium "$CHROMIUM"
