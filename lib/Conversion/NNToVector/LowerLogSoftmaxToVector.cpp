//===- LowerLogSoftmaxToVector.cpp - nn.logsoftmax to vector code ---------===//
//
// Emits a tuned CPU kernel for nn.logsoftmax on tensors: an scf.forall over
// independent slices, a read pass computing max and exp-sum together with
// online rescaling, and a write pass. See the pass description in Passes.td.
// This file picks the strategy and holds the pass; KernelEmitter.h lists the
// files that emit the parts.
//
//===----------------------------------------------------------------------===//

#include "nn/Conversion/NNToVector/NNToVector.h"

#include "KernelEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "nn/Dialect/NN/IR/NNOps.h"

namespace mlir::nn {
#define GEN_PASS_DEF_CONVERTNNTOVECTORPASS
#include "nn/Conversion/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

Value KernelEmitter::emit() {
  Value input = op.getInput();
  int64_t rank = op.getInputType().getRank();
  int64_t dim = op.getNormalizedDim();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, b.getLoc(), input);
  Value init = tensor::EmptyOp::create(b, sizes, outElt);
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
    Value isLong =
        arith::CmpIOp::create(b, arith::CmpIPredicate::uge,
                              indexValue(sizes.back()), index(kSplitLength));
    result = scf::IfOp::create(
                 b, isLong,
                 [&](OpBuilder &, Location) {
                   scf::YieldOp::create(b, emitSplitRows(input, init, sizes));
                 },
                 [&](OpBuilder &, Location) {
                   scf::YieldOp::create(b, emitLastDim(input, init, sizes));
                 })
                 .getResult(0);
  }
  if (result.getType() != op.getOutputType())
    result = tensor::CastOp::create(b, op.getOutputType(), result);
  return result;
}

namespace {

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
