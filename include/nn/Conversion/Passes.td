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
    Rewrites every function that contains `nn.logsoftmax` into a host
    function on memrefs (device buffers; results become trailing
    out-parameters written by the kernels; `llvm.emit_c_interface` set) that
    launches one `gpu.launch` per op. The function body must consist of
    `nn.logsoftmax` ops on its arguments or on each other; anything else is
    an error. Kernels:

    - last dim, `warp`: one warp per row, 8 rows per block, a strided online
      max+sum per lane, xor-shuffle reductions, then the write pass;
    - last dim, `block`: one 256-thread block per row, warp shuffles, then
      the 8 warp partials through shared memory;
    - other dims: one thread per column of the contiguous inner dims walking
      the reduced dim, so that accesses are coalesced.

    `auto` takes `warp` for rows up to `warp-row-limit` elements and `block`
    above, at compile time for static rows and at run time otherwise. f16
    and bf16 accumulate in f32 and round once on store.
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
  ];
}

#endif // NN_CONVERSION_PASSES_TD
