//===- KernelEmitter.h - The CPU log-softmax kernel emitter --------------===//
//
// Private to lib/Conversion/NNToVector: the state and vocabulary (constants,
// arithmetic in the compute type, loads and stores) shared by the files that
// emit the parts of a kernel.
//
//===----------------------------------------------------------------------===//

#ifndef NN_LIB_CONVERSION_NNTOVECTOR_KERNELEMITTER_H
#define NN_LIB_CONVERSION_NNTOVECTOR_KERNELEMITTER_H

#include "nn/Conversion/NNToVector/NNToVector.h"
#include "nn/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include "llvm/ADT/bit.h"

#include <functional>
#include <limits>

namespace mlir::nn::detail {

constexpr double kInf = std::numeric_limits<double>::infinity();
// How far above the lagging reference of updateLagged an element may be
// before the reference moves: e^64 times the 128 terms a lane adds per chunk
// stays far below the f32 maximum.
constexpr double kReferenceSlack = 64.0;

// Chunk lengths for the read pass (see KernelEmitter::chunked): along the
// last dimension in main-loop steps, along another dimension in rows.
constexpr int64_t kStepsPerChunk = 32;
constexpr int64_t kRowsPerChunk = 128;
// Vectors (accumulators) per chunk of the last dim in the inner-dim kernel,
// where the last size has that many, else kInnerDimNarrowVectors (or as many
// as it has, when it is known). 32x1024x128 f32 dim 1, 1 thread, variants
// alternated in one process, 64-byte aligned: 8 vectors one row per step
// 20.6 GB/s, 4 vectors 15.8, 8 vectors four rows per step 12.2 (spills), 2
// vectors four rows per step (before) 12.8. This kernel against that one,
// aligned / 16 bytes past: 21.8 / 21.6 against 14.2 / 9.0.
constexpr unsigned kInnerDimVectors = 8;
constexpr unsigned kInnerDimNarrowVectors = 2;
// Rows of at least kSplitLength elements are split into segments of
// kSegment elements (a multiple of every main-loop step) across threads.
constexpr int64_t kSplitLength = 1 << 18;
constexpr int64_t kSegment = 1 << 16;

/// Emits the kernel replacing one nn op. Its parts live in files of their
/// own: the vector math (VectorMath.cpp), horizontal reductions
/// (Reductions.cpp), the online max/sum accumulators (OnlineAccumulator.cpp),
/// the row read and write passes (RowPasses.cpp), one file per log-softmax
/// strategy (LastDimKernel.cpp, ShortRowGroupsKernel.cpp,
/// SplitRowsKernel.cpp, InnerDimKernel.cpp), and the kernels of the training
/// ops (CrossEntropyKernel.cpp, SoftmaxKernels.cpp); LowerNNToVector.cpp
/// picks the strategy.
class KernelEmitter {
public:
  /// Emits at `builder`'s insertion point, at `loc`, kernels reading
  /// `inElt` elements and writing `outElt` ones (computing in
  /// LogSoftmaxOp::getComputeType(outElt)).
  KernelEmitter(OpBuilder &builder, Location loc, Type inElt, Type outElt,
                const VectorKernelOptions &options)
      : b(loc, builder), options(options), inElt(inElt), outElt(outElt) {
    cType = LogSoftmaxOp::getComputeType(outElt);
    // A power of two: the horizontal reductions halve the vector.
    lanes = llvm::bit_floor<uint64_t>(std::max<uint64_t>(
        1, options.vectorBits / cType.getIntOrFloatBitWidth()));
    inVec = VectorType::get({lanes}, inElt);
    cVec = VectorType::get({lanes}, cType);
    outVec = VectorType::get({lanes}, outElt);
    numAcc = std::max(1u, options.accumulators);
    numBlock = std::max(1u, options.blockVectors);
  }

  /// The kernel of `op` (rank >= 1, no static size 0); its result.
  Value emitLogSoftmax(LogSoftmaxOp op);
  /// The kernel of nn.cross_entropy (logits of any rank); its result.
  Value emitCrossEntropy(CrossEntropyOp op);
  /// The kernel of nn.cross_entropy_grad (logits of any rank).
  Value emitCrossEntropyGrad(CrossEntropyGradOp op);
  /// The kernels of nn.softmax and nn.logsoftmax_grad (rank >= 1, any
  /// dim).
  Value emitSoftmax(SoftmaxOp op);
  Value emitLogSoftmaxGrad(LogSoftmaxGradOp op);

private:
  using Indexer1 = std::function<SmallVector<Value>(Value)>;
  struct LastDimRows;

  // Constants.
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value indexValue(OpFoldResult v) {
    return getValueOrCreateConstantIndexOp(b, b.getLoc(), v);
  }
  Value scalar(double v) {
    return arith::ConstantOp::create(b, cType, b.getFloatAttr(cType, v));
  }
  Value splat(double v, VectorType type) {
    return arith::ConstantOp::create(
        b, type,
        DenseElementsAttr::get(type, b.getFloatAttr(type.getElementType(), v)));
  }
  Value splat(double v) { return splat(v, cVec); }
  /// `tensor` as `type` (a tensor.cast where the static sizes differ).
  Value castTo(Value tensor, Type type) {
    return tensor.getType() == type
               ? tensor
               : tensor::CastOp::create(b, type, tensor).getResult();
  }
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
    return arith::AddFOp::create(b, x, y, contract());
  }
  Value sub(Value x, Value y) {
    return arith::SubFOp::create(b, x, y, contract());
  }
  Value mul(Value x, Value y) {
    return arith::MulFOp::create(b, x, y, contract());
  }
  /// a * b + c, fused where the target has FMA (llvm.fmuladd). Unlike
  /// add(mul()), two of these with the same product are not merged into one
  /// rounded product shared by both.
  Value fma(Value a, Value b, Value c) {
    return vector::FMAOp::create(this->b, a, b, c);
  }
  Value max(Value x, Value y) { return arith::MaximumFOp::create(b, x, y); }

  /// The larger of x and y, either one when one is NaN: one instruction on
  /// x86, where arith.maximumf needs several. It is used only for the running
  /// maxima of the read pass, where losing a NaN is harmless: a NaN input
  /// makes exp(x - max) NaN, hence the sum and every result of its slice.
  Value runningMax(Value x, Value y) {
    Value greater = arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, x, y);
    return arith::SelectOp::create(b, greater, x, y);
  }

  /// `m`, or 0 where `m` is -inf, so that exp(x - safe(m)) is never
  /// exp(-inf - -inf) = NaN for a slice (or lane) that has only seen -inf.
  Value safeMax(Value m, Value zero, Value negInf) {
    Value isNegInf =
        arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, m, negInf);
    return arith::SelectOp::create(b, isNegInf, zero, m);
  }

  Value exp(Value v);
  Value log(Value v);

  using Combine = function_ref<Value(Value, Value)>;

  /// The lanes of `v` combined by halving: lane i with lane i + lanes/2, and
  /// so on. transposeReduce combines each of its vectors in the same order,
  /// so a row gives the same bits through either.
  Value reduceHalving(Value v, Combine combine);

  /// The maximum of the lanes of `v` with runningMax: a NaN lane may be
  /// dropped, which the sum catches (see runningMax).
  Value reduceRunningMax(Value v);

  /// `lanes` vectors reduced horizontally at once: lane r of the result is
  /// vs[r]'s lanes combined as reduceHalving does. Each level pairs vector i
  /// with vector i + half and interleaves their halves, so that every
  /// shuffle and combine works for two rows: lanes - 1 combines and twice as
  /// many two-source shuffles for all rows, where reducing each row alone
  /// takes lanes * log2(lanes) of each.
  Value transposeReduce(ArrayRef<Value> vs, Combine combine);

  /// Lane `r` of `v` in every lane.
  Value broadcastLane(Value v, int64_t r) {
    return vector::ShuffleOp::create(b, v, v, SmallVector<int64_t>(lanes, r));
  }

  /// Reads a vector at `indices` of `source`, widened to the compute type.
  /// Out-of-bounds lanes read `padding` unless `inBounds`.
  Value load(Value source, ValueRange indices, bool inBounds, double padding) {
    Value pad =
        arith::ConstantOp::create(b, inElt, b.getFloatAttr(inElt, padding));
    Value v = vector::TransferReadOp::create(b, inVec, source, indices, pad,
                                             ArrayRef<bool>{inBounds});
    return inElt == cType ? v : arith::ExtFOp::create(b, cVec, v);
  }

  /// Writes `y` (compute type) rounded to the result type.
  Value store(Value y, Value dest, ValueRange indices, bool inBounds) {
    if (outElt != cType)
      y = arith::TruncFOp::create(b, outVec, y);
    return vector::TransferWriteOp::create(b, y, dest, indices,
                                           ArrayRef<bool>{inBounds})
        .getResult();
  }

  /// The sum of `terms`, added pairwise.
  Value sumPairwise(SmallVector<Value> terms);

  /// The lane-wise maximum of a block of vectors (runningMax).
  Value blockMaximum(ArrayRef<Value> xs);

  /// The sum of exp(x - ref) over the block `xs`, added pairwise.
  Value sumOfExps(ArrayRef<Value> xs, Value ref);

  /// One online step: folds the vectors `xs` into the running (max, sum).
  std::pair<Value, Value> update(Value m, Value s, ArrayRef<Value> xs);

  /// One step of the main read loop, like update() but with the exps taken
  /// relative to a lagging reference `r` instead of the block's running
  /// maximum: `s` is the sum of exp(x - r). `r` moves up to the running
  /// maximum only when a block holds an element x with x - r above
  /// kReferenceSlack (a test and a rarely taken branch), lane by lane (a lane
  /// that has seen only -inf keeps its reference), so the exps do not wait for
  /// the block's maximum: terms up to e^64 are fine in f32. `r` starts at the
  /// lowest finite value, so that the first finite element moves it and -inf
  /// elements give exp(-inf - r) = exp(lowest), never NaN. Returns the new
  /// (r, m, s); the true maximum `m` is kept beside for the end of the chunk.
  std::tuple<Value, Value, Value> updateLagged(Value r, Value m, Value s,
                                               ArrayRef<Value> xs);

  /// Fresh updateLagged accumulators: numAcc references at the lowest finite
  /// value, numAcc maxima at -inf, numAcc sums at 0.
  SmallVector<Value> initialLagged();

  /// numAcc (reference, maximum, sum) triples of updateLagged, as numAcc
  /// maxima and numAcc sums relative to them.
  SmallVector<Value> laggedToPairs(ValueRange lagged);

  /// The end of the whole steps of `step` from `start` towards `end`.
  Value wholeStepsEnd(Value start, Value end, Value step) {
    Value length = arith::SubIOp::create(b, end, start);
    Value steps = arith::DivUIOp::create(b, length, step);
    return arith::AddIOp::create(b, start,
                                 arith::MulIOp::create(b, steps, step));
  }

  /// Fresh (max, sum) accumulators: numAcc maxima at -inf, numAcc sums at 0.
  SmallVector<Value> initialAccumulators();

  /// Merges the (max, sum) accumulators `part` into `total`.
  SmallVector<Value> merge(ValueRange total, ValueRange part);

  /// Merges two (max, sum) vector pairs, rescaling both sums to the new max.
  std::pair<Value, Value> mergePair(Value m1, Value s1, Value m2, Value s2);

  /// Runs `body(start, end, accumulators)` over [0, ub) in chunks of `chunk`,
  /// each from fresh accumulators merged into running ones afterwards: every
  /// f32 sum then adds up short runs, which keeps its rounding error low on
  /// slices of hundreds of thousands of elements.
  SmallVector<Value>
  chunked(Value lb, Value ub, int64_t chunk,
          function_ref<SmallVector<Value>(Value, Value, ValueRange)> body);

  // Pieces of the last-dimension kernels; `at(j)` gives the input indices of
  // element j of the current row.
  SmallVector<Value> readRowRange(Value input, const Indexer1 &at, Value start,
                                  Value end);
  std::pair<Value, Value> combineAccumulators(ArrayRef<Value> accs);
  /// The read pass over elements [0, length) of a row, its accumulators
  /// merged into one (max, sum) pair of lane vectors.
  std::pair<Value, Value> readRow(Value input, const Indexer1 &at,
                                  Value length) {
    return combineAccumulators(readRowRange(input, at, index(0), length));
  }
  /// The row's maximum and sum(exp(x - maximum)) from its lane vectors.
  std::pair<Value, Value> finishRowSum(Value laneMax, Value laneSum);
  /// The row's maximum and log(sum(exp(x - maximum))).
  std::pair<Value, Value> finishRow(Value laneMax, Value laneSum) {
    auto [rowMax, rowSum] = finishRowSum(laneMax, laneSum);
    return {rowMax, math::LogOp::create(b, rowSum)};
  }
  /// Computes epilogue(x, broadcasts of `rowScalars`) for the vectors x of
  /// elements [start, end) of the row and writes it into `dest`, element j
  /// at destAt(j).
  using RowEpilogue = function_ref<Value(Value x, ArrayRef<Value>)>;
  Value writeRowRange(Value input, const Indexer1 &at, Value dest,
                      const Indexer1 &destAt, Value start, Value end,
                      ArrayRef<Value> rowScalars, RowEpilogue epilogue);
  /// The log-softmax epilogue (x - max) - log(sum), from {max, log(sum)}.
  Value logSoftmaxEpilogue(Value x, ArrayRef<Value> maxAndLogSum) {
    return sub(sub(x, maxAndLogSum[0]), maxAndLogSum[1]);
  }
  /// The sum of term(x) over elements [start, end) of the row (in the compute
  /// type), added in f64 lanes: an f32 sum of a row of 65536 loses 2e-5.
  Value sumRowRange(Value input, const Indexer1 &at, Value start, Value end,
                    function_ref<Value(Value)> term);

  Value emitLastDim(Value input, Value init, ArrayRef<OpFoldResult> sizes);
  Value emitSplitRows(Value input, Value init, ArrayRef<OpFoldResult> sizes);
  Value emitShortRowGroups(Value input, Value init,
                           ArrayRef<OpFoldResult> sizes);
  /// What the inner-dim kernel computes along its dim.
  enum class InnerDimOp {
    /// (x - max) - log(sum of exp(x - max)).
    LogSoftmax,
    /// exp(x - max) * (1 / sum).
    Softmax,
    /// g - exp(y) * sum(g), for g in `input` and y in `aux`.
    LogSoftmaxGrad,
    /// g * (exp(x - max) * (1 / sum) - label) along the classes (dim 1) of
    /// [N, C, d...] logits: nn.cross_entropy_grad (InnerDimCrossEntropy).
    CrossEntropyGrad,
    /// Each sample's loss along the classes (dim 1) of [N, C, d...] logits,
    /// into an output of the target's shape: nn.cross_entropy.
    CrossEntropy,
  };
  /// nn.cross_entropy_grad's part of the inner-dim kernel: a lane per
  /// sample.
  struct InnerDimCrossEntropy {
    /// The targets ([N, d...]); grad_loss of that shape for "none", else
    /// null and `scalarG` the factor of every sample (over the count for
    /// "mean"), in the compute type.
    Value target, gradLoss, scalarG;
    /// The number of classes, as i64.
    Value classes;
    int64_t ignoreIndex;
    double smoothing;
  };
  /// The targets and attributes of a cross-entropy op on logits of `sizes`.
  template <typename OpTy>
  InnerDimCrossEntropy innerDimCrossEntropy(OpTy op,
                                            ArrayRef<OpFoldResult> sizes) {
    InnerDimCrossEntropy ce;
    ce.target = op.getTarget();
    ce.ignoreIndex = op.getIgnoreIndex();
    ce.smoothing = op.getLabelSmoothing().convertToDouble();
    ce.classes =
        arith::IndexCastOp::create(b, b.getI64Type(), indexValue(sizes[1]));
    return ce;
  }
  /// Slices along `dim`, not the last, computing `op`.
  Value emitInnerDim(Value input, Value init, ArrayRef<OpFoldResult> sizes,
                     int64_t dim, InnerDimOp op = InnerDimOp::LogSoftmax,
                     Value aux = {},
                     const InnerDimCrossEntropy *crossEntropy = nullptr);
  Value emitInnerDimChunks(Value input, Value init,
                           ArrayRef<OpFoldResult> sizes, int64_t dim,
                           unsigned vectors, InnerDimOp op, Value aux,
                           const InnerDimCrossEntropy *crossEntropy);
  /// nn.cross_entropy and its gradient on [N, C, d...] logits: the
  /// inner-dim kernel along the classes (CrossEntropyKernel.cpp).
  Value emitCrossEntropyInnerDim(CrossEntropyOp op);
  Value emitCrossEntropyGradInnerDim(CrossEntropyGradOp op);
  /// The number of elements of `target` that are not `ignoreIndex`, as i64.
  Value countCounted(Value target, int64_t ignoreIndex);
  /// exp(y) for a log-probability y (<= 0 up to rounding), accurate down
  /// to the subnormal results (SoftmaxKernels.cpp).
  Value expOfLogProbability(Value y);

  ImplicitLocOpBuilder b;
  VectorKernelOptions options;
  Type inElt, outElt, cType;
  int64_t lanes;
  VectorType inVec, cVec, outVec;
  unsigned numAcc, numBlock;
  /// exp with the f32 polynomial even for f16 and bf16 results: the training
  /// ops subtract exp's results from other terms (p - 1, g - p * sum), where
  /// the 1e-4 of the short polynomial would show through the rounding.
  bool accurateExp = false;
};

} // namespace mlir::nn::detail

#endif // NN_LIB_CONVERSION_NNTOVECTOR_KERNELEMITTER_H
