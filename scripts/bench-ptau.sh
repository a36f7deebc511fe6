#!/usr/bin/env bash
# The development powers of tau: `cloudana-prover dev-ptau` (Rust, all cores) against snarkjs
# (`powersoftau new`, one `contribute`, `prepare phase2`: what scripts made before), side by
# side for each power, one line each, ending with `dev-ptau/snarkjs: <ratio>` at the largest
# power. snarkjs's `prepare phase2` is single-threaded JavaScript: 2^16 takes most of an hour on
# this machine, hence the small default powers.
#
#   scripts/bench-ptau.sh [POWER ...]      (default: 8 10 12)

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case "${1:-}" in
	-h | --help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
POWERS=("$@")
[ ${#POWERS[@]} -gt 0 ] || POWERS=(8 10 12)
ensure_prerequisites
ensure_built
ensure_circom
WORK="$(mktemp -d -t cloudana-bench-ptau.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || die "$* failed"; end=$(date +%s.%N); python3 -c "print(f'{$end - $start:.2f}')"; }
printf '%-6s %12s %12s %8s\n' power dev-ptau_s snarkjs_s ratio
for p in "${POWERS[@]}"; do
	ours="$(seconds "$BIN/cloudana-prover" dev-ptau --power "$p" --out "$WORK/ours.ptau")"
	theirs="$(seconds bash -c "source '$ROOT/scripts/lib.sh'; ensure_circom
		snarkjs powersoftau new bn128 $p '$WORK/0.ptau' && snarkjs powersoftau contribute '$WORK/0.ptau' '$WORK/1.ptau' --name=bench -e=bench \
		&& snarkjs powersoftau prepare phase2 '$WORK/1.ptau' '$WORK/theirs.ptau'")"
	ratio="$(python3 -c "print(f'{$ours / $theirs:.4f}')")"
	printf '%-6s %12s %12s %8s\n' "2^$p" "$ours" "$theirs" "$ratio"
	rm -f "$WORK"/*.ptau
done
echo "dev-ptau/snarkjs: $ratio"
