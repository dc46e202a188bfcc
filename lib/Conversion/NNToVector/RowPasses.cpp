//===- RowPasses.cpp - Row read and write passes -------------------------===//
//
// The passes over a range of one row along the last dim: the read pass
// (max and sum together), finishing the row, and the write pass.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

/// Online (max, sum) accumulators over elements [start, end) of a row, start
/// a multiple of the step: full steps in chunks, then vector by vector (the
/// last one masked, padded with -inf, whose terms are negligible; see exp).
SmallVector<Value> KernelEmitter::readRowRange(Value input, const Indexer1 &at,
                                               Value start, Value end) {
  int64_t step = lanes * numAcc * numBlock;
  Value stepIdx = index(step);
  Value mainEnd = wholeStepsEnd(start, end, stepIdx);
  // Iteration arguments: numAcc references, numAcc maxima, numAcc sums.
  auto mainBody = [&](OpBuilder &, Location, Value j, ValueRange iter) {
    SmallVector<Value> next(iter.size());
    for (unsigned u = 0; u < numAcc; ++u) {
      SmallVector<Value> xs;
      for (unsigned k = 0; k < numBlock; ++k) {
        Value offset =
            arith::AddIOp::create(b, j, index((u * numBlock + k) * lanes));
        xs.push_back(load(input, at(offset), /*inBounds=*/true, -kInf));
      }
      std::tie(next[u], next[numAcc + u], next[2 * numAcc + u]) =
          updateLagged(iter[u], iter[numAcc + u], iter[2 * numAcc + u], xs);
    }
    scf::YieldOp::create(b, next);
  };
  SmallVector<Value> accs = chunked(
      start, mainEnd, step * kStepsPerChunk,
      [&](Value chunkStart, Value chunkEnd, ValueRange) -> SmallVector<Value> {
        auto loop = scf::ForOp::create(b, chunkStart, chunkEnd, stepIdx,
                                       initialLagged(), mainBody);
        return laggedToPairs(loop.getResults());
      });
  auto tailLoop = scf::ForOp::create(
      b, mainEnd, end, index(lanes), ValueRange{accs[0], accs[numAcc]},
      [&](OpBuilder &, Location, Value j, ValueRange iter) {
        Value x = load(input, at(j), /*inBounds=*/false, -kInf);
        auto [m, s] = update(iter[0], iter[1], {x});
        scf::YieldOp::create(b, ValueRange{m, s});
      });
  accs[0] = tailLoop.getResult(0);
  accs[numAcc] = tailLoop.getResult(1);
  return accs;
}

/// Merges the accumulators into one (max, sum) pair of lane vectors.
std::pair<Value, Value>
KernelEmitter::combineAccumulators(ArrayRef<Value> accs) {
  Value m = accs[0], s = accs[numAcc];
  for (unsigned u = 1; u < numAcc; ++u)
    std::tie(m, s) = mergePair(m, s, accs[u], accs[numAcc + u]);
  return {m, s};
}

std::pair<Value, Value> KernelEmitter::finishRowSum(Value laneMax,
                                                    Value laneSum) {
  Value rowMax =
      vector::ReductionOp::create(b, vector::CombiningKind::MAXIMUMF, laneMax);
  Value rowSafe = safeMax(rowMax, scalar(0.0), scalar(-kInf));
  Value rowSafeVec = vector::BroadcastOp::create(b, cVec, rowSafe);
  Value rowSum =
      vector::ReductionOp::create(b, vector::CombiningKind::ADD,
                                  mul(laneSum, exp(sub(laneMax, rowSafeVec))));
  return {rowMax, rowSum};
}

Value KernelEmitter::writeRowRange(Value input, const Indexer1 &at, Value dest,
                                   const Indexer1 &destAt, Value start,
                                   Value end, ArrayRef<Value> rowScalars,
                                   RowEpilogue epilogue) {
  Value lanesIdx = index(lanes);
  SmallVector<Value> broadcasts;
  for (Value scalar : rowScalars)
    broadcasts.push_back(vector::BroadcastOp::create(b, cVec, scalar));
  Value fullEnd = wholeStepsEnd(start, end, lanesIdx);
  auto writeBody = [&](bool inBounds) {
    return [&, inBounds](OpBuilder &, Location, Value j, ValueRange iter) {
      Value x = load(input, at(j), inBounds, 0.0);
      scf::YieldOp::create(
          b, store(epilogue(x, broadcasts), iter[0], destAt(j), inBounds));
    };
  };
  auto full = scf::ForOp::create(b, start, fullEnd, lanesIdx, ValueRange{dest},
                                 writeBody(true));
  return scf::ForOp::create(b, fullEnd, end, lanesIdx,
                            ValueRange{full.getResult(0)}, writeBody(false))
      .getResult(0);
}

Value KernelEmitter::sumRowRange(Value input, const Indexer1 &at, Value start,
                                 Value end, function_ref<Value(Value)> term) {
  Value lanesIdx = index(lanes);
  Value fullEnd = wholeStepsEnd(start, end, lanesIdx);
  auto wideVec = VectorType::get({lanes}, b.getF64Type());
  auto sumBody = [&](bool inBounds) {
    return [&, inBounds](OpBuilder &, Location, Value j, ValueRange iter) {
      Value t = term(load(input, at(j), inBounds, 0.0));
      if (!inBounds) {
        // The lanes past the end add nothing, whatever term(0) is.
        Value remaining = arith::SubIOp::create(b, end, j);
        Value mask = vector::CreateMaskOp::create(
            b, VectorType::get({lanes}, b.getI1Type()), ValueRange{remaining});
        t = arith::SelectOp::create(b, mask, t, splat(0.0));
      }
      if (t.getType() != wideVec)
        t = arith::ExtFOp::create(b, wideVec, t);
      scf::YieldOp::create(b, arith::AddFOp::create(b, iter[0], t).getResult());
    };
  };
  auto full =
      scf::ForOp::create(b, start, fullEnd, lanesIdx,
                         ValueRange{splat(0.0, wideVec)}, sumBody(true));
  Value lanesSum =
      scf::ForOp::create(b, fullEnd, end, lanesIdx,
                         ValueRange{full.getResult(0)}, sumBody(false))
          .getResult(0);
  Value sum =
      vector::ReductionOp::create(b, vector::CombiningKind::ADD, lanesSum);
  return sum.getType() == cType ? sum : arith::TruncFOp::create(b, cType, sum);
}
