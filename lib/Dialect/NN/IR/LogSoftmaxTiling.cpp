//===- LogSoftmaxTiling.cpp - TilingInterface for nn.logsoftmax -----------===//
//
// The iteration space is the result's; `dim` is a reduction and must stay
// whole in every tile, the other dimensions tile freely: a tile is
// nn.logsoftmax on the matching slice of the input, `dim` complete.
//
//===----------------------------------------------------------------------===//

#include "nn/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::nn;

SmallVector<utils::IteratorType> LogSoftmaxOp::getLoopIteratorTypes() {
  SmallVector<utils::IteratorType> types(getInputType().getRank(),
                                         utils::IteratorType::parallel);
  if (!types.empty())
    types[getNormalizedDim()] = utils::IteratorType::reduction;
  return types;
}

SmallVector<Range> LogSoftmaxOp::getIterationDomain(OpBuilder &b) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(*this);
  SmallVector<Range> domain;
  for (OpFoldResult size : tensor::getMixedSizes(b, getLoc(), getInput()))
    domain.push_back(Range{b.getIndexAttr(0), size, b.getIndexAttr(1)});
  return domain;
}

/// The tile's sizes with `dim` complete, or failure if `dim` is tiled.
static FailureOr<SmallVector<OpFoldResult>>
getTileSizes(LogSoftmaxOp op, OpBuilder &b, ArrayRef<OpFoldResult> offsets,
             ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> tileSizes(sizes);
  if (tileSizes.empty())
    return tileSizes;
  int64_t dim = op.getNormalizedDim();
  if (!isConstantIntValue(offsets[dim], 0))
    return op.emitOpError("cannot tile the reduced dimension ")
           << dim << "; give it tile size 0";
  tileSizes[dim] = tensor::getMixedSize(b, op.getLoc(), op.getInput(), dim);
  return tileSizes;
}

FailureOr<TilingResult>
LogSoftmaxOp::getTiledImplementation(OpBuilder &b,
                                     ArrayRef<OpFoldResult> offsets,
                                     ArrayRef<OpFoldResult> sizes) {
  FailureOr<SmallVector<OpFoldResult>> tileSizes =
      getTileSizes(*this, b, offsets, sizes);
  if (failed(tileSizes))
    return failure();
  SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
  auto inputTile = tensor::ExtractSliceOp::create(b, getLoc(), getInput(),
                                                  offsets, *tileSizes, strides);
  auto tileType = cast<RankedTensorType>(inputTile.getType())
                      .clone(getOutputType().getElementType());
  auto tiled = LogSoftmaxOp::create(b, getLoc(), tileType, inputTile,
                                    static_cast<int64_t>(getDim()));
  return TilingResult{{tiled}, {tiled.getResult()}, {inputTile}};
}

LogicalResult LogSoftmaxOp::getResultTilePosition(
    OpBuilder &b, unsigned resultNumber, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, SmallVector<OpFoldResult> &resultOffsets,
    SmallVector<OpFoldResult> &resultSizes) {
  FailureOr<SmallVector<OpFoldResult>> tileSizes =
      getTileSizes(*this, b, offsets, sizes);
  if (failed(tileSizes))
    return failure();
  resultOffsets.assign(offsets.begin(), offsets.end());
  resultSizes = *tileSizes;
  return success();
}

FailureOr<TilingResult>
LogSoftmaxOp::generateResultTileValue(OpBuilder &b, unsigned resultNumber,
                                      ArrayRef<OpFoldResult> offsets,
                                      ArrayRef<OpFoldResult> sizes) {
  return getTiledImplementation(b, offsets, sizes);
}
