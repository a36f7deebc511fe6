#!/usr/bin/env python3
"""Train the Iris MLP that Cloudana's accuracy circuit evaluates, and write it as a model file.

Usage:  python3 scripts/train-iris.py [--dataset data/iris.csv]
                                      [--out circuits/models/iris-mlp.json]

Needs scikit-learn (`pip install scikit-learn`). The committed model file was made by this
script; nothing else in Cloudana trains models, and the demo and tests only read the file.

The split (documented in circuits/src/iris.rs and README.md): data rows are numbered from 0 in
file order; rows with index % 5 == 4 are the 30-sample holdout (10 per class), the other 120
rows train the model. Features are used raw (centimetres), without standardization, because
the circuit takes raw fixed-point features.

The model is a 4-8-3 multilayer perceptron with ReLU, trained by scikit-learn's
MLPClassifier (L-BFGS). Its weights are written twice: as floats, for reference, and as the
fixed-point integers the circuit and `cloudana-circuits` evaluate:

    w1_q = round(W1 * 2^8)     (hidden x input)      |w1_q| < 2^15
    b1_q = round(b1 * 2^16)                          |b1_q| < 2^31
    w2_q = round(W2 * 2^8)     (output x hidden)     |w2_q| < 2^15
    b2_q = round(b2 * 2^24)                          |b2_q| < 2^47

with features quantized as x_q = round(x * 2^8). Layer 1 then sums at scale 2^16 and layer 2
at scale 2^24, with no rescaling, so the integer evaluation is exact.
"""

import argparse
import csv
import json
import os
import sys

import numpy as np
from sklearn.neural_network import MLPClassifier

SCALE_BITS = 8
BOUNDS = {"w1": 1 << 15, "b1": 1 << 31, "w2": 1 << 15, "b2": 1 << 47}


def load(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    header, data = rows[0], rows[1:]
    x = np.array([[float(v) for v in r[:4]] for r in data])
    y = np.array([int(r[4]) for r in data])
    return header, x, y


def quantize(values, scale_bits, bound, name):
    q = [int(round(v * (1 << scale_bits))) for v in np.ravel(values)]
    worst = max(abs(v) for v in q)
    if worst >= bound:
        sys.exit(f"{name}: quantized weight {worst} exceeds the circuit bound {bound}")
    return np.array(q).reshape(np.shape(values)).tolist()


def fixed_predict(model, x_q):
    h = [max(sum(w * xi for w, xi in zip(row, x_q)) + b, 0) for row, b in zip(model["w1"], model["b1"])]
    z = [sum(w * hj for w, hj in zip(row, h)) + b for row, b in zip(model["w2"], model["b2"])]
    return z.index(max(z))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", default=os.path.join(root, "data", "iris.csv"))
    parser.add_argument("--out", default=os.path.join(root, "circuits", "models", "iris-mlp.json"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    _, x, y = load(args.dataset)
    holdout = np.arange(len(y)) % 5 == 4
    clf = MLPClassifier(hidden_layer_sizes=(8,), activation="relu", solver="lbfgs",
                        alpha=1e-3, max_iter=5000, random_state=args.seed)
    clf.fit(x[~holdout], y[~holdout])
    float_acc = clf.score(x[holdout], y[holdout])

    w1, w2 = clf.coefs_[0].T, clf.coefs_[1].T  # to (hidden x input), (output x hidden)
    b1, b2 = clf.intercepts_
    model = {
        "w1": quantize(w1, SCALE_BITS, BOUNDS["w1"], "w1"),
        "b1": quantize(b1, 2 * SCALE_BITS, BOUNDS["b1"], "b1"),
        "w2": quantize(w2, SCALE_BITS, BOUNDS["w2"], "w2"),
        "b2": quantize(b2, 3 * SCALE_BITS, BOUNDS["b2"], "b2"),
    }
    x_q = [[int(round(v * (1 << SCALE_BITS))) for v in row] for row in x[holdout]]
    fixed_correct = sum(fixed_predict(model, xi) == yi for xi, yi in zip(x_q, y[holdout]))

    out = {
        "format": "cloudana-mlp-v1",
        "description": "Iris 4-8-3 ReLU MLP trained by scripts/train-iris.py (scikit-learn MLPClassifier, L-BFGS)",
        "layers": [4, 8, 3],
        "scale_bits": SCALE_BITS,
        "split": "holdout = data rows with index % 5 == 4 (30 rows); training = the other 120",
        "holdout_accuracy_float": round(float(float_acc), 6),
        "holdout_correct_fixed_point": int(fixed_correct),
        "float": {"w1": w1.tolist(), "b1": b1.tolist(), "w2": w2.tolist(), "b2": b2.tolist()},
        **model,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"holdout accuracy: float {float_acc:.4f}, fixed-point {fixed_correct}/30 -> {args.out}")


if __name__ == "__main__":
    main()
