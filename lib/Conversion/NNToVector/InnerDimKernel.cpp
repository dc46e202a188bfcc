//===- InnerDimKernel.cpp - Slices along an inner dim --------------------===//
//
// The strategy for a dim other than the last: lanes along the contiguous
// last dim.
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

/// Slices along a non-last dimension `dim`: the lanes run along the
/// contiguous last dimension, so every access is unit-stride. The forall runs
/// over the dimensions other than `dim` and the last, and over chunks of
/// `lanes * numAcc` elements of the last.
Value KernelEmitter::emitInnerDim(Value input, Value init,
                                  ArrayRef<OpFoldResult> sizes, int64_t dim) {
  int64_t rank = sizes.size();
  Value depth = indexValue(sizes[dim]);
  Value inner = indexValue(sizes.back());
  int64_t chunk = lanes * numAcc;
  // Masks are needed only when the last size is not a known multiple.
  std::optional<int64_t> innerSize = getConstantIntValue(sizes.back());
  bool inBounds = innerSize && *innerSize % chunk == 0;
  Value chunkIdx = index(chunk);
  Value numChunks = arith::CeilDivUIOp::create(b, inner, chunkIdx);
  Value zeroIdx = index(0), oneIdx = index(1);

  SmallVector<OpFoldResult> bounds;
  for (int64_t i = 0; i < rank - 1; ++i)
    if (i != dim)
      bounds.push_back(sizes[i]);
  bounds.push_back(numChunks);
  ParallelTiles forall(b, bounds, ValueRange{init});
  SmallVector<Value> ivs = forall.ivs();
  Value i0 = arith::MulIOp::create(b, ivs.back(), chunkIdx);
  // Indices of element (d along `dim`, i along the last dimension); `base`
  // gives the other dimensions' indices (this iteration's, or zeros).
  auto indicesOf = [&](ArrayRef<Value> base, Value d, Value i) {
    SmallVector<Value> indices;
    for (int64_t k = 0, next = 0; k < rank - 1; ++k)
      indices.push_back(k == dim ? d : base[next++]);
    indices.push_back(i);
    return indices;
  };
  ArrayRef<Value> otherIvs = ArrayRef<Value>(ivs).drop_back();
  auto at = [&](Value d, Value i) { return indicesOf(otherIvs, d, i); };
  auto laneOffset = [&](Value base, unsigned u) -> Value {
    return u ? arith::AddIOp::create(b, base, index(u * lanes)).getResult()
             : base;
  };

  // Read pass along `dim`, numBlock rows at a time per accumulator.
  Value blockIdx = index(numBlock);
  auto readStep = [&](unsigned rowsPerStep) {
    return [&, rowsPerStep](OpBuilder &, Location, Value d, ValueRange iter) {
      SmallVector<Value> next(iter.size());
      for (unsigned u = 0; u < numAcc; ++u) {
        SmallVector<Value> xs;
        for (unsigned k = 0; k < rowsPerStep; ++k) {
          Value dk = k ? arith::AddIOp::create(b, d, index(k)).getResult() : d;
          xs.push_back(load(input, at(dk, laneOffset(i0, u)), inBounds, -kInf));
        }
        std::tie(next[u], next[numAcc + u]) =
            update(iter[u], iter[numAcc + u], xs);
      }
      scf::YieldOp::create(b, next);
    };
  };
  SmallVector<Value> results = chunked(
      index(0), depth, kRowsPerChunk,
      [&](Value start, Value end, ValueRange accs) -> SmallVector<Value> {
        Value length = arith::SubIOp::create(b, end, start);
        Value mainEnd = arith::AddIOp::create(
            b, start,
            arith::MulIOp::create(
                b, arith::DivUIOp::create(b, length, blockIdx), blockIdx));
        auto mainLoop = scf::ForOp::create(b, start, mainEnd, blockIdx, accs,
                                           readStep(numBlock));
        return llvm::to_vector_of<Value>(
            scf::ForOp::create(b, mainEnd, end, oneIdx, mainLoop.getResults(),
                               readStep(1))
                .getResults());
      });
  SmallVector<Value> maxVecs, logSumVecs;
  for (unsigned u = 0; u < numAcc; ++u) {
    maxVecs.push_back(results[u]);
    logSumVecs.push_back(log(results[numAcc + u]));
  }

  // Write pass into this iteration's block of the output: all of `dim`, a
  // chunk of the last dimension, one index of every other.
  OpFoldResult width =
      inBounds
          ? OpFoldResult(b.getIndexAttr(chunk))
          : OpFoldResult(arith::MinUIOp::create(
                             b, chunkIdx, arith::SubIOp::create(b, inner, i0))
                             .getResult());
  SmallVector<OpFoldResult> offsets, sliceSizes;
  for (int64_t k = 0, next = 0; k < rank - 1; ++k) {
    if (k == dim) {
      offsets.push_back(b.getIndexAttr(0));
      sliceSizes.push_back(sizes[dim]);
    } else {
      offsets.push_back(otherIvs[next++]);
      sliceSizes.push_back(b.getIndexAttr(1));
    }
  }
  offsets.push_back(i0);
  sliceSizes.push_back(width);
  Value slice = forall.extract(0, offsets, sliceSizes);
  SmallVector<Value> zeros(rank, zeroIdx);
  auto writeLoop = scf::ForOp::create(
      b, zeroIdx, depth, oneIdx, ValueRange{slice},
      [&](OpBuilder &, Location, Value d, ValueRange iter) {
        Value dest = iter[0];
        for (unsigned u = 0; u < numAcc; ++u) {
          Value x = load(input, at(d, laneOffset(i0, u)), inBounds, 0.0);
          Value y = sub(sub(x, maxVecs[u]), logSumVecs[u]);
          dest =
              store(y, dest, indicesOf(zeros, d, index(u * lanes)), inBounds);
        }
        scf::YieldOp::create(b, dest);
      });

  return forall.finish(writeLoop.getResult(0))[0];
}
