#!/usr/bin/env python3
"""nn-mlir on unaligned buffers against 64-byte aligned ones (issue 16).

usage: bench/alignment.py [--threads=1,2] [--shapes=32x1024x128:1,...]
                          [--offsets=0,4,16] [--allocations=4] [--rounds=5]
                          [--target-s=0.04] [--md=FILE] [--csv=FILE]

Run it with a Python where nn_mlir imports (e.g. build-python/venv/bin/python
after scripts/test-python.sh). For each case it compiles the static-shape
module once, then places input and output OFFSET bytes past a 64-byte
boundary (numpy and std::vector give 16), each placement in ALLOCATIONS
separate buffer pairs at random 64-byte steps within a page: how two buffers
fall relative to each other moves one kernel's speed by up to 30% here, more
than the alignment does, so one pair per placement says little. Every round
calls each buffer pair in turn for about TARGET_S seconds (the output written
in place through the package's executable); a placement's figure is the median
over its pairs and rounds of the median call. GB/s counts one read and one
write of the tensor.
"""
import argparse
import csv
import os
import platform
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# The issue's shapes along the last dim, and the two inner-dim ones.
CASES = ["4096x1024:1", "1024x32000:1", "65536x16:1", "32x1024x128:1",
         "8x512x512:0", "64x64x1000:1"]


def placed(nbytes, offset, rng):
    """A uint8 view of `nbytes` starting `offset` bytes past a 64-byte
    boundary (plus a random multiple of 64 below a page)."""
    raw = np.empty(nbytes + 8192, np.uint8)
    start = (-raw.ctypes.data) % 4096 + 64 * int(rng.integers(0, 60)) + offset
    return raw[start:start + nbytes]


def run_case(shape, dim, threads, offsets, args, rng):
    import nn_mlir
    ty = f"tensor<{'x'.join(map(str, shape))}xf32>"
    text = (f"func.func @main(%x: {ty}) -> {ty} {{\n"
            f"  %y = nn.logsoftmax %x, dim = {dim} : {ty} -> {ty}\n"
            f"  return %y : {ty}\n}}\n")
    ex = nn_mlir.compile(text, threads=threads).main._executable
    src = (np.random.default_rng(0).standard_normal(shape) * 4).astype(np.float32)
    pairs = []
    for _ in range(args.allocations):
        for off in offsets:
            x = placed(src.nbytes, off, rng).view(np.float32).reshape(shape)
            y = placed(src.nbytes, off, rng).view(np.float32).reshape(shape)
            x[...] = src
            call = ("main", [(x.ctypes.data, "f32", list(shape))],
                    [(y.ctypes.data, "f32", list(shape))])
            pairs.append((off, x, y, call))
    times = {off: [] for off in offsets}
    for r in range(args.rounds):
        for off, _x, _y, call in (pairs if r % 2 == 0 else pairs[::-1]):
            ex.call(*call)
            calls = []
            end = time.perf_counter() + args.target_s
            while time.perf_counter() < end:
                t0 = time.perf_counter_ns()
                ex.call(*call)
                calls.append(time.perf_counter_ns() - t0)
            times[off].append(statistics.median(calls))
    # Every placement must compute the same bits (the kernels do not depend
    # on alignment).
    first = pairs[0][2]
    for _off, _x, y, _call in pairs:
        if y.tobytes() != first.tobytes():
            raise SystemExit(f"{shape} dim {dim}: results differ between placements")
    nbytes = 2 * src.nbytes
    return {off: nbytes / statistics.median(times[off]) for off in offsets}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--shapes", default=",".join(CASES),
                    help="SHAPE:DIM,... (f32)")
    ap.add_argument("--offsets", default="0,4,16",
                    help="bytes past a 64-byte boundary; the first is the baseline")
    ap.add_argument("--allocations", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--target-s", type=float, default=0.04)
    ap.add_argument("--md", default=os.path.join(ROOT, "bench/results/alignment.md"))
    ap.add_argument("--csv", default=os.path.join(ROOT, "bench/results/alignment.csv"))
    args = ap.parse_args()
    offsets = [int(v) for v in args.offsets.split(",")]
    rng = np.random.default_rng(1)
    rows = []
    cases = [(c.split(":"), int(t)) for t in args.threads.split(",")
             for c in args.shapes.split(",")]
    for i, ((s, d), threads) in enumerate(cases):
        shape = [int(v) for v in s.split("x")]
        t0 = time.time()
        gbps = run_case(shape, int(d), threads, offsets, args, rng)
        base = gbps[offsets[0]]
        rows.append((s, int(d), threads, gbps))
        print(f"[{i + 1}/{len(cases)}] {s} dim={d} threads={threads}: "
              + ", ".join(f"+{o}B {g:.2f}" for o, g in gbps.items())
              + f" GB/s, worst loss {100 * (1 - min(gbps.values()) / base):.0f}%"
              + f" ({time.time() - t0:.0f}s)", file=sys.stderr, flush=True)
    with open(args.csv + ".tmp", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["shape", "dim", "threads"] + [f"gbps_plus{o}" for o in offsets]
                   + ["worst_loss"])
        for s, d, t, g in rows:
            w.writerow([s, d, t] + [f"{g[o]:.3f}" for o in offsets]
                       + [f"{1 - min(g.values()) / g[offsets[0]]:.3f}"])
    os.replace(args.csv + ".tmp", args.csv)
    load = os.getloadavg()
    with open(args.md + ".tmp", "w") as f:
        f.write("# nn-mlir on unaligned buffers (bench/alignment.py)\n\n")
        f.write(f"- Command: {' '.join(['bench/alignment.py'] + sys.argv[1:])}\n")
        f.write(f"- Machine: {cpu_model()}, "
                f"{os.cpu_count()} logical CPUs; load average before writing "
                f"{load[0]:.2f}\n")
        f.write(f"- f32; GB/s = 2 x bytes / median "
                f"call; {args.allocations} buffer pairs per placement, "
                f"{args.rounds} rounds\n\n")
        f.write("| shape | dim | threads | "
                + " | ".join(f"+{o} B" for o in offsets) + " | worst loss |\n")
        f.write("|---|---|---|" + "---:|" * (len(offsets) + 1) + "\n")
        for s, d, t, g in rows:
            f.write(f"| {s} | {d} | {t} | "
                    + " | ".join(f"{g[o]:.2f}" for o in offsets)
                    + f" | {100 * (1 - min(g.values()) / g[offsets[0]]):.0f}% |\n")
    os.replace(args.md + ".tmp", args.md)


if __name__ == "__main__":
    main()
