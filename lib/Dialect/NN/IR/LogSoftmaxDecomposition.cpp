//===- LogSoftmaxDecomposition.cpp - nn.logsoftmax as linalg stages ------===//
//
// AggregatedOpInterface: nn.logsoftmax as three fused linalg.generic stages
// on tensors (reduce-max, exp-sum, (x - max) - log(sum)). --nn-to-linalg and
// transform.structured.decompose_interface both use it.
//
//===----------------------------------------------------------------------===//

#include "nn/Dialect/NN/IR/NNOps.h"

#include "DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

FailureOr<SmallVector<Value>> LogSoftmaxOp::decomposeOperation(OpBuilder &b) {
  int64_t dim = getInputType().getRank() == 0 ? 0 : getNormalizedDim();
  Value y = decomposeSoftmaxLike(
      b, getLoc(), getInput(), dim, getOutputType(),
      // A single-element slice: x - x (0, or NaN for inf/NaN).
      [](OpBuilder &b, Location l, Value x) -> Value {
        return arith::SubFOp::create(b, l, x, x);
      },
      // (x - m) - log(s).
      [](OpBuilder &b, Location l, Value x, Value m, Value s) -> Value {
        Value shifted = arith::SubFOp::create(b, l, x, m);
        return arith::SubFOp::create(b, l, shifted,
                                     math::LogOp::create(b, l, s));
      });
  return SmallVector<Value>{y};
}
