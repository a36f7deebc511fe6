#!/usr/bin/env bash
# Proves the same circom circuits with the same .zkey and the same witness with snarkjs and with
# cloudana-prover, on this machine's cores, in one run, and prints a table and, last, the median
# speedup:
#
#   prover/snarkjs: <median of snarkjs_ms / cloudana_ms>
#
# Circuits: matrix_mult's product (circuits/circom/templates/matmul.circom, C = A·B with C public)
# for n = 8, 16 and 32, and hash_check (SHA-256 of 64 bytes). Each is compiled with circom2 and set
# up with snarkjs (a cached development powers of tau); snarkjs computes the witness (.wtns) that
# both provers then prove, RUNS times each (default 3; the median counts). snarkjs runs in one
# Node.js process with the key and witness in memory (scripts/benchmarks/snarkjs-prove.cjs), and
# cloudana-prover with its key loaded (`prove-circom --wtns --runs`), so neither counts start-up
# or file reads. Both check nothing else: snarkjs proves, cloudana-prover proves and verifies its
# proof (its daemon's self-check, a few milliseconds).
#
# Usage: scripts/bench-prover.sh [--sizes "8 16 32"] [--runs N]

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SIZES="8 16 32"
RUNS=3
while [ $# -gt 0 ]; do
	case "$1" in
		--sizes) SIZES="$2"; shift 2 ;;
		--runs) RUNS="$2"; shift 2 ;;
		-h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		*) die "unknown argument $1 (see --help)" ;;
	esac
done

ensure_prerequisites
ensure_circom
export CIRCOM_DIR
ensure_built
WORK="$(mktemp -d -t cloudana-bench-prover.XXXXXX)"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
PTAU="$(dev_ptau "${CIRCOM_PTAU_POWER:-16}")"

CASES=()
for n in $SIZES; do
	name="matmul_$n"
	mkdir -p "$WORK/$name"
	cat >"$WORK/$name/$name.circom" <<CIRCOM
pragma circom 2.0.0;
include "templates/matmul.circom";
component main {public [binding]} = MatMul($n);
CIRCOM
	python3 - "$n" >"$WORK/$name/input.json" <<'PY'
import json, random, sys
n = int(sys.argv[1]); rng = random.Random(n)
m = lambda: [[str(rng.randrange(1 << 64)) for _ in range(n)] for _ in range(n)]
print(json.dumps({"binding": "1", "a": m(), "b": m()}))
PY
	CASES+=("$name")
done
mkdir -p "$WORK/hash_check"
cp "$ROOT/circuits/circom/hash_check.circom" "$WORK/hash_check/"
python3 - "$ROOT/circuits/circom/inputs/hash_check.json" >"$WORK/hash_check/input.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1])); data["binding"] = "1"; print(json.dumps(data))
PY
CASES+=(hash_check)

ROWS=()
for name in "${CASES[@]}"; do
	dir="$WORK/$name"
	log "$name: compiling and setting up"
	circom_setup "$dir/$name.circom" "$dir" "$PTAU"
	snarkjs wtns calculate "$dir/${name}_js/$name.wasm" "$dir/input.json" "$dir/$name.wtns" >/dev/null
	constraints="$(sed 's/\x1b\[[0-9;]*m//g' "$dir/$name.compile.log" | awk '/constraints:/ {s += $NF} END {print s}')"
	log "$name: $constraints constraints; snarkjs proving ($RUNS runs)"
	snarkjs_ms="$(node "$ROOT/scripts/benchmarks/snarkjs-prove.cjs" "$dir/$name.zkey" "$dir/$name.wtns" "$RUNS")"
	log "$name: cloudana-prover proving ($RUNS runs)"
	line="$("$BIN/cloudana-prover" prove-circom --zkey "$dir/$name.zkey" --wasm "$dir/${name}_js/$name.wasm" \
		--wtns "$dir/$name.wtns" --runs "$RUNS" --out "$dir/ours")"
	ours_ms="$(sed -n 's/.* prove_ms \([0-9.]*\).*/\1/p' <<<"$line")"
	snarkjs groth16 verify "$dir/$name.vk.json" "$dir/ours/public.json" "$dir/ours/proof.json" >/dev/null \
		|| die "snarkjs refuses cloudana-prover's proof of $name"
	ROWS+=("$name $constraints $snarkjs_ms $ours_ms")
done

python3 - "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" "${ROWS[@]}" <<'PY'
import statistics, sys
cores, cpu, rows = sys.argv[1], sys.argv[2], [r.split() for r in sys.argv[3:]]
print(f"\n{cores} cores ({cpu}); median of each prover's runs; both proofs verified by snarkjs\n")
print(f"{'circuit':<12} {'constraints':>11} {'snarkjs_ms':>11} {'cloudana_ms':>12} {'speedup':>8}")
speedups = []
for name, constraints, snark, ours in rows:
	s = float(snark) / float(ours); speedups.append(s)
	print(f"{name:<12} {int(constraints):>11} {float(snark):>11.1f} {float(ours):>12.1f} {s:>7.2f}x")
print(f"\nprover/snarkjs: {statistics.median(speedups):.2f}")
PY
