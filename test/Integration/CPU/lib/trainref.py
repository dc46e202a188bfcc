"""Float64 reference for the training ops: nn.softmax, nn.logsoftmax_grad,
nn.cross_entropy and nn.cross_entropy_grad, with the tolerance of each and a
comparator.

As in nnref.py (whose rounding, tolerance table and .npy dtypes are reused):

* every reference is evaluated in float64 on the inputs *after* they were
  rounded to their argument type (nnref.rounded_input / nnref.round_to);
* f16/bf16 results are compared against the reference rounded to that type
  (the ops compute in f32 and round once at the end);
* NaN, +inf and -inf positions must match exactly; finite values must be
  within a bound |y - ref| <= atol + rtol * |ref|, where atol and rtol start
  from nnref.TOLERANCE of the result type and, for the reductions and the
  gradients, grow with what the computation really has to add up (see
  each *_expected function for the reasoning).

The PyTorch semantics followed (checked against PyTorch in float64 by
scripts/check-training-reference.py):

* softmax(x, dim) = exp(log_softmax(x, dim)): a slice with a NaN or +inf, or
  all -inf, is all NaN; -inf gives 0.
* logsoftmax_grad(g, out, dim) = g - exp(out) * sum(g, dim)
  (aten::_log_softmax_backward_data), literally: 0 * inf is NaN.
* cross_entropy(x, t, ignore_index, reduction, eps) with class-index targets
  (classes along dim 1, dim 0 for rank-1 logits), as ATen's
  cross_entropy_loss: lp = log_softmax(x); nll_i = -lp[i, t_i] (0 where
  t_i == ignore_index, without reading the row: an ignored row of all -inf
  gives 0, not NaN); with eps > 0 also smooth_i = -sum_c lp[i, c] (0 where
  ignored) and
      none: (1 - eps) * nll_i + eps / C * smooth_i
      sum:  (1 - eps) * sum(nll) + eps / C * sum(smooth)
      mean: (1 - eps) * sum(nll) / n + eps / C * sum(smooth) / n
  where n counts the targets that are not ignore_index (both terms divide by
  the same n). All ignored: "mean" is 0/0 = NaN, "sum" is 0. With eps == 0
  the smoothing term is absent (a row with a -inf logit does not make the
  loss inf unless its target is that class).
* cross_entropy_grad: d loss / d x times grad_loss:
      s_i * (softmax(x)[i, :] - (1 - eps) * onehot(t_i) - eps / C)
  where s_i is grad_loss (none: its element i; sum: the scalar; mean: the
  scalar / n) for a row whose target is not ignored, and 0 for an ignored
  row. PyTorch's autograd multiplies that 0 into the row (log_softmax's
  backward is G - exp(lp) * sum(G)), so an ignored row whose softmax is NaN
  (all -inf, or a NaN/+inf logit) gets a NaN gradient although its loss is the
  constant 0; every other ignored row gets 0. All targets ignored with "mean":
  the gradient is all 0 (finite rows), although the loss is NaN.
* Out-of-range targets (neither ignore_index nor in [0, C)): PyTorch raises;
  the compiled ops give a NaN loss for that sample (so NaN for "sum"/"mean")
  and a NaN gradient row (all C entries); other samples are unaffected.

Non-finite grad_loss values are outside what this reference pins down (it
does not mirror PyTorch's order of operations there).

Only numpy is used (no PyTorch).
"""

import numpy as np

import nnref
from nnref import TOLERANCE, normalize_dim, round_to

# dtype of the .npy file of an integer (target) argument.
NPY_INT_DTYPE = {
    "i64": np.dtype("<i8"),
    "i32": np.dtype("<i4"),
}

# The type the ops compute in: f16/bf16 compute in f32.
ACC = {"f16": "f32", "bf16": "f32", "f32": "f32", "f64": "f64"}

# Unit roundoff of the accumulation types.
UNIT_ROUNDOFF = {"f32": 2.0 ** -24, "f64": 2.0 ** -53}

# Smallest normal value of each type: an absolute floor for results that
# land among the subnormals (where a result may be flushed or rounded to a
# neighbouring quantum).
SMALLEST_NORMAL = {
    "f16": 2.0 ** -14,
    "bf16": 2.0 ** -126,
    "f32": 2.0 ** -126,
    "f64": 2.0 ** -1022,
}


def _class_dim(rank):
    return 0 if rank <= 1 else 1


def _round_result(ref, out_dtype):
    """The reference as compared: rounded to f16/bf16 results; for f32 and
    f64 results only the positions that overflow the type become inf."""
    if out_dtype in ("f16", "bf16"):
        return round_to(ref, out_dtype)
    rounded = round_to(ref, out_dtype)
    return np.where(np.isinf(rounded), rounded, ref)


# ---------------------------------------------------------------------------
# softmax
# ---------------------------------------------------------------------------

def softmax_ref(x, dim):
    """float64 softmax of the already rounded `x` along `dim` (rank 0: one
    slice of one element)."""
    with np.errstate(all="ignore"):
        return np.exp(nnref.logsoftmax_ref(x, dim))


def softmax_expected(x, dim, out_dtype):
    """(ref, atol, rtol) for nn.softmax of the rounded input `x` into
    `out_dtype`. The values are in [0, 1]: the result type's tolerance."""
    ref = _round_result(softmax_ref(x, dim), out_dtype)
    atol, rtol = TOLERANCE[out_dtype]
    return ref, atol, rtol


# ---------------------------------------------------------------------------
# logsoftmax_grad
# ---------------------------------------------------------------------------

def logsoftmax_grad_ref(grad_output, output, dim):
    """grad_output - exp(output) * sum(grad_output, dim), in float64, on the
    already rounded operands (as aten::_log_softmax_backward_data)."""
    g = np.asarray(grad_output, dtype=np.float64)
    out = np.asarray(output, dtype=np.float64)
    assert g.shape == out.shape, (g.shape, out.shape)
    if g.ndim == 0:
        return logsoftmax_grad_ref(g.reshape(1), out.reshape(1), 0).reshape(())
    d = normalize_dim(dim, g.ndim)
    with np.errstate(all="ignore"):
        return g - np.exp(out) * np.sum(g, axis=d, keepdims=True)


def logsoftmax_grad_expected(grad_output, output, dim, dtype):
    """(ref, atol, rtol) for nn.logsoftmax_grad of element type `dtype`.

    r_j = g_j - p_j * S with p_j = exp(out_j), S = sum_k g_k, evaluated in
    ACC[dtype]. The subtraction can cancel, so a bound relative to |r_j| alone
    is wrong: the evaluation error is relative to the terms, not the result.
    Bound: the result type's atol + rtol * |ref| (covers rounding the result to
    a 16-bit type) plus, in the accumulation type, rtol_acc * |g_j| (the
    subtraction) and (rtol_acc + (n - 1) * u_acc) * p_j * sum_k |g_k| (exp's
    error and the worst-case error of summing n terms)."""
    g = np.asarray(grad_output, dtype=np.float64)
    out = np.asarray(output, dtype=np.float64)
    ref = _round_result(logsoftmax_grad_ref(g, out, dim), dtype)
    atol, rtol = TOLERANCE[dtype]
    acc = ACC[dtype]
    rtol_acc = TOLERANCE[acc][1]
    if g.ndim == 0:
        n, abs_sum = 1, np.abs(g)
    else:
        d = normalize_dim(dim, g.ndim)
        n = g.shape[d]
        with np.errstate(all="ignore"):
            abs_sum = np.sum(np.abs(g), axis=d, keepdims=True)
    with np.errstate(all="ignore"):
        extra = rtol_acc * np.abs(g) + (rtol_acc + max(n - 1, 0) * UNIT_ROUNDOFF[acc]) \
            * np.exp(out) * abs_sum
    extra = np.where(np.isfinite(extra), extra, 0.0)
    return ref, atol + extra, rtol


# ---------------------------------------------------------------------------
# cross_entropy
# ---------------------------------------------------------------------------

class _Rows:
    """The logits moved to [..., C] (the target's shape, then the classes),
    their log-softmax and the classification of every target."""

    def __init__(self, logits, target, ignore_index):
        x = np.asarray(logits, dtype=np.float64)
        t = np.asarray(target).astype(np.int64)
        if x.ndim == 0:
            raise ValueError("cross_entropy logits must have rank >= 1")
        self.cdim = _class_dim(x.ndim)
        self.C = x.shape[self.cdim]
        want = x.shape[:self.cdim] + x.shape[self.cdim + 1:]
        if t.shape != want:
            raise ValueError("target shape %s, expected %s" % (t.shape, want))
        self.shape = x.shape
        self.lp = np.moveaxis(nnref.logsoftmax_ref(x, self.cdim), self.cdim, -1)
        self.ignored = t == ignore_index
        in_range = (t >= 0) & (t < self.C)
        self.valid = ~self.ignored & in_range
        self.oob = ~self.ignored & ~in_range
        self.t = np.where(self.valid, t, 0)
        # n of "mean": the targets that are not ignore_index.
        self.count = int(np.count_nonzero(~self.ignored))

    def onehot(self):
        if self.C == 0:
            return np.zeros(self.lp.shape)
        return (np.arange(self.C) == self.t[..., None]).astype(np.float64)

    def nll(self):
        if self.C == 0:
            picked = np.zeros(self.t.shape)
        else:
            picked = np.take_along_axis(self.lp, self.t[..., None], -1)[..., 0]
        out = np.where(self.valid, -picked, 0.0)
        return np.where(self.oob, np.nan, out)

    def smooth(self):
        with np.errstate(all="ignore"):
            s = -np.sum(self.lp, axis=-1)
        s = np.where(self.ignored, 0.0, s)
        return np.where(self.oob, np.nan, s)


def _check_reduction(reduction):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError("unknown reduction " + repr(reduction))


def cross_entropy_ref(logits, target, ignore_index=-100, reduction="mean",
                      label_smoothing=0.0):
    """float64 cross-entropy of the already rounded logits with class-index
    targets; the target's shape for "none", else a rank-0 array."""
    _check_reduction(reduction)
    rows = _Rows(logits, target, ignore_index)
    eps = float(label_smoothing)
    nll = rows.nll()
    with np.errstate(all="ignore"):
        if reduction == "none":
            loss = nll
        elif reduction == "sum":
            loss = np.sum(nll)
        else:
            loss = np.float64(np.sum(nll)) / np.float64(rows.count)
        if eps > 0:
            smooth = rows.smooth()
            if reduction == "sum":
                smooth = np.sum(smooth)
            elif reduction == "mean":
                smooth = np.float64(np.sum(smooth)) / np.float64(rows.count)
            loss = (1.0 - eps) * loss + smooth * (eps / rows.C)
    return np.asarray(loss, dtype=np.float64)


def cross_entropy_expected(logits, target, dtype, ignore_index=-100, reduction="mean",
                           label_smoothing=0.0):
    """(ref, atol, rtol) for nn.cross_entropy with logits of type `dtype`.

    A per-sample loss (1 - eps) * (-lp_t) + eps / C * sum_c(-lp_c) is a
    non-negative combination of log-softmax values, all <= 0, so (no
    cancellation) its error is within the log-softmax tolerance of the
    accumulation type: atol_acc + rtol_acc * |loss_i|. That makes "none"
    the plain result-type tolerance.

    "sum" of n non-ignored losses: n * atol_acc + rtol_acc * |sum| from the
    terms (they are all >= 0: sum |loss_i| = |sum|), plus (n - 1) * u_acc *
    |sum| for summing n terms in the accumulation type (the worst case of
    recursive summation). "mean" divides all that by n: atol_acc +
    (rtol_acc + (n - 1) * u_acc) * |mean|. For f16/bf16 the f32 result is then
    rounded once, which puts it within one ulp (2^-10 resp. 2^-7 relative) of
    the reference rounded to that type: the 16-bit tolerance (2e-3 / 2e-2
    relative, plus its atol) is added on top. The f32 error of a long sum
    stays far below a 16-bit ulp (1000 terms: < 6e-5 relative), so a 16-bit
    sum is as exact as one rounding: only an implementation that accumulated
    in f16/bf16 (wrong by the contract) would lose more than that; the
    tolerance does not grow with n beyond the terms above for that reason."""
    ref = cross_entropy_ref(logits, target, ignore_index, reduction, label_smoothing)
    ref = _round_result(ref, dtype)
    atol, rtol = TOLERANCE[dtype]
    if reduction == "none":
        return ref, atol, rtol
    acc = ACC[dtype]
    atol_acc, rtol_acc = TOLERANCE[acc]
    t = np.asarray(target)
    n = max(int(np.count_nonzero(t != ignore_index)), 1)
    extra_rtol = rtol_acc + (n - 1) * UNIT_ROUNDOFF[acc]
    extra_atol = atol_acc * (n if reduction == "sum" else 1)
    if acc == dtype:
        return ref, extra_atol, extra_rtol
    return ref, atol + extra_atol, rtol + extra_rtol


def cross_entropy_grad_ref(grad_loss, logits, target, ignore_index=-100, reduction="mean",
                           label_smoothing=0.0):
    """float64 d cross_entropy / d logits times grad_loss, logits-shaped (see
    the module docstring for ignored rows and out-of-range targets)."""
    _check_reduction(reduction)
    rows = _Rows(logits, target, ignore_index)
    eps = float(label_smoothing)
    s = _grad_scale(grad_loss, rows, reduction)
    with np.errstate(all="ignore"):
        p = np.exp(rows.lp)
        q = (1.0 - eps) * rows.onehot() + (eps / rows.C if rows.C else 0.0)
        q = np.where(rows.ignored[..., None], 0.0, q)
        grad = s[..., None] * (p - q)
    grad = np.where(rows.oob[..., None], np.nan, grad)
    return np.moveaxis(grad, -1, rows.cdim)


def _grad_scale(grad_loss, rows, reduction):
    """Per-row factor s_i: 0 for ignored rows."""
    gl = np.asarray(grad_loss, dtype=np.float64)
    if reduction == "none":
        if gl.shape != rows.t.shape:
            raise ValueError("grad_loss shape %s, expected %s" % (gl.shape, rows.t.shape))
        s = gl
    else:
        if gl.shape != ():
            raise ValueError("grad_loss of %s must be rank 0, got %s" % (reduction, gl.shape))
        s = np.broadcast_to(gl, rows.t.shape)
        if reduction == "mean":
            with np.errstate(all="ignore"):
                s = s / np.float64(rows.count)
    return np.where(rows.ignored, 0.0, s)


def cross_entropy_grad_expected(grad_loss, logits, target, dtype, ignore_index=-100,
                                reduction="mean", label_smoothing=0.0):
    """(ref, atol, rtol) for nn.cross_entropy_grad of element type `dtype`.

    Each entry is s_i * (p_c - q_c) with |p_c - q_c| <= 1 computed to within
    the result type's atol (p_c is exp of a log-softmax value, q_c exact), so
    the absolute part of the bound scales with |s_i| (for "mean" s is
    grad_loss / n, which would make a fixed atol meaningless for large n):
    |s_i| * atol + rtol * |ref|, plus the smallest normal of the type for
    entries that fall among the subnormals."""
    ref = cross_entropy_grad_ref(grad_loss, logits, target, ignore_index, reduction,
                                 label_smoothing)
    ref = _round_result(ref, dtype)
    rows = _Rows(logits, target, ignore_index)
    s = np.abs(_grad_scale(grad_loss, rows, reduction))
    s = np.moveaxis(np.broadcast_to(s[..., None], rows.lp.shape), -1, rows.cdim)
    atol, rtol = TOLERANCE[dtype]
    a = np.where(np.isfinite(s), s * atol, 0.0) + SMALLEST_NORMAL[dtype]
    return ref, a, rtol


# ---------------------------------------------------------------------------
# Comparator
# ---------------------------------------------------------------------------

def compare(y, ref, atol, rtol):
    """Checks `y` against `ref` (as returned by an *_expected function):
    NaN/+inf/-inf positions must match, finite values must satisfy
    |y - ref| <= atol + rtol * |ref| (atol, rtol: scalars or arrays that
    broadcast to ref's shape).

    Returns None when it passes, else a one-line reason that names the max
    error over finite positions and the worst index."""

    def out_of_tolerance(nbad, where, got, want, bound):
        return ("%d finite element(s) out of tolerance, worst at %s: got %r, "
                "expected %r (bound %.3g)" % (nbad, where, got, want, bound))

    return nnref.compare_within(y, ref, atol, rtol, out_of_tolerance)
