"""Float64 reference for nn.logsoftmax, 16-bit rounding and the spec comparator.

Everything here follows docs/logsoftmax-semantics.md:

* the reference is `(x - m) - log(sum(exp(x - m)))` along `dim`, evaluated in
  float64 on the inputs *after* they were rounded to the argument type;
* per slice: any NaN or +inf -> all NaN; all -inf -> all NaN; some -inf ->
  -inf there and finite elsewhere;
* a finite output passes when |y - ref| <= atol + rtol * |ref|, with the
  tolerance of the RESULT type; NaN, +inf and -inf positions must match
  exactly; f16/bf16 results are compared against the reference rounded to
  that type.

Only numpy is used (no PyTorch).
"""

import numpy as np

DTYPES = ("f16", "bf16", "f32", "f64")

# Tolerances of the spec's accuracy table, keyed by the result type.
TOLERANCE = {
    "f64": (1e-12, 1e-12),
    "f32": (1e-5, 1e-5),
    "f16": (2e-3, 2e-3),
    "bf16": (2e-2, 2e-2),
}

# Allowed (input, result) element type pairs: same type or a wider float.
WIDER = {
    "f16": ("f16", "f32", "f64"),
    "bf16": ("bf16", "f32", "f64"),
    "f32": ("f32", "f64"),
    "f64": ("f64",),
}

# dtype of the .npy file that carries a tensor of this element type.
NPY_DTYPE = {
    "f16": np.dtype("<f2"),
    "bf16": np.dtype("<f4"),  # NumPy has no bf16: carried as f32.
    "f32": np.dtype("<f4"),
    "f64": np.dtype("<f8"),
}

BF16_MAX = float(np.uint32(0x7F7F0000).view(np.float32))
F16_MAX = 65504.0


# ---------------------------------------------------------------------------
# Rounding
# ---------------------------------------------------------------------------

def f32_to_bf16(a):
    """Rounds float32 values to bf16 (nearest, ties to even) by bit
    manipulation; returns float32 values that are exactly bf16. This is what a
    bf16 argument does with the <f4 .npy it is given."""
    shape = np.shape(a)
    a = np.array(a, dtype=np.float32).reshape(-1)  # a contiguous copy
    bits = a.view(np.uint32).astype(np.uint64)
    nan = np.isnan(a)
    lsb = (bits >> np.uint64(16)) & np.uint64(1)
    rounded = ((bits + np.uint64(0x7FFF) + lsb) >> np.uint64(16)) & np.uint64(0xFFFF)
    # NaN stays NaN (quiet, sign kept).
    rounded = np.where(nan, ((bits >> np.uint64(16)) | np.uint64(0x40)) & np.uint64(0xFFFF),
                       rounded)
    out = (rounded << np.uint64(16)).astype(np.uint32).view(np.float32)
    return out.reshape(shape)


def f64_to_bf16(a):
    """Rounds float64 values once (no double rounding through f32) to bf16,
    nearest with ties to even, by bit manipulation on the float64 encoding;
    returns float64 values that are exactly bf16."""
    shape = np.shape(a)
    a = np.array(a, dtype=np.float64).reshape(-1)  # a contiguous copy
    nan = np.isnan(a)
    safe = np.where(nan, 0.0, a)
    bits = safe.view(np.uint64)
    drop = np.uint64(52 - 7)  # f64 keeps 52 fraction bits, bf16 keeps 7.
    lsb = (bits >> drop) & np.uint64(1)
    half = np.uint64((1 << 44) - 1)
    mask = ~np.uint64((1 << 45) - 1)
    out = ((bits + half + lsb) & mask).view(np.float64).copy()
    with np.errstate(all="ignore"):
        # Past the largest bf16 (the rounding carried into 2^128): infinity.
        out = np.where(np.abs(out) >= 2.0 ** 128, np.copysign(np.inf, safe), out)
        # bf16 subnormals: a fixed quantum of 2^-133.
        tiny = np.abs(safe) < 2.0 ** -126
        q = 2.0 ** -133
        out = np.where(tiny, np.round(safe / q) * q, out)
    out = np.where(nan, np.nan, out)
    return out.reshape(shape)


def round_to(a, dtype):
    """Rounds float64 values once to `dtype`; returns float64 values."""
    a = np.asarray(a, dtype=np.float64)
    with np.errstate(all="ignore"):
        if dtype == "f64":
            return a.copy()
        if dtype == "f32":
            return a.astype(np.float32).astype(np.float64)
        if dtype == "f16":
            # numpy converts double -> half directly (one rounding).
            return a.astype(np.float16).astype(np.float64)
        if dtype == "bf16":
            return f64_to_bf16(a)
    raise ValueError("unknown dtype " + dtype)


def to_npy_input(values, dtype):
    """The array written to the .npy of an argument of element type `dtype`.
    f16/f32/f64 values are rounded here; bf16 values are only rounded to f32
    (nn-run rounds <f4 data for a bf16 argument itself)."""
    with np.errstate(all="ignore"):
        return np.asarray(values, dtype=np.float64).astype(NPY_DTYPE[dtype])


def rounded_input(npy_values, dtype):
    """The exact values the function sees for argument data `npy_values`
    (as written to the .npy), as float64."""
    if dtype == "bf16":
        return f32_to_bf16(np.asarray(npy_values, dtype=np.float32)).astype(np.float64)
    return np.asarray(npy_values).astype(np.float64)


# ---------------------------------------------------------------------------
# Reference
# ---------------------------------------------------------------------------

def normalize_dim(dim, rank):
    rng = max(rank, 1)
    if not -rng <= dim < rng:
        raise ValueError("dim %d out of range for rank %d" % (dim, rank))
    return dim + rng if dim < 0 else dim


def logsoftmax_ref(x, dim):
    """float64 log-softmax of the already rounded input `x` along `dim`,
    with the spec's edge-value table applied explicitly."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        # A rank-0 tensor is one slice of one element: x - x.
        return logsoftmax_ref(x.reshape(1), 0).reshape(())
    d = normalize_dim(dim, x.ndim)
    # Contiguous along the slices, so that numpy sums them pairwise: along a
    # strided axis it adds one element at a time, and a slice of 65535 terms
    # each below half an ulp of the running sum (the softmax generator's
    # absorbed-terms) lost 3e-12 of it in float64.
    xs = np.ascontiguousarray(np.moveaxis(x, d, -1))
    if xs.size == 0:
        return np.empty(x.shape, dtype=np.float64)
    nan = np.isnan(xs)
    posinf = np.isposinf(xs)
    neginf = np.isneginf(xs)
    finite = np.isfinite(xs)
    # Slices that are all NaN by the table.
    bad = (nan.any(-1, keepdims=True) | posinf.any(-1, keepdims=True)
           | neginf.all(-1, keepdims=True))
    with np.errstate(all="ignore"):
        # Only the finite elements enter max and sum (exp(-inf - m) = 0).
        xf = np.where(finite, xs, -np.inf)
        m = np.max(xf, axis=-1, keepdims=True)
        m = np.where(np.isfinite(m), m, 0.0)
        shifted = np.where(finite, xs - m, -np.inf)
        s = np.sum(np.where(finite, np.exp(shifted), 0.0), axis=-1, keepdims=True)
        y = shifted - np.log(s)
    y = np.where(neginf, -np.inf, y)
    y = np.where(bad, np.nan, y)
    return np.ascontiguousarray(np.moveaxis(y, -1, d))


def expected(x_rounded, dim, out_dtype):
    """The float64 reference as compared: rounded to the result type when that
    is f16 or bf16. A result beyond the result type's range is -inf there, as
    in PyTorch (x - max overflows: [3e38, -3e38] in f32 gives [0, -inf])."""
    ref = logsoftmax_ref(x_rounded, dim)
    if out_dtype in ("f16", "bf16"):
        ref = round_to(ref, out_dtype)
    elif out_dtype == "f32":
        rounded = round_to(ref, "f32")
        ref = np.where(np.isinf(rounded), rounded, ref)
    return ref


# ---------------------------------------------------------------------------
# Comparator
# ---------------------------------------------------------------------------

def compare(y, ref, out_dtype):
    """Checks output `y` against reference `ref` (already rounded for
    f16/bf16, see `expected`) with the tolerance of `out_dtype`.

    Returns None when it passes, else a one-line reason that names the max
    error over finite positions and the worst index."""
    atol, rtol = TOLERANCE[out_dtype]

    def out_of_tolerance(nbad, where, got, want, bound):
        return ("%d finite element(s) out of tolerance (atol=%g rtol=%g), worst at %s: "
                "got %r, expected %r" % (nbad, atol, rtol, where, got, want))

    return compare_within(y, ref, atol, rtol, out_of_tolerance)


def compare_within(y, ref, atol, rtol, out_of_tolerance):
    """The comparator behind compare() (and trainref.compare): NaN/+inf/-inf
    positions of `y` and `ref` must match, finite values must satisfy
    |y - ref| <= atol + rtol * |ref| (atol, rtol: scalars or arrays that
    broadcast to ref's shape). The worst element is the one with the largest
    |y - ref| / bound (inf where the bound is 0 and the error is not, 0 where
    the error is 0).

    `out_of_tolerance(nbad, where, got, want, bound)` words the problem of
    `nbad` finite elements out of tolerance, the worst at index `where`.

    Returns None when it passes, else a one-line reason that names the max
    error over finite positions and the worst index."""
    y = np.asarray(y, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    if y.shape != ref.shape:
        return "shape %s, expected %s" % (y.shape, ref.shape)
    if y.size == 0:
        return None
    atol = np.broadcast_to(np.asarray(atol, dtype=np.float64), ref.shape)
    rtol = np.broadcast_to(np.asarray(rtol, dtype=np.float64), ref.shape)

    def idx(flat):
        return tuple(int(i) for i in np.unravel_index(flat, y.shape)) if y.ndim else ()

    problems = []
    mismatch = None
    for name, pred in (("NaN", np.isnan), ("+inf", np.isposinf), ("-inf", np.isneginf)):
        got, want = pred(y), pred(ref)
        if not np.array_equal(got, want):
            diff = np.flatnonzero((got != want).reshape(-1))
            first = int(diff[0])
            if mismatch is None:
                mismatch = first
            problems.append("%s positions differ at %d element(s), first at %s: got %r, expected %r"
                            % (name, diff.size, idx(first), float(y.reshape(-1)[first]),
                               float(ref.reshape(-1)[first])))
    both = np.isfinite(y) & np.isfinite(ref)
    max_err = 0.0
    worst = None
    if both.any():
        with np.errstate(all="ignore"):
            err = np.where(both, np.abs(y - ref), 0.0)
            bound = atol + rtol * np.abs(np.where(both, ref, 0.0))
            ratio = np.where(both, err / bound, 0.0)
            ratio = np.where(np.isnan(ratio), np.inf, ratio)  # err > 0 with bound 0
            ratio = np.where(both & (err == 0), 0.0, ratio)
        flat = int(np.argmax(ratio.reshape(-1)))
        max_err = float(err.max())
        worst = flat
        nbad = int(np.count_nonzero(err > bound))
        if nbad:
            problems.append(out_of_tolerance(nbad, idx(flat), float(y.reshape(-1)[flat]),
                                             float(ref.reshape(-1)[flat]),
                                             float(bound.reshape(-1)[flat])))
    if not problems:
        return None
    if mismatch is not None:
        worst = mismatch
    where = idx(worst) if worst is not None else "-"
    return "; ".join(problems) + " (max error %.3g, worst index %s)" % (max_err, where)
