//===- LowerLogSoftmaxToVector.cpp - nn.logsoftmax to vector code ---------===//
//
// Emits a tuned CPU kernel for nn.logsoftmax on tensors: an scf.forall over
// independent slices, a read pass computing max and exp-sum together with
// online rescaling, and a write pass. See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "nn/Conversion/NNToVector/NNToVector.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "nn/Dialect/NN/IR/NNOps.h"

#include "llvm/ADT/bit.h"

#include <cmath>

namespace mlir::nn {
#define GEN_PASS_DEF_CONVERTNNTOVECTORPASS
#include "nn/Conversion/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;
using namespace mlir::nn;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// How far above the lagging reference of updateLagged an element may be
// before the reference moves: e^64 times the 128 terms a lane adds per chunk
// stays far below the f32 maximum.
constexpr double kReferenceSlack = 64.0;

// Chunk lengths for the read pass (see KernelEmitter::chunked): along the
// last dimension in main-loop steps, along another dimension in rows.
constexpr int64_t kStepsPerChunk = 32;
constexpr int64_t kRowsPerChunk = 128;
// Rows of at least kSplitLength elements are split into segments of
// kSegment elements (a multiple of every main-loop step) across threads.
constexpr int64_t kSplitLength = 1 << 18;
constexpr int64_t kSegment = 1 << 16;

/// Emits the kernel replacing one nn.logsoftmax.
class KernelEmitter {
public:
  KernelEmitter(OpBuilder &b, LogSoftmaxOp op,
                const VectorKernelOptions &options)
      : b(b), loc(op.getLoc()), op(op), options(options) {
    inElt = op.getInputType().getElementType();
    outElt = op.getOutputType().getElementType();
    // f16/bf16 accumulate in f32; wider types compute in themselves.
    cType = outElt.getIntOrFloatBitWidth() < 32 ? b.getF32Type() : outElt;
    // A power of two: the horizontal reductions halve the vector.
    lanes = llvm::bit_floor<uint64_t>(std::max<uint64_t>(
        1, options.vectorBits / cType.getIntOrFloatBitWidth()));
    inVec = VectorType::get({lanes}, inElt);
    cVec = VectorType::get({lanes}, cType);
    outVec = VectorType::get({lanes}, outElt);
    numAcc = std::max(1u, options.accumulators);
    numBlock = std::max(1u, options.blockVectors);
  }

  Value emit();

private:
  using Indexer1 = std::function<SmallVector<Value>(Value)>;

  // Constants.
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value scalar(double v) {
    return arith::ConstantOp::create(b, loc, cType, b.getFloatAttr(cType, v));
  }
  Value splat(double v, VectorType type) {
    return arith::ConstantOp::create(
        b, loc, type,
        DenseElementsAttr::get(type, b.getFloatAttr(type.getElementType(), v)));
  }
  Value splat(double v) { return splat(v, cVec); }
  /// The largest finite value of the compute type.
  double largestFinite() {
    return cType.isF64() ? std::numeric_limits<double>::max()
                         : double(std::numeric_limits<float>::max());
  }

  // Arithmetic in the compute type; `contract` lets LLVM form FMAs.
  arith::FastMathFlagsAttr contract() {
    return arith::FastMathFlagsAttr::get(b.getContext(),
                                         arith::FastMathFlags::contract);
  }
  Value add(Value x, Value y) {
    return arith::AddFOp::create(b, loc, x, y, contract());
  }
  Value sub(Value x, Value y) {
    return arith::SubFOp::create(b, loc, x, y, contract());
  }
  Value mul(Value x, Value y) {
    return arith::MulFOp::create(b, loc, x, y, contract());
  }
  /// a * b + c, fused where the target has FMA (llvm.fmuladd). Unlike
  /// add(mul()), two of these with the same product are not merged into one
  /// rounded product shared by both.
  Value fma(Value a, Value b, Value c) {
    return vector::FMAOp::create(this->b, loc, a, b, c);
  }
  Value max(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }

  /// The larger of x and y, either one when one is NaN: one instruction on
  /// x86, where arith.maximumf needs several. It is used only for the running
  /// maxima of the read pass, where losing a NaN is harmless: a NaN input
  /// makes exp(x - max) NaN, hence the sum and every result of its slice.
  Value runningMax(Value x, Value y) {
    Value greater =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, y);
    return arith::SelectOp::create(b, loc, greater, x, y);
  }

  /// `m`, or 0 where `m` is -inf, so that exp(x - safe(m)) is never
  /// exp(-inf - -inf) = NaN for a slice (or lane) that has only seen -inf.
  Value safeMax(Value m, Value zero, Value negInf) {
    Value isNegInf =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, m, negInf);
    return arith::SelectOp::create(b, loc, isNegInf, zero, m);
  }

  Value exp(Value v);
  Value log(Value v);

  using Combine = function_ref<Value(Value, Value)>;

  /// The lanes of `v` combined by halving: lane i with lane i + lanes/2, and
  /// so on. transposeReduce combines each of its vectors in the same order,
  /// so a row gives the same bits through either.
  Value reduceHalving(Value v, Combine combine) {
    for (int64_t width = lanes / 2; width >= 1; width /= 2) {
      SmallVector<int64_t> upper(lanes);
      for (int64_t i = 0; i < lanes; ++i)
        upper[i] = (i + width) % lanes;
      Value shifted = vector::ShuffleOp::create(b, loc, v, v, upper);
      v = combine(v, shifted);
    }
    return vector::ExtractOp::create(b, loc, v, ArrayRef<int64_t>{0});
  }

  /// The maximum of the lanes of `v` with runningMax: a NaN lane may be
  /// dropped, which the sum catches (see runningMax).
  Value reduceRunningMax(Value v) {
    return reduceHalving(v, [&](Value x, Value y) { return runningMax(x, y); });
  }

  /// `lanes` vectors reduced horizontally at once: lane r of the result is
  /// vs[r]'s lanes combined as reduceHalving does. Each level pairs vector i
  /// with vector i + half and interleaves their halves, so that every
  /// shuffle and combine works for two rows: lanes - 1 combines and twice as
  /// many two-source shuffles for all rows, where reducing each row alone
  /// takes lanes * log2(lanes) of each.
  Value transposeReduce(ArrayRef<Value> vs, Combine combine) {
    SmallVector<Value> level(vs);
    for (int64_t block = lanes / 2; block >= 1; block /= 2) {
      // Output block k comes from block k/2 (twice as wide) of the first
      // vector of the pair when k is even, of the second when odd: its lower
      // half for one shuffle, its upper half for the other.
      SmallVector<int64_t> lower, upper;
      for (int64_t k = 0; k < lanes / block; ++k)
        for (int64_t j = 0; j < block; ++j) {
          int64_t source = (k % 2 ? lanes : 0) + (k / 2) * 2 * block + j;
          lower.push_back(source);
          upper.push_back(source + block);
        }
      size_t half = level.size() / 2;
      SmallVector<Value> next;
      for (size_t i = 0; i < half; ++i) {
        Value u = level[i], v = level[i + half];
        next.push_back(combine(vector::ShuffleOp::create(b, loc, u, v, lower),
                               vector::ShuffleOp::create(b, loc, u, v, upper)));
      }
      level = std::move(next);
    }
    return level.front();
  }

  /// Lane `r` of `v` in every lane.
  Value broadcastLane(Value v, int64_t r) {
    return vector::ShuffleOp::create(b, loc, v, v,
                                     SmallVector<int64_t>(lanes, r));
  }

  /// Reads a vector at `indices` of `source`, widened to the compute type.
  /// Out-of-bounds lanes read `padding` unless `inBounds`.
  Value load(Value source, ValueRange indices, bool inBounds, double padding) {
    Value pad = arith::ConstantOp::create(b, loc, inElt,
                                          b.getFloatAttr(inElt, padding));
    Value v = vector::TransferReadOp::create(b, loc, inVec, source, indices,
                                             pad, ArrayRef<bool>{inBounds});
    return inElt == cType ? v : arith::ExtFOp::create(b, loc, cVec, v);
  }

  /// Writes `y` (compute type) rounded to the result type.
  Value store(Value y, Value dest, ValueRange indices, bool inBounds) {
    if (outElt != cType)
      y = arith::TruncFOp::create(b, loc, outVec, y);
    return vector::TransferWriteOp::create(b, loc, y, dest, indices,
                                           ArrayRef<bool>{inBounds})
        .getResult();
  }

  /// The sum of `terms`, added pairwise.
  Value sumPairwise(SmallVector<Value> terms) {
    while (terms.size() > 1) {
      SmallVector<Value> pairs;
      for (size_t i = 0; i + 1 < terms.size(); i += 2)
        pairs.push_back(add(terms[i], terms[i + 1]));
      if (terms.size() % 2)
        pairs.push_back(terms.back());
      terms = std::move(pairs);
    }
    return terms.front();
  }

  /// The lane-wise maximum of a block of vectors (runningMax).
  Value blockMaximum(ArrayRef<Value> xs) {
    Value blockMax = xs.front();
    for (Value x : xs.drop_front())
      blockMax = runningMax(blockMax, x);
    return blockMax;
  }

  /// The sum of exp(x - ref) over the block `xs`, added pairwise.
  Value sumOfExps(ArrayRef<Value> xs, Value ref) {
    SmallVector<Value> terms;
    for (Value x : xs)
      terms.push_back(exp(sub(x, ref)));
    return sumPairwise(std::move(terms));
  }

  /// One online step: folds the vectors `xs` into the running (max, sum).
  std::pair<Value, Value> update(Value m, Value s, ArrayRef<Value> xs) {
    Value blockMax = blockMaximum(xs);
    Value newMax = runningMax(m, blockMax);
    Value safe = safeMax(newMax, splat(0.0), splat(-kInf));
    // Rescale the running sum only when some lane's maximum grew, which
    // after the first few blocks of a row is rare: one test and a branch
    // instead of an exponential. Where no lane grew, the factor would be
    // exp(0) = 1 exactly (exp(lowest) where a lane has seen only -inf, whose
    // sum is then negligible either way).
    Value grewLanes =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, blockMax, m);
    Value grew = vector::ReductionOp::create(b, loc, vector::CombiningKind::OR,
                                             grewLanes);
    auto rescale = scf::IfOp::create(b, loc, TypeRange{s.getType()}, grew,
                                     /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(rescale.thenBlock());
      scf::YieldOp::create(b, loc, mul(s, exp(sub(m, safe))));
      b.setInsertionPointToStart(rescale.elseBlock());
      scf::YieldOp::create(b, loc, s);
    }
    return {newMax, add(rescale.getResult(0), sumOfExps(xs, safe))};
  }

  /// One step of the main read loop, like update() but with the exps taken
  /// relative to a lagging reference `r` instead of the block's running
  /// maximum: `s` is the sum of exp(x - r). `r` moves up to the running
  /// maximum only when a block holds an element above r + kReferenceSlack
  /// (a test and a rarely taken branch), so the exps do not wait for the
  /// block's maximum: terms up to e^64 are fine in f32. `r` starts at the
  /// lowest finite value, so that the first finite element moves it and -inf
  /// elements give exp(-inf - r) = exp(lowest), never NaN. Returns the new
  /// (r, m, s); the true maximum `m` is kept beside for the end of the chunk.
  std::tuple<Value, Value, Value> updateLagged(Value r, Value m, Value s,
                                               ArrayRef<Value> xs) {
    Value blockMax = blockMaximum(xs);
    Value newMax = runningMax(m, blockMax);
    // blockMax - r, not blockMax > r + slack: that sum rounds up by up to
    // an ulp of r (128 near 2^30 in f32), which let x - r reach 128 and
    // exp overflow. Rounding is monotonic, so every x - r of the block is at
    // most the rounded blockMax - r, hence at most the slack.
    Value aboveLanes =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                              sub(blockMax, r), splat(kReferenceSlack));
    Value above = vector::ReductionOp::create(b, loc, vector::CombiningKind::OR,
                                              aboveLanes);
    auto move = scf::IfOp::create(b, loc, TypeRange{r.getType(), s.getType()},
                                  above, /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      // The branch is taken for every lane when one lane is above, so each
      // lane moves only up to its own maximum: a lane that has seen nothing
      // but -inf (a masked stretch of the row) keeps its finite reference,
      // which a move to -inf would turn into exp(-inf - -inf) = NaN. The
      // factor is then at most 1, and exactly 1 where the lane stays.
      b.setInsertionPointToStart(move.thenBlock());
      Value moved = runningMax(newMax, r);
      scf::YieldOp::create(b, loc,
                           ValueRange{moved, mul(s, exp(sub(r, moved)))});
      b.setInsertionPointToStart(move.elseBlock());
      scf::YieldOp::create(b, loc, ValueRange{r, s});
    }
    Value ref = move.getResult(0);
    return {ref, newMax, add(move.getResult(1), sumOfExps(xs, ref))};
  }

  /// The end of the whole steps of `step` from `start` towards `end`.
  Value wholeStepsEnd(Value start, Value end, Value step) {
    Value length = arith::SubIOp::create(b, loc, end, start);
    Value steps = arith::DivUIOp::create(b, loc, length, step);
    return arith::AddIOp::create(b, loc, start,
                                 arith::MulIOp::create(b, loc, steps, step));
  }

  /// Fresh (max, sum) accumulators: numAcc maxima at -inf, numAcc sums at 0.
  SmallVector<Value> initialAccumulators() {
    SmallVector<Value> accs(numAcc, splat(-kInf));
    accs.append(numAcc, splat(0.0));
    return accs;
  }

  /// Merges the (max, sum) accumulators `part` into `total`.
  SmallVector<Value> merge(ValueRange total, ValueRange part) {
    SmallVector<Value> merged(total.size());
    for (unsigned u = 0; u < numAcc; ++u)
      std::tie(merged[u], merged[numAcc + u]) =
          mergePair(total[u], total[numAcc + u], part[u], part[numAcc + u]);
    return merged;
  }

  /// Merges two (max, sum) vector pairs, rescaling both sums to the new max.
  std::pair<Value, Value> mergePair(Value m1, Value s1, Value m2, Value s2) {
    Value m = runningMax(m1, m2);
    Value safe = safeMax(m, splat(0.0), splat(-kInf));
    return {m, add(mul(s1, exp(sub(m1, safe))), mul(s2, exp(sub(m2, safe))))};
  }

  /// Runs `body(start, end, accumulators)` over [0, ub) in chunks of `chunk`,
  /// each from fresh accumulators merged into running ones afterwards: every
  /// f32 sum then adds up short runs, which keeps its rounding error low on
  /// slices of hundreds of thousands of elements.
  SmallVector<Value>
  chunked(Value lb, Value ub, int64_t chunk,
          function_ref<SmallVector<Value>(Value, Value, ValueRange)> body) {
    Value chunkIdx = index(chunk);
    auto loop = scf::ForOp::create(
        b, loc, lb, ub, chunkIdx, initialAccumulators(),
        [&](OpBuilder &, Location, Value start, ValueRange total) {
          Value end = arith::MinUIOp::create(
              b, loc, arith::AddIOp::create(b, loc, start, chunkIdx), ub);
          SmallVector<Value> part = body(start, end, initialAccumulators());
          scf::YieldOp::create(b, loc, merge(total, part));
        });
    return SmallVector<Value>(loop.getResults());
  }

  // Pieces of the last-dimension kernels; `at(j)` gives the input indices of
  // element j of the current row.
  SmallVector<Value> readRowRange(Value input, const Indexer1 &at, Value start,
                                  Value end);
  std::pair<Value, Value> combineAccumulators(ArrayRef<Value> accs);
  std::pair<Value, Value> finishRow(Value laneMax, Value laneSum);
  Value writeRowRange(Value input, const Indexer1 &at, Value dest,
                      const Indexer1 &destAt, Value start, Value end,
                      Value rowMax, Value logSum);

  Value emitLastDim(Value input, Value init, ArrayRef<OpFoldResult> sizes);
  Value emitSplitRows(Value input, Value init, ArrayRef<OpFoldResult> sizes);
  Value emitShortRowGroups(Value input, Value init,
                           ArrayRef<OpFoldResult> sizes);
  Value emitInnerDim(Value input, Value init, ArrayRef<OpFoldResult> sizes,
                     int64_t dim);

  OpBuilder &b;
  Location loc;
  LogSoftmaxOp op;
  VectorKernelOptions options;
  Type inElt, outElt, cType;
  int64_t lanes;
  VectorType inVec, cVec, outVec;
  unsigned numAcc, numBlock;
};

/// exp(v) for v <= 64, -inf or NaN: the kernels only take exponentials of
/// differences to a maximum or to the lagging reference of updateLagged (2^n
/// stays a normal number up to v = 88 in f32). v is clamped below at `lowest`
/// (-inf too, so that exp(-inf) is exp(lowest), below 1e-37 for f32: negligible
/// next to a sum that is at least 1), and NaN stays NaN, which the kernel
/// relies on to turn a slice holding NaN or +inf into NaN. Then exp(v) = 2^n *
/// 2^f with n an integer and |f| <= 1/2.
Value KernelEmitter::exp(Value v) {
  bool isF64 = cType.isF64();
  auto intVec =
      VectorType::get({lanes}, isF64 ? b.getI64Type() : b.getI32Type());
  // 2^n must stay a normal number: n >= -1022 (f64) or -126 (f32).
  double lowest = isF64 ? -708.0 : -87.0;
  int64_t bias = isF64 ? 1023 : 127, mantissa = isF64 ? 52 : 23;
  // Adding 1.5 * 2^mantissa rounds to an integer, which then sits in the low
  // mantissa bits; adding the exponent bias there too means that shifting
  // those bits into the exponent field builds 2^n directly.
  double magic = std::ldexp(1.5, mantissa) + bias;

  // The comparison is false for NaN, which passes through (one vmaxps).
  Value tooSmall = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, v,
                                         splat(lowest));
  Value clamped = arith::SelectOp::create(b, loc, tooSmall, splat(lowest), v);
  Value t = fma(clamped, splat(M_LOG2E), splat(magic));
  Value n = sub(t, splat(magic));
  Value p;
  if (isF64) {
    // Cody-Waite: r = v - n*ln2 in two parts, then the Taylor polynomial of
    // exp on [-ln2/2, ln2/2] to degree 12 (truncation below 1e-14 relative).
    Value r = sub(sub(clamped, mul(n, splat(6.93147180369123816490e-01))),
                  mul(n, splat(1.90821492927058770002e-10)));
    double coefficient = 1.0;
    for (int k = 2; k <= 12; ++k)
      coefficient /= k;
    p = splat(coefficient);
    for (int k = 11; k >= 0; --k) {
      coefficient *= (k + 1);
      p = add(mul(p, r), splat(coefficient));
    }
  } else {
    // f = v*log2(e) - n, one rounding with an FMA; float32(log2 e) makes
    // the result about e^(v (1 + 1.33e-8)), 8.5e-7 relative at |v| = 64
    // (measured by scripts/approximation-bounds.py, as are the bounds below;
    // docs/cpu-codegen.md). 2^f on [-1/2, 1/2] by a polynomial with minimax
    // relative error and 2^0 = 1 exactly, so that a rescaling by exp(0)
    // leaves a sum unchanged: degree 5 (1.8e-7 evaluated in f32) for f32
    // results, degree 3 (1.0e-4) for f16 and bf16 results, whose tolerances
    // (2e-3, 2e-2) that error cannot approach.
    Value f = fma(clamped, splat(M_LOG2E), arith::NegFOp::create(b, loc, n));
    static constexpr double kDegree5[] = {
        6.9314698e-01, 2.4022242e-01, 5.550734e-02, 9.67151e-03, 1.32647e-03};
    static constexpr double kDegree3[] = {6.9328292e-01, 2.4221076e-01,
                                          5.500875e-02};
    ArrayRef<double> coefficients = outElt.getIntOrFloatBitWidth() < 32
                                        ? ArrayRef(kDegree3)
                                        : ArrayRef(kDegree5);
    p = splat(coefficients.back());
    for (double c : llvm::reverse(coefficients.drop_back()))
      p = fma(p, f, splat(c));
    p = fma(p, f, splat(1.0));
  }

  Value shift = arith::ConstantOp::create(
      b, loc, intVec,
      DenseElementsAttr::get(
          intVec, b.getIntegerAttr(intVec.getElementType(), mantissa)));
  Value bits = arith::BitcastOp::create(b, loc, intVec, t);
  Value scale = arith::BitcastOp::create(
      b, loc, cVec, arith::ShLIOp::create(b, loc, bits, shift));
  return mul(p, scale);
}

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
            arith::AddIOp::create(b, loc, j, index((u * numBlock + k) * lanes));
        xs.push_back(load(input, at(offset), /*inBounds=*/true, -kInf));
      }
      std::tie(next[u], next[numAcc + u], next[2 * numAcc + u]) =
          updateLagged(iter[u], iter[numAcc + u], iter[2 * numAcc + u], xs);
    }
    scf::YieldOp::create(b, loc, next);
  };
  SmallVector<Value> accs = chunked(
      start, mainEnd, step * kStepsPerChunk,
      [&](Value chunkStart, Value chunkEnd, ValueRange) -> SmallVector<Value> {
        SmallVector<Value> init(numAcc, splat(-largestFinite()));
        init.append(numAcc, splat(-kInf));
        init.append(numAcc, splat(0.0));
        auto loop = scf::ForOp::create(b, loc, chunkStart, chunkEnd, stepIdx,
                                       init, mainBody);
        // Back to (maximum, sum relative to it) pairs: the reference is at
        // most the maximum, so the factor is at most 1.
        SmallVector<Value> pairs(2 * numAcc);
        for (unsigned u = 0; u < numAcc; ++u) {
          Value ref = loop.getResult(u), m = loop.getResult(numAcc + u);
          Value sum = loop.getResult(2 * numAcc + u);
          pairs[u] = m;
          pairs[numAcc + u] =
              mul(sum, exp(sub(ref, safeMax(m, splat(0.0), splat(-kInf)))));
        }
        return pairs;
      });
  auto tailLoop = scf::ForOp::create(
      b, loc, mainEnd, end, index(lanes), ValueRange{accs[0], accs[numAcc]},
      [&](OpBuilder &, Location, Value j, ValueRange iter) {
        Value x = load(input, at(j), /*inBounds=*/false, -kInf);
        auto [m, s] = update(iter[0], iter[1], {x});
        scf::YieldOp::create(b, loc, ValueRange{m, s});
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

/// The row's maximum and log(sum) from its lane vectors.
std::pair<Value, Value> KernelEmitter::finishRow(Value laneMax, Value laneSum) {
  Value rowMax = vector::ReductionOp::create(
      b, loc, vector::CombiningKind::MAXIMUMF, laneMax);
  Value rowSafe = safeMax(rowMax, scalar(0.0), scalar(-kInf));
  Value rowSafeVec = vector::BroadcastOp::create(b, loc, cVec, rowSafe);
  Value rowSum =
      vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD,
                                  mul(laneSum, exp(sub(laneMax, rowSafeVec))));
  return {rowMax, math::LogOp::create(b, loc, rowSum)};
}

/// Writes (x - max) - log(sum) for elements [start, end) of the row into
/// `dest`, element j at destAt(j): full vectors, then one masked vector.
Value KernelEmitter::writeRowRange(Value input, const Indexer1 &at, Value dest,
                                   const Indexer1 &destAt, Value start,
                                   Value end, Value rowMax, Value logSum) {
  Value lanesIdx = index(lanes);
  Value maxVec = vector::BroadcastOp::create(b, loc, cVec, rowMax);
  Value logSumVec = vector::BroadcastOp::create(b, loc, cVec, logSum);
  Value fullEnd = wholeStepsEnd(start, end, lanesIdx);
  auto writeBody = [&](bool inBounds) {
    return [&, inBounds](OpBuilder &, Location, Value j, ValueRange iter) {
      Value x = load(input, at(j), inBounds, 0.0);
      Value y = sub(sub(x, maxVec), logSumVec);
      scf::YieldOp::create(b, loc, store(y, iter[0], destAt(j), inBounds));
    };
  };
  auto full = scf::ForOp::create(b, loc, start, fullEnd, lanesIdx,
                                 ValueRange{dest}, writeBody(true));
  return scf::ForOp::create(b, loc, fullEnd, end, lanesIdx,
                            ValueRange{full.getResult(0)}, writeBody(false))
      .getResult(0);
}

/// log(v) on vectors for v = 0, v >= 1/2, +inf or NaN (the sums of the
/// kernels), so that per-lane logs do not become one libm call per lane:
/// v = 2^e * m with m in [sqrt(1/2), sqrt(2)), log(m) = 2 atanh(f / (2 + f))
/// for f = m - 1, as an odd series (truncation below 1e-9 for f32; measured
/// with rounding: 2.3e-7 for f32, 4.2e-16 for f64, see docs/cpu-codegen.md).
/// 0 gives -inf; +inf and NaN give themselves.
Value KernelEmitter::log(Value v) {
  bool isF64 = cType.isF64();
  auto intVec =
      VectorType::get({lanes}, isF64 ? b.getI64Type() : b.getI32Type());
  Type intType = intVec.getElementType();
  int64_t mantissa = isF64 ? 52 : 23, bias = isF64 ? 1023 : 127;
  auto intSplat = [&](int64_t value) -> Value {
    return arith::ConstantOp::create(
        b, loc, intVec,
        DenseElementsAttr::get(intVec, b.getIntegerAttr(intType, value)));
  };
  Value bits = arith::BitcastOp::create(b, loc, intVec, v);
  Value exponent = arith::SubIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, bits, intSplat(mantissa)),
      intSplat(bias));
  // The mantissa with the exponent of 1.0: m in [1, 2).
  int64_t mantissaMask = (int64_t(1) << mantissa) - 1;
  Value m = arith::BitcastOp::create(
      b, loc, cVec,
      arith::OrIOp::create(
          b, loc, arith::AndIOp::create(b, loc, bits, intSplat(mantissaMask)),
          intSplat(bias << mantissa)));
  Value e = arith::SIToFPOp::create(b, loc, cVec, exponent);
  // Center m around 1: above sqrt(2), halve it and count one more.
  Value large = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, m,
                                      splat(M_SQRT2));
  m = arith::SelectOp::create(b, loc, large, mul(m, splat(0.5)), m);
  e = arith::SelectOp::create(b, loc, large, add(e, splat(1.0)), e);
  Value f = sub(m, splat(1.0));
  Value t = arith::DivFOp::create(b, loc, f, add(f, splat(2.0)));
  Value z = mul(t, t);
  int terms = isF64 ? 11 : 5;
  Value series = splat(1.0 / (2 * terms + 1));
  for (int k = terms - 1; k >= 0; --k)
    series = add(mul(series, z), splat(1.0 / (2 * k + 1)));
  Value result = add(mul(e, splat(M_LN2)), mul(mul(t, splat(2.0)), series));
  // Special values.
  Value isZero =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, v, splat(0.0));
  Value isInfOrNaN =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UEQ, v, splat(kInf));
  Value isNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, v, v);
  result = arith::SelectOp::create(
      b, loc, arith::OrIOp::create(b, loc, isInfOrNaN, isNaN), v, result);
  return arith::SelectOp::create(b, loc, isZero, splat(-kInf), result);
}

/// Rows along the last dimension: the forall runs over every other
/// dimension (or once, for rank 1), each iteration owning one row.
Value KernelEmitter::emitLastDim(Value input, Value init,
                                 ArrayRef<OpFoldResult> sizes) {
  int64_t rank = sizes.size();
  Value n = getValueOrCreateConstantIndexOp(b, loc, sizes.back());
  Value zeroIdx = index(0);

  SmallVector<OpFoldResult> bounds(sizes.drop_back());
  if (bounds.empty())
    bounds.push_back(b.getIndexAttr(1));
  auto forall =
      scf::ForallOp::create(b, loc, bounds, ValueRange{init}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  SmallVector<Value> rowIvs;
  if (rank > 1)
    rowIvs = llvm::to_vector(forall.getInductionVars());
  Value shared = forall.getRegionIterArgs()[0];
  Indexer1 at = [&](Value j) {
    SmallVector<Value> indices(rowIvs);
    indices.push_back(j);
    return indices;
  };

  // This row of the shared output.
  SmallVector<OpFoldResult> offsets, sliceSizes,
      strides(rank, b.getIndexAttr(1));
  for (Value iv : rowIvs) {
    offsets.push_back(iv);
    sliceSizes.push_back(b.getIndexAttr(1));
  }
  offsets.push_back(b.getIndexAttr(0));
  sliceSizes.push_back(sizes.back());
  Value slice = tensor::ExtractSliceOp::create(b, loc, shared, offsets,
                                               sliceSizes, strides);
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
    Value e = exp(sub(x, vector::BroadcastOp::create(b, loc, cVec, rowSafe)));
    // The same reductions and vector log as the grouped short rows: static
    // and dynamic shapes must give the same bits.
    Value rowSum =
        reduceHalving(e, [&](Value x, Value y) { return add(x, y); });
    Value logSum = vector::ExtractOp::create(
        b, loc, log(vector::BroadcastOp::create(b, loc, cVec, rowSum)),
        ArrayRef<int64_t>{0});
    Value y = sub(sub(x, vector::BroadcastOp::create(b, loc, cVec, rowMax)),
                  vector::BroadcastOp::create(b, loc, cVec, logSum));
    return store(y, slice, sliceAt(zeroIdx), inBounds);
  };

  // Longer rows: the read pass, then the write pass.
  auto emitLongRow = [&]() -> Value {
    SmallVector<Value> accs = readRowRange(input, at, zeroIdx, n);
    auto [laneMax, laneSum] = combineAccumulators(accs);
    auto [rowMax, logSum] = finishRow(laneMax, laneSum);
    return writeRowRange(input, at, slice, sliceAt, zeroIdx, n, rowMax, logSum);
  };

  Value row;
  if (std::optional<int64_t> staticN = getConstantIntValue(sizes.back())) {
    row = *staticN <= lanes ? emitShortRow() : emitLongRow();
  } else {
    Value isShort = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, n,
                                          index(lanes));
    auto branch = scf::IfOp::create(b, loc, slice.getType(), isShort,
                                    /*withElseRegion=*/true);
    OpBuilder::InsertionGuard branchGuard(b);
    b.setInsertionPointToStart(branch.thenBlock());
    scf::YieldOp::create(b, loc, emitShortRow());
    b.setInsertionPointToStart(branch.elseBlock());
    scf::YieldOp::create(b, loc, emitLongRow());
    row = branch.getResult(0);
  }

  b.setInsertionPointToEnd(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, row, shared, offsets,
                                        sliceSizes, strides);
  return forall.getResult(0);
}

/// Rows of at most one vector, `lanes` rows at a time. The horizontal
/// reductions of the group's rows are done together (transposeReduce), and the
/// logs of the group's sums are one vector log instead of a libm call per row.
/// The forall runs over the dimensions before the last two and over groups of
/// rows; the last group of a partial size loads its last row again in place of
/// the missing ones and stores only its own rows.
Value KernelEmitter::emitShortRowGroups(Value input, Value init,
                                        ArrayRef<OpFoldResult> sizes) {
  int64_t rank = sizes.size();
  bool inBounds = getConstantIntValue(sizes.back()) == lanes;
  Value zeroIdx = index(0), oneIdx = index(1), groupIdx = index(lanes);
  Value rows = getValueOrCreateConstantIndexOp(b, loc, sizes[rank - 2]);
  Value numGroups = arith::DivUIOp::create(
      b, loc, arith::AddIOp::create(b, loc, rows, index(lanes - 1)), groupIdx);
  SmallVector<OpFoldResult> bounds(sizes.drop_back(2));
  bounds.push_back(numGroups);
  auto forall =
      scf::ForallOp::create(b, loc, bounds, ValueRange{init}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  SmallVector<Value> ivs = llvm::to_vector(forall.getInductionVars());
  ArrayRef<Value> outer = ArrayRef<Value>(ivs).drop_back();
  Value first = arith::MulIOp::create(b, loc, ivs.back(), groupIdx);
  Value count = arith::MinUIOp::create(
      b, loc, groupIdx, arith::SubIOp::create(b, loc, rows, first));
  Value lastRow = arith::SubIOp::create(b, loc, rows, oneIdx);

  SmallVector<Value> xs;
  for (int64_t r = 0; r < lanes; ++r) {
    SmallVector<Value> indices(outer);
    indices.push_back(arith::MinUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, first, index(r)), lastRow));
    indices.push_back(zeroIdx);
    xs.push_back(load(input, indices, inBounds, -kInf));
  }
  auto maxOf = [&](Value x, Value y) { return runningMax(x, y); };
  auto sumOf = [&](Value x, Value y) { return add(x, y); };
  Value maxima = transposeReduce(xs, maxOf);
  Value safeMaxima = safeMax(maxima, splat(0.0), splat(-kInf));
  SmallVector<Value> terms;
  for (int64_t r = 0; r < lanes; ++r)
    terms.push_back(exp(sub(xs[r], broadcastLane(safeMaxima, r))));
  Value logSums = log(transposeReduce(terms, sumOf));

  SmallVector<OpFoldResult> offsets(outer.begin(), outer.end());
  offsets.push_back(first);
  offsets.push_back(b.getIndexAttr(0));
  SmallVector<OpFoldResult> sliceSizes(rank - 2, b.getIndexAttr(1));
  sliceSizes.push_back(count);
  sliceSizes.push_back(sizes.back());
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  Value dest = tensor::ExtractSliceOp::create(
      b, loc, forall.getRegionIterArgs()[0], offsets, sliceSizes, strides);
  for (int64_t r = 0; r < lanes; ++r) {
    Value y =
        sub(sub(xs[r], broadcastLane(maxima, r)), broadcastLane(logSums, r));
    SmallVector<Value> at(rank - 2, zeroIdx);
    at.push_back(index(r));
    at.push_back(zeroIdx);
    if (r == 0) { // Every group has a first row.
      dest = store(y, dest, at, inBounds);
      continue;
    }
    Value present = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          index(r), count);
    auto guarded = scf::IfOp::create(b, loc, TypeRange{dest.getType()}, present,
                                     /*withElseRegion=*/true);
    OpBuilder::InsertionGuard branchGuard(b);
    b.setInsertionPointToStart(guarded.thenBlock());
    scf::YieldOp::create(b, loc, store(y, dest, at, inBounds));
    b.setInsertionPointToStart(guarded.elseBlock());
    scf::YieldOp::create(b, loc, dest);
    dest = guarded.getResult(0);
  }
  b.setInsertionPointToEnd(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, dest,
                                        forall.getRegionIterArgs()[0], offsets,
                                        sliceSizes, strides);
  return forall.getResult(0);
}

/// Long rows split into segments of kSegment elements, so that even one row
/// keeps every thread busy. A first forall over (row, segment) computes each
/// segment's (max, sum) lane vectors into a small tensor; a second one merges
/// a row's segments in order and writes its segment. The partition depends on
/// the row length only, so results do not depend on the thread count.
Value KernelEmitter::emitSplitRows(Value input, Value init,
                                   ArrayRef<OpFoldResult> sizes) {
  int64_t rank = sizes.size();
  Value n = getValueOrCreateConstantIndexOp(b, loc, sizes.back());
  Value zeroIdx = index(0), segmentIdx = index(kSegment);
  Value numSegments = arith::DivUIOp::create(
      b, loc, arith::AddIOp::create(b, loc, n, index(kSegment - 1)),
      segmentIdx);

  // Partials: [rows..., segments, lanes] for the maxima and the sums.
  SmallVector<OpFoldResult> partSizes(sizes.drop_back());
  partSizes.push_back(numSegments);
  partSizes.push_back(b.getIndexAttr(lanes));
  Value partMaxInit = tensor::EmptyOp::create(b, loc, partSizes, cType);
  Value partSumInit = tensor::EmptyOp::create(b, loc, partSizes, cType);
  SmallVector<OpFoldResult> bounds(sizes.drop_back());
  bounds.push_back(numSegments);

  // Everything a forall iteration needs to address its row and segment.
  struct Segment {
    SmallVector<Value> rowIvs;
    Value index, start, end;
  };
  auto enter = [&](scf::ForallOp forall) {
    b.setInsertionPointToStart(forall.getBody());
    SmallVector<Value> ivs = llvm::to_vector(forall.getInductionVars());
    Segment seg;
    seg.index = ivs.back();
    seg.rowIvs.assign(ivs.begin(), ivs.end() - 1);
    seg.start = arith::MulIOp::create(b, loc, seg.index, segmentIdx);
    seg.end = arith::MinUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, seg.start, segmentIdx), n);
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
  SmallVector<OpFoldResult> ones(rank + 1, b.getIndexAttr(1));
  SmallVector<Value> partZeros(rank + 1, zeroIdx);

  OpBuilder::InsertionGuard guard(b);
  auto partials = scf::ForallOp::create(
      b, loc, bounds, ValueRange{partMaxInit, partSumInit}, std::nullopt);
  {
    Segment seg = enter(partials);
    SmallVector<Value> accs =
        readRowRange(input, rowIndexer(seg), seg.start, seg.end);
    auto [laneMax, laneSum] = combineAccumulators(accs);
    SmallVector<OpFoldResult> offsets = partOffsets(seg, seg.index);
    SmallVector<Value> written;
    for (auto [vec, shared] : llvm::zip(ValueRange{laneMax, laneSum},
                                        partials.getRegionIterArgs())) {
      Value block = tensor::ExtractSliceOp::create(b, loc, shared, offsets,
                                                   partBlock, ones);
      written.push_back(vector::TransferWriteOp::create(
                            b, loc, vec, block, partZeros, ArrayRef<bool>{true})
                            .getResult());
    }
    b.setInsertionPointToEnd(partials.getTerminator().getBody());
    for (auto [block, shared] :
         llvm::zip(written, partials.getRegionIterArgs()))
      tensor::ParallelInsertSliceOp::create(b, loc, block, shared, offsets,
                                            partBlock, ones);
  }
  b.setInsertionPointAfter(partials);
  Value partMax = partials.getResult(0), partSum = partials.getResult(1);

  auto rows =
      scf::ForallOp::create(b, loc, bounds, ValueRange{init}, std::nullopt);
  Segment seg = enter(rows);
  // Merge the row's segments in order.
  Value cZero =
      arith::ConstantOp::create(b, loc, cType, b.getFloatAttr(cType, 0.0));
  auto mergeLoop = scf::ForOp::create(
      b, loc, zeroIdx, numSegments, index(1),
      ValueRange{splat(-kInf), splat(0.0)},
      [&](OpBuilder &, Location, Value k, ValueRange iter) {
        SmallVector<Value> indices(seg.rowIvs);
        indices.push_back(k);
        indices.push_back(zeroIdx);
        Value m = vector::TransferReadOp::create(b, loc, cVec, partMax, indices,
                                                 cZero, ArrayRef<bool>{true});
        Value s = vector::TransferReadOp::create(b, loc, cVec, partSum, indices,
                                                 cZero, ArrayRef<bool>{true});
        auto [mm, ss] = mergePair(iter[0], iter[1], m, s);
        scf::YieldOp::create(b, loc, ValueRange{mm, ss});
      });
  auto [rowMax, logSum] =
      finishRow(mergeLoop.getResult(0), mergeLoop.getResult(1));

  // This segment of the output.
  Value length = arith::SubIOp::create(b, loc, seg.end, seg.start);
  SmallVector<OpFoldResult> offsets(seg.rowIvs.begin(), seg.rowIvs.end());
  offsets.push_back(seg.start);
  SmallVector<OpFoldResult> sliceSizes(rank - 1, b.getIndexAttr(1));
  sliceSizes.push_back(length);
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  Value slice = tensor::ExtractSliceOp::create(
      b, loc, rows.getRegionIterArgs()[0], offsets, sliceSizes, strides);
  Indexer1 sliceAt = [&](Value j) {
    SmallVector<Value> indices(rank - 1, zeroIdx);
    indices.push_back(arith::SubIOp::create(b, loc, j, seg.start));
    return indices;
  };
  Value written = writeRowRange(input, rowIndexer(seg), slice, sliceAt,
                                seg.start, seg.end, rowMax, logSum);
  b.setInsertionPointToEnd(rows.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, written,
                                        rows.getRegionIterArgs()[0], offsets,
                                        sliceSizes, strides);
  return rows.getResult(0);
}

/// Slices along a non-last dimension `dim`: the lanes run along the
/// contiguous last dimension, so every access is unit-stride. The forall runs
/// over the dimensions other than `dim` and the last, and over chunks of
/// `lanes * numAcc` elements of the last.
Value KernelEmitter::emitInnerDim(Value input, Value init,
                                  ArrayRef<OpFoldResult> sizes, int64_t dim) {
  int64_t rank = sizes.size();
  Value depth = getValueOrCreateConstantIndexOp(b, loc, sizes[dim]);
  Value inner = getValueOrCreateConstantIndexOp(b, loc, sizes.back());
  int64_t chunk = lanes * numAcc;
  // Masks are needed only when the last size is not a known multiple.
  std::optional<int64_t> innerSize = getConstantIntValue(sizes.back());
  bool inBounds = innerSize && *innerSize % chunk == 0;
  Value chunkIdx = index(chunk);
  Value numChunks = arith::DivUIOp::create(
      b, loc, arith::AddIOp::create(b, loc, inner, index(chunk - 1)), chunkIdx);
  Value zeroIdx = index(0), oneIdx = index(1);

  SmallVector<OpFoldResult> bounds;
  for (int64_t i = 0; i < rank - 1; ++i)
    if (i != dim)
      bounds.push_back(sizes[i]);
  bounds.push_back(numChunks);
  auto forall =
      scf::ForallOp::create(b, loc, bounds, ValueRange{init}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  SmallVector<Value> ivs = llvm::to_vector(forall.getInductionVars());
  Value shared = forall.getRegionIterArgs()[0];
  Value i0 = arith::MulIOp::create(b, loc, ivs.back(), chunkIdx);
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
    return u ? arith::AddIOp::create(b, loc, base, index(u * lanes)).getResult()
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
          Value dk =
              k ? arith::AddIOp::create(b, loc, d, index(k)).getResult() : d;
          xs.push_back(load(input, at(dk, laneOffset(i0, u)), inBounds, -kInf));
        }
        std::tie(next[u], next[numAcc + u]) =
            update(iter[u], iter[numAcc + u], xs);
      }
      scf::YieldOp::create(b, loc, next);
    };
  };
  SmallVector<Value> results = chunked(
      index(0), depth, kRowsPerChunk,
      [&](Value start, Value end, ValueRange accs) -> SmallVector<Value> {
        Value length = arith::SubIOp::create(b, loc, end, start);
        Value mainEnd = arith::AddIOp::create(
            b, loc, start,
            arith::MulIOp::create(
                b, loc, arith::DivUIOp::create(b, loc, length, blockIdx),
                blockIdx));
        auto mainLoop = scf::ForOp::create(b, loc, start, mainEnd, blockIdx,
                                           accs, readStep(numBlock));
        return llvm::to_vector_of<Value>(
            scf::ForOp::create(b, loc, mainEnd, end, oneIdx,
                               mainLoop.getResults(), readStep(1))
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
      inBounds ? OpFoldResult(b.getIndexAttr(chunk))
               : OpFoldResult(arith::MinUIOp::create(
                                  b, loc, chunkIdx,
                                  arith::SubIOp::create(b, loc, inner, i0))
                                  .getResult());
  SmallVector<OpFoldResult> offsets, sliceSizes,
      strides(rank, b.getIndexAttr(1));
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
  Value slice = tensor::ExtractSliceOp::create(b, loc, shared, offsets,
                                               sliceSizes, strides);
  SmallVector<Value> zeros(rank, zeroIdx);
  auto writeLoop = scf::ForOp::create(
      b, loc, zeroIdx, depth, oneIdx, ValueRange{slice},
      [&](OpBuilder &, Location, Value d, ValueRange iter) {
        Value dest = iter[0];
        for (unsigned u = 0; u < numAcc; ++u) {
          Value x = load(input, at(d, laneOffset(i0, u)), inBounds, 0.0);
          Value y = sub(sub(x, maxVecs[u]), logSumVecs[u]);
          dest =
              store(y, dest, indicesOf(zeros, d, index(u * lanes)), inBounds);
        }
        scf::YieldOp::create(b, loc, dest);
      });

  b.setInsertionPointToEnd(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, writeLoop.getResult(0), shared,
                                        offsets, sliceSizes, strides);
  return forall.getResult(0);
}

Value KernelEmitter::emit() {
  Value input = op.getInput();
  int64_t rank = op.getInputType().getRank();
  int64_t dim = op.getNormalizedDim();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, input);
  Value init = tensor::EmptyOp::create(b, loc, sizes, outElt);
  Value result;
  if (dim != rank - 1) {
    result = emitInnerDim(input, init, sizes, dim);
  } else if (std::optional<int64_t> n = getConstantIntValue(sizes.back())) {
    if (*n >= kSplitLength)
      result = emitSplitRows(input, init, sizes);
    else if (*n <= lanes && rank >= 2)
      result = emitShortRowGroups(input, init, sizes);
    else
      result = emitLastDim(input, init, sizes);
  } else {
    Value isLong = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::uge,
        getValueOrCreateConstantIndexOp(b, loc, sizes.back()),
        index(kSplitLength));
    auto branch = scf::IfOp::create(b, loc, init.getType(), isLong,
                                    /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(branch.thenBlock());
    scf::YieldOp::create(b, loc, emitSplitRows(input, init, sizes));
    b.setInsertionPointToStart(branch.elseBlock());
    scf::YieldOp::create(b, loc, emitLastDim(input, init, sizes));
    result = branch.getResult(0);
  }
  if (result.getType() != op.getOutputType())
    result = tensor::CastOp::create(b, loc, op.getOutputType(), result);
  return result;
}

struct LowerLogSoftmaxToVector : OpRewritePattern<LogSoftmaxOp> {
  LowerLogSoftmaxToVector(MLIRContext *ctx, const VectorKernelOptions &options)
      : OpRewritePattern(ctx), options(options) {}

  LogicalResult matchAndRewrite(LogSoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getInputType().getRank() == 0)
      return rewriter.notifyMatchFailure(op, "rank 0 is left to nn-to-linalg");
    // A statically empty tensor has nothing to compute; emitting the loops
    // anyway would fold slices at out-of-bounds constant offsets.
    if (llvm::is_contained(op.getInputType().getShape(), 0) ||
        llvm::is_contained(op.getOutputType().getShape(), 0)) {
      SmallVector<OpFoldResult> sizes =
          tensor::getMixedSizes(rewriter, op.getLoc(), op.getInput());
      Value empty = tensor::EmptyOp::create(
          rewriter, op.getLoc(), sizes, op.getOutputType().getElementType());
      if (empty.getType() != op.getOutputType())
        empty = tensor::CastOp::create(rewriter, op.getLoc(),
                                       op.getOutputType(), empty);
      rewriter.replaceOp(op, empty);
      return success();
    }
    KernelEmitter emitter(rewriter, op, options);
    rewriter.replaceOp(op, emitter.emit());
    return success();
  }

  VectorKernelOptions options;
};

struct ConvertNNToVectorPass
    : nn::impl::ConvertNNToVectorPassBase<ConvertNNToVectorPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    VectorKernelOptions options;
    options.vectorBits = vectorBits;
    options.accumulators = accumulators;
    options.blockVectors = blockVectors;
    populateNNToVectorConversionPatterns(patterns, options);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::nn::populateNNToVectorConversionPatterns(
    RewritePatternSet &patterns, const VectorKernelOptions &options) {
  patterns.add<LowerLogSoftmaxToVector>(patterns.getContext(), options);
}
