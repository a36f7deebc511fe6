pragma circom 2.0.0;

// hash_check: "I know 64 bytes whose SHA-256 is this digest" (FIPS 180-4 SHA-256, circomlib's
// Sha256 over the message's 512 bits, most significant bit of each byte first).
//
// Public signals (snarkjs's public.json, and the job's statement): binding, digest[0] (the
// digest's first 16 bytes, big-endian), digest[1] (its last 16 bytes). No outputs. Private: the
// 64 message bytes, each constrained to 8 bits.

include "circomlib/circuits/sha256/sha256.circom";
include "circomlib/circuits/bitify.circom";
include "templates/binding.circom";

template HashCheck() {
    signal input binding;
    signal input digest[2];
    signal input message[64];

    component bound = Binding();
    bound.binding <== binding;

    component sha = Sha256(512);
    component bytes[64];
    for (var i = 0; i < 64; i++) {
        bytes[i] = Num2Bits(8);
        bytes[i].in <== message[i];
        for (var j = 0; j < 8; j++) {
            sha.in[8 * i + j] <== bytes[i].out[7 - j];
        }
    }
    component half[2];
    for (var h = 0; h < 2; h++) {
        half[h] = Bits2Num(128);
        for (var j = 0; j < 128; j++) {
            half[h].in[j] <== sha.out[128 * h + 127 - j];
        }
        half[h].out === digest[h];
    }
}

component main {public [binding, digest]} = HashCheck();
