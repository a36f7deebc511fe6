pragma circom 2.1.0;

// Test-vector circuit for cloudana-groth16: knowledge of a Poseidon preimage, bound to a
// recipient. Nothing in Cloudana is built from this circuit; its proofs test that the verifier
// accepts what snarkjs produces for circuits it has never seen.

include "circomlib/circuits/poseidon.circom";

template Preimage() {
    signal input secret;      // private
    signal input salt;        // private
    signal input hash;        // public
    signal input recipient;   // public

    component h = Poseidon(2);
    h.inputs[0] <== secret;
    h.inputs[1] <== salt;
    hash === h.out;

    // Bind the recipient so its IC point is not the identity (Tornado's trick).
    signal recipientSquare;
    recipientSquare <== recipient * recipient;
}

component main {public [hash, recipient]} = Preimage();
