"""The differential generator's `gpu-emu` path: the GPU kernels' values,
checked on this CPU.

nn-compile --target=gpu-emulator compiles the kernels --target=nvptx
compiles, with each gpu.launch run serially over blocks and threads
(--nn-emulate-gpu: barriers and shuffles emulated). Every strategy runs on
64-byte aligned buffers (the 128-bit vector kernels) and on buffers one
element past a 64-byte boundary (the scalar kernels), each against the
float64 reference. The two are not compared bit for bit: they sum in a
different order. Lengths sit around every GPU boundary: the warp (32), a
warp's vectors (128 f32), the warp-per-row limit (1024), the 256- and
512-thread blocks' registers (8192, 16384 f32; 2048, 4096 f64), the wide
512-thread block (32768), then a prime.

The same cases run nn.softmax (differential.py --ops softmax --paths
gpu-emu), whose kernels are the log-softmax kernels with another last step,
against trainref.py's float64 softmax, and nn.logsoftmax_grad (--ops
logsoftmax_grad; run_grad): g and y from differential_sm.py's generators
(real and arbitrary log-softmax outputs, adversarial gradients), against
trainref.py's reference within its tolerance, every element type and the
strategies but split (the gradient streams its long rows).

What this cannot show: ex2.approx.ftz's error (the emulation calls exp2),
and anything about speed.
"""

import ctypes
import os
import subprocess
import sys
import time
import types

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aot  # noqa: E402
import nnref  # noqa: E402
import patterns  # noqa: E402

STRATEGIES = ("auto", "warp", "block", "stream", "split")

LENGTHS = [1, 2, 3, 4, 5, 7, 8, 9, 15, 31, 32, 33, 127, 128, 129, 1023, 1024,
           1025, 2047, 2049, 4095, 4096, 4097, 8191, 8192, 8193, 16383, 16384,
           16385, 32767, 32768, 32769, 100003]
QUICK_LENGTHS = [1, 3, 5, 9, 33, 129, 257, 1023, 1025, 2049, 4097, 8193, 16385,
                 32768, 32769, 100003]

# (rank, dim): rows (both spellings), columns and a middle dim.
LAYOUTS = [(1, -1), (2, 1), (2, -1), (3, 2), (2, 0), (3, 1), (3, -3)]
QUICK_LAYOUTS = [(1, -1), (2, -1), (3, 1)]

# Static lengths, each a function of its own: the static kernels hold just
# the vectors a row needs.
STATIC = [(2, -1, n) for n in (1, 5, 33, 129, 1025, 4097, 8193, 16385)]


def compile_library(opts, work, name, functions, strategy, failures):
    source = os.path.join(work, name + ".mlir")
    path = os.path.join(work, name + ".so")
    with open(source, "w") as f:
        f.write("".join(functions.values()))
    proc = subprocess.run([opts.nn_compile, source, "-o", path, "--emit=shared",
                           "--target=gpu-emulator", "--gpu-strategy=" + strategy],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    failures.check("gpu-emu compile %s" % source, proc.returncode and
                   "nn-compile exited with %d: %s" % (proc.returncode,
                                                      proc.stderr.strip()[:500]))
    if proc.returncode:
        return None
    lib = ctypes.CDLL(path)
    return {fname: getattr(lib, "_mlir_ciface_" + fname) for fname in functions}


def run_case(kernel, x, dim, dtype, out, order, label, failures, check):
    """`check(y, x_rounded, order, dim, out)` returns why y is wrong, or
    None."""
    x_rounded = nnref.round_to(x, dtype)
    for placement, skip in (("aligned", 0), ("unaligned", 1)):
        x_buffer = aot.placed_empty(x.shape, aot.STORAGE[dtype], skip)
        x_buffer[...] = aot.to_storage(x_rounded, dtype)
        y_buffer = aot.placed_empty(x.shape, aot.STORAGE[out], skip)
        y_buffer[...] = 0
        x_desc, y_desc = aot.descriptor(x_buffer), aot.descriptor(y_buffer)
        kernel(ctypes.byref(x_desc), ctypes.byref(y_desc))
        failures.check("%s %s" % (label, placement),
                       check(aot.from_storage(y_buffer, out), x_rounded, order, dim, out))


def cases(tier, rng):
    """(rank, dim, n, dynamic, inner) to run for one pair and strategy."""
    lengths = QUICK_LENGTHS if tier == "quick" else LENGTHS
    layouts = QUICK_LAYOUTS if tier == "quick" else LAYOUTS
    for rank, dim in layouts:
        for n in lengths:
            # Columns do not depend on the row strategy's limits.
            if rank > 1 and dim not in (-1, rank - 1) and n > 4097:
                continue
            inner = (1, 3, 16, 33)[int(rng.integers(4))]
            yield rank, dim, n, True, inner
    for rank, dim, n in STATIC:
        yield rank, dim, n, False, 1


def plan_calls(opts, rng, kinds, make_function):
    """One library's functions ({name: text}) and calls ((name, rank, shape,
    dim, dynamic)) for cases(): at most `kinds` slices per call, and few of
    long ones, since every emulated thread runs one after another.
    make_function(name, shape, dim, dynamic) writes a function."""
    functions, calls = {}, []
    for k, (rank, dim, n, dynamic, inner) in enumerate(cases(opts.tier, rng)):
        count = max(2, min(kinds, (1 << 15) // max(n, 1)))
        shape = patterns.layout_shape(rank, dim, n, count, inner)
        name = ("dyn_r%d_d%s" % (rank, str(dim).replace("-", "m")) if dynamic
                else "static%d" % k)
        if name not in functions:
            functions[name] = make_function(name, shape, dim, dynamic)
        calls.append((name, rank, shape, dim, dynamic))
    return functions, calls


def run(opts, failures, pairs, wanted, check, op="logsoftmax"):
    """Every pair and strategy of nn.<op>, one summary line each:
    `gpu-emu [softmax ]IN->OUT strategy=S: N cases, M failed, Ts`."""
    rng = np.random.default_rng([opts.seed, 3 if op == "logsoftmax" else 4])
    work = os.path.join(opts.work, "gpu-emu")
    os.makedirs(work, exist_ok=True)
    strategies = STRATEGIES if opts.tier == "long" else ("auto", "block", "stream", "split")
    prefix = "gpu-emu " if op == "logsoftmax" else "gpu-emu %s " % op
    for (dtype, out) in pairs:
        if not wanted(opts, dtype, out):
            continue
        for strategy in strategies:
            start = time.time()
            before = (failures.count, failures.failed)
            functions, calls = plan_calls(
                opts, rng, len(patterns.NAMES),
                lambda name, shape, dim, dynamic:
                aot.module(name, dtype, out, shape, dim, dynamic, op))
            kernels = compile_library(opts, work, "emu_%s_%s_%s_%s" % (op, dtype, out, strategy),
                                      functions, strategy, failures)
            if not kernels:
                continue
            for name, _, shape, dim, dynamic in calls:
                x, order = patterns.build_input(rng, shape, dim, dtype, patterns.NAMES)
                label = "%s%s->%s strategy=%s shape=%s dim=%d %s" % (
                    prefix, dtype, out, strategy, "x".join(map(str, shape)), dim,
                    "dynamic" if dynamic else "static")
                run_case(kernels[name], x, dim, dtype, out, order, label, failures, check)
            print("%s%s->%s strategy=%s: %d cases, %d failed, %.1fs" % (
                prefix, dtype, out, strategy, failures.count - before[0],
                failures.failed - before[1], time.time() - start))
            sys.stdout.flush()


def grad_module(name, dtype, shape, dim, dynamic):
    """A function @name(%g, %y) applying nn.logsoftmax_grad along dim."""
    t = "tensor<%s>" % "x".join(["?" if dynamic else str(s) for s in shape] + [dtype])
    return ("func.func @%s(%%g: %s, %%y: %s) -> %s {\n"
            "  %%gx = \"nn.logsoftmax_grad\"(%%g, %%y) <{dim = %d : i64}> : (%s, %s) -> %s\n"
            "  return %%gx : %s\n}\n" % (name, t, t, t, dim, t, t, t, t))


def run_grad(opts, failures):
    """nn.logsoftmax_grad for every element type (--dtypes) and strategy, one
    summary line each: `gpu-emu logsoftmax_grad DTYPE strategy=S: N cases,
    M failed, Ts`."""
    import differential_sm
    import trainref
    rng = np.random.default_rng([opts.seed, 5])
    work = os.path.join(opts.work, "gpu-emu")
    os.makedirs(work, exist_ok=True)
    strategies = ("auto", "warp", "block", "stream") if opts.tier == "long" \
        else ("auto", "block", "stream")
    for dtype in nnref.DTYPES:
        if opts.dtypes and dtype not in opts.dtypes.split(","):
            continue
        for strategy in strategies:
            start = time.time()
            before = (failures.count, failures.failed)
            functions, calls = plan_calls(
                opts, rng, len(differential_sm.NAMES),
                lambda name, shape, dim, dynamic:
                grad_module(name, dtype, shape, dim, dynamic))
            kernels = compile_library(opts, work, "emu_grad_%s_%s" % (dtype, strategy),
                                      functions, strategy, failures)
            if not kernels:
                continue
            for name, rank, shape, dim, dynamic in calls:
                label = "gpu-emu logsoftmax_grad %s strategy=%s shape=%s dim=%d %s" % (
                    dtype, strategy, "x".join(map(str, shape)), dim,
                    "dynamic" if dynamic else "static")
                fn = types.SimpleNamespace(op="logsoftmax_grad", dtype=dtype, out=dtype,
                                           rank=rank, dim=dim)
                call = types.SimpleNamespace(fn=fn, shape=shape, label=lambda: label)
                inputs, described = differential_sm.make_inputs(call, opts.seed)
                for placement, skip in (("aligned", 0), ("unaligned", 1)):
                    # The buffers stay referenced while the call runs.
                    buffers = [aot.placed_empty(shape, aot.STORAGE[dtype], skip)
                               for _ in range(len(inputs) + 1)]
                    for buffer, value in zip(buffers, inputs):
                        buffer[...] = aot.to_storage(value, dtype)
                    out = buffers[-1]
                    out[...] = 0
                    descriptors = [aot.descriptor(buffer) for buffer in buffers]
                    kernels[name](*[ctypes.byref(d) for d in descriptors])
                    y = aot.from_storage(out, dtype)
                    ref, atol, rtol = differential_sm.expected(fn, inputs, y)
                    reason = trainref.compare(y, ref, atol, rtol)
                    if reason:
                        reason = differential_sm.locate(fn, inputs, y, ref, atol, rtol,
                                                        described) + reason
                    failures.check("%s %s" % (label, placement), reason)
            print("gpu-emu logsoftmax_grad %s strategy=%s: %d cases, %d failed, %.1fs" % (
                dtype, strategy, failures.count - before[0], failures.failed - before[1],
                time.time() - start))
            sys.stdout.flush()
