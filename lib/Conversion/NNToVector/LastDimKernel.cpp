//===- LastDimKernel.cpp - Rows along the last dim -----------------------===//
//
// The strategy for rows along the last dim: one forall iteration per row.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "ParallelTiles.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

/// Rows along the last dimension: the forall runs over every other
/// dimension (or once, for rank 1), each iteration owning one row.
Value KernelEmitter::emitLastDim(Value input, Value init,
                                 ArrayRef<OpFoldResult> sizes) {
  int64_t rank = sizes.size();
  Value n = indexValue(sizes.back());
  Value zeroIdx = index(0);

  SmallVector<OpFoldResult> bounds(sizes.drop_back());
  if (bounds.empty())
    bounds.push_back(b.getIndexAttr(1));
  ParallelTiles forall(b, bounds, ValueRange{init});
  SmallVector<Value> rowIvs;
  if (rank > 1)
    rowIvs = forall.ivs();
  Indexer1 at = [&](Value j) {
    SmallVector<Value> indices(rowIvs);
    indices.push_back(j);
    return indices;
  };

  // This row of the shared output.
  SmallVector<OpFoldResult> offsets, sliceSizes;
  for (Value iv : rowIvs) {
    offsets.push_back(iv);
    sliceSizes.push_back(b.getIndexAttr(1));
  }
  offsets.push_back(b.getIndexAttr(0));
  sliceSizes.push_back(sizes.back());
  Value slice = forall.extract(0, offsets, sliceSizes);
  Indexer1 sliceAt = [&](Value j) {
    SmallVector<Value> indices(rank - 1, zeroIdx);
    indices.push_back(j);
    return indices;
  };

  // Rows of at most one vector: one masked load, horizontal max and sum.
  auto emitShortRow = [&]() -> Value {
    std::optional<int64_t> staticN = getConstantIntValue(sizes.back());
    bool inBounds = staticN && *staticN == lanes;
    Value x = load(input, at(zeroIdx), inBounds, -kInf);
    Value rowMax = reduceRunningMax(x);
    Value rowSafe = safeMax(rowMax, scalar(0.0), scalar(-kInf));
    Value e = exp(sub(x, vector::BroadcastOp::create(b, cVec, rowSafe)));
    // The same reductions and vector log as the grouped short rows: static
    // and dynamic shapes must give the same bits.
    Value rowSum =
        reduceHalving(e, [&](Value x, Value y) { return add(x, y); });
    Value logSum = vector::ExtractOp::create(
        b, log(vector::BroadcastOp::create(b, cVec, rowSum)),
        ArrayRef<int64_t>{0});
    Value y = sub(sub(x, vector::BroadcastOp::create(b, cVec, rowMax)),
                  vector::BroadcastOp::create(b, cVec, logSum));
    return store(y, slice, sliceAt(zeroIdx), inBounds);
  };

  // Longer rows: the read pass, then the write pass.
  auto emitLongRow = [&]() -> Value {
    SmallVector<Value> accs = readRowRange(input, at, zeroIdx, n);
    auto [laneMax, laneSum] = combineAccumulators(accs);
    auto [rowMax, logSum] = finishRow(laneMax, laneSum);
    return writeRowRange(
        input, at, slice, sliceAt, zeroIdx, n, {rowMax, logSum},
        [&](Value x, ArrayRef<Value> s) { return logSoftmaxEpilogue(x, s); });
  };

  Value row;
  if (std::optional<int64_t> staticN = getConstantIntValue(sizes.back())) {
    row = *staticN <= lanes ? emitShortRow() : emitLongRow();
  } else {
    Value isShort =
        arith::CmpIOp::create(b, arith::CmpIPredicate::ule, n, index(lanes));
    row = scf::IfOp::create(
              b, isShort,
              [&](OpBuilder &, Location) {
                scf::YieldOp::create(b, emitShortRow());
              },
              [&](OpBuilder &, Location) {
                scf::YieldOp::create(b, emitLongRow());
              })
              .getResult(0);
  }

  return forall.finish(row)[0];
}
