"""The network tests of scripts/test.sh (stage 13) on ONE local network: the runtime upgrade by
referendum (scripts/upgrade.sh), then every fault test (scripts/faults.sh) on the upgraded
network, so that both run on a single start of four validators, a prover node and its daemon.

  1. the network starts from chain-specs/local.json with the previous release's runtime
     (runtime/releases/cloudana-runtime-100.compact.compressed.wasm) as its genesis code;
  2. upgrade.run: a job on spec 100, try-runtime on the exported state (beside the referendum),
     the referendum, the upgrade applied with jobs in flight, the checks;
  3. faults.run: validators killed, the daemon killed mid-proof, the prover node killed after a
     lock, late joiners (full and warp sync), a partition, on this build's runtime.

Ends with one JSON line: {"upgrade": {...}, "faults": {...}, "seconds": ...}.

    python3 scripts/testnet/network_tests.py [--dir DIR] [--base-port 19944] [--keep]
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import faults  # noqa: E402
import upgrade  # noqa: E402
from testnet import BIN, ROOT, WASM, Testnet, check_rpc_cors, log  # noqa: E402


def main():
    parser = argparse.ArgumentParser(prog="scripts/testnet/network_tests.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default=os.path.expanduser("~/.cache/cloudana/network-tests"))
    parser.add_argument("--base-port", type=int, default=19944)
    parser.add_argument("--keep", action="store_true", help="leave the network running at the end")
    args = parser.parse_args()
    for binary in ("cloudana-node", "cloudana-prover", "cloudana"):
        if not os.access(os.path.join(BIN, binary), os.X_OK):
            sys.exit(f"{binary} is not built: run scripts/testnet.sh once, or scripts/test.sh")

    old = os.path.join(ROOT, "runtime", "releases", "cloudana-runtime-100.compact.compressed.wasm")
    started = time.monotonic()
    net = Testnet(args.dir, args.base_port, upgrade.old_genesis_spec(old, args.dir))
    with net.session(args.keep):
        log(f"starting the network in {net.dir} (validators' RPC {args.base_port}–{args.base_port + 3})")
        net.init()
        net.start()
        check_rpc_cors(net.validators[0])
        upgraded = upgrade.run(net, WASM, os.path.basename(old))
        log("the fault tests, on the upgraded network")
        faulted = faults.run(net, list(faults.SCENARIOS))
    print(json.dumps({"upgrade": upgraded, "faults": faulted, "seconds": round(time.monotonic() - started)}))


if __name__ == "__main__":
    main()
