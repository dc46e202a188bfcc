#!/usr/bin/env python3
"""nn.logsoftmax against today's PyPI contenders, side by side (issue 16).

usage (bench/contenders/run.sh sets up the venv and calls this):
  bench.py [--quick] [--threads=1,2] [--shapes=4096x1024,...] [--dtypes=f32,bf16]
           [--contenders=nn,torch,...] [--rounds=N] [--target-s=S]
           [--csv=FILE] [--md=FILE] [--nn-site=DIR] [--dnnl-lib=FILE]

One worker process per (shape, dim, dtype, threads) (JAX's threads and
Inductor's OpenMP thread count are fixed when a process starts using them, and
each case's memory is returned when its process ends). In a worker, every
contender is set up (compiled, called once and checked against a float64
reference, warmed up), then timed in ROUNDS rounds (default 5; 3 for tensors
of 512 MiB or more); in each round every contender in turn waits SETTLE
seconds (0.05 at 1 thread, 0.25 at more) and makes calls for about TARGET_S
seconds (default 0.08), each call timed on its own; the order reverses every
other round. Medians over all calls of all rounds are
reported. A tiny 1x16 case per (dtype, threads) gives each contender's
per-call overhead.

Contenders (labels as in the CSV):
  nn            nn_mlir (the Python package), static-shape module compiled
                with threads=N, called through its executable with a
                preallocated output (no allocation per call)
  torch         torch.log_softmax(x, dim, out=y), eager, preallocated output
  torch_alloc   torch.log_softmax(x, dim), eager, allocating
  torch_compile torch.compile(lambda x: torch.log_softmax(x, dim)), Inductor's
                C++ code, allocating (its output is Inductor's own buffer)
  ort           ONNX Runtime, one LogSoftmax node (opset 13, axis=dim),
                IOBinding on the input and a preallocated output
  jax           jax.jit(jax.nn.log_softmax(axis=dim)), input on the device,
                allocating, block_until_ready
  iree          the same function (JAX's StableHLO) compiled by iree-compile
                for llvm-cpu with --iree-llvmcpu-target-cpu=host, called
                through iree.runtime on a device-resident input, allocating
  iree_native   the same .vmfb timed by iree-benchmark-module (its own
                process; median of per-repetition means)
  dnnl          oneDNN softmax_v2 softmax_log (the onednn wheel) through
                bench/contenders/dnnl_contender.cpp, preallocated output
  memcpy        numpy.copyto of the same bytes into a preallocated array
                (split over N Python threads when threads = N > 1)
"""
import argparse
import csv
import ctypes
import gc
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# shape, dim, dtypes: bench/run.sh's cases, plus a vocabulary-sized and an
# attention-sized one (issue 16).
CASES = [
    ("4096x1024", 1, "f32,bf16"),
    ("1024x32000", 1, "f32,bf16"),
    ("64x128256", 1, "f32,bf16"),
    ("65536x16", 1, "f32"),
    ("32x1024x128", 1, "f32"),
    ("8x512x512", 0, "f32"),
    ("1x1000000", 1, "f32"),
    ("8192x50257", 1, "f32,bf16"),
    ("16x16x1024x1024", 3, "f32,bf16"),
]
OVERHEAD_SHAPE = "1x16"
# iree-compile's default is O2; O3 ran this function 1.7x faster in a trial
# (4096x1024 f32, 1 thread: 8.0-8.9 ms against 4.7-5.2 ms).
IREE_FLAGS = ["--iree-opt-level=O3"]

CONTENDERS = ["nn", "torch", "torch_alloc", "torch_compile", "ort", "jax",
              "iree", "iree_native", "dnnl", "memcpy"]
LABELS = {
    "nn": "nn-mlir", "torch": "torch eager (out=)",
    "torch_alloc": "torch eager", "torch_compile": "torch.compile",
    "ort": "ONNX Runtime", "jax": "JAX/XLA", "iree": "IREE (Python)",
    "iree_native": "IREE (iree-benchmark-module)", "dnnl": "oneDNN",
    "memcpy": "memcpy",
}
# Contenders that write into the shared, preallocated output buffer.
PREALLOCATED = {"nn", "torch", "ort", "dnnl", "memcpy"}

TOL = {"f32": 1e-5, "bf16": 2e-2}  # atol = rtol, docs/logsoftmax-semantics.md


def parse_shape(s):
    return tuple(int(v) for v in s.split("x"))


# ============================================================== worker side


def aligned_empty(shape, dtype, align=64):
    import numpy as np
    dtype = np.dtype(dtype)
    n = int(np.prod(shape)) * dtype.itemsize
    raw = np.empty(n + align, np.uint8)
    off = (-raw.ctypes.data) % align
    return raw[off:off + n].view(dtype).reshape(shape)


def rows_view(a, dim):
    """`a` as (rows, n) with the softmax dim last (a view when dim is last)."""
    import numpy as np
    if dim != a.ndim - 1:
        a = np.ascontiguousarray(np.moveaxis(a, dim, -1))
    return a.reshape(-1, a.shape[-1])


def chunks(nrows, ncols, max_elems=1 << 24):
    step = max(1, max_elems // max(ncols, 1))
    for r in range(0, nrows, step):
        yield slice(r, min(r + step, nrows))


def reference(x, dim, dtype):
    """log_softmax of x in float64, rounded to x's dtype, as (rows, n)."""
    import numpy as np
    xr = rows_view(x, dim)
    ref = np.empty(xr.shape, x.dtype)
    for sl in chunks(*xr.shape):
        v = xr[sl].astype(np.float64)
        m = v.max(axis=1, keepdims=True)
        v -= m
        v -= np.log(np.exp(v).sum(axis=1, keepdims=True))
        ref[sl] = v.astype(x.dtype)
    return ref


def check(y, ref, dim, dtype):
    """Compare y with the reference: the spec's tolerance and exact NaN/inf
    positions. Returns a dict for the CSV.

    The arithmetic is in float32: y and the rounded reference are both f32
    (or bf16) values, so y - ref is exact where they are within a factor of
    two (Sterbenz) and off by one f32 rounding elsewhere, far below the
    tolerance."""
    import numpy as np
    tol = np.float32(TOL[dtype])
    y = np.asarray(y)
    if y.dtype != ref.dtype:
        return {"check": f"wrong dtype {y.dtype}", "max_abs_err": math.nan,
                "worst_tol_ratio": math.nan}
    yr = rows_view(y, dim)
    if yr.shape != ref.shape:
        return {"check": f"wrong shape {y.shape}", "max_abs_err": math.nan,
                "worst_tol_ratio": math.nan}
    max_err = worst = 0.0
    out_of_tol = nonfinite = 0
    for sl in chunks(*ref.shape):
        a = yr[sl].astype(np.float32, copy=False)
        r = ref[sl].astype(np.float32, copy=False)
        fa, fr = np.isfinite(a), np.isfinite(r)
        if not (fa.all() and fr.all()):
            same = (np.isnan(a) & np.isnan(r)) | (a == r)
            nonfinite += int((~(fa & fr) & ~same).sum())
            fin = fa & fr
            a, r = np.where(fin, a, 0), np.where(fin, r, 0)
        err = np.abs(a - r)
        ratio = err / (tol + tol * np.abs(r))
        if err.size:
            max_err = max(max_err, float(err.max()))
            worst = max(worst, float(ratio.max()))
        out_of_tol += int(np.count_nonzero(ratio > 1))
    ok = out_of_tol == 0 and nonfinite == 0
    status = "ok" if ok else (f"FAIL ({out_of_tol} out of tolerance, "
                              f"{nonfinite} NaN/inf mismatches)")
    return {"check": status, "max_abs_err": max_err, "worst_tol_ratio": worst}


class Contender:
    """One contender in one worker. setup() compiles, makes the first call
    and returns its output for the check; call() is one timed call."""
    allocating = False

    def __init__(self, w):
        self.w = w
        self.info = ""

    def setup(self):
        raise NotImplementedError

    def call(self):
        raise NotImplementedError

    def batch(self, target_s, min_calls, max_calls):
        """Timed calls for about target_s seconds; returns (times, cpu/wall)."""
        times = []
        pc = time.perf_counter_ns
        c0, w0 = time.process_time(), time.perf_counter()
        start = pc()
        while True:
            t0 = pc()
            self.call()
            t1 = pc()
            times.append((t1 - t0) * 1e-9)
            n = len(times)
            if n >= max_calls or (n >= min_calls and (t1 - start) * 1e-9 >= target_s):
                break
        wall = time.perf_counter() - w0
        return times, (time.process_time() - c0) / wall if wall > 0 else math.nan

    def close(self):
        pass


class NN(Contender):
    def setup(self):
        w = self.w
        import nn_mlir
        ty = f"tensor<{'x'.join(map(str, w.shape))}x{w.dtype}>"
        text = (f"func.func @main(%x: {ty}) -> {ty} {{\n"
                f"  %y = nn.logsoftmax %x, dim = {w.dim} : {ty} -> {ty}\n"
                f"  return %y : {ty}\n}}\n")
        self.fn = nn_mlir.compile(text, threads=w.threads).main
        ex = getattr(self.fn, "_executable", None)
        if ex is not None and hasattr(ex, "call"):
            # The package's own call path (Function.__call__) without the
            # result allocation: the executable writes into our buffer.
            spec = lambda a: (a.__array_interface__["data"][0], w.dtype,
                              list(a.shape))
            self.args = ("main", [spec(w.x)], [spec(w.out)])
            self.ex = ex
            self.info = "preallocated output (Function._executable.call)"
            self.call = lambda: self.ex.call(*self.args)
        else:
            self.allocating = True
            self.info = "allocating (lib.main(x))"
            self.call = lambda: self.fn(w.x)
        r = self.fn(w.x) if self.allocating else (self.call(), w.out)[1]
        return r


class Torch(Contender):
    def setup(self):
        import torch
        w = self.w
        self.torch = torch
        self.xt, self.ot = w.torch_x(), w.torch_out()
        torch.log_softmax(self.xt, w.dim, out=self.ot)
        if self.ot.data_ptr() != w.out.ctypes.data:
            raise RuntimeError("out= reallocated the output")
        self.info = f"ATen {torch.backends.cpu.get_cpu_capability()}"
        return w.out

    def call(self):
        self.torch.log_softmax(self.xt, self.w.dim, out=self.ot)


class TorchAlloc(Contender):
    allocating = True

    def setup(self):
        import torch
        self.torch = torch
        self.xt = self.w.torch_x()
        return self.w.torch_to_numpy(torch.log_softmax(self.xt, self.w.dim))

    def call(self):
        self.torch.log_softmax(self.xt, self.w.dim)


class TorchCompile(Contender):
    allocating = True

    def setup(self):
        import torch
        import torch._dynamo
        import torch._inductor.config as icfg
        sys.path.insert(0, os.path.dirname(HERE))
        from inductor_libraries import link_inductor_with_its_own_torch
        link_inductor_with_its_own_torch()
        w = self.w
        torch._dynamo.reset()
        dim = w.dim
        self.fn = torch.compile(lambda x: torch.log_softmax(x, dim),
                                dynamic=False, fullgraph=True)
        self.xt = w.torch_x()
        t0 = time.perf_counter()
        y = self.fn(self.xt)
        self.info = (f"Inductor cpu_backend={icfg.cpu_backend}, threads "
                     f"{torch.get_num_threads()}, first call "
                     f"{time.perf_counter() - t0:.1f} s")
        return w.torch_to_numpy(y)

    def call(self):
        self.fn(self.xt)


class ORT(Contender):
    def setup(self):
        import numpy as np
        import onnx
        import onnxruntime as ort
        from onnx import TensorProto, helper
        w = self.w
        et = {"f32": TensorProto.FLOAT, "bf16": TensorProto.BFLOAT16}[w.dtype]
        g = helper.make_graph(
            [helper.make_node("LogSoftmax", ["x"], ["y"], axis=w.dim)], "g",
            [helper.make_tensor_value_info("x", et, list(w.shape))],
            [helper.make_tensor_value_info("y", et, list(w.shape))])
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
        m.ir_version = 10
        onnx.checker.check_model(m)
        so = ort.SessionOptions()
        so.intra_op_num_threads = w.threads
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.sess = ort.InferenceSession(m.SerializeToString(), so,
                                         providers=["CPUExecutionProvider"])
        if w.dtype == "bf16":
            mk = lambda a: ort.OrtValue.ortvalue_from_numpy_with_onnx_type(
                a.view(np.uint16), TensorProto.BFLOAT16)
        else:
            mk = ort.OrtValue.ortvalue_from_numpy
        self.xv, self.yv = mk(w.x), mk(w.out)
        if self.yv.data_ptr() != w.out.ctypes.data:
            raise RuntimeError("OrtValue copied the output buffer")
        self.io = self.sess.io_binding()
        self.io.bind_ortvalue_input("x", self.xv)
        self.io.bind_ortvalue_output("y", self.yv)
        self.sess.run_with_iobinding(self.io)
        self.info = f"intra_op_num_threads={w.threads}, IOBinding"
        return w.out

    def call(self):
        self.sess.run_with_iobinding(self.io)


class JAX(Contender):
    allocating = True

    def setup(self):
        import jax
        import numpy as np
        w = self.w
        dim = w.dim

        def log_softmax(x):
            return jax.nn.log_softmax(x, axis=dim)

        self.fn = jax.jit(log_softmax)
        self.xj = jax.device_put(w.x)
        self.xj.block_until_ready()
        y = self.fn(self.xj).block_until_ready()
        self.info = (f"XLA_FLAGS={os.environ.get('XLA_FLAGS', '')!r}, "
                     f"pool CPUs {w.jax_cpus}")
        return np.asarray(y)

    def call(self):
        self.fn(self.xj).block_until_ready()


def stablehlo_text(w):
    """JAX's lowering of the same function, as StableHLO text for IREE."""
    import jax
    import jax.numpy as jnp
    dim = w.dim

    def log_softmax(x):
        return jax.nn.log_softmax(x, axis=dim)

    dt = {"f32": jnp.float32, "bf16": jnp.bfloat16}[w.dtype]
    return jax.jit(log_softmax).lower(
        jax.ShapeDtypeStruct(w.shape, dt)).as_text()


def iree_vmfb(w):
    """Compiles the StableHLO for llvm-cpu and the host CPU; cached per worker."""
    if w.vmfb is None:
        src = os.path.join(w.work, "logsoftmax.mlir")
        with open(src, "w") as f:
            f.write(stablehlo_text(w))
        out = os.path.join(w.work, "logsoftmax.vmfb")
        cmd = [os.path.join(w.bindir, "iree-compile"), src,
               "--iree-input-type=stablehlo",
               "--iree-hal-target-device=local",
               "--iree-hal-local-target-device-backends=llvm-cpu",
               "--iree-llvmcpu-target-cpu=host"] + IREE_FLAGS + ["-o", out]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError("iree-compile failed: " + r.stderr.strip()[-2000:])
        w.vmfb = out
    return w.vmfb


class IREE(Contender):
    allocating = True

    def setup(self):
        import iree.runtime as rt
        w = self.w
        vmfb = iree_vmfb(w)
        rt.flags.parse_flags(f"--task_topology_max_group_count={w.threads}")
        self.config = rt.Config("local-task")
        self.ctx = rt.SystemContext(config=self.config)
        with open(vmfb, "rb") as f:
            vm = rt.VmModule.copy_buffer(self.ctx.instance, f.read())
        self.ctx.add_vm_module(vm)
        self.fn = self.ctx.modules[vm.name]["main"]
        self.xd = rt.asdevicearray(self.config.device, w.x)
        y = self.fn(self.xd)
        self.info = (f"iree-compile {' '.join(IREE_FLAGS)}, local-task, "
                     f"--task_topology_max_group_count={w.threads}")
        return y.to_host()

    def call(self):
        self.fn(self.xd)


class IREENative(Contender):
    allocating = True

    def setup(self):
        import numpy as np
        w = self.w
        self.vmfb = iree_vmfb(w)
        self.input = os.path.join(w.work, "input.bin")
        w.x.tofile(self.input)
        shape = "x".join(map(str, w.shape))
        self.base = [os.path.join(w.bindir, "iree-benchmark-module"),
                     f"--module={self.vmfb}", "--function=main",
                     "--device=local-task",
                     f"--task_topology_max_group_count={w.threads}",
                     f"--input={shape}x{w.dtype}=@{self.input}"]
        out = os.path.join(w.work, "iree_out.bin")  # raw: npy has no bf16
        run = [os.path.join(w.bindir, "iree-run-module")] + self.base[1:] + [
            f"--output=@{out}"]
        r = subprocess.run(run, capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError("iree-run-module failed: " + r.stderr.strip()[-2000:])
        y = np.fromfile(out, dtype=w.x.dtype)
        os.unlink(out)
        self.info = " ".join(os.path.basename(a) if i == 0 else a
                             for i, a in enumerate(self.base)
                             if not a.startswith(("--module", "--input")))
        return y.reshape(w.shape)

    def batch(self, target_s, min_calls, max_calls):
        reps = 3 if self.w.x.nbytes < (256 << 20) else 1
        cmd = self.base + [f"--benchmark_min_time={max(target_s / reps, 0.005):g}s",
                           f"--benchmark_repetitions={reps}",
                           "--benchmark_format=json"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError("iree-benchmark-module failed: " + r.stderr.strip()[-2000:])
        d = json.loads(r.stdout)
        unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
        times, util = [], []
        for b in d["benchmarks"]:
            if b.get("run_type") != "iteration":
                continue
            s = unit[b["time_unit"]]
            times.append(b["real_time"] * s)
            util.append(b["cpu_time"] / b["real_time"])
        return times, statistics.median(util) if util else math.nan


class DNNL(Contender):
    def setup(self):
        w = self.w
        if not w.dnnl_lib:
            raise RuntimeError("skipped (run.sh --no-dnnl: no --dnnl-lib)")
        if not os.path.exists(w.dnnl_lib):
            raise RuntimeError(
                f"not built ({w.dnnl_lib}): run.sh compiles "
                "bench/contenders/dnnl_contender.cpp")
        # The wheel's CPU engine is a SYCL device on Intel's OpenCL CPU
        # runtime (intel-opencl-rt), found by the OpenCL ICD loader.
        icd = os.path.join(sys.prefix, "lib", "libintelocl.so")
        if os.path.exists(icd):
            os.environ.setdefault("OCL_ICD_FILENAMES", icd)
        lib = ctypes.CDLL(w.dnnl_lib)
        lib.nnb_dnnl_create.argtypes = [
            ctypes.c_int, ctypes.POINTER(ctypes.c_int64), ctypes.c_int,
            ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p, ctypes.c_int,
            ctypes.c_char_p, ctypes.c_int]
        lib.nnb_dnnl_run.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.nnb_dnnl_destroy.argtypes = [ctypes.c_void_p]
        self.lib = lib
        dims = (ctypes.c_int64 * len(w.shape))(*w.shape)
        self.h = ctypes.c_void_p()
        impl = ctypes.create_string_buffer(256)
        self.err = ctypes.create_string_buffer(1024)
        if lib.nnb_dnnl_create(len(w.shape), dims, w.dim, int(w.dtype == "bf16"),
                               w.threads, ctypes.c_void_p(w.x.ctypes.data),
                               ctypes.c_void_p(w.out.ctypes.data),
                               ctypes.byref(self.h), impl, 256, self.err, 1024):
            raise RuntimeError(self.err.value.decode())
        self.impl = impl.value.decode()
        self.run = lib.nnb_dnnl_run
        self.call()
        self.info = (f"impl {self.impl}, TBB max_allowed_parallelism="
                     f"{lib.nnb_dnnl_max_threads()}")
        return w.out

    def call(self):
        if self.run(self.h, self.err, 1024):
            raise RuntimeError(self.err.value.decode())

    def close(self):
        if getattr(self, "h", None):
            self.lib.nnb_dnnl_destroy(self.h)
            self.h = None


class Memcpy(Contender):
    def setup(self):
        import numpy as np
        w = self.w
        src = w.x.reshape(-1).view(np.uint8)
        dst = w.out.reshape(-1).view(np.uint8)
        n = src.size
        if w.threads == 1:
            self.call = lambda: np.copyto(dst, src)
        else:
            from concurrent.futures import ThreadPoolExecutor
            self.pool = ThreadPoolExecutor(w.threads)
            step = -(-n // w.threads)
            step = -(-step // 64) * 64
            parts = [(dst[i:i + step], src[i:i + step]) for i in range(0, n, step)]
            pool = self.pool
            self.call = lambda: [f.result() for f in
                                 [pool.submit(np.copyto, d, s) for d, s in parts]]
            self.info = f"{len(parts)} chunks on a {w.threads}-thread pool"
        self.call()
        return None  # a copy, not a log-softmax: not checked

    def close(self):
        if hasattr(self, "pool"):
            self.pool.shutdown()


CLASSES = {"nn": NN, "torch": Torch, "torch_alloc": TorchAlloc,
           "torch_compile": TorchCompile, "ort": ORT, "jax": JAX,
           "iree": IREE, "iree_native": IREENative, "dnnl": DNNL,
           "memcpy": Memcpy}


class Worker:
    def __init__(self, a):
        self.shape = parse_shape(a.shape)
        self.dim = a.dim
        self.dtype = a.dtype
        self.threads = a.threads
        self.dnnl_lib = a.dnnl_lib
        self.bindir = os.path.dirname(sys.executable)
        self.vmfb = None
        self.jax_cpus = None

    def torch_x(self):
        return self._torch(self.x)

    def torch_out(self):
        return self._torch(self.out)

    def _torch(self, a):
        import numpy as np
        import torch
        if self.dtype == "bf16":
            return torch.from_numpy(a.view(np.int16)).view(torch.bfloat16)
        return torch.from_numpy(a)

    def torch_to_numpy(self, t):
        import ml_dtypes
        import numpy as np
        import torch
        t = t.contiguous()
        if t.dtype == torch.bfloat16:
            return t.view(torch.int16).numpy().view(ml_dtypes.bfloat16)
        return t.numpy()


def pin_jax_pool(threads):
    """Creates JAX's CPU client (and XLA's intra-op thread pool) while this
    thread's CPU affinity is the first `threads` CPUs, then restores it: the
    pool's threads keep the smaller mask. XLA has no flag for its pool size
    (the usual recipe's `intra_op_parallelism_threads=1` is not parsed by
    XLA_FLAGS, see docs/performance.md)."""
    allowed = sorted(os.sched_getaffinity(0))
    import jax
    if threads >= len(allowed):
        jax.devices()
        return allowed
    os.sched_setaffinity(0, allowed[:threads])
    try:
        jax.devices()
        jax.jit(lambda v: v + 1)(1.0).block_until_ready()
    finally:
        os.sched_setaffinity(0, allowed)
    return allowed[:threads]


def worker_main(a):
    import numpy as np
    import ml_dtypes

    if a.nn_site:
        sys.path.append(a.nn_site)  # after the venv's own numpy/ml_dtypes
    w = Worker(a)
    load = open("/proc/loadavg").read().split()[0]
    wanted = [c for c in a.contenders.split(",") if c]
    row = {"shape": a.shape, "dim": w.dim, "dtype": w.dtype,
           "threads": w.threads, "loadavg1": load}
    versions = {}

    # ---- thread settings that must precede the imports
    if "jax" in wanted or "iree" in wanted or "iree_native" in wanted:
        if w.threads == 1:
            os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false"
        w.jax_cpus = pin_jax_pool(w.threads)
    import torch
    torch.set_num_threads(w.threads)
    row["torch_cpu_capability"] = torch.backends.cpu.get_cpu_capability()

    # ---- memory: input, output, reference, JAX's and IREE's device copies,
    # one allocated result and iree-benchmark-module's two buffers
    nbytes = math.prod(w.shape) * (4 if w.dtype == "f32" else 2)
    avail = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemAvailable:"):
            avail = int(line.split()[1]) * 1024
    need = 8 * nbytes
    if need > 0.85 * avail:
        row["note"] = (f"skipped: needs about {need / 2**30:.1f} GiB, "
                       f"{avail / 2**30:.1f} GiB available")
        print("  " + row["note"], file=sys.stderr)
        print("NNB-ROW " + json.dumps(row), flush=True)
        return
    rounds = a.rounds if nbytes < (512 << 20) else min(a.rounds, a.big_rounds)
    row["rounds"] = rounds

    w.work = tempfile.mkdtemp(prefix="nnb-", dir=a.work)
    try:
        # ---- data: N(0,1) x 4, fixed seed, rounded to the dtype; 64-byte aligned
        npdt = {"f32": np.float32, "bf16": ml_dtypes.bfloat16}[w.dtype]
        rng = np.random.default_rng(20261125)
        w.x = aligned_empty(w.shape, npdt)
        w.out = aligned_empty(w.shape, npdt)
        xf = w.x.reshape(-1)
        step = 1 << 24
        for i in range(0, xf.size, step):
            v = rng.standard_normal(min(step, xf.size - i), dtype=np.float32)
            v *= 4
            xf[i:i + step] = v.astype(npdt)
        w.out.fill(0)
        numel = xf.size
        row["numel"] = numel
        row["bytes_rw"] = 2 * numel * w.x.itemsize
        ref = reference(w.x, w.dim, w.dtype)

        # ---- set up every contender: compile, first call, check, warm-up
        live = {}
        for name in wanted:
            c = CLASSES[name](w)
            t0 = time.perf_counter()
            try:
                y = c.setup()
                if y is not None:
                    row.update({f"{name}_{k}": v for k, v in
                                check(y, ref, w.dim, w.dtype).items()})
                    del y
                elif name != "memcpy":
                    row[f"{name}_check"] = "not checked"
                # warm-up: at least 2 calls and warmup_s
                if name != "iree_native":
                    t1, n = time.perf_counter(), 0
                    while n < 2 or time.perf_counter() - t1 < a.warmup_s:
                        c.call()
                        n += 1
                live[name] = c
                row[f"{name}_info"] = c.info
                row[f"{name}_allocating"] = int(c.allocating)
            except Exception as e:  # noqa: BLE001 -- reported, not fatal
                msg = f"{type(e).__name__}: {e}".replace("\n", " | ")
                row[f"{name}_error"] = msg[:1500]
                print(f"  {name}: {msg[:300]}", file=sys.stderr)
                try:
                    c.close()
                except Exception:  # noqa: BLE001
                    pass
            row[f"{name}_setup_s"] = round(time.perf_counter() - t0, 2)
            gc.collect()
        del ref
        gc.collect()

        # ---- rounds: every contender in turn, SETTLE then ~TARGET_S of calls
        times = {n: [] for n in live}
        util = {n: [] for n in live}
        gc.disable()
        for rnd in range(rounds):
            order = list(live)
            if rnd % 2:
                order.reverse()  # alternate the order too
            for name in order:
                time.sleep(a.settle_s)
                try:
                    t, u = live[name].batch(a.target_s, a.min_calls, a.max_calls)
                except Exception as e:  # noqa: BLE001
                    row[f"{name}_error"] = f"{type(e).__name__}: {e}"[:1500]
                    continue
                times[name] += t
                util[name].append(u)
        gc.enable()
        for name, c in live.items():
            c.close()
            t = times[name]
            if not t:
                continue
            med = statistics.median(t)
            row[f"{name}_median_s"] = med
            row[f"{name}_min_s"] = min(t)
            row[f"{name}_reps"] = len(t)
            row[f"{name}_gbps"] = row["bytes_rw"] / med / 1e9
            row[f"{name}_cpu_util"] = statistics.median(util[name])
    finally:
        shutil.rmtree(w.work, ignore_errors=True)

    from importlib import metadata
    for dist in ("torch", "onnxruntime", "onnx", "jax", "jaxlib",
                 "iree-base-compiler", "iree-base-runtime", "onednn", "numpy",
                 "ml_dtypes"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    try:
        import nn_mlir
        # Relative to the repository, so that no machine's path is recorded.
        versions["nn_mlir"] = os.path.relpath(os.path.dirname(nn_mlir.__file__),
                                              ROOT)
    except Exception:  # noqa: BLE001
        pass
    row["versions"] = versions
    print("NNB-ROW " + json.dumps(row), flush=True)


# ============================================================== driver side


def fmt_gb(v):
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.2f}"


def load_cpp_results(path):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            out[(r["shape"], int(r["dim"]), r["dtype"], int(r["threads"]))] = r
    return out


def write_csv(rows, path, names):
    base = ["shape", "dim", "dtype", "threads", "numel", "bytes_rw", "loadavg1",
            "rounds", "note",
            "torch_cpu_capability", "best_contender", "nn_over_best",
            "nn_over_memcpy", "nn_cpp_gbps", "torch113_cpp_gbps",
            "dnnl26_cpp_gbps"]
    per = ["median_s", "min_s", "reps", "gbps", "overhead_us", "cpu_util", "check",
           "max_abs_err", "worst_tol_ratio", "allocating", "setup_s", "info",
           "error"]
    cols = base + [f"{n}_{p}" for n in names for p in per] + ["versions"]
    with open(path, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        wr.writeheader()
        for r in rows:
            r = dict(r)
            r["versions"] = json.dumps(r.get("versions", {}), sort_keys=True)
            for k, v in list(r.items()):
                if isinstance(v, float):
                    r[k] = f"{v:.6g}"
            wr.writerow(r)


def summarize(r, names):
    libs = [n for n in names if n not in ("nn", "memcpy")
            and r.get(f"{n}_gbps") is not None]
    if libs:
        best = max(libs, key=lambda n: r[f"{n}_gbps"])
        r["best_contender"] = best
        if r.get("nn_gbps"):
            r["nn_over_best"] = r["nn_gbps"] / r[f"{best}_gbps"]
    if r.get("nn_gbps") and r.get("memcpy_gbps"):
        r["nn_over_memcpy"] = r["nn_gbps"] / r["memcpy_gbps"]


def write_md(rows, overhead, path, names, meta):
    out = ["# nn.logsoftmax against today's PyPI contenders (bench/contenders)", ""]
    out += [f"- {m}" for m in meta]
    out += [
        "- GB/s = 2 x numel x element size / median time per call (input read "
        "once, output written once). Every contender reads the same 64-byte "
        "aligned input; *alloc* marks those that allocate their output on "
        "every call (the others write into a preallocated buffer).",
        "- best = the fastest contender other than nn-mlir and memcpy in the "
        "same run; nn/best and nn/memcpy are ratios of GB/s.",
        "- nn (C++) = nn-mlir's GB/s from bench/run.sh's results.csv (another "
        "run, another time; the C++ harness calls the .so directly).",
        "- check: every contender's output against log-softmax in float64 "
        "(rounded to the dtype), |err| <= tol + tol|ref| (tol 1e-5 f32, "
        "2e-2 bf16), NaN/inf positions exact. `!` after a figure: that "
        "contender failed the check on this row.",
        "",
    ]
    head = ["shape", "dim", "dtype", "thr"] + [LABELS[n] + (" *alloc*" if n not in PREALLOCATED else "")
                                              for n in names] + [
        "best", "nn/best", "nn/memcpy", "nn (C++)", "load"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "|".join(["---"] * 4 + ["---:"] * len(names) + ["---", "---:", "---:", "---:", "---:"]) + "|")
    for r in rows:
        cells = [r["shape"], str(r["dim"]), r["dtype"], str(r["threads"])]
        for n in names:
            v = r.get(f"{n}_gbps")
            s = fmt_gb(v) if v is not None else ("err" if r.get(f"{n}_error") else "-")
            ch = r.get(f"{n}_check")
            if v is not None and ch and ch not in ("ok", "not checked"):
                s += " !"
            cells.append(s)
        cells += [LABELS.get(r.get("best_contender"), "-"),
                  f"{r['nn_over_best']:.2f}" if r.get("nn_over_best") else "n/a",
                  f"{r['nn_over_memcpy']:.2f}" if r.get("nn_over_memcpy") else "n/a",
                  fmt_gb(r.get("nn_cpp_gbps")), str(r.get("loadavg1", "?"))]
        out.append("| " + " | ".join(cells) + " |")

    if overhead:
        out += ["", f"Per-call overhead: median microseconds per call on a "
                f"{OVERHEAD_SHAPE} tensor (last dim).", ""]
        out.append("| dtype | thr | " + " | ".join(LABELS[n] for n in names) + " |")
        out.append("|---|---|" + "|".join(["---:"] * len(names)) + "|")
        for r in overhead:
            cells = [r["dtype"], str(r["threads"])]
            for n in names:
                v = r.get(f"{n}_median_s")
                cells.append(f"{v * 1e6:.1f}" if v is not None else
                             ("err" if r.get(f"{n}_error") else "-"))
            out.append("| " + " | ".join(cells) + " |")

    out += ["", "CPU use (process CPU time / wall time while timing; ~1 = one "
            "core busy, ~2 = two) per contender, median over rows:", ""]
    for thr in sorted({r["threads"] for r in rows}):
        parts = []
        for n in names:
            u = [r[f"{n}_cpu_util"] for r in rows
                 if r["threads"] == thr and r.get(f"{n}_cpu_util") is not None
                 and r.get("numel", 0) >= 1 << 22]
            if u:
                parts.append(f"{LABELS[n]} {statistics.median(u):.2f}")
        if parts:
            out.append(f"- threads={thr} (rows of 4M elements or more): " + ", ".join(parts))

    notes = [r for r in rows + overhead if r.get("note")]
    if notes:
        out += ["", "Notes:", ""]
        out += [f"- {r['shape']} {r['dtype']} threads={r['threads']}: {r['note']}"
                for r in notes]
    fails = [(r, n) for r in rows + overhead for n in names
             if r.get(f"{n}_check") not in (None, "ok", "not checked")]
    if fails:
        out += ["", "Correctness failures:", ""]
        for r, n in fails:
            out.append(f"- {LABELS[n]}, {r['shape']} {r['dtype']} dim={r['dim']} "
                       f"threads={r['threads']}: {r[f'{n}_check']}, max abs err "
                       f"{r.get(f'{n}_max_abs_err', math.nan):.3g}")
    errs = {}
    for r in rows + overhead:
        for n in names:
            e = r.get(f"{n}_error")
            if e:
                errs.setdefault((n, e), []).append(f"{r['shape']} {r['dtype']} t{r['threads']}")
    if errs:
        out += ["", "Contenders that did not run:", ""]
        for (n, e), where in errs.items():
            out.append(f"- {LABELS[n]} ({', '.join(where)}): `{e}`")
    infos = {}
    for r in rows:
        for n in names:
            i = r.get(f"{n}_info")
            if i:
                infos.setdefault(n, set()).add(i)
    if infos:
        out += ["", "How each contender was set up (per thread count):", ""]
        for n, s in infos.items():
            out.append(f"- {LABELS[n]}: " + "; ".join(sorted(s)[:4]))
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def driver_main(a):
    names = [c for c in a.contenders.split(",") if c]
    for n in names:
        if n not in CLASSES:
            sys.exit(f"bench.py: unknown contender {n!r} (have {', '.join(CONTENDERS)})")
    threads = [int(t) for t in a.threads.split(",")]
    dtypes = a.dtypes.split(",")
    shapes = a.shapes.split(",") if a.shapes else None
    runs = []
    for shape, dim, dts in CASES:
        if shapes and shape not in shapes:
            continue
        for dt in dts.split(","):
            if dt not in dtypes:
                continue
            for t in threads:
                runs.append((shape, dim, dt, t))
    over = []
    if not a.no_overhead:
        over = [(OVERHEAD_SHAPE, 1, dt, t) for dt in dtypes for t in threads]
    if not runs and not over:
        sys.exit("bench.py: nothing to run (check --shapes/--dtypes)")
    os.makedirs(a.work, exist_ok=True)
    cpp = load_cpp_results(a.cpp_results)
    rows, orows = [], []
    t_start = time.time()
    allv = {}
    total = len(runs) + len(over)
    for i, (shape, dim, dt, t) in enumerate(over + runs, 1):
        print(f"[{i}/{total}] {shape} {dt} dim={dim} threads={t} ...",
              file=sys.stderr, flush=True)
        t0 = time.time()
        cmd = [sys.executable, os.path.abspath(__file__), "--worker",
               f"--shape={shape}", f"--dim={dim}", f"--dtype={dt}",
               f"--threads={t}", f"--contenders={a.contenders}",
               f"--rounds={a.rounds}", f"--big-rounds={a.big_rounds}",
               f"--target-s={a.target_s}",
               f"--warmup-s={a.warmup_s}",
               f"--settle-s={a.settle_s if a.settle_s is not None else (0.25 if t > 1 else 0.05)}",
               f"--min-calls={a.min_calls}", f"--max-calls={a.max_calls}",
               f"--work={a.work}", f"--dnnl-lib={a.dnnl_lib or ''}",
               f"--nn-site={a.nn_site or ''}"]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        row = None
        for line in p.stdout.splitlines():
            if line.startswith("NNB-ROW "):
                row = json.loads(line[8:])
        if row is None:
            print(f"    worker failed (rc={p.returncode})", file=sys.stderr)
            row = {"shape": shape, "dim": dim, "dtype": dt, "threads": t,
                   "numel": 0, "bytes_rw": 0,
                   "nn_error": f"worker failed, rc={p.returncode}"}
        allv.update(row.get("versions", {}))
        summarize(row, names)
        c = cpp.get((shape, dim, dt, t))
        if c:
            row["nn_cpp_gbps"] = float(c["nn_gbps"])
            row["torch113_cpp_gbps"] = float(c["torch_gbps"])
            row["dnnl26_cpp_gbps"] = float(c["dnnl_gbps"])
        gb = ", ".join(f"{n} {fmt_gb(row.get(n + '_gbps'))}" for n in names
                       if row.get(n + "_gbps") is not None)
        if shape == OVERHEAD_SHAPE:
            gb = ", ".join(f"{n} {row[n + '_median_s'] * 1e6:.1f}us" for n in names
                           if row.get(n + "_median_s") is not None)
        bad = [n for n in names if row.get(f"{n}_check") not in (None, "ok", "not checked")]
        print(f"    {gb}{'; CHECK FAILED: ' + ','.join(bad) if bad else ''} "
              f"({time.time() - t0:.1f}s)", file=sys.stderr, flush=True)
        if shape == OVERHEAD_SHAPE:
            orows.append(row)
        else:
            rows.append(row)
        # every row carries each contender's per-call overhead (the 1x16 row
        # of its dtype and thread count, which runs first)
        for o in orows:
            for r in rows:
                if (r["dtype"], r["threads"]) == (o["dtype"], o["threads"]):
                    for n in names:
                        if o.get(f"{n}_median_s") is not None:
                            r[f"{n}_overhead_us"] = o[f"{n}_median_s"] * 1e6
        # written after every case, so that an interrupted run keeps its rows
        write_csv(orows + rows, a.csv, names)
    meta = list(a.meta)
    meta.append(f"Versions: " + ", ".join(f"{k} {v}" for k, v in sorted(allv.items())
                                            if k != "nn_mlir"))
    if "nn_mlir" in allv:
        meta.append(f"nn_mlir imported from {allv['nn_mlir']}")
    meta.append(f"Rounds {a.rounds}, ~{a.target_s} s of calls per contender per "
                f"round (at least {a.min_calls}, at most {a.max_calls}), "
                f"warm-up >= 2 calls and {a.warmup_s} s; total "
                f"{time.time() - t_start:.0f} s")
    write_md(rows, orows, a.md, names, meta)
    print(f"wrote {a.csv} and {a.md}", file=sys.stderr)
    bad = [r for r in rows + orows
           if r.get("nn_check") not in (None, "ok", "not checked")]
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--shape")
    ap.add_argument("--dim", type=int, default=1)
    ap.add_argument("--dtype", default="f32")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--shapes", default="")
    ap.add_argument("--dtypes", default="f32,bf16")
    ap.add_argument("--contenders", default=",".join(CONTENDERS))
    ap.add_argument("--quick", action="store_true",
                    help="3 rounds of ~0.02 s per contender: a smoke test")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--target-s", type=float)
    ap.add_argument("--warmup-s", type=float)
    ap.add_argument("--settle-s", type=float)
    ap.add_argument("--big-rounds", type=int, default=3,
                    help="rounds for tensors of 512 MiB or more (default 3)")
    ap.add_argument("--min-calls", type=int, default=1)
    ap.add_argument("--max-calls", type=int, default=2000)
    ap.add_argument("--no-overhead", action="store_true",
                    help=f"skip the {OVERHEAD_SHAPE} overhead rows")
    ap.add_argument("--csv", default=os.path.join(ROOT, "bench/results/contenders.csv"))
    ap.add_argument("--md", default=os.path.join(ROOT, "bench/results/contenders.md"))
    ap.add_argument("--cpp-results", default=os.path.join(ROOT, "bench/results/results.csv"))
    ap.add_argument("--work", default=os.path.join(ROOT, "build-bench/contenders-work"))
    ap.add_argument("--nn-site", default="",
                    help="a site-packages to append to sys.path for nn_mlir")
    ap.add_argument("--dnnl-lib", default=os.path.join(
        sys.prefix, "libdnnl_contender.so"),
                    help="the oneDNN contender library run.sh builds (default: "
                    "libdnnl_contender.so in the venv)")
    ap.add_argument("--meta", action="append", default=[])
    a = ap.parse_args()
    if a.rounds is None:
        a.rounds = 3 if a.quick else 5
    if a.target_s is None:
        a.target_s = 0.02 if a.quick else 0.08
    if a.warmup_s is None:
        a.warmup_s = 0.02 if a.quick else 0.1
    if a.worker:
        a.threads = int(a.threads)
        if a.settle_s is None:
            a.settle_s = 0.25 if a.threads > 1 else 0.05
        worker_main(a)
        return 0
    return driver_main(a)


if __name__ == "__main__":
    sys.exit(main())
