//===- LowerNNToVector.cpp - nn ops to vector code
//-------------------------===//
//
// Emits tuned CPU kernels for nn ops on tensors: for nn.logsoftmax an
// scf.forall over independent slices, a read pass computing max and exp-sum
// together with online rescaling, and a write pass; nn.cross_entropy and its
// gradient on [N, C] logits reuse its row passes. See the pass description
// in Passes.td. This file picks the strategy and holds the pass;
// KernelEmitter.h lists the files that emit the parts.
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

Value KernelEmitter::emitLogSoftmax(LogSoftmaxOp op) {
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
  return castTo(result, op.getOutputType());
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
    KernelEmitter emitter(rewriter, op.getLoc(),
                          op.getInputType().getElementType(),
                          op.getOutputType().getElementType(), options);
    rewriter.replaceOp(op, emitter.emitLogSoftmax(op));
    return success();
  }

  VectorKernelOptions options;
};

// Which training ops have a kernel: nn.cross_entropy and its gradient (any
// logits with no static size 0, or [N, C] and [C] ones), nn.softmax
// and nn.logsoftmax_grad along the last dim, or along another dim of a
// tensor with no static size 0. The rest is left for nn-to-linalg.
template <typename OpTy> bool hasCrossEntropyKernel(OpTy op) {
  // [N, C, d...] logits take the inner-dim kernel, which a static size 0
  // would trip (as for nn.logsoftmax).
  return op.getLogitsType().getRank() <= 2 ||
         !llvm::is_contained(op.getLogitsType().getShape(), 0);
}
bool hasKernel(CrossEntropyOp op) { return hasCrossEntropyKernel(op); }
bool hasKernel(CrossEntropyGradOp op) { return hasCrossEntropyKernel(op); }
template <typename OpTy> bool hasSoftmaxLikeKernel(OpTy op) {
  auto type = cast<RankedTensorType>(op->getOperand(0).getType());
  int64_t rank = type.getRank();
  // A static size 0 along the inner-dim kernel's loops would fold slices at
  // out-of-bounds constant offsets (as for nn.logsoftmax).
  return rank > 0 && (op.getNormalizedDim() == rank - 1 ||
                      !llvm::is_contained(type.getShape(), 0));
}
bool hasKernel(SoftmaxOp op) { return hasSoftmaxLikeKernel(op); }
bool hasKernel(LogSoftmaxGradOp op) { return hasSoftmaxLikeKernel(op); }

Value emitKernel(KernelEmitter &e, CrossEntropyOp op) {
  return e.emitCrossEntropy(op);
}
Value emitKernel(KernelEmitter &e, CrossEntropyGradOp op) {
  return e.emitCrossEntropyGrad(op);
}
Value emitKernel(KernelEmitter &e, SoftmaxOp op) { return e.emitSoftmax(op); }
Value emitKernel(KernelEmitter &e, LogSoftmaxGradOp op) {
  return e.emitLogSoftmaxGrad(op);
}

/// A training op with a kernel (hasKernel) to that kernel. The emitter reads
/// the element type of the op's first tensor operand that is not a rank-0
/// grad_loss, and writes the result's.
template <typename OpTy>
struct LowerTrainingOpToVector : OpRewritePattern<OpTy> {
  LowerTrainingOpToVector(MLIRContext *ctx, const VectorKernelOptions &options)
      : OpRewritePattern<OpTy>(ctx), options(options) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (!hasKernel(op))
      return rewriter.notifyMatchFailure(op, "left to nn-to-linalg");
    // The data the kernel streams: the logits, or the first operand.
    Value data = op->getOperand(0);
    if constexpr (std::is_same_v<OpTy, CrossEntropyOp> ||
                  std::is_same_v<OpTy, CrossEntropyGradOp>)
      data = op.getLogits();
    Type inElt = cast<RankedTensorType>(data.getType()).getElementType();
    Type outElt =
        cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
    KernelEmitter emitter(rewriter, op.getLoc(), inElt, outElt, options);
    rewriter.replaceOp(op, emitKernel(emitter, op));
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
  patterns.add<LowerLogSoftmaxToVector, LowerTrainingOpToVector<CrossEntropyOp>,
               LowerTrainingOpToVector<CrossEntropyGradOp>,
               LowerTrainingOpToVector<SoftmaxOp>,
               LowerTrainingOpToVector<LogSoftmaxGradOp>>(patterns.getContext(),
                                                          options);
}
