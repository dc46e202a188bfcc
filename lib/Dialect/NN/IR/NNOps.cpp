//===- NNOps.cpp - nn dialect operations ----------------------------------===//

#include "nn/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::nn;

#define GET_OP_CLASSES
#include "nn/Dialect/NN/IR/NNOps.cpp.inc"

/// A rank-0 tensor behaves like a rank-1 one for `dim` (PyTorch accepts 0 and
/// -1 there), so the number of valid `dim` values is max(rank, 1).
static int64_t dimRangeFor(int64_t rank) { return std::max<int64_t>(rank, 1); }

void LogSoftmaxOp::build(OpBuilder &builder, OperationState &state, Value input,
                         int64_t dim) {
  build(builder, state, input.getType(), input, dim);
}

void LogSoftmaxOp::build(OpBuilder &builder, OperationState &state, Value input,
                         int64_t dim, Type resultElementType) {
  auto inputType = cast<RankedTensorType>(input.getType());
  build(builder, state, inputType.clone(resultElementType), input, dim);
}

int64_t LogSoftmaxOp::getNormalizedDim() {
  auto dim = static_cast<int64_t>(getDim());
  return dim < 0 ? dim + dimRangeFor(getInputType().getRank()) : dim;
}

namespace mlir::nn {
#include "nn/Dialect/NN/IR/NNTypeConstraints.cpp.inc"
} // namespace mlir::nn

FloatType LogSoftmaxOp::getComputeType(Type resultElementType) {
  if (resultElementType.getIntOrFloatBitWidth() < 32)
    return Float32Type::get(resultElementType.getContext());
  return cast<FloatType>(resultElementType);
}

bool LogSoftmaxOp::isAllowedResultElementType(Type input, Type result) {
  if (input == result)
    return true;
  if (!result.isF32() && !result.isF64())
    return false;
  return result.getIntOrFloatBitWidth() > input.getIntOrFloatBitWidth();
}

LogicalResult LogSoftmaxOp::verify() {
  RankedTensorType inputType = getInputType();
  RankedTensorType outputType = getOutputType();
  int64_t rank = inputType.getRank();

  int64_t range = dimRangeFor(rank);
  auto dim = static_cast<int64_t>(getDim());
  if (dim < -range || dim >= range)
    return emitOpError("'dim' is ")
           << dim << ", but it must lie in [" << -range << ", " << range
           << ") for an input of rank " << rank;

  if (outputType.getRank() != rank)
    return emitOpError("result rank ")
           << outputType.getRank() << " differs from input rank " << rank;

  for (int64_t i = 0; i < rank; ++i) {
    int64_t in = inputType.getDimSize(i), out = outputType.getDimSize(i);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(out) || in == out)
      continue;
    return emitOpError("result dimension ")
           << i << " has size " << out << ", but input dimension " << i
           << " has size " << in;
  }

  Type inElt = inputType.getElementType(), outElt = outputType.getElementType();
  if (!isAllowedResultElementType(inElt, outElt)) {
    if (outElt.getIntOrFloatBitWidth() < inElt.getIntOrFloatBitWidth())
      return emitOpError("result element type ")
             << outElt << " is narrower than the input element type " << inElt;
    return emitOpError("result element type ")
           << outElt << " must be the input element type " << inElt
           << " or a wider float (f32 or f64)";
  }
  return success();
}

/// Canonical form uses a non-negative `dim`.
LogicalResult LogSoftmaxOp::canonicalize(LogSoftmaxOp op,
                                         PatternRewriter &rewriter) {
  // `dim` is an i64 attribute that ODS returns as uint64_t.
  if (static_cast<int64_t>(op.getDim()) >= 0)
    return failure();
  int64_t normalized = op.getNormalizedDim();
  rewriter.modifyOpInPlace(op, [&] { op.setDim(normalized); });
  return success();
}

LogicalResult LogSoftmaxOp::reifyResultShapes(
    OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  RankedTensorType outputType = getOutputType();
  SmallVector<OpFoldResult> inputSizes =
      tensor::getMixedSizes(builder, getLoc(), getInput());
  SmallVector<OpFoldResult> sizes;
  for (auto [i, size] : llvm::enumerate(inputSizes)) {
    // Prefer a static size known on either side.
    if (!outputType.isDynamicDim(i))
      sizes.push_back(builder.getIndexAttr(outputType.getDimSize(i)));
    else
      sizes.push_back(size);
  }
  reifiedReturnShapes.push_back(std::move(sizes));
  return success();
}
