#!/usr/bin/env bash
# Regenerates the circom test fixtures in circuits/tests/fixtures/circom/ with the real toolchain
# (circom2, snarkjs): for `sum` (SumSq(20), no binding: the witness and proof tests of
# cloudana-circuits) and `product` (c = a·b with the binding rule: the daemon's tests), the
# compiled .wasm, a development .zkey (a 2^8 development powers of tau from `cloudana-prover
# dev-ptau`; not a ceremony) and its
# verification key; for `sum`, snarkjs's witness (.wtns) and public signals; for `product`, a
# second .zkey of the same circuit from another contribution (a key that does not match).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_circom
ensure_built
F="$ROOT/circuits/tests/fixtures/circom"
WORK="$(mktemp -d -t cloudana-fixtures.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
"$BIN/cloudana-prover" dev-ptau --power 8 --out "$WORK/pot8.ptau" >/dev/null
for name in sum product; do
	circom_setup "$F/$name.circom" "$WORK/$name" "$WORK/pot8.ptau"
	cp "$WORK/$name/${name}_js/$name.wasm" "$WORK/$name/$name.zkey" "$F/"
	cp "$WORK/$name/$name.vk.json" "$F/$name.vk.json"
done
snarkjs wtns calculate "$F/sum.wasm" "$F/sum.input.json" "$F/sum.wtns" >/dev/null
snarkjs groth16 prove "$F/sum.zkey" "$F/sum.wtns" "$WORK/proof.json" "$F/sum.public.json" >/dev/null
snarkjs groth16 setup "$WORK/product/product.r1cs" "$WORK/pot8.ptau" "$WORK/p0.zkey" >/dev/null
snarkjs zkey contribute "$WORK/p0.zkey" "$F/product_other.zkey" --name=other -e="other $RANDOM" >/dev/null
log "fixtures written to $F"
