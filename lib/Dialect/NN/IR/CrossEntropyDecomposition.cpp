//===- CrossEntropyDecomposition.cpp - Cross-entropy as linalg stages -----===//
//
// AggregatedOpInterface for nn.cross_entropy and nn.cross_entropy_grad: the
// max and exp-sum along the classes, then one elementwise stage per sample
// (forward: the loss, reading the target's logit; gradient: softmax minus
// the smoothed one-hot, scaled), and for the forward's "sum" and "mean" a
// reduction over the samples, in f64.
//
//===----------------------------------------------------------------------===//

#include "nn/Dialect/NN/IR/NNOps.h"

#include "DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// What both ops know about their operands, with the values they compute
/// first: the row max and exp-sum along the classes, and C.
struct CrossEntropyParts {
  template <typename OpTy>
  CrossEntropyParts(OpBuilder &b, OpTy op)
      : loc(op.getLoc()), logits(op.getLogits()), target(op.getTarget()),
        rank(op.getLogitsType().getRank()), classDim(op.getClassDim()),
        ignoreIndex(op.getIgnoreIndex()),
        smoothing(op.getLabelSmoothing().convertToDouble()),
        reduction(op.getReductionKind()),
        elt(op.getLogitsType().getElementType()),
        computeType(LogSoftmaxOp::getComputeType(elt)),
        maps(b, rank, classDim) {
    sizes = tensor::getMixedSizes(b, loc, logits);
    max = reduceMax(b, loc, logits, sizes, classDim, computeType);
    sum = reduceExpSum(b, loc, logits, max, sizes, classDim, computeType);
    numClasses = arith::IndexCastOp::create(
        b, loc, b.getI64Type(),
        getValueOrCreateConstantIndexOp(b, loc, sizes[classDim]));
  }

  /// The target `t` as i64.
  Value widenTarget(OpBuilder &b, Location l, Value t) const {
    return t.getType().isInteger(64)
               ? t
               : arith::ExtSIOp::create(b, l, b.getI64Type(), t);
  }
  /// Whether `t` (i64) is ignore_index.
  Value isIgnored(OpBuilder &b, Location l, Value t) const {
    Value ignore = arith::ConstantIntOp::create(b, l, ignoreIndex, 64);
    return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, t, ignore);
  }
  /// Whether `t` (i64) lies in [0, C).
  Value isInRange(OpBuilder &b, Location l, Value t) const {
    Value zero = arith::ConstantIntOp::create(b, l, 0, 64);
    Value nonNegative =
        arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, t, zero);
    Value below =
        arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, t, numClasses);
    return arith::AndIOp::create(b, l, nonNegative, below);
  }
  Value constant(OpBuilder &b, Location l, double v, Type type) const {
    return arith::ConstantOp::create(b, l, type, b.getFloatAttr(type, v));
  }
  Value constant(OpBuilder &b, Location l, double v) const {
    return constant(b, l, v, computeType);
  }
  /// C in the compute type.
  Value classCount(OpBuilder &b, Location l) const {
    return arith::SIToFPOp::create(b, l, computeType, numClasses);
  }

  Location loc;
  Value logits, target;
  int64_t rank, classDim, ignoreIndex;
  double smoothing;
  LossReduction reduction;
  Type elt, computeType;
  AlongDim maps;
  SmallVector<OpFoldResult> sizes;
  Value max, sum, numClasses;
};

} // namespace

FailureOr<SmallVector<Value>> CrossEntropyOp::decomposeOperation(OpBuilder &b) {
  CrossEntropyParts parts(b, *this);
  Location loc = parts.loc;
  Type cType = parts.computeType;
  // For label smoothing, sum_c w * (x_c - max) with w = e / C: shifted and
  // scaled before they are added, so that large logits neither lose their
  // precision nor overflow; added in f64, as these loops add one term after
  // the other (the vector kernel keeps a vector of partial sums).
  Value spread;
  if (parts.smoothing > 0.0) {
    Type f64 = b.getF64Type();
    spread = reduceAlongDim(
        b, loc, {getLogits(), parts.max}, parts.sizes, parts.classDim, f64, 0.0,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = convertFloat(b, l, args[0], f64);
          Value m = convertFloat(b, l, args[1], f64);
          Value weight = arith::DivFOp::create(
              b, l, parts.constant(b, l, parts.smoothing, f64),
              arith::SIToFPOp::create(b, l, f64, parts.numClasses));
          Value term = arith::MulFOp::create(
              b, l, arith::SubFOp::create(b, l, x, m), weight);
          return arith::AddFOp::create(b, l, term, args[2]);
        });
  }

  // The per-sample loss: in the result type for "none", else in the compute
  // type for the reduction that follows.
  auto lossType = cast<RankedTensorType>(getLoss().getType());
  RankedTensorType sampleType = getTargetType().clone(
      parts.reduction == LossReduction::None ? parts.elt : cType);
  SmallVector<OpFoldResult> sampleSizes(parts.sizes);
  sampleSizes.erase(sampleSizes.begin() + parts.classDim);
  Value sampleInit = createEmpty(b, loc, sampleSizes, sampleType);
  int64_t sampleRank = sampleType.getRank();
  AffineMap sampleIdentity = b.getMultiDimIdentityMap(sampleRank);
  SmallVector<Value> inputs = {getTarget(), parts.max, parts.sum};
  if (spread)
    inputs.push_back(spread);
  SmallVector<AffineMap> indexing(inputs.size() + 1, sampleIdentity);
  SmallVector<utils::IteratorType> sampleParallel(
      sampleRank, utils::IteratorType::parallel);
  Value samples =
      linalg::GenericOp::create(
          b, loc, sampleType, inputs, sampleInit, indexing, sampleParallel,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value t = parts.widenTarget(b, l, args[0]);
            Value inRange = parts.isInRange(b, l, t);
            // The target's logit, read only when it exists. (linalg.index
            // must sit in the generic's own block.)
            SmallVector<Value> at;
            for (int64_t i = 0; i < sampleRank; ++i)
              at.push_back(linalg::IndexOp::create(b, l, i));
            Value logit =
                scf::IfOp::create(
                    b, l, inRange,
                    [&](OpBuilder &b, Location l) {
                      at.insert(at.begin() + parts.classDim,
                                arith::IndexCastOp::create(
                                    b, l, b.getIndexType(), t));
                      Value x =
                          tensor::ExtractOp::create(b, l, getLogits(), at);
                      scf::YieldOp::create(b, l, convertFloat(b, l, x, cType));
                    },
                    [&](OpBuilder &b, Location l) {
                      scf::YieldOp::create(b, l, parts.constant(b, l, kNaN));
                    })
                    .getResult(0);
            // -log_softmax[t] = log(sum(exp(x - max))) - (x[t] - max): the
            // logits' difference first, so that large logits keep their
            // precision.
            Value logSum = math::LogOp::create(b, l, args[2]);
            Value shifted = arith::SubFOp::create(b, l, logit, args[1]);
            Value loss = arith::SubFOp::create(b, l, logSum, shifted);
            if (spread) {
              // (1 - e) * loss + w * sum_c(logSum - (x_c - max))
              //   = logSum - (1 - e) * (x[t] - max) - sum_c w * (x_c - max).
              Value kept = arith::MulFOp::create(
                  b, l, parts.constant(b, l, 1.0 - parts.smoothing), shifted);
              loss = arith::SubFOp::create(
                  b, l, arith::SubFOp::create(b, l, logSum, kept),
                  convertFloat(b, l, args[3], cType));
            }
            Value ignored = parts.isIgnored(b, l, t);
            loss = arith::SelectOp::create(b, l, ignored,
                                           parts.constant(b, l, 0.0), loss);
            linalg::YieldOp::create(
                b, l, convertFloat(b, l, loss, sampleType.getElementType()));
          })
          .getResult(0);
  if (parts.reduction == LossReduction::None)
    return SmallVector<Value>{samples};

  // The sum of the losses and the count of samples not ignored, in f64.
  Type f64 = b.getF64Type();
  AffineMap toScalar = AffineMap::get(sampleRank, 0, getContext());
  SmallVector<utils::IteratorType> sampleReduction(
      sampleRank, utils::IteratorType::reduction);
  Value totalInit = createFilledTensor(b, loc, {}, f64, 0.0);
  Value countInit = createFilledTensor(b, loc, {}, f64, 0.0);
  auto totals = linalg::GenericOp::create(
      b, loc, TypeRange{totalInit.getType(), countInit.getType()},
      ValueRange{samples, getTarget()}, ValueRange{totalInit, countInit},
      ArrayRef<AffineMap>{sampleIdentity, sampleIdentity, toScalar, toScalar},
      sampleReduction, [&](OpBuilder &b, Location l, ValueRange args) {
        Value loss = convertFloat(b, l, args[0], f64);
        Value ignored = parts.isIgnored(b, l, parts.widenTarget(b, l, args[1]));
        Value counted = arith::SelectOp::create(b, l, ignored,
                                                parts.constant(b, l, 0.0, f64),
                                                parts.constant(b, l, 1.0, f64));
        linalg::YieldOp::create(
            b, l,
            ValueRange{arith::AddFOp::create(b, l, args[2], loss),
                       arith::AddFOp::create(b, l, args[3], counted)});
      });

  // "sum": the total; "mean": total / count (NaN when all are ignored).
  AffineMap scalar = AffineMap::get(0, 0, getContext());
  Value lossInit = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{},
                                           lossType.getElementType());
  bool mean = parts.reduction == LossReduction::Mean;
  auto result = linalg::GenericOp::create(
      b, loc, lossType, totals.getResults(), lossInit,
      ArrayRef<AffineMap>{scalar, scalar, scalar},
      ArrayRef<utils::IteratorType>{},
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value loss =
            mean ? arith::DivFOp::create(b, l, args[0], args[1]) : args[0];
        linalg::YieldOp::create(
            b, l, convertFloat(b, l, loss, lossType.getElementType()));
      });
  return SmallVector<Value>(result.getResults());
}

FailureOr<SmallVector<Value>>
CrossEntropyGradOp::decomposeOperation(OpBuilder &b) {
  CrossEntropyParts parts(b, *this);
  Location loc = parts.loc;
  Type cType = parts.computeType;
  RankedTensorType logitsType = getLogitsType();
  int64_t rank = parts.rank;
  AffineMap toScalar = AffineMap::get(rank, 0, getContext());

  // "mean" scales by 1 / (samples not ignored), counted as an i64.
  Value count;
  if (parts.reduction == LossReduction::Mean) {
    int64_t sampleRank = rank - 1;
    Value zero = arith::ConstantIntOp::create(b, loc, 0, 64);
    Value empty =
        tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{}, b.getI64Type());
    Value countInit = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
    count =
        linalg::GenericOp::create(
            b, loc, countInit.getType(), getTarget(), countInit,
            ArrayRef<AffineMap>{b.getMultiDimIdentityMap(sampleRank),
                                AffineMap::get(sampleRank, 0, getContext())},
            SmallVector<utils::IteratorType>(sampleRank,
                                             utils::IteratorType::reduction),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value ignored =
                  parts.isIgnored(b, l, parts.widenTarget(b, l, args[0]));
              Value one = arith::ExtUIOp::create(
                  b, l, b.getI64Type(),
                  arith::XOrIOp::create(
                      b, l, ignored, arith::ConstantIntOp::create(b, l, 1, 1)));
              linalg::YieldOp::create(
                  b, l, arith::AddIOp::create(b, l, args[1], one).getResult());
            })
            .getResult(0);
  }

  bool perSample = parts.reduction == LossReduction::None;
  SmallVector<Value> inputs = {getLogits(), parts.max, parts.sum, getTarget(),
                               getGradLoss()};
  SmallVector<AffineMap> indexing = {parts.maps.identity, parts.maps.reduced,
                                     parts.maps.reduced, parts.maps.reduced,
                                     perSample ? parts.maps.reduced : toScalar};
  if (count) {
    inputs.push_back(count);
    indexing.push_back(toScalar);
  }
  indexing.push_back(parts.maps.identity);
  Value init = createEmpty(b, loc, parts.sizes, logitsType);
  auto result = linalg::GenericOp::create(
      b, loc, logitsType, inputs, init, indexing, parts.maps.parallel,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value x = convertFloat(b, l, args[0], cType);
        Value p = arith::DivFOp::create(
            b, l,
            math::ExpOp::create(b, l, arith::SubFOp::create(b, l, x, args[1])),
            args[2]);
        Value t = parts.widenTarget(b, l, args[3]);
        Value scale = convertFloat(b, l, args[4], cType);
        if (count)
          scale = arith::DivFOp::create(
              b, l, scale, arith::SIToFPOp::create(b, l, cType, args[5]));
        // The smoothed one-hot: (1 - e) at the target, plus e / C everywhere.
        Value c = arith::IndexCastOp::create(
            b, l, b.getI64Type(),
            linalg::IndexOp::create(b, l, parts.classDim));
        Value isTarget =
            arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, c, t);
        Value hit = arith::SelectOp::create(
            b, l, isTarget, parts.constant(b, l, 1.0 - parts.smoothing),
            parts.constant(b, l, 0.0));
        Value label = hit;
        if (parts.smoothing > 0.0) {
          Value spread =
              arith::DivFOp::create(b, l, parts.constant(b, l, parts.smoothing),
                                    parts.classCount(b, l));
          label = arith::AddFOp::create(b, l, hit, spread);
        }
        Value grad = arith::MulFOp::create(
            b, l, scale, arith::SubFOp::create(b, l, p, label));
        grad = arith::SelectOp::create(b, l, parts.isInRange(b, l, t), grad,
                                       parts.constant(b, l, kNaN));
        // An ignored sample gets p * 0 as in PyTorch's autograd: 0, or NaN
        // where the row's softmax is NaN (a row of all -inf, NaN or +inf).
        grad = arith::SelectOp::create(
            b, l, parts.isIgnored(b, l, t),
            arith::MulFOp::create(b, l, p, parts.constant(b, l, 0.0)), grad);
        linalg::YieldOp::create(b, l, convertFloat(b, l, grad, parts.elt));
      });
  return SmallVector<Value>(result.getResults());
}
