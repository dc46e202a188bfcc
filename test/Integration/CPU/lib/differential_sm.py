"""The differential generator's softmax ops (differential.py --ops): nn.softmax
and nn.logsoftmax_grad through the C ABI of nn-compile --emit=shared
--min-parallel-bytes=0, against the float64 reference of trainref.py (itself
checked against PyTorch).

Every function is one op along one dim: ranks 1 to 3, every dim position and
both spellings (the last dim takes the row kernels of SoftmaxKernels.cpp,
the others the inner-dim kernel), nn.softmax for every element type and
wider result type, nn.logsoftmax_grad for every element type. Shapes are
dynamic (every size `?`: one function per layout takes every row length of
LENGTHS), static, dynamic but for the reduced dim ("dynamic-rows") or
dynamic only in the reduced dim ("dynamic-dim"); the last three are one
compile per shape. Functions are compiled in libraries of one op and type
pair, several at a time (--jobs), while the libraries already built run.

nn.softmax: the slices along dim follow the value patterns of patterns.py in
turn (masks, all -inf rows, NaN/+inf, huge offsets, ramps, the exp/log
polynomials' worst arguments, ...) and one of this generator's own,
"absorbed-terms" (EXTRA_PATTERNS: two maxima and many terms just below half
an ulp of their sum, which a plain running sum drops).

nn.logsoftmax_grad(g, y): per slice, y is mostly ("lsm:PATTERN") a real
log_softmax of a pattern slice, rounded to the element type (NaN slices,
-inf entries and all), else an arbitrary y (Y_KINDS: uniform in [-100, 100]
with -inf entries, positive up to 100, around the exp overflow of the compute
type, all -inf, all 0, a mix of +-inf, NaN and +-100). g is, per slice, one
of G_KINDS: random normal, all zeros, sparse, large magnitudes that cancel
(about or exactly), one huge element among small ones, magnitudes over many
decades, subnormal-scale values, or M * exp(y) plus small noise
("proportional", as a real gradient: every g_j cancels against p_j * sum(g)
down to the noise); always finite. The tolerance is trainref's,
which grows with the magnitudes of the two subtracted terms.

Where the compute type (f32 for f16/bf16/f32, f64 for f64) cannot hold what
the float64 reference can (exp(y) past its largest value, p * sum(g) or the
result past it), the op computes what PyTorch computes at that precision:
see beyond_compute_range. Results within their bound of the result type's
largest value may be that value or inf (near_overflow).

Each call runs with NN_NUM_THREADS=1 on 64-byte aligned buffers and
NN_NUM_THREADS=2 on buffers one element past a 64-byte boundary (results
pre-filled differently, so that an unwritten element shows): both must be
bit-identical, and the first must match trainref within its tolerances.

A failure prints `FAIL label: reason` (with the slice, its pattern or y and g
kinds), then a command that reruns that case alone (--only takes a label
substring; each case's data is drawn from the seed and its label) and an
nn-run command on the saved inputs under WORK/repro.
"""

import ctypes
import os
import shlex
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aot  # noqa: E402
import differential_ce  # noqa: E402
import nnref  # noqa: E402
import patterns  # noqa: E402
import trainref  # noqa: E402

OPS = ("softmax", "logsoftmax_grad")

# Row lengths: the boundaries of the CPU row passes (vector lanes, read steps,
# 1024, chunks of 4096); the long tier adds the split segment (65536) and the
# split threshold (2^18).
LENGTHS = differential_ce.LENGTHS
LONG_LENGTHS = LENGTHS + [65535, 65536, 65537, 262143, 262145]

# (rank, dim as written), as differential.LAYOUTS: the last dim (the row
# kernels) and the others (the inner-dim kernel), both spellings.
LAST_LAYOUTS = [(1, 0), (1, -1), (2, 1), (2, -1), (3, 2), (3, -1)]
OTHER_LAYOUTS = [(2, 0), (2, -2), (3, 0), (3, -3), (3, 1), (3, -2)]
LAYOUTS = LAST_LAYOUTS + OTHER_LAYOUTS

# The last size for a dim before the last (as differential.INNER_SIZES).
INNER_SIZES = (1, 3, 16, 17, 32, 33)

# Static shapes of the quick tier, (rank, dim, length): short rows around the
# lanes, exact step multiples and one past them, long rows; each type pair
# takes QUICK_STATIC_PER_GROUP of them in turn, as static, dynamic-rows or
# dynamic-dim functions.
QUICK_STATIC = [(2, -1, 1), (2, 1, 2), (2, -1, 3), (2, 1, 4), (2, -1, 5), (2, 1, 7),
                (2, -1, 8), (2, 1, 9), (2, -1, 15), (2, 1, 16), (2, -1, 17), (2, 1, 33),
                (2, -1, 64), (2, 1, 127), (2, -1, 128), (2, 1, 129), (2, -1, 1025),
                (2, 1, 4097), (1, 0, 16), (1, -1, 4096), (3, 2, 31), (3, -1, 257),
                (3, 1, 17), (3, 0, 65), (2, 0, 33), (2, -2, 4), (3, -2, 1023), (3, -3, 8)]
QUICK_STATIC_PER_GROUP = 12

# The long tier's static layouts: every length on these, every third length
# on the others.
LONG_STATIC = ((1, -1), (2, -1), (3, 2), (2, 0), (3, 1))

KINDS = ("static", "dynamic-rows", "dynamic-dim")

# Functions per compiled library.
LIBRARY_SIZE = 48

# Arbitrary y slices of nn.logsoftmax_grad (the rest are real log_softmax).
Y_KINDS = ("y-uniform", "y-positive", "y-overflow-edge", "y-neginf", "y-zero", "y-special")
Y_ARBITRARY = 0.35

# g slices of nn.logsoftmax_grad, and their weights.
G_KINDS = ("normal", "zeros", "sparse", "cancel", "exact-cancel", "one-huge", "wide", "tiny",
           "proportional")
G_WEIGHTS = np.array([0.25, 0.06, 0.08, 0.13, 0.07, 0.1, 0.09, 0.07, 0.15])

# A large magnitude of each type for g: far from the largest value, so that
# sum(|g|) stays within the compute type (2^18 of them: 2^31 resp. 2.6e35,
# 2.6e205).
BIG = {"f16": 8192.0, "bf16": 1e30, "f32": 1e30, "f64": 1e200}


def slice_budget(n, tier):
    """Slices per tensor: every pattern twice on short rows, fewer on long
    ones."""
    limit = (1 << 20) if tier == "long" else (1 << 16)
    return int(max(2, min(2 * len(NAMES), limit // max(n, 1))))


def pairs_of(op):
    if op == "softmax":
        return [(i, o) for i in nnref.DTYPES for o in nnref.WIDER[i]]
    return [(d, d) for d in nnref.DTYPES]


def _norm(dim, rank):
    return nnref.normalize_dim(dim, rank)


class Function:
    """One function: one op, its types, dim and shape kind ("dynamic",
    "static", "dynamic-rows", "dynamic-dim"); `shape` for all but
    "dynamic"."""

    def __init__(self, name, op, dtype, out, rank, dim, kind, shape=None):
        self.name, self.op, self.dtype, self.out = name, op, dtype, out
        self.rank, self.dim, self.kind, self.shape = rank, dim, kind, shape

    def _sizes(self):
        d = _norm(self.dim, self.rank)
        out = []
        for k in range(self.rank):
            if self.kind == "dynamic":
                dyn = True
            elif self.kind == "dynamic-rows":
                dyn = k != d
            elif self.kind == "dynamic-dim":
                dyn = k == d
            else:
                dyn = False
            out.append("?" if dyn else str(self.shape[k]))
        return out

    def text(self):
        sizes = self._sizes()
        tin = "tensor<%s>" % "x".join(sizes + [self.dtype])
        tout = "tensor<%s>" % "x".join(sizes + [self.out])
        attrs = "<{dim = %d : i64}>" % self.dim
        if self.op == "softmax":
            return ('func.func @%s(%%x: %s) -> %s {\n  %%r = "nn.softmax"(%%x) %s : (%s) -> %s\n'
                    "  return %%r : %s\n}\n" % (self.name, tin, tout, attrs, tin, tout, tout))
        return ('func.func @%s(%%g: %s, %%y: %s) -> %s {\n'
                '  %%r = "nn.logsoftmax_grad"(%%g, %%y) %s : (%s, %s) -> %s\n'
                "  return %%r : %s\n}\n" % (self.name, tin, tin, tout, attrs, tin, tin, tout,
                                            tout))

    def types(self):
        return "%s->%s" % (self.dtype, self.out) if self.op == "softmax" else self.dtype


class Call:
    """One call of `fn` on a tensor of `shape`."""

    def __init__(self, fn, shape):
        self.fn, self.shape = fn, tuple(shape)
        self.index = 0  # set by plan(): the call's position, for a unique label

    def label(self):
        fn = self.fn
        return "abi %s %s %s dim=%d %s @%s#%d" % (
            fn.op, fn.types(), "x".join(map(str, self.shape)), fn.dim, fn.kind, fn.name,
            self.index)


def plan(tier, seed, op, dtype, out):
    """The functions and calls of one op and type pair."""
    rng = np.random.default_rng([seed, zlib.crc32(("%s-%s-%s" % (op, dtype, out)).encode())])
    long_tier = tier == "long"
    lengths = LONG_LENGTHS if long_tier else LENGTHS
    functions, calls = [], []
    prefix = ("sm_%s_%s" % (dtype, out)) if op == "softmax" else ("lsg_%s" % dtype)

    def new(rank, dim, kind, shape=None):
        fn = Function("%s_%d" % (prefix, len(functions)), op, dtype, out, rank, dim, kind,
                      shape)
        functions.append(fn)
        return fn

    def shape_for(rank, dim, n):
        inner = INNER_SIZES[int(rng.integers(len(INNER_SIZES)))]
        return patterns.layout_shape(rank, dim, n, slice_budget(n, tier), inner)

    def fits(rank, n):
        return not (rank == 3 and n >= 262143)

    # Dynamic functions, one per layout. The long tier calls every layout at
    # every length (twice below 4095); the quick tier deals each length to
    # three last-dim layouts and two others.
    dyn = {layout: new(layout[0], layout[1], "dynamic") for layout in LAYOUTS}
    for n in lengths:
        if long_tier:
            chosen = [l for l in LAYOUTS if fits(l[0], n)] * (2 if n < 4095 else 1)
        else:
            chosen = ([LAST_LAYOUTS[k] for k in rng.choice(len(LAST_LAYOUTS), 3, replace=False)]
                      + [OTHER_LAYOUTS[k] for k in rng.choice(len(OTHER_LAYOUTS), 2,
                                                               replace=False)])
        for rank, dim in chosen:
            calls.append(Call(dyn[(rank, dim)], shape_for(rank, dim, n)))

    # Static shapes (and partly dynamic ones), one compile each.
    if long_tier:
        static = [(rank, dim, n) for rank, dim in LAYOUTS for k, n in enumerate(lengths)
                  if fits(rank, n) and ((rank, dim) in LONG_STATIC or k % 3 == 0)]
    else:
        group = [p for p in pairs_of(op)].index((dtype, out)) + (0 if op == "softmax" else 9)
        static = [QUICK_STATIC[(group * QUICK_STATIC_PER_GROUP + k) % len(QUICK_STATIC)]
                  for k in range(QUICK_STATIC_PER_GROUP)]
    for k, (rank, dim, n) in enumerate(static):
        kind = "static" if rank == 1 else KINDS[(k + int(rng.integers(3))) % 3]
        shape = shape_for(rank, dim, n)
        fn = new(rank, dim, kind, shape)
        calls.append(Call(fn, shape))
        if kind != "static":
            # A second call of another size where the type leaves it open.
            d = _norm(dim, rank)
            other = list(shape)
            if kind == "dynamic-dim":
                other[d] = int(rng.choice(lengths[:35]))
            else:
                for j in range(rank):
                    if j != d:
                        other[j] = max(1, shape[j] + int(rng.integers(-1, 3)))
            calls.append(Call(fn, other))
    for k, call in enumerate(calls):
        call.index = k
    return functions, calls


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def _absorbed_terms(rng, n, dtype):
    """Two elements at 0, the rest at -c with exp(-c) about 0.9 of half an
    ulp of 2 in the compute type (f32: 1.07e-7, f64: 2.0e-16): a running sum
    of the row, once at 2, drops every later term (1023 terms: 5e-5 of the
    sum in f32)."""
    x = np.full(n, -(36.1 if dtype == "f64" else 16.05))
    x[rng.choice(n, min(n, 2), replace=False)] = 0.0
    return x


# Patterns of this generator, beside patterns.PATTERNS (not added there:
# the other generators draw every pattern of patterns.NAMES).
EXTRA_PATTERNS = {"absorbed-terms": _absorbed_terms}
NAMES = patterns.NAMES + tuple(EXTRA_PATTERNS)


def pattern_rows(rng, names, n, dtype):
    """patterns.slices with EXTRA_PATTERNS too."""
    out = np.empty((len(names), n))
    for k, name in enumerate(names):
        out[k] = EXTRA_PATTERNS.get(name, patterns.PATTERNS.get(name))(rng, n, dtype)
    return out


def assemble(rows, shape, d):
    """The (count, n) `rows` as the slices along dim `d` of `shape`."""
    moved = [s for k, s in enumerate(shape) if k != d] + [shape[d]]
    return np.ascontiguousarray(np.moveaxis(rows.reshape(moved), -1, d))


def g_slice(rng, kind, n, dtype):
    big = BIG[dtype]
    if kind == "normal":
        return rng.standard_normal(n) * rng.choice([0.5, 1.0, 4.0])
    if kind == "zeros":
        return np.zeros(n)
    if kind == "sparse":
        g = rng.standard_normal(n) * 3.0
        g[rng.random(n) < 0.8] = 0.0
        return g
    if kind in ("cancel", "exact-cancel"):
        # +-M in equal numbers (about), plus small noise for "cancel": the
        # sum is small against the terms.
        m = big * rng.choice([1.0, 0.25])
        signs = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
        g = m * signs[rng.permutation(n)]
        if kind == "cancel":
            g = g + rng.standard_normal(n)
        return g
    if kind == "one-huge":
        g = rng.standard_normal(n)
        g[rng.integers(n)] = big * rng.choice([-1.0, 1.0])
        return g
    if kind == "wide":
        top = np.log10(big)
        g = 10.0 ** rng.uniform(-top / 2, top, n)
        return g * rng.choice([-1.0, 1.0], n)
    if kind == "tiny":
        return rng.uniform(-4.0, 4.0, n) * patterns.SMALLEST_NORMAL[dtype]
    raise ValueError(kind)


def proportional(rng, y, dtype):
    """M * exp(y) + noise for a slice y (exp(y) taken as 0 where y is not a
    finite value <= 0): sum(g) is about M, and g_j - exp(y_j) * sum(g)
    cancels down to the noise."""
    with np.errstate(all="ignore"):
        p = np.where(np.isfinite(y) & (y <= 0), np.exp(np.minimum(y, 0.0)), 0.0)
    m = rng.choice([1e3, 1e4]) if dtype == "f16" else rng.choice([1e3, 1e6, BIG[dtype]])
    return m * p + rng.standard_normal(y.size) * rng.choice([1e-3, 1.0])


def y_slice(rng, kind, n, dtype):
    if kind == "y-uniform":
        y = rng.uniform(-100.0, 100.0, n)
        y[rng.random(n) < 0.1] = -np.inf
        return y
    if kind == "y-positive":
        return rng.uniform(0.0, 100.0, n)
    if kind == "y-overflow-edge":
        # Around log of the compute type's largest value (88.72 for f32,
        # 709.78 for f64), where exp(y) overflows.
        top = np.log(patterns.LARGEST[trainref.ACC[dtype]])
        y = top + rng.uniform(-1.0, 1.0, n)
        y[rng.random(n) < 0.1] = -np.inf
        return y
    if kind == "y-neginf":
        return np.full(n, -np.inf)
    if kind == "y-zero":
        return np.zeros(n)
    if kind == "y-special":
        return rng.choice([-np.inf, -np.inf, np.inf, np.nan, -100.0, 0.0, 100.0], n)
    raise ValueError(kind)


def make_inputs(call, seed):
    """softmax: ((x,), descriptions of the slices); logsoftmax_grad: ((g, y),
    descriptions): float64 values already rounded to the element type."""
    fn = call.fn
    rng = np.random.default_rng([seed, zlib.crc32(call.label().encode())])
    d = _norm(fn.dim, fn.rank)
    n = call.shape[d]
    count = int(np.prod(call.shape)) // n
    start = int(rng.integers(len(NAMES)))
    order = [NAMES[(start + k) % len(NAMES)] for k in range(count)]
    x = nnref.round_to(pattern_rows(rng, order, n, fn.dtype), fn.dtype)
    if fn.op == "softmax":
        return (assemble(x, call.shape, d),), order
    y = nnref.round_to(nnref.logsoftmax_ref(x, 1), fn.dtype)
    ykinds = ["lsm:" + name for name in order]
    for k in np.flatnonzero(rng.random(count) < Y_ARBITRARY):
        kind = Y_KINDS[int(rng.integers(len(Y_KINDS)))]
        ykinds[k] = kind
        y[k] = nnref.round_to(y_slice(rng, kind, n, fn.dtype), fn.dtype)
    gkinds = [G_KINDS[k] for k in rng.choice(len(G_KINDS), count, p=G_WEIGHTS / G_WEIGHTS.sum())]
    g = np.empty((count, n))
    for k, kind in enumerate(gkinds):
        g[k] = (proportional(rng, y[k], fn.dtype) if kind == "proportional"
                else g_slice(rng, kind, n, fn.dtype))
    g = nnref.round_to(g, fn.dtype)
    described = ["y %s, g %s" % (yk, gk) for yk, gk in zip(ykinds, gkinds)]
    return (assemble(g, call.shape, d), assemble(y, call.shape, d)), described


# ---------------------------------------------------------------------------
# Expected values
# ---------------------------------------------------------------------------

def beyond_compute_range(g, yin, dim, dtype, out, res, atol, rtol):
    """For nn.logsoftmax_grad: where the float64 reference holds values that
    the compute type cannot (exp(y), p * sum(g) or the result past its
    largest value), which results `res` the op may give instead, as PyTorch
    computes at that precision. p = exp(y) is taken within a relative 1e-3
    (at +inf where that passes the compute type's largest value), the sum S
    of the slice's g within (n - 1) u sum(|g|) of the float64 sum (the
    compute type's rounding, in any order). Then:

    * p surely overflows: g - inf * S, so exactly -inf for S > 0, +inf for
      S < 0, NaN for all g zero, one of NaN and +-inf where S's sign is open;
    * else the result lies in g - [p] * [S] (interval products) within the
      result type's tolerance; -inf where p * S may pass the largest value
      above or the interval reaches past the result type's largest value
      below, +inf likewise; NaN where p may overflow and S may be 0.

    Returns (beyond, ok, strict): the elements concerned, where `res` is
    acceptable, and for the elements where p surely overflows the value
    expected (an inf, or NaN where S's sign is open)."""
    acc = trainref.ACC[dtype]
    top, largest = patterns.LARGEST[acc], patterns.LARGEST[out]
    eps = 1e-3
    d = _norm(dim, g.ndim)
    n = g.shape[d]
    with np.errstate(all="ignore"):
        p = np.exp(yin)
        S = np.sum(g, axis=d, keepdims=True)
        A = np.sum(np.abs(g), axis=d, keepdims=True)
        err = max(n - 1, 1) * trainref.UNIT_ROUNDOFF[acc] * A
        s_lo, s_hi = np.broadcast_to(S - err, g.shape), np.broadcast_to(S + err, g.shape)
        A = np.broadcast_to(A, g.shape)
        may_p = p * (1 + eps) > top
        sure = (p * (1 - eps) > top) & ~np.isnan(yin)
        p_lo, p_hi = p * (1 - eps), np.where(may_p, np.inf, p * (1 + eps))
        t_hi = np.where(s_hi > 0, p_hi * s_hi, np.where(s_hi < 0, p_lo * s_hi, 0.0))
        t_lo = np.where(s_lo < 0, p_hi * s_lo, np.where(s_lo > 0, p_lo * s_lo, 0.0))
        lo, hi = g - t_hi, g - t_lo
        edge = top * (1 - eps)
        beyond = (may_p | (np.maximum(np.abs(t_lo), np.abs(t_hi)) > edge)
                  | (np.maximum(np.abs(lo), np.abs(hi)) > min(edge, largest * (1 - eps))))
        beyond &= ~np.isnan(yin)
        lo_pad = lo - (atol + rtol * np.abs(lo))
        hi_pad = hi + (atol + rtol * np.abs(hi))
        open_sign = (s_lo <= 0) & (s_hi >= 0)
        ok = ((np.isfinite(res) & (res >= lo_pad) & (res <= hi_pad))
              | (np.isneginf(res) & ((t_hi > edge) | (lo_pad < -largest * (1 - eps))))
              | (np.isposinf(res) & ((t_lo < -edge) | (hi_pad > largest * (1 - eps))))
              | (np.isnan(res) & may_p & open_sign))
        ok &= beyond & ~sure
        strict = np.where(s_lo > 0, -np.inf, np.where(s_hi < 0, np.inf, np.nan))
        ok_sure = sure & (((s_lo > 0) & np.isneginf(res)) | ((s_hi < 0) & np.isposinf(res))
                          | (open_sign & (np.isnan(res) | (np.isinf(res) & (A > 0)))))
    return beyond | sure, ok | ok_sure, np.where(sure & ~ok_sure, strict, np.nan), sure


def expected(fn, inputs, y):
    """(ref, atol, rtol) for the call's inputs, adjusted to the result `y`
    where the op may give another value than the float64 reference: within
    the bound of the result type's largest value, and (logsoftmax_grad)
    beyond the compute type's range."""
    if fn.op == "softmax":
        return trainref.softmax_expected(inputs[0], fn.dim, fn.out)
    g, yin = inputs
    ref, atol, rtol = trainref.logsoftmax_grad_expected(g, yin, fn.dim, fn.dtype)
    ref64 = trainref.logsoftmax_grad_ref(g, yin, fn.dim)
    atol = np.broadcast_to(np.asarray(atol, np.float64), ref.shape)
    largest = patterns.LARGEST[fn.out]
    with np.errstate(all="ignore"):
        # Within the bound of the result type's largest value: that value or
        # inf of the reference's sign.
        finite64 = np.isfinite(ref64)
        near = finite64 & (np.abs(ref64) + atol + rtol * np.abs(ref64) >= largest)
        clipped = np.clip(ref64, -largest, largest)
        ref = np.where(near & np.isfinite(y), clipped, ref)
        ref = np.where(near & np.isinf(y) & (np.sign(y) == np.sign(ref64)), y, ref)
        beyond, ok, strict, sure = beyond_compute_range(g, yin, fn.dim, fn.dtype, fn.out, y,
                                                        atol, rtol)
        ref = np.where(ok, y, ref)
        ref = np.where(sure & ~ok, strict, ref)
    return ref, atol, rtol


# ---------------------------------------------------------------------------
# The call
# ---------------------------------------------------------------------------

def check_softmax(y, x_rounded, order, dim, out):
    """Why nn.softmax's result `y` for the rounded input is wrong (trainref's
    reference and tolerance), naming the first bad slice along dim and its
    pattern (`order`, one name per slice), or None. The gpu-emu path's check
    (gpu_emulation.py)."""
    ref, atol, rtol = trainref.softmax_expected(x_rounded, dim, out)
    reason = trainref.compare(y, ref, atol, rtol)
    if not reason:
        return None
    bad = np.moveaxis(bad_elements(y, ref, atol, rtol), _norm(dim, y.ndim), -1)
    failing = np.flatnonzero(bad.reshape(-1, bad.shape[-1]).any(axis=1))
    if failing.size:
        k = int(failing[0])
        return "slice %d (pattern %s): %s" % (k, order[k], reason)
    return reason


def invoke(kernel, operands, out_shape, out_dtype, skip, threads, fill):
    """Calls `kernel` on copies of `operands` (storage arrays) placed `skip`
    elements past a 64-byte boundary, with NN_NUM_THREADS = `threads`;
    returns the result, pre-filled with the byte `fill`."""
    args = [differential_ce.placed_copy(a, skip) for a in operands]
    out = differential_ce.placed_empty(out_shape, aot.STORAGE[out_dtype], skip)
    out.reshape(-1).view(np.uint8)[...] = fill
    descs = [aot.descriptor(a) for a in args + [out]]
    os.environ["NN_NUM_THREADS"] = str(threads)
    kernel(*[ctypes.byref(desc) for desc in descs])
    return out


def bad_elements(y, ref, atol, rtol):
    """Where `y` fails trainref.compare's test against `ref`."""
    with np.errstate(all="ignore"):
        kind = [np.isnan(y) != np.isnan(ref), np.isposinf(y) != np.isposinf(ref),
                np.isneginf(y) != np.isneginf(ref)]
        both = np.isfinite(y) & np.isfinite(ref)
        far = both & (np.abs(y - ref) > atol + rtol * np.abs(np.where(both, ref, 0.0)))
    return kind[0] | kind[1] | kind[2] | far


def locate(fn, inputs, y, ref, atol, rtol, described):
    """`slice K (...), first bad element at INDEX (its inputs): ` for the
    first failing slice along dim."""
    d = _norm(fn.dim, fn.rank)
    shape = ref.shape
    atol = np.broadcast_to(np.asarray(atol, np.float64), shape)
    rtol = np.broadcast_to(np.asarray(rtol, np.float64), shape)
    bad = np.moveaxis(bad_elements(y, ref, atol, rtol), d, -1)
    rows = bad.reshape(-1, bad.shape[-1])
    failing = np.flatnonzero(rows.any(axis=1))
    if not failing.size:
        return ""
    k = int(failing[0])
    j = int(np.flatnonzero(rows[k])[0])
    outer = np.unravel_index(k, bad.shape[:-1]) if bad.ndim > 1 else ()
    index = list(int(i) for i in outer)
    index.insert(d, j)
    index = tuple(index)
    sl = tuple(slice(None) if a == d else index[a] for a in range(len(shape)))
    if fn.op == "softmax":
        x = inputs[0]
        with np.errstate(all="ignore"):
            what = "x %r, slice max %r" % (float(x[index]), float(np.max(x[sl])))
    else:
        g, yin = inputs
        with np.errstate(all="ignore"):
            what = "g %r, y %r, slice sum(g) %r, sum(|g|) %r" % (
                float(g[index]), float(yin[index]), float(np.sum(g[sl])),
                float(np.sum(np.abs(g[sl]))))
    return ("%d bad slice(s); slice %d (%s), first bad element at %s (%s): got %r, "
            "expected %r (bound %.3g); the tensor: " % (
                failing.size, k, described[k], index, what, float(y[index]),
                float(ref[index]), float(atol[index] + rtol[index] * abs(ref[index]))))


def evaluate(kernel, fn, inputs, described):
    """(y1, y2, reason): 1 thread on aligned buffers, 2 threads on unaligned
    ones, and None or why the first does not match trainref."""
    operands = [aot.to_storage(a.reshape(-1), fn.dtype).reshape(a.shape) for a in inputs]
    shape = inputs[0].shape
    y1 = invoke(kernel, operands, shape, fn.out, 0, 1, 0x7F)
    y2 = invoke(kernel, operands, shape, fn.out, 1, 2, 0x00)
    return y1, y2, judge(fn, inputs, described, y1)


def judge(fn, inputs, described, raw):
    """None, or why the raw result `raw` does not match trainref."""
    shape = inputs[0].shape
    y = aot.from_storage(raw.reshape(-1), fn.out).reshape(shape)
    ref, atol, rtol = expected(fn, inputs, y)
    reason = trainref.compare(y, ref, atol, rtol)
    if reason:
        reason = locate(fn, inputs, y, ref, atol, rtol, described) + reason
    return reason


def save_repro(work, call, inputs, count):
    """The function and its inputs under WORK/repro, and an nn-run command."""
    fn = call.fn
    base, cmd = differential_ce.start_repro(work, call, "sm%d" % count)
    names = ("x",) if fn.op == "softmax" else ("g", "y")
    for name, values in zip(names, inputs):
        path = "%s.%s.npy" % (base, name)
        np.save(path, nnref.to_npy_input(values, fn.dtype))
        cmd.append("--input=@" + path)
    return " ".join(shlex.quote(c) for c in cmd)


def run_call(kernel, call, opts, failures, state, prefix="abi"):
    """One call, labelled `prefix`: for the CPU ("abi") the unaligned
    2-thread result must equal the aligned 1-thread one bit for bit; the
    GPU kernels ("gpu-abi", emulated) take vector or scalar kernels by
    alignment, which sum in another order, so each is checked against
    trainref."""
    fn = call.fn
    inputs, described = make_inputs(call, opts.seed)
    y1, y2, reason = evaluate(kernel, fn, inputs, described)
    if prefix != "abi":
        reason = reason or judge(fn, inputs, described, y2)
        reason = reason and "%s: %s" % (prefix, reason)
    elif not reason and y1.tobytes() != y2.tobytes():
        reason = differential_ce.threads_differ(
            y1, y2, lambda y: aot.from_storage(y.reshape(-1), fn.out))
    failures.check(call.label(), reason)
    if reason:
        state["repros"] += 1
        if state["repros"] <= 50:
            rerun = opts.rerun if prefix == "abi" else opts.rerun.replace(
                "--paths abi", "--paths gpu-emu")
            print("  reproduce: %s --only=%s" % (rerun, shlex.quote(call.label())))
            print("  nn-run (1 call, no buffer offsets): %s" % save_repro(
                opts.work, call, inputs, state["repros"]))
        sys.stdout.flush()


def wanted(opts, op, dtype, out):
    """--dtypes picks the input types of both ops, --pairs softmax's type
    pairs."""
    if opts.dtypes and dtype not in opts.dtypes.split(","):
        return False
    return op != "softmax" or not opts.pairs or "%s-%s" % (dtype, out) in opts.pairs.split(",")


def run_abi(opts, failures, ops, gpu=False):
    """Runs the ABI cases of `ops` (a subset of OPS), one summary line per op
    and type pair: `abi softmax IN->OUT: ...` or `abi logsoftmax_grad DTYPE:
    N cases, M failed, Ts`. With `gpu`, the same cases on the GPU kernels
    (nn-compile --target=gpu-emulator, default strategy), labelled
    `gpu-abi`: the generator's static, partly dynamic and dynamic shapes."""
    prefix = "gpu-abi" if gpu else "abi"
    flags = ["--target=gpu-emulator"] if gpu else ["--min-parallel-bytes=0"]
    work = os.path.join(opts.work, "gpu-abi") if gpu else opts.work
    os.makedirs(work, exist_ok=True)
    groups = []
    for op in OPS:
        if op not in ops:
            continue
        for dtype, out in pairs_of(op):
            if not wanted(opts, op, dtype, out):
                continue
            functions, calls = plan(opts.tier, opts.seed, op, dtype, out)
            if opts.only:
                calls = [c for c in calls if opts.only in c.label()]
                used = {c.fn.name for c in calls}
                functions = [fn for fn in functions if fn.name in used]
            if calls:
                groups.append((op, dtype, out, functions, calls))
    state = {"repros": 0}
    with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        jobs = []
        for op, dtype, out, functions, calls in groups:
            libs = []
            for k in range(0, len(functions), LIBRARY_SIZE):
                chunk = functions[k:k + LIBRARY_SIZE]
                name = "%s_%s_%s_%d" % (op, dtype, out, k // LIBRARY_SIZE)
                libs.append((name, chunk, pool.submit(differential_ce.compile_library,
                                                      opts.nn_compile, work, name, chunk,
                                                      flags)))
            jobs.append((op, dtype, out, calls, libs))
        for op, dtype, out, calls, libs in jobs:
            start = time.time()
            before = (failures.count, failures.failed)
            kernels = differential_ce.load_kernels(libs, work, failures)
            for call in calls:
                if call.fn.name in kernels:
                    run_call(kernels[call.fn.name], call, opts, failures, state, prefix)
            print("%s %s %s: %d cases, %d failed, %.1fs" % (
                prefix, op, "%s->%s" % (dtype, out) if op == "softmax" else dtype,
                failures.count - before[0], failures.failed - before[1], time.time() - start))
            sys.stdout.flush()
