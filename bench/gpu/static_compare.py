"""Side by side, without a GPU: nn-mlir's NVPTX kernels, a Triton
log-softmax in the fused-softmax style, and IREE's CUDA backend, compiled
for sm_90 and read off ptxas -v and the SASS (cuobjdump).

  python static_compare.py --nn-compile build/bin/nn-compile --work DIR
      [--iree-compile PATH] [--ptxas PATH] [--cuobjdump PATH]

Run it with a Python that has `triton` (PyPI; it compiles for an explicit
target without a GPU, and ships cuobjdump). Prints a Markdown table, one row
per (shape, system):

- launches per call (IREE: dispatches);
- DRAM passes: reads and writes of the tensor the kernels' structure
  implies (2: one read, one write; 3: the row is read twice);
- LDG/STG: global access widths in the SASS of the hot region (bits x
  count per thread): the innermost loop with the most 128-bit loads, else
  the whole straight-line kernel (rows in registers);
- EX2/elem, SASS/elem: MUFU.EX2 and all SASS instructions of the hot region
  per element a thread loads there (its load bits over the element size);
- registers, occupancy (from the registers, block size and shared memory),
  spills.

Shapes: f32 4096x512 (a warp per row), 4096x4096 (a block per row),
4096x16384 (a 512-thread block), 64x128256 (split rows), 4096x32768
(streamed), and bf16 4096x1024.
IREE 3.13's compiler from PyPI rejects sm_90 ("missing GPU target"): it
compiles for sm_80, and its PTX is assembled for sm_90, as the driver does
when it runs sm_80 PTX on a Hopper GPU.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "test", "Pipelines", "lib"))
import kernel_stats  # noqa: E402

SHAPES = [("f32", 4096, 512), ("f32", 4096, 4096), ("f32", 4096, 16384),
          ("f32", 64, 128256), ("f32", 4096, 32768), ("bf16", 4096, 1024)]
BYTES = {"f32": 4, "bf16": 2, "f16": 2}
MLIR_TYPE = {"f32": "f32", "bf16": "bf16", "f16": "f16"}


def run(cmd, **kw):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)
    if proc.returncode:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), proc.stdout[-3000:]))
    return proc.stdout


def next_pow2(n):
    return 1 << (n - 1).bit_length()


def stats(ptx_path, opts, arch=None):
    """{kernel: dict} from ptxas -v and the SASS of one PTX file, assembled
    for `arch` (default: the PTX's own .target; Triton writes sm_90a)."""
    cubin = ptx_path + ".cubin"
    arch = arch or re.search(r"^\.target (\w+)", open(ptx_path).read(), re.M).group(1)
    report = kernel_stats.ptxas_report(opts.ptxas, arch, ptx_path, cubin)
    sass = kernel_stats.sass_functions(opts.cuobjdump, cubin)
    threads = {name: t for name, (_, t) in kernel_stats.entries(open(ptx_path).read()).items()}
    out = {}
    for name, r in report.items():
        instructions = sass.get(name, [])
        total, loads, stores, ex2, local = kernel_stats.sass_counts(instructions)
        # The hot region: the innermost loop reading the tensor (128-bit
        # loads) the most, else the whole (straight-line) kernel; a loop of
        # scalar loads (split rows' partials) is not it.
        bodies = [kernel_stats.sass_counts(b)
                  for b in kernel_stats.sass_loop_bodies(instructions)]
        bodies = [c for c in bodies if c[1][128]]
        hot = max(bodies, key=lambda c: c[1][128], default=None)
        t = threads.get(name, 1)
        blocks = kernel_stats.blocks_per_sm(r["regs"], t, r["smem"])
        out[name] = dict(regs=r["regs"], spill=r["spill"] + r["stack"], threads=t,
                         occupancy=100 * blocks * (-(-t // 32)) // 64, total=total,
                         loads=loads, stores=stores, ex2=ex2, local=local,
                         hot=hot or (total, loads, stores, ex2, local), loop=bool(hot))
    return out


def write_module(path, dtype, m, n):
    """A function of one nn.logsoftmax along the last dim of m x n."""
    t = "%dx%dx%s" % (m, n, MLIR_TYPE[dtype])
    with open(path, "w") as f:
        f.write("func.func @k(%%x: tensor<%s>) -> tensor<%s> {\n"
                "  %%y = nn.logsoftmax %%x, dim = 1 : tensor<%s> -> tensor<%s>\n"
                "  return %%y : tensor<%s>\n}\n" % ((t,) * 5))


def ours(dtype, m, n, opts):
    base = os.path.join(opts.work, "nn_%s_%dx%d" % (dtype, m, n))
    write_module(base + ".mlir", dtype, m, n)
    run([opts.nn_compile, base + ".mlir", "--target=nvptx", "--emit=ptx", "-o", base + ".ptx"])
    s = stats(base + ".ptx", opts)
    # The kernels an aligned call launches: the vector variants (split rows
    # launch two, reading the row twice; streamed rows read it twice too).
    names = [k for k in s if not k.endswith("_v1")]
    dram = 3 if any("streamed" in k or "split" in k for k in names) else 2
    return [(name, len(names), dram, s[name]) for name in names]


TRITON_SOURCE = '''
import triton
import triton.language as tl

@triton.jit
def log_softmax(out_ptr, in_ptr, in_row_stride, out_row_stride, n_cols,
                BLOCK_SIZE: tl.constexpr):
    # The fused-softmax tutorial's kernel, turned log-softmax: the row in
    # registers, max, sum of exp, one write.
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK_SIZE)
    mask = cols < n_cols
    x = tl.load(in_ptr + row * in_row_stride + cols, mask=mask,
                other=-float("inf")).to(tl.float32)
    z = x - tl.max(x, axis=0)
    y = z - tl.log(tl.sum(tl.exp(z), axis=0))
    tl.store(out_ptr + row * out_row_stride + cols,
             y.to(out_ptr.dtype.element_ty), mask=mask)
'''


def triton_kernel(dtype, m, n, opts):
    import triton
    from triton.backends.compiler import GPUTarget
    path = os.path.join(opts.work, "triton_log_softmax.py")
    with open(path, "w") as f:
        f.write(TRITON_SOURCE)
    sys.path.insert(0, opts.work)
    import triton_log_softmax
    block = next_pow2(n)
    # The tutorial's choice of warps.
    warps = 16 if block >= 4096 else 8 if block >= 2048 else 4
    ty = {"f32": "*fp32", "bf16": "*bf16", "f16": "*fp16"}[dtype]
    # What Triton's launcher specialises on when the pointers are 16-byte
    # aligned and the sizes multiples of 16, its best case.
    attrs = {(i,): [["tt.divisibility", 16]] for i in range(5) if i < 2 or n % 16 == 0}
    src = triton.compiler.ASTSource(
        fn=triton_log_softmax.log_softmax,
        signature={"out_ptr": ty, "in_ptr": ty, "in_row_stride": "i32",
                   "out_row_stride": "i32", "n_cols": "i32", "BLOCK_SIZE": "constexpr"},
        constexprs={"BLOCK_SIZE": block}, attrs=attrs)
    compiled = triton.compile(src, target=GPUTarget("cuda", 90, 32),
                              options={"num_warps": warps})
    base = os.path.join(opts.work, "triton_%s_%dx%d" % (dtype, m, n))
    with open(base + ".ptx", "w") as f:
        f.write(compiled.asm["ptx"])
    s = stats(base + ".ptx", opts)
    name, k = next(iter(s.items()))
    return name, 1, 2, k


def iree_kernels(dtype, m, n, opts):
    base = os.path.join(opts.work, "iree_%s_%dx%d" % (dtype, m, n))
    write_module(base + ".nn.mlir", dtype, m, n)
    nn_opt = os.path.join(os.path.dirname(opts.nn_compile), "nn-opt")
    # The decomposition an IREE user would write: max, sum of exp, subtract.
    linalg = run([nn_opt, base + ".nn.mlir", "--nn-to-linalg"])
    with open(base + ".mlir", "w") as f:
        f.write(linalg)
    dump = base + "_dump"
    shutil.rmtree(dump, ignore_errors=True)
    run([opts.iree_compile, base + ".mlir", "--iree-hal-target-device=cuda",
         "--iree-cuda-target=sm_80", "--iree-hal-dump-executable-binaries-to=" + dump,
         "-o", base + ".vmfb"])
    # The embedded PTX (.target sm_80), assembled for sm_90 as the driver
    # would on an H100 or H200.
    ptx = glob.glob(os.path.join(dump, "*.ptx"))[0]
    shutil.copy(ptx, base + ".ptx")
    return stats(base + ".ptx", opts, arch="sm_90")


def fmt_widths(counter):
    return ",".join("%dx%d" % (w, counter[w]) for w in sorted(counter, reverse=True)) or "-"


def row(system, shape, name, kernels, dram, k, element_bits):
    total, loads, stores, ex2, _ = k["hot"]
    # Elements a thread handles in the hot region: the bits it loads.
    elements = sum(w * c for w, c in loads.items()) / element_bits
    per = lambda v: "%.2f" % (v / elements) if elements else "-"
    return ("| %s | %s | %s | %d | %d | %s / %s | %s | %s | %s | %d | %d%% | %d |" % (
        shape, system, name, kernels, dram, fmt_widths(loads), fmt_widths(stores), per(ex2),
        per(total), "loop" if k["loop"] else "kernel", k["regs"], k["occupancy"], k["spill"]))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nn-compile", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--iree-compile", default=shutil.which("iree-compile"))
    p.add_argument("--ptxas", help="default: the newest Triton ships (its PTX needs CUDA 13.4's ptxas); "
                   "every system's PTX goes through the same one")
    p.add_argument("--cuobjdump", default=shutil.which("cuobjdump"))
    opts = p.parse_args()
    opts.nn_compile = os.path.abspath(opts.nn_compile)
    import triton
    tools = os.path.join(os.path.dirname(triton.__file__), "backends", "nvidia", "bin")
    opts.cuobjdump = opts.cuobjdump or os.path.join(tools, "cuobjdump")
    opts.ptxas = opts.ptxas or os.path.join(tools, "ptxas-blackwell")
    os.makedirs(opts.work, exist_ok=True)
    print("| shape | system | kernel | launches | DRAM passes | LDG / STG (bits x n) "
          "| EX2/elem | SASS/elem | hot region | regs | occupancy | spill B |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for dtype, m, n in SHAPES:
        shape = "%s %dx%d" % (dtype, m, n)
        bits = 8 * BYTES[dtype]
        for name, kernels, dram, k in ours(dtype, m, n, opts):
            print(row("nn-mlir", shape, name.replace("k_0_", ""), kernels, dram, k, bits))
        name, kernels, dram, k = triton_kernel(dtype, m, n, opts)
        print(row("Triton", shape, "fused-softmax style", kernels, dram, k, bits))
        if opts.iree_compile:
            s = iree_kernels(dtype, m, n, opts)
            for kname, k in sorted(s.items()):
                # 4 passes: dispatch 0 reads for the maximum; dispatch 1
                # reads in its sum loop, then again to write (read off the
                # SASS of these shapes by hand, not derived here).
                print(row("IREE", shape, "dispatch " + kname.split("dispatch_")[-1], len(s),
                          4, k, bits))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
