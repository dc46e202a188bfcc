//===- ClassIndexCheck.cpp - Class indices checked before a run -----------===//

#include "nn/Runtime/ClassIndexCheck.h"

#include "nn/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::runtime;

/// The position of `value` among the arguments of `func`, if it is one.
static std::optional<unsigned> getArgumentNumber(func::FuncOp func,
                                                 Value value) {
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg || arg.getOwner() != &func.getBody().front())
    return std::nullopt;
  return arg.getArgNumber();
}

/// Index `linear` of a row-major tensor of `shape`, as "[i, j, ...]".
static std::string formatIndex(ArrayRef<int64_t> shape, int64_t linear) {
  SmallVector<int64_t> index(shape.size());
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    index[d] = shape[d] ? linear % shape[d] : 0;
    linear = shape[d] ? linear / shape[d] : 0;
  }
  std::string text = "[";
  for (auto [i, v] : llvm::enumerate(index))
    text += (i ? ", " : "") + std::to_string(v);
  return text + "]";
}

template <typename OpTy>
static llvm::Error checkOp(func::FuncOp func, OpTy op,
                           ArrayRef<HostTensor> arguments) {
  std::optional<unsigned> targetArg = getArgumentNumber(func, op.getTarget());
  if (!targetArg || *targetArg >= arguments.size())
    return llvm::Error::success();
  int64_t classes = op.getLogitsType().getDimSize(op.getClassDim());
  if (std::optional<unsigned> logitsArg =
          getArgumentNumber(func, op.getLogits());
      logitsArg && *logitsArg < arguments.size())
    classes = arguments[*logitsArg].getShape()[op.getClassDim()];
  if (ShapedType::isDynamic(classes))
    return llvm::Error::success();

  const HostTensor &target = arguments[*targetArg];
  int64_t ignoreIndex = op.getIgnoreIndex();
  for (int64_t i = 0; i < target.getNumElements(); ++i) {
    int64_t t = target.getAsInt64(i);
    if (t == ignoreIndex || (t >= 0 && t < classes))
      continue;
    return llvm::createStringError(
        "argument #" + std::to_string(*targetArg) + " of @" +
        func.getName().str() + ": target " + std::to_string(t) + " at " +
        formatIndex(target.getShape(), i) + " is out of range for " +
        op->getName().getStringRef().str() +
        ": a class index must lie in [0, " + std::to_string(classes) +
        ") or be the ignore_index " + std::to_string(ignoreIndex));
  }
  return llvm::Error::success();
}

llvm::Error nn::runtime::checkClassIndices(ModuleOp module,
                                           llvm::StringRef function,
                                           ArrayRef<HostTensor> arguments) {
  auto func = module.lookupSymbol<func::FuncOp>(function);
  if (!func || func.isExternal())
    return llvm::Error::success();
  llvm::Error error = llvm::Error::success();
  func.walk([&](Operation *op) {
    llvm::Error opError = llvm::Error::success();
    if (auto ce = dyn_cast<CrossEntropyOp>(op))
      opError = checkOp(func, ce, arguments);
    else if (auto grad = dyn_cast<CrossEntropyGradOp>(op))
      opError = checkOp(func, grad, arguments);
    if (opError) {
      error = std::move(opError);
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return error;
}
