# Shared by Cloudana's scripts: paths, prerequisites, the one build command, processes.
# Sourced, not run.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# One cargo target directory outside the clone, shared by every script, CI and your own builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cloudana/target}"
# The real datasets ship with the repository, in data/ (override with CLOUDANA_DATASETS).
export CLOUDANA_DATASETS="${CLOUDANA_DATASETS:-$ROOT/data}"
BIN="$CARGO_TARGET_DIR/release"
# The built-in circuits' proving keys, made by their (deterministic) development setup on first
# use and cached here, outside the clone.
export CLOUDANA_KEYS="${CLOUDANA_KEYS:-$HOME/.cache/cloudana/keys}"

# The CLI as built, and one field of a JSON document on stdin (`field '["job"]'`).
cloudana() { "$BIN/cloudana" "$@"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs what the build needs when it is missing: protoc (Debian's protobuf-compiler, for
# libp2p/litep2p), OpenSSL's headers and pkg-config (libssl-dev: the node links the system's
# OpenSSL, .cargo/config.toml), the wasm targets and rust-src (for the runtime's wasm build).
ensure_prerequisites() {
	command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs)"
	local packages=()
	command -v protoc >/dev/null || packages+=(protobuf-compiler)
	command -v pkg-config >/dev/null || packages+=(pkg-config)
	dpkg -s libssl-dev >/dev/null 2>&1 || packages+=(libssl-dev)
	if [ ${#packages[@]} -gt 0 ]; then
		log "installing ${packages[*]} (apt)"
		as_root apt-get update -qq
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${packages[@]}" >/dev/null
	fi
	local targets
	targets="$(rustup target list --installed 2>/dev/null || true)"
	for target in wasm32-unknown-unknown wasm32v1-none; do
		if ! grep -qx "$target" <<<"$targets"; then
			log "adding the $target target (rustup)"
			rustup target add "$target" >/dev/null 2>&1 || [ "$target" = wasm32v1-none ] || die "cannot add $target"
		fi
	done
	if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
		log "adding rust-src (rustup)"
		rustup component add rust-src >/dev/null
	fi
	[ -f "$CLOUDANA_DATASETS/iris.csv" ] || die "datasets not found at $CLOUDANA_DATASETS (set CLOUDANA_DATASETS)"
}

# The builds, into the one shared target directory. Their features are unified (no test-only
# feature in a library: tests use dev-dependencies of their own), so each reuses every unit the
# one before it built:
#   build_bins     the binaries the demos run (node, prover daemon, CLI): about 20 minutes the
#                  first time on 2 cores; `build_bins --bridge` adds the bridge's guardian and
#                  relayer (scripts/bridge-demo.sh);
#   build_tests    the binaries and every test of the workspace (scripts/test.sh, stage 0);
#   build_tooling  the pallets and the runtime with `runtime-benchmarks` and `try-runtime`,
#                  natively (no wasm): the benchmark tests, runtime fuzzing and try-runtime.
# A script runs `ensure_built`: the binaries' build, or with SKIP_BUILD=1 (scripts/test.sh) only
# a check that they are there.
build_bins() {
	local exclude=(--exclude cloudana-bridge)
	[ "${1:-}" != --bridge ] || exclude=()
	log "building Cloudana's binaries (release; the first build on 2 cores takes about 20 minutes, later ones seconds)"
	(cd "$ROOT" && cargo build --release --locked --workspace "${exclude[@]}" --bins)
}
build_tests() {
	log "building Cloudana's binaries and tests (release)"
	(cd "$ROOT" && cargo build --release --locked --workspace --bins --tests)
}
ensure_built() {
	if [ "${SKIP_BUILD:-0}" = 1 ]; then
		local bin bins=(cloudana-node cloudana-prover cloudana)
		[ "${1:-}" != --bridge ] || bins+=(cloudana-guardian cloudana-relayer)
		for bin in "${bins[@]}"; do
			[ -x "$BIN/$bin" ] || die "$BIN/$bin is missing (SKIP_BUILD=1; run without it to build)"
		done
	else
		build_bins "$@"
	fi
}
# The tooling build's packages and features: every invocation names the same ones, so that
# cargo resolves the same features and reuses the same units.
TOOLING_PACKAGES=(-p pallet-verifier -p pallet-prover-staking -p pallet-jobs -p pallet-reputation -p pallet-slashing
	-p pallet-disputes -p pallet-wormhole-bridge -p cloudana-runtime)
cargo_tooling() {
	(cd "$ROOT" && SKIP_WASM_BUILD=1 cargo test --release --locked "${TOOLING_PACKAGES[@]}" \
		--features runtime-benchmarks,try-runtime "$@")
}
build_tooling() {
	log "building the pallets and the runtime with runtime-benchmarks and try-runtime (native)"
	cargo_tooling --lib --test integration --no-run
}

# Picks a free TCP port.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits until a TCP port accepts connections, or fails after $2 seconds.
wait_for_port() {
	local port=$1 timeout=$2 start=$SECONDS
	until (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
		(( SECONDS - start < timeout )) || return 1
		sleep 0.5
	done
}

# Background processes started by a script, stopped with everything they started when it
# exits, fails or is interrupted (Ctrl-C, SIGTERM). A PID may be a subshell (`cmd &` of a
# function): its children are found through /proc and stopped too.
PIDS=()
kill_tree() {
	local pid=$1 child
	for child in $(pgrep -P "$pid" 2>/dev/null); do kill_tree "$child"; done
	kill "$pid" 2>/dev/null || true
}
stop_all() {
	local pid
	for pid in "${PIDS[@]:-}"; do if [ -n "$pid" ]; then kill_tree "$pid"; fi; done
	wait 2>/dev/null || true
	PIDS=()
	return 0
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts the prover daemon and the development node (a prover node holding the daemon's token),
# logging to $WORK; sets RPC_PORT, PROVER_PORT and CLOUDANA_URL. PROVER_NODE_ARGS adds node
# options (e.g. the prover policy), PROVER_ARGS daemon options (e.g. --circom).
start_dev_chain() {
	RPC_PORT="${RPC_PORT:-$(free_port)}"
	PROVER_PORT="${PROVER_PORT:-$(free_port)}"
	local p2p_port
	p2p_port="$(free_port)"
	log "starting cloudana-prover on 127.0.0.1:$PROVER_PORT (log: $WORK/prover.log)"
	"$BIN/cloudana-prover" serve --listen "127.0.0.1:$PROVER_PORT" --journal "$WORK/prover" \
		--keys "$CLOUDANA_KEYS" \
		--dataset "$CLOUDANA_DATASETS/iris.csv" --dataset "$CLOUDANA_DATASETS/wine_data.csv" \
		--dataset "$CLOUDANA_DATASETS/breast_cancer.csv" --model "$ROOT/circuits/models/iris-mlp.json" \
		${PROVER_ARGS:-} >"$WORK/prover.log" 2>&1 &
	PIDS+=($!)
	# The daemon writes its bearer token first thing; the node reads it when it starts.
	local token="$WORK/prover/token" start=$SECONDS
	until [ -s "$token" ]; do
		(( SECONDS - start < 60 )) || { tail -30 "$WORK/prover.log" >&2; die "the prover wrote no token"; }
		sleep 0.2
	done
	log "starting cloudana-node --dev on ws://127.0.0.1:$RPC_PORT (log: $WORK/node.log)"
	"$BIN/cloudana-node" --dev --base-path "$WORK/node" --rpc-port "$RPC_PORT" --port "$p2p_port" \
		--no-prometheus --no-telemetry --no-mdns --dev-block-time "${DEV_BLOCK_TIME:-1000}" \
		--prover-endpoint "http://127.0.0.1:$PROVER_PORT" --prover-token-file "$token" \
		${PROVER_NODE_ARGS:-} >"$WORK/node.log" 2>&1 &
	PIDS+=($!)
	export CLOUDANA_URL="ws://127.0.0.1:$RPC_PORT"
	wait_for_port "$RPC_PORT" 120 || { tail -30 "$WORK/node.log" >&2; die "the node did not start"; }
	wait_for_port "$PROVER_PORT" 180 || { tail -30 "$WORK/prover.log" >&2; die "the prover did not start"; }
}

# Installs Debian's Chromium for the browser tests when it is missing.
ensure_chromium() {
	CHROMIUM="${CHROMIUM:-$(command -v chromium || true)}"
	if [ -z "$CHROMIUM" ]; then
		log "installing chromium (apt) for the browser tests"
		as_root apt-get update -qq
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
		CHROMIUM="$(command -v chromium)" || die "chromium did not install"
	fi
	export CHROMIUM
}

# Builds the web app (ui/dist) when it is missing or older than its sources: installs its npm
# packages, generates the typed descriptors from client/metadata/cloudana.scale and checks
# them, then `vite build`.
build_ui() {
	command -v node >/dev/null && command -v npm >/dev/null || die "Node.js (20 or later) and npm are needed for the web app"
	local ui="$ROOT/ui"
	ensure_npm ui
	if ! (cd "$ui" && node scripts/check-descriptors.mjs >/dev/null 2>&1); then
		log "generating the typed descriptors from client/metadata/cloudana.scale (papi)"
		(cd "$ui" && npx papi generate >/dev/null) || die "papi generate failed"
	fi
	if [ ! -f "$ui/dist/index.html" ] || [ -n "$(find "$ui/src" "$ui/index.html" "$ui/.papi/descriptors/generated.json" -newer "$ui/dist/index.html" -print -quit)" ]; then
		log "building the web app (vite)"
		(cd "$ui" && npx vite build --logLevel warn)
	fi
}

# The circom toolchain (circuits/circom/package.json: the circom 2 compiler as wasm, snarkjs,
# circomlib), installed from npm when missing; sets CIRCOM_DIR and defines `circom2`, `snarkjs`.
ensure_circom() {
	command -v node >/dev/null && command -v npm >/dev/null || die "Node.js (20 or later) and npm are needed for circom and snarkjs"
	CIRCOM_DIR="$ROOT/circuits/circom"
	ensure_npm circuits/circom
}

# Runs "$@" holding the lock file $1 (flock): callers at once (scripts/test.sh's lanes and its
# background installs) wait for one another, and the first does the work.
LOCKS="$HOME/.cache/cloudana/locks"
with_lock() {
	local lock="$1"
	shift
	mkdir -p "$(dirname "$lock")"
	(
		flock 9
		"$@"
	) 9>"$lock"
}

# Installs the npm packages of $1 (relative to the repository root) with `npm ci` when they are
# missing or older than its package-lock.json.
ensure_npm() {
	command -v node >/dev/null && command -v npm >/dev/null || die "Node.js (20 or later) and npm are needed"
	with_lock "$LOCKS/npm-$(tr / _ <<<"$1")" npm_ci_if_stale "$1"
}
npm_ci_if_stale() {
	local dir="$ROOT/$1"
	if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
		log "installing the npm packages of $1 (npm ci)"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci failed in $1"
	fi
}
# NVRTC (CUDA 12.4's run-time compiler, libnvrtc.so.12) from PyPI's nvidia-cuda-nvrtc-cu12 wheel,
# unpacked once into ~/.cache/cloudana/nvrtc-<version>/ and put on LD_LIBRARY_PATH: CI compiles
# the GPU kernels with it on machines without CUDA. 12.4 is the CUDA API the prover is built
# against (cudarc feature cuda-12040); drivers from 550 on accept its PTX.
NVRTC_VERSION=12.4.127
ensure_nvrtc() {
	local dir="${CLOUDANA_NVRTC_DIR:-$HOME/.cache/cloudana/nvrtc-$NVRTC_VERSION}"
	if [ ! -f "$dir/nvidia/cuda_nvrtc/lib/libnvrtc.so.12" ]; then
		log "installing NVRTC $NVRTC_VERSION (PyPI: nvidia-cuda-nvrtc-cu12, ~25 MB) into $dir"
		local wheel
		wheel="$(mktemp -d -t cloudana-nvrtc.XXXXXX)"
		python3 -m pip download --quiet --no-deps --dest "$wheel" "nvidia-cuda-nvrtc-cu12==$NVRTC_VERSION" \
			|| die "cannot download nvidia-cuda-nvrtc-cu12==$NVRTC_VERSION from PyPI"
		mkdir -p "$dir"
		python3 -m zipfile -e "$wheel"/*.whl "$dir"
		rm -rf "$wheel"
	fi
	export LD_LIBRARY_PATH="$dir/nvidia/cuda_nvrtc/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
}

# The Solana spoke's toolchain (scripts/build-spoke.sh): a pinned nightly with rust-src, and
# sbpf-linker built with it (its LLVM must be that rustc's), into ${CARGO_TARGET_DIR}-solana/tools.
SBF_NIGHTLY="${CLOUDANA_SBF_NIGHTLY:-nightly-2026-10-29}"
SBPF_LINKER_VERSION=0.2.6
SOLANA_TARGET_DIR="${CARGO_TARGET_DIR}-solana"
SBPF_LINKER="$SOLANA_TARGET_DIR/tools/bin/sbpf-linker"
ensure_sbf_toolchain() { with_lock "$LOCKS/sbf-toolchain" install_sbf_toolchain; }
install_sbf_toolchain() {
	if ! rustup run "$SBF_NIGHTLY" rustc --version >/dev/null 2>&1; then
		log "installing $SBF_NIGHTLY (rust-src) for the SBF build"
		rustup toolchain install "$SBF_NIGHTLY" --profile minimal --component rust-src >&2
	fi
	if [ ! -x "$SBPF_LINKER" ] || ! grep -q "$SBPF_LINKER_VERSION" "$SOLANA_TARGET_DIR/tools/version" 2>/dev/null; then
		log "installing sbpf-linker $SBPF_LINKER_VERSION (about 2 minutes)"
		CARGO_TARGET_DIR="$SOLANA_TARGET_DIR/tools-build" cargo "+$SBF_NIGHTLY" install sbpf-linker \
			--version "$SBPF_LINKER_VERSION" --locked --root "$SOLANA_TARGET_DIR/tools" >&2
		echo "$SBPF_LINKER_VERSION" >"$SOLANA_TARGET_DIR/tools/version"
	fi
}

# Builds the bridge's Solana side ahead of its stages (scripts/test.sh runs it beside the main
# build, niced): the spoke for SBF, and the litesvm devnet's binary and tests.
prebuild_solana() {
	"$ROOT/scripts/build-spoke.sh" >/dev/null
	(cd "$ROOT/solana/devnet" && CARGO_TARGET_DIR="$SOLANA_TARGET_DIR" cargo build --release --locked \
		&& CARGO_TARGET_DIR="$SOLANA_TARGET_DIR" cargo test --release --locked --no-run)
}

circom2() { "$CIRCOM_DIR/node_modules/.bin/circom2" "$@"; }
snarkjs() { "$CIRCOM_DIR/node_modules/.bin/snarkjs" "$@"; }

# A development powers of tau for circuits of up to 2^POWER constraints (default 16), made once
# by `cloudana-prover dev-ptau` (seconds) and cached in ~/.cache/cloudana/circom/. NOT a
# ceremony: its secrets come from a public seed; CLOUDANA_PTAU names a real one (e.g.
# powersOfTau28_hez_final_16.ptau) instead. Concurrent callers wait for one another (flock).
# Prints the path.
dev_ptau() {
	if [ -n "${CLOUDANA_PTAU:-}" ]; then echo "$CLOUDANA_PTAU"; return; fi
	local power="${1:-16}" dir="${CLOUDANA_CIRCOM_CACHE:-$HOME/.cache/cloudana/circom}"
	local ptau="$dir/pot${power}_cloudana_dev.ptau"
	with_lock "$dir/.pot${power}.lock" make_dev_ptau "$power" "$ptau"
	echo "$ptau"
}
make_dev_ptau() {
	[ ! -s "$2" ] || return 0
	log "making the development powers of tau (2^$1, NOT a ceremony; cached at $2)"
	"$BIN/cloudana-prover" dev-ptau --power "$1" --out "$2" >&2
}

# Compiles a circom circuit into $2 and makes its development Groth16 setup with snarkjs:
# $2/<name>_js/<name>.wasm, $2/<name>.zkey, $2/<name>.vk.json. $3: the ptau.
circom_setup() {
	local circuit="$1" out="$2" ptau="$3" name
	name="$(basename "$circuit" .circom)"
	mkdir -p "$out"
	circom2 "$circuit" --r1cs --wasm -l "$CIRCOM_DIR/node_modules" -l "$CIRCOM_DIR" -o "$out" >"$out/$name.compile.log" \
		|| { cat "$out/$name.compile.log" >&2; die "circom could not compile $circuit"; }
	snarkjs groth16 setup "$out/$name.r1cs" "$ptau" "$out/${name}_0.zkey" >/dev/null \
		|| die "snarkjs groth16 setup failed for $circuit (more constraints than the ptau holds?)"
	snarkjs zkey contribute "$out/${name}_0.zkey" "$out/$name.zkey" --name=dev -e="cloudana development $RANDOM$RANDOM" >/dev/null
	snarkjs zkey export verificationkey "$out/$name.zkey" "$out/$name.vk.json" >/dev/null
	rm -f "$out/${name}_0.zkey"
}

# The body of a network script (testnet, faults, upgrade, load): `--help` prints the script's
# header; otherwise builds (unless $2 is --stop) and hands the arguments to
# scripts/testnet/<$1>.py.
run_network_script() {
	local body="$1" script="$0"
	shift
	case "${1:-}" in
		-h | --help) sed -n '2,/^$/p' "$script" | sed 's/^# \{0,1\}//'; exit 0 ;;
	esac
	if [[ " $* " != *" --stop "* ]]; then
		ensure_prerequisites
		ensure_built
	fi
	trap - EXIT
	exec python3 "$ROOT/scripts/testnet/$body.py" "$@"
}
