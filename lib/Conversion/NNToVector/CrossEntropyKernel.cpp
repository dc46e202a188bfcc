//===- CrossEntropyKernel.cpp - Cross-entropy and its gradient -----------===//
//
// nn.cross_entropy and nn.cross_entropy_grad on [N, C] (or [C]) logits, one
// forall iteration per sample, on the row machinery of nn.logsoftmax: the
// read pass gives each row's max and exp-sum in one read. The forward then
// reads only the target's logit and never writes log-probabilities (one read
// of the logits); the gradient writes softmax minus the smoothed one-hot,
// scaled, in one write pass (one read and one write). [N, C, d...] logits
// take nn.logsoftmax's inner-dim kernel along the classes, a lane per
// sample (InnerDimKernel.cpp).
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "ParallelTiles.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The operands and attributes both ops share, and the per-sample helpers.
struct CrossEntropyRows {
  template <typename OpTy>
  CrossEntropyRows(ImplicitLocOpBuilder &b, OpTy op)
      : b(b), logits(op.getLogits()), target(op.getTarget()),
        rank(op.getLogitsType().getRank()), ignoreIndex(op.getIgnoreIndex()),
        smoothing(op.getLabelSmoothing().convertToDouble()),
        reduction(op.getReductionKind()) {
    sizes = tensor::getMixedSizes(b, b.getLoc(), logits);
    classes = getValueOrCreateConstantIndexOp(b, b.getLoc(), sizes.back());
    numClasses = arith::IndexCastOp::create(b, b.getI64Type(), classes);
  }

  /// The number of samples: N, or 1 for [C] logits.
  OpFoldResult numSamples() {
    return rank == 2 ? sizes[0] : OpFoldResult(b.getIndexAttr(1));
  }
  /// The indices of sample `row` in the target ([] for [C] logits).
  SmallVector<Value> sampleAt(Value row) {
    return rank == 2 ? SmallVector<Value>{row} : SmallVector<Value>{};
  }
  /// The indices of element j of sample `row` in the logits.
  std::function<SmallVector<Value>(Value)> logitsAt(Value row) {
    return [this, row](Value j) {
      SmallVector<Value> indices = sampleAt(row);
      indices.push_back(j);
      return indices;
    };
  }
  /// Target `row` as i64.
  Value targetOf(Value row) {
    Value t = tensor::ExtractOp::create(b, target, sampleAt(row));
    return t.getType().isInteger(64)
               ? t
               : arith::ExtSIOp::create(b, b.getI64Type(), t);
  }
  Value isIgnored(Value t) {
    return arith::CmpIOp::create(
        b, arith::CmpIPredicate::eq, t,
        arith::ConstantIntOp::create(b, ignoreIndex, 64));
  }
  Value isInRange(Value t) {
    Value zero = arith::ConstantIntOp::create(b, 0, 64);
    return arith::AndIOp::create(
        b, arith::CmpIOp::create(b, arith::CmpIPredicate::sge, t, zero),
        arith::CmpIOp::create(b, arith::CmpIPredicate::slt, t, numClasses));
  }

  ImplicitLocOpBuilder &b;
  Value logits, target;
  int64_t rank, ignoreIndex;
  double smoothing;
  LossReduction reduction;
  SmallVector<OpFoldResult> sizes;
  Value classes, numClasses;
};

} // namespace

Value KernelEmitter::emitCrossEntropy(CrossEntropyOp op) {
  accurateExp = true;
  if (op.getLogitsType().getRank() >= 3)
    return emitCrossEntropyInnerDim(op);
  CrossEntropyRows rows(b, op);
  Value zeroIdx = index(0);
  Value cNaN = scalar(kNaN), cZero = scalar(0.0);
  Value classCount = arith::SIToFPOp::create(b, cType, rows.numClasses);
  bool perSample = rows.reduction == LossReduction::None;
  // One loss per sample: in the result type for "none", else in the compute
  // type for the sum that follows.
  Type sampleElt = perSample ? outElt : cType;
  Value samplesInit = tensor::EmptyOp::create(
      b, ArrayRef<OpFoldResult>{rows.numSamples()}, sampleElt);

  ParallelTiles forall(b, {rows.numSamples()}, ValueRange{samplesInit});
  Value row = rows.rank == 2 ? forall.ivs()[0] : zeroIdx;
  Indexer1 at = rows.logitsAt(row);
  auto [laneMax, laneSum] = readRow(rows.logits, at, rows.classes);
  auto [rowMax, logSum] = finishRow(laneMax, laneSum);
  Value t = rows.targetOf(row);
  Value inRange = rows.isInRange(t);
  // The target's logit, read only when it exists.
  Value logit =
      scf::IfOp::create(
          b, inRange,
          [&](OpBuilder &, Location) {
            Value x = tensor::ExtractOp::create(
                b, rows.logits,
                at(arith::IndexCastOp::create(b, b.getIndexType(), t)));
            if (inElt != cType)
              x = arith::ExtFOp::create(b, cType, x);
            scf::YieldOp::create(b, x);
          },
          [&](OpBuilder &, Location) { scf::YieldOp::create(b, cNaN); })
          .getResult(0);
  // -log_softmax[t] = log(sum) - (x[t] - max): the difference of two
  // logits before anything large is added, so that large logits keep their
  // precision (and never overflow).
  Value loss =
      arith::SubFOp::create(b, logSum, arith::SubFOp::create(b, logit, rowMax));
  if (rows.smoothing > 0.0) {
    // With w = e / C: (1 - e) * loss + w * sum_c(log(sum) - (x_c - max))
    //   = log(sum) - (1 - e) * (x[t] - max) - sum_c w * (x_c - max).
    Value weight = arith::DivFOp::create(b, scalar(rows.smoothing), classCount);
    Value maxVec = vector::BroadcastOp::create(b, cVec, rowMax);
    Value weightVec = vector::BroadcastOp::create(b, cVec, weight);
    Value spread =
        sumRowRange(rows.logits, at, zeroIdx, rows.classes,
                    [&](Value x) { return mul(sub(x, maxVec), weightVec); });
    Value shifted = arith::SubFOp::create(b, logit, rowMax);
    loss = arith::SubFOp::create(
        b,
        arith::SubFOp::create(
            b, logSum,
            arith::MulFOp::create(b, scalar(1.0 - rows.smoothing), shifted)),
        spread);
  }
  loss = arith::SelectOp::create(b, rows.isIgnored(t), cZero, loss);
  if (sampleElt != cType)
    loss = arith::TruncFOp::create(b, sampleElt, loss);
  Value slice = forall.extract(0, {row}, {b.getIndexAttr(1)});
  slice = tensor::InsertOp::create(b, loss, slice, ValueRange{zeroIdx});
  Value samples = forall.finish(slice)[0];

  auto lossType = cast<RankedTensorType>(op.getLoss().getType());
  if (perSample) {
    if (rows.rank == 2)
      return castTo(samples, lossType);
    // [C] logits: a rank-0 loss.
    return tensor::CollapseShapeOp::create(b, lossType, samples,
                                           ArrayRef<ReassociationIndices>{});
  }

  // "sum" and "mean": the losses and the samples not ignored, added in f64
  // in sample order.
  Type f64 = b.getF64Type();
  Value zero64 = arith::ConstantOp::create(b, f64, b.getF64FloatAttr(0.0));
  Value one64 = arith::ConstantOp::create(b, f64, b.getF64FloatAttr(1.0));
  auto totals = scf::ForOp::create(
      b, zeroIdx, indexValue(rows.numSamples()), index(1),
      ValueRange{zero64, zero64},
      [&](OpBuilder &, Location, Value i, ValueRange iter) {
        Value l = tensor::ExtractOp::create(b, samples, ValueRange{i});
        Value counted = arith::SelectOp::create(
            b, rows.isIgnored(rows.targetOf(i)), zero64, one64);
        scf::YieldOp::create(
            b, ValueRange{arith::AddFOp::create(
                              b, iter[0], arith::ExtFOp::create(b, f64, l)),
                          arith::AddFOp::create(b, iter[1], counted)});
      });
  Value result = totals.getResult(0);
  if (rows.reduction == LossReduction::Mean)
    result = arith::DivFOp::create(b, result, totals.getResult(1));
  // f64 -> bf16 goes through f32 (no __truncdfbf2 to call).
  if (outElt.isBF16())
    result = arith::TruncFOp::create(b, b.getF32Type(), result);
  if (outElt != result.getType())
    result = arith::TruncFOp::create(b, outElt, result);
  return tensor::FromElementsOp::create(b, lossType, result);
}

Value KernelEmitter::countCounted(Value target, int64_t ignoreIndex) {
  int64_t rank = cast<RankedTensorType>(target.getType()).getRank();
  ReassociationIndices all;
  for (int64_t i = 0; i < rank; ++i)
    all.push_back(i);
  Value flat = rank == 1 ? target
                         : tensor::CollapseShapeOp::create(
                               b, target, ArrayRef<ReassociationIndices>{all})
                               .getResult();
  Value samples = tensor::DimOp::create(b, flat, 0);
  Value ignore = arith::ConstantIntOp::create(b, ignoreIndex, 64);
  Value zero64 = arith::ConstantIntOp::create(b, 0, 64);
  Value one64 = arith::ConstantIntOp::create(b, 1, 64);
  return scf::ForOp::create(
             b, index(0), samples, index(1), ValueRange{zero64},
             [&](OpBuilder &, Location, Value i, ValueRange iter) {
               Value t = tensor::ExtractOp::create(b, flat, ValueRange{i});
               if (!t.getType().isInteger(64))
                 t = arith::ExtSIOp::create(b, b.getI64Type(), t);
               Value ignored = arith::CmpIOp::create(
                   b, arith::CmpIPredicate::eq, t, ignore);
               Value counted =
                   arith::SelectOp::create(b, ignored, zero64, one64);
               scf::YieldOp::create(
                   b, arith::AddIOp::create(b, iter[0], counted).getResult());
             })
      .getResult(0);
}

Value KernelEmitter::emitCrossEntropyInnerDim(CrossEntropyOp op) {
  Value logits = op.getLogits(), target = op.getTarget();
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, b.getLoc(), logits);
  InnerDimCrossEntropy ce = innerDimCrossEntropy(op, sizes);
  LossReduction reduction = op.getReductionKind();
  // One loss per sample: the result for "none", else f64 terms added below
  // in a fixed order, as the [N, C] kernel adds them.
  Type lossElt = reduction == LossReduction::None ? outElt : b.getF64Type();
  Value init = tensor::EmptyOp::create(
      b, tensor::getMixedSizes(b, b.getLoc(), target), lossElt);
  Value losses = emitInnerDim(logits, init, sizes, /*dim=*/1,
                              InnerDimOp::CrossEntropy, Value(), &ce);
  auto lossType = cast<RankedTensorType>(op.getLoss().getType());
  if (reduction == LossReduction::None)
    return castTo(losses, lossType);
  int64_t rank = cast<RankedTensorType>(losses.getType()).getRank();
  ReassociationIndices all;
  for (int64_t i = 0; i < rank; ++i)
    all.push_back(i);
  Value flat = tensor::CollapseShapeOp::create(
      b, losses, ArrayRef<ReassociationIndices>{all});
  Value f64Zero = arith::ConstantOp::create(b, b.getF64FloatAttr(0.0));
  Value total =
      scf::ForOp::create(
          b, index(0), tensor::DimOp::create(b, flat, 0), index(1),
          ValueRange{f64Zero},
          [&](OpBuilder &, Location, Value i, ValueRange iter) {
            Value loss = tensor::ExtractOp::create(b, flat, ValueRange{i});
            scf::YieldOp::create(
                b, arith::AddFOp::create(b, iter[0], loss).getResult());
          })
          .getResult(0);
  // "mean" over the samples not ignored: 0 / 0 = NaN for none, as PyTorch.
  if (reduction == LossReduction::Mean)
    total = arith::DivFOp::create(
        b, total,
        arith::SIToFPOp::create(b, b.getF64Type(),
                                countCounted(target, ce.ignoreIndex)));
  // f64 -> bf16 goes through f32 (no __truncdfbf2 to call).
  if (outElt.isBF16())
    total = arith::TruncFOp::create(b, b.getF32Type(), total);
  if (outElt != total.getType())
    total = arith::TruncFOp::create(b, outElt, total);
  return tensor::FromElementsOp::create(b, lossType, total);
}

Value KernelEmitter::emitCrossEntropyGradInnerDim(CrossEntropyGradOp op) {
  Value logits = op.getLogits(), target = op.getTarget();
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, b.getLoc(), logits);
  Value init = tensor::EmptyOp::create(b, sizes, outElt);
  InnerDimCrossEntropy ce = innerDimCrossEntropy(op, sizes);
  LossReduction reduction = op.getReductionKind();
  if (reduction == LossReduction::None) {
    ce.gradLoss = op.getGradLoss();
  } else {
    Value g = tensor::ExtractOp::create(b, op.getGradLoss(), ValueRange{});
    if (g.getType() != cType)
      g = arith::ExtFOp::create(b, cType, g);
    if (reduction == LossReduction::Mean)
      g = arith::DivFOp::create(
          b, g,
          arith::SIToFPOp::create(b, cType,
                                  countCounted(target, ce.ignoreIndex)));
    ce.scalarG = g;
  }
  Value grad = emitInnerDim(logits, init, sizes, /*dim=*/1,
                            InnerDimOp::CrossEntropyGrad, Value(), &ce);
  return castTo(grad, op.getGradLogits().getType());
}

Value KernelEmitter::emitCrossEntropyGrad(CrossEntropyGradOp op) {
  accurateExp = true;
  if (op.getLogitsType().getRank() >= 3)
    return emitCrossEntropyGradInnerDim(op);
  CrossEntropyRows rows(b, op);
  Value zeroIdx = index(0), oneIdx = index(1);
  Value cNaN = scalar(kNaN), cZero = scalar(0.0);
  Value classCount = arith::SIToFPOp::create(b, cType, rows.numClasses);
  Value spread = arith::DivFOp::create(b, scalar(rows.smoothing), classCount);
  bool perSample = rows.reduction == LossReduction::None;
  Value gradLoss = op.getGradLoss();

  // "mean" divides by the samples not ignored.
  Value count;
  if (rows.reduction == LossReduction::Mean) {
    Value zero64 = arith::ConstantIntOp::create(b, 0, 64);
    Value one64 = arith::ConstantIntOp::create(b, 1, 64);
    count =
        scf::ForOp::create(
            b, zeroIdx, indexValue(rows.numSamples()), oneIdx,
            ValueRange{zero64},
            [&](OpBuilder &, Location, Value i, ValueRange iter) {
              Value counted = arith::SelectOp::create(
                  b, rows.isIgnored(rows.targetOf(i)), zero64, one64);
              scf::YieldOp::create(
                  b, arith::AddIOp::create(b, iter[0], counted).getResult());
            })
            .getResult(0);
    count = arith::SIToFPOp::create(b, cType, count);
  }

  Value init = tensor::EmptyOp::create(b, rows.sizes, outElt);
  ParallelTiles forall(b, {rows.numSamples()}, ValueRange{init});
  Value row = rows.rank == 2 ? forall.ivs()[0] : zeroIdx;
  Indexer1 at = rows.logitsAt(row);
  SmallVector<OpFoldResult> offsets, sliceSizes;
  if (rows.rank == 2) {
    offsets.push_back(row);
    sliceSizes.push_back(b.getIndexAttr(1));
  }
  offsets.push_back(b.getIndexAttr(0));
  sliceSizes.push_back(rows.sizes.back());
  Value slice = forall.extract(0, offsets, sliceSizes);
  Indexer1 sliceAt = [&](Value j) {
    SmallVector<Value> indices(rows.rank - 1, zeroIdx);
    indices.push_back(j);
    return indices;
  };

  auto [laneMax, laneSum] = readRow(rows.logits, at, rows.classes);
  // Named values, not structured bindings: a lambda below captures rowMax.
  Value rowMax, rowSum;
  std::tie(rowMax, rowSum) = finishRowSum(laneMax, laneSum);
  Value invSum = arith::DivFOp::create(b, scalar(1.0), rowSum);

  // The sample's factor g: grad_loss (per sample for "none"), over the count
  // for "mean"; NaN for a target out of range. An ignored sample gets 0 and
  // no label, so that its row is softmax * 0 as in PyTorch's autograd.
  Value t = rows.targetOf(row);
  Value g = tensor::ExtractOp::create(
      b, gradLoss, perSample ? rows.sampleAt(row) : SmallVector<Value>{});
  if (g.getType() != cType)
    g = arith::ExtFOp::create(b, cType, g);
  if (count)
    g = arith::DivFOp::create(b, g, count);
  Value ignored = rows.isIgnored(t), inRange = rows.isInRange(t);
  g = arith::SelectOp::create(b, inRange, g, cNaN);
  g = arith::SelectOp::create(b, ignored, cZero, g);
  Value rowSpread = arith::SelectOp::create(b, ignored, cZero, spread);

  // g * (exp(x - max) / sum - e / C) for every class. The unguarded max
  // keeps a row of all -inf NaN, as softmax gives.
  Value written = writeRowRange(rows.logits, at, slice, sliceAt, zeroIdx,
                                rows.classes, {rowMax, invSum, g, rowSpread},
                                [&](Value x, ArrayRef<Value> s) {
                                  Value p = mul(exp(sub(x, s[0])), s[1]);
                                  return mul(s[2], sub(p, s[3]));
                                });
  // Then the target's class again, with (1 - e) more taken off.
  Value hit = arith::AndIOp::create(
      b, inRange,
      arith::XOrIOp::create(b, ignored, arith::ConstantIntOp::create(b, 1, 1)));
  written =
      scf::IfOp::create(
          b, hit,
          [&](OpBuilder &, Location) {
            Value ti = arith::IndexCastOp::create(b, b.getIndexType(), t);
            Value x = tensor::ExtractOp::create(b, rows.logits, at(ti));
            if (inElt != cType)
              x = arith::ExtFOp::create(b, cType, x);
            Value p = arith::MulFOp::create(
                b, math::ExpOp::create(b, arith::SubFOp::create(b, x, rowMax)),
                invSum);
            Value label =
                arith::AddFOp::create(b, scalar(1.0 - rows.smoothing), spread);
            Value y =
                arith::MulFOp::create(b, g, arith::SubFOp::create(b, p, label));
            if (outElt != cType)
              y = arith::TruncFOp::create(b, outElt, y);
            scf::YieldOp::create(
                b, tensor::InsertOp::create(b, y, written, sliceAt(ti))
                       .getResult());
          },
          [&](OpBuilder &, Location) { scf::YieldOp::create(b, written); })
          .getResult(0);
  Value grad = forall.finish(written)[0];
  return castTo(grad, op.getGradLogits().getType());
}
