//===- SoftmaxKernels.cpp - Softmax and the log-softmax gradient ---------===//
//
// nn.softmax and nn.logsoftmax_grad along the last dim, one forall iteration
// per row, on the row machinery of nn.logsoftmax. Softmax: the read pass
// (max and exp-sum in one read), then exp(x - max) / sum in the write pass;
// along another dim, nn.logsoftmax's inner-dim kernel with that write. The
// gradient: a sum of grad_output, then g - exp(y) * sum in a write pass that
// reads both inputs; along another dim, the inner-dim kernel with a plain
// sum of g down the dim.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "ParallelTiles.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

/// The rows along the last dim of a tensor of `sizes`: a forall over the
/// other dimensions with `init` as its shared output, the row's slice of it
/// and the indexers of the row in the input and in the slice.
struct KernelEmitter::LastDimRows {
  LastDimRows(KernelEmitter &e, ArrayRef<OpFoldResult> sizes, Value init)
      : forall(e.b, boundsOf(e.b, sizes), ValueRange{init}),
        length(e.indexValue(sizes.back())) {
    int64_t rank = sizes.size();
    if (rank > 1)
      rowIvs = forall.ivs();
    SmallVector<OpFoldResult> offsets(rowIvs.begin(), rowIvs.end()),
        sliceSizes(rank - 1, e.b.getIndexAttr(1));
    offsets.push_back(e.b.getIndexAttr(0));
    sliceSizes.push_back(sizes.back());
    slice = forall.extract(0, offsets, sliceSizes);
    Value zero = e.index(0);
    at = [this](Value j) {
      SmallVector<Value> indices(rowIvs);
      indices.push_back(j);
      return indices;
    };
    sliceAt = [rank, zero](Value j) {
      SmallVector<Value> indices(rank - 1, zero);
      indices.push_back(j);
      return indices;
    };
  }
  static SmallVector<OpFoldResult> boundsOf(ImplicitLocOpBuilder &b,
                                            ArrayRef<OpFoldResult> sizes) {
    SmallVector<OpFoldResult> bounds(sizes.drop_back());
    if (bounds.empty())
      bounds.push_back(b.getIndexAttr(1));
    return bounds;
  }

  ParallelTiles forall;
  Value length, slice;
  SmallVector<Value> rowIvs;
  Indexer1 at, sliceAt;
};

Value KernelEmitter::emitSoftmax(SoftmaxOp op) {
  accurateExp = true;
  Value input = op.getInput();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, b.getLoc(), input);
  Value init = tensor::EmptyOp::create(b, sizes, outElt);
  int64_t dim = op.getNormalizedDim();
  if (dim != op.getInputType().getRank() - 1) {
    return castTo(
        emitInnerDim(input, init, sizes, dim, InnerDimOp::Softmax),
        op.getOutputType());
  }
  LastDimRows rows(*this, sizes, init);
  Value zeroIdx = index(0);
  auto [laneMax, laneSum] = readRow(input, rows.at, rows.length);
  auto [rowMax, rowSum] = finishRowSum(laneMax, laneSum);
  Value invSum = arith::DivFOp::create(b, scalar(1.0), rowSum);
  // exp(x - max) / sum; the unguarded max makes a row of all -inf NaN.
  Value written = writeRowRange(
      input, rows.at, rows.slice, rows.sliceAt, zeroIdx, rows.length,
      {rowMax, invSum},
      [&](Value x, ArrayRef<Value> s) { return mul(exp(sub(x, s[0])), s[1]); });
  return castTo(rows.forall.finish(written)[0], op.getOutputType());
}

Value KernelEmitter::expOfLogProbability(Value y) {
  // exp (VectorMath.cpp) builds 2^n in the exponent field, so it is right
  // only while 2^n stays a normal number: not up to the largest finite
  // result, and not down to the subnormal ones, which still count here
  // (times a sum of 1e32 they reach 1e-5). So exp(y) = exp(y -+ 64) * e^+-64
  // beyond +-64 (y -+ 64 is exact up to |y| = 128). The clamp keeps
  // arguments past the largest finite result, which a log-softmax output
  // never has, at +inf.
  Value highest = splat(cType.isF64() ? 710.0 : 89.0);
  Value sixtyFour = splat(64.0), minusSixtyFour = splat(-64.0);
  Value zero = splat(0.0), one = splat(1.0);
  Value eUp = splat(std::exp(64.0)), eDown = splat(std::exp(-64.0));
  y = arith::MinimumFOp::create(b, y, highest);
  Value large =
      arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, y, sixtyFour);
  Value small =
      arith::CmpFOp::create(b, arith::CmpFPredicate::OLT, y, minusSixtyFour);
  Value shift = arith::SelectOp::create(
      b, large, sixtyFour,
      arith::SelectOp::create(b, small, minusSixtyFour, zero));
  Value factor = arith::SelectOp::create(
      b, large, eUp, arith::SelectOp::create(b, small, eDown, one));
  return mul(exp(sub(y, shift)), factor);
}

Value KernelEmitter::emitLogSoftmaxGrad(LogSoftmaxGradOp op) {
  accurateExp = true;
  Value gradOutput = op.getGradOutput(), output = op.getOutput();
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, b.getLoc(), output);
  Value init = tensor::EmptyOp::create(b, sizes, outElt);
  int64_t dim = op.getNormalizedDim();
  if (dim != op.getType().getRank() - 1) {
    Value result = emitInnerDim(gradOutput, init, sizes, dim,
                                InnerDimOp::LogSoftmaxGrad, output);
    return castTo(result, op.getType());
  }
  LastDimRows rows(*this, sizes, init);
  Value zeroIdx = index(0), lanesIdx = index(lanes);
  Value sum = sumRowRange(gradOutput, rows.at, zeroIdx, rows.length,
                          [](Value g) { return g; });
  Value sumVec = vector::BroadcastOp::create(b, cVec, sum);
  Value fullEnd = wholeStepsEnd(zeroIdx, rows.length, lanesIdx);
  auto writeBody = [&](bool inBounds) {
    return [&, inBounds](OpBuilder &, Location, Value j, ValueRange iter) {
      Value g = load(gradOutput, rows.at(j), inBounds, 0.0);
      Value y = load(output, rows.at(j), inBounds, 0.0);
      Value p = expOfLogProbability(y);
      Value grad = sub(g, mul(p, sumVec));
      scf::YieldOp::create(b, store(grad, iter[0], rows.sliceAt(j), inBounds));
    };
  };
  auto full = scf::ForOp::create(b, zeroIdx, fullEnd, lanesIdx,
                                 ValueRange{rows.slice}, writeBody(true));
  Value written =
      scf::ForOp::create(b, fullEnd, rows.length, lanesIdx,
                         ValueRange{full.getResult(0)}, writeBody(false))
          .getResult(0);
  return castTo(rows.forall.finish(written)[0], op.getType());
}
