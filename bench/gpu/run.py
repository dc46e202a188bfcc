#!/usr/bin/env python3
"""Step 2 of the GPU flow (step 1 is build.sh): on a machine with an NVIDIA
GPU, its driver and PyTorch (no MLIR), checks and times the kernels that
build.sh compiled into this folder.

  python3 run.py --check     correctness: every kernel kind, element type,
                             dim, size (0, 1, odd, huge) and the spec's edge
                             rows, against a float64 reference; then the
                             differential generator's value patterns (masks,
                             ramps, extremes; patterns.py) at lengths around
                             the warp and block strategies, against nnref.py
                             (nn.cross_entropy and its gradient against
                             float64 F.cross_entropy and autograd)
  python3 run.py --bench     nn-mlir vs torch.log_softmax vs torch.compile'd
                             log_softmax vs a device-to-device copy, then the
                             same for nn.softmax against torch.softmax and
                             nn.logsoftmax_grad against PyTorch's backward,
                             then cross-entropy forward plus backward against
                             PyTorch eager, torch.compile, Liger and QuACK
                             (where importable); medians, Markdown tables
  python3 run.py --emulate   the cross-entropy checks on libraries that
                             build.sh --emulator built (the kernels run
                             serially on this CPU): a check of this script

The kernels take the _mlir_ciface_ ABI: pointers to memref descriptors
whose buffers are device memory (here, torch CUDA tensors); each call runs
on its own stream and synchronizes before returning. Exit status 1 on any
failed check or CUDA error (printed by name).
"""
import argparse
import ctypes
import os
import statistics
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
# Where the kernels' buffers live: "cpu" with --emulate.
DEVICE = "cuda"
TYPES = {"f16": torch.float16, "bf16": torch.bfloat16,
         "f32": torch.float32, "f64": torch.float64}
TOLERANCE = {"f64": 1e-12, "f32": 1e-5, "f16": 2e-3, "bf16": 2e-2}


def descriptor(tensor):
    """A StridedMemRefType descriptor of a contiguous tensor."""
    rank = tensor.dim()
    fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
              ("offset", ctypes.c_int64)]
    if rank:
        fields += [("sizes", ctypes.c_int64 * rank),
                   ("strides", ctypes.c_int64 * rank)]
    desc = type("Memref%d" % rank, (ctypes.Structure,), {"_fields_": fields})()
    desc.allocated = desc.aligned = tensor.data_ptr()
    desc.offset = 0
    for i in range(rank):
        desc.sizes[i] = tensor.shape[i]
        desc.strides[i] = tensor.stride(i)
    return desc


def synchronize():
    if DEVICE == "cuda":
        torch.cuda.synchronize()


class Kernel:
    def __init__(self, line):
        # name in-type out-type rank dim op (logsoftmax, softmax,
        # logsoftmax_grad or cross_entropy [reduction label-smoothing])
        fields = line.split()
        self.name, self.in_t, self.out_t, rank, dim, self.op = fields[:6]
        self.rank, self.dim = int(rank), int(dim)
        self.lib = ctypes.CDLL(os.path.join(HERE, "lib%s.so" % self.name))
        self.last_error = getattr(self.lib, "nn_cuda_last_error", None)
        if self.last_error:
            self.last_error.restype = ctypes.c_char_p
        self.function = getattr(self.lib, "_mlir_ciface_" + self.name)
        if self.op == "cross_entropy":
            self.reduction, self.smoothing = fields[6], float(fields[7])
            self.grad = getattr(self.lib, "_mlir_ciface_%s_grad" % self.name)

    def run(self, function, args, y):
        """`function` on the tensors `args` into y."""
        synchronize()  # the inputs are written on torch's stream
        descriptors = [descriptor(t) for t in tuple(args) + (y,)]
        function(*[ctypes.byref(d) for d in descriptors])
        error = self.last_error and self.last_error()
        if error:
            sys.exit("run.py: %s: %s" % (self.name, error.decode()))
        return y

    def __call__(self, x, y=None, inputs=()):
        """The op of x (and of `inputs` after it: the gradient's output)
        into y, allocated when None."""
        if y is None:
            y = torch.empty(x.shape, dtype=TYPES[self.out_t], device=x.device)
        return self.run(self.function, (x,) + tuple(inputs), y)

    def loss(self, x, t, y=None):
        """nn.cross_entropy of logits x and targets t (i64)."""
        if y is None:
            shape = t.shape if self.reduction == "none" else ()
            y = torch.empty(shape, dtype=x.dtype, device=x.device)
        return self.run(self.function, (x, t), y)

    def loss_grad(self, g, x, t, y=None):
        """nn.cross_entropy_grad: d loss / d x times g."""
        if y is None:
            y = torch.empty_like(x)
        return self.run(self.grad, (g, x, t), y)


def load_kernels(op=None):
    """The kernels of kernels.txt; of `op` only when given, else of
    nn.logsoftmax and nn.softmax."""
    with open(os.path.join(HERE, "kernels.txt")) as f:
        lines = [l for l in f.read().splitlines()
                 if l and (l.split()[5] == op or
                           (op is None and l.split()[5] in ("logsoftmax", "softmax")))]
    return {k.name: k for k in map(Kernel, lines)}


def reference(kernel, x64):
    """The float64 result of the kernel's op on float64 values."""
    if not x64.numel():
        return x64
    op = torch.softmax if kernel.op == "softmax" else torch.log_softmax
    return op(x64, dim=kernel.dim)


def check_one(kernel, x, label):
    """Compares kernel(x) with the float64 op on the same values."""
    y = kernel(x).cpu().double()
    ref = reference(kernel, x.cpu().double())
    if kernel.out_t in ("f16", "bf16"):
        ref = ref.to(TYPES[kernel.out_t]).double()
    tol = TOLERANCE[kernel.out_t]
    same_special = torch.equal(torch.isnan(y), torch.isnan(ref)) and \
        torch.equal(torch.isinf(y) & (y > 0), torch.isinf(ref) & (ref > 0)) and \
        torch.equal(torch.isinf(y) & (y < 0), torch.isinf(ref) & (ref < 0))
    finite = torch.isfinite(ref)
    error = (y[finite] - ref[finite]).abs() - tol * (1 + ref[finite].abs())
    ok = same_special and (error.numel() == 0 or error.max().item() <= 0)
    print("%s %s %s" % ("PASS" if ok else "FAIL", kernel.name, label))
    return ok


def edge_rows(t):
    inf, nan = float("inf"), float("nan")
    rows = {"0-1-2": [0, 1, 2], "all-neg-inf": [-inf] * 3,
            "some-neg-inf": [-inf, 1, 2], "pos-inf": [inf, 1, 2],
            "nan": [nan, 1, 2], "offset-1e4": [1e4, 1e4 + 1, 1e4 + 2]}
    if t in ("f32", "f64"):
        rows["1e30"] = [1e30, -1e30, 0]
        rows["3.4e38"] = [3.4e38, 3.4e38, 0]
    return rows


def check(kernels):
    torch.manual_seed(0)
    ok = True
    for k in kernels.values():
        dtype = TYPES[k.in_t]
        if k.rank == 2:
            shapes = [(1, 1), (3, 7), (17, 33), (64, 1000), (8, 1025),
                      (4, 5000), (4, 8193), (3, 16385), (2, 128256),
                      (1, 1000000), (0, 8), (8, 0)]
        elif k.rank == 3:
            shapes = [(4, 1000, 33), (1000, 3, 5), (2, 1, 7), (3, 70001, 2)]
        elif k.rank == 1:
            shapes = [(0,), (1,), (100000,)]
        else:
            shapes = [(2, 3, 77, 5)]
        for shape in shapes:
            x = (torch.randn(shape, dtype=torch.float64) * 10).to(dtype).cuda()
            ok &= check_one(k, x, "x".join(map(str, shape)))
        if k.rank == 2:
            for label, row in edge_rows(k.in_t).items():
                x = torch.tensor([row], dtype=torch.float64).to(dtype).cuda()
                ok &= check_one(k, x, label)
    return ok


def check_patterns(kernels):
    """Slices drawn from the differential generator's patterns, at lengths
    around the warp (32), the warp-per-row limit (1024), the blocks'
    registers (8192 and 16384 f32, 2048 and 4096 f64) and beyond, checked
    against nnref.py's reference of the values the kernel was given (exact
    NaN and +-inf positions, the spec's tolerances). Every length runs on
    buffers from the allocator (16-byte aligned: the 128-bit kernels) and
    on buffers one element further (the scalar kernels)."""
    import numpy as np
    import nnref
    import patterns
    rng = np.random.default_rng(20261130)
    lengths = [1, 2, 17, 31, 32, 33, 127, 128, 129, 1023, 1024, 1025, 2047,
               2049, 4095, 4097, 8191, 8192, 8193, 16383, 16384, 16385, 65537,
               100003]
    ok = True
    for k in kernels.values():
        if k.rank > 3:
            continue
        failed = 0
        for n in lengths:
            count = max(2, min(len(patterns.NAMES), (1 << 21) // n))
            shape = patterns.layout_shape(k.rank, k.dim, n, count, 17)
            data, order = patterns.build_input(rng, shape, k.dim, k.in_t,
                                               patterns.NAMES)
            x = torch.from_numpy(data).to(TYPES[k.in_t]).cuda()
            seen = x.cpu().double().numpy()
            y = k(x).cpu().double().numpy()
            want = expected(k, seen)
            reason = nnref.compare(y, want, k.out_t)
            if not reason:
                # One element past the allocation: the scalar kernels.
                xu = torch.empty(x.numel() + 1, dtype=x.dtype,
                                 device=x.device)[1:].view(x.shape)
                xu.copy_(x)
                yu = torch.empty(x.numel() + 1, dtype=TYPES[k.out_t],
                                 device=x.device)[1:].view(x.shape)
                y = k(xu, yu).cpu().double().numpy()
                reason = nnref.compare(y, want, k.out_t)
                reason = reason and "unaligned buffers: " + reason
            if reason:
                failed += 1
                d = nnref.normalize_dim(k.dim, y.ndim)
                ys = np.moveaxis(y, d, -1).reshape(-1, n)
                rs = np.moveaxis(want, d, -1).reshape(-1, n)
                bad = [order[i] for i in range(ys.shape[0])
                       if nnref.compare(ys[i], rs[i], k.out_t)]
                print("FAIL %s patterns n=%d shape=%s: %s (patterns: %s)" % (
                    k.name, n, "x".join(map(str, shape)), reason,
                    ", ".join(sorted(set(bad)))))
        print("%s %s patterns: %d lengths x %d patterns" % (
            "PASS" if not failed else "FAIL", k.name, len(lengths),
            len(patterns.NAMES)))
        ok &= not failed
    return ok


def expected(kernel, seen):
    """nnref's float64 log-softmax of the values the kernel was given, or
    its exp for softmax, rounded to a 16-bit result type."""
    import numpy as np
    import nnref
    if kernel.op != "softmax":
        return nnref.expected(seen, kernel.dim, kernel.out_t)
    with np.errstate(all="ignore"):
        ref = np.exp(nnref.logsoftmax_ref(seen, kernel.dim))
    if kernel.out_t in ("f16", "bf16"):
        ref = nnref.round_to(ref, kernel.out_t)
    return ref


def median_seconds(fn, repeats=20, inner=10):
    fn()
    synchronize()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        synchronize()
        times.append((time.perf_counter() - start) / inner)
    return statistics.median(times)


def bench(kernels, op="logsoftmax"):
    reference = torch.softmax if op == "softmax" else torch.log_softmax
    prefix = "softmax_" if op == "softmax" else ""
    compiled = torch.compile(reference)
    cases = [((4096, n), 1) for n in (256, 512, 1024, 2048, 4096, 8192,
                                      16384, 32768)]
    cases += [((64, 128256), 1), ((8, 1000000), 1), ((32, 1024, 128), 1)]
    print("device: %s, %s" % (torch.cuda.get_device_name(), op))
    print("| shape | type | nn-mlir GB/s | torch GB/s | torch.compile GB/s "
          "| copy GB/s | nn/torch | nn/copy |")
    print("|---|---|---|---|---|---|---|---|")
    for t in ("f32", "bf16"):
        for index, (shape, dim) in enumerate(cases):
            print("[%d/%d] %s %s" % (index + 1, len(cases), shape, t),
                  file=sys.stderr)
            kernel = kernels[prefix + ("rows_" if len(shape) == 2 else "mid_") + t]
            x = torch.randn(shape, device="cuda").to(TYPES[t])
            y = torch.empty_like(x)
            gb = 2 * x.numel() * x.element_size() / 1e9
            nn = median_seconds(lambda: kernel(x, y))
            th = median_seconds(lambda: reference(x, dim))
            tc = median_seconds(lambda: compiled(x, dim))
            cp = median_seconds(lambda: y.copy_(x))
            print("| %s | %s | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f |" % (
                "x".join(map(str, shape)) + (" dim %d" % dim if len(shape) == 3
                                             else ""),
                t, gb / nn, gb / th, gb / tc, gb / cp, th / nn, cp / nn))


def check_grad(kernels):
    """nn.logsoftmax_grad(g, y) against float64
    torch._log_softmax_backward_data, y a real log-softmax output (with
    masked -inf entries) and g random, within the result type's tolerance
    of the terms (|g| + exp(y) * sum|g|: the subtraction may cancel)."""
    torch.manual_seed(1)
    ok = True
    for k in kernels.values():
        dtype = TYPES[k.in_t]
        shapes = ([(3, 7), (64, 1000), (8, 1025), (4, 8193), (2, 128256),
                   (1, 1000000), (0, 8)] if k.rank == 2
                  else [(4, 1000, 33), (1000, 3, 5), (3, 70001, 2)])
        for shape in shapes:
            x = torch.randn(shape, dtype=torch.float64) * 10
            x[torch.rand(shape) < 0.05] = float("-inf")
            y = torch.log_softmax(x, dim=k.dim).to(dtype)
            g = torch.randn(shape, dtype=torch.float64).to(dtype)
            got = k(g.cuda(), inputs=(y.cuda(),)).cpu().double()
            g64, y64 = g.double(), y.double()
            ref = torch._log_softmax_backward_data(g64, y64, k.dim, torch.float64) \
                if g.numel() else g64
            scale = g64.abs() + y64.exp() * g64.abs().sum(k.dim, keepdim=True) \
                if g.numel() else g64
            same_nan = torch.equal(torch.isnan(got), torch.isnan(ref))
            bad = (got - ref).abs() > TOLERANCE[k.out_t] * (1 + scale)
            passed = same_nan and not bool(bad[torch.isfinite(ref)].any())
            print("%s %s %s" % ("PASS" if passed else "FAIL", k.name,
                                "x".join(map(str, shape))))
            ok &= passed
    return ok


def bench_grad(kernels):
    """nn.logsoftmax_grad against PyTorch's backward kernel and
    torch.compile'd, and a copy of the same bytes (two reads, one write)."""
    compiled = torch.compile(torch._log_softmax_backward_data)
    print("device: %s, logsoftmax_grad" % torch.cuda.get_device_name())
    print("| shape | type | nn-mlir GB/s | torch GB/s | torch.compile GB/s "
          "| copy GB/s | nn/torch | nn/copy |")
    print("|---|---|---|---|---|---|---|---|")
    for t in ("f32", "bf16"):
        for n in (1024, 4096, 32768):
            kernel = kernels["grad_rows_" + t]
            g = torch.randn((4096, n), device="cuda").to(TYPES[t])
            y = torch.log_softmax(torch.randn((4096, n), device="cuda"), 1).to(TYPES[t])
            out = torch.empty_like(g)
            # A copy of 1.5x the elements moves the same bytes.
            src = torch.empty(3 * g.numel() // 2, dtype=g.dtype, device="cuda")
            dst = torch.empty_like(src)
            gb = 3 * g.numel() * g.element_size() / 1e9
            nn = median_seconds(lambda: kernel(g, out, inputs=(y,)))
            th = median_seconds(
                lambda: torch._log_softmax_backward_data(g, y, 1, g.dtype))
            tc = median_seconds(lambda: compiled(g, y, 1, g.dtype))
            cp = median_seconds(lambda: dst.copy_(src))
            print("| 4096x%d | %s | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f |" % (
                n, t, gb / nn, gb / th, gb / tc, gb / cp, th / nn, cp / nn))


def ce_case(k, shape, generator, all_ignored=False):
    """(x, t, g) for cross-entropy kernel `k`: logits of normal values
    times 10 rounded to its type, 5% of them -inf (masked classes, some
    targets among them), targets 20% ignored (all with `all_ignored`), and
    grad_loss of the loss's shape."""
    dtype = TYPES[k.in_t]
    x = torch.randn(shape, dtype=torch.float64, generator=generator) * 10
    x[torch.rand(shape, generator=generator) < 0.05] = float("-inf")
    classes = shape[1] if len(shape) > 1 else shape[0]
    samples = shape[:1] + shape[2:] if len(shape) > 1 else ()
    t = torch.randint(0, max(classes, 1), samples, generator=generator)
    t[torch.rand(samples, generator=generator) < 0.2] = -100
    if all_ignored:
        t[...] = -100
    g = torch.randn(samples if k.reduction == "none" else (),
                    dtype=torch.float64, generator=generator)
    return x.to(dtype), t, g.to(dtype)


def close(got, ref, tol):
    """Same NaN and +-inf places, and |got - ref| <= tol * (1 + |ref|)
    elsewhere."""
    same_special = torch.equal(torch.isnan(got), torch.isnan(ref)) and \
        torch.equal(torch.isposinf(got), torch.isposinf(ref)) and \
        torch.equal(torch.isneginf(got), torch.isneginf(ref))
    finite = torch.isfinite(ref)
    bad = (got[finite] - ref[finite]).abs() > tol * (1 + ref[finite].abs())
    return same_special and not bool(bad.any())


def check_ce(kernels):
    """nn.cross_entropy and nn.cross_entropy_grad against float64
    torch.nn.functional.cross_entropy and its autograd (ignore_index -100,
    each kernel's reduction and label smoothing), on the values given to
    the kernels; 16-bit losses are compared with the reference rounded to
    their type."""
    generator = torch.Generator().manual_seed(2)
    ok = True
    for k in kernels.values():
        shapes = ([(3, 7), (64, 1000), (8, 1025), (4, 8193), (2, 128256),
                   (1, 1), (0, 8)] if k.rank == 2 else [(4, 1000, 33), (2, 5, 3)])
        cases = [(shape, False) for shape in shapes] + [(shapes[1], True)]
        for shape, all_ignored in cases:
            x, t, g = ce_case(k, shape, generator, all_ignored)
            x64 = x.double().requires_grad_()
            ref = torch.nn.functional.cross_entropy(
                x64, t, ignore_index=-100, reduction=k.reduction,
                label_smoothing=k.smoothing)
            ref.backward(g.double())
            xd, td = x.to(DEVICE), t.to(DEVICE)
            loss = k.loss(xd, td).cpu().double()
            grad = k.loss_grad(g.to(DEVICE), xd, td).cpu().double()
            want = ref.detach()
            if k.in_t in ("f16", "bf16"):
                want = want.to(x.dtype).double()
            tol = TOLERANCE[k.out_t]
            passed = close(loss, want, tol) and close(grad, x64.grad, tol)
            print("%s %s %s%s" % ("PASS" if passed else "FAIL", k.name,
                                  "x".join(map(str, shape)),
                                  " all-ignored" if all_ignored else ""))
            ok &= passed
    return ok


def cross_entropy_contenders():
    """{name: step(x, t)} of the cross-entropy forward plus backward of
    PyTorch eager, torch.compile and, where importable, Liger and QuACK
    (each a fresh leaf per call; Liger writes the gradient into its input,
    so it gets a scratch copy), and why the others are missing."""
    F = torch.nn.functional

    def eager(x, t):
        F.cross_entropy(x.detach().requires_grad_(), t).backward()
    compiled_loss = torch.compile(F.cross_entropy)

    def compiled(x, t):
        compiled_loss(x.detach().requires_grad_(), t).backward()
    steps, missing = {"torch": eager, "torch.compile": compiled}, {}
    try:
        from liger_kernel.transformers import LigerCrossEntropyLoss
        liger_loss = LigerCrossEntropyLoss()
        scratch = {}

        def liger(x, t):
            xs = scratch.setdefault(x.data_ptr(), x.clone())
            liger_loss(xs.detach().requires_grad_(), t).backward()
        steps["Liger"] = liger
    except Exception as error:  # noqa: BLE001 (any import failure)
        missing["Liger"] = "%s: %s" % (type(error).__name__, error)
    try:
        from quack.cross_entropy import cross_entropy as quack_cross_entropy

        def quack(x, t):
            quack_cross_entropy(x.detach().requires_grad_(), t).mean().backward()
        steps["QuACK"] = quack
    except Exception as error:  # noqa: BLE001
        missing["QuACK"] = "%s: %s" % (type(error).__name__, error)
    return steps, missing


def bench_ce(kernels):
    """Cross-entropy forward plus backward ("mean", 5% of targets ignored)
    on vocabulary-sized rows: nn.cross_entropy then nn.cross_entropy_grad
    against each contender and a copy of the logits; milliseconds, with
    nn's largest gradient difference from PyTorch's."""
    steps, missing = cross_entropy_contenders()
    print("device: %s, cross-entropy forward + backward" %
          torch.cuda.get_device_name())
    for name, why in missing.items():
        print("%s not timed: %s" % (name, why))
    names = list(steps)
    print("| shape | type | nn-mlir ms | %s | copy ms | best other / nn "
          "| nn / copy | max abs(grad - torch) |" % " | ".join(
              "%s ms" % n for n in names))
    print("|---|---|---|%s---|---|---|---|" % ("---|" * len(names)))
    for shape in ((8192, 32000), (4096, 128256)):
        for t_name in ("f32", "bf16"):
            print("[%s %s]" % (shape, t_name), file=sys.stderr)
            k = kernels["ce_" + t_name]
            x = (torch.randn(shape, device="cuda") * 3).to(TYPES[t_name])
            t = torch.randint(0, shape[1], (shape[0],), device="cuda")
            t[torch.rand(shape[0], device="cuda") < 0.05] = -100
            one = torch.ones((), dtype=x.dtype, device="cuda")
            loss, grad = k.loss(x, t), torch.empty_like(x)

            def nn_step():
                k.loss(x, t, loss)
                k.loss_grad(one, x, t, grad)
            nn = median_seconds(nn_step, repeats=10, inner=3)
            xr = x.detach().requires_grad_()
            torch.nn.functional.cross_entropy(xr, t).backward()
            diff = (grad.double() - xr.grad.double()).abs().max().item()
            others = [median_seconds(lambda: steps[n](x, t), repeats=10, inner=3)
                      for n in names]
            copy = torch.empty_like(x)
            cp = median_seconds(lambda: copy.copy_(x), repeats=10, inner=3)
            print("| %s | %s | %.2f | %s | %.2f | %.2f | %.2f | %.1e |" % (
                "x".join(map(str, shape)), t_name, nn * 1e3,
                " | ".join("%.2f" % (o * 1e3) for o in others), cp * 1e3,
                min(others) / nn, nn / cp, diff))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--bench", action="store_true")
    parser.add_argument("--emulate", action="store_true",
                        help="the cross-entropy checks on build.sh --emulator "
                        "libraries, on this CPU")
    args = parser.parse_args()
    # Liger, unpacked here by build.sh --liger.
    sys.path.insert(0, os.path.join(HERE, "site"))
    if args.emulate:
        global DEVICE
        DEVICE = "cpu"
        ok = check_ce(load_kernels("cross_entropy"))
        print("check: %s" % ("all passed" if ok else "FAILURES"))
        return 0 if ok else 1
    if not torch.cuda.is_available():
        sys.exit("run.py: no CUDA device visible to PyTorch")
    kernels = load_kernels()
    grads = load_kernels("logsoftmax_grad")
    ces = load_kernels("cross_entropy")
    ok = True
    if args.check or not args.bench:
        ok = check(kernels)
        ok &= check_patterns(kernels)
        ok &= check_grad(grads)
        ok &= check_ce(ces)
        print("check: %s" % ("all passed" if ok else "FAILURES"))
    if args.bench:
        bench(kernels)
        bench(kernels, "softmax")
        bench_grad(grads)
        bench_ce(ces)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
