"""nn.cross_entropy forward + backward against PyTorch on the CPU.

Times, side by side in one run and alternating the contenders, the loss and
its gradient with respect to the logits (reduction "mean", ignore_index
-100, no smoothing) for [N, C] logits with class-index targets:

  nn-mlir         nn.cross_entropy then nn.cross_entropy_grad, compiled by
                  nn-compile --emit=shared and called through the C ABI
  torch eager     F.cross_entropy(x, t) then loss.backward()
  torch.compile   the same, compiled (Inductor's C++ code)
  memcpy          one copy of the logits (the bytes one pass reads and writes)

Every contender sets its thread count its own way (NN_NUM_THREADS,
torch.set_num_threads). Prints one line per case and writes a CSV.

  python cross_entropy.py --nn-compile build/bin/nn-compile --work DIR \
      [--shapes 8192x32000,4096x128256] [--dtypes f32,bf16] [--threads 1,2]
"""

import argparse
import csv
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

MLIR = {"f32": "f32", "bf16": "bf16"}


def module(n, c, dtype):
    t = MLIR[dtype]
    attrs = ('<{ignore_index = -100 : i64, reduction = "mean", '
             'label_smoothing = 0.0 : f64}>')
    return f"""
func.func @ce_fwd(%x: tensor<{n}x{c}x{t}>, %t: tensor<{n}xi64>) -> tensor<{t}> {{
  %l = "nn.cross_entropy"(%x, %t) {attrs} : (tensor<{n}x{c}x{t}>, tensor<{n}xi64>) -> tensor<{t}>
  return %l : tensor<{t}>
}}
func.func @ce_bwd(%g: tensor<{t}>, %x: tensor<{n}x{c}x{t}>, %t: tensor<{n}xi64>) -> tensor<{n}x{c}x{t}> {{
  %d = "nn.cross_entropy_grad"(%g, %x, %t) {attrs} : (tensor<{t}>, tensor<{n}x{c}x{t}>, tensor<{n}xi64>) -> tensor<{n}x{c}x{t}>
  return %d : tensor<{n}x{c}x{t}>
}}
"""


def median_time(fn, reps):
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nn-compile", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--shapes", default="8192x32000,4096x128256")
    parser.add_argument("--dtypes", default="f32,bf16")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternations of the contenders")
    parser.add_argument("--csv", default=None)
    parser.add_argument("--no-compile", action="store_true",
                        help="skip torch.compile")
    args = parser.parse_args()

    import torch
    import torch.nn.functional as F

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from inductor_libraries import link_inductor_with_its_own_torch
    link_inductor_with_its_own_torch()

    os.makedirs(args.work, exist_ok=True)
    rows = []
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} "
          f"cores, torch {torch.__version__} "
          f"({torch.backends.cpu.get_cpu_capability()})", flush=True)
    for shape in args.shapes.split(","):
        n, c = map(int, shape.split("x"))
        for dtype in args.dtypes.split(","):
            name = f"ce_{n}x{c}_{dtype}"
            source = os.path.join(args.work, name + ".mlir")
            library = os.path.join(args.work, name + ".so")
            with open(source, "w") as f:
                f.write(module(n, c, dtype))
            subprocess.run([args.nn_compile, source, "-o", library,
                            "--emit=shared"], check=True)
            lib = ctypes.CDLL(library)
            fwd, bwd = lib._mlir_ciface_ce_fwd, lib._mlir_ciface_ce_bwd

            rng = np.random.default_rng(0)
            x32 = rng.standard_normal((n, c), dtype=np.float32) * 3
            target = rng.integers(0, c, n).astype(np.int64)
            target[rng.random(n) < 0.05] = -100
            tdtype = torch.float32 if dtype == "f32" else torch.bfloat16
            xt = torch.from_numpy(x32).to(tdtype)
            tt = torch.from_numpy(target)
            x_buf = aot.to_storage(xt.float().numpy().astype(np.float64), dtype)
            loss_buf = np.zeros((), aot.STORAGE[dtype])
            one = np.array(aot.to_storage(np.ones(()), dtype))
            grad_buf = np.zeros((n, c), aot.STORAGE[dtype])
            descs = [aot.descriptor(a) for a in (x_buf, target, loss_buf, one,
                                                 grad_buf)]
            x_d, t_d, l_d, g_d, d_d = descs

            def ours():
                fwd(ctypes.byref(x_d), ctypes.byref(t_d), ctypes.byref(l_d))
                bwd(ctypes.byref(g_d), ctypes.byref(x_d), ctypes.byref(t_d),
                    ctypes.byref(d_d))

            def eager_step(x):
                x = x.detach().requires_grad_()
                F.cross_entropy(x, tt).backward()
                return x.grad

            compiled = None if args.no_compile else torch.compile(eager_step)
            copy_dst = np.empty_like(x_buf)

            def memcpy():
                np.copyto(copy_dst, x_buf)

            for threads in map(int, args.threads.split(",")):
                os.environ["NN_NUM_THREADS"] = str(threads)
                torch.set_num_threads(threads)
                contenders = {"nn-mlir": ours,
                              "torch eager": lambda: eager_step(xt),
                              "memcpy": memcpy}
                if compiled is not None:
                    contenders["torch.compile"] = lambda: compiled(xt)
                for fn in contenders.values():  # warm up (and compile)
                    fn()
                times = {k: [] for k in contenders}
                for _ in range(args.rounds):
                    for key, fn in contenders.items():
                        times[key].append(median_time(fn, args.reps))
                med = {k: statistics.median(v) for k, v in times.items()}
                # Our result against torch's, as a sanity check.
                ref = eager_step(xt).float().numpy()
                got = aot.from_storage(grad_buf, dtype)
                err = float(np.max(np.abs(got - ref)))
                best = min(v for k, v in med.items()
                           if k.startswith("torch"))
                line = (f"{shape} {dtype} threads={threads}: "
                        + ", ".join(f"{k} {v * 1e3:.1f} ms"
                                    for k, v in med.items())
                        + f"; nn/best torch {best / med['nn-mlir']:.2f}x,"
                        f" max |grad - torch| {err:.2e}")
                print(line, flush=True)
                rows.append({"shape": shape, "dtype": dtype,
                             "threads": threads,
                             **{k + " ms": f"{v * 1e3:.3f}"
                                for k, v in med.items()},
                             "speedup vs best torch":
                                 f"{best / med['nn-mlir']:.3f}",
                             "max abs grad diff": f"{err:.3e}"})
    if args.csv and rows:
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
