"""Differential test generator for nn.logsoftmax, the cross-entropy ops,
nn.softmax and nn.logsoftmax_grad.

Generates tensors whose slices along `dim` follow the value patterns of
patterns.py, at row lengths around every boundary of the CPU and GPU
strategies, for every element type and wider result type, every dim position
(positive and negative spellings), static and dynamic shapes, and checks the
results against the float64 reference of nnref.py (exact NaN and +-inf
positions, the spec's tolerances elsewhere). Paths:

  abi     nn-compile --emit=shared, called through the _mlir_ciface_ ABI with
          ctypes: NN_NUM_THREADS=1 on 64-byte aligned buffers, then
          NN_NUM_THREADS=2 on buffers one element past a 64-byte boundary;
          the two results must be bit-identical. Compiled with
          --min-parallel-bytes=0, so that 2 threads really split the work.
  jit     nn-run, the JIT runner, several arguments per call through .npy
          files.
  ptx     nn-compile --target=nvptx for every GPU strategy, sm_80 and sm_90,
          then ptxas -v (no spills, no local memory).
  gpu-emu the GPU kernels' values without a GPU: nn-compile
          --target=gpu-emulator runs them serially on this CPU, on aligned
          (vector kernels) and unaligned (scalar kernels) buffers
          (gpu_emulation.py).

  differential.py --tier quick|long [--paths abi,jit,ptx,gpu-emu] --work DIR
      [--nn-compile PATH] [--nn-run PATH] [--ptxas PATH] [--seed N]
      [--ops logsoftmax,cross_entropy,cross_entropy_grad,softmax,logsoftmax_grad]

--ops picks the ops (default: logsoftmax, as above). cross_entropy and
cross_entropy_grad run on the abi path (differential_ce.py: [N, C] and
[C] logits, every dtype, i64/i32 targets, every reduction, smoothing 0 and
0.1, ignored targets, against trainref.py) and on the gpu-emu path
("gpu-abi": the same cases on the GPU kernels, emulated);
softmax and logsoftmax_grad
run on the abi path (differential_sm.py: ranks 1 to 3, every dim position
and spelling, static, dynamic and partly dynamic shapes, softmax into every
wider result type, logsoftmax_grad on real and arbitrary log-softmax
outputs and adversarial gradients, against trainref.py) and on the gpu-emu
path (gpu_emulation.py: the GPU kernels at the GPU's boundaries with the
same generators; then differential_sm.py's own cases compiled for the
emulator, "gpu-abi", each placement against trainref); nn-run
covers them in training-ops.test. --only and --jobs apply to the abi path,
--dtypes to both; --pairs also picks softmax's type pairs.

Prints one FAIL line per failing check (with a reproducing description),
progress per group on long runs, and a summary `N cases, M failed`; exits 1
on any failure.
"""

import argparse
import ctypes
import glob
import itertools
import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aot  # noqa: E402
import differential_ce  # noqa: E402
import differential_sm  # noqa: E402
import gpu_emulation  # noqa: E402
import harness  # noqa: E402
import nnref  # noqa: E402
import patterns  # noqa: E402

PAIRS = [(i, o) for i in nnref.DTYPES for o in nnref.WIDER[i]]

# Row lengths around every boundary: vector lanes (4, 8, 16, 32 elements),
# read steps (64, 128), chunks (4096), the GPU warp limit (1024), the CPU
# split segment (65536), then a prime; the long tier adds the CPU split
# threshold (2^18).
LENGTHS = (list(range(1, 18)) + [31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257,
                                 1023, 1024, 1025, 4095, 4096, 4097,
                                 65535, 65536, 65537, 100003])
LONG_LENGTHS = LENGTHS + [262143, 262144, 262145]

# (rank, dim as written): last, first and middle positions, both spellings.
LAYOUTS = [(1, 0), (1, -1), (2, 1), (2, -1), (2, 0), (2, -2),
           (3, 2), (3, -1), (3, 0), (3, -3), (3, 1), (3, -2)]

# Sizes of the dims that are not reduced: the slice count, and for inner dims
# the contiguous last size, which crosses the CPU chunk of lanes x accumulators
# (32 f32, 16 f64) and the GPU's coalesced columns.
INNER_SIZES = (1, 3, 16, 17, 32, 33)


def wanted(opts, dtype, out):
    return not opts.pairs or "%s-%s" % (dtype, out) in opts.pairs.split(",")


class Failures:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def check(self, label, reason):
        self.count += 1
        if reason:
            self.failed += 1
            print("FAIL %s: %s" % (label, reason))
            sys.stdout.flush()


def describe(y, ref, order, dim, out):
    """The compare() reason, with the pattern of the first bad slice."""
    reason = nnref.compare(y, ref, out)
    if not reason:
        return None
    d = nnref.normalize_dim(dim, y.ndim)
    ys, rs = np.moveaxis(y, d, -1), np.moveaxis(ref, d, -1)
    flat_y = ys.reshape(-1, ys.shape[-1])
    flat_r = rs.reshape(-1, rs.shape[-1])
    for k in range(flat_y.shape[0]):
        if nnref.compare(flat_y[k], flat_r[k], out):
            return "slice %d (pattern %s): %s" % (k, order[k], reason)
    return reason


# ---------------------------------------------------------------------------
# The C ABI path
# ---------------------------------------------------------------------------

def call(kernel, x_buffer, y_buffer):
    x_desc, y_desc = aot.descriptor(x_buffer), aot.descriptor(y_buffer)
    kernel(ctypes.byref(x_desc), ctypes.byref(y_desc))


class Library:
    """One module of functions compiled by nn-compile --emit=shared."""

    def __init__(self, nn_compile, work, name, functions, failures):
        self.functions = {}
        source = os.path.join(work, name + ".mlir")
        path = os.path.join(work, name + ".so")
        with open(source, "w") as f:
            f.write("".join(functions.values()))
        proc = subprocess.run([nn_compile, source, "-o", path, "--emit=shared",
                               "--min-parallel-bytes=0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
        failures.check("compile %s" % source, proc.returncode and
                       "nn-compile exited with %d: %s" % (proc.returncode,
                                                          proc.stderr.strip()[:500]))
        if proc.returncode:
            return
        lib = ctypes.CDLL(path)
        for fname in functions:
            self.functions[fname] = getattr(lib, "_mlir_ciface_" + fname)


def run_abi_case(kernel, x, dim, dtype, out, order, label, failures):
    x_rounded = nnref.round_to(x, dtype)
    x_aligned = aot.to_storage(x_rounded, dtype)
    y_aligned = np.full(x.shape, 0x7F, dtype=aot.STORAGE[out])
    os.environ["NN_NUM_THREADS"] = "1"
    call(kernel, x_aligned, y_aligned)
    x_unaligned = aot.unaligned_empty(x.shape, aot.STORAGE[dtype])
    x_unaligned[...] = x_aligned
    y_unaligned = aot.unaligned_empty(x.shape, aot.STORAGE[out])
    y_unaligned[...] = 0
    os.environ["NN_NUM_THREADS"] = "2"
    call(kernel, x_unaligned, y_unaligned)
    reason = describe(aot.from_storage(y_aligned, out),
                      nnref.expected(x_rounded, dim, out), order, dim, out)
    if reason is None and y_aligned.tobytes() != y_unaligned.tobytes():
        bits = np.dtype("u%d" % y_aligned.itemsize)
        differ = np.count_nonzero(y_aligned.reshape(-1).view(bits)
                                  != y_unaligned.reshape(-1).view(bits))
        reason = ("2 threads on unaligned buffers differ from 1 thread on aligned ones "
                  "at %d element(s)" % differ)
    failures.check(label, reason)


# Static shapes cost a compiled function each: the quick tier takes these
# (rank, dim, length), covering the static-only strategies (short rows in
# groups of a vector's lanes, unmasked inner columns, exact step multiples).
QUICK_STATIC = ([(2, -1, n) for n in (1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 64,
                                      127, 128, 129, 1025, 4097)]
                + [(3, 2, 16), (3, 1, 17), (3, 1, 128), (3, -2, 1025), (2, 0, 5),
                   (2, -2, 129), (3, 0, 4096), (1, 0, 16), (1, -1, 65537)])


LONG_STATIC = ((1, -1), (2, -1), (2, 0), (3, 1))


def abi_cases(tier, rng):
    """(pair, rank, dim, n, dynamic, inner) combinations to run."""
    lengths = LONG_LENGTHS if tier == "long" else LENGTHS
    for pair in PAIRS:
        for rank, dim in LAYOUTS:
            for n in lengths:
                big = n >= 4095
                if tier == "quick" and big and (rank, dim) not in ((1, -1), (2, 1), (2, 0), (3, 1)):
                    continue
                if n >= 262143 and rank == 3:
                    continue
                for dynamic in (True, False):
                    if not dynamic and tier == "quick" and (rank, dim, n) not in QUICK_STATIC:
                        continue
                    # The long tier: every static length on one layout per
                    # dim position, every fourth elsewhere.
                    if (not dynamic and tier == "long" and (rank, dim) not in LONG_STATIC
                            and n % 4 != 1):
                        continue
                    # Dynamic shapes cost no compile: the long tier draws
                    # three tensors for each.
                    for _ in range(3 if dynamic and tier == "long" else 1):
                        inner = INNER_SIZES[int(rng.integers(len(INNER_SIZES)))]
                        yield pair, rank, dim, n, dynamic, inner
            if tier == "quick":
                for r, d, n in QUICK_STATIC:
                    if (r, d) == (rank, dim) and n not in lengths:
                        yield pair, rank, dim, n, False, 16


def slice_budget(n, tier):
    """Slices per tensor: every pattern on short rows, fewer on long ones."""
    limit = (1 << 21) if tier == "long" else (1 << 17)
    return int(max(2, min(len(patterns.NAMES), limit // max(n, 1))))


def run_abi(opts, failures):
    rng = np.random.default_rng([opts.seed, 1])
    plan = list(abi_cases(opts.tier, rng))
    by_pair = {}
    for item in plan:
        by_pair.setdefault(item[0], []).append(item)
    for (dtype, out), items in by_pair.items():
        if not wanted(opts, dtype, out):
            continue
        start = time.time()
        before = (failures.count, failures.failed)
        functions, calls = {}, []
        for k, (_, rank, dim, n, dynamic, inner) in enumerate(items):
            shape = patterns.layout_shape(rank, dim, n, slice_budget(n, opts.tier), inner)
            if dynamic:
                name = "dyn_r%d_d%s" % (rank, str(dim).replace("-", "m"))
            else:
                name = "static%d" % k
            if name not in functions:
                functions[name] = aot.module(name, dtype, out, shape, dim, dynamic)
            calls.append((name, shape, dim, dynamic))
        lib = Library(opts.nn_compile, opts.work, "abi_%s_%s" % (dtype, out), functions,
                      failures)
        if not lib.functions:
            continue
        for name, shape, dim, dynamic in calls:
            x, order = patterns.build_input(rng, shape, dim, dtype, patterns.NAMES)
            label = "abi %s->%s shape=%s dim=%d %s" % (
                dtype, out, "x".join(map(str, shape)), dim,
                "dynamic" if dynamic else "static")
            run_abi_case(lib.functions[name], x, dim, dtype, out, order, label, failures)
        print("abi %s->%s: %d cases, %d failed, %.1fs" % (
            dtype, out, failures.count - before[0], failures.failed - before[1],
            time.time() - start))
        sys.stdout.flush()


# ---------------------------------------------------------------------------
# The nn-run path
# ---------------------------------------------------------------------------

def run_nn_run(opts, failures):
    """Each nn-run call takes one argument per length of a group, all with
    the same dtype pair and layout, static or dynamic."""
    rng = np.random.default_rng([opts.seed, 2])
    groups = [[1, 16, 17, 129], [127, 255, 1025], [4097, 65537], [100003]]
    if opts.tier == "long":
        groups += [[2, 3, 5, 8, 31, 64, 65, 256, 1023], [262145]]
    runner = harness.Runner(opts.nn_run, os.path.join(opts.work, "nn-run"))
    cases = []
    for (dtype, out), (rank, dim), lengths, dynamic in itertools.product(
            PAIRS, LAYOUTS, groups, (False, True)):
        if not wanted(opts, dtype, out):
            continue
        if opts.tier == "quick" and rng.random() > 0.08:
            continue
        if rank == 3 and max(lengths) > 65537:
            continue
        args, results, datas = [], [], []
        for k, n in enumerate(lengths):
            inner = INNER_SIZES[int(rng.integers(len(INNER_SIZES)))]
            shape = patterns.layout_shape(rank, dim, n, slice_budget(n, opts.tier), inner)
            data, _ = patterns.build_input(rng, shape, dim, dtype, patterns.NAMES)
            args.append(harness.Arg(shape, dtype, data, "all" if dynamic else "none"))
            results.append(harness.Result(k, dim, out))
        name = "nn-run %s->%s r%d dim=%d n=%s %s" % (
            dtype, out, rank, dim, ",".join(map(str, lengths)),
            "dynamic" if dynamic else "static")
        cases.append(harness.Case(name, args, results))
    start = time.time()
    before = runner.count
    for case in cases:
        failed_before = len(runner.failures)
        runner.run(case)
        # Keep neither outputs (no case compares with another) nor the files
        # of a passing case: the long tier would hold gigabytes.
        runner.outputs.clear()
        if len(runner.failures) == failed_before:
            base = os.path.join(runner.work, harness.safe_name(case.name))
            for path in glob.glob(glob.escape(base) + ".*"):
                os.remove(path)
    ran = runner.count - before
    failures.count += ran
    failures.failed += len(runner.failures)
    print("nn-run: %d calls, %d failed, %.1fs" % (ran, len(runner.failures),
                                                  time.time() - start))


# ---------------------------------------------------------------------------
# The GPU path: PTX through ptxas
# ---------------------------------------------------------------------------

PTXAS_LINE = re.compile(r"Used (\d+) registers")


def run_ptx(opts, failures):
    ptxas = opts.ptxas or shutil.which("ptxas") or "/usr/local/cuda/bin/ptxas"
    if not os.path.exists(ptxas):
        print("ptx: no ptxas; skipped")
        return
    # Around the warp's 32 lanes and the warp-per-row limit of 1024.
    lengths = [1, 31, 32, 33, 1023, 1024, 1025, 4097]
    if opts.tier == "quick":
        lengths = [1, 33, 1024, 1025]
    configs = list(itertools.product(("sm_90", "sm_80"),
                                     ("auto", "warp", "block", "stream", "split")))
    work = os.path.join(opts.work, "ptx")
    os.makedirs(work, exist_ok=True)
    start = time.time()
    before = (failures.count, failures.failed)
    for (dtype, out), (chip, strategy) in itertools.product(PAIRS, configs):
        if not wanted(opts, dtype, out):
            continue
        # The quick tier: every pair with auto for sm_90, the other
        # configurations on one pair each.
        if opts.tier == "quick" and (chip, strategy) != ("sm_90", "auto") and (
                (dtype, out) != PAIRS[configs.index((chip, strategy)) % len(PAIRS)]):
            continue
        functions = []
        for rank, dim in LAYOUTS:
            for dynamic in (False, True):
                for n in (lengths if not dynamic else [7]):
                    shape = patterns.layout_shape(rank, dim, n, 5, 3)
                    name = "k_r%d_d%s_n%d_%s" % (rank, str(dim).replace("-", "m"), n,
                                                 "dyn" if dynamic else "st")
                    functions.append(aot.module(name, dtype, out, shape, dim, dynamic))
        base = os.path.join(work, "%s_%s_%s_%s" % (dtype, out, chip, strategy))
        with open(base + ".mlir", "w") as f:
            f.write("".join(functions))
        label = "ptx %s->%s %s strategy=%s (%d functions)" % (dtype, out, chip, strategy,
                                                              len(functions))
        proc = subprocess.run([opts.nn_compile, base + ".mlir", "--target=nvptx", "--emit=ptx",
                               "--chip=" + chip, "--gpu-strategy=" + strategy,
                               "-o", base + ".ptx"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
        if proc.returncode:
            failures.check(label, "nn-compile exited with %d: %s" % (
                proc.returncode, proc.stderr.strip()[:500]))
            continue
        proc = subprocess.run([ptxas, "-arch=" + chip, "-v", base + ".ptx", "-o",
                               base + ".cubin"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True)
        reason = None
        if proc.returncode:
            reason = "ptxas exited with %d: %s" % (proc.returncode, proc.stdout.strip()[:500])
        elif re.search(r"[1-9]\d* bytes spill|[1-9]\d* bytes lmem", proc.stdout):
            reason = "spills or local memory: " + " | ".join(
                l for l in proc.stdout.splitlines() if "spill" in l or "lmem" in l)[:500]
        elif not PTXAS_LINE.search(proc.stdout):
            reason = "ptxas -v printed no kernel"
        failures.check(label, reason)
    print("ptx: %d configurations, %d failed, %.1fs" % (
        failures.count - before[0], failures.failed - before[1], time.time() - start))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tier", choices=("quick", "long"), default="quick")
    p.add_argument("--paths", default="abi,jit,ptx,gpu-emu",
                   help="comma-separated: abi (nn-compile's C ABI), jit (nn-run), ptx, "
                   "gpu-emu (the GPU kernels emulated on the CPU)")
    p.add_argument("--work", required=True, help="scratch directory; emptied first")
    p.add_argument("--nn-compile", default="nn-compile")
    p.add_argument("--nn-run", default="nn-run")
    p.add_argument("--ptxas", help="default: ptxas on PATH, else /usr/local/cuda/bin/ptxas")
    p.add_argument("--seed", type=int, default=20261130)
    p.add_argument("--pairs", help="only these element type pairs, e.g. f32-f32,bf16-f32 "
                   "(logsoftmax and softmax)")
    p.add_argument("--ops", default="logsoftmax",
                   help="comma-separated: logsoftmax, cross_entropy, cross_entropy_grad, "
                   "softmax, logsoftmax_grad")
    p.add_argument("--dtypes", help="cross-entropy and softmax ops: only these input types, "
                   "e.g. f32,bf16")
    p.add_argument("--only", help="cross-entropy and softmax ops: only the cases whose label "
                   "holds this")
    p.add_argument("--jobs", type=int, default=2,
                   help="cross-entropy and softmax ops: nn-compile processes at a time")
    p.add_argument("--ce-inner-dim", action="store_true",
                   help="cross-entropy ops: [N, C, 1] logits, through the inner-dim (CPU) or "
                   "column (GPU) kernels instead of the row kernels")
    opts = p.parse_args()
    differential_ce.INNER_DIM = opts.ce_inner_dim
    ops = opts.ops.split(",")
    for op in ops:
        if op not in ("logsoftmax",) + differential_ce.OPS + differential_sm.OPS:
            p.error("unknown op %r" % op)
    # How a failing cross-entropy or softmax case is rerun alone.
    opts.rerun = " ".join([sys.executable, os.path.abspath(__file__), "--tier", opts.tier,
                           "--paths", "abi", "--ops", opts.ops, "--seed", str(opts.seed),
                           "--work", os.path.abspath(opts.work) + "-rerun", "--nn-compile",
                           os.path.abspath(shutil.which(opts.nn_compile) or opts.nn_compile)]
                          + (["--ce-inner-dim"] if opts.ce_inner_dim else []))
    opts.nn_compile = shutil.which(opts.nn_compile) or opts.nn_compile
    opts.nn_run = shutil.which(opts.nn_run) or opts.nn_run
    if os.path.isdir(opts.work):
        shutil.rmtree(opts.work)
    os.makedirs(opts.work)
    failures = Failures()
    start = time.time()
    paths = opts.paths.split(",")
    for path in paths:
        if path not in ("abi", "jit", "ptx", "gpu-emu"):
            p.error("unknown path %r" % path)
    if "logsoftmax" in ops:
        if "abi" in paths:
            run_abi(opts, failures)
        if "jit" in paths:
            run_nn_run(opts, failures)
        if "ptx" in paths:
            run_ptx(opts, failures)
        if "gpu-emu" in paths:
            gpu_emulation.run(opts, failures, PAIRS, wanted,
                              lambda y, x, order, dim, out:
                              describe(y, nnref.expected(x, dim, out), order, dim, out))
    if "abi" in paths and set(ops) & set(differential_ce.OPS):
        differential_ce.run_abi(opts, failures, ops)
    if "abi" in paths and set(ops) & set(differential_sm.OPS):
        differential_sm.run_abi(opts, failures, ops)
    if "gpu-emu" in paths and "softmax" in ops:
        gpu_emulation.run(opts, failures, differential_sm.pairs_of("softmax"),
                          lambda o, dtype, out: differential_sm.wanted(o, "softmax", dtype, out),
                          differential_sm.check_softmax, "softmax")
    if "gpu-emu" in paths and "logsoftmax_grad" in ops:
        gpu_emulation.run_grad(opts, failures)
    if "gpu-emu" in paths and set(ops) & set(differential_sm.OPS):
        differential_sm.run_abi(opts, failures, ops, gpu=True)
    if "gpu-emu" in paths and set(ops) & set(differential_ce.OPS):
        differential_ce.run_abi(opts, failures, ops, gpu=True)
    print("%d cases, %d failed, %.0fs (tier %s, seed %d)" % (
        failures.count, failures.failed, time.time() - start, opts.tier, opts.seed))
    return 1 if failures.failed else 0


if __name__ == "__main__":
    sys.exit(main())
