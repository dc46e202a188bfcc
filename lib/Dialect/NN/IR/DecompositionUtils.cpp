//===- DecompositionUtils.cpp - Linalg stages shared by nn ops ------------===//

#include "DecompositionUtils.h"

#include "nn/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::nn::detail;

Value nn::detail::convertFloat(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, v);
  // f64 -> bf16 would be a call to __truncdfbf2, which neither libgcc nor
  // the JIT provides. Going through f32 rounds twice: that differs from
  // rounding once only for values within 2^-25 (relative) of a halfway point
  // between two bf16 numbers, and then by one bf16 ulp.
  if (from.isF64() && to.isBF16())
    v = arith::TruncFOp::create(b, loc, b.getF32Type(), v);
  return arith::TruncFOp::create(b, loc, to, v);
}

Value nn::detail::createFilledTensor(OpBuilder &b, Location loc,
                                     ArrayRef<OpFoldResult> sizes,
                                     Type elementType, double value) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, elementType);
  Value init = arith::ConstantOp::create(b, loc, elementType,
                                         b.getFloatAttr(elementType, value));
  return linalg::FillOp::create(b, loc, init, empty).getResult(0);
}

Value nn::detail::createEmpty(OpBuilder &b, Location loc,
                              ArrayRef<OpFoldResult> sizes,
                              RankedTensorType type) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  // A static result size may refine a dynamic input size; keep the op's type.
  if (empty.getType() != type)
    empty = tensor::CastOp::create(b, loc, type, empty);
  return empty;
}

AlongDim::AlongDim(OpBuilder &b, int64_t rank, int64_t dim)
    : identity(b.getMultiDimIdentityMap(rank)), reduced(identity),
      reduction(rank, utils::IteratorType::parallel),
      parallel(rank, utils::IteratorType::parallel) {
  if (dim < 0)
    return;
  reduced = identity.dropResult(dim);
  reduction[dim] = utils::IteratorType::reduction;
}

Value nn::detail::mapScalar(OpBuilder &b, Location loc, Value input, Value init,
                            ScalarBody body) {
  AffineMap scalar = AffineMap::get(0, 0, b.getContext());
  return linalg::GenericOp::create(
             b, loc, init.getType(), input, init,
             ArrayRef<AffineMap>{scalar, scalar},
             ArrayRef<utils::IteratorType>{},
             [&](OpBuilder &b, Location l, ValueRange args) {
               linalg::YieldOp::create(b, l, body(b, l, args[0]));
             })
      .getResult(0);
}

Value nn::detail::mapWithRowStats(OpBuilder &b, Location loc, Value input,
                                  Value max, Value sum, int64_t dim, Value init,
                                  RowStatsBody body) {
  AlongDim maps(b, cast<RankedTensorType>(input.getType()).getRank(), dim);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{input, max, sum}, init,
             ArrayRef<AffineMap>{maps.identity, maps.reduced, maps.reduced,
                                 maps.identity},
             maps.parallel,
             [&](OpBuilder &b, Location l, ValueRange args) {
               linalg::YieldOp::create(b, l,
                                       body(b, l, args[0], args[1], args[2]));
             })
      .getResult(0);
}

Value nn::detail::decomposeSoftmaxLike(OpBuilder &b, Location loc, Value input,
                                       int64_t dim, RankedTensorType outputType,
                                       ScalarBody scalarBody, RowStatsBody body,
                                       Type sumType) {
  Type outElt = outputType.getElementType();
  Type computeType = nn::LogSoftmaxOp::getComputeType(outElt);
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, input);
  Value init = createEmpty(b, loc, sizes, outputType);
  if (sizes.empty())
    return mapScalar(
        b, loc, input, init, [&](OpBuilder &b, Location l, Value x) {
          Value y = scalarBody(b, l, convertFloat(b, l, x, computeType));
          return convertFloat(b, l, y, outElt);
        });
  Value max = reduceMax(b, loc, input, sizes, dim, computeType);
  Value sum =
      reduceExpSum(b, loc, input, max, sizes, dim, computeType, sumType);
  return mapWithRowStats(
      b, loc, input, max, sum, dim, init,
      [&](OpBuilder &b, Location l, Value x, Value m, Value s) {
        Value y = body(b, l, convertFloat(b, l, x, computeType), m,
                       convertFloat(b, l, s, computeType));
        return convertFloat(b, l, y, outElt);
      });
}

Value nn::detail::reduceAlongDim(
    OpBuilder &b, Location loc, ValueRange inputs, ArrayRef<OpFoldResult> sizes,
    int64_t dim, Type computeType, double initValue,
    function_ref<Value(OpBuilder &, Location, ValueRange)> combine) {
  AlongDim maps(b, sizes.size(), dim);
  SmallVector<OpFoldResult> reducedSizes(sizes);
  reducedSizes.erase(reducedSizes.begin() + dim);
  Value init = createFilledTensor(b, loc, reducedSizes, computeType, initValue);
  SmallVector<AffineMap> indexing(inputs.size() + 1, maps.reduced);
  indexing[0] = maps.identity;
  return linalg::GenericOp::create(
             b, loc, init.getType(), inputs, init, indexing, maps.reduction,
             [&](OpBuilder &b, Location l, ValueRange args) {
               linalg::YieldOp::create(b, l, combine(b, l, args));
             })
      .getResult(0);
}

Value nn::detail::reduceMax(OpBuilder &b, Location loc, Value input,
                            ArrayRef<OpFoldResult> sizes, int64_t dim,
                            Type computeType) {
  return reduceAlongDim(
      b, loc, input, sizes, dim, computeType,
      -std::numeric_limits<double>::infinity(),
      [&](OpBuilder &b, Location l, ValueRange args) -> Value {
        Value x = convertFloat(b, l, args[0], computeType);
        return arith::MaximumFOp::create(b, l, x, args[1]);
      });
}

Value nn::detail::reduceExpSum(OpBuilder &b, Location loc, Value input,
                               Value max, ArrayRef<OpFoldResult> sizes,
                               int64_t dim, Type computeType, Type sumType) {
  if (!sumType)
    sumType = computeType;
  return reduceAlongDim(
      b, loc, {input, max}, sizes, dim, sumType, 0.0,
      [&](OpBuilder &b, Location l, ValueRange args) -> Value {
        Value x = convertFloat(b, l, args[0], computeType);
        Value shifted = arith::SubFOp::create(b, l, x, args[1]);
        Value e = math::ExpOp::create(b, l, shifted);
        return arith::AddFOp::create(b, l, convertFloat(b, l, e, sumType),
                                     args[2]);
      });
}

Value nn::detail::reduceSum(OpBuilder &b, Location loc, Value input,
                            ArrayRef<OpFoldResult> sizes, int64_t dim,
                            Type computeType) {
  return reduceAlongDim(
      b, loc, input, sizes, dim, computeType, 0.0,
      [&](OpBuilder &b, Location l, ValueRange args) -> Value {
        Value x = convertFloat(b, l, args[0], computeType);
        return arith::AddFOp::create(b, l, x, args[1]);
      });
}
