"""Regression rows for two CPU read-pass bugs, with closed-form expectations.

1. Masked rows came back NaN: along the last dim, rows of 128 or more
   elements where some vector lanes saw only -inf (every other element
   masked, all but one masked, a masked prefix) gave NaN everywhere, because
   the lagging reference of those lanes moved to -inf.
2. The lagging reference missed a move when r + 64 rounded up (f32 near
   2^30): exp(x - r) was taken at 128, past the range of its 2^n, and the
   row came out wrong by about 87.

  regressions.py NN_RUN WORK

Runs each row through nn-run at 1 and 2 threads and prints one PASS/FAIL
line per case; exits 1 on any failure.
"""

import math
import os
import subprocess
import sys

import numpy as np

TOL = {"f32": 1e-5, "f64": 1e-12, "f16": 2e-3, "bf16": 2e-2}
NPY = {"f32": "<f4", "f64": "<f8", "f16": "<f2", "bf16": "<f4"}
inf = math.inf


def rows():
    """(name, values, expected) with expected from the closed form."""
    alt = [0.0 if j % 2 == 0 else -inf for j in range(200)]
    yield "alternate-mask 1x200", alt, [-math.log(100) if v == 0 else -inf for v in alt]
    one = [-inf] * 300
    one[257] = 3.5
    yield "single-finite 1x300", one, [0.0 if v == 3.5 else -inf for v in one]
    prefix = [-inf] * 290 + [5.0] * 10
    yield "masked-prefix 1x300", prefix, [-math.log(10) if v == 5 else -inf for v in prefix]
    # x - m is 0 or -128; the sum is 128 (1 + e^-128).
    lse = math.log(128) + math.log1p(math.exp(-128))
    for name, r in (("f32", 2.0 ** 30 + 128), ("f64", 2.0 ** 59 + 128)):
        row = [r] * 128 + [r + 128] * 128
        yield "ulp-above-slack-%s 1x256" % name, row, [-128 - lse] * 128 + [-lse] * 128


def main():
    nn_run, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    failed = 0
    for name, values, want in rows():
        for dtype, out in (("f32", "f32"), ("f64", "f64"), ("f16", "f16"),
                           ("bf16", "bf16"), ("f16", "f32")):
            if name.startswith("ulp-above-slack") and ("-%s " % dtype not in name or out != dtype):
                continue
            n = len(values)
            mlir = os.path.join(work, "row.mlir")
            with open(mlir, "w") as f:
                f.write("func.func @main(%%x: tensor<1x%dx%s>) -> tensor<1x%dx%s> {\n"
                        "  %%y = \"nn.logsoftmax\"(%%x) <{dim = -1 : i64}> : "
                        "(tensor<1x%dx%s>) -> tensor<1x%dx%s>\n"
                        "  return %%y : tensor<1x%dx%s>\n}\n"
                        % (n, dtype, n, out, n, dtype, n, out, n, out))
            np.save(os.path.join(work, "x.npy"), np.array([values], dtype=NPY[dtype]))
            for threads in ("1", "2"):
                y_path = os.path.join(work, "y.npy")
                if os.path.exists(y_path):
                    os.remove(y_path)
                proc = subprocess.run([nn_run, mlir, "--threads=" + threads,
                                       "--input=@" + os.path.join(work, "x.npy"),
                                       "--output=@" + y_path],
                                      stderr=subprocess.PIPE, universal_newlines=True)
                label = "%s %s->%s threads=%s" % (name, dtype, out, threads)
                if proc.returncode:
                    print("FAIL %s: nn-run: %s" % (label, proc.stderr.strip()))
                    failed += 1
                    continue
                y = np.load(y_path).astype(np.float64).reshape(-1)
                w = np.array(want)
                same_inf = np.array_equal(np.isneginf(y), np.isneginf(w))
                finite = np.isfinite(w)
                err = np.abs(y[finite] - w[finite]) if finite.any() else np.zeros(1)
                ok = same_inf and not np.isnan(y).any() and (
                    err <= TOL[out] * (1 + np.abs(w[finite]))).all()
                if ok:
                    print("PASS %s" % label)
                else:
                    failed += 1
                    print("FAIL %s: NaN %d, -inf positions %s, max error %g"
                          % (label, int(np.isnan(y).sum()),
                             "match" if same_inf else "differ", float(err.max())))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
