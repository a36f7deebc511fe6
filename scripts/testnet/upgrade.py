"""A runtime upgrade decided by referendum on a running local network (scripts/upgrade.sh).

The network starts from chain-specs/local.json with the previous release's runtime
(runtime/releases/cloudana-runtime-<spec>.compact.compressed.wasm) as its genesis code, as a
network deployed from that release would run. Then:
  1. Bob proves jobs (a job completes on the old runtime);
  2. try-runtime: a validator's state is exported (`cloudana-node export-state`) and this
     build's migrations, post-upgrade checks and every try_state run against it
     (runtime/tests/try_runtime.rs);
  3. `system.authorize_upgrade(hash)` by a referendum on the root track (seven accounts vote
     900 000 CLD aye, over half the issuance), confirmed and enacted;
  4. jobs are submitted, and while they are in flight anyone applies the upgrade
     (`system.apply_authorized_upgrade`);
  5. checks: the new spec version, pallet-reputation's storage at version 1 with every record
     migrated, the jobs in flight completed, issuance conserved, all four validators on one
     finalized chain.
Ends with one JSON line.
"""

import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from testnet import BIN, ROOT, TARGET, Failure, Testnet, check, log, wait_until  # noqa: E402

SLOT = 6
VOTERS = ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie", "//Alice//stash"]


def main():
    parser = argparse.ArgumentParser(prog="scripts/upgrade.sh", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default=os.path.expanduser("~/.cache/cloudana/upgrade"))
    parser.add_argument("--base-port", type=int, default=39944)
    parser.add_argument("--from-wasm", default=os.path.join(ROOT, "runtime", "releases", "cloudana-runtime-100.compact.compressed.wasm"))
    parser.add_argument("--to-wasm", default=os.path.join(TARGET, "release", "wbuild", "cloudana-runtime", "cloudana_runtime.compact.compressed.wasm"))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    os.makedirs(args.dir, exist_ok=True)
    with open(os.path.join(ROOT, "chain-specs", "local.json")) as f:
        spec = json.load(f)
    with open(args.from_wasm, "rb") as f:
        spec["genesis"]["runtimeGenesis"]["code"] = "0x" + f.read().hex()
    old_spec = os.path.join(args.dir, "..", "upgrade-genesis.json")
    with open(old_spec, "w") as f:
        json.dump(spec, f)

    net = Testnet(args.dir, args.base_port, old_spec)
    started = time.monotonic()
    try:
        net.init()
        net.start()
        v0 = net.validators[0]
        before = v0.rpc("state_getRuntimeVersion")["specVersion"]
        log(f"the network runs spec {before} (from {os.path.basename(args.from_wasm)})")
        net.register_iris_prover()
        job = net.submit_iris_job()
        wait_until(f"job {job} on spec {before}", lambda: net.job_status(job) == "completed", 40 * SLOT, 2)
        check(True, f"job {job} completed on spec {before}")
        issuance0, _ = net.issuance_conserved()

        # try-runtime on the live state, before the upgrade
        victim = net.validators[3]
        victim.stop()
        state = os.path.join(net.dir, "state.json")
        with open(state, "w") as out:
            subprocess.run([f"{BIN}/cloudana-node", "export-state", "--chain", net.spec, "--base-path", victim.base],
                           stdout=out, stderr=subprocess.DEVNULL, check=True)
        victim.start()
        log("try-runtime: this build's migrations and checks on the exported state (cargo test --features try-runtime)")
        env = dict(os.environ, SKIP_WASM_BUILD="1", CLOUDANA_TRY_RUNTIME_STATE=state)
        tried = subprocess.run(["cargo", "test", "--release", "--locked", "-p", "cloudana-runtime", "--features", "try-runtime",
                                "--test", "try_runtime", "--", "--ignored", "--nocapture"], cwd=ROOT, env=env,
                               capture_output=True, text=True)
        print("\n".join(l for l in tried.stdout.splitlines() if l.startswith(("loaded", "state", "migrations", "✓"))))
        check(tried.returncode == 0, "try-runtime passes on the live state" + ("" if tried.returncode == 0 else ":\n" + tried.stdout[-3000:] + tried.stderr[-2000:]))

        # the referendum
        log("referendum on the root track: system.authorize_upgrade(blake2_256(new wasm))")
        referendum = net.cli_json("gov", "propose", "upgrade", "--wasm", args.to_wasm, "--suri", "//Alice")["referendum"]
        for voter in VOTERS:
            net.cli("gov", "vote", str(referendum), "aye", "--balance", "900000", "--conviction", "1", "--suri", voter)
        log(f"referendum {referendum}: seven votes aye; waiting for its confirmation and enactment")

        def enacted():
            for r in net.cli_json("gov", "list"):
                if r.get("index") == referendum or r.get("referendum") == referendum:
                    return r.get("phase", "").startswith(("approved", "Approved"))
            return False

        wait_until(f"referendum {referendum} approved", enacted, 60 * SLOT, 3)
        check(True, f"referendum {referendum} approved")
        jobs = [net.submit_iris_job() for _ in range(2)]
        log(f"jobs {jobs} in flight; applying the upgrade once enacted (enactment: 10 blocks after approval)")
        applied = wait_until("the authorized upgrade to apply",
                             lambda: try_apply(net, args.to_wasm), 30 * SLOT, 6)
        after = wait_until("the new runtime", lambda: v0.rpc("state_getRuntimeVersion")["specVersion"] > before and
                           v0.rpc("state_getRuntimeVersion")["specVersion"], 10 * SLOT)
        check(after > before, f"runtime upgraded by referendum: spec {before} → {after} ({applied})")
        more = net.submit_iris_job()
        for j in jobs + [more]:
            status = wait_until(f"job {j} to end", lambda j=j: net.job_status(j) in ("completed", "expired", "void") and net.job_status(j), 60 * SLOT, 2)
            check(status == "completed", f"job {j} (in flight across the upgrade, or after it) completed")
        version = net.cli_json("prover", "reputation", "//Bob")
        check(version.get("record", version).get("last_active") is not None, "Bob's reputation record has the migrated field last_active")
        issuance, accounts = net.issuance_conserved()
        check(True, f"issuance {issuance} = the sum of {accounts} accounts (fees burned since: {issuance0 - issuance})")
        upto = net.same_finalized_chain()
        check(upto > 0, f"all four validators agree on finalized blocks #0..#{upto}")
    except Failure as error:
        print(f"\nFAILED: {error}\n{net.status_line()}\nlogs: {net.dir}/*.log", file=sys.stderr)
        if not args.keep:
            net.stop_all()
        sys.exit(1)
    if not args.keep:
        net.stop_all()
    print(json.dumps({"spec_before": before, "spec_after": after, "referendum": referendum, "jobs_completed": [job] + jobs + [more],
                      "finalized": upto, "seconds": round(time.monotonic() - started)}))


def try_apply(net, wasm):
    try:
        return net.cli("gov", "apply-upgrade", "--wasm", wasm, "--suri", "//Eve").strip()
    except Failure as error:
        if "NothingAuthorized" in str(error) or "Unauthorized" in str(error):
            return None  # not enacted yet
        raise


if __name__ == "__main__":
    main()
