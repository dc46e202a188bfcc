//===- NNOps.cpp - nn dialect operations ----------------------------------===//

#include "nn/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::nn;

#define GET_OP_CLASSES
#include "nn/Dialect/NN/IR/NNOps.cpp.inc"

/// A rank-0 tensor behaves like a rank-1 one for `dim` (PyTorch accepts 0 and
/// -1 there), so the number of valid `dim` values is max(rank, 1).
static int64_t dimRangeFor(int64_t rank) { return std::max<int64_t>(rank, 1); }

/// The `dim` attribute of an op on tensors of `type`, counted from the start.
static int64_t normalizeDim(uint64_t dimAttr, Type type) {
  auto dim = static_cast<int64_t>(dimAttr);
  return dim < 0 ? dim + dimRangeFor(cast<ShapedType>(type).getRank()) : dim;
}

void LogSoftmaxOp::build(OpBuilder &builder, OperationState &state, Value input,
                         int64_t dim) {
  build(builder, state, input.getType(), input, dim);
}

void LogSoftmaxOp::build(OpBuilder &builder, OperationState &state, Value input,
                         int64_t dim, Type resultElementType) {
  auto inputType = cast<RankedTensorType>(input.getType());
  build(builder, state, inputType.clone(resultElementType), input, dim);
}

int64_t LogSoftmaxOp::getNormalizedDim() {
  return normalizeDim(getDim(), getInputType());
}

namespace mlir::nn {
#include "nn/Dialect/NN/IR/NNTypeConstraints.cpp.inc"
} // namespace mlir::nn

FloatType LogSoftmaxOp::getComputeType(Type resultElementType) {
  if (resultElementType.getIntOrFloatBitWidth() < 32)
    return Float32Type::get(resultElementType.getContext());
  return cast<FloatType>(resultElementType);
}

bool LogSoftmaxOp::isAllowedResultElementType(Type input, Type result) {
  if (input == result)
    return true;
  if (!result.isF32() && !result.isF64())
    return false;
  return result.getIntOrFloatBitWidth() > input.getIntOrFloatBitWidth();
}

/// Checks `dim` against the rank of `type`.
static LogicalResult verifyDim(Operation *op, ShapedType type,
                               int64_t dim) {
  int64_t rank = type.getRank();
  int64_t range = dimRangeFor(rank);
  if (dim < -range || dim >= range)
    return op->emitOpError("'dim' is ")
           << dim << ", but it must lie in [" << -range << ", " << range
           << ") for an input of rank " << rank;
  return success();
}

/// Checks that `actual` has the sizes `expected` where both are static.
/// The message names `actualName` and, for dimension i of `expected`,
/// `expectedName(i)` ("input dimension 1").
static LogicalResult
verifySizes(Operation *op, ArrayRef<int64_t> actual, ArrayRef<int64_t> expected,
            StringRef actualName,
            function_ref<std::string(size_t)> expectedName) {
  if (actual.size() != expected.size())
    return op->emitOpError() << actualName << " has rank " << actual.size()
                             << ", but it must have rank " << expected.size();
  for (auto [i, a, e] : llvm::enumerate(actual, expected)) {
    if (ShapedType::isDynamic(a) || ShapedType::isDynamic(e) || a == e)
      continue;
    return op->emitOpError()
           << actualName << " dimension " << i << " has size " << a << ", but "
           << expectedName(i) << " has size " << e;
  }
  return success();
}

/// Names dimension i of a tensor called `name`.
static std::function<std::string(size_t)> dimensionOf(StringRef name) {
  return [name = name.str()](size_t i) {
    return name + " dimension " + std::to_string(i);
  };
}

/// The rules nn.logsoftmax and nn.softmax share: `dim` in range, the input's
/// shape, and a result element type that is the input's or a wider float.
static LogicalResult verifySoftmaxLike(Operation *op, ShapedType input,
                                       ShapedType output, int64_t dim,
                                       StringRef outputName = "result") {
  if (failed(verifyDim(op, input, dim)))
    return failure();
  if (output.getRank() != input.getRank())
    return op->emitOpError() << outputName << " rank " << output.getRank()
                             << " differs from input rank " << input.getRank();
  if (failed(verifySizes(op, output.getShape(), input.getShape(), outputName,
                         dimensionOf("input"))))
    return failure();
  Type inElt = input.getElementType(), outElt = output.getElementType();
  if (!LogSoftmaxOp::isAllowedResultElementType(inElt, outElt)) {
    if (outElt.getIntOrFloatBitWidth() < inElt.getIntOrFloatBitWidth())
      return op->emitOpError() << outputName << " element type " << outElt
                               << " is narrower than the input element type "
                               << inElt;
    return op->emitOpError() << outputName << " element type "
           << outElt << " must be the input element type " << inElt
           << " or a wider float (f32 or f64)";
  }
  return success();
}

LogicalResult LogSoftmaxOp::verify() {
  return verifySoftmaxLike(*this, getInputType(), getOutputType(),
                           static_cast<int64_t>(getDim()));
}

int64_t LogSoftmaxIntoOp::getNormalizedDim() {
  return normalizeDim(getDim(), getInputType());
}

LogicalResult LogSoftmaxIntoOp::verify() {
  return verifySoftmaxLike(*this, getInputType(), getOutputType(),
                           static_cast<int64_t>(getDim()), "output");
}

int64_t SoftmaxIntoOp::getNormalizedDim() {
  return normalizeDim(getDim(), getInputType());
}

LogicalResult SoftmaxIntoOp::verify() {
  return verifySoftmaxLike(*this, getInputType(), getOutputType(),
                           static_cast<int64_t>(getDim()), "output");
}

int64_t SoftmaxOp::getNormalizedDim() {
  return normalizeDim(getDim(), getInputType());
}

LogicalResult SoftmaxOp::verify() {
  return verifySoftmaxLike(*this, getInputType(), getOutputType(),
                           static_cast<int64_t>(getDim()));
}

int64_t LogSoftmaxGradOp::getNormalizedDim() {
  return normalizeDim(getDim(), getType());
}

LogicalResult LogSoftmaxGradOp::verify() {
  return verifyDim(*this, getType(), static_cast<int64_t>(getDim()));
}

int64_t LogSoftmaxGradIntoOp::getNormalizedDim() {
  return normalizeDim(getDim(), getType());
}

LogicalResult LogSoftmaxGradIntoOp::verify() {
  return verifyDim(*this, getType(), static_cast<int64_t>(getDim()));
}

std::optional<LossReduction> nn::parseLossReduction(StringRef name) {
  return llvm::StringSwitch<std::optional<LossReduction>>(name)
      .Case("none", LossReduction::None)
      .Case("sum", LossReduction::Sum)
      .Case("mean", LossReduction::Mean)
      .Default(std::nullopt);
}

/// The cross-entropy ops' attributes (on tensors and on buffers):
/// `reduction` one of the three, `label_smoothing` in [0, 1].
template <typename CrossEntropyLikeOp>
static LogicalResult verifyLossAttributes(CrossEntropyLikeOp op) {
  if (!parseLossReduction(op.getReduction()))
    return op.emitOpError("'reduction' is \"")
           << op.getReduction() << "\", but it must be \"none\", \"sum\" or "
           << "\"mean\"";
  double smoothing = op.getLabelSmoothing().convertToDouble();
  if (!(smoothing >= 0.0 && smoothing <= 1.0))
    return op.emitOpError("'label_smoothing' is ")
           << smoothing << ", but it must lie in [0, 1]";
  return success();
}

/// The rules nn.cross_entropy and nn.cross_entropy_grad share: the
/// attributes, and targets shaped like the logits without the classes.
template <typename CrossEntropyLikeOp>
static LogicalResult verifyCrossEntropyLike(CrossEntropyLikeOp op) {
  if (failed(verifyLossAttributes(op)))
    return failure();
  RankedTensorType logits = op.getLogitsType();
  if (logits.getRank() == 0)
    return op.emitOpError("logits must have rank 1 or more (the classes "
                          "along dim 1, or dim 0 for rank 1)");
  int64_t classDim = op.getClassDim();
  SmallVector<int64_t> sampleShape(logits.getShape());
  sampleShape.erase(sampleShape.begin() + classDim);
  return verifySizes(op, op.getTargetType().getShape(), sampleShape, "target",
                     [&](size_t i) {
                       size_t logitsDim = i < size_t(classDim) ? i : i + 1;
                       return "logits dimension " + std::to_string(logitsDim);
                     });
}

/// Checks the tensor of losses (the result of nn.cross_entropy, the
/// grad_loss of its gradient), called `name`: the logits' element type, and
/// the target's shape for "none", else rank 0.
template <typename CrossEntropyLikeOp>
static LogicalResult verifyLossType(CrossEntropyLikeOp op, Type type,
                                    StringRef name) {
  auto loss = cast<RankedTensorType>(type);
  Type elt = op.getLogitsType().getElementType();
  if (loss.getElementType() != elt)
    return op.emitOpError() << name << " element type " << loss.getElementType()
                            << " must be the logits' " << elt;
  if (op.getReductionKind() == LossReduction::None)
    return verifySizes(op, loss.getShape(), op.getTargetType().getShape(),
                       (name + " (reduction \"none\")").str(),
                       dimensionOf("target"));
  if (loss.getRank() != 0)
    return op.emitOpError()
           << name << " must have rank 0 for reduction \"" << op.getReduction()
           << "\", but has rank " << loss.getRank();
  return success();
}

LogicalResult CrossEntropyOp::verify() {
  if (failed(verifyCrossEntropyLike(*this)))
    return failure();
  return verifyLossType(*this, getLoss().getType(), "result");
}

/// The rules nn.cross_entropy_into and nn.cross_entropy_grad_into share:
/// the attributes, targets of one rank less than the logits, and a tensor
/// of losses (`name`: the loss, or the gradient's grad_loss) of the logits'
/// element type, of the target's rank for "none", else of rank 0.
template <typename CrossEntropyLikeIntoOp>
static LogicalResult verifyCrossEntropyLikeInto(CrossEntropyLikeIntoOp op,
                                                Value losses, StringRef name) {
  if (failed(verifyLossAttributes(op)))
    return failure();
  MemRefType logits = op.getLogitsType();
  auto target = cast<MemRefType>(op.getTarget().getType());
  auto loss = cast<MemRefType>(losses.getType());
  if (logits.getRank() == 0 || target.getRank() != logits.getRank() - 1)
    return op.emitOpError("target must have one rank less than the logits (of "
                          "rank 1 or more)");
  if (loss.getElementType() != logits.getElementType())
    return op.emitOpError()
           << name << " element type " << loss.getElementType()
           << " must be the logits' " << logits.getElementType();
  int64_t lossRank =
      op.getReductionKind() == LossReduction::None ? target.getRank() : 0;
  if (loss.getRank() != lossRank)
    return op.emitOpError() << name << " must have rank " << lossRank
                            << " for reduction \"" << op.getReduction()
                            << "\"";
  return success();
}

LogicalResult CrossEntropyIntoOp::verify() {
  return verifyCrossEntropyLikeInto(*this, getLoss(), "loss");
}

LogicalResult CrossEntropyGradIntoOp::verify() {
  if (failed(verifyCrossEntropyLikeInto(*this, getGradLoss(), "grad_loss")))
    return failure();
  auto grad = cast<MemRefType>(getGradLogits().getType());
  if (grad.getElementType() != getLogitsType().getElementType() ||
      grad.getShape() != getLogitsType().getShape())
    return emitOpError("grad_logits ")
           << grad << " must have the logits' shape and element type ("
           << getLogitsType() << ")";
  return success();
}

LogicalResult CrossEntropyGradOp::verify() {
  if (failed(verifyCrossEntropyLike(*this)))
    return failure();
  if (getGradLogits().getType() != getLogitsType())
    return emitOpError("result type ")
           << getGradLogits().getType() << " must be the logits' type "
           << getLogitsType();
  return verifyLossType(*this, getGradLoss().getType(), "grad_loss");
}

/// Canonical form uses a non-negative `dim`.
LogicalResult LogSoftmaxOp::canonicalize(LogSoftmaxOp op,
                                         PatternRewriter &rewriter) {
  // `dim` is an i64 attribute that ODS returns as uint64_t.
  if (static_cast<int64_t>(op.getDim()) >= 0)
    return failure();
  int64_t normalized = op.getNormalizedDim();
  rewriter.modifyOpInPlace(op, [&] { op.setDim(normalized); });
  return success();
}

/// The sizes of a result of type `outputType` shaped like `operand`,
/// preferring a static size known on either side.
static void reifyShapeOf(OpBuilder &builder, Location loc, Value operand,
                         RankedTensorType outputType,
                         ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  SmallVector<OpFoldResult> sizes;
  for (auto [i, size] :
       llvm::enumerate(tensor::getMixedSizes(builder, loc, operand))) {
    if (!outputType.isDynamicDim(i))
      sizes.push_back(builder.getIndexAttr(outputType.getDimSize(i)));
    else
      sizes.push_back(size);
  }
  reifiedReturnShapes.push_back(std::move(sizes));
}

LogicalResult LogSoftmaxOp::reifyResultShapes(
    OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  reifyShapeOf(builder, getLoc(), getInput(), getOutputType(),
               reifiedReturnShapes);
  return success();
}

LogicalResult SoftmaxOp::reifyResultShapes(
    OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  reifyShapeOf(builder, getLoc(), getInput(), getOutputType(),
               reifiedReturnShapes);
  return success();
}

LogicalResult LogSoftmaxGradOp::reifyResultShapes(
    OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  reifyShapeOf(builder, getLoc(), getOutput(), getType(), reifiedReturnShapes);
  return success();
}
