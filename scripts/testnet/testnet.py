"""A local Cloudana network of real processes: four validators, a prover node and its daemon.

Used by scripts/testnet.sh (start, watch, stop), scripts/faults.sh (fault tests),
scripts/upgrade.sh (a runtime upgrade by referendum) and scripts/load.sh (load). Standard
library only. Every node listens on 127.0.0.1 only; every wait is bounded in time.

Layout under the network's folder (default ~/.cache/cloudana/testnet):

    spec.json                the chain spec the nodes run: chain-specs/local.json with this
                             build's runtime as genesis code (or --chain's file as it is)
    validator-N/             base path of validator N (0..3: Alice, Bob, Charlie, Dave)
    prover-node/             base path of the prover node (not a validator)
    prover/                  the daemon's journal and token
    <name>.log, <name>.pid   each process's log and pid (what `--stop` ends)
    ports.json               the ports, for the other scripts

Ports from --base-port B (default 9944): validators' RPC B..B+3, the prover node's B+4,
late joiners' B+5 and up; p2p 30333 + (B - 9944) + i; Prometheus 9615 + (B - 9944) + i;
the daemon 9955 + (B - 9944) (metrics on the next port).

Browsers: the nodes allow HTTP RPC calls from web pages of the web app's origin only
(`--rpc-cors`, default http://127.0.0.1:5173 and http://localhost:5173, what scripts/ui.sh
serves; set CLOUDANA_APP_ORIGIN, comma-separated, for another): a browser sends no call from any
other page the operator opens. CORS does not cover WebSocket connections, which browsers open
from any page; Substrate's RPC server does not filter their Origin.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/cloudana/target"))
BIN = os.path.join(TARGET, "release")
DATASETS = os.environ.get("CLOUDANA_DATASETS", os.path.join(ROOT, "data"))
# This build's runtime (the wasm the node embeds).
WASM = os.path.join(BIN, "wbuild", "cloudana-runtime", "cloudana_runtime.compact.compressed.wasm")

VALIDATORS = ["Alice", "Bob", "Charlie", "Dave"]
# The web pages whose RPC calls the nodes answer (`--rpc-cors`): the web app's origin only.
APP_ORIGINS = os.environ.get("CLOUDANA_APP_ORIGIN", "http://127.0.0.1:5173,http://localhost:5173")
# Storage keys (twox128(pallet) ++ twox128(item)) of Balances::TotalIssuance and the prefix of
# System::Account, as every FRAME chain names them.
TOTAL_ISSUANCE = "0xc2261276cc9d1f8598ea4b6a74b15c2f57c875e4cff74148e4628f264b974c80"
ACCOUNT_PREFIX = "0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"


STARTED = time.monotonic()


def log(message):
    """A progress line on stderr, with the seconds since the script started."""
    print(f"\033[1m==> [{time.monotonic() - STARTED:5.0f} s] {message}\033[0m", file=sys.stderr, flush=True)


class Failure(Exception):
    """A check failed: the message says which and with what numbers."""


def check(condition, message):
    if not condition:
        raise Failure(message)
    print(f"  ✓ {message}", flush=True)


def wait_until(what, predicate, timeout, interval=1.0):
    """Polls `predicate` until it returns a true value (returned), or fails after `timeout` s."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except (OSError, ValueError, KeyError, Failure) as error:  # a node restarting
            last_error = error
        time.sleep(interval)
    raise Failure(f"timed out after {timeout} s waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))


def rpc(port, method, *params, timeout=10):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        answer = json.load(response)
    if "error" in answer:
        raise ValueError(f"{method}: {answer['error']}")
    return answer["result"]


def cors_preflight(port, origin, timeout=10):
    """What a browser's CORS preflight for an RPC call from a page of `origin` gets back: the
    `Access-Control-Allow-Origin` header ("" when absent: the browser then sends nothing)."""
    headers = {"Origin": origin, "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "content-type"}
    request = urllib.request.Request(f"http://127.0.0.1:{port}", None, headers, method="OPTIONS")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.headers.get("Access-Control-Allow-Origin", "")
    except urllib.error.HTTPError as e:
        return e.headers.get("Access-Control-Allow-Origin", "")


def check_rpc_cors(node):
    """Issue 26 item 16: the nodes allow RPC calls from the web app's pages only. With `--rpc-cors
    all` any page the operator opened could call them; now a foreign page's preflight is not
    allowed, so the browser never sends its call."""
    for origin in APP_ORIGINS.split(","):
        allowed = cors_preflight(node.rpc_port, origin)
        check(allowed == origin, f"{node.name}'s RPC allows the web app's origin {origin}")
    allowed = cors_preflight(node.rpc_port, "https://attacker.example")
    check(allowed == "", f"{node.name}'s RPC does not allow a foreign page (Access-Control-Allow-Origin: {allowed!r})")


def run(*args, env=None, check_rc=True):
    """Runs a command, returning its stdout; on failure raises with its stderr."""
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    if check_rc and done.returncode != 0:
        raise Failure(f"{' '.join(args[:4])}… failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    return done.stdout


class Node:
    def __init__(self, net, name, index, validator=None):
        self.net, self.name, self.index, self.validator = net, name, index, validator
        offset = net.base_port - 9944
        self.rpc_port = net.base_port + index
        self.p2p_port = 30333 + offset + index
        self.prometheus_port = 9615 + offset + index
        self.base = os.path.join(net.dir, name)
        self.node_key = os.path.join(self.base, "node-key")

    # --- chain state over RPC
    def rpc(self, method, *params):
        return rpc(self.rpc_port, method, *params)

    def best(self):
        return int(self.rpc("chain_getHeader")["number"], 16)

    def finalized(self):
        head = self.rpc("chain_getFinalizedHead")
        return int(self.rpc("chain_getHeader", head)["number"], 16)

    def hash_at(self, number):
        return self.rpc("chain_getBlockHash", number)

    def peers(self):
        return self.rpc("system_health")["peers"]

    def alive(self):
        try:
            self.best()
            return True
        except OSError:
            return False

    # --- process
    def peer_id(self):
        return run(f"{BIN}/cloudana-node", "key", "inspect-node-key", "--file", self.node_key).strip()

    def multiaddr(self):
        return f"/ip4/127.0.0.1/tcp/{self.p2p_port}/p2p/{self.peer_id()}"

    def start(self, *extra, bootnodes=True):
        """Starts the node (its keystore and node key already in place)."""
        args = [
            f"{BIN}/cloudana-node", "--chain", self.net.spec, "--base-path", self.base, "--name", self.name,
            "--rpc-port", str(self.rpc_port), "--prometheus-port", str(self.prometheus_port),
            "--node-key-file", self.node_key, "--no-telemetry", "--no-mdns", "--rpc-cors", APP_ORIGINS,
            "--listen-addr", f"/ip4/127.0.0.1/tcp/{self.p2p_port}",
        ]
        if self.validator is not None:
            args.append("--validator")
        if bootnodes:
            for other in self.net.validators:
                if other is not self:
                    args += ["--bootnodes", other.multiaddr()]
        args += list(extra)
        process = self.net.spawn(self.name, args)

        def up():
            if process.poll() is not None:
                raise SystemExit(f"{self.name} exited ({process.returncode}): see {self.base}.log")
            return self.alive()

        wait_until(f"{self.name}'s RPC on port {self.rpc_port}", up, 120, 0.5)

    def stop(self, sig=signal.SIGKILL):
        self.net.kill(self.name, sig)


class Testnet:
    def __init__(self, directory, base_port=9944, chain=None):
        self.dir = os.path.abspath(directory)
        self.base_port = base_port
        self.spec = os.path.join(self.dir, "spec.json")
        # chain-specs/local.json with this build's runtime as its genesis code (the committed
        # file's code may be an older build's: its test compares everything but the code), or a
        # spec given as is.
        self.chain = chain or os.path.join(ROOT, "chain-specs", "local.json")
        self.this_build = chain is None
        self.validators = [Node(self, f"validator-{i}", i, validator=who) for i, who in enumerate(VALIDATORS)]
        self.prover_node = Node(self, "prover-node", 4)
        self.daemon_port = 9955 + (base_port - 9944)
        self.daemon_metrics_port = self.daemon_port + 1
        self.url = f"ws://127.0.0.1:{self.validators[0].rpc_port}"

    # --- processes, each recorded in <name>.pid so that `stop_all` ends only what it started
    def spawn(self, name, args):
        self.kill(name)
        logfile = open(os.path.join(self.dir, f"{name}.log"), "a")
        logfile.write(f"\n----- {time.strftime('%H:%M:%S')} {' '.join(args)}\n")
        logfile.flush()
        process = subprocess.Popen(args, stdout=logfile, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
        with open(os.path.join(self.dir, f"{name}.pid"), "w") as f:
            f.write(str(process.pid))
        return process

    def pid(self, name):
        try:
            with open(os.path.join(self.dir, f"{name}.pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def kill(self, name, sig=signal.SIGKILL):
        """Ends process `name` if it is still the one this network started."""
        pid = self.pid(name)
        if pid is None:
            return
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                ours = self.dir.encode() in f.read()
        except OSError:
            ours = False
        if ours:
            os.kill(pid, sig)
            deadline = time.monotonic() + 30
            while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
                try:
                    if open(f"/proc/{pid}/stat").read().split()[2] == "Z":
                        os.waitpid(pid, os.WNOHANG)
                except (OSError, ChildProcessError):
                    pass
                time.sleep(0.1)
        os.remove(os.path.join(self.dir, f"{name}.pid"))

    def stop_all(self):
        for name in sorted(f[:-4] for f in os.listdir(self.dir) if f.endswith(".pid")):
            self.kill(name, signal.SIGTERM)

    # --- setup
    def init(self, fresh=True, provers=("//Bob",)):
        """Writes the spec, each node's key and keystore (`cloudana-node key insert`); the
        prover node gets a `cprv` key for each of `provers`."""
        if fresh and os.path.exists(self.dir):
            self.stop_all()
            subprocess.run(["rm", "-rf", self.dir], check=True)
        os.makedirs(self.dir, exist_ok=True)
        with open(self.chain) as f:
            spec = json.load(f)
        if self.this_build:
            with open(WASM, "rb") as f:
                spec["genesis"]["runtimeGenesis"]["code"] = "0x" + f.read().hex()
        with open(self.spec, "w") as f:
            json.dump(spec, f)
        for node in self.validators + [self.prover_node]:
            self.make_node_key(node)
        for node in self.validators:
            for scheme, key_type in [("sr25519", "aura"), ("ed25519", "gran")]:
                run(f"{BIN}/cloudana-node", "key", "insert", "--base-path", node.base, "--chain", self.spec,
                    "--scheme", scheme, "--suri", f"//{node.validator}", "--key-type", key_type)
        # The prover node signs its locks and results as Bob (the development prover), or as
        # each of `provers`, taking work in turn.
        for suri in provers:
            run(f"{BIN}/cloudana-node", "key", "insert", "--base-path", self.prover_node.base, "--chain", self.spec,
                "--scheme", "sr25519", "--suri", suri, "--key-type", "cprv")
        with open(os.path.join(self.dir, "ports.json"), "w") as f:
            json.dump({"validators": [n.rpc_port for n in self.validators], "prover_node": self.prover_node.rpc_port,
                       "daemon": self.daemon_port, "daemon_metrics": self.daemon_metrics_port}, f)

    def make_node_key(self, node):
        os.makedirs(node.base, exist_ok=True)
        if not os.path.exists(node.node_key):
            run(f"{BIN}/cloudana-node", "key", "generate-node-key", "--file", node.node_key)

    def late_node(self, name, offset):
        """A node that is not in the genesis set, with its own node key (no keystore)."""
        node = Node(self, name, 5 + offset)
        self.make_node_key(node)
        return node

    def start_daemon(self):
        journal = os.path.join(self.dir, "prover")
        self.spawn("prover-daemon", [
            f"{BIN}/cloudana-prover", "serve", "--listen", f"127.0.0.1:{self.daemon_port}", "--journal", journal,
            "--metrics", f"127.0.0.1:{self.daemon_metrics_port}",
            "--keys", os.environ.get("CLOUDANA_KEYS", os.path.expanduser("~/.cache/cloudana/keys")),
            "--dataset", os.path.join(DATASETS, "iris.csv"),
            "--model", os.path.join(ROOT, "circuits", "models", "iris-mlp.json"),
        ])
        token = os.path.join(journal, "token")
        wait_until("the daemon's token", lambda: os.path.exists(token) and os.path.getsize(token) > 0, 60, 0.2)
        wait_until("the daemon's port", lambda: port_open(self.daemon_port), 180, 0.5)
        return token

    def start_prover_node(self):
        token = os.path.join(self.dir, "prover", "token")
        self.prover_node.start("--offchain-worker", "always", "--prover-endpoint", f"http://127.0.0.1:{self.daemon_port}",
                               "--prover-token-file", token)

    def start(self, prover=True):
        for node in self.validators:
            node.start()
        if prover:
            self.start_daemon()
            self.start_prover_node()
        wait_until("the first finalized block", lambda: self.validators[0].finalized() >= 1, 120)

    # --- the CLI against validator 0 (or `url`)
    def cli(self, *args, url=None):
        env = dict(os.environ, CLOUDANA_URL=url or self.url)
        return run(f"{BIN}/cloudana", *args, env=env)

    def cli_json(self, *args, url=None):
        return json.loads(self.cli("--json", *args, url=url))

    def register_iris_prover(self, provers=("//Bob",)):
        """Alice registers the Iris accuracy circuit; each prover (Bob) registers as its prover
        (500 CLD)."""
        circuit = self.cli_json("vk", "register", "--vk", os.path.join(ROOT, "circuits", "keys", "iris_accuracy.vk.json"),
                                "--suri", "//Alice")["id"]
        for suri in provers:
            self.cli("prover", "register", "--stake", "500", "--circuit", circuit, "--suri", suri)
        return circuit

    def submit_iris_job(self, suri="//Alice", proof_timeout=120, max_price=20, tip="0"):
        return self.cli_json("--tip", tip,
            "job", "submit-accuracy", "--model", os.path.join(ROOT, "circuits", "models", "iris-mlp.json"),
            "--dataset", os.path.join(DATASETS, "iris.csv"), "--min-price", "5", "--max-price", str(max_price),
            "--ramp-blocks", "10", "--lock-timeout", "300", "--proof-timeout", str(proof_timeout), "--collateral", "1",
            "--suri", suri)["job"]

    def job_status(self, job):
        return self.cli_json("job", "status", str(job))["status"]

    @contextlib.contextmanager
    def session(self, keep=False):
        """Runs a test's body on this network: a Failure is printed with the nodes' state and where
        the logs are, and exits with status 1. The network is stopped afterwards unless `keep`,
        whatever ends the body: a failure, an error, Ctrl-C or SIGTERM (the nodes run in sessions
        of their own, so a terminal's Ctrl-C reaches only this script)."""
        def terminate(signum, _frame):
            raise SystemExit(128 + signum)
        previous = signal.signal(signal.SIGTERM, terminate)
        failed = False
        try:
            yield self
        except Failure as error:
            print(f"\nFAILED: {error}\n{self.status_line()}\nlogs: {self.dir}/*.log", file=sys.stderr)
            failed = True
        finally:
            if not keep:
                self.stop_all()
            signal.signal(signal.SIGTERM, previous)
        if failed:
            sys.exit(1)

    # --- checks
    def status_line(self):
        parts = []
        for node in self.validators + [self.prover_node]:
            try:
                parts.append(f"{node.name}: best #{node.best()} final #{node.finalized()} peers {node.peers()}")
            except OSError:
                parts.append(f"{node.name}: down")
        return " | ".join(parts)

    def issuance_conserved(self, node=None):
        """TotalIssuance equals the sum of every account's free and reserved balance, at the
        finalized head of `node`. Returns (issuance, accounts)."""
        node = node or self.validators[0]
        head = node.rpc("chain_getFinalizedHead")
        issuance = le_int(node.rpc("state_getStorage", TOTAL_ISSUANCE, head))
        total, count, start = 0, 0, None
        while True:
            keys = node.rpc("state_getKeysPaged", ACCOUNT_PREFIX, 1000, start, head) if start else \
                node.rpc("state_getKeysPaged", ACCOUNT_PREFIX, 1000, None, head)
            if not keys:
                break
            for value in node.rpc("state_queryStorageAt", keys, head)[0]["changes"]:
                data = bytes.fromhex(value[1][2:])
                # AccountInfo: nonce, consumers, providers, sufficients (u32 each), then
                # AccountData: free, reserved, frozen, flags (u128 each).
                total += int.from_bytes(data[16:32], "little") + int.from_bytes(data[32:48], "little")
                count += 1
            if len(keys) < 1000:
                break
            start = keys[-1]
        if total != issuance:
            raise Failure(f"issuance {issuance} ≠ the accounts' sum {total} at {head}")
        return issuance, count

    def same_finalized_chain(self, nodes=None):
        """Every node has a block at every number up to the least finalized head, and they agree
        on each hash (no gap, no fork below finality). Returns that head's number."""
        nodes = nodes or self.validators
        upto = min(n.finalized() for n in nodes)
        reference = [nodes[0].hash_at(i) for i in range(upto + 1)]
        if any(h is None for h in reference):
            raise Failure(f"{nodes[0].name} has a gap below its finalized block #{upto}")
        for node in nodes[1:]:
            for i in range(upto + 1):
                if node.hash_at(i) != reference[i]:
                    raise Failure(f"{node.name} and {nodes[0].name} differ at finalized block #{i}")
        for i in range(1, upto + 1):
            parent = nodes[0].rpc("chain_getHeader", reference[i])["parentHash"]
            if parent != reference[i - 1]:
                raise Failure(f"block #{i}'s parent is not block #{i - 1}")
        return upto


def le_int(hex_value):
    return int.from_bytes(bytes.fromhex(hex_value[2:]), "little") if hex_value else 0


def port_open(port):
    import socket
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def xxh64(data, seed):
    """xxHash64 (https://github.com/Cyan4973/xxHash, XXH64), for twox128 storage keys."""
    p1, p2, p3, p4, p5 = 11400714785074694791, 14029467366897019727, 1609587929392839161, 9650029242287828579, 2870177450012600261
    mask = (1 << 64) - 1
    rotl = lambda x, r: ((x << r) | (x >> (64 - r))) & mask
    def round_(acc, lane):
        return (rotl((acc + lane * p2) & mask, 31) * p1) & mask
    def merge(acc, v):
        return ((acc ^ round_(0, v)) * p1 + p4) & mask
    n, i = len(data), 0
    if n >= 32:
        v = [(seed + p1 + p2) & mask, (seed + p2) & mask, seed & mask, (seed - p1) & mask]
        while i + 32 <= n:
            for j in range(4):
                v[j] = round_(v[j], int.from_bytes(data[i + 8 * j:i + 8 * j + 8], "little"))
            i += 32
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & mask
        for lane in v:
            h = merge(h, lane)
    else:
        h = (seed + p5) & mask
    h = (h + n) & mask
    while i + 8 <= n:
        h = (rotl(h ^ round_(0, int.from_bytes(data[i:i + 8], "little")), 27) * p1 + p4) & mask
        i += 8
    if i + 4 <= n:
        h = (rotl(h ^ (int.from_bytes(data[i:i + 4], "little") * p1) & mask, 23) * p2 + p3) & mask
        i += 4
    while i < n:
        h = (rotl(h ^ (data[i] * p5) & mask, 11) * p1) & mask
        i += 1
    h ^= h >> 33
    h = (h * p2) & mask
    h ^= h >> 29
    h = (h * p3) & mask
    return h ^ (h >> 32)


def twox128(name):
    data = name.encode()
    return (xxh64(data, 0).to_bytes(8, "little") + xxh64(data, 1).to_bytes(8, "little")).hex()


def storage_key(pallet, item):
    """The key of a FRAME storage value: twox128(pallet) ++ twox128(item), 0x-prefixed."""
    return "0x" + twox128(pallet) + twox128(item)
