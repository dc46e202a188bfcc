"""The differential generator's cross-entropy ops (differential.py --ops):
nn.cross_entropy and nn.cross_entropy_grad on [N, C], [C] and [N, C, D]
logits, through
the C ABI of nn-compile --emit=shared --min-parallel-bytes=0, against the
float64 reference of trainref.py (itself checked against PyTorch).

Every function is one op with one attribute set: f16/bf16/f32/f64 logits
(grad_loss and results of the same type), i64 or i32 targets, reductions
none/sum/mean, label_smoothing 0 and 0.1, ignore_index -100; [N, C] logits
static (NxC), dynamic (?x?) or with only N dynamic (?xC), [C] logits static
or dynamic, [N, C, D] logits (classes along dim 1, D samples per batch
row) static or dynamic (?x?x?). Dynamic functions cost one compile and take every class count C
of LENGTHS (the log-softmax generator's boundaries); static ones are one
compile per (C, N). Functions are compiled in libraries of one op and dtype,
several at a time (--jobs), while the libraries already built run.

The rows of a call follow the value patterns of patterns.py in turn (masks,
-inf rows, NaN/+inf, huge offsets, ramps, the exp/log polynomials' worst
arguments, ...). Targets are always a class or ignore_index (never out of
range): about 20% ignored, the others a random finite class, class 0, class
C - 1, the row's maximum, sometimes a masked (-inf) class or a NaN/+inf one.
Every function also gets a call whose targets are all ignored. A sum/mean
loss is one number, so one NaN or inf sample hides every other: in most
forward sum/mean calls the samples whose loss is not finite are ignored (a
test of ignored rows too, which must not poison the total); in about one
call in four they are left in. Where a sample's loss needs a value beyond
the compute type's range (f32 for f16/bf16/f32 logits: a log-probability
below -3.4e38, say), trainref's float64 value stays finite while PyTorch at
that precision gives +inf: there +inf is accepted as well (NaN never), and
such samples are ignored like the non-finite ones in the sums above
(beyond_compute_range). grad_loss: random normal (rounded to the
logits' type), per sample for "none".

Each call runs with NN_NUM_THREADS=1 on 64-byte aligned buffers and
NN_NUM_THREADS=2 on buffers one element past a 64-byte boundary (results
pre-filled differently, so that an unwritten element shows): both must be
bit-identical, and the first must match trainref within its tolerances.

A failure prints `FAIL label: reason` (with the row, its pattern and target),
then a command that reruns that case alone (--only takes a label substring;
each case's data is drawn from the seed and its label) and an nn-run command
on the saved inputs under WORK/repro.
"""

import ctypes
import os
import shlex
import subprocess
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aot  # noqa: E402
import nnref  # noqa: E402
import patterns  # noqa: E402
import trainref  # noqa: E402

OPS = ("cross_entropy", "cross_entropy_grad")
TARGETS = ("i64", "i32")
REDUCTIONS = ("none", "sum", "mean")
SMOOTHINGS = (0.0, 0.1)
IGNORE_INDEX = -100
COMBOS = [(tt, red, eps) for tt in TARGETS for red in REDUCTIONS for eps in SMOOTHINGS]
INT_STORAGE = {"i64": np.int64, "i32": np.int32}

# Class counts around the boundaries the log-softmax generator uses (vector
# lanes, read steps, 1024, chunks of 4096); the long tier adds the CPU split
# segment (65536).
LENGTHS = (list(range(1, 18)) + [31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257,
                                 1023, 1024, 1025, 4095, 4096, 4097])
LONG_LENGTHS = LENGTHS + [65535, 65536, 65537]

# [N, C, D] logits: the samples per batch row D of the quick tier's
# dynamic calls, and the (C, D) of its static functions; the long tier
# takes every D with every class count of QUICK_STATIC_1D.
RANK3_D = (1, 2, 3, 8, 17, 64)
QUICK_STATIC_3D = ((1, 3), (5, 8), (33, 2), (129, 17), (1025, 3))

# Static class counts of the quick tier, [N, C] and [C].
QUICK_STATIC_2D = (1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129,
                   255, 256, 257, 1023, 1024, 1025, 4095, 4096, 4097)
QUICK_STATIC_1D = (1, 5, 16, 17, 33, 129, 1025, 4097)

# --ce-inner-dim: the same cases on [N, C, 1] logits, which take the
# inner-dim kernels along the classes (CPU) or the column kernels (GPU)
# instead of the row kernels: every value pattern through them.
INNER_DIM = False

# The row strategies of nn-compile --gpu-strategy the GPU cases are dealt to.
GPU_STRATEGIES = ("auto", "warp", "block", "stream", "split")

# Functions per compiled library.
LIBRARY_SIZE = 48


def rows_for(C, tier):
    """Samples of an [N, C] call: every pattern twice on short rows, fewer on
    long ones."""
    budget = (1 << 20) if tier == "long" else (1 << 15)
    return int(max(2, min(2 * len(patterns.NAMES), budget // C)))


class Function:
    """One function: one op with its types and attributes. kind: "static",
    "dynamic" or "dynamic-n" (rank 2: N dynamic, C static)."""

    def __init__(self, name, op, dtype, ttype, reduction, eps, rank, kind, N=None, C=None,
                 D=None):
        self.name, self.op, self.dtype, self.ttype = name, op, dtype, ttype
        self.reduction, self.eps, self.rank, self.kind = reduction, eps, rank, kind
        self.N, self.C, self.D = N, C, D

    def _types(self):
        n = "?" if self.kind in ("dynamic", "dynamic-n") else str(self.N)
        c = "?" if self.kind == "dynamic" else str(self.C)
        if self.rank == 3:
            d = "?" if self.kind == "dynamic" else str(self.D)
            return ("tensor<%sx%sx%sx%s>" % (n, c, d, self.dtype),
                    "tensor<%sx%sx%s>" % (n, d, self.ttype),
                    "tensor<%sx%sx%s>" % (n, d, self.dtype))
        if INNER_DIM:
            # [N, C, 1] logits (the inner-dim kernels), [1, C, 1] for [C].
            n = n if self.rank == 2 else "1"
            return ("tensor<%sx%sx1x%s>" % (n, c, self.dtype),
                    "tensor<%sx1x%s>" % (n, self.ttype), "tensor<%sx1x%s>" % (n, self.dtype))
        if self.rank == 2:
            return ("tensor<%sx%sx%s>" % (n, c, self.dtype), "tensor<%sx%s>" % (n, self.ttype),
                    "tensor<%sx%s>" % (n, self.dtype))
        return ("tensor<%sx%s>" % (c, self.dtype), "tensor<%s>" % self.ttype,
                "tensor<%s>" % self.dtype)

    def text(self):
        logits, target, per_sample = self._types()
        scalar = "tensor<%s>" % self.dtype
        attrs = '<{ignore_index = %d : i64, reduction = "%s", label_smoothing = %r : f64}>' % (
            IGNORE_INDEX, self.reduction, float(self.eps))
        if self.op == "cross_entropy":
            result = per_sample if self.reduction == "none" else scalar
            args = [("x", logits), ("t", target)]
        else:
            result = logits
            args = [("g", per_sample if self.reduction == "none" else scalar), ("x", logits),
                    ("t", target)]
        return ('func.func @%s(%s) -> %s {\n  %%r = "nn.%s"(%s) %s : (%s) -> %s\n'
                "  return %%r : %s\n}\n" % (
                    self.name, ", ".join("%%%s: %s" % a for a in args), result, self.op,
                    ", ".join("%" + a[0] for a in args), attrs,
                    ", ".join(a[1] for a in args), result, result))

    def describe(self):
        return "%s %s/%s %s eps=%g" % (self.op, self.dtype, self.ttype, self.reduction, self.eps)


class Call:
    """One call of `fn` on N x C logits (N = 1 and rank 1 for [C]), or
    N x C x D for rank 3."""

    def __init__(self, fn, N, C, start, all_ignored=False, D=None):
        self.fn, self.N, self.C, self.start, self.all_ignored = fn, N, C, start, all_ignored
        self.D = D if D is not None else fn.D
        self.index = 0  # set by plan(): the call's position, for a unique label

    def shape(self):
        if self.fn.rank == 3:
            return (self.N, self.C, self.D)
        return (self.N, self.C) if self.fn.rank == 2 else (self.C,)

    def samples(self):
        """The calls's samples (rows of the generated [samples, C] data)."""
        return self.N * self.D if self.fn.rank == 3 else self.N

    def label(self):
        fn = self.fn
        return "abi %s %s %s%s @%s#%d" % (
            fn.describe(), "x".join(map(str, self.shape())), fn.kind,
            " all-ignored" if self.all_ignored else "", fn.name, self.index)


def plan(tier, seed, op, dtype):
    """The functions and calls of one op and dtype."""
    rng = np.random.default_rng([seed, zlib.crc32(("%s-%s" % (op, dtype)).encode())])
    long_tier = tier == "long"
    lengths = LONG_LENGTHS if long_tier else LENGTHS
    npat = len(patterns.NAMES)
    functions, calls = [], []
    prefix = "%s_%s" % ("ce" if op == "cross_entropy" else "ceg", dtype)

    def new(rank, kind, combo, N=None, C=None, D=None):
        fn = Function("%s_%d" % (prefix, len(functions)), op, dtype, combo[0], combo[1],
                      combo[2], rank, kind, N, C, D)
        functions.append(fn)
        return fn

    def start():
        return int(rng.integers(npat))

    def jitter_rows(C):
        n = rows_for(C, tier)
        return 1 if rng.random() < 0.08 else n + int(rng.integers(0, 3))

    # Dynamic functions: every combination of target type, reduction and
    # smoothing, [N, C] and [C]. The long tier calls every one at every
    # length; the quick tier deals each length to a few of them.
    for rank in (2, 1):
        dyn = [new(rank, "dynamic", combo) for combo in COMBOS]
        per_length = (3 if rank == 2 else 6) if long_tier else (4 if rank == 2 else 3)
        for C in lengths:
            chosen = (dyn if long_tier else
                      [dyn[k] for k in rng.choice(len(dyn), per_length, replace=False)])
            for fn in chosen:
                repeats = per_length if long_tier else (1 if rank == 2 else 2)
                for _ in range(repeats):
                    calls.append(Call(fn, jitter_rows(C) if rank == 2 else 1, C, start()))
        for fn in dyn:
            for _ in range(3 if long_tier else 1):
                C = int(rng.choice(lengths))
                calls.append(Call(fn, jitter_rows(C) if rank == 2 else 1, C, start(), True))

    # Static class counts, the attribute combinations dealt in turn.
    deck = []

    def deal():
        if not deck:
            deck.extend(COMBOS[k] for k in rng.permutation(len(COMBOS)))
        return deck.pop()

    kinds2 = ("static", "dynamic-n")
    static2 = [(C, kind) for C in lengths for kind in kinds2] if long_tier else \
        [(C, kinds2[k % 2]) for k, C in enumerate(QUICK_STATIC_2D)]
    for C, kind in static2:
        N = rows_for(C, tier) + int(rng.integers(0, 3))
        fn = new(2, kind, deal(), N, C)
        calls.append(Call(fn, N, C, start()))
        if kind == "dynamic-n":
            calls.append(Call(fn, jitter_rows(C), C, start()))
        if rng.random() < 0.25:
            calls.append(Call(fn, N, C, start(), True))
    for C in (lengths if long_tier else QUICK_STATIC_1D):
        fn = new(1, "static", deal(), None, C)
        for _ in range(4 if long_tier else 3):
            calls.append(Call(fn, 1, C, start()))
        calls.append(Call(fn, 1, C, start(), True))
    # [N, C, D] logits: a dynamic function per attribute combination of
    # the deck, each called with a few (C, D); static (C, D) pairs.
    def batch(C, D):
        return max(1, rows_for(C, tier) // (4 * D)) + int(rng.integers(0, 2))

    for k in range(len(COMBOS) if long_tier else 4):
        fn = new(3, "dynamic", deal())
        for _ in range(6 if long_tier else 3):
            C, D = int(rng.choice(QUICK_STATIC_1D)), int(rng.choice(RANK3_D))
            calls.append(Call(fn, batch(C, D), C, start(), D=D))
        C, D = int(rng.choice(QUICK_STATIC_1D)), int(rng.choice(RANK3_D))
        calls.append(Call(fn, batch(C, D), C, start(), True, D=D))
    static3 = [(C, D) for C in QUICK_STATIC_1D for D in RANK3_D] if long_tier \
        else QUICK_STATIC_3D
    for C, D in static3:
        N = batch(C, D)
        fn = new(3, "static", deal(), N, C, D)
        calls.append(Call(fn, N, C, start()))
    for k, call in enumerate(calls):
        call.index = k
    return functions, calls


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def pick_target(rng, row):
    """A class of `row` (already rounded): mostly a random finite class,
    sometimes the first, the last, the maximum, a masked (-inf) class or a
    NaN/+inf one."""
    C = row.size
    finite = np.flatnonzero(np.isfinite(row))
    masked = np.flatnonzero(np.isneginf(row))
    special = np.flatnonzero(np.isnan(row) | np.isposinf(row))
    u = rng.random()
    if u < 0.08:
        return 0
    if u < 0.16:
        return C - 1
    if u < 0.26 and finite.size:
        return int(finite[np.argmax(row[finite])])
    if u < 0.32 and masked.size:
        return int(rng.choice(masked))
    if u < 0.35 and special.size:
        return int(rng.choice(special))
    if u < 0.42 or not finite.size:
        return int(rng.integers(C))
    return int(rng.choice(finite))


def beyond_compute_range(x, t, eps, dtype):
    """The samples (rows of the [N, C] `x`, targets `t`) whose loss needs a
    log-probability, a -sum of them or a loss beyond the largest finite value
    of the compute type (f32 for f16/bf16/f32 logits): the float64 reference
    keeps them finite, PyTorch at that precision makes the loss +inf (as
    nn.logsoftmax's contract does for such a log-probability). Either is
    accepted there; NaN is not. Never for f64 logits (reference and op share
    the range)."""
    acc = trainref.ACC[dtype]
    valid = (t != IGNORE_INDEX)
    if acc == "f64" or not valid.any():
        return np.zeros(t.shape, dtype=bool)
    top = patterns.LARGEST[acc]
    with np.errstate(all="ignore"):
        lp = nnref.logsoftmax_ref(x, 1)
        tc = np.where(valid, t, 0)
        picked = np.take_along_axis(lp, tc[:, None], 1)[:, 0]
        big = np.isfinite(picked) & (picked < -top)
        if eps > 0:
            big |= (np.isfinite(lp) & (lp < -top)).any(1)
            smooth = -np.sum(lp, axis=1)
            big |= np.isfinite(smooth) & (smooth > top)
        loss = trainref.cross_entropy_ref(x, t, IGNORE_INDEX, "none", eps)
        big |= np.isfinite(loss) & (loss > top)
    return valid & big


def finite_beyond_float64(fn, x, t, y, ref):
    """For f64 logits: where the float64 reference overflowed to +inf (its
    smoothing term, a sum of -log-probabilities, can pass the largest double)
    but the true loss is finite, as computed in long double, a finite result
    must match that true value; +inf, as PyTorch in float64 gives, is
    accepted too."""
    rows = sample_rows(x).astype(np.longdouble)
    tt = t.reshape(-1)
    valid = tt != IGNORE_INDEX
    with np.errstate(all="ignore"):
        m = np.max(rows, axis=1, keepdims=True)
        lse = m + np.log(np.sum(np.exp(rows - m), axis=1, keepdims=True))
        picked = np.take_along_axis(rows, np.where(valid, tt, 0)[:, None], 1)
        loss = (1 - fn.eps) * (lse - picked)[:, 0]
        if fn.eps > 0:
            loss = loss + fn.eps / rows.shape[1] * np.sum(lse - rows, axis=1)
        loss = np.where(valid, loss, 0)
        if fn.reduction == "sum":
            loss = np.sum(loss)
        elif fn.reduction == "mean":
            loss = np.sum(loss) / np.count_nonzero(valid)
    true = np.asarray(loss).reshape(ref.shape)
    largest = np.longdouble(np.finfo(np.float64).max)
    replace = (np.isposinf(ref) & np.isfinite(true) & (np.abs(true) <= largest)
               & np.isfinite(y))
    return np.where(replace, true.astype(np.float64), ref)


def make_inputs(call, seed):
    """(grad_loss or None, logits, target, order, poisoned): float64 values
    already rounded to the function's type, the targets as int64, the
    pattern of every row."""
    fn = call.fn
    rng = np.random.default_rng([seed, zlib.crc32(call.label().encode())])
    N, C = call.samples(), call.C
    order = [patterns.NAMES[(call.start + k) % len(patterns.NAMES)] for k in range(N)]
    x = nnref.round_to(patterns.slices(rng, order, C, fn.dtype), fn.dtype)
    t = np.array([pick_target(rng, x[k]) for k in range(N)], dtype=np.int64)
    t[rng.random(N) < 0.2] = IGNORE_INDEX
    poisoned = False
    if call.all_ignored:
        t[:] = IGNORE_INDEX
    elif fn.op == "cross_entropy" and fn.reduction != "none":
        poisoned = rng.random() < 0.25
        if not poisoned:
            with np.errstate(all="ignore"):
                per_sample = trainref.cross_entropy_ref(x, t, IGNORE_INDEX, "none", fn.eps)
            t[~np.isfinite(per_sample)] = IGNORE_INDEX
            t[beyond_compute_range(x, t, fn.eps, fn.dtype)] = IGNORE_INDEX
    g = None
    if fn.op == "cross_entropy_grad":
        gshape = (N,) if fn.reduction == "none" else ()
        g = nnref.round_to(rng.standard_normal(gshape) * rng.choice([0.5, 1.0, 4.0]),
                           fn.dtype)
    if fn.rank == 1:
        x, t = x.reshape(C), t.reshape(())
        if g is not None:
            g = g.reshape(())
    if fn.rank == 3:
        # Sample (n, d) is row n * D + d of the data: its classes go down
        # dim 1.
        x = np.ascontiguousarray(x.reshape(call.N, call.D, C).transpose(0, 2, 1))
        t = t.reshape(call.N, call.D)
        if g is not None and g.ndim:
            g = g.reshape(call.N, call.D)
    return g, x, t, order, poisoned


def sample_rows(x):
    """The [samples, C] rows of logits of any rank (samples in the order of
    the target's elements)."""
    if x.ndim == 3:
        return np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])
    return x.reshape(-1, x.shape[-1])


# ---------------------------------------------------------------------------
# Buffers and the call
# ---------------------------------------------------------------------------

def placed_empty(shape, dtype, skip_elements):
    """An array whose data starts `skip_elements` elements past a 64-byte
    boundary."""
    itemsize = np.dtype(dtype).itemsize
    count = int(np.prod(shape, dtype=np.int64))
    raw = np.empty(count * itemsize + 128, dtype=np.uint8)
    skip = (64 - raw.ctypes.data % 64) % 64 + skip_elements * itemsize
    return raw[skip:skip + count * itemsize].view(dtype).reshape(shape)


def placed_copy(values, skip_elements):
    out = placed_empty(values.shape, values.dtype, skip_elements)
    out[...] = values
    return out


def to_storage(values, dtype):
    """aot.to_storage, rank 0 included."""
    values = np.asarray(values)
    return aot.to_storage(values.reshape(-1), dtype).reshape(values.shape)


def from_storage(buffer, dtype):
    """aot.from_storage, rank 0 included."""
    return aot.from_storage(buffer.reshape(-1), dtype).reshape(buffer.shape)


def lifted(shape, role):
    """The shape of an operand (role "logits", "sample": target-shaped, or
    "scalar") as passed: with --ce-inner-dim, [N, C] -> [N, C, 1], [C] ->
    [1, C, 1] and [N] or [] target-shaped -> [N, 1] or [1, 1]."""
    # Rank-3 logits and their targets are passed as they are.
    if not INNER_DIM or role == "scalar" or len(shape) == (3 if role == "logits" else 2):
        return shape
    if role == "logits":
        return tuple(shape) + (1,) if len(shape) == 2 else (1,) + tuple(shape) + (1,)
    return (shape[0] if shape else 1, 1)


def invoke(kernel, operands, out_shape, out_role, out_dtype, skip, threads, fill):
    """Calls `kernel` on copies of `operands` ((storage array, role) pairs)
    placed `skip` elements past a 64-byte boundary, with NN_NUM_THREADS =
    `threads`; returns the result, pre-filled with the byte `fill`."""
    args = [placed_copy(a.reshape(lifted(a.shape, role)), skip) for a, role in operands]
    out = placed_empty(lifted(out_shape, out_role), aot.STORAGE[out_dtype], skip)
    out.reshape(-1).view(np.uint8)[...] = fill
    descs = [aot.descriptor(a) for a in args + [out]]
    os.environ["NN_NUM_THREADS"] = str(threads)
    kernel(*[ctypes.byref(d) for d in descs])
    return out.reshape(out_shape)


def expected(fn, g, x, t):
    if fn.op == "cross_entropy":
        return trainref.cross_entropy_expected(x, t, fn.dtype, IGNORE_INDEX, fn.reduction,
                                               fn.eps)
    return trainref.cross_entropy_grad_expected(g, x, t, fn.dtype, IGNORE_INDEX, fn.reduction,
                                                fn.eps)


def locate(fn, y, ref, atol, rtol, x, t, order):
    """`sample K (target ...): ` for the first bad sample (row) of a per-sample
    result or a gradient, or of a [C] call; empty for a sum/mean."""
    rows = sample_rows(x)
    tt = t.reshape(-1)
    if fn.rank == 3 and np.ndim(ref):
        # Sample-major, as for [N, C]: a gradient's classes last.
        shape, grad = ref.shape, ref.shape == x.shape

        def flat(a):
            a = np.broadcast_to(np.asarray(a), shape)
            return sample_rows(a) if grad else a.reshape(-1)
        y, ref, atol, rtol = (flat(a) for a in (y, ref, atol, rtol))

    def where(k):
        if tt[k] == IGNORE_INDEX:
            what = "ignored"
        else:
            what = "%d, logit %r, row max %r" % (tt[k], float(rows[k][tt[k]]),
                                                 float(np.max(rows[k])))
        return "sample %d (pattern %s, target %s): " % (k, order[k], what)

    if fn.rank == 1:
        return where(0)
    if ref.ndim == 0:
        return ""
    atol = np.broadcast_to(np.asarray(atol, np.float64), ref.shape)
    rtol = np.broadcast_to(np.asarray(rtol, np.float64), ref.shape)
    for k in range(ref.shape[0]):
        if trainref.compare(y[k], ref[k], atol[k], rtol[k]):
            return where(k)
    return ""


def start_repro(work, call, name):
    """Writes the call's function to WORK/repro/NAME.mlir; returns that path
    without its suffix and the start of the nn-run command that reruns it."""
    fn = call.fn
    base = os.path.join(work, "repro", name)
    os.makedirs(os.path.dirname(base), exist_ok=True)
    with open(base + ".mlir", "w") as f:
        f.write("// %s\n" % call.label() + fn.text())
    return base, ["nn-run", base + ".mlir", "--function=" + fn.name, "--threads=2"]


def save_repro(work, call, g, x, t, count):
    """The function and its inputs under WORK/repro, and an nn-run command."""
    fn = call.fn
    base, cmd = start_repro(work, call, "case%d" % count)
    per_sample = "sample" if fn.reduction == "none" else "scalar"
    inputs = ([("g", g, fn.dtype, per_sample)] if g is not None else []) + [
        ("x", x, fn.dtype, "logits"), ("t", t, fn.ttype, "sample")]
    for name, values, etype, role in inputs:
        values = np.asarray(values)
        values = values.reshape(lifted(values.shape, role))
        path = "%s.%s.npy" % (base, name)
        if etype in trainref.NPY_INT_DTYPE:
            np.save(path, np.asarray(values).astype(trainref.NPY_INT_DTYPE[etype]))
        else:
            np.save(path, nnref.to_npy_input(np.asarray(values), etype))
        cmd.append("--input=@" + path)
    return " ".join(shlex.quote(c) for c in cmd)


def evaluate(kernel, fn, g, x, t, order, threads_too=True):
    """Runs `fn` on (g, x, t): 1 thread on aligned buffers and, with
    `threads_too`, 2 threads on unaligned ones. Returns (y1, y2, reason):
    the raw results and None or why the first one does not match trainref."""
    per_sample = "sample" if fn.reduction == "none" else "scalar"
    operands = ([(to_storage(g, fn.dtype), per_sample)] if g is not None else []) + [
        (to_storage(x, fn.dtype), "logits"),
        (np.ascontiguousarray(t, dtype=INT_STORAGE[fn.ttype]), "sample")]
    if fn.op == "cross_entropy_grad":
        shape, role = x.shape, "logits"
    else:
        shape, role = (t.shape if fn.reduction == "none" else ()), per_sample
    y1 = invoke(kernel, operands, shape, role, fn.dtype, 0, 1, 0x7F)
    y2 = invoke(kernel, operands, shape, role, fn.dtype, 1, 2, 0x00) if threads_too else None
    return y1, y2, judge(fn, g, x, t, order, y1)


def judge(fn, g, x, t, order, raw):
    """None, or why the raw result `raw` does not match trainref."""
    y = from_storage(raw, fn.dtype)
    ref, atol, rtol = expected(fn, g, x, t)
    if fn.op == "cross_entropy":
        big = beyond_compute_range(sample_rows(x), t.reshape(-1), fn.eps, fn.dtype)
        if big.any():
            accept = np.isposinf(y) if ref.ndim == 0 else big.reshape(ref.shape) & np.isposinf(y)
            ref = np.where(accept, np.inf, ref)
        if fn.dtype == "f64":
            ref = finite_beyond_float64(fn, x, t, y, ref)
    reason = trainref.compare(y, ref, atol, rtol)
    if reason:
        reason = "%s%s" % (locate(fn, y, ref, atol, rtol, x, t, order), reason)
    return reason


def run_call(kernel, call, opts, failures, state, prefix="abi"):
    """One call, labelled `prefix`: for the CPU ("abi") the unaligned
    2-thread result must equal the aligned 1-thread one bit for bit; the
    GPU kernels ("gpu-abi", emulated) take vector or scalar kernels by
    alignment, which sum in another order, so each is checked against
    trainref."""
    fn = call.fn
    g, x, t, order, poisoned = make_inputs(call, opts.seed)
    y1, y2, reason = evaluate(kernel, fn, g, x, t, order)
    if prefix != "abi":
        reason = reason or judge(fn, g, x, t, order, y2)
        reason = reason and "%s: %s" % (prefix, reason)
    elif reason:
        if fn.op == "cross_entropy" and fn.reduction != "none" and fn.rank == 2:
            reason = "%s%s" % (blame(kernel, call, fn, g, x, t, order, poisoned, reason),
                               reason)
    elif y1.tobytes() != y2.tobytes():
        reason = threads_differ(y1, y2, lambda y: from_storage(y, fn.dtype).reshape(-1))
    failures.check(call.label(), reason)
    if reason:
        state["repros"] += 1
        if state["repros"] <= 50:
            rerun = opts.rerun if prefix == "abi" else opts.rerun.replace(
                "--paths abi", "--paths gpu-emu")
            print("  reproduce: %s --only=%s" % (rerun, shlex.quote(call.label())))
            print("  nn-run (1 call, no buffer offsets): %s" % save_repro(
                opts.work, call, g, x, t, state["repros"]))
        sys.stdout.flush()


def threads_differ(y1, y2, values):
    """Why the 1-thread result `y1` and the 2-thread one `y2` (storage
    arrays that differ bit-wise) are a failure: how many elements differ
    and the first, as floats through `values` (storage -> flat values)."""
    bits = np.dtype("u%d" % y1.itemsize)
    differ = np.flatnonzero(y1.reshape(-1).view(bits) != y2.reshape(-1).view(bits))
    return ("2 threads on unaligned buffers differ from 1 thread on aligned ones at %d "
            "element(s), first at flat index %d: %r vs %r" % (
                differ.size, differ[0], float(values(y1)[differ[0]]),
                float(values(y2)[differ[0]])))


def blame(kernel, call, fn, g, x, t, order, poisoned, reason):
    """For a failing sum/mean: the counted samples that fail alone (a
    dynamic N reruns the function on each), naming the first whose failure
    is of the same kind as the call's (NaN, +inf or tolerance); else the
    counted patterns."""
    counted = [k for k in range(call.N) if t[k] != IGNORE_INDEX]
    if fn.kind != "static":
        alone = []
        for k in counted:
            _, _, why = evaluate(kernel, fn, g, x[k:k + 1], t[k:k + 1], [order[k]], False)
            if why:
                alone.append((k, why))
        if alone:
            kind = reason.split(" ", 1)[0]
            k, why = next((a for a in alone if a[1].split(" ", 1)[0] == kind), alone[0])
            return "%d counted sample(s) fail alone, e.g. sample %d (pattern %s, target %d) " \
                "alone: %s; the call: " % (len(alone), k, order[k], t[k], why)
    return "%d of %d samples counted%s, patterns %s: " % (
        len(counted), call.N, " (not-finite samples left in)" if poisoned else "",
        ",".join(sorted({order[k] for k in counted})) or "-")


# ---------------------------------------------------------------------------
# Libraries
# ---------------------------------------------------------------------------

def load_kernels(libs, work, failures):
    """{function name: its _mlir_ciface_ entry} from the (name, functions,
    future of compile_library) of every library, a failed compile counted."""
    kernels = {}
    for name, chunk, future in libs:
        path, error = future.result()
        failures.check("compile %s" % os.path.join(work, name + ".mlir"), error)
        if path:
            lib = ctypes.CDLL(path)
            for fn in chunk:
                kernels[fn.name] = getattr(lib, "_mlir_ciface_" + fn.name)
    return kernels


def compile_library(nn_compile, work, name, functions, flags=("--min-parallel-bytes=0",)):
    """(path or None, error or None). `flags`: nn-compile's, after
    --emit=shared."""
    source = os.path.join(work, name + ".mlir")
    path = os.path.join(work, name + ".so")
    with open(source, "w") as f:
        f.write("".join(fn.text() for fn in functions))
    for attempt in range(3):
        # nn-compile may be briefly missing while it is rebuilt.
        if os.path.exists(nn_compile) or attempt == 2:
            break
        time.sleep(5)
    proc = subprocess.run([nn_compile, source, "-o", path, "--emit=shared"] + list(flags),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode:
        return None, "nn-compile exited with %d: %s" % (proc.returncode,
                                                      proc.stderr.strip()[:500])
    return path, None


def strategy_groups(functions, gpu):
    """[(strategy, functions)]: on the GPU, the functions dealt in turn to
    every row strategy (each dynamic function then takes every class count
    through its strategy's kernels); else one group of all, no strategy."""
    if not gpu:
        return [("", functions)]
    return [(s, functions[k::len(GPU_STRATEGIES)]) for k, s in enumerate(GPU_STRATEGIES)]


def run_abi(opts, failures, ops, gpu=False):
    """Runs the ABI cases of `ops` (a subset of OPS), one summary line per op
    and dtype: `abi OP DTYPE: N cases, M failed, Ts`. With `gpu`, the
    cases run on the GPU kernels (nn-compile --target=gpu-emulator, the
    functions dealt to the row strategies), labelled `gpu-abi`."""
    prefix = "gpu-abi" if gpu else "abi"
    flags = ["--target=gpu-emulator"] if gpu else ["--min-parallel-bytes=0"]
    work = os.path.join(opts.work, "gpu-abi") if gpu else opts.work
    os.makedirs(work, exist_ok=True)
    groups = []
    for op in OPS:
        if op not in ops:
            continue
        for dtype in nnref.DTYPES:
            if opts.dtypes and dtype not in opts.dtypes.split(","):
                continue
            functions, calls = plan(opts.tier, opts.seed, op, dtype)
            if opts.only:
                calls = [c for c in calls if opts.only in c.label()]
                used = {c.fn.name for c in calls}
                functions = [fn for fn in functions if fn.name in used]
            if calls:
                groups.append((op, dtype, functions, calls))
    state = {"repros": 0}
    with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        jobs = []
        for op, dtype, functions, calls in groups:
            libs = []
            for strategy, members in strategy_groups(functions, gpu):
                strategy_flags = flags + (["--gpu-strategy=" + strategy] if strategy else [])
                for k in range(0, len(members), LIBRARY_SIZE):
                    chunk = members[k:k + LIBRARY_SIZE]
                    name = "%s_%s_%s%d" % (op, dtype, strategy and strategy + "_",
                                           k // LIBRARY_SIZE)
                    libs.append((name, chunk, pool.submit(compile_library, opts.nn_compile,
                                                          work, name, chunk, strategy_flags)))
            jobs.append((op, dtype, calls, libs))
        for op, dtype, calls, libs in jobs:
            start = time.time()
            before = (failures.count, failures.failed)
            kernels = load_kernels(libs, work, failures)
            for call in calls:
                if call.fn.name in kernels:
                    run_call(kernels[call.fn.name], call, opts, failures, state, prefix)
            print("%s %s %s: %d cases, %d failed, %.1fs" % (
                prefix, op, dtype, failures.count - before[0], failures.failed - before[1],
                time.time() - start))
            sys.stdout.flush()
