"""A runtime upgrade decided by referendum on a running local network (scripts/upgrade.sh).

The network starts from chain-specs/local.json with the previous release's runtime
(runtime/releases/cloudana-runtime-<spec>.compact.compressed.wasm) as its genesis code, as a
network deployed from that release would run. Then:
  1. Bob proves jobs (a job completes on the old runtime);
  2. try-runtime: a validator's state is exported (`cloudana-node export-state`) and this
     build's migrations, post-upgrade checks and every try_state run against it
     (runtime/tests/try_runtime.rs, through scripts/cargo-tooling.sh), beside the referendum;
     the upgrade is applied only once it passed;
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
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from testnet import BIN, ROOT, WASM, Failure, Testnet, check, le_int, log, storage_key, wait_until  # noqa: E402

SLOT = 6
VOTERS = ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie", "//Alice//stash"]


def old_genesis_spec(from_wasm, directory):
    """chain-specs/local.json with `from_wasm` as its genesis code, written beside `directory`;
    returns its path."""
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(ROOT, "chain-specs", "local.json")) as f:
        spec = json.load(f)
    with open(from_wasm, "rb") as f:
        spec["genesis"]["runtimeGenesis"]["code"] = "0x" + f.read().hex()
    path = os.path.join(directory, "..", os.path.basename(os.path.normpath(directory)) + "-genesis.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def run(net, to_wasm, from_name):
    """The upgrade on a started network running the old runtime (steps 1–5 of the module docs):
    registers Bob as the Iris prover; returns the JSON record."""
    started = time.monotonic()
    v0 = net.validators[0]
    before = v0.rpc("state_getRuntimeVersion")["specVersion"]
    log(f"the network runs spec {before} (from {from_name})")
    net.register_iris_prover()
    job = net.submit_iris_job()
    wait_until(f"job {job} on spec {before}", lambda: net.job_status(job) == "completed", 40 * SLOT, 2)
    check(True, f"job {job} completed on spec {before}")
    issuance0, _ = net.issuance_conserved()

    # try-runtime on the live state, before the upgrade: a validator's state exported, then checked
    # while the referendum runs (the upgrade is applied only once it passed).
    victim = net.validators[3]
    victim.stop()
    state = os.path.join(net.dir, "state.json")
    with open(state, "w") as out:
        subprocess.run([f"{BIN}/cloudana-node", "export-state", "--chain", net.spec, "--base-path", victim.base],
                       stdout=out, stderr=subprocess.DEVNULL, check=True)
    victim.start()
    log("try-runtime: this build's migrations and checks on the exported state (scripts/cargo-tooling.sh), "
        "beside the referendum")
    env = dict(os.environ, CLOUDANA_TRY_RUNTIME_STATE=state)
    tried = {}
    trying = threading.Thread(target=lambda: tried.update(result=subprocess.run(
        [os.path.join(ROOT, "scripts", "cargo-tooling.sh"), "--test", "tooling", "--", "try_runtime::", "--ignored", "--nocapture"],
        cwd=ROOT, env=env, capture_output=True, text=True)))
    trying.start()

    # the referendum
    log("referendum on the root track: system.authorize_upgrade(blake2_256(new wasm))")
    referendum = net.cli_json("gov", "propose", "upgrade", "--wasm", to_wasm, "--suri", "//Alice")["referendum"]
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
    wait_until("the upgrade's enactment (System::AuthorizedUpgrade set)",
               lambda: v0.rpc("state_getStorage", storage_key("System", "AuthorizedUpgrade")), 30 * SLOT, 2)
    if trying.is_alive():
        log("waiting for try-runtime (its first run builds the tooling build)")
    trying.join()
    result = tried["result"]
    print("\n".join(line for line in result.stdout.splitlines() if line.startswith(("loaded", "state", "migrations", "✓"))))
    check(result.returncode == 0, "try-runtime passes on the live state" + ("" if result.returncode == 0 else ":\n" + result.stdout[-3000:] + result.stderr[-2000:]))

    log("enacted: the upgrade is authorized; submitting two jobs and applying the upgrade at the same time")
    submitted = []
    threads = [threading.Thread(target=lambda s=s: submitted.append(net.submit_iris_job(s))) for s in ("//Alice", "//Eve")]
    for t in threads:
        t.start()
    time.sleep(3)
    applied = try_apply(net, to_wasm)
    for t in threads:
        t.join()
    jobs = sorted(submitted)
    check(len(jobs) == 2, f"jobs {jobs} submitted around the upgrade")
    after = wait_until("the new runtime", lambda: v0.rpc("state_getRuntimeVersion")["specVersion"] > before and
                       v0.rpc("state_getRuntimeVersion")["specVersion"], 10 * SLOT)
    check(after > before, f"runtime upgraded by referendum: spec {before} → {after} ({applied})")
    # The first block that runs the new code, and the reputation pallet's storage version.
    upgrade_block = v0.best()
    while v0.rpc("state_getRuntimeVersion", v0.hash_at(upgrade_block - 1))["specVersion"] > before:
        upgrade_block -= 1
    upgrade_block += 1  # the block after set_code's is the first the new runtime executes
    version = le_int(v0.rpc("state_getStorage", storage_key("Reputation", ":__STORAGE_VERSION__:")))
    check(version == 1, f"from block #{upgrade_block} the chain executes spec {after}; pallet-reputation's storage version is {version}")
    more = net.submit_iris_job()
    in_flight = 0
    for j in jobs + [more]:
        wait_until(f"job {j} to end", lambda j=j: net.job_status(j) in ("completed", "expired", "void", "cancelled"), 60 * SLOT, 2)
        record = net.cli_json("job", "status", str(j))
        across = record["submitted_at"] < upgrade_block <= record["ended_at"]
        in_flight += across
        check(record["status"] == "completed",
              f"job {j} submitted in #{record['submitted_at']}, completed in #{record['ended_at']}"
              + (" (in flight across the upgrade)" if across else ""))
    check(in_flight >= 1, f"{in_flight} job(s) were in flight across the upgrade block #{upgrade_block}")
    bob = net.cli_json("prover", "reputation", "//Bob")
    check(bob["last_active"] >= upgrade_block > bob["since"] and bob["completed"] >= 1,
          f"Bob's reputation record reads with the migrated layout: {bob['completed']} completed, "
          f"since #{bob['since']}, last active #{bob['last_active']}")
    issuance, accounts = net.issuance_conserved()
    check(True, f"issuance {issuance} = the sum of {accounts} accounts (fees burned since: {issuance0 - issuance})")
    upto = net.same_finalized_chain()
    check(upto > 0, f"all four validators agree on finalized blocks #0..#{upto}")
    return {"spec_before": before, "spec_after": after, "referendum": referendum, "upgrade_block": upgrade_block,
            "jobs_completed": [job] + jobs + [more], "in_flight_across_upgrade": in_flight,
            "finalized": upto, "seconds": round(time.monotonic() - started)}


def main():
    parser = argparse.ArgumentParser(prog="scripts/upgrade.sh", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default=os.path.expanduser("~/.cache/cloudana/upgrade"))
    parser.add_argument("--base-port", type=int, default=39944)
    parser.add_argument("--from-wasm", default=os.path.join(ROOT, "runtime", "releases", "cloudana-runtime-100.compact.compressed.wasm"))
    parser.add_argument("--to-wasm", default=WASM)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    net = Testnet(args.dir, args.base_port, old_genesis_spec(args.from_wasm, args.dir))
    with net.session(args.keep):
        net.init()
        net.start()
        record = run(net, args.to_wasm, os.path.basename(args.from_wasm))
    print(json.dumps(record))


def try_apply(net, wasm):
    try:
        return net.cli("gov", "apply-upgrade", "--wasm", wasm, "--suri", "//Ferdie").strip()
    except Failure as error:
        if "NothingAuthorized" in str(error) or "Unauthorized" in str(error):
            return None  # not enacted yet
        raise


if __name__ == "__main__":
    main()
