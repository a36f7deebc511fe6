pragma circom 2.0.0;

// matrix_mult: C = A·B for 4×4 matrices, with A and B committed and C public.
//
// Public signals (snarkjs's public.json, and the job's statement): c[0][0] … c[3][3] (16
// outputs, row by row), binding, commitment. Private: a and b.
//
// commitment = Poseidon8(Poseidon4(a[0]), …, Poseidon4(a[3]), Poseidon4(b[0]), …,
// Poseidon4(b[3])): circomlib's Poseidon (its constants, as light-poseidon's `new_circom`), each
// row hashed, then the eight row hashes. The requester puts it on chain; the prover's input file
// must open it.

include "circomlib/circuits/poseidon.circom";
include "templates/matmul.circom";

template MatrixMult(n) {
    signal input binding;
    signal input commitment;
    signal input a[n][n];
    signal input b[n][n];
    signal output c[n][n];

    component product = MatMul(n);
    product.binding <== binding;
    product.a <== a;
    product.b <== b;
    c <== product.c;

    component rows[2 * n];
    component all = Poseidon(2 * n);
    for (var i = 0; i < n; i++) {
        rows[i] = Poseidon(n);
        rows[n + i] = Poseidon(n);
        rows[i].inputs <== a[i];
        rows[n + i].inputs <== b[i];
        all.inputs[i] <== rows[i].out;
        all.inputs[n + i] <== rows[n + i].out;
    }
    all.out === commitment;
}

component main {public [binding, commitment]} = MatrixMult(4);
