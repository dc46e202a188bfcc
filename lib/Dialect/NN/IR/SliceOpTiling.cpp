//===- SliceOpTiling.cpp - TilingInterface for the slice-wise ops ---------===//
//
// nn.logsoftmax, nn.softmax and nn.logsoftmax_grad compute each slice along
// `dim` from the same slice of their operands, which all have the result's
// shape. The iteration space is the result's; `dim` is a reduction and must
// stay whole in every tile, the other dimensions tile freely: a tile is the
// same op on the matching slices of the operands, `dim` complete. One
// external model serves the three; the dialect attaches it.
//
//===----------------------------------------------------------------------===//

#include "nn/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::nn;

static SmallVector<utils::IteratorType> getIteratorTypes(int64_t rank,
                                                         int64_t dim) {
  SmallVector<utils::IteratorType> types(rank, utils::IteratorType::parallel);
  if (!types.empty())
    types[dim] = utils::IteratorType::reduction;
  return types;
}

static SmallVector<Range> getDomain(OpBuilder &b, Operation *op,
                                    Value operand) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(op);
  SmallVector<Range> domain;
  for (OpFoldResult size : tensor::getMixedSizes(b, op->getLoc(), operand))
    domain.push_back(Range{b.getIndexAttr(0), size, b.getIndexAttr(1)});
  return domain;
}

/// The tile's sizes with `dim` complete, or failure if `dim` is tiled.
static FailureOr<SmallVector<OpFoldResult>>
getTileSizes(Operation *op, int64_t dim, Value operand, OpBuilder &b,
             ArrayRef<OpFoldResult> offsets, ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> tileSizes(sizes);
  if (tileSizes.empty())
    return tileSizes;
  if (!isConstantIntValue(offsets[dim], 0))
    return op->emitOpError("cannot tile the reduced dimension ")
           << dim << "; give it tile size 0";
  tileSizes[dim] = tensor::getMixedSize(b, op->getLoc(), operand, dim);
  return tileSizes;
}

/// Slices every operand to the tile and rebuilds the op on the slices with
/// `create`, which takes them and the tile's result type.
static FailureOr<TilingResult>
tileSliceOp(OpBuilder &b, Operation *op, int64_t dim, ValueRange operands,
            ArrayRef<OpFoldResult> offsets, ArrayRef<OpFoldResult> sizes,
            function_ref<Operation *(ValueRange, RankedTensorType)> create) {
  FailureOr<SmallVector<OpFoldResult>> tileSizes =
      getTileSizes(op, dim, operands[0], b, offsets, sizes);
  if (failed(tileSizes))
    return failure();
  SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
  SmallVector<Value> tiles;
  SmallVector<Operation *> slices;
  for (Value operand : operands) {
    auto slice = tensor::ExtractSliceOp::create(b, op->getLoc(), operand,
                                                offsets, *tileSizes, strides);
    tiles.push_back(slice);
    slices.push_back(slice);
  }
  auto tileType =
      cast<RankedTensorType>(tiles[0].getType())
          .clone(cast<ShapedType>(op->getResult(0).getType()).getElementType());
  Operation *tiled = create(tiles, tileType);
  return TilingResult{{tiled}, {tiled->getResult(0)}, slices};
}

static LogicalResult
getSliceOpResultTilePosition(Operation *op, int64_t dim, Value operand,
                             OpBuilder &b, ArrayRef<OpFoldResult> offsets,
                             ArrayRef<OpFoldResult> sizes,
                             SmallVector<OpFoldResult> &resultOffsets,
                             SmallVector<OpFoldResult> &resultSizes) {
  FailureOr<SmallVector<OpFoldResult>> tileSizes =
      getTileSizes(op, dim, operand, b, offsets, sizes);
  if (failed(tileSizes))
    return failure();
  resultOffsets.assign(offsets.begin(), offsets.end());
  resultSizes = *tileSizes;
  return success();
}

/// The operands a tile slices, in the op's order.
static SmallVector<Value> getSlicedOperands(LogSoftmaxOp op) {
  return {op.getInput()};
}
static SmallVector<Value> getSlicedOperands(SoftmaxOp op) {
  return {op.getInput()};
}
static SmallVector<Value> getSlicedOperands(LogSoftmaxGradOp op) {
  return {op.getGradOutput(), op.getOutput()};
}

/// The op on the slices `tiles`, with result type `type`.
static Operation *createTile(LogSoftmaxOp op, OpBuilder &b,
                             RankedTensorType type, ValueRange tiles) {
  return LogSoftmaxOp::create(b, op.getLoc(), type, tiles[0],
                              static_cast<int64_t>(op.getDim()));
}
static Operation *createTile(SoftmaxOp op, OpBuilder &b, RankedTensorType type,
                             ValueRange tiles) {
  return SoftmaxOp::create(b, op.getLoc(), type, tiles[0],
                           static_cast<int64_t>(op.getDim()));
}
static Operation *createTile(LogSoftmaxGradOp op, OpBuilder &b,
                             RankedTensorType type, ValueRange tiles) {
  return LogSoftmaxGradOp::create(b, op.getLoc(), type, tiles[0], tiles[1],
                                  static_cast<int64_t>(op.getDim()));
}

namespace {
template <typename OpTy>
struct SliceOpTilingModel
    : public TilingInterface::ExternalModel<SliceOpTilingModel<OpTy>, OpTy> {
  SmallVector<utils::IteratorType> getLoopIteratorTypes(Operation *op) const {
    auto sliceOp = cast<OpTy>(op);
    return getIteratorTypes(
        cast<RankedTensorType>(op->getResult(0).getType()).getRank(),
        sliceOp.getNormalizedDim());
  }

  SmallVector<Range> getIterationDomain(Operation *op, OpBuilder &b) const {
    return getDomain(b, op, getSlicedOperands(cast<OpTy>(op))[0]);
  }

  FailureOr<TilingResult>
  getTiledImplementation(Operation *op, OpBuilder &b,
                         ArrayRef<OpFoldResult> offsets,
                         ArrayRef<OpFoldResult> sizes) const {
    auto sliceOp = cast<OpTy>(op);
    return tileSliceOp(b, op, sliceOp.getNormalizedDim(),
                       getSlicedOperands(sliceOp), offsets, sizes,
                       [&](ValueRange tiles, RankedTensorType type) {
                         return createTile(sliceOp, b, type, tiles);
                       });
  }

  LogicalResult
  getResultTilePosition(Operation *op, OpBuilder &b, unsigned,
                        ArrayRef<OpFoldResult> offsets,
                        ArrayRef<OpFoldResult> sizes,
                        SmallVector<OpFoldResult> &resultOffsets,
                        SmallVector<OpFoldResult> &resultSizes) const {
    auto sliceOp = cast<OpTy>(op);
    return getSliceOpResultTilePosition(
        op, sliceOp.getNormalizedDim(), getSlicedOperands(sliceOp)[0], b,
        offsets, sizes, resultOffsets, resultSizes);
  }

  FailureOr<TilingResult>
  generateResultTileValue(Operation *op, OpBuilder &b, unsigned,
                          ArrayRef<OpFoldResult> offsets,
                          ArrayRef<OpFoldResult> sizes) const {
    return getTiledImplementation(op, b, offsets, sizes);
  }
};
} // namespace

void mlir::nn::attachSliceOpTilingModels(MLIRContext *context) {
  LogSoftmaxOp::attachInterface<SliceOpTilingModel<LogSoftmaxOp>>(*context);
  SoftmaxOp::attachInterface<SliceOpTilingModel<SoftmaxOp>>(*context);
  LogSoftmaxGradOp::attachInterface<SliceOpTilingModel<LogSoftmaxGradOp>>(
      *context);
}
