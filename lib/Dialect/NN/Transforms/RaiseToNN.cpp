//===- RaiseToNN.cpp - Recognize log-softmax patterns ---------------------===//

#include "nn/Dialect/NN/Transforms/Passes.h"

#include "RaisePatterns.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "nn/Dialect/NN/IR/NNOps.h"

namespace mlir::nn {
#define GEN_PASS_DEF_RAISETONNPASS
#include "nn/Dialect/NN/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {

/// The linalg.softmax feeding `value` if that is its only use, else null.
linalg::SoftmaxOp getSoleSoftmax(Value value) {
  auto softmax = value.getDefiningOp<linalg::SoftmaxOp>();
  if (!softmax || softmax->getNumResults() != 1 || !value.hasOneUse() ||
      !nn::isSupportedTensorType(softmax.getInput().getType()))
    return nullptr;
  return softmax;
}

/// Whether `generic` computes math.log of its single input elementwise, with
/// identity maps.
bool isElementwiseLog(linalg::GenericOp generic) {
  if (!linalg::isaElemwiseSingleUnaryOpInterface(generic) ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return false;
  auto log = dyn_cast<math::LogOp>(generic.getBody()->front());
  return log && log.getOperand() == generic.getBody()->getArgument(0);
}

/// Replaces `root`, which computes log of `value`, by nn.logsoftmax if
/// `value` is a linalg.softmax of the same type used by `root` alone.
LogicalResult raiseLogOf(PatternRewriter &rewriter, Operation *root,
                         Value value) {
  linalg::SoftmaxOp softmax = getSoleSoftmax(value);
  if (!softmax ||
      root->getResult(0).getType() != softmax.getResult()[0].getType())
    return failure();
  auto logsoftmax = nn::LogSoftmaxOp::create(
      rewriter, root->getLoc(), root->getResult(0).getType(),
      softmax.getInput(), static_cast<int64_t>(softmax.getDimension()));
  rewriter.replaceOp(root, logsoftmax.getResult());
  rewriter.eraseOp(softmax);
  return success();
}

/// math.log(linalg.softmax(x)) on tensors.
struct RaiseTensorLogOfSoftmax : OpRewritePattern<math::LogOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::LogOp log,
                                PatternRewriter &rewriter) const override {
    return raiseLogOf(rewriter, log, log.getOperand());
  }
};

/// linalg.generic { math.log } applied to linalg.softmax(x).
struct RaiseGenericLogOfSoftmax : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp generic,
                                PatternRewriter &rewriter) const override {
    if (!generic.hasPureTensorSemantics() || !isElementwiseLog(generic))
      return failure();
    return raiseLogOf(rewriter, generic, generic.getDpsInputOperand(0)->get());
  }
};

/// The TOSA sequence
///   m = reduce_max(x, axis); d = sub(x, m); e = exp(d);
///   s = reduce_sum(e, axis); y = sub(d, log(s))
/// with one use for each intermediate but d (exp and the final sub).
struct RaiseTosaLogSoftmax : OpRewritePattern<tosa::SubOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::SubOp result,
                                PatternRewriter &rewriter) const override {
    Value shifted = result.getInput1();
    auto log = result.getInput2().getDefiningOp<tosa::LogOp>();
    auto sum = log ? log.getInput1().getDefiningOp<tosa::ReduceSumOp>()
                   : tosa::ReduceSumOp();
    auto exp =
        sum ? sum.getInput().getDefiningOp<tosa::ExpOp>() : tosa::ExpOp();
    auto sub = shifted.getDefiningOp<tosa::SubOp>();
    if (!log || !sum || !exp || !sub || exp.getInput1() != shifted)
      return failure();
    auto max = sub.getInput2().getDefiningOp<tosa::ReduceMaxOp>();
    Value x = sub.getInput1();
    if (!max || max.getInput() != x || max.getAxis() != sum.getAxis())
      return failure();
    // Intermediates used elsewhere must stay: then nothing is raised.
    if (!log->hasOneUse() || !sum->hasOneUse() || !exp->hasOneUse() ||
        !max->hasOneUse() || !llvm::hasNItems(shifted.getUses(), 2))
      return failure();
    if (!nn::isSupportedTensorType(x.getType()) || x.getType() != result.getType())
      return failure();
    auto logsoftmax = nn::LogSoftmaxOp::create(
        rewriter, result.getLoc(), x, static_cast<int64_t>(max.getAxis()));
    rewriter.replaceOp(result, logsoftmax.getResult());
    return success();
  }
};

struct RaiseToNNPass : nn::impl::RaiseToNNPassBase<RaiseToNNPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RaiseTensorLogOfSoftmax, RaiseGenericLogOfSoftmax,
                 RaiseTosaLogSoftmax>(&getContext());
    nn::populateRaiseDecomposedPatterns(patterns);
    nn::populateRaiseNLLLossPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
