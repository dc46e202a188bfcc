//===- SplitRowsKernel.cpp - Long rows split -----------------------------===//
//
// The strategy for rows of 2^18 elements or more: segments across
// threads, merged in order.
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

/// Long rows split into segments of kSegment elements, so that even one row
/// keeps every thread busy. A first forall over (row, segment) computes each
/// segment's (max, sum) lane vectors into a small tensor; a second one merges
/// a row's segments in order and writes its segment. The partition depends on
/// the row length only, so results do not depend on the thread count.
Value KernelEmitter::emitSplitRows(Value input, Value init,
                                   ArrayRef<OpFoldResult> sizes) {
  int64_t rank = sizes.size();
  Value n = indexValue(sizes.back());
  Value zeroIdx = index(0), segmentIdx = index(kSegment);
  Value numSegments = arith::CeilDivUIOp::create(b, n, segmentIdx);

  // Partials: [rows..., segments, lanes] for the maxima and the sums.
  SmallVector<OpFoldResult> partSizes(sizes.drop_back());
  partSizes.push_back(numSegments);
  partSizes.push_back(b.getIndexAttr(lanes));
  Value partMaxInit = tensor::EmptyOp::create(b, partSizes, cType);
  Value partSumInit = tensor::EmptyOp::create(b, partSizes, cType);
  SmallVector<OpFoldResult> bounds(sizes.drop_back());
  bounds.push_back(numSegments);

  // Everything a forall iteration needs to address its row and segment.
  struct Segment {
    SmallVector<Value> rowIvs;
    Value index, start, end;
  };
  auto enter = [&](ParallelTiles &forall) {
    SmallVector<Value> ivs = forall.ivs();
    Segment seg;
    seg.index = ivs.back();
    seg.rowIvs.assign(ivs.begin(), ivs.end() - 1);
    seg.start = arith::MulIOp::create(b, seg.index, segmentIdx);
    seg.end = arith::MinUIOp::create(
        b, arith::AddIOp::create(b, seg.start, segmentIdx), n);
    return seg;
  };
  auto rowIndexer = [&](const Segment &seg) -> Indexer1 {
    return [&seg](Value j) {
      SmallVector<Value> indices(seg.rowIvs);
      indices.push_back(j);
      return indices;
    };
  };
  // The [1, ..., 1, lanes] block of a partials tensor for one segment.
  auto partOffsets = [&](const Segment &seg, Value segment) {
    SmallVector<OpFoldResult> offsets(seg.rowIvs.begin(), seg.rowIvs.end());
    offsets.push_back(segment);
    offsets.push_back(b.getIndexAttr(0));
    return offsets;
  };
  SmallVector<OpFoldResult> partBlock(rank, b.getIndexAttr(1));
  partBlock.push_back(b.getIndexAttr(lanes));
  SmallVector<Value> partZeros(rank + 1, zeroIdx);

  Value partMax, partSum;
  {
    ParallelTiles partials(b, bounds, ValueRange{partMaxInit, partSumInit});
    Segment seg = enter(partials);
    SmallVector<Value> accs =
        readRowRange(input, rowIndexer(seg), seg.start, seg.end);
    auto [laneMax, laneSum] = combineAccumulators(accs);
    SmallVector<OpFoldResult> offsets = partOffsets(seg, seg.index);
    SmallVector<Value> written;
    for (auto [output, vec] : llvm::enumerate(ValueRange{laneMax, laneSum})) {
      Value block = partials.extract(output, offsets, partBlock);
      written.push_back(vector::TransferWriteOp::create(
                            b, vec, block, partZeros, ArrayRef<bool>{true})
                            .getResult());
    }
    ValueRange results = partials.finish(written);
    partMax = results[0];
    partSum = results[1];
  }

  ParallelTiles rows(b, bounds, ValueRange{init});
  Segment seg = enter(rows);
  // Merge the row's segments in order.
  Value cZero = arith::ConstantOp::create(b, cType, b.getFloatAttr(cType, 0.0));
  auto mergeLoop = scf::ForOp::create(
      b, zeroIdx, numSegments, index(1), ValueRange{splat(-kInf), splat(0.0)},
      [&](OpBuilder &, Location, Value k, ValueRange iter) {
        SmallVector<Value> indices(seg.rowIvs);
        indices.push_back(k);
        indices.push_back(zeroIdx);
        Value m = vector::TransferReadOp::create(b, cVec, partMax, indices,
                                                 cZero, ArrayRef<bool>{true});
        Value s = vector::TransferReadOp::create(b, cVec, partSum, indices,
                                                 cZero, ArrayRef<bool>{true});
        auto [mm, ss] = mergePair(iter[0], iter[1], m, s);
        scf::YieldOp::create(b, ValueRange{mm, ss});
      });
  auto [rowMax, logSum] =
      finishRow(mergeLoop.getResult(0), mergeLoop.getResult(1));

  // This segment of the output.
  Value length = arith::SubIOp::create(b, seg.end, seg.start);
  SmallVector<OpFoldResult> offsets(seg.rowIvs.begin(), seg.rowIvs.end());
  offsets.push_back(seg.start);
  SmallVector<OpFoldResult> sliceSizes(rank - 1, b.getIndexAttr(1));
  sliceSizes.push_back(length);
  Value slice = rows.extract(0, offsets, sliceSizes);
  Indexer1 sliceAt = [&](Value j) {
    SmallVector<Value> indices(rank - 1, zeroIdx);
    indices.push_back(arith::SubIOp::create(b, j, seg.start));
    return indices;
  };
  Value written =
      writeRowRange(input, rowIndexer(seg), slice, sliceAt, seg.start, seg.end,
                    {rowMax, logSum}, [&](Value x, ArrayRef<Value> s) {
                      return logSoftmaxEpilogue(x, s);
                    });
  return rows.finish(written)[0];
}
