"""The training ops off the last dim on the CPU: nn-mlir's inner-dim kernels
against the linalg decomposition they replaced, PyTorch eager and memcpy.

Three cases, each in one process with the contenders alternating (the order
reversed every other round), medians of the per-round means:

  softmax          nn.softmax along dim 1 of 32x1024x128 f32
  logsoftmax_grad  nn.logsoftmax_grad along dim 1 of 32x1024x128 f32
                   (y a real log-softmax); PyTorch: _log_softmax_backward_data
  cross_entropy    nn.cross_entropy then nn.cross_entropy_grad ("mean") on
                   32x1000x128 f32 logits; PyTorch: F.cross_entropy, backward()

"linalg" is the same module lowered by nn-opt --nn-to-linalg first (the
decomposition the kernels replaced). memcpy copies the bytes a case reads
and writes once. Threads: NN_NUM_THREADS and torch.set_num_threads.

  python inner_dim.py --nn-compile build/bin/nn-compile --nn-opt build/bin/nn-opt \
      --work DIR [--threads 1] [--rounds 7] [--calls 5]
"""

import argparse
import ctypes
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "test", "Integration", "CPU",
                                "lib"))
import aot  # noqa: E402  (the C ABI helpers of the tests)

SHAPE = "32x1024x128xf32"
CE_LOGITS, CE_TARGET = "32x1000x128xf32", "32x128xi64"
MODULES = {
    "softmax": f"""
func.func @run(%x: tensor<{SHAPE}>) -> tensor<{SHAPE}> {{
  %y = "nn.softmax"(%x) <{{dim = 1 : i64}}> : (tensor<{SHAPE}>) -> tensor<{SHAPE}>
  return %y : tensor<{SHAPE}>
}}""",
    "logsoftmax_grad": f"""
func.func @run(%g: tensor<{SHAPE}>, %y: tensor<{SHAPE}>) -> tensor<{SHAPE}> {{
  %x = "nn.logsoftmax_grad"(%g, %y) <{{dim = 1 : i64}}> : (tensor<{SHAPE}>, tensor<{SHAPE}>) -> tensor<{SHAPE}>
  return %x : tensor<{SHAPE}>
}}""",
    "cross_entropy": f"""
func.func @fwd(%x: tensor<{CE_LOGITS}>, %t: tensor<{CE_TARGET}>) -> tensor<f32> {{
  %l = "nn.cross_entropy"(%x, %t) : (tensor<{CE_LOGITS}>, tensor<{CE_TARGET}>) -> tensor<f32>
  return %l : tensor<f32>
}}
func.func @bwd(%g: tensor<f32>, %x: tensor<{CE_LOGITS}>, %t: tensor<{CE_TARGET}>) -> tensor<{CE_LOGITS}> {{
  %d = "nn.cross_entropy_grad"(%g, %x, %t) : (tensor<f32>, tensor<{CE_LOGITS}>, tensor<{CE_TARGET}>) -> tensor<{CE_LOGITS}>
  return %d : tensor<{CE_LOGITS}>
}}""",
}


def build(args, name):
    """{"nn-mlir": lib, "linalg": lib}: the case's module compiled as it is
    and after nn-opt --nn-to-linalg."""
    source = os.path.join(args.work, name + ".mlir")
    with open(source, "w") as f:
        f.write(MODULES[name])
    decomposed = os.path.join(args.work, name + "-linalg.mlir")
    subprocess.run([args.nn_opt, source, "--nn-to-linalg", "-o", decomposed],
                   check=True)
    libs = {}
    for label, path in (("nn-mlir", source), ("linalg", decomposed)):
        library = os.path.join(args.work, "%s-%s.so" % (name, label))
        subprocess.run([args.nn_compile, path, "-o", library, "--emit=shared"],
                       check=True)
        libs[label] = ctypes.CDLL(library)
    return libs


def caller(function, *arrays):
    descriptors = [aot.descriptor(a) for a in arrays]
    refs = [ctypes.byref(d) for d in descriptors]
    return lambda: function(*refs)


def cases(args, torch):
    """(name, {contender: call}, bytes moved, check) for every case."""
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    shape = (32, 1024, 128)

    libs = build(args, "softmax")
    x = (rng.standard_normal(shape) * 4).astype(np.float32)
    y = np.empty_like(x)
    tx = torch.from_numpy(x)
    calls = {label: caller(lib._mlir_ciface_run, x, y) for label, lib in libs.items()}
    calls["torch"] = lambda: torch.softmax(tx, 1)

    def check_softmax():
        calls["nn-mlir"]()
        return np.abs(y - torch.softmax(tx.double(), 1).numpy()).max()
    yield "softmax", calls, 2 * x.nbytes, check_softmax

    libs = build(args, "logsoftmax_grad")
    g = rng.standard_normal(shape).astype(np.float32)
    out = torch.log_softmax(torch.from_numpy(rng.standard_normal(shape) * 4), 1)
    out = out.float().numpy()
    gx = np.empty_like(g)
    tg, ty = torch.from_numpy(g), torch.from_numpy(out)
    calls = {label: caller(lib._mlir_ciface_run, g, out, gx)
             for label, lib in libs.items()}
    calls["torch"] = lambda: torch._log_softmax_backward_data(tg, ty, 1,
                                                              torch.float32)

    def check_grad():
        calls["nn-mlir"]()
        ref = torch._log_softmax_backward_data(tg.double(), ty.double(), 1,
                                               torch.float64)
        return np.abs(gx - ref.numpy()).max()
    yield "logsoftmax_grad", calls, 3 * g.nbytes, check_grad

    libs = build(args, "cross_entropy")
    logits = (rng.standard_normal((32, 1000, 128)) * 3).astype(np.float32)
    target = rng.integers(0, 1000, (32, 128)).astype(np.int64)
    target[rng.random((32, 128)) < 0.05] = -100
    loss = np.zeros((), np.float32)
    one = np.ones((), np.float32)
    grad = np.empty_like(logits)
    calls = {}
    for label, lib in libs.items():
        fwd = caller(lib._mlir_ciface_fwd, logits, target, loss)
        bwd = caller(lib._mlir_ciface_bwd, one, logits, target, grad)
        calls[label] = lambda fwd=fwd, bwd=bwd: (fwd(), bwd())
    tl, tt = torch.from_numpy(logits), torch.from_numpy(target)

    def torch_step():
        F.cross_entropy(tl.detach().requires_grad_(), tt).backward()
    calls["torch"] = torch_step

    def check_ce():
        calls["nn-mlir"]()
        x64 = tl.double().requires_grad_()
        F.cross_entropy(x64, tt).backward()
        return np.abs(grad - x64.grad.numpy()).max()
    # The forward reads the logits, the gradient reads and writes them.
    yield "cross_entropy", calls, 3 * logits.nbytes, check_ce


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nn-compile", required=True)
    parser.add_argument("--nn-opt", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=5)
    args = parser.parse_args()
    os.environ["NN_NUM_THREADS"] = str(args.threads)
    import torch
    torch.set_num_threads(args.threads)
    os.makedirs(args.work, exist_ok=True)
    print("# %s, %d cores, %d thread(s), torch %s" % (
        platform.processor() or platform.machine(), os.cpu_count(),
        args.threads, torch.__version__))
    print("| case | nn-mlir ms | linalg ms | torch ms | memcpy ms | torch / nn "
          "| linalg / nn | max abs error (float64) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, calls, nbytes, check in cases(args, torch):
        src = np.empty(nbytes // 8, np.float32)
        dst = np.empty_like(src)
        calls["memcpy"] = lambda: np.copyto(dst, src)
        error = check()
        times = {label: [] for label in calls}
        order = list(calls)
        for r in range(args.rounds):
            for label in order if r % 2 == 0 else reversed(order):
                calls[label]()
                start = time.perf_counter()
                for _ in range(args.calls):
                    calls[label]()
                times[label].append((time.perf_counter() - start) / args.calls)
        ms = {label: statistics.median(t) * 1e3 for label, t in times.items()}
        print("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1e |" % (
            name, ms["nn-mlir"], ms["linalg"], ms["torch"], ms["memcpy"],
            ms["torch"] / ms["nn-mlir"], ms["linalg"] / ms["nn-mlir"], error),
            flush=True)


if __name__ == "__main__":
    main()
