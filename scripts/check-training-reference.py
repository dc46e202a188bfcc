#!/usr/bin/env python3
"""Checks the numpy reference of the training ops against PyTorch.

test/Integration/CPU/lib/trainref.py is the float64 reference that the
training-op tests (test/Integration/CPU/training-ops.test) compare nn.softmax,
nn.logsoftmax_grad, nn.cross_entropy and nn.cross_entropy_grad with. It never
imports torch; this script shows that it equals PyTorch in float64 on many
random cases:

* softmax: torch.softmax, ranks 0-4, every dim (negative ones too);
* logsoftmax_grad: the gradient of torch.log_softmax by autograd, and
  aten::_log_softmax_backward_data on arbitrary (not log-softmax) outputs;
* cross_entropy (forward) and its gradient by autograd, for logits of rank
  1-4, C from 1 to 17, every reduction, label smoothing 0, 0.1, 0.5 and 1,
  ignore_index -100, -1 or a class index, ignored targets and all-ignored
  batches;

with -inf masks (partial rows and whole rows), a few NaN/+inf logits, and
inputs first rounded to f16, bf16 or f32 (as the tests' inputs are). Values
must agree to 1e-12 relative to the size of the terms; NaN, +inf and -inf
positions exactly. Out-of-range targets are not checked (PyTorch raises).

Run: /tmp/torchvenv/bin/python scripts/check-training-reference.py [--cases N]
(any Python with numpy and torch). Prints PASS/FAIL counts per op and the
first failures; exits 1 on a failure, 0 with a note when torch is absent.
"""

import argparse
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "Integration", "CPU", "lib"))

import nnref  # noqa: E402
import trainref  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

inf = float("inf")


def close(got, want, scale=None, tol=1e-12):
    """None when `got` (from the reference) equals `want` (from PyTorch):
    same NaN/+inf/-inf positions, finite values within tol * (|want| +
    scale); else a reason."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return "shape %s, torch %s" % (got.shape, want.shape)
    for name, pred in (("NaN", np.isnan), ("+inf", np.isposinf), ("-inf", np.isneginf)):
        a, b = pred(got), pred(want)
        if not np.array_equal(a, b):
            k = int(np.flatnonzero((a != b).reshape(-1))[0])
            return "%s positions differ at %d element(s), first flat %d: ref %r, torch %r" % (
                name, int((a != b).sum()), k, float(got.reshape(-1)[k]),
                float(want.reshape(-1)[k]))
    fin = np.isfinite(want)
    if scale is None:
        scale = 1.0
    scale = np.broadcast_to(np.asarray(scale, dtype=np.float64), want.shape)
    with np.errstate(all="ignore"):
        err = np.where(fin, np.abs(got - want), 0.0)
        bound = tol * (np.abs(np.where(fin, want, 0.0)) + np.where(np.isfinite(scale), scale, 1.0))
    if (err > bound).any():
        k = int(np.argmax((err / bound).reshape(-1)))
        return "max error %.3g at flat %d: ref %r, torch %r" % (
            float(err.reshape(-1)[k]), k, float(got.reshape(-1)[k]), float(want.reshape(-1)[k]))
    return None


# ---------------------------------------------------------------------------
# Random data
# ---------------------------------------------------------------------------

def random_shape(rng, rank, max_size=6):
    sizes = [1, 1, 2, 3, 4, 5, max_size]
    return tuple(int(rng.choice(sizes)) for _ in range(rank))


def logits_data(rng, shape, cdim, specials=True):
    """Normal values (some slices offset by a large constant), rounded to a
    random input type; along `cdim`: some -inf entries, some rows all -inf,
    rarely a NaN or +inf."""
    scale = float(rng.choice([0.5, 3.0, 10.0]))
    x = rng.standard_normal(shape) * scale
    if x.ndim and x.size:
        sshape = list(shape)
        sshape[cdim] = 1
        x = x + np.where(rng.random(sshape) < 0.2, rng.choice([1e3, -1e4, 3e4], size=sshape), 0.0)
        if specials:
            mode = rng.integers(0, 4)
            if mode >= 1:  # partial masks
                x = np.where(rng.random(shape) < 0.3, -inf, x)
            if mode >= 2:  # whole rows masked
                x = np.where(rng.random(sshape) < 0.25, -inf, x)
            if mode == 3 and rng.random() < 0.5:  # a NaN or +inf somewhere
                flat = x.reshape(-1)
                flat[rng.integers(0, flat.size)] = rng.choice([np.nan, inf])
                x = flat.reshape(shape)
    elif x.ndim == 0 and specials and rng.random() < 0.2:
        x = np.array(rng.choice([-inf, inf, np.nan]))
    dtype = str(rng.choice(["f64", "f32", "f16", "bf16"]))
    return nnref.round_to(x, dtype)


# ---------------------------------------------------------------------------
# Checks, one random case each; a case returns [(label, reason or None)]
# ---------------------------------------------------------------------------

def check_softmax(rng):
    rank = int(rng.integers(0, 5))
    shape = random_shape(rng, rank)
    dim = int(rng.integers(-max(rank, 1), max(rank, 1)))
    x = logits_data(rng, shape, nnref.normalize_dim(dim, rank) if rank else 0)
    want = torch.softmax(torch.tensor(x), dim).numpy()
    got = trainref.softmax_ref(x, dim)
    return [("softmax rank %d dim %d" % (rank, dim), close(got, want))]


def check_logsoftmax_grad(rng):
    rank = int(rng.integers(0, 5))
    shape = random_shape(rng, rank)
    dim = int(rng.integers(-max(rank, 1), max(rank, 1)))
    d = nnref.normalize_dim(dim, rank) if rank else 0
    x = logits_data(rng, shape, d)
    g = nnref.round_to(rng.standard_normal(shape) * float(rng.choice([1.0, 100.0])),
                       str(rng.choice(["f64", "f32", "f16"])))
    out = []
    # Autograd through log_softmax.
    xt = torch.tensor(x, requires_grad=True)
    y = torch.log_softmax(xt, dim)
    y.backward(torch.tensor(g))
    lsm = y.detach().numpy()
    got = trainref.logsoftmax_grad_ref(g, lsm, dim)
    scale = _lsg_scale(g, lsm, d)
    out.append(("logsoftmax_grad autograd rank %d dim %d" % (rank, dim),
                close(got, xt.grad.numpy(), scale)))
    # The backward op itself, on arbitrary outputs (not only log-softmax ones).
    o = nnref.round_to(rng.standard_normal(shape) * 3.0 - 1.0, "f64")
    if o.ndim and o.size and rng.random() < 0.3:
        o = np.where(rng.random(shape) < 0.3, -inf, o)
    want = torch.ops.aten._log_softmax_backward_data(
        torch.tensor(g), torch.tensor(o), dim, torch.float64).numpy()
    got = trainref.logsoftmax_grad_ref(g, o, dim)
    out.append(("logsoftmax_grad aten rank %d dim %d" % (rank, dim),
                close(got, want, _lsg_scale(g, o, d))))
    return out


def _lsg_scale(g, out, d):
    g = np.asarray(g)
    if g.ndim == 0:
        return np.abs(g) * (1 + np.exp(out))
    with np.errstate(all="ignore"):
        return np.abs(g) + np.exp(out) * np.sum(np.abs(g), axis=d, keepdims=True)


def check_cross_entropy(rng):
    rank = int(rng.integers(1, 5))
    shape = list(random_shape(rng, rank, max_size=5))
    C = int(rng.choice([1, 2, 3, 5, 17]))
    cdim = 0 if rank == 1 else 1
    shape[cdim] = C
    shape = tuple(shape)
    tshape = shape[:cdim] + shape[cdim + 1:]
    x = logits_data(rng, shape, cdim)
    ignore_index = int(rng.choice([-100, -100, -1, 0, C - 1]))
    t = rng.integers(0, C, size=tshape)
    p_ignore = float(rng.choice([0.0, 0.3, 1.0]))  # 1.0: the whole batch ignored
    t = np.where(rng.random(tshape) < p_ignore, ignore_index, t).astype(np.int64)
    eps = float(rng.choice([0.0, 0.1, 0.5, 1.0], p=[0.35, 0.3, 0.25, 0.1]))
    reduction = str(rng.choice(["none", "sum", "mean"]))
    label = "cross_entropy %s C=%d %s eps=%g ignore_index=%d%s" % (
        "x".join(map(str, shape)), C, reduction, eps, ignore_index,
        " all-ignored" if np.all(t == ignore_index) else "")

    xt = torch.tensor(x, requires_grad=True)
    loss = F.cross_entropy(xt, torch.tensor(t), ignore_index=ignore_index,
                           reduction=reduction, label_smoothing=eps)
    got = trainref.cross_entropy_ref(x, t, ignore_index, reduction, eps)
    want = loss.detach().numpy()
    out = [(label, close(got, want))]

    gl = rng.standard_normal(tuple(loss.shape)) * float(rng.choice([1.0, 3.0]))
    loss.backward(torch.tensor(gl))
    got = trainref.cross_entropy_grad_ref(gl, x, t, ignore_index, reduction, eps)
    out.append((label + " grad", close(got, xt.grad.numpy(), np.max(np.abs(gl)) if gl.size else 1)))
    return out


FIXED = []


def fixed(fn):
    FIXED.append(fn)
    return fn


@fixed
def check_pinned_semantics(rng):
    """The PyTorch behaviours the reference's docstring names, on small
    hand-made inputs, so that a change of PyTorch shows up by name."""
    res = []
    x = np.array([[0.0, 1.0, 2.0], [-inf, -inf, -inf], [1.0, -inf, 0.5]])
    targets = (
        # All ignored.
        ("all-ignored", np.array([-100, -100, -100])),
        # An ignored fully masked row next to a valid one; a valid row whose
        # target class is masked (inf loss, finite gradient).
        ("masked rows", np.array([2, -100, 1])),
    )
    for eps in (0.0, 0.1):
        for red in ("none", "sum", "mean"):
            for name, t in targets:
                xt = torch.tensor(x, requires_grad=True)
                loss = F.cross_entropy(xt, torch.tensor(t), reduction=red, label_smoothing=eps)
                gl = np.ones(tuple(loss.shape))
                loss.backward(torch.tensor(gl))
                tag = "pinned %s %s eps=%g" % (name, red, eps)
                res.append((tag, close(trainref.cross_entropy_ref(x, t, -100, red, eps),
                                       loss.detach().numpy())))
                res.append((tag + " grad",
                            close(trainref.cross_entropy_grad_ref(gl, x, t, -100, red, eps),
                                  xt.grad.numpy())))
    return res


def describe_pinned():
    """Prints what PyTorch does in the corner cases (for the record)."""
    x = torch.tensor([[0.0, 1.0, 2.0], [-inf, -inf, -inf], [1.0, -inf, 0.5]],
                     dtype=torch.float64, requires_grad=True)
    for eps in (0.0, 0.1):
        loss = F.cross_entropy(x[:1], torch.tensor([-100]), reduction="mean", label_smoothing=eps)
        loss.backward()
        print("  all-ignored mean eps=%g: loss %s, grad %s" % (eps, loss.item(), x.grad[0].tolist()))
        x.grad = None
        loss = F.cross_entropy(x, torch.tensor([2, -100, 1]), reduction="none", label_smoothing=eps)
        loss.backward(torch.ones(3, dtype=torch.float64))
        print("  rows [valid, ignored all -inf, target masked] none eps=%g: loss %s, grad rows %s"
              % (eps, loss.tolist(), x.grad.tolist()))
        x.grad = None


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=1500, help="random cases per op group")
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--show", type=int, default=10, help="failures to print")
    opts = p.parse_args()
    if torch is None:
        print("note: torch is not importable here; nothing checked (try "
              "/tmp/torchvenv/bin/python with numpy and torch installed)")
        return 0
    torch.set_num_threads(1)
    print("torch %s, numpy %s" % (torch.__version__, np.__version__))
    rng = np.random.default_rng(opts.seed)
    groups = [("softmax", check_softmax), ("logsoftmax_grad", check_logsoftmax_grad),
              ("cross_entropy", check_cross_entropy)]
    counts = {}
    shown = 0
    failed = 0

    def record(group, results):
        nonlocal shown, failed
        for label, reason in results:
            key = group + (" grad" if label.endswith(" grad") else "")
            c = counts.setdefault(key, [0, 0])
            if reason is None:
                c[0] += 1
            else:
                c[1] += 1
                failed += 1
                if shown < opts.show:
                    shown += 1
                    print("FAIL %s: %s" % (label, reason))

    for group, fn in groups:
        for _ in range(opts.cases):
            record(group, fn(rng))
    for fn in FIXED:
        record("pinned", fn(rng))
    for key in sorted(counts):
        print("%-22s PASS %5d  FAIL %d" % (key, counts[key][0], counts[key][1]))
    print("PyTorch in the corner cases:")
    describe_pinned()
    print("%s: %d failure(s)" % ("FAIL" if failed else "PASS", failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
