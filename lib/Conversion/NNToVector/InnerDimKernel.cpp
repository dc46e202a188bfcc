//===- InnerDimKernel.cpp - Slices along an inner dim --------------------===//
//
// The strategy for a dim other than the last: lanes along the contiguous
// last dim, chunks of it as wide as the last size allows.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "ParallelTiles.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/Support/SaveAndRestore.h"

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

/// Slices along a non-last dimension `dim`, in chunks of the last dimension
/// of kInnerDimVectors vectors where it is that long, else of as many vectors
/// as cover it (a choice at run time when its size is dynamic).
Value KernelEmitter::emitInnerDim(Value input, Value init,
                                  ArrayRef<OpFoldResult> sizes, int64_t dim) {
  std::optional<int64_t> innerSize = getConstantIntValue(sizes.back());
  if (innerSize) {
    int64_t vectors = llvm::divideCeil(*innerSize, lanes);
    return emitInnerDimChunks(input, init, sizes, dim,
                              std::min<int64_t>(kInnerDimVectors, vectors));
  }
  Value wide = arith::CmpIOp::create(b, arith::CmpIPredicate::uge,
                                     indexValue(sizes.back()),
                                     index(kInnerDimVectors * lanes));
  auto ifOp = scf::IfOp::create(
      b, wide,
      [&](OpBuilder &, Location) {
        scf::YieldOp::create(b, emitInnerDimChunks(input, init, sizes, dim,
                                                   kInnerDimVectors));
      },
      [&](OpBuilder &, Location) {
        scf::YieldOp::create(b, emitInnerDimChunks(input, init, sizes, dim,
                                                   kInnerDimNarrowVectors));
      });
  return ifOp.getResult(0);
}

/// The lanes run along the contiguous last dimension, so every access is
/// unit-stride. The forall runs over the dimensions other than `dim` and the
/// last, and over chunks of `vectors` vectors of the last, each vector with
/// its own accumulator, one row of `dim` per step.
Value KernelEmitter::emitInnerDimChunks(Value input, Value init,
                                        ArrayRef<OpFoldResult> sizes,
                                        int64_t dim, unsigned vectors) {
  llvm::SaveAndRestore<unsigned> accumulators(numAcc, vectors);
  int64_t rank = sizes.size();
  Value depth = indexValue(sizes[dim]);
  Value inner = indexValue(sizes.back());
  int64_t chunk = lanes * numAcc;
  // Every chunk is whole when the last size is a known multiple.
  std::optional<int64_t> innerSize = getConstantIntValue(sizes.back());
  bool staticInBounds = innerSize && *innerSize % chunk == 0;
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

  // This iteration's block of the output: all of `dim`, a chunk of the last
  // dimension, one index of every other.
  OpFoldResult width =
      staticInBounds
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
  // The read and write passes over this iteration's chunk; `inBounds`: the
  // chunk lies inside the last dimension, so no lane needs a mask.
  auto emitChunk = [&](bool inBounds) -> Value {
    // Read pass along `dim`, with lagging references as along the last dim.
    SmallVector<Value> results = chunked(
        zeroIdx, depth, kRowsPerChunk,
        [&](Value start, Value end, ValueRange) -> SmallVector<Value> {
          auto loop = scf::ForOp::create(
              b, start, end, oneIdx, initialLagged(),
              [&](OpBuilder &, Location, Value d, ValueRange iter) {
                SmallVector<Value> next(iter.size());
                for (unsigned u = 0; u < numAcc; ++u) {
                  Value x =
                      load(input, at(d, laneOffset(i0, u)), inBounds, -kInf);
                  std::tie(next[u], next[numAcc + u], next[2 * numAcc + u]) =
                      updateLagged(iter[u], iter[numAcc + u],
                                   iter[2 * numAcc + u], {x});
                }
                scf::YieldOp::create(b, next);
              });
          return laggedToPairs(loop.getResults());
        });
    SmallVector<Value> maxVecs, logSumVecs;
    for (unsigned u = 0; u < numAcc; ++u) {
      maxVecs.push_back(results[u]);
      logSumVecs.push_back(log(results[numAcc + u]));
    }

    // Write pass, into the block.
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
    return writeLoop.getResult(0);
  };
  if (staticInBounds)
    return forall.finish(emitChunk(/*inBounds=*/true))[0];
  // Every chunk but the last is whole: it runs unmasked.
  Value whole = arith::CmpIOp::create(
      b, arith::CmpIPredicate::ule, arith::AddIOp::create(b, i0, chunkIdx),
      inner);
  auto ifOp = scf::IfOp::create(
      b, whole,
      [&](OpBuilder &, Location) {
        scf::YieldOp::create(b, emitChunk(/*inBounds=*/true));
      },
      [&](OpBuilder &, Location) {
        scf::YieldOp::create(b, emitChunk(/*inBounds=*/false));
      });
  return forall.finish(ifOp.getResult(0))[0];
}
