"""Load on a local network (scripts/load.sh): N requesters submit Iris accuracy jobs back to back
for a fixed time while M prover keys on the prover node (its off-chain worker takes work in
turn over its keys, one daemon proves) lock and prove them; then prints what happened, as a
table and a JSON line. A benchmark, not a test: the numbers depend on the machine."""

import argparse
import json
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from testnet import Failure, Testnet, log, wait_until  # noqa: E402

REQUESTERS = ["//Alice", "//Eve", "//Ferdie", "//Alice//stash", "//Bob//stash", "//Charlie//stash", "//Dave//stash",
              "//Eve//stash", "//Ferdie//stash"]
PROVERS = ["//Bob", "//Charlie", "//Dave"]
# twox128("Timestamp") ++ twox128("Now"); twox128("System") ++ twox128("BlockWeight")
TIMESTAMP_NOW = "0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb"
BLOCK_WEIGHT = "0x26aa394eea5630e07c48ae0c9558cef734abf5cb34d6244378cddbf18e849d96"
# The runtime's normal-class share of a block: 75% of 2 s of reference time.
NORMAL_REF_TIME = 0.75 * 2 * 10**12


def compact(data, offset):
    """SCALE compact integer at `offset`: (value, next offset)."""
    mode = data[offset] & 3
    if mode == 0:
        return data[offset] >> 2, offset + 1
    if mode == 1:
        return int.from_bytes(data[offset:offset + 2], "little") >> 2, offset + 2
    if mode == 2:
        return int.from_bytes(data[offset:offset + 4], "little") >> 2, offset + 4
    n = (data[offset] >> 2) + 4
    return int.from_bytes(data[offset + 1:offset + 1 + n], "little"), offset + 1 + n


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(prog="scripts/load.sh", description=__doc__)
    parser.add_argument("--requesters", type=int, default=4, help=f"1–{len(REQUESTERS)}")
    parser.add_argument("--provers", type=int, default=2, help=f"prover keys on the prover node, 1–{len(PROVERS)}")
    parser.add_argument("--duration", type=int, default=180, help="seconds of submissions")
    parser.add_argument("--drain", type=int, default=180, help="most seconds to wait for the last jobs to end")
    parser.add_argument("--dir", default=os.path.expanduser("~/.cache/cloudana/load"))
    parser.add_argument("--base-port", type=int, default=19944)
    args = parser.parse_args()
    if not 1 <= args.requesters <= len(REQUESTERS) or not 1 <= args.provers <= len(PROVERS):
        sys.exit("--requesters 1–9, --provers 1–3")
    requesters, provers = REQUESTERS[:args.requesters], PROVERS[:args.provers]

    net = Testnet(args.dir, args.base_port)
    with net.session():
        net.init(provers=provers)
        net.start()
        net.register_iris_prover(provers)
        v0 = net.validators[0]
        log(f"{len(requesters)} requesters, {len(provers)} prover keys, {args.duration} s")
        first_block = v0.best()
        deadline = time.monotonic() + args.duration
        jobs, errors, lags = [], [], []
        lock = threading.Lock()

        def requester(suri):
            while time.monotonic() < deadline:
                try:
                    # Below 10 CLD: what a new (Bronze) prover may take.
                    job = net.submit_iris_job(suri, max_price=9)
                    with lock:
                        jobs.append(job)
                except Failure as error:
                    with lock:
                        errors.append(str(error)[-200:])
                    time.sleep(2)

        threads = [threading.Thread(target=requester, args=(s,)) for s in requesters]
        for t in threads:
            t.start()
        while time.monotonic() < deadline:
            lags.append(v0.best() - v0.finalized())
            time.sleep(2)
        for t in threads:
            t.join()
        submitted_until = v0.best()
        log(f"{len(jobs)} jobs submitted; waiting up to {args.drain} s for them to end")
        ended = {}

        def all_ended():
            for job in jobs:
                if job not in ended:
                    record = net.cli_json("job", "status", str(job))
                    if record["status"] in ("completed", "expired", "void", "cancelled"):
                        ended[job] = record
            return len(ended) == len(jobs)

        try:
            wait_until("every job to end", all_ended, args.drain, 3)
        except Failure:
            pass
        last_block = v0.best()

        def timestamp(number):
            value = v0.rpc("state_getStorage", TIMESTAMP_NOW, v0.hash_at(number))
            return int.from_bytes(bytes.fromhex(value[2:]), "little") / 1000

        completed = [r for r in ended.values() if r["status"] == "completed"]
        blocks = [r["ended_at"] - r["submitted_at"] for r in completed]
        seconds = [timestamp(r["ended_at"]) - timestamp(r["submitted_at"]) for r in completed]
        fullness, extrinsics = [], []
        for number in range(first_block + 1, last_block + 1):
            at = v0.hash_at(number)
            data = bytes.fromhex(v0.rpc("state_getStorage", BLOCK_WEIGHT, at)[2:])
            normal, _ = compact(data, 0)
            fullness.append(100 * normal / NORMAL_REF_TIME)
            extrinsics.append(len(v0.rpc("chain_getBlock", at)["block"]["extrinsics"]))
        duration_blocks = max(1, submitted_until - first_block)
        result = {
            "requesters": len(requesters), "provers": len(provers), "duration_s": args.duration,
            "submitted": len(jobs), "completed": len(completed),
            "failed": sum(1 for r in ended.values() if r["status"] != "completed"),
            "unfinished": len(jobs) - len(ended), "submit_errors": len(errors),
            "latency_blocks_p50": percentile(blocks, 50), "latency_blocks_p95": percentile(blocks, 95),
            "latency_s_p50": round(percentile(seconds, 50) or 0, 1), "latency_s_p95": round(percentile(seconds, 95) or 0, 1),
            "jobs_per_minute": round(len(completed) / (duration_blocks * 6 / 60), 1),
            "block_fullness_pct_mean": round(statistics.mean(fullness), 2) if fullness else None,
            "block_fullness_pct_max": round(max(fullness), 2) if fullness else None,
            "extrinsics_per_block_max": max(extrinsics) if extrinsics else None,
            "finality_lag_blocks_mean": round(statistics.mean(lags), 2) if lags else None,
            "finality_lag_blocks_max": max(lags) if lags else None,
        }
    print()
    for key, value in result.items():
        print(f"  {key:28} {value}")
    if errors:
        print(f"  first submission error: {errors[0]}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
