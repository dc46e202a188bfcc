"""Execution tests of the training ops: nn.softmax, nn.logsoftmax_grad,
nn.cross_entropy and nn.cross_entropy_grad, through nn-run, against the
float64 reference of lib/trainref.py (which scripts/check-training-reference.py
checks against PyTorch).

  training_ops.py NN_RUN WORK [--only SUBSTRING] [--jobs N] [--list]

Cases are batched: one module (one function, many ops, each on its own
arguments) per nn-run call, since every call JIT-compiles its module. Each op
is one case and prints `PASS name` or `FAIL name: reason`; a batch that nn-run
rejects fails all its cases with nn-run's message and a command to reproduce
it. Exits 1 on any failure.

Inputs go through .npy files: <f2/<f4/<f8 for f16/f32/f64, <f4 for bf16
(nn-run rounds it), <i8/<i4 for i64/i32 targets. The reference is evaluated on
the values the function really sees (rounded to the argument type).
"""

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))

import nnref  # noqa: E402
import trainref  # noqa: E402

inf, nan = float("inf"), float("nan")
FLOATS = ("f16", "bf16", "f32", "f64")
SEED = 20240617


# ---------------------------------------------------------------------------
# Operands and ops
# ---------------------------------------------------------------------------

class Operand:
    """One function argument: float64 data (or integers for i64/i32), its
    element type and which sizes are `?` in the function type."""

    def __init__(self, data, etype, dyn=None):
        self.etype = etype
        if etype in ("i64", "i32"):
            self.data = np.asarray(data, dtype=np.int64)
        else:
            self.data = np.asarray(data, dtype=np.float64)
        self.dyn = tuple(dyn) if dyn is not None else (False,) * self.data.ndim
        assert len(self.dyn) == self.data.ndim

    def type_str(self):
        return tensor_type(self.data.shape, self.dyn, self.etype)

    def npy(self):
        if self.etype in trainref.NPY_INT_DTYPE:
            return self.data.astype(trainref.NPY_INT_DTYPE[self.etype])
        return nnref.to_npy_input(self.data, self.etype)

    def seen(self, npy):
        """What the function sees, float64 (or the integers)."""
        if self.etype in trainref.NPY_INT_DTYPE:
            return np.asarray(npy).astype(np.int64)
        return nnref.rounded_input(npy, self.etype)


def tensor_type(shape, dyn, etype):
    return "tensor<%s%s>" % ("".join(("?" if d else str(s)) + "x" for s, d in zip(shape, dyn)),
                             etype)


class Op:
    """One op on its own operands, one result; `expect(seen)` -> (ref,
    atol, rtol) from trainref on the operands' seen values."""

    def __init__(self, name, kind, operands, attrs, result_shape, result_dyn, result_etype,
                 expect):
        self.name = name
        self.kind = kind
        self.operands = operands
        self.attrs = attrs
        self.result_shape = tuple(result_shape)
        self.result_dyn = tuple(result_dyn)
        self.result_etype = result_etype
        self.expect = expect

    def result_type(self):
        return tensor_type(self.result_shape, self.result_dyn, self.result_etype)


def _dyn_of(shape, dyn):
    if dyn == "all":
        return (True,) * len(shape)
    if dyn in (None, "none"):
        return (False,) * len(shape)
    return tuple(dyn)


def softmax(name, x, etype, dim, out=None, dyn=None):
    out = out or etype
    d = _dyn_of(np.shape(x), dyn)
    a = Operand(x, etype, d)
    return Op(name, "softmax", [a], "<{dim = %d : i64}>" % dim, a.data.shape, d, out,
              lambda s: trainref.softmax_expected(s[0], dim, out))


def logsoftmax_grad(name, g, y, etype, dim, dyn=None):
    d = _dyn_of(np.shape(g), dyn)
    ops = [Operand(g, etype, d), Operand(y, etype, d)]
    return Op(name, "logsoftmax_grad", ops, "<{dim = %d : i64}>" % dim, ops[0].data.shape, d,
              etype, lambda s: trainref.logsoftmax_grad_expected(s[0], s[1], dim, etype))


def _ce_attrs(ignore_index, reduction, eps):
    return '<{ignore_index = %d : i64, reduction = "%s", label_smoothing = %r : f64}>' % (
        ignore_index, reduction, float(eps))


def _target_dyn(logits_dyn):
    cdim = 0 if len(logits_dyn) == 1 else 1
    return logits_dyn[:cdim] + logits_dyn[cdim + 1:]


def cross_entropy(name, x, t, etype, tetype, reduction, eps=0.0, ignore_index=-100, dyn=None):
    d = _dyn_of(np.shape(x), dyn)
    ops = [Operand(x, etype, d), Operand(t, tetype, _target_dyn(d))]
    if reduction == "none":
        shape, rdyn = ops[1].data.shape, ops[1].dyn
    else:
        shape, rdyn = (), ()
    return Op(name, "cross_entropy", ops, _ce_attrs(ignore_index, reduction, eps), shape, rdyn,
              etype, lambda s: trainref.cross_entropy_expected(
                  s[0], s[1], etype, ignore_index, reduction, eps))


def cross_entropy_grad(name, gl, x, t, etype, tetype, reduction, eps=0.0, ignore_index=-100,
                       dyn=None):
    d = _dyn_of(np.shape(x), dyn)
    td = _target_dyn(d)
    ops = [Operand(gl, etype, td if reduction == "none" else ()), Operand(x, etype, d),
           Operand(t, tetype, td)]
    return Op(name, "cross_entropy_grad", ops, _ce_attrs(ignore_index, reduction, eps),
              ops[1].data.shape, d, etype, lambda s: trainref.cross_entropy_grad_expected(
                  s[0], s[1], s[2], etype, ignore_index, reduction, eps))


# ---------------------------------------------------------------------------
# Batches
# ---------------------------------------------------------------------------

class Batch:
    """Ops run by one nn-run call (one function). threads: None or the
    --threads value; same_as: a batch of the same ops whose results must be
    bitwise identical to this one's."""

    def __init__(self, name, ops, threads=None, same_as=None):
        self.name = name
        self.ops = ops
        self.threads = threads
        self.same_as = same_as


def module_text(batch):
    args, lines, rtypes, k = [], [], [], 0
    for j, op in enumerate(batch.ops):
        names = []
        for a in op.operands:
            args.append("%%a%d: %s" % (k, a.type_str()))
            names.append("%%a%d" % k)
            k += 1
        rtypes.append(op.result_type())
        lines.append('  %%r%d = "nn.%s"(%s) %s : (%s) -> %s' % (
            j, op.kind, ", ".join(names), op.attrs,
            ", ".join(a.type_str() for a in op.operands), rtypes[-1]))
    rt = rtypes[0] if len(rtypes) == 1 else "(" + ", ".join(rtypes) + ")"
    return ("// batch %s\nfunc.func @main(%s) -> %s {\n%s\n  return %s : %s\n}\n" % (
        batch.name, ", ".join(args), rt, "\n".join(lines),
        ", ".join("%%r%d" % j for j in range(len(batch.ops))), ", ".join(rtypes)))


def safe_name(name):
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def prepare(batch, work):
    """Writes the module and inputs; returns (cmd, outputs, seen)."""
    base = os.path.join(work, safe_name(batch.name))
    mlir = base + ".mlir"
    with open(mlir, "w") as f:
        f.write(module_text(batch))
    cmd = [NN_RUN, mlir]
    if batch.threads is not None:
        cmd.append("--threads=%d" % batch.threads)
    seen, outs, k = [], [], 0
    for op in batch.ops:
        s = []
        for a in op.operands:
            data = a.npy()
            path = "%s.in%d.npy" % (base, k)
            np.save(path, data)
            cmd.append("--input=@" + path)
            s.append(a.seen(data))
            k += 1
        seen.append(s)
    for j in range(len(batch.ops)):
        path = "%s.out%d.npy" % (base, j)
        if os.path.exists(path):
            os.remove(path)
        cmd.append("--output=@" + path)
        outs.append(path)
    with open(base + ".sh", "w") as f:
        f.write(" ".join(shlex.quote(c) for c in cmd) + "\n")
    return cmd, outs, seen


def describe_failure(proc):
    lines = proc.stderr.strip().splitlines()
    head = ("nn-run crashed with signal %d" % -proc.returncode if proc.returncode < 0
            else "nn-run exited with %d" % proc.returncode)
    diags = [l for l in lines if "error" in l][:3] or lines[:3]
    return head + (": " + " | ".join(diags) if diags else " (no stderr)")


def execute(cmd):
    start = time.time()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=300)
    except subprocess.TimeoutExpired:
        return None, "nn-run timed out", 0.0
    return proc, None, time.time() - start


def check_op(op, path, seen):
    """None or the reason `op`'s output at `path` fails."""
    if not os.path.exists(path):
        return "no output file written", None
    y = np.load(path)
    want_dt = nnref.NPY_DTYPE[op.result_etype]
    if y.dtype != want_dt:
        return "output .npy has dtype %s, expected %s" % (y.dtype.str, want_dt.str), y
    if y.shape != op.result_shape:
        return "output shape %s, expected %s" % (y.shape, op.result_shape), y
    if op.result_etype == "bf16":
        yb = nnref.f32_to_bf16(y)
        ok = (yb == y) | (np.isnan(y) & np.isnan(yb))
        if not ok.all():
            return "bf16 result holds a value that is not bf16: %r" % float(
                y.reshape(-1)[int(np.flatnonzero(~ok.reshape(-1))[0])]), y
    ref, atol, rtol = op.expect(seen)
    return trainref.compare(y, ref, atol, rtol), y


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def rng_for(name):
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


def normal(rng, shape, scale=3.0):
    return rng.standard_normal(shape) * scale


def mask_rows(x, cdim, rows, value=-inf):
    """Sets whole slices along `cdim` (indexed by `rows` of the other dims,
    as a boolean array of the slice shape) to `value`."""
    xs = np.moveaxis(x.copy(), cdim, -1)
    xs[rows] = value
    return np.moveaxis(xs, -1, cdim)


def partial_mask(rng, x, cdim, frac=0.3, keep=None):
    """-inf on a fraction of the entries, leaving at least one finite entry
    in every slice along `cdim` (and the class `keep[i]` of slice i)."""
    xs = np.moveaxis(x.copy(), cdim, -1)
    m = rng.random(xs.shape) < frac
    m[..., 0] &= ~m.all(-1)
    if keep is not None:
        np.put_along_axis(m, keep[..., None], False, -1)
    xs = np.where(m, -inf, xs)
    return np.moveaxis(xs, -1, cdim)


def targets(rng, tshape, C, p_ignore=0.0, ignore_index=-100):
    t = rng.integers(0, C, size=tshape)
    if p_ignore:
        t = np.where(rng.random(tshape) < p_ignore, ignore_index, t)
    return np.asarray(t, dtype=np.int64)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

WIDER_OUT = {"f16": "f32", "bf16": "f64", "f32": "f64", "f64": None}


def softmax_batch(t):
    ops = []

    def add(label, shape, dim, out=None, dyn=None, gen=None):
        name = "softmax %s%s %s dim=%d%s" % (t, "->" + out if out else "", label, dim,
                                            " dynamic" if dyn else "")
        rng = rng_for(name)
        x = gen(rng, shape) if gen else normal(rng, shape)
        ops.append(softmax(name, x, t, dim, out, dyn))

    add("7x13", (7, 13), 1)
    add("13x7", (13, 7), 0)
    add("3x5x9", (3, 5, 9), -1, dyn="all")
    add("3x5x9", (3, 5, 9), 1)
    add("4x6x5", (4, 6, 5), 0, dyn=(False, True, False))
    add("6x1 length-1 rows", (6, 1), 1)
    add("rank-0", (), 0)
    add("rank-0", (), -1)

    def masked(rng, shape):
        x = partial_mask(rng, normal(rng, shape), 1)
        x = mask_rows(x, 1, np.array([False, True, False, False, True, False, False, False]))
        x[5, 3] = nan
        x[6, 0] = inf
        return x
    add("8x20 masked (partial, full rows, NaN, +inf)", (8, 20), 1, gen=masked)
    add("8x20 masked (partial, full rows, NaN, +inf)", (8, 20), -1, dyn=(True, True),
        gen=masked)

    def offsets(rng, shape):
        return normal(rng, shape) + np.array([0.0, 1e3, -1e3, 3e4])[:, None]
    add("4x1500 offsets", (4, 1500), 1, gen=offsets)
    if WIDER_OUT[t]:
        add("5x33", (5, 33), 1, out=WIDER_OUT[t])
        add("4x1500 offsets", (4, 1500), -1, out=WIDER_OUT[t], dyn=(False, True), gen=offsets)
    return Batch("softmax-" + t, ops)


def lsm_output(x, dim, t):
    """log_softmax of x (float64), as the argument of type t will hold it."""
    return nnref.logsoftmax_ref(nnref.round_to(x, t), dim)


def logsoftmax_grad_batch(t):
    ops = []

    def add(label, shape, dim, dyn=None, masked=False, arbitrary=False, gscale=1.0):
        name = "logsoftmax_grad %s %s dim=%d%s" % (t, label, dim, " dynamic" if dyn else "")
        rng = rng_for(name)
        x = normal(rng, shape)
        d = nnref.normalize_dim(dim, len(shape))
        if masked:
            x = partial_mask(rng, x, d)
            rows = np.zeros(np.moveaxis(x, d, -1).shape[:-1], dtype=bool)
            rows.reshape(-1)[1::4] = True
            x = mask_rows(x, d, rows)
        y = rng.uniform(-12.0, 0.5, shape) if arbitrary else lsm_output(x, dim, t)
        g = normal(rng, shape, gscale)
        ops.append(logsoftmax_grad(name, g, y, t, dim, dyn))

    add("7x13", (7, 13), 1)
    add("13x7", (13, 7), 0)
    add("3x5x9", (3, 5, 9), -1, dyn="all")
    add("3x5x9", (3, 5, 9), 1)
    add("6x1 length-1 rows", (6, 1), 1)
    add("8x20 masked (partial and full rows)", (8, 20), 1, masked=True)
    add("3x1200", (3, 1200), 1, gscale=10.0)
    add("5x40 arbitrary output values", (5, 40), -1, dyn=(True, False), arbitrary=True)
    return Batch("logsoftmax_grad-" + t, ops)


def ce_ops(t, tt, level):
    """Forward and gradient cases for logits type t and target type tt:
    level "full" (every case), "core" (a subset, for the other types; the
    cross-entropy ops take most of the compile time) or "i32" (a few)."""
    ops = []

    def add(label, shape, reduction, eps=0.0, ignore_index=-100, dyn=None, p_ignore=0.15,
            mask=None, grad=True, offsets=False):
        tag = "%s/%s %s %s eps=%g%s%s" % (
            t, tt, label, reduction, eps,
            "" if ignore_index == -100 else " ignore_index=%d" % ignore_index,
            " dynamic" if dyn else "")
        rng = rng_for(tag)
        cdim = 0 if len(shape) == 1 else 1
        C = shape[cdim]
        tshape = shape[:cdim] + shape[cdim + 1:]
        x = normal(rng, shape)
        if offsets:
            sshape = list(shape)
            sshape[cdim] = 1
            x = x + rng.choice([0.0, 1e3, -1e3], size=sshape)
        tg = targets(rng, tshape, C, p_ignore, ignore_index)
        if mask:
            x = mask(rng, x, tg, cdim)
        ops.append(cross_entropy("cross_entropy " + tag, x, tg, t, tt, reduction, eps,
                                 ignore_index, dyn))
        if grad:
            gshape = tshape if reduction == "none" else ()
            gl = normal(rng, gshape, 1.0) if gshape else np.float64(rng.choice([1.0, 2.5, -0.75]))
            ops.append(cross_entropy_grad("cross_entropy_grad " + tag, gl, x, tg, t, tt,
                                          reduction, eps, ignore_index, dyn))

    def partial_keep(rng, x, tg, cdim):
        # -inf on some classes, never the target's.
        return partial_mask(rng, x, cdim, keep=np.where(tg >= 0, tg, 0))

    def full_rows_valid(rng, x, tg, cdim):
        # Whole rows of -inf whose targets are not ignored: NaN loss and NaN
        # gradient rows (and NaN sum/mean).
        x = partial_keep(rng, x, tg, cdim)
        rows = np.zeros(tg.shape, dtype=bool)
        rows.reshape(-1)[2::5] = True
        tg[rows] = 0
        return mask_rows(x, cdim, rows)

    def full_rows_ignored(rng, x, tg, cdim):
        # Whole rows of -inf whose targets are ignored: they add 0 to the loss
        # (PyTorch does not read them). Forward only (see trainref: PyTorch's
        # gradient of such a row is NaN, the op's is 0).
        rows = np.zeros(tg.shape, dtype=bool)
        rows.reshape(-1)[1::3] = True
        tg[rows] = -100
        return mask_rows(x, cdim, rows)

    def target_masked(rng, x, tg, cdim):
        # A target class at -inf: inf loss, finite gradient.
        xs = np.moveaxis(x.copy(), cdim, -1)
        tg[0] = 1
        xs[0, 1] = -inf
        return np.moveaxis(xs, -1, cdim)

    if level == "i32":
        add("16x10", (16, 10), "mean", 0.1)
        add("[11] rank 1", (11,), "none", 0.1, p_ignore=0.0)
        add("4x5x6 rank 3", (4, 5, 6), "sum", dyn="all")
        return ops
    if level == "core":
        add("16x10", (16, 10), "none")
        add("16x10", (16, 10), "sum", 0.1)
        add("16x10", (16, 10), "mean", 0.1)
        add("4x5x6 rank 3", (4, 5, 6), "mean", 0.1, dyn="all")
        add("10x6 full rows", (10, 6), "none", 0.1, mask=full_rows_valid, p_ignore=0.0)
        add("8x9 all ignored", (8, 9), "mean", 0.1, p_ignore=1.0)
        add("8x1200", (8, 1200), "mean", 0.1, offsets=True)
        return ops
    for red in ("none", "sum", "mean"):
        for eps in (0.0, 0.1):
            add("16x10", (16, 10), red, eps)
    add("[11] rank 1", (11,), "mean", p_ignore=0.0)
    add("[11] rank 1", (11,), "none", 0.1, p_ignore=0.0)
    add("4x5x6 rank 3", (4, 5, 6), "mean", 0.1, dyn="all")
    add("2x3x4x5 rank 4", (2, 3, 4, 5), "none", dyn=(True, False, False, True))
    add("9x1 C=1", (9, 1), "sum", 0.1)
    # -inf logits (never the target's class): finite without smoothing; with
    # smoothing, -sum(lp) and so the loss of such a row is +inf.
    add("12x7 masked", (12, 7), "mean", mask=partial_keep)
    add("12x7 masked", (12, 7), "none", 0.1, mask=partial_keep)
    add("10x6 full rows", (10, 6), "none", 0.1, mask=full_rows_valid, p_ignore=0.0)
    add("10x6 full rows", (10, 6), "mean", mask=full_rows_valid, p_ignore=0.0)
    add("12x6 ignored full rows", (12, 6), "mean", 0.1, mask=full_rows_ignored)
    add("6x5 target masked", (6, 5), "none", 0.1, mask=target_masked, p_ignore=0.0)
    add("8x9 all ignored", (8, 9), "mean", p_ignore=1.0)
    add("8x9 all ignored", (8, 9), "mean", 0.1, p_ignore=1.0)
    add("8x9 all ignored", (8, 9), "sum", p_ignore=1.0)
    add("8x9 all ignored", (8, 9), "none", 0.1, p_ignore=1.0)
    add("8x1200", (8, 1200), "mean", 0.1, offsets=True)
    add("8x1200", (8, 1200), "sum", dyn=(True, True))
    add("16x10", (16, 10), "mean", 0.1, ignore_index=3, p_ignore=0.3)
    add("[7] rank 1 ignored", (7,), "mean", ignore_index=4, p_ignore=1.0)
    return ops


def threads_batches():
    """Large tensors (over 128 KiB) run at --threads=1 and --threads=2:
    both against the reference and bitwise against each other."""
    ops = []
    rng = rng_for("threads")
    x = normal(rng, (48, 1500))
    ops.append(softmax("softmax f32 48x1500 dim=1 threads", x, "f32", 1))
    ops.append(softmax("softmax bf16->f32 1500x48 dim=0 threads", x.T.copy(), "bf16", 0, "f32"))
    y = lsm_output(x, 1, "f32")
    ops.append(logsoftmax_grad("logsoftmax_grad f32 48x1500 dim=1 threads",
                               normal(rng, x.shape, 1.0), y, "f32", 1))
    xl = normal(rng, (64, 1100))
    tg = targets(rng, (64,), 1100, 0.2)
    ops.append(cross_entropy("cross_entropy f32/i64 64x1100 mean eps=0.1 threads", xl, tg,
                             "f32", "i64", "mean", 0.1))
    ops.append(cross_entropy("cross_entropy f16/i64 64x1100 none threads", xl, tg, "f16", "i64",
                             "none", dyn=(True, False)))
    ops.append(cross_entropy_grad("cross_entropy_grad f32/i64 64x1100 mean eps=0.1 threads",
                                  np.float64(1.0), xl, tg, "f32", "i64", "mean", 0.1))
    ops.append(cross_entropy_grad("cross_entropy_grad bf16/i32 64x1100 sum threads",
                                  np.float64(0.5), xl, tg, "bf16", "i32", "sum"))
    one = Batch("threads-1", ops, threads=1)
    two = Batch("threads-2", [rename(op, " (threads=2)") for op in ops], threads=2,
                same_as="threads-1")
    return [one, two]


def rename(op, suffix):
    return Op(op.name + suffix, op.kind, op.operands, op.attrs, op.result_shape, op.result_dyn,
              op.result_etype, op.expect)


def batches():
    """All batches, the cross-entropy ones (slowest to compile) first."""
    out = []
    for t in ("f32", "f16", "bf16"):
        full = ce_ops(t, "i64", "full")
        half = len(full) // 2
        out.append(Batch("cross_entropy-%s-i64-a" % t, full[:half]))
        out.append(Batch("cross_entropy-%s-i64-b" % t, full[half:]))
    out.append(Batch("cross_entropy-f64-i64", ce_ops("f64", "i64", "core")))
    out.append(Batch("cross_entropy-i32", ce_ops("f32", "i32", "i32") + ce_ops("f16", "i32", "i32")))
    for t in FLOATS:
        out.append(softmax_batch(t))
        out.append(logsoftmax_grad_batch(t))
    out += threads_batches()
    return out


# ---------------------------------------------------------------------------
# Command-line cases (error, inline input)
# ---------------------------------------------------------------------------

CE_3x4 = ('func.func @main(%%x: tensor<3x4xf32>, %%t: tensor<3x%s>) -> tensor<f32> {\n'
          '  %%l = "nn.cross_entropy"(%%x, %%t) <{ignore_index = -100 : i64, reduction = "%s", '
          'label_smoothing = 0.0 : f64}> : (tensor<3x4xf32>, tensor<3x%s>) -> tensor<f32>\n'
          '  return %%l : tensor<f32>\n}\n')


def cli_cases(work):
    """(name, callable -> reason or None)."""
    x = np.array([[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, 1.0, 1.0], [-3.0, 0.25, 4.0, -inf]],
                 dtype=np.float32)
    xpath = os.path.join(work, "cli-x.npy")
    np.save(xpath, x)

    def inline():
        mlir = os.path.join(work, "cli-inline.mlir")
        with open(mlir, "w") as f:
            f.write(CE_3x4 % ("i64", "sum", "i64"))
        out = os.path.join(work, "cli-inline.out.npy")
        if os.path.exists(out):
            os.remove(out)
        cmd = [NN_RUN, mlir, "--input=@" + xpath, "--input=3xi64=0 2 1", "--output=@" + out]
        proc, err, _ = execute(cmd)
        if err or proc.returncode:
            return (err or describe_failure(proc)) + "\n  reproduce: " + shlex.join(cmd)
        t = np.array([0, 2, 1])
        ref, atol, rtol = trainref.cross_entropy_expected(x.astype(np.float64), t, "f32",
                                                          -100, "sum", 0.0)
        return check_loaded(out, ref, atol, rtol, "f32")

    def out_of_range():
        mlir = os.path.join(work, "cli-oob.mlir")
        with open(mlir, "w") as f:
            f.write(CE_3x4 % ("i64", "mean", "i64"))
        tpath = os.path.join(work, "cli-oob-t.npy")
        np.save(tpath, np.array([0, 4, 1], dtype="<i8"))
        cmd = [NN_RUN, mlir, "--input=@" + xpath, "--input=@" + tpath]
        proc, err, _ = execute(cmd)
        if err:
            return err
        if proc.returncode != 1:
            return "exit status %d, expected 1 (stderr: %s)" % (
                proc.returncode, proc.stderr.strip()[:300] or "empty")
        if "out of range" not in proc.stderr:
            return "stderr lacks 'out of range': %s" % (proc.stderr.strip()[:300] or "empty")
        return None

    return [("cli inline target --input=3xi64=0 2 1", inline),
            ("cli error: out-of-range target exits 1", out_of_range)]


def check_loaded(path, ref, atol, rtol, etype):
    if not os.path.exists(path):
        return "no output file written"
    y = np.load(path)
    if y.dtype != nnref.NPY_DTYPE[etype]:
        return "output .npy has dtype %s" % y.dtype.str
    return trainref.compare(y, ref, atol, rtol)


# ---------------------------------------------------------------------------

def run_batch(batch, work):
    cmd, outs, seen = prepare(batch, work)
    proc, err, elapsed = execute(cmd)
    if err is None and proc.returncode != 0:
        err = describe_failure(proc)
    return cmd, outs, seen, err, elapsed


def main():
    global NN_RUN
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("nn_run")
    p.add_argument("work", nargs="?")
    p.add_argument("--only", help="run only batches or cases whose name contains this")
    p.add_argument("--jobs", type=int, default=2, help="nn-run calls at a time")
    p.add_argument("--list", action="store_true")
    p.add_argument("-v", "--verbose", action="store_true", help="print batch times")
    opts = p.parse_args()
    NN_RUN = shutil.which(opts.nn_run) or opts.nn_run
    all_batches = batches()
    names = set()
    for b in all_batches:
        for op in b.ops:
            assert op.name not in names, "duplicate case " + op.name
            names.add(op.name)
    if opts.only:
        all_batches = [b for b in all_batches
                       if opts.only in b.name or any(opts.only in op.name for op in b.ops)]
    if opts.list:
        for b in all_batches:
            print("%s (%d ops)" % (b.name, len(b.ops)))
            for op in b.ops:
                print("  " + op.name)
        return 0
    if not opts.work:
        p.error("WORK is required")
    os.makedirs(opts.work, exist_ok=True)

    failed = 0
    outputs = {}
    with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        futures = [pool.submit(run_batch, b, opts.work) for b in all_batches]
        cli = cli_cases(opts.work) if not opts.only or "cli" in opts.only else []
        cli_futures = [(name, pool.submit(fn)) for name, fn in cli]
        for b, fut in zip(all_batches, futures):
            cmd, outs, seen, err, elapsed = fut.result()
            if opts.verbose:
                print("# batch %s: %d ops, %.2fs" % (b.name, len(b.ops), elapsed))
            got = []
            repro = "  reproduce: sh %s" % shlex.quote(
                os.path.join(opts.work, safe_name(b.name) + ".sh"))
            for op, path, s in zip(b.ops, outs, seen):
                if err:
                    reason, y = err, None
                else:
                    reason, y = check_op(op, path, s)
                got.append(y)
                if reason is None and b.same_as is not None:
                    y0 = outputs.get(b.same_as, [None] * len(b.ops))[len(got) - 1]
                    if y0 is None or not (y0.shape == y.shape and np.array_equal(
                            y0, y, equal_nan=True)):
                        reason = "not bitwise identical to batch %s" % b.same_as
                if reason is None:
                    print("PASS %s" % op.name)
                else:
                    failed += 1
                    print("FAIL %s: %s" % (op.name, reason))
                    if repro:
                        print(repro)
                        repro = None  # once per batch
            outputs[b.name] = got
            sys.stdout.flush()
        for name, fut in cli_futures:
            reason = fut.result()
            if reason is None:
                print("PASS %s" % name)
            else:
                failed += 1
                print("FAIL %s: %s" % (name, reason))
    print("%d failure(s)" % failed)
    return 1 if failed else 0


NN_RUN = "nn-run"

if __name__ == "__main__":
    sys.exit(main())
