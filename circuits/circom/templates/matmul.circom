pragma circom 2.0.0;

include "binding.circom";

// C = A·B for n×n matrices over the BN254 scalar field: n³ multiplications. A and B are private,
// C is the output.
template MatMul(n) {
    signal input binding;
    signal input a[n][n];
    signal input b[n][n];
    signal output c[n][n];

    component bound = Binding();
    bound.binding <== binding;

    signal product[n][n][n];
    for (var i = 0; i < n; i++) {
        for (var j = 0; j < n; j++) {
            var sum = 0;
            for (var k = 0; k < n; k++) {
                product[i][j][k] <== a[i][k] * b[k][j];
                sum += product[i][j][k];
            }
            c[i][j] <== sum;
        }
    }
}
