#!/usr/bin/env bash
# Checks that builds from several checkouts of this repository can share one target directory
# (~/.cache/cloudana/target) without one checkout running another's build:
#   1. cargo itself: two checkouts of a one-file crate with this repository's
#      .cargo/config.toml, the second one's files OLDER than the first one's build, sharing a
#      target directory: each build runs its own checkout's code (without the checkout variable,
#      cargo would reuse the first build: file times say "fresh");
#   2. the wiring: every workspace crate with code depends on cloudana-groth16 or
#      cloudana-wormhole, the crates that read CLOUDANA_CHECKOUT, so all of them are rebuilt.
# Seconds; no network.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WORK="$(mktemp -d -t cloudana-checkouts.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
for name in a b; do
	mkdir -p "$WORK/$name/src" "$WORK/$name/.cargo"
	cp "$ROOT/.cargo/config.toml" "$WORK/$name/.cargo/config.toml"
	printf '[package]\nname = "checkout"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n' >"$WORK/$name/Cargo.toml"
	printf 'const _: Option<&str> = option_env!("CLOUDANA_CHECKOUT");\nfn main() { println!("%s"); }\n' "$name" >"$WORK/$name/src/main.rs"
done
touch -d '2020-01-01' "$WORK"/b/src/main.rs "$WORK"/b/Cargo.toml "$WORK"/b/.cargo/config.toml
run() { (cd "$WORK/$1" && CARGO_TARGET_DIR="$WORK/target" cargo build --quiet --offline && "$WORK/target/debug/checkout"); }
got="$(run a) $(run b) $(run a)"
[ "$got" = "a b a" ] || die "a shared target ran another checkout's build: checkouts a, b, a printed '$got'"
log "cargo rebuilds when the checkout changes (a, b, a printed: $got)"

cargo metadata --locked --format-version 1 --manifest-path "$ROOT/Cargo.toml" | python3 -c '
import json, sys
meta = json.load(sys.stdin)
members = {p["id"]: p for p in meta["packages"] if p["id"] in meta["workspace_members"]}
deps = {n["id"]: [d["pkg"] for d in n["deps"] if any(k["kind"] is None for k in d["dep_kinds"])] for n in meta["resolve"]["nodes"]}
name = lambda i: members[i]["name"] if i in members else i
roots = {"cloudana-groth16", "cloudana-wormhole"}
def reaches(i, seen=None):
    seen = seen or set()
    if name(i) in roots:
        return True
    seen.add(i)
    return any(reaches(d, seen) for d in deps.get(i, []) if d not in seen)
# tools/wasm-opt is a build tool of the wasm builder: it reads no checkout data.
missing = [name(i) for i in members if name(i) != "wasm-opt" and not reaches(i)]
if missing:
    sys.exit("these workspace crates do not depend on cloudana-groth16 or cloudana-wormhole: " + ", ".join(missing))
print(f"all {len(members) - 1} workspace crates with checkout data depend on a crate that reads CLOUDANA_CHECKOUT")
'
