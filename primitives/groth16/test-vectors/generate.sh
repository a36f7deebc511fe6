#!/usr/bin/env bash
# Regenerates the snarkjs test vectors for cloudana-groth16 (committed beside this script).
#
# Needs Node.js and npm; fetches circom2 (circom compiled to wasm), snarkjs and circomlib into a
# temporary folder, and a built cloudana-prover (CLOUDANA_PROVER, default the shared target's)
# for the development powers of tau. The phase-1 secrets are public and the zkey contribution
# uses a fixed entropy string: these keys are test vectors, never production keys.
#
# Writes: verification_key.json, proof.json, public.json (a valid proof with 2 public inputs)
# and input.json (the witness inputs used).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund circom2@0.2.23 snarkjs@0.7.6 circomlib@2.0.5 >/dev/null
cp "$here/preimage.circom" .
npx circom2 preimage.circom --r1cs --wasm -l node_modules >/dev/null

# Powers of tau (phase 1: Cloudana's development one, public secrets) and the circuit-specific
# phase 2, with fixed test entropy.
"${CLOUDANA_PROVER:-${CARGO_TARGET_DIR:-$HOME/.cache/cloudana/target}/release/cloudana-prover}" dev-ptau --power 12 --out pot.ptau >/dev/null
npx snarkjs groth16 setup preimage.r1cs pot.ptau key_0.zkey >/dev/null
npx snarkjs zkey contribute key_0.zkey key.zkey --name=test -e="cloudana test vectors phase 2" >/dev/null
npx snarkjs zkey export verificationkey key.zkey verification_key.json >/dev/null

# Poseidon(123456789, 987654321) computed by circomlibjs through the witness generator:
# the hash is read back from the witness, so input.json carries the real value.
node -e '
const { buildPoseidon } = require("circomlibjs");
' 2>/dev/null || npm install --silent --no-audit --no-fund circomlibjs@0.1.7 >/dev/null
node -e '
const { buildPoseidon } = require("circomlibjs");
(async () => {
  const poseidon = await buildPoseidon();
  const hash = poseidon.F.toString(poseidon([123456789n, 987654321n]));
  const input = { secret: "123456789", salt: "987654321", hash, recipient: "1461501637330902918203684832716283019655932542975" };
  require("fs").writeFileSync("input.json", JSON.stringify(input, null, 1));
})();
'
node preimage_js/generate_witness.js preimage_js/preimage.wasm input.json witness.wtns
npx snarkjs groth16 prove key.zkey witness.wtns proof.json public.json >/dev/null
npx snarkjs groth16 verify verification_key.json public.json proof.json
cp verification_key.json proof.json public.json input.json "$here/"
echo "test vectors written to $here"
