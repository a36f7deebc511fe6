#!/usr/bin/env bash
# Runs circom circuits as Cloudana jobs, end to end, on a local development chain:
#
#   scripts/circom-demo.sh                                  # the seed circuits: hash_check, matrix_mult
#   scripts/circom-demo.sh CIRCUIT.circom INPUT.json [...]  # any circom circuits (pairs)
#
# For each circuit: compile it with circom2 (npm), make a development Groth16 setup with snarkjs
# (a cached development powers of tau; NOT a ceremony), register its verifying key (Alice),
# serve its .wasm, .zkey and input by hash (`cloudana artifacts serve`), submit the job with a
# committed input (`cloudana job submit-circom`), let the node's off-chain worker and the prover
# daemon (`--circom`) fetch, check, lock and prove it, wait for the chain to verify and pay,
# read the proof back from the chain (`cloudana job proof`) and check it with snarkjs's own
# `groth16 verify` against snarkjs's own verification key. Ends with one JSON line per circuit:
#
#   {"circuit": …, "constraints": …, "job": …, "status": "completed", "public_signals": […],
#    "snarkjs_verified": true, "prove_ms": …}
#
# A circuit must follow the binding rule (circuits/circom/README.md): its first public input is
# a signal `binding`, constrained. The prover (Bob) serves every circuit the demo registers.
# KEEP=1 keeps the temporary folder (logs, artifacts, proofs).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
	sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi
if [ $# -eq 0 ]; then
	set -- "$ROOT/circuits/circom/hash_check.circom" "$ROOT/circuits/circom/inputs/hash_check.json" \
		"$ROOT/circuits/circom/matrix_mult.circom" "$ROOT/circuits/circom/inputs/matrix_mult.json"
fi
[ $(( $# % 2 )) -eq 0 ] || die "give circuits and inputs in pairs: CIRCUIT.circom INPUT.json"
CIRCUITS=()
INPUTS=()
while [ $# -gt 0 ]; do
	[ -f "$1" ] || die "no circuit $1"
	[ -f "$2" ] || die "no input $2"
	CIRCUITS+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")")
	INPUTS+=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")")
	shift 2
done

ensure_prerequisites
ensure_circom
ensure_built

WORK="$(mktemp -d -t cloudana-circom.XXXXXX)"
[ "${KEEP:-0}" = 1 ] || trap 'stop_all; rm -rf "$WORK"' EXIT
PTAU="$(dev_ptau "${CIRCOM_PTAU_POWER:-16}")"
mkdir -p "$WORK/serve"

NAMES=()
for i in "${!CIRCUITS[@]}"; do
	name="$(basename "${CIRCUITS[$i]}" .circom)"
	NAMES+=("$name")
	log "$name: compiling with circom2 and making a development setup with snarkjs"
	circom_setup "${CIRCUITS[$i]}" "$WORK/$name" "$PTAU"
	cp "$WORK/$name/${name}_js/$name.wasm" "$WORK/$name/$name.zkey" "$WORK/serve/"
	cp "${INPUTS[$i]}" "$WORK/serve/$name.input.json"
done

# The artifact server is on 127.0.0.1: the daemon fetches from local addresses only when told.
PROVER_ARGS="--circom --allow-private-artifacts" start_dev_chain
ARTIFACTS_PORT="$(free_port)"
log "serving the artifacts by hash on http://127.0.0.1:$ARTIFACTS_PORT/ (log: $WORK/artifacts.log)"
# The binary itself, not the `cloudana` function, whose `&` would record a subshell's PID.
"$BIN/cloudana" artifacts serve "$WORK/serve" --listen "127.0.0.1:$ARTIFACTS_PORT" >"$WORK/artifacts.log" 2>&1 &
PIDS+=($!)
wait_for_port "$ARTIFACTS_PORT" 60 || { cat "$WORK/artifacts.log" >&2; die "the artifact server did not start"; }

IDS=()
for name in "${NAMES[@]}"; do
	log "$name: Alice registers its verifying key"
	IDS+=("$(cloudana --json vk register --vk "$WORK/$name/$name.vk.json" --suri //Alice | field '["id"]')")
done
log "Bob registers as a prover of ${NAMES[*]} (500 CLD staked) and gives the node his prover key"
CIRCUIT_ARGS=()
for id in "${IDS[@]}"; do CIRCUIT_ARGS+=(--circuit "$id"); done
cloudana prover register --stake 500 "${CIRCUIT_ARGS[@]}" --suri //Bob
cloudana prover insert-key --suri //Bob

LINES=()
for i in "${!NAMES[@]}"; do
	name="${NAMES[$i]}"
	log "$name: Alice submits the job (committed input: only its hash, size and URL on chain)"
	JOB="$(cloudana --json job submit-circom --wasm "$WORK/serve/$name.wasm" --zkey "$WORK/serve/$name.zkey" \
		--input "$WORK/serve/$name.input.json" --artifacts-url "http://127.0.0.1:$ARTIFACTS_PORT" \
		--min-price 5 --max-price 20 --ramp-blocks 10 --lock-timeout 300 --proof-timeout 120 --collateral 1 \
		--suri //Alice | field '["job"]')"
	echo "job $JOB"
	log "$name: the prover fetches and checks the artifacts, the node locks, the daemon proves; waiting for payout"
	RESULT="$(cloudana --json job wait "$JOB" --timeout 600)"
	STATUS="$(field '["status"]' <<<"$RESULT")"
	[ "$STATUS" = completed ] || { tail -30 "$WORK/prover.log" >&2; die "job $JOB ($name) ended $STATUS"; }
	log "$name: reading the proof back from the chain and verifying it with snarkjs"
	cloudana --json job proof "$JOB" --out "$WORK/$name/chain" --vk "$WORK/$name/$name.vk.json" >"$WORK/$name/chain.json"
	VERIFIED=false
	if snarkjs groth16 verify "$WORK/$name/$name.vk.json" "$WORK/$name/chain/public.json" "$WORK/$name/chain/proof.json" \
		>"$WORK/$name/snarkjs-verify.log" 2>&1; then
		VERIFIED=true
	fi
	LINES+=("$(python3 - "$name" "$JOB" "$STATUS" "$VERIFIED" "$WORK/$name/$name.compile.log" "$WORK/$name/chain.json" "$WORK/prover/tasks" <<'PY'
import glob, json, re, sys
name, job, status, verified, compile_log, chain, tasks = sys.argv[1:]
text = open(compile_log).read()
constraints = sum(int(n) for n in re.findall(r"(?:non-linear|linear) constraints: (\d+)", re.sub(r"\x1b\[[0-9;]*m", "", text)))
prove_ms = None
for path in glob.glob(tasks + "/*.json"):
	task = json.load(open(path))
	if task.get("request", {}).get("work") == {"job": int(job)} and task.get("state") == "done":
		prove_ms = task.get("proving_ms")
print(json.dumps({"circuit": name, "constraints": constraints, "job": int(job), "status": status,
	"public_signals": json.load(open(chain))["public_signals"], "snarkjs_verified": verified == "true", "prove_ms": prove_ms}))
PY
)")
	[ "$VERIFIED" = true ] || { cat "$WORK/$name/snarkjs-verify.log" >&2; die "snarkjs refused the chain's proof of $name"; }
done

log "✓ every circuit was proven, verified and paid on chain, and snarkjs accepts the chain's proofs"
printf '%s\n' "${LINES[@]}"
