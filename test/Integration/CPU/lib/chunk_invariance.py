#!/usr/bin/env python3
"""Static and dynamic inner-dim kernels give the same bits (run by
test/Integration/CPU/inner-dim-chunks.test).

Along a non-last dim the kernel takes chunks of the last dim of as many
vectors as a static last size needs (up to 8), or, for a dynamic one, of 8 or
2 chosen at run time, whole chunks unmasked and the last one masked: the
same column goes through different code in a static and a dynamic module.
The data put a jump of +100 (which moves a lane's lagging reference) in
single columns, -inf stretches and all -inf columns beside ordinary ones.
Both modules must give the same bytes, and match the float64 reference
within the spec's tolerance.
"""
import argparse
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nnref  # noqa: E402

# (shape, dim): last sizes below 128 (static chunks of 3, 7 and 1 vectors
# against dynamic chunks of 2), at and above it (8 either way, a masked last
# chunk at 130 and 200), short and long `dim`.
CASES = [((5, 9, 40), 1), ((3, 130, 100), 1), ((4, 7, 16), 1), ((2, 33, 130), 1),
         ((257, 200), 0), ((6, 3, 256), 1), ((2, 4, 5, 24), 2)]


def data(shape, dim, rng):
    x = rng.standard_normal(shape) * 4
    x = np.moveaxis(x, dim, -1).copy()   # view columns as [..., last, dim]
    x = np.swapaxes(x, -1, -2).copy()    # [..., dim, last]
    depth, inner = x.shape[-2], x.shape[-1]
    for c in range(0, inner, 7):
        kind = (c // 7) % 4
        if kind == 0:      # a jump: the reference moves in this lane only
            x[..., depth // 2:, c] += 100.0
        elif kind == 1:    # a -inf stretch (masked rows)
            x[..., : max(1, depth // 2), c] = -np.inf
        elif kind == 2 and c > 0:  # a whole column of -inf
            x[..., :, c] = -np.inf
    x = np.swapaxes(x, -1, -2)
    return np.moveaxis(x, -1, dim).astype(np.float32)


def module(shape, dim, dynamic):
    dims = ["?" if dynamic else str(s) for s in shape]
    ty = "tensor<%sxf32>" % "x".join(dims)
    return ("func.func @main(%%x: %s) -> %s {\n"
            "  %%y = nn.logsoftmax %%x, dim = %d : %s -> %s\n"
            "  return %%y : %s\n}\n" % (ty, ty, dim, ty, ty, ty))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nn-run", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rng = np.random.default_rng(20261130)
    failed = 0
    for shape, dim in CASES:
        name = "%s_dim%d" % ("x".join(map(str, shape)), dim)
        x = data(shape, dim, rng)
        xpath = os.path.join(args.work, name + ".x.npy")
        np.save(xpath, x)
        outs = []
        for dynamic in (False, True):
            tag = "dynamic" if dynamic else "static"
            mpath = os.path.join(args.work, "%s.%s.mlir" % (name, tag))
            ypath = os.path.join(args.work, "%s.%s.y.npy" % (name, tag))
            with open(mpath, "w") as f:
                f.write(module(shape, dim, dynamic))
            subprocess.run([args.nn_run, mpath, "--threads=1", "--input=@" + xpath,
                            "--output=@" + ypath], check=True)
            outs.append(np.load(ypath))
        reason = None
        if outs[0].tobytes() != outs[1].tobytes():
            diff = np.flatnonzero(outs[0].view(np.uint32) != outs[1].view(np.uint32))
            reason = "static and dynamic differ in %d element(s), first at flat index %d" % (
                diff.size, diff[0])
        else:
            reason = nnref.compare(outs[0], nnref.expected(x.astype(np.float64), dim, "f32"),
                                   "f32")
        print("%s %s%s" % ("FAIL" if reason else "PASS", name,
                           ": " + reason if reason else ""))
        failed += reason is not None
    print("%d cases, %d failed" % (len(CASES), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
