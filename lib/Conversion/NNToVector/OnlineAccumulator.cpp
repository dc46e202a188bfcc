//===- OnlineAccumulator.cpp - Online max and sum ------------------------===//
//
// The online (max, sum of exp) accumulators of the read pass: a step,
// a step against a lagging reference, merges, and chunking.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

Value KernelEmitter::blockMaximum(ArrayRef<Value> xs) {
  Value blockMax = xs.front();
  for (Value x : xs.drop_front())
    blockMax = runningMax(blockMax, x);
  return blockMax;
}

Value KernelEmitter::sumOfExps(ArrayRef<Value> xs, Value ref) {
  SmallVector<Value> terms;
  for (Value x : xs)
    terms.push_back(exp(sub(x, ref)));
  return sumPairwise(std::move(terms));
}

std::pair<Value, Value> KernelEmitter::update(Value m, Value s,
                                              ArrayRef<Value> xs) {
  Value blockMax = blockMaximum(xs);
  Value newMax = runningMax(m, blockMax);
  Value safe = safeMax(newMax, splat(0.0), splat(-kInf));
  // Rescale the running sum only when some lane's maximum grew, which
  // after the first few blocks of a row is rare: one test and a branch
  // instead of an exponential. Where no lane grew, the factor would be
  // exp(0) = 1 exactly (exp(lowest) where a lane has seen only -inf, whose
  // sum is then negligible either way).
  Value grewLanes =
      arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, blockMax, m);
  Value grew =
      vector::ReductionOp::create(b, vector::CombiningKind::OR, grewLanes);
  auto rescale = scf::IfOp::create(
      b, grew,
      [&](OpBuilder &, Location) {
        scf::YieldOp::create(b, mul(s, exp(sub(m, safe))));
      },
      [&](OpBuilder &, Location) { scf::YieldOp::create(b, s); });
  return {newMax, add(rescale.getResult(0), sumOfExps(xs, safe))};
}

std::tuple<Value, Value, Value>
KernelEmitter::updateLagged(Value r, Value m, Value s, ArrayRef<Value> xs) {
  Value blockMax = blockMaximum(xs);
  Value newMax = runningMax(m, blockMax);
  // blockMax - r, not blockMax > r + slack: that sum rounds up by up to
  // an ulp of r (128 near 2^30 in f32), which let x - r reach 128 and
  // exp overflow. Rounding is monotonic, so every x - r of the block is at
  // most the rounded blockMax - r, hence at most the slack.
  Value aboveLanes = arith::CmpFOp::create(
      b, arith::CmpFPredicate::OGT, sub(blockMax, r), splat(kReferenceSlack));
  Value above =
      vector::ReductionOp::create(b, vector::CombiningKind::OR, aboveLanes);
  // The branch is taken for every lane when one lane is above, but only
  // the lanes above move, each to its own maximum; the others keep their
  // reference, with a factor of exp(0) = 1 exactly, so a lane's sum depends
  // on its own values only. A lane that has seen nothing but -inf (a masked
  // stretch of the row) is never above, and keeps its finite reference,
  // which a move to -inf would turn into exp(-inf - -inf) = NaN.
  auto move = scf::IfOp::create(
      b, above,
      [&](OpBuilder &, Location) {
        Value moved =
            arith::SelectOp::create(b, aboveLanes, runningMax(newMax, r), r);
        scf::YieldOp::create(b, ValueRange{moved, mul(s, exp(sub(r, moved)))});
      },
      [&](OpBuilder &, Location) {
        scf::YieldOp::create(b, ValueRange{r, s});
      });
  Value ref = move.getResult(0);
  return {ref, newMax, add(move.getResult(1), sumOfExps(xs, ref))};
}

SmallVector<Value> KernelEmitter::laggedToPairs(ValueRange lagged) {
  // The reference is at most the maximum, so the factor is at most 1.
  SmallVector<Value> pairs(2 * numAcc);
  for (unsigned u = 0; u < numAcc; ++u) {
    Value ref = lagged[u], m = lagged[numAcc + u], sum = lagged[2 * numAcc + u];
    pairs[u] = m;
    pairs[numAcc + u] =
        mul(sum, exp(sub(ref, safeMax(m, splat(0.0), splat(-kInf)))));
  }
  return pairs;
}

SmallVector<Value> KernelEmitter::initialLagged() {
  SmallVector<Value> lagged(numAcc, splat(-largestFinite()));
  lagged.append(numAcc, splat(-kInf));
  lagged.append(numAcc, splat(0.0));
  return lagged;
}

SmallVector<Value> KernelEmitter::initialAccumulators() {
  SmallVector<Value> accs(numAcc, splat(-kInf));
  accs.append(numAcc, splat(0.0));
  return accs;
}

SmallVector<Value> KernelEmitter::merge(ValueRange total, ValueRange part) {
  SmallVector<Value> merged(total.size());
  for (unsigned u = 0; u < numAcc; ++u)
    std::tie(merged[u], merged[numAcc + u]) =
        mergePair(total[u], total[numAcc + u], part[u], part[numAcc + u]);
  return merged;
}

std::pair<Value, Value> KernelEmitter::mergePair(Value m1, Value s1, Value m2,
                                                 Value s2) {
  Value m = runningMax(m1, m2);
  Value safe = safeMax(m, splat(0.0), splat(-kInf));
  return {m, add(mul(s1, exp(sub(m1, safe))), mul(s2, exp(sub(m2, safe))))};
}

SmallVector<Value> KernelEmitter::chunked(
    Value lb, Value ub, int64_t chunk,
    function_ref<SmallVector<Value>(Value, Value, ValueRange)> body) {
  Value chunkIdx = index(chunk);
  // The running sums are carried in f64 lanes when computing in f32: the
  // partials of chunks of equal values (the softmax generator's
  // absorbed-terms rows) round the same way at every merge, and 2048 merges
  // into a sum near 2 left an f32 column of 262143 8e-5 off (long tier).
  auto wideVec = VectorType::get({lanes}, b.getF64Type());
  bool widen = cVec != wideVec;
  auto toWide = [&](SmallVector<Value> accs) {
    if (widen)
      for (unsigned u = 0; u < numAcc; ++u)
        accs[numAcc + u] = arith::ExtFOp::create(b, wideVec, accs[numAcc + u]);
    return accs;
  };
  auto loop = scf::ForOp::create(
      b, lb, ub, chunkIdx, toWide(initialAccumulators()),
      [&](OpBuilder &, Location, Value start, ValueRange total) {
        Value end = arith::MinUIOp::create(
            b, arith::AddIOp::create(b, start, chunkIdx), ub);
        SmallVector<Value> part = body(start, end, initialAccumulators());
        // The first chunk's accumulators become the running ones: merging
        // them into fresh ones costs two exps per vector for nothing, which
        // shows on short slices (8 rows along dim 0 of 8x512x512: 20.3
        // against 24.5 GB/s at 1 thread).
        Value isFirst =
            arith::CmpIOp::create(b, arith::CmpIPredicate::eq, start, lb);
        auto merged = scf::IfOp::create(
            b, isFirst,
            [&](OpBuilder &, Location) {
              scf::YieldOp::create(b, toWide(part));
            },
            [&](OpBuilder &, Location) {
              if (!widen)
                return scf::YieldOp::create(b, merge(total, part)), void();
              // mergePair with the sums in f64; the factors stay exps in
              // the compute type.
              SmallVector<Value> next(total.size());
              for (unsigned u = 0; u < numAcc; ++u) {
                Value m1 = total[u], m2 = part[u];
                Value m = runningMax(m1, m2);
                Value safe = safeMax(m, splat(0.0), splat(-kInf));
                Value f1 = arith::ExtFOp::create(b, wideVec, exp(sub(m1, safe)));
                Value f2 = arith::ExtFOp::create(b, wideVec, exp(sub(m2, safe)));
                Value s2 = arith::ExtFOp::create(b, wideVec, part[numAcc + u]);
                next[u] = m;
                next[numAcc + u] = arith::AddFOp::create(
                    b, arith::MulFOp::create(b, total[numAcc + u], f1),
                    arith::MulFOp::create(b, s2, f2));
              }
              scf::YieldOp::create(b, next);
            });
        scf::YieldOp::create(b, merged.getResults());
      });
  SmallVector<Value> results(loop.getResults());
  if (widen)
    for (unsigned u = 0; u < numAcc; ++u)
      results[numAcc + u] =
          arith::TruncFOp::create(b, cVec, results[numAcc + u]);
  return results;
}
