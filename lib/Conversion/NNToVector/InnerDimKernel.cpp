//===- InnerDimKernel.cpp - Slices along an inner dim --------------------===//
//
// The strategy for a dim other than the last: lanes along the contiguous
// last dim, chunks of it as wide as the last size allows. nn.logsoftmax's,
// nn.softmax's with another write, and nn.logsoftmax_grad's with a plain
// sum of g down the dim.
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
                                  ArrayRef<OpFoldResult> sizes, int64_t dim,
                                  InnerDimOp op, Value aux,
                                  const InnerDimCrossEntropy *crossEntropy) {
  std::optional<int64_t> innerSize = getConstantIntValue(sizes.back());
  if (innerSize) {
    int64_t vectors = llvm::divideCeil(*innerSize, lanes);
    return emitInnerDimChunks(input, init, sizes, dim,
                              std::min<int64_t>(kInnerDimVectors, vectors), op,
                              aux, crossEntropy);
  }
  Value wide = arith::CmpIOp::create(b, arith::CmpIPredicate::uge,
                                     indexValue(sizes.back()),
                                     index(kInnerDimVectors * lanes));
  auto ifOp = scf::IfOp::create(
      b, wide,
      [&](OpBuilder &, Location) {
        scf::YieldOp::create(b, emitInnerDimChunks(input, init, sizes, dim,
                                                   kInnerDimVectors, op, aux,
                                                   crossEntropy));
      },
      [&](OpBuilder &, Location) {
        scf::YieldOp::create(b, emitInnerDimChunks(input, init, sizes, dim,
                                                   kInnerDimNarrowVectors, op,
                                                   aux, crossEntropy));
      });
  return ifOp.getResult(0);
}

/// The lanes run along the contiguous last dimension, so every access is
/// unit-stride. The forall runs over the dimensions other than `dim` and the
/// last, and over chunks of `vectors` vectors of the last, each vector with
/// its own accumulator, one row of `dim` per step.
Value KernelEmitter::emitInnerDimChunks(
    Value input, Value init, ArrayRef<OpFoldResult> sizes, int64_t dim,
    unsigned vectors, InnerDimOp op, Value aux,
    const InnerDimCrossEntropy *crossEntropy) {
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

  // This iteration's block of the output: all of `dim` (none of it for the
  // cross-entropy's per-sample output), a chunk of the last dimension, one
  // index of every other.
  bool perSample = op == InnerDimOp::CrossEntropy;
  OpFoldResult width =
      staticInBounds
          ? OpFoldResult(b.getIndexAttr(chunk))
          : OpFoldResult(arith::MinUIOp::create(
                             b, chunkIdx, arith::SubIOp::create(b, inner, i0))
                             .getResult());
  SmallVector<OpFoldResult> offsets, sliceSizes;
  for (int64_t k = 0, next = 0; k < rank - 1; ++k) {
    if (k == dim && perSample)
      continue;
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
  // Lane u's targets (i64; ignore_index past the end), and which are
  // ignored and which in [0, C).
  struct LaneTargets {
    Value t, ignored, inRange;
  };
  auto laneTargets = [&](unsigned u, bool inBounds) {
    const InnerDimCrossEntropy &ce = *crossEntropy;
    auto targetVec = VectorType::get({lanes}, b.getI64Type());
    auto i64Splat = [&](int64_t v) -> Value {
      return arith::ConstantOp::create(
          b, targetVec,
          DenseElementsAttr::get(targetVec, b.getI64IntegerAttr(v)));
    };
    Type elementType = cast<ShapedType>(ce.target.getType()).getElementType();
    SmallVector<Value> sample(otherIvs);
    sample.push_back(laneOffset(i0, u));
    Value pad = arith::ConstantIntOp::create(b, elementType, ce.ignoreIndex);
    Value t = vector::TransferReadOp::create(
        b, VectorType::get({lanes}, elementType), ce.target, sample, pad,
        ArrayRef<bool>{inBounds});
    if (!elementType.isInteger(64))
      t = arith::ExtSIOp::create(b, targetVec, t);
    Value classes = vector::BroadcastOp::create(b, targetVec, ce.classes);
    Value ignored = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, t,
                                          i64Splat(ce.ignoreIndex));
    Value inRange = arith::AndIOp::create(
        b, arith::CmpIOp::create(b, arith::CmpIPredicate::sge, t, i64Splat(0)),
        arith::CmpIOp::create(b, arith::CmpIPredicate::slt, t, classes));
    return LaneTargets{t, ignored, inRange};
  };
  // e / C (label smoothing e, C classes) in every lane.
  auto classWeight = [&]() -> Value {
    Value classes = arith::SIToFPOp::create(b, cType, crossEntropy->classes);
    return vector::BroadcastOp::create(
        b, cVec,
        arith::DivFOp::create(b, scalar(crossEntropy->smoothing), classes));
  };
  // The cross-entropy's losses, one per lane (sample), from the read pass's
  // maxima and sums: log(sum) - (x[t] - max), with smoothing e
  // log(sum) - (1 - e) * (x[t] - max) - sum(e / C * (x - max)) (one more
  // read); NaN for a target out of range, 0 for an ignored one.
  auto emitLossChunk = [&](ArrayRef<Value> results, bool inBounds) -> Value {
    const InnerDimCrossEntropy &ce = *crossEntropy;
    Value dest = slice;
    SmallVector<Value> sampleZeros(rank - 1, zeroIdx);
    for (unsigned u = 0; u < numAcc; ++u) {
      Value max = results[u], sum = results[numAcc + u];
      LaneTargets lt = laneTargets(u, inBounds);
      Value first = laneOffset(i0, u);
      // x[t] lane by lane: one scalar read per sample.
      auto gather = scf::ForOp::create(
          b, zeroIdx, index(lanes), oneIdx, ValueRange{splat(0.0)},
          [&](OpBuilder &, Location, Value l, ValueRange iter) {
            Value column = arith::AddIOp::create(b, first, l);
            Value t =
                vector::ExtractOp::create(b, lt.t, ArrayRef<OpFoldResult>{l});
            Value ok = arith::AndIOp::create(
                b,
                arith::CmpIOp::create(b, arith::CmpIPredicate::ult, column,
                                      inner),
                vector::ExtractOp::create(b, lt.inRange,
                                          ArrayRef<OpFoldResult>{l}));
            Value x =
                scf::IfOp::create(
                    b, ok,
                    [&](OpBuilder &, Location) {
                      Value c =
                          arith::IndexCastOp::create(b, b.getIndexType(), t);
                      Value v =
                          tensor::ExtractOp::create(b, input, at(c, column));
                      if (v.getType() != cType)
                        v = arith::ExtFOp::create(b, cType, v);
                      scf::YieldOp::create(b, v);
                    },
                    [&](OpBuilder &, Location) {
                      scf::YieldOp::create(b, scalar(0.0));
                    })
                    .getResult(0);
            scf::YieldOp::create(
                b, vector::InsertOp::create(b, x, iter[0],
                                            ArrayRef<OpFoldResult>{l})
                       .getResult());
          });
      Value shifted = sub(gather.getResult(0), max);
      Value loss = sub(log(sum), shifted);
      if (ce.smoothing > 0) {
        // Added in f64 lanes, as along the last dim: in f32, 1024 terms
        // near 1e30 came out 1.1e-5 off (the generator's wide-magnitudes
        // rows).
        Value weight = classWeight();
        auto wideVec = VectorType::get({lanes}, b.getF64Type());
        auto spread = scf::ForOp::create(
            b, zeroIdx, depth, oneIdx, ValueRange{splat(0.0, wideVec)},
            [&](OpBuilder &, Location, Value d, ValueRange iter) {
              Value x = load(input, at(d, first), inBounds, 0.0);
              Value term = mul(sub(x, max), weight);
              if (term.getType() != wideVec)
                term = arith::ExtFOp::create(b, wideVec, term);
              scf::YieldOp::create(
                  b, arith::AddFOp::create(b, iter[0], term).getResult());
            });
        Value spreadSum = spread.getResult(0);
        if (spreadSum.getType() != cVec)
          spreadSum = arith::TruncFOp::create(b, cVec, spreadSum);
        loss = sub(sub(log(sum), mul(splat(1.0 - ce.smoothing), shifted)),
                   spreadSum);
      }
      loss = arith::SelectOp::create(b, lt.inRange, loss, splat(std::nan("")));
      loss = arith::SelectOp::create(b, lt.ignored, splat(0.0), loss);
      SmallVector<Value> indices(sampleZeros);
      indices.back() = index(u * lanes);
      auto destType = cast<ShapedType>(dest.getType());
      if (destType.getElementType() == outElt) {
        dest = store(loss, dest, indices, inBounds);
        continue;
      }
      // "sum" and "mean" add the losses afterwards, in f64.
      auto wide = VectorType::get({lanes}, destType.getElementType());
      if (loss.getType() != wide)
        loss = arith::ExtFOp::create(b, wide, loss);
      dest = vector::TransferWriteOp::create(b, loss, dest, indices,
                                             ArrayRef<bool>{inBounds})
                 .getResult();
    }
    return dest;
  };
  // The gradient's passes: the sum of g down `dim` per lane, in f64 lanes
  // (as along the last dim: an f32 sum of 65536 loses 2e-5), then
  // g - exp(y) * sum.
  auto emitGradChunk = [&](bool inBounds) -> Value {
    auto wideVec = VectorType::get({lanes}, b.getF64Type());
    SmallVector<Value> initial(numAcc, splat(0.0, wideVec));
    auto sumLoop = scf::ForOp::create(
        b, zeroIdx, depth, oneIdx, initial,
        [&](OpBuilder &, Location, Value d, ValueRange iter) {
          SmallVector<Value> next;
          for (unsigned u = 0; u < numAcc; ++u) {
            Value g = load(input, at(d, laneOffset(i0, u)), inBounds, 0.0);
            if (g.getType() != wideVec)
              g = arith::ExtFOp::create(b, wideVec, g);
            next.push_back(arith::AddFOp::create(b, iter[u], g));
          }
          scf::YieldOp::create(b, next);
        });
    SmallVector<Value> sums;
    for (Value sum : sumLoop.getResults())
      sums.push_back(sum.getType() == cVec
                         ? sum
                         : arith::TruncFOp::create(b, cVec, sum).getResult());
    auto writeLoop = scf::ForOp::create(
        b, zeroIdx, depth, oneIdx, ValueRange{slice},
        [&](OpBuilder &, Location, Value d, ValueRange iter) {
          Value dest = iter[0];
          for (unsigned u = 0; u < numAcc; ++u) {
            Value g = load(input, at(d, laneOffset(i0, u)), inBounds, 0.0);
            Value y = load(aux, at(d, laneOffset(i0, u)), inBounds, 0.0);
            Value grad = sub(g, mul(expOfLogProbability(y), sums[u]));
            dest = store(grad, dest, indicesOf(zeros, d, index(u * lanes)),
                         inBounds);
          }
          scf::YieldOp::create(b, dest);
        });
    return writeLoop.getResult(0);
  };
  // The read and write passes over this iteration's chunk; `inBounds`: the
  // chunk lies inside the last dimension, so no lane needs a mask.
  auto emitChunk = [&](bool inBounds) -> Value {
    if (op == InnerDimOp::LogSoftmaxGrad)
      return emitGradChunk(inBounds);
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
    if (perSample)
      return emitLossChunk(results, inBounds);
    // log(sum), or 1 / sum for softmax and the cross-entropy gradient.
    bool softmax = op == InnerDimOp::Softmax;
    bool crossEntropyGrad = op == InnerDimOp::CrossEntropyGrad;
    SmallVector<Value> maxVecs, finishedVecs;
    for (unsigned u = 0; u < numAcc; ++u) {
      maxVecs.push_back(results[u]);
      Value sum = results[numAcc + u];
      finishedVecs.push_back(softmax || crossEntropyGrad
                                 ? arith::DivFOp::create(b, splat(1.0), sum)
                                       .getResult()
                                 : log(sum));
    }
    // The cross-entropy gradient's lanes: each its sample's target, factor
    // g and label weights.
    SmallVector<Value> targets, factors, spreads;
    Value hit;
    if (crossEntropyGrad) {
      const InnerDimCrossEntropy &ce = *crossEntropy;
      Value weight = classWeight();
      hit = add(splat(1.0 - ce.smoothing), weight);
      for (unsigned u = 0; u < numAcc; ++u) {
        LaneTargets lt = laneTargets(u, inBounds);
        SmallVector<Value> sample(otherIvs);
        sample.push_back(laneOffset(i0, u));
        Value g = ce.gradLoss ? load(ce.gradLoss, sample, inBounds, 0.0)
                              : vector::BroadcastOp::create(b, cVec, ce.scalarG)
                                    .getResult();
        g = arith::SelectOp::create(b, lt.inRange, g, splat(std::nan("")));
        g = arith::SelectOp::create(b, lt.ignored, splat(0.0), g);
        targets.push_back(lt.t);
        factors.push_back(g);
        spreads.push_back(
            arith::SelectOp::create(b, lt.ignored, splat(0.0), weight));
      }
    }

    // Write pass, into the block.
    auto writeLoop = scf::ForOp::create(
        b, zeroIdx, depth, oneIdx, ValueRange{slice},
        [&](OpBuilder &, Location, Value d, ValueRange iter) {
          Value dest = iter[0];
          for (unsigned u = 0; u < numAcc; ++u) {
            Value x = load(input, at(d, laneOffset(i0, u)), inBounds, 0.0);
            Value shifted = sub(x, maxVecs[u]);
            Value y = softmax || crossEntropyGrad
                          ? mul(exp(shifted), finishedVecs[u])
                          : sub(shifted, finishedVecs[u]);
            if (crossEntropyGrad) {
              // g * (p - label): (1 - e) + e / C at the target's class.
              Value c = vector::BroadcastOp::create(
                  b, targets[u].getType(),
                  arith::IndexCastOp::create(b, b.getI64Type(), d));
              Value atTarget = arith::CmpIOp::create(
                  b, arith::CmpIPredicate::eq, targets[u], c);
              Value label =
                  arith::SelectOp::create(b, atTarget, hit, spreads[u]);
              y = mul(factors[u], sub(y, label));
            }
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
