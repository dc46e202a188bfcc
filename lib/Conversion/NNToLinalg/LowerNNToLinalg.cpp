//===- LowerNNToLinalg.cpp - nn ops to linalg -----------------------------===//
//
// Lowers every nn op to its decomposition into linalg.generic stages on
// tensors (AggregatedOpInterface): for nn.logsoftmax reduce-max, exp-sum and
// the elementwise (x - max) - log(sum).
//
//===----------------------------------------------------------------------===//

#include "nn/Conversion/NNToLinalg/NNToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "nn/Dialect/NN/IR/NNDialect.h"
#include "nn/Dialect/NN/IR/NNOps.h"

namespace mlir::nn {
#define GEN_PASS_DEF_CONVERTNNTOLINALGPASS
#include "nn/Conversion/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;
using namespace mlir::nn;

namespace {

/// Replaces an nn op by its decomposition (AggregatedOpInterface).
struct LowerNNOpToLinalg
    : OpInterfaceRewritePattern<linalg::AggregatedOpInterface> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::AggregatedOpInterface op,
                                PatternRewriter &rewriter) const override {
    if (!isa<NNDialect>(op->getDialect()))
      return rewriter.notifyMatchFailure(op, "not an nn op");
    FailureOr<SmallVector<Value>> stages = op.decomposeOperation(rewriter);
    if (failed(stages))
      return failure();
    rewriter.replaceOp(op, *stages);
    return success();
  }
};

struct ConvertNNToLinalgPass
    : nn::impl::ConvertNNToLinalgPassBase<ConvertNNToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<NNDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });

    RewritePatternSet patterns(ctx);
    populateNNToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::nn::populateNNToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerNNOpToLinalg>(patterns.getContext());
}
