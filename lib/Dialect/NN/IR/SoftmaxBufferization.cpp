//===- SoftmaxBufferization.cpp - nn.(log)softmax on buffers --------------===//
//
// BufferizableOpInterface for nn.logsoftmax, nn.softmax and
// nn.logsoftmax_grad, so that upstream one-shot-bufferize handles them: the
// result gets a new allocation (through the options' allocation function)
// and the op's `_into` form on buffers fills it. The ops read their operands
// and write nothing they were given, like tensor.generate.
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
    // The result has the operands' shape: its dynamic sizes are the first
    // operand's.
    SmallVector<Value> dynamicSizes;
    auto shape = cast<ShapedType>(op->getResult(0).getType()).getShape();
    for (auto [i, size] : llvm::enumerate(shape))
      if (ShapedType::isDynamic(size))
        dynamicSizes.push_back(
            memref::DimOp::create(rewriter, loc, operands[0], i));
    FailureOr<Value> output = options.createAlloc(
        rewriter, loc, cast<MemRefType>(*outputType), dynamicSizes);
    if (failed(output))
      return failure();
    // The operands' buffers, then the result's, and `dim` counted from the
    // start.
    operands.push_back(*output);
    IntoOp::create(rewriter, loc, TypeRange{}, operands,
                   {rewriter.getNamedAttr(
                       "dim", rewriter.getI64IntegerAttr(
                                  tensorOp.getNormalizedDim()))});
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
}
