pragma circom 2.0.0;

// Cloudana's binding rule for circom circuits (circuits/circom/README.md): the circuit's first
// public input is a signal named `binding`, which the prover sets to the job's binding
// H(genesis ‖ job ‖ prover). The circuit must constrain it, so that its verifying-key point IC
// is not the identity and a proof for one binding is no proof for another; squaring it into an
// unused signal is enough. (snarkjs's setup also adds a row `binding · 0 = 0` per public input,
// so its keys never have an identity IC point; keys made by other setups may.)
template Binding() {
    signal input binding;
    signal squared;
    squared <== binding * binding;
}
