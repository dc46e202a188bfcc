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

#include <cmath>

namespace mlir::nn {
#define GEN_PASS_DEF_CONVERTNNTOVECTORPASS
#include "nn/Conversion/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;
using namespace mlir::nn;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

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
    lanes = std::max<int64_t>(
        1, options.vectorBits / cType.getIntOrFloatBitWidth());
    inVec = VectorType::get({lanes}, inElt);
    cVec = VectorType::get({lanes}, cType);
    outVec = VectorType::get({lanes}, outElt);
    numAcc = std::max(1u, options.accumulators);
    numBlock = std::max(1u, options.blockVectors);
  }

  Value emit();

private:
  using Indexer = std::function<SmallVector<Value>(Value, Value)>;

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
  Value max(Value x, Value y) { return arith::MaximumFOp::create(b, loc, x, y); }

  /// `m`, or 0 where `m` is -inf, so that exp(x - safe(m)) is never
  /// exp(-inf - -inf) = NaN for a slice (or lane) that has only seen -inf.
  Value safeMax(Value m, Value zero, Value negInf) {
    Value isNegInf =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, m, negInf);
    return arith::SelectOp::create(b, loc, isNegInf, zero, m);
  }

  Value exp(Value v);

  /// Reads a vector at `indices` of `source`, widened to the compute type.
  /// Out-of-bounds lanes read `padding` unless `inBounds`.
  Value load(Value source, ValueRange indices, bool inBounds, double padding) {
    Value pad =
        arith::ConstantOp::create(b, loc, inElt, b.getFloatAttr(inElt, padding));
    Value v = vector::TransferReadOp::create(b, loc, inVec, source, indices, pad,
                                             ArrayRef<bool>{inBounds});
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

  /// One online step: folds the vectors `xs` into the running (max, sum).
  std::pair<Value, Value> update(Value m, Value s, ArrayRef<Value> xs) {
    Value blockMax = xs.front();
    for (Value x : xs.drop_front())
      blockMax = max(blockMax, x);
    Value newMax = max(m, blockMax);
    Value safe = safeMax(newMax, splat(0.0), splat(-kInf));
    Value sum = mul(s, exp(sub(m, safe)));
    for (Value x : xs)
      sum = add(sum, exp(sub(x, safe)));
    return {newMax, sum};
  }

  Value emitLastDim(Value input, Value init, bool hasOuter);
  Value emitInnerDim(Value input, Value init, bool hasOuter, int64_t innerSize);

  OpBuilder &b;
  Location loc;
  LogSoftmaxOp op;
  VectorKernelOptions options;
  Type inElt, outElt, cType;
  int64_t lanes;
  VectorType inVec, cVec, outVec;
  unsigned numAcc, numBlock;
};

/// exp(v) for v <= 0 or NaN, as a polynomial after Cody-Waite range
/// reduction: v = n*ln2 + r, |r| <= ln2/2, exp(v) = 2^n * p(r). Results below
/// the smallest normal flush to 0 (they are below 1e-37 relative to a sum that
/// is at least 1); -inf gives 0 and NaN stays NaN.
Value KernelEmitter::exp(Value v) {
  bool isF64 = cType.isF64();
  auto intVec = VectorType::get({lanes}, isF64 ? b.getI64Type() : b.getI32Type());
  double lowest = isF64 ? -708.0 : -87.0;
  double ln2Hi = isF64 ? 6.93147180369123816490e-01 : 0.693359375;
  double ln2Lo = isF64 ? 1.90821492927058770002e-10 : -2.12194440e-4;
  // Adding and subtracting 1.5 * 2^mantissa rounds to the nearest integer.
  double magic = isF64 ? 6755399441055744.0 : 12582912.0;
  int64_t bias = isF64 ? 1023 : 127, mantissa = isF64 ? 52 : 23;
  int degree = isF64 ? 12 : 7;

  Value low = splat(lowest);
  // The exponent comes from a finite stand-in (NaN and tiny values -> lowest),
  // so the integer conversion below never sees NaN.
  Value tooSmallOrNaN =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ULT, v, low);
  Value clamped = arith::SelectOp::create(b, loc, tooSmallOrNaN, low, v);
  Value n = sub(add(mul(clamped, splat(M_LOG2E)), splat(magic)), splat(magic));
  Value r = sub(sub(v, mul(n, splat(ln2Hi))), mul(n, splat(ln2Lo)));

  // Taylor polynomial of exp on [-ln2/2, ln2/2], Horner form.
  double coefficient = 1.0;
  for (int k = 2; k <= degree; ++k)
    coefficient /= k;
  Value p = splat(coefficient);
  for (int k = degree - 1; k >= 0; --k) {
    coefficient *= (k + 1);
    p = add(mul(p, r), splat(coefficient));
  }

  Value ni = arith::FPToSIOp::create(b, loc, intVec, n);
  Value biased = arith::AddIOp::create(
      b, loc, ni,
      arith::ConstantOp::create(b, loc, intVec,
                                DenseElementsAttr::get(
                                    intVec, b.getIntegerAttr(
                                                intVec.getElementType(), bias))));
  Value shift = arith::ConstantOp::create(
      b, loc, intVec,
      DenseElementsAttr::get(
          intVec, b.getIntegerAttr(intVec.getElementType(), mantissa)));
  Value scale = arith::BitcastOp::create(
      b, loc, cVec, arith::ShLIOp::create(b, loc, biased, shift));
  Value result = mul(p, scale);
  Value tooSmall =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, v, low);
  return arith::SelectOp::create(b, loc, tooSmall, splat(0.0), result);
}

/// Rows along the last dimension: `input` is [R, N] (or [N] without outer).
Value KernelEmitter::emitLastDim(Value input, Value init, bool hasOuter) {
  int64_t rank = hasOuter ? 2 : 1;
  Value rows = hasOuter ? tensor::DimOp::create(b, loc, input, 0).getResult()
                        : index(1);
  Value n = tensor::DimOp::create(b, loc, input, rank - 1);
  Value zeroIdx = index(0);

  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{rows}, ValueRange{init}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  Value row = forall.getInductionVar(0);
  Value shared = forall.getRegionIterArgs()[0];
  auto at = [&](Value j) -> SmallVector<Value> {
    if (hasOuter)
      return {row, j};
    return {j};
  };

  // Read pass: online max + sum over full steps, then the tail vector by
  // vector (the last one masked, padded with -inf which adds exp(-inf) = 0).
  int64_t step = lanes * numAcc * numBlock;
  Value stepIdx = index(step), lanesIdx = index(lanes);
  Value mainEnd = arith::MulIOp::create(
      b, loc, arith::DivUIOp::create(b, loc, n, stepIdx), stepIdx);
  SmallVector<Value> accs;
  for (unsigned u = 0; u < numAcc; ++u)
    accs.push_back(splat(-kInf));
  for (unsigned u = 0; u < numAcc; ++u)
    accs.push_back(splat(0.0));
  auto mainLoop = scf::ForOp::create(
      b, loc, zeroIdx, mainEnd, stepIdx, accs,
      [&](OpBuilder &, Location, Value j, ValueRange iter) {
        SmallVector<Value> next(iter.size());
        for (unsigned u = 0; u < numAcc; ++u) {
          SmallVector<Value> xs;
          for (unsigned k = 0; k < numBlock; ++k) {
            Value offset = arith::AddIOp::create(
                b, loc, j, index((u * numBlock + k) * lanes));
            xs.push_back(load(input, at(offset), /*inBounds=*/true, -kInf));
          }
          std::tie(next[u], next[numAcc + u]) =
              update(iter[u], iter[numAcc + u], xs);
        }
        scf::YieldOp::create(b, loc, next);
      });
  SmallVector<Value> results(mainLoop.getResults());
  auto tailLoop = scf::ForOp::create(
      b, loc, mainEnd, n, lanesIdx, ValueRange{results[0], results[numAcc]},
      [&](OpBuilder &, Location, Value j, ValueRange iter) {
        Value x = load(input, at(j), /*inBounds=*/false, -kInf);
        auto [m, s] = update(iter[0], iter[1], {x});
        scf::YieldOp::create(b, loc, ValueRange{m, s});
      });
  results[0] = tailLoop.getResult(0);
  results[numAcc] = tailLoop.getResult(1);

  // Combine the accumulators, then the lanes, rescaling every partial sum to
  // the common maximum.
  Value laneMax = results[0];
  for (unsigned u = 1; u < numAcc; ++u)
    laneMax = max(laneMax, results[u]);
  Value laneSafe = safeMax(laneMax, splat(0.0), splat(-kInf));
  Value laneSum = splat(0.0);
  for (unsigned u = 0; u < numAcc; ++u)
    laneSum = add(laneSum, mul(results[numAcc + u],
                               exp(sub(results[u], laneSafe))));
  Value rowMax =
      vector::ReductionOp::create(b, loc, vector::CombiningKind::MAXIMUMF,
                                  laneMax);
  Value rowSafe = safeMax(rowMax, scalar(0.0), scalar(-kInf));
  Value rowSafeVec = vector::BroadcastOp::create(b, loc, cVec, rowSafe);
  Value rowSum = vector::ReductionOp::create(
      b, loc, vector::CombiningKind::ADD,
      mul(laneSum, exp(sub(laneMax, rowSafeVec))));
  Value logSum = math::LogOp::create(b, loc, rowSum);
  Value maxVec = vector::BroadcastOp::create(b, loc, cVec, rowMax);
  Value logSumVec = vector::BroadcastOp::create(b, loc, cVec, logSum);

  // Write pass into this row of the shared output.
  SmallVector<OpFoldResult> offsets, sizes, strides;
  if (hasOuter) {
    offsets = {row, b.getIndexAttr(0)};
    sizes = {b.getIndexAttr(1), n};
    strides = {b.getIndexAttr(1), b.getIndexAttr(1)};
  } else {
    offsets = {b.getIndexAttr(0)};
    sizes = {n};
    strides = {b.getIndexAttr(1)};
  }
  Value slice = tensor::ExtractSliceOp::create(b, loc, shared, offsets, sizes,
                                               strides);
  auto sliceAt = [&](Value j) -> SmallVector<Value> {
    if (hasOuter)
      return {zeroIdx, j};
    return {j};
  };
  Value fullEnd = arith::MulIOp::create(
      b, loc, arith::DivUIOp::create(b, loc, n, lanesIdx), lanesIdx);
  auto writeBody = [&](bool inBounds) {
    return [&, inBounds](OpBuilder &, Location, Value j, ValueRange iter) {
      Value x = load(input, at(j), inBounds, 0.0);
      Value y = sub(sub(x, maxVec), logSumVec);
      scf::YieldOp::create(b, loc, store(y, iter[0], sliceAt(j), inBounds));
    };
  };
  auto writeLoop = scf::ForOp::create(b, loc, zeroIdx, fullEnd, lanesIdx,
                                      ValueRange{slice}, writeBody(true));
  auto writeTail =
      scf::ForOp::create(b, loc, fullEnd, n, lanesIdx,
                         ValueRange{writeLoop.getResult(0)}, writeBody(false));

  b.setInsertionPointToEnd(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, writeTail.getResult(0), shared,
                                        offsets, sizes, strides);
  return forall.getResult(0);
}

/// Slices along a non-last dimension: `input` is [O, D, I] (or [D, I]); the
/// lanes run along the contiguous I, so every access is unit-stride.
Value KernelEmitter::emitInnerDim(Value input, Value init, bool hasOuter,
                                  int64_t innerSize) {
  int64_t rank = hasOuter ? 3 : 2;
  Value outer = hasOuter ? tensor::DimOp::create(b, loc, input, 0).getResult()
                         : index(1);
  Value depth = tensor::DimOp::create(b, loc, input, rank - 2);
  Value inner = tensor::DimOp::create(b, loc, input, rank - 1);
  int64_t chunk = lanes * numAcc;
  // Masks are needed only when the inner size is not a known multiple.
  bool inBounds = !ShapedType::isDynamic(innerSize) && innerSize % chunk == 0;
  Value chunkIdx = index(chunk);
  Value numChunks = arith::DivUIOp::create(
      b, loc, arith::AddIOp::create(b, loc, inner, index(chunk - 1)), chunkIdx);
  Value zeroIdx = index(0), oneIdx = index(1);

  SmallVector<OpFoldResult> bounds;
  if (hasOuter)
    bounds.push_back(outer);
  bounds.push_back(numChunks);
  auto forall =
      scf::ForallOp::create(b, loc, bounds, ValueRange{init}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  Value o = hasOuter ? forall.getInductionVar(0) : Value();
  Value c = forall.getInductionVar(hasOuter ? 1 : 0);
  Value shared = forall.getRegionIterArgs()[0];
  Value i0 = arith::MulIOp::create(b, loc, c, chunkIdx);
  auto at = [&](Value d, Value i) -> SmallVector<Value> {
    if (hasOuter)
      return {o, d, i};
    return {d, i};
  };
  auto laneOffset = [&](Value base, unsigned u) -> Value {
    return u ? arith::AddIOp::create(b, loc, base, index(u * lanes)).getResult()
             : base;
  };

  // Read pass along D, numBlock rows at a time per accumulator.
  Value blockIdx = index(numBlock);
  Value mainEnd = arith::MulIOp::create(
      b, loc, arith::DivUIOp::create(b, loc, depth, blockIdx), blockIdx);
  SmallVector<Value> accs;
  for (unsigned u = 0; u < numAcc; ++u)
    accs.push_back(splat(-kInf));
  for (unsigned u = 0; u < numAcc; ++u)
    accs.push_back(splat(0.0));
  auto readStep = [&](unsigned rowsPerStep) {
    return [&, rowsPerStep](OpBuilder &, Location, Value d, ValueRange iter) {
      SmallVector<Value> next(iter.size());
      for (unsigned u = 0; u < numAcc; ++u) {
        SmallVector<Value> xs;
        for (unsigned k = 0; k < rowsPerStep; ++k) {
          Value dk = k ? arith::AddIOp::create(b, loc, d, index(k)).getResult()
                       : d;
          xs.push_back(load(input, at(dk, laneOffset(i0, u)), inBounds, -kInf));
        }
        std::tie(next[u], next[numAcc + u]) =
            update(iter[u], iter[numAcc + u], xs);
      }
      scf::YieldOp::create(b, loc, next);
    };
  };
  auto mainLoop = scf::ForOp::create(b, loc, zeroIdx, mainEnd, blockIdx, accs,
                                     readStep(numBlock));
  auto tailLoop = scf::ForOp::create(b, loc, mainEnd, depth, oneIdx,
                                     mainLoop.getResults(), readStep(1));
  SmallVector<Value> maxVecs, logSumVecs;
  for (unsigned u = 0; u < numAcc; ++u) {
    maxVecs.push_back(tailLoop.getResult(u));
    logSumVecs.push_back(math::LogOp::create(b, loc, tailLoop.getResult(numAcc + u)));
  }

  // Write pass into this [1, D, width] block of the output.
  Value width = arith::MinUIOp::create(
      b, loc, chunkIdx, arith::SubIOp::create(b, loc, inner, i0));
  SmallVector<OpFoldResult> offsets, sizes, strides;
  if (hasOuter) {
    offsets = {o, b.getIndexAttr(0), i0};
    sizes = {b.getIndexAttr(1), depth, width};
  } else {
    offsets = {b.getIndexAttr(0), i0};
    sizes = {depth, width};
  }
  strides.assign(rank, b.getIndexAttr(1));
  Value slice = tensor::ExtractSliceOp::create(b, loc, shared, offsets, sizes,
                                               strides);
  auto writeLoop = scf::ForOp::create(
      b, loc, zeroIdx, depth, oneIdx, ValueRange{slice},
      [&](OpBuilder &, Location, Value d, ValueRange iter) {
        Value dest = iter[0];
        for (unsigned u = 0; u < numAcc; ++u) {
          Value x = load(input, at(d, laneOffset(i0, u)), inBounds, 0.0);
          Value y = sub(sub(x, maxVecs[u]), logSumVecs[u]);
          SmallVector<Value> idx = hasOuter
                                       ? SmallVector<Value>{zeroIdx, d, index(u * lanes)}
                                       : SmallVector<Value>{d, index(u * lanes)};
          dest = store(y, dest, idx, inBounds);
        }
        scf::YieldOp::create(b, loc, dest);
      });

  b.setInsertionPointToEnd(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, writeLoop.getResult(0), shared,
                                        offsets, sizes, strides);
  return forall.getResult(0);
}

/// Collapses `value` by `groups` when that changes anything.
Value collapse(OpBuilder &b, Location loc, Value value,
               ArrayRef<ReassociationIndices> groups) {
  if (llvm::all_of(groups, [](const ReassociationIndices &g) {
        return g.size() == 1;
      }))
    return value;
  return tensor::CollapseShapeOp::create(b, loc, value, groups);
}

Value KernelEmitter::emit() {
  Value input = op.getInput();
  RankedTensorType inputType = op.getInputType();
  int64_t rank = inputType.getRank();
  int64_t dim = op.getNormalizedDim();

  // Dimensions after `dim` that are all static 1 make `dim` the last one.
  ArrayRef<int64_t> shape = inputType.getShape();
  bool lastDim = llvm::all_of(shape.drop_front(dim + 1),
                              [](int64_t size) { return size == 1; });
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices outerGroup, dimGroup, innerGroup;
  for (int64_t i = 0; i < rank; ++i) {
    if (i < dim)
      outerGroup.push_back(i);
    else if (i == dim || lastDim)
      dimGroup.push_back(i);
    else
      innerGroup.push_back(i);
  }
  bool hasOuter = !outerGroup.empty();
  if (hasOuter)
    groups.push_back(outerGroup);
  groups.push_back(dimGroup);
  if (!lastDim)
    groups.push_back(innerGroup);

  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, input);
  Value init = tensor::EmptyOp::create(b, loc, sizes, outElt);
  Value collapsedInput = collapse(b, loc, input, groups);
  Value collapsedInit = collapse(b, loc, init, groups);

  Value result;
  if (lastDim) {
    result = emitLastDim(collapsedInput, collapsedInit, hasOuter);
  } else {
    int64_t innerSize = 1;
    for (int64_t i : innerGroup)
      innerSize = ShapedType::isDynamic(shape[i]) || ShapedType::isDynamic(innerSize)
                      ? ShapedType::kDynamic
                      : innerSize * shape[i];
    result = emitInnerDim(collapsedInput, collapsedInit, hasOuter, innerSize);
  }
  if (result.getType() != init.getType())
    result = tensor::ExpandShapeOp::create(b, loc, init.getType(), result,
                                           groups, sizes);
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
