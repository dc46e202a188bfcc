//===- Passes.td - nn dialect transformation passes --------*- tablegen -*-===//
//
// Passes specific to the nn dialect: raising other dialects' log-softmax to
// nn.logsoftmax.
//
//===----------------------------------------------------------------------===//

#ifndef NN_DIALECT_NN_TRANSFORMS_PASSES_TD
#define NN_DIALECT_NN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def RaiseToNNPass : Pass<"nn-raise"> {
  let summary = "Recognize log-softmax written with other dialects' ops";
  let description = [{
    Rewrites into `nn.logsoftmax`:

    - `linalg.softmax` whose only use is an elementwise `math.log`, either
      `math.log` on the tensor or a `linalg.generic` with identity maps whose
      body is `math.log` of its input;
    - the TOSA sequence `reduce_max`, `sub`, `exp`, `reduce_sum`, `log`,
      `sub` along one axis;
    - a graph of linalg ops on tensors computing
      `(x - max_d(x)) - log(sum_d(exp(x - max_d(x))))` or
      `x - (max_d(x) + log(sum_d(exp(x - max_d(x)))))`, as a torch-mlir style
      front-end decomposes `aten._log_softmax`: `linalg.generic` or named ops
      (`linalg.reduce`, `linalg.broadcast`, `linalg.sub`, `linalg.exp`, ...),
      reduced values kept as unit dims (maps with a constant 0, or
      `tensor.expand_shape`) or dropped, steps fused or not. The max
      reduction starts from -inf, the sum from 0; `arith.mulf` by 1.0 (the
      alpha of `aten.sub`) and `extf`/`truncf` are looked through.

    Only floating-point ranked tensors (f16, bf16, f32, f64) are raised, and
    only when the intermediate values have no other use. A sum of `exp(x)`
    without the max subtraction is not raised: it overflows where
    log-softmax does not.
  }];
  let dependentDialects = ["::mlir::nn::NNDialect"];
}

#endif // NN_DIALECT_NN_TRANSFORMS_PASSES_TD
