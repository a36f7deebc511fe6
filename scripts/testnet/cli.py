"""scripts/testnet.sh's body: start, watch and stop a local network (testnet.py)."""

import argparse
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from testnet import Failure, Testnet, log  # noqa: E402

parser = argparse.ArgumentParser(prog="scripts/testnet.sh", description=__doc__)
parser.add_argument("--dir", default=os.path.expanduser("~/.cache/cloudana/testnet"), help="the network's folder")
parser.add_argument("--base-port", type=int, default=9944, help="validators' RPC ports BASE..BASE+3, the prover node's BASE+4")
parser.add_argument("--chain", help="chain spec (default chain-specs/local.json)")
parser.add_argument("--no-prover", action="store_true", help="validators only: no daemon, no prover node")
parser.add_argument("--no-register", action="store_true", help="do not register the Iris circuit and Bob as its prover")
parser.add_argument("--detach", action="store_true", help="leave the network running and exit (stop it with --stop)")
parser.add_argument("--stop", action="store_true", help="stop the network started in --dir (only its processes)")
args = parser.parse_args()

net = Testnet(args.dir, args.base_port, args.chain)
if args.stop:
    if not os.path.isdir(net.dir):
        sys.exit(f"no network in {net.dir}")
    net.stop_all()
    log(f"stopped the network in {net.dir}")
    sys.exit(0)

try:
    log(f"writing the chain spec and the validators' keys into {net.dir} (cloudana-node key insert)")
    net.init()
    log("starting validators Alice, Bob, Charlie, Dave" + ("" if args.no_prover else ", the prover daemon and the prover node"))
    net.start(prover=not args.no_prover)
    if not args.no_prover and not args.no_register:
        log("registering the Iris accuracy circuit (Alice) and Bob as its prover (500 CLD)")
        net.register_iris_prover()
except (Failure, KeyboardInterrupt) as error:
    net.stop_all()
    sys.exit(f"error: {error} (logs in {net.dir})")

print(f"bootnode: {net.validators[0].multiaddr()}")
for node in net.validators + ([] if args.no_prover else [net.prover_node]):
    print(f"{node.name}: ws://127.0.0.1:{node.rpc_port}  prometheus http://127.0.0.1:{node.prometheus_port}/metrics  log {node.base}.log")
if not args.no_prover:
    print(f"prover daemon: http://127.0.0.1:{net.daemon_port}  metrics http://127.0.0.1:{net.daemon_metrics_port}/metrics")
if args.detach:
    log(f"running; stop with: scripts/testnet.sh --stop --dir {net.dir}")
    sys.exit(0)

stopping = False


def stop(*_):
    global stopping
    stopping = True


signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
log("Ctrl-C stops the network")
while not stopping:
    print(time.strftime("%H:%M:%S"), net.status_line(), flush=True)
    for _ in range(60):
        if stopping:
            break
        time.sleep(0.1)
net.stop_all()
log("stopped")
