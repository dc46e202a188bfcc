//===- SoftmaxBufferization.cpp - nn.(log)softmax on buffers --------------===//
//
// BufferizableOpInterface for nn.logsoftmax, nn.softmax, nn.logsoftmax_grad,
// nn.cross_entropy and nn.cross_entropy_grad, so that upstream
// one-shot-bufferize handles them: the result gets a new allocation
// (through the options' allocation function) and the op's `_into` form on
// buffers fills it. The ops read their operands and write nothing they were
// given, like tensor.generate.
//
//===----------------------------------------------------------------------===//

#include "nn/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::nn;

namespace {

/// The `_into` op's attributes: `dim` counted from the start.
template <typename TensorOp>
SmallVector<NamedAttribute> intoAttributes(TensorOp op, Builder &b) {
  return {b.getNamedAttr("dim", b.getI64IntegerAttr(op.getNormalizedDim()))};
}
/// nn.cross_entropy's (and its gradient's) attributes, defaults spelled out.
template <typename CrossEntropyLikeOp>
SmallVector<NamedAttribute> crossEntropyAttributes(CrossEntropyLikeOp op,
                                                   Builder &b) {
  return {
      b.getNamedAttr("ignore_index", b.getI64IntegerAttr(op.getIgnoreIndex())),
      b.getNamedAttr("reduction", b.getStringAttr(op.getReduction())),
      b.getNamedAttr(
          "label_smoothing",
          b.getF64FloatAttr(op.getLabelSmoothing().convertToDouble()))};
}
SmallVector<NamedAttribute> intoAttributes(CrossEntropyOp op, Builder &b) {
  return crossEntropyAttributes(op, b);
}
SmallVector<NamedAttribute> intoAttributes(CrossEntropyGradOp op, Builder &b) {
  return crossEntropyAttributes(op, b);
}

template <typename TensorOp, typename IntoOp>
struct SoftmaxLikeBufferizationModel
    : BufferizableOpInterface::ExternalModel<
          SoftmaxLikeBufferizationModel<TensorOp, IntoOp>, TensorOp> {
  bool bufferizesToAllocation(Operation *, Value) const { return true; }

  bool bufferizesToMemoryRead(Operation *, OpOperand &,
                              const AnalysisState &) const {
    return true;
  }

  bool bufferizesToMemoryWrite(Operation *, OpOperand &,
                               const AnalysisState &) const {
    return false;
  }

  AliasingValueList getAliasingValues(Operation *, OpOperand &,
                                      const AnalysisState &) const {
    return {};
  }

  /// A new buffer with the identity layout, in the default memory space.
  FailureOr<BufferLikeType>
  getBufferType(Operation *op, Value value, const BufferizationOptions &options,
                const BufferizationState &, SmallVector<Value> &) const {
    auto type = cast<RankedTensorType>(value.getType());
    std::optional<Attribute> memorySpace = options.defaultMemorySpaceFn(type);
    if (!memorySpace)
      return op->emitError("could not infer the memory space of the result");
    return cast<BufferLikeType>(
        getMemRefTypeWithStaticIdentityLayout(type, *memorySpace));
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto tensorOp = cast<TensorOp>(op);
    Location loc = op->getLoc();
    SmallVector<Value> operands;
    for (Value tensor : op->getOperands()) {
      FailureOr<Value> buffer = getBuffer(rewriter, tensor, options, state);
      if (failed(buffer))
        return failure();
      operands.push_back(*buffer);
    }
    SmallVector<Value> invocationStack;
    FailureOr<BufferLikeType> outputType =
        getBufferType(op, op->getResult(0), options, state, invocationStack);
    if (failed(outputType))
      return failure();
    // The result has the shape of the first operand of its rank (the
    // input, or the target of a per-sample loss): its dynamic sizes are
    // that operand's.
    SmallVector<Value> dynamicSizes;
    auto shape = cast<ShapedType>(op->getResult(0).getType()).getShape();
    Value shaped = *llvm::find_if(operands, [&](Value buffer) {
      return cast<ShapedType>(buffer.getType()).getRank() ==
             static_cast<int64_t>(shape.size());
    });
    for (auto [i, size] : llvm::enumerate(shape))
      if (ShapedType::isDynamic(size))
        dynamicSizes.push_back(memref::DimOp::create(rewriter, loc, shaped, i));
    FailureOr<Value> output = options.createAlloc(
        rewriter, loc, cast<MemRefType>(*outputType), dynamicSizes);
    if (failed(output))
      return failure();
    // The operands' buffers, then the result's, and the op's attributes.
    operands.push_back(*output);
    IntoOp::create(rewriter, loc, TypeRange{}, operands,
                   intoAttributes(tensorOp, rewriter));
    replaceOpWithBufferizedValues(rewriter, op, *output);
    return success();
  }
};

} // namespace

void mlir::nn::attachBufferizationModels(MLIRContext *context) {
  LogSoftmaxOp::attachInterface<
      SoftmaxLikeBufferizationModel<LogSoftmaxOp, LogSoftmaxIntoOp>>(*context);
  SoftmaxOp::attachInterface<
      SoftmaxLikeBufferizationModel<SoftmaxOp, SoftmaxIntoOp>>(*context);
  LogSoftmaxGradOp::attachInterface<
      SoftmaxLikeBufferizationModel<LogSoftmaxGradOp, LogSoftmaxGradIntoOp>>(
      *context);
  CrossEntropyOp::attachInterface<
      SoftmaxLikeBufferizationModel<CrossEntropyOp, CrossEntropyIntoOp>>(
      *context);
  CrossEntropyGradOp::attachInterface<SoftmaxLikeBufferizationModel<
      CrossEntropyGradOp, CrossEntropyGradIntoOp>>(*context);
}
