#!/usr/bin/env bash
# Cloudana's tests: builds everything (installing what is missing), then runs
#   1. every unit, integration and end-to-end test of the workspace (the e2e test starts a real
#      dev node and a real prover daemon and runs an Iris job to payout over RPC); the GPU
#      kernels are compiled by NVRTC (installed from PyPI) and run in the host emulator against
#      arkworks, and the prover's CUDA backend falls back to the CPU (no GPU in CI);
#   2. the pallets' benchmarks as tests, on their mock runtimes, and the runtime's own
#      (Economics) on its storage (feature runtime-benchmarks);
#   3. the polkadot.js check: a standard Substrate client sees and calls Cloudana's pallets, and
#      runs a referendum from preimage to enactment;
#   4. the demo (scripts/demo.sh), as README.md tells a newcomer to run it;
#   5. the economics worked example (scripts/economics-example.sh), checking its numbers;
#   6. the grid demo (scripts/grid-demo.sh) on Iris, Wine and Breast Cancer, each checking its
#      leaderboard against re-training and its payouts against the bounty;
#   7. the governance demo (scripts/governance-demo.sh): a parameter change by referendum, an
#      appeal upheld, a grid slot's fraud slashed; checking its JSON line;
#   8. the web app (scripts/check-ui.sh): its unit tests, then its browser test in headless
#      Chromium against a dev node (a referendum through the UI, votes, unlock, a dispute, the
#      explorer), screenshots in ui/test-artifacts/;
#   9. the bridge's Solana spoke (scripts/check-solana.sh): built for SBF from upstream Rust
#      (installing a pinned nightly and sbpf-linker), tested in litesvm;
#  10. the bridge demo (scripts/bridge-demo.sh): CLD to Solana and back through the guardians
#      and the relayer, replays refused, a transfer over the limit queued; checking its JSON line;
#  11. the circom demo (scripts/circom-demo.sh) on the seed circuits hash_check and matrix_mult
#      and on a circuit written here that no script knows: compiled with circom2, set up with
#      snarkjs, proven by the network to payout, the chain's proofs accepted by snarkjs; checking
#      each JSON line (and matrix_mult's outputs against A·B);
#  12. runtime fuzzing (scripts/fuzz.sh --calls 20000): random calls of every pallet into the
#      real runtime, every try_state and the conservation of issuance checked after each block;
#  13. the fault tests (scripts/faults.sh) on a four-validator network with a prover node:
#      validators killed, the daemon killed mid-proof, the prover node killed after a lock, late
#      joiners (full and warp sync), a partition; blocks, jobs and balances checked after each;
#  14. the runtime upgrade by referendum (scripts/upgrade.sh): spec 100 → this build, try-runtime
#      on the network's exported state first, jobs in flight across the upgrade.
# Set SKIP_DEMO=1, SKIP_POLKADOT_JS=1, SKIP_ECONOMICS=1, SKIP_GRID=1, SKIP_GOVERNANCE=1,
# SKIP_UI=1, SKIP_SOLANA=1, SKIP_BRIDGE=1, SKIP_CIRCOM=1, SKIP_FUZZ=1, SKIP_FAULTS=1 or
# SKIP_UPGRADE=1 to leave those out.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# Each stage's wall time, printed as it ends and again in a table at the end.
TIMES=()
STAGE=""
STAGE_START=$SECONDS
stage() {
	if [ -n "$STAGE" ]; then
		TIMES+=("$(printf '%6d s  %s' $((SECONDS - STAGE_START)) "$STAGE")")
		log "$STAGE: $((SECONDS - STAGE_START)) s"
	fi
	STAGE="$1"
	STAGE_START=$SECONDS
	[ -z "$1" ] || log "$1"
}

stage "0/14 prerequisites and the release build"
ensure_prerequisites
if [ "${SKIP_CIRCOM:-0}" != 1 ]; then
	# The circom stage's development powers of tau takes ~40 minutes of one core the first time
	# on a machine (then it is cached): make it beside the build.
	ensure_circom
	PTAU_LOG="$(mktemp -t cloudana-ptau.XXXXXX)"
	dev_ptau 16 >"$PTAU_LOG" 2>&1 &
	PTAU_PID=$!
fi
build_all

stage "1/14 workspace tests (unit, runtime integration, chain specs, CLI, end to end)"
# NVRTC for the GPU kernels' compile test (no GPU here: the prover's tests also check the
# fallback to the CPU); a missing libnvrtc fails that test instead of skipping it.
ensure_nvrtc
export CLOUDANA_REQUIRE_NVRTC=1
if command -v cargo-nextest >/dev/null; then
	cargo nextest run --release --locked --workspace --no-fail-fast
else
	cargo test --release --locked --workspace --no-fail-fast
fi

stage "2/14 pallet benchmarks on the mock runtimes, the runtime's benchmarking build"
cargo test --release --locked -p pallet-verifier -p pallet-prover-staking -p pallet-jobs \
	-p pallet-reputation -p pallet-slashing -p pallet-disputes -p pallet-wormhole-bridge \
	--features runtime-benchmarks --lib -- benchmark
# The runtime's benchmarking glue compiles, and its own Economics benchmark runs, natively.
SKIP_WASM_BUILD=1 cargo test --release --locked -p cloudana-runtime --features runtime-benchmarks --lib -- benchmark

if [ "${SKIP_POLKADOT_JS:-0}" != 1 ]; then
	stage "3/14 polkadot.js against a dev node"
	"$ROOT/scripts/check-polkadot-js.sh"
fi

if [ "${SKIP_DEMO:-0}" != 1 ]; then
	stage "4/14 the demo"
	"$ROOT/scripts/demo.sh"
fi

if [ "${SKIP_ECONOMICS:-0}" != 1 ]; then
	stage "5/14 the economics worked example"
	OUT="$("$ROOT/scripts/economics-example.sh")"
	echo "$OUT"
	EXPECTED=$'earned: 45\nslashed: 100\nto_insurance: 80\nburned: 20\nreputation_delta: -30\nrefunded: 50'
	[ "$OUT" = "$EXPECTED" ] || die "the economics example printed other numbers than the seed's"
fi

if [ "${SKIP_GRID:-0}" != 1 ]; then
	for dataset in iris wine breast_cancer; do
		stage "6/14 the grid demo on $dataset"
		"$ROOT/scripts/grid-demo.sh" "$dataset"
	done
fi

if [ "${SKIP_GOVERNANCE:-0}" != 1 ]; then
	stage "7/14 the governance demo"
	LINE="$("$ROOT/scripts/governance-demo.sh" | tail -1)"
	echo "$LINE"
	python3 - "$LINE" <<'PY' || die "the governance demo's JSON line is not what it should be"
import json, sys
r = json.loads(sys.argv[1])
half_of_stake = 500 * 10**12  # Charlie staked 1 000 CLD; fraud slashes 50%
assert r["param_changed"] and r["appeal_upheld"] and r["slash_cancelled"] and r["banned"], r
assert r["fraud_slashed"] == half_of_stake, r
assert r["requester_share"] + r["treasury_share"] == r["fraud_slashed"], r
assert r["requester_share"] == r["treasury_share"], r
PY
fi

if [ "${SKIP_UI:-0}" != 1 ]; then
	stage "8/14 the web app in headless Chromium"
	"$ROOT/scripts/check-ui.sh"
fi

if [ "${SKIP_SOLANA:-0}" != 1 ]; then
	stage "9/14 the bridge's Solana spoke: SBF build, tests in litesvm"
	"$ROOT/scripts/check-solana.sh"
fi

if [ "${SKIP_BRIDGE:-0}" != 1 ]; then
	stage "10/14 the bridge demo: Cloudana, guardians, relayer and a Solana devnet"
	LINE="$("$ROOT/scripts/bridge-demo.sh" | tail -1)"
	echo "$LINE"
	python3 - "$LINE" <<'PY' || die "the bridge demo's JSON line is not what it should be"
import json, sys
r = json.loads(sys.argv[1])
unit = 10**4  # 10⁻⁸ CLD in base units
assert r["sent"] == r["minted"] * unit and r["returned"] == r["burned"] * unit, r
assert r["locked"] == r["spl_supply"] * unit == r["sent"] - r["returned"], r
assert r["replay_refused"] and r["queued"], r
PY
fi

if [ "${SKIP_CIRCOM:-0}" != 1 ]; then
	stage "11/14 the circom demo: hash_check, matrix_mult and an unseen circuit, to payout, verified by snarkjs"
	wait "$PTAU_PID" || { cat "$PTAU_LOG" >&2; die "the development powers of tau could not be made"; }
	UNSEEN="$(mktemp -d -t cloudana-unseen.XXXXXX)"
	cat >"$UNSEEN/cube.circom" <<'CIRCOM'
pragma circom 2.0.0;
// y = x³ + offset, x private: a circuit no script of the repository knows.
template Cube() {
    signal input binding;
    signal input offset;
    signal input x;
    signal output y;
    signal bound;
    bound <== binding * binding;
    signal square;
    square <== x * x;
    y <== square * x + offset;
}
component main {public [binding, offset]} = Cube();
CIRCOM
	echo '{"offset": "5", "x": "3"}' >"$UNSEEN/cube.json"
	C="$ROOT/circuits/circom"
	OUT="$(SKIP_BUILD=1 "$ROOT/scripts/circom-demo.sh" "$C/hash_check.circom" "$C/inputs/hash_check.json" \
		"$C/matrix_mult.circom" "$C/inputs/matrix_mult.json" "$UNSEEN/cube.circom" "$UNSEEN/cube.json" | tail -3)"
	rm -rf "$UNSEEN"
	echo "$OUT"
	python3 - "$OUT" "$C/inputs/matrix_mult.json" "$C/inputs/hash_check.json" <<'PY' || die "the circom demo's JSON lines are not what they should be"
import hashlib, json, sys
lines = {r["circuit"]: r for r in map(json.loads, sys.argv[1].splitlines())}
assert set(lines) == {"hash_check", "matrix_mult", "cube"}, lines
for r in lines.values():
	assert r["status"] == "completed" and r["snarkjs_verified"] is True and r["prove_ms"] and r["constraints"] > 0, r
# hash_check: [binding, digest_hi, digest_lo]; the digest is the message's SHA-256.
h = json.load(open(sys.argv[3]))
digest = hashlib.sha256(bytes(h["message"])).digest()
assert lines["hash_check"]["public_signals"][1:] == [str(int.from_bytes(digest[:16], "big")), str(int.from_bytes(digest[16:], "big"))]
# matrix_mult: [C (16), binding, commitment], C = A·B.
m = json.load(open(sys.argv[2]))
c = [str(sum(m["a"][i][k] * m["b"][k][j] for k in range(4))) for i in range(4) for j in range(4)]
assert lines["matrix_mult"]["public_signals"][:16] == c and lines["matrix_mult"]["public_signals"][17] == m["commitment"]
# cube: [y, binding, offset], y = 3³ + 5.
assert lines["cube"]["public_signals"][0] == "32" and lines["cube"]["public_signals"][2] == "5"
PY
fi

if [ "${SKIP_FUZZ:-0}" != 1 ]; then
	stage "12/14 runtime fuzzing: 20 000 random calls of every pallet, try_state and issuance after every block"
	"$ROOT/scripts/fuzz.sh" --calls 20000
fi

if [ "${SKIP_FAULTS:-0}" != 1 ]; then
	stage "13/14 fault tests on a four-validator network"
	LINE="$(python3 "$ROOT/scripts/testnet/faults.py" | tee /dev/stderr | tail -1)"
	python3 - "$LINE" <<'PY' || die "the fault tests' JSON line is not what it should be"
import json, sys
r = json.loads(sys.argv[1])
assert r["scenarios"] == ["one-validator", "two-validators", "daemon", "prover-node", "late-join", "partition"], r
assert len(r["jobs_completed"]) == 2 and r["finalized"] > 20, r
PY
fi

if [ "${SKIP_UPGRADE:-0}" != 1 ]; then
	stage "14/14 a runtime upgrade by referendum, with try-runtime and jobs in flight"
	LINE="$(python3 "$ROOT/scripts/testnet/upgrade.py" | tee /dev/stderr | tail -1)"
	python3 - "$LINE" <<'PY' || die "the upgrade test's JSON line is not what it should be"
import json, sys
r = json.loads(sys.argv[1])
assert r["spec_before"] == 100 and r["spec_after"] == 101 and r["in_flight_across_upgrade"] >= 1, r
assert len(r["jobs_completed"]) == 4, r
PY
fi

stage ""
log "all tests passed"
printf '%s\n' "${TIMES[@]}" >&2
printf '%6d s  total\n' "$SECONDS" >&2
