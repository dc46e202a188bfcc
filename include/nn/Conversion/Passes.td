//===- Passes.td - nn conversion passes --------------------*- tablegen -*-===//

#ifndef NN_CONVERSION_PASSES_TD
#define NN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertNNToLinalgPass : Pass<"nn-to-linalg"> {
  let summary = "Lower nn ops to linalg on tensors";
  let description = [{
    Rewrites every `nn.logsoftmax` into three `linalg.generic` ops on tensors,
    each a fused stage over the input:

    1. a reduce-max along `dim`, starting from -inf and combining with
       `arith.maximumf` so that a NaN anywhere in a slice propagates;
    2. an exp-sum, `sum(exp(x - max))`, computed inside the reduction so no
       input-sized temporary is materialized;
    3. the elementwise result `(x - max) - log(sum)`.

    Reduced values live in tensors of the input's shape minus `dim`; dynamic
    sizes are read with `tensor.dim`. f16 and bf16 inputs accumulate in f32 and
    round once when the result is stored; a wider result type converts the
    input first and computes in the result type. A rank-0 input lowers to
    `x - x`. After this pass no `nn` op remains; an op that cannot be lowered
    is reported as an error.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def ConvertNNToVectorPass : Pass<"nn-to-vector"> {
  let summary = "Lower nn ops to row-parallel vector code on tensors (CPU)";
  let description = [{
    Rewrites every `nn.logsoftmax` into a tuned, vectorized kernel on tensors:
    an `scf.forall` over the independent slices, and inside each slice

    1. one read pass that computes the maximum and the exp-sum together
       (online rescaling: the running sum is multiplied by
       `exp(old_max - new_max)` when the maximum grows; along the last
       dimension the exps are taken relative to a lagging reference that
       moves only when a block exceeds it by more than 64), with several
       independent vector accumulators;
    2. one pass that writes `(x - max) - log(sum)`.

    Along the last dimension the lanes of a vector are consecutive elements
    of one row, combined at the end of the row; along any other dimension
    the lanes are consecutive elements of the contiguous inner dimensions,
    so every load is unit-stride. Tails are handled with masked transfers
    (padding -inf on reads). `exp` is a polynomial with Cody-Waite range
    reduction that keeps the -inf/+inf/NaN behaviour of the spec. f16 and
    bf16 are widened to f32 in registers and rounded once on store. Rank-0
    ops are left to `--nn-to-linalg`.

    The training ops take the same passes: `nn.softmax` and
    `nn.logsoftmax_grad` along any dim, `nn.cross_entropy` and
    `nn.cross_entropy_grad` on logits of any rank (rows for `[N, C]` and
    `[C]`, the inner-dim kernel along the classes otherwise); statically
    empty tensors along another dim are left to `--nn-to-linalg`
    (docs/training-ops.md).
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"512",
           "Width of a vector register in bits (128 SSE2, 256 AVX2, 512 "
           "AVX-512)">,
    Option<"accumulators", "accumulators", "unsigned", /*default=*/"2",
           "Independent vector accumulators in the read pass">,
    Option<"blockVectors", "block-vectors", "unsigned", /*default=*/"4",
           "Vectors per accumulator and step that share one rescaling">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def ConvertNNToGPUPass : Pass<"nn-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Lower functions of nn ops to GPU kernel launches";
  let description = [{
    Rewrites every function that contains `nn.logsoftmax`, `nn.softmax`,
    `nn.logsoftmax_grad`, `nn.cross_entropy` or `nn.cross_entropy_grad` into
    a host function on memrefs (device buffers; results become trailing
    out-parameters written by the kernels; `llvm.emit_c_interface` set) that
    launches kernels for each op. The function body must consist of these
    ops on its arguments or on each other; anything else is an error. The
    other ops take the log-softmax kernels below with another last step
    (docs/training-ops.md).

    The functions are bufferized first by upstream's passes, as the CPU
    pipeline does: `one-shot-bufferize` (identity layouts at function
    boundaries; `nn.logsoftmax` becomes an allocation written by
    `nn.logsoftmax_into`), `nn-copy-duplicate-results`,
    `buffer-results-to-out-params` (allocations hoisted, so that the kernels
    write the out-parameters directly) and the buffer deallocation pipeline.
    Then, in the bufferized functions (and in functions given already
    bufferized, holding `nn.logsoftmax_into`), every `nn.logsoftmax_into`
    becomes kernel launches and `memref.alloc`, `memref.dealloc` and
    `memref.copy` become `gpu.alloc`, `gpu.dealloc` and `gpu.memcpy`. The
    module's other functions are left alone. Kernels:

    - last dim, `warp`: one warp per row, 8 rows per block, the row held in
      registers (loaded once, 128-bit accesses when both buffers are
      16-byte aligned), the maximum and then the sum reduced with xor
      shuffles, the result written from registers;
    - last dim, `block`: the same with a block of 256 (f32 rows up to 8192
      elements) or 512 threads per row, the warps' partials combined
      through shared memory;
    - last dim, `split`: rows longer than registers hold, cut into segments
      of one block each (two launches: the segments' max and sum into a
      device temporary, then a combine and the write), so that few rows
      fill the GPU;
    - last dim, `stream`: a block per row for rows longer than registers
      hold, an online max+sum per thread, then a second read to write;
    - other dims: one thread per column of the contiguous inner dims walking
      the reduced dim, so that accesses are coalesced.

    `auto` takes `warp` for rows up to `warp-row-limit` elements, `block`
    up to 16384 elements (4096 for f64), and above, `split` for fewer than
    1024 rows; for more rows, a wide 512-thread block holding 64 elements
    per thread up to 32768 (vector kernels only, not f64), then `stream`;
    at compile time for static shapes and at run time otherwise. `warp`
    streams the rows it cannot hold; `block` takes the wide block, then
    streams. f16 and bf16 accumulate in f32 and round once on store. exp
    is `math.exp2` marked `afn`, which the GPU pipeline turns into
    `ex2.approx.ftz.f32`.
  }];
  let options = [
    Option<"strategy", "strategy", "::mlir::nn::GPURowStrategy",
           /*default=*/"::mlir::nn::GPURowStrategy::Auto",
           "Kernel for last-dim rows",
           "::mlir::nn::getGPURowStrategyValues()">,
    Option<"warpRowLimit", "warp-row-limit", "int64_t", /*default=*/"1024",
           "Longest row that auto gives to one warp">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def ApproximateExp2ToNVVMPass : Pass<"nn-gpu-approximate-exp2"> {
  let summary = "Lower f32 math.exp2 marked afn to ex2.approx.ftz.f32";
  let description = [{
    Replaces every f32 `math.exp2` (scalar or 1-D vector, unrolled) that
    carries the `afn` fast-math flag with a call of the NVVM intrinsic
    `llvm.nvvm.ex2.approx.ftz.f32`: one MUFU.EX2, denormals flushed to
    zero, at most 2 ulp from exp2. The GPU kernels mark the exp2 whose
    results only add to a sum; convert-gpu-to-nvvm would otherwise call
    libdevice's __nv_exp2f, which guards denormals around the MUFU. Run it
    on gpu.module before convert-gpu-to-nvvm.
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def EmulateGPUPass : Pass<"nn-emulate-gpu", "::mlir::ModuleOp"> {
  let summary = "(Testing) Run gpu.launch kernels serially on the CPU";
  let description = [{
    For checking the GPU kernels' values on a machine without a GPU: each
    `gpu.launch` becomes loops over its blocks and, per block, one loop over
    the threads for each stretch of the body between synchronising ops
    (`gpu.barrier` ends one, `gpu.shuffle` starts one and reads what its
    source lane computed before it). Values crossing a stretch are kept per
    thread; workgroup memory is a buffer reused block after block. Host-side
    `gpu.alloc`, `gpu.dealloc` and `gpu.memcpy` become memref ops.

    Synchronising ops must sit directly in the launch body, as the nn
    kernels are written; anything else (nested barriers, async launches,
    clusters, other gpu ops) is an error at the op, never a silent
    mis-emulation. Run it after `--nn-to-gpu`, before kernel outlining.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

#endif // NN_CONVERSION_PASSES_TD
