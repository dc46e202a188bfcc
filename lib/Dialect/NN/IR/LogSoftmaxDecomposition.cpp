//===- LogSoftmaxDecomposition.cpp - nn.logsoftmax as linalg stages ------===//
//
// AggregatedOpInterface: nn.logsoftmax as three fused linalg.generic stages
// on tensors (reduce-max, exp-sum, (x - max) - log(sum)). --nn-to-linalg and
// transform.structured.decompose_interface both use it.
//
//===----------------------------------------------------------------------===//

#include "nn/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::nn;

namespace {

/// Converts a float scalar to `to`, widening or narrowing as needed.
Value convertFloat(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::TruncFOp::create(b, loc, to, v);
}

/// A filled init tensor of `sizes` for a reduction.
Value createFilledTensor(OpBuilder &b, Location loc,
                         ArrayRef<OpFoldResult> sizes, Type elementType,
                         double value) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, elementType);
  Value init = arith::ConstantOp::create(b, loc, elementType,
                                         b.getFloatAttr(elementType, value));
  return linalg::FillOp::create(b, loc, init, empty).getResult(0);
}

} // namespace

FailureOr<SmallVector<Value>> LogSoftmaxOp::decomposeOperation(OpBuilder &b) {
  Location loc = getLoc();
  Value input = getInput();
  RankedTensorType outputType = getOutputType();
  Type outElt = outputType.getElementType();
  Type computeType = LogSoftmaxOp::getComputeType(outElt);
  int64_t rank = getInputType().getRank();
  MLIRContext *ctx = getContext();

  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, input);
  Value outputInit = tensor::EmptyOp::create(b, loc, sizes, outElt);
  // A static result size may refine a dynamic input size; keep the op's type.
  if (outputInit.getType() != outputType)
    outputInit = tensor::CastOp::create(b, loc, outputType, outputInit);

  if (rank == 0) {
    // A single-element slice: the result is x - x (0, or NaN for inf/NaN).
    AffineMap scalar = AffineMap::get(0, 0, ctx);
    auto generic = linalg::GenericOp::create(
        b, loc, outputType, input, outputInit,
        ArrayRef<AffineMap>{scalar, scalar}, ArrayRef<utils::IteratorType>{},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = convertFloat(b, l, args[0], computeType);
          Value zero = arith::SubFOp::create(b, l, x, x);
          linalg::YieldOp::create(b, l, convertFloat(b, l, zero, outElt));
        });
    return SmallVector<Value>(generic.getResults());
  }

  int64_t dim = getNormalizedDim();
  SmallVector<OpFoldResult> reducedSizes(sizes);
  reducedSizes.erase(reducedSizes.begin() + dim);

  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap reduced = identity.dropResult(dim);
  SmallVector<utils::IteratorType> reductionIterators(
      rank, utils::IteratorType::parallel);
  reductionIterators[dim] = utils::IteratorType::reduction;
  SmallVector<utils::IteratorType> parallelIterators(
      rank, utils::IteratorType::parallel);

  // Stage 1: m = max(x) from -inf; maximumf propagates NaN.
  Value maxInit = createFilledTensor(b, loc, reducedSizes, computeType,
                                     -std::numeric_limits<double>::infinity());
  Value max =
      linalg::GenericOp::create(
          b, loc, maxInit.getType(), input, maxInit,
          ArrayRef<AffineMap>{identity, reduced}, reductionIterators,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value x = convertFloat(b, l, args[0], computeType);
            linalg::YieldOp::create(
                b, l, arith::MaximumFOp::create(b, l, x, args[1]).getResult());
          })
          .getResult(0);

  // Stage 2: s = sum(exp(x - m)), accumulated without a temporary.
  Value sumInit = createFilledTensor(b, loc, reducedSizes, computeType, 0.0);
  Value sum =
      linalg::GenericOp::create(
          b, loc, sumInit.getType(), ValueRange{input, max}, sumInit,
          ArrayRef<AffineMap>{identity, reduced, reduced}, reductionIterators,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value x = convertFloat(b, l, args[0], computeType);
            Value shifted = arith::SubFOp::create(b, l, x, args[1]);
            Value e = math::ExpOp::create(b, l, shifted);
            linalg::YieldOp::create(
                b, l, arith::AddFOp::create(b, l, e, args[2]).getResult());
          })
          .getResult(0);

  // Stage 3: y = (x - m) - log(s), rounded once to the result type.
  auto result = linalg::GenericOp::create(
      b, loc, outputType, ValueRange{input, max, sum}, outputInit,
      ArrayRef<AffineMap>{identity, reduced, reduced, identity},
      parallelIterators, [&](OpBuilder &b, Location l, ValueRange args) {
        Value x = convertFloat(b, l, args[0], computeType);
        Value shifted = arith::SubFOp::create(b, l, x, args[1]);
        Value logSum = math::LogOp::create(b, l, args[2]);
        Value y = arith::SubFOp::create(b, l, shifted, logSum);
        linalg::YieldOp::create(b, l, convertFloat(b, l, y, outElt));
      });
  return SmallVector<Value>(result.getResults());
}
