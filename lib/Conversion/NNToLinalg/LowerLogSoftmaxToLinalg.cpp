//===- LowerLogSoftmaxToLinalg.cpp - nn.logsoftmax to linalg --------------===//
//
// Lowers nn.logsoftmax to three fused linalg.generic stages on tensors:
// reduce-max, exp-sum and the elementwise (x - max) - log(sum).
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

/// Replaces nn.logsoftmax by its decomposition (AggregatedOpInterface).
struct LowerLogSoftmaxToLinalg : OpRewritePattern<LogSoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LogSoftmaxOp op,
                                PatternRewriter &rewriter) const override {
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
  patterns.add<LowerLogSoftmaxToLinalg>(patterns.getContext());
}
