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

#endif // NN_CONVERSION_PASSES_TD
