//===- SoftmaxDecomposition.cpp - nn.softmax and its kin as linalg --------===//
//
// AggregatedOpInterface for nn.softmax (reduce-max, exp-sum, then
// exp(x - max) / sum) and nn.logsoftmax_grad (sum, then g - exp(y) * sum).
//
//===----------------------------------------------------------------------===//

#include "nn/Dialect/NN/IR/NNOps.h"

#include "DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

FailureOr<SmallVector<Value>> SoftmaxOp::decomposeOperation(OpBuilder &b) {
  int64_t dim = getInputType().getRank() == 0 ? 0 : getNormalizedDim();
  Value y = decomposeSoftmaxLike(
      b, getLoc(), getInput(), dim, getOutputType(),
      // A single-element slice: exp(x - x) / exp(x - x), 1 or NaN.
      [](OpBuilder &b, Location l, Value x) -> Value {
        Value e = math::ExpOp::create(b, l, arith::SubFOp::create(b, l, x, x));
        return arith::DivFOp::create(b, l, e, e);
      },
      // exp(x - m) / s.
      [](OpBuilder &b, Location l, Value x, Value m, Value s) -> Value {
        Value e = math::ExpOp::create(b, l, arith::SubFOp::create(b, l, x, m));
        return arith::DivFOp::create(b, l, e, s);
      },
      // These loops add one term after the other: the sum of a long slice
      // in f32 would lose its small terms (2^18 of them: 2e-3 relative), so
      // it is added in f64.
      b.getF64Type());
  return SmallVector<Value>{y};
}

FailureOr<SmallVector<Value>>
LogSoftmaxGradOp::decomposeOperation(OpBuilder &b) {
  Location loc = getLoc();
  Value gradOutput = getGradOutput(), output = getOutput();
  RankedTensorType type = getType();
  Type elt = type.getElementType();
  Type computeType = LogSoftmaxOp::getComputeType(elt);
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, output);
  Value init = createEmpty(b, loc, sizes, type);

  // A rank-0 tensor is one slice of one element: the sum is g itself.
  int64_t dim = rank == 0 ? 0 : getNormalizedDim();
  AlongDim maps(b, rank, rank == 0 ? -1 : dim);
  Value sum;
  AffineMap sumMap = maps.identity;
  if (rank > 0) {
    sum = reduceSum(b, loc, gradOutput, sizes, dim, computeType);
    sumMap = maps.reduced;
  }

  // g - exp(y) * sum(g), rounded once.
  SmallVector<Value> inputs = {gradOutput, output};
  SmallVector<AffineMap> indexing = {maps.identity, maps.identity};
  if (sum) {
    inputs.push_back(sum);
    indexing.push_back(sumMap);
  }
  indexing.push_back(maps.identity);
  auto result = linalg::GenericOp::create(
      b, loc, type, inputs, init, indexing, maps.parallel,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value g = convertFloat(b, l, args[0], computeType);
        Value y = convertFloat(b, l, args[1], computeType);
        Value s = sum ? args[2] : g;
        Value p = math::ExpOp::create(b, l, y);
        Value grad =
            arith::SubFOp::create(b, l, g, arith::MulFOp::create(b, l, p, s));
        linalg::YieldOp::create(b, l, convertFloat(b, l, grad, elt));
      });
  return SmallVector<Value>(result.getResults());
}
