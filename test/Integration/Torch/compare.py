"""Compares nn-run's results with PyTorch's, within the spec's tolerance.

  compare.py --type f32|f16|bf16|f64 GOT.npy EXPECTED.npy [GOT.npy EXPECTED.npy ...]

EXPECTED is PyTorch's result, saved by scripts/import-torch-models.py; GOT is
what nn-run wrote for the same inputs. Per pair: the shapes and the .npy
element type (<f4 for f32 and bf16, <f2 for f16, <f8 for f64) must match; a
bf16 result must hold bf16 values; NaN, +inf and -inf positions must be the
same; every finite value must satisfy |got - expected| <= atol + rtol *
|expected|, with the tolerance of the result type in
docs/logsoftmax-semantics.md (taken from test/Integration/CPU/lib/nnref.py).
PyTorch's f16/bf16 results are already rounded to that type, as the spec's
reference is.

Prints `PASS GOT: max |err| / bound = R` per pair, or `FAIL GOT: ...` with
the worst element, and exits 1 on any failure.
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "CPU", "lib"))

import nnref  # noqa: E402


def compare(got_path, want_path, type_):
    got, want = np.load(got_path), np.load(want_path)
    if got.dtype != nnref.NPY_DTYPE[type_]:
        return "element type %s, expected %s for %s" % (got.dtype.str, nnref.NPY_DTYPE[type_].str,
                                                        type_)
    if got.shape != want.shape:
        return "shape %s, expected %s" % (got.shape, want.shape)
    if type_ == "bf16" and np.any(got.reshape(-1).view(np.uint32) & 0xFFFF):
        return "values that are not bf16"
    g, w = got.astype(np.float64), want.astype(np.float64)
    for what, pred in (("NaN", np.isnan), ("+inf", np.isposinf), ("-inf", np.isneginf)):
        a, b = pred(g), pred(w)
        if not np.array_equal(a, b):
            k = np.unravel_index(int(np.flatnonzero(a != b)[0]), g.shape)
            return "%s positions differ: at %s got %r, PyTorch %r" % (what, k, g[k], w[k])
    finite = np.isfinite(w)
    if not finite.any():
        return None, 0.0
    atol, rtol = nnref.TOLERANCE[type_]
    g, w = np.where(finite, g, 0.0), np.where(finite, w, 0.0)
    err = np.abs(g - w)
    bound = atol + rtol * np.abs(w)
    ratio = err / bound
    k = np.unravel_index(int(np.argmax(ratio)), g.shape)
    if ratio[k] > 1:
        return "at %s got %.9g, PyTorch %.9g: |err| %.3g > %.3g (atol %g, rtol %g)" % (
            k, g[k], w[k], err[k], bound[k], atol, rtol)
    return None, float(ratio[k])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--type", required=True, choices=sorted(nnref.TOLERANCE))
    parser.add_argument("files", nargs="+", help="GOT.npy EXPECTED.npy pairs")
    args = parser.parse_args()
    if len(args.files) % 2:
        parser.error("files come in pairs: GOT.npy EXPECTED.npy")
    failed = False
    for got, want in zip(args.files[::2], args.files[1::2]):
        outcome = compare(got, want, args.type)
        if isinstance(outcome, str):
            print("FAIL %s (against %s): %s" % (got, want, outcome))
            failed = True
        else:
            print("PASS %s: max |err| / bound = %.3f" % (got, outcome[1]))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
