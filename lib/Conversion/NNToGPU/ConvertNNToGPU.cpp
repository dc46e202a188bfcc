//===- ConvertNNToGPU.cpp - Functions of nn ops as host code --------------===//
//
// --nn-to-gpu: functions of nn ops are bufferized by upstream's passes
// (one-shot-bufferize, buffer-results-to-out-params, the buffer deallocation
// pipeline), as on the CPU path, and the bufferized functions then launch
// kernels: each `_into` op (nn.logsoftmax_into, ...) becomes gpu.launch ops,
// and the buffers they use are device buffers (gpu.alloc, gpu.dealloc,
// gpu.memcpy).
//
//===----------------------------------------------------------------------===//

#include "nn/Conversion/NNToGPU/NNToGPU.h"

#include "LogSoftmaxKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/PassManager.h"
#include "nn/Conversion/Passes.h"
#include "nn/Dialect/NN/IR/NNOps.h"
#include "nn/Transforms/Passes.h"

namespace mlir::nn {
#define GEN_PASS_DEF_CONVERTNNTOGPUPASS
#include "nn/Conversion/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {

/// Checks that `func` is one --nn-to-gpu lowers: one block of nn ops on its
/// arguments or on each other, then a return, on tensors the kernels take.
/// Errors are located at the offending op.
LogicalResult checkLowerable(func::FuncOp func) {
  if (!func.getBody().hasOneBlock())
    return func.emitError("--nn-to-gpu: @")
           << func.getName() << " must have a single block";
  for (Type type : func.getArgumentTypes()) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (nn::isSupportedTensorType(type) ||
        (tensor && tensor.getElementType().isSignlessInteger() &&
         llvm::is_contained({32u, 64u},
                            tensor.getElementType().getIntOrFloatBitWidth())))
      continue;
    return func.emitError("--nn-to-gpu: @")
           << func.getName() << " takes " << type
           << "; the GPU pipeline supports ranked tensors of f16, bf16, f32 "
              "or f64 (and of i32 or i64 for targets)";
  }
  for (Operation &op : func.getBody().front()) {
    if (isa<nn::LogSoftmaxOp, nn::SoftmaxOp, nn::LogSoftmaxGradOp,
            nn::CrossEntropyOp, nn::CrossEntropyGradOp, func::ReturnOp>(op))
      continue;
    return op.emitError("--nn-to-gpu: the GPU pipeline supports functions "
                        "made of nn.logsoftmax, nn.softmax, "
                        "nn.logsoftmax_grad, nn.cross_entropy and "
                        "nn.cross_entropy_grad ops only; found '")
           << op.getName() << "'";
  }
  for (Type type : func.getResultTypes())
    if (!nn::isSupportedTensorType(type))
      return func.emitError("--nn-to-gpu: @")
             << func.getName() << " returns " << type;
  return success();
}

/// The classes' dim of cross-entropy logits: 1, or 0 for rank 1.
int64_t classDim(MemRefType logits) { return logits.getRank() == 1 ? 0 : 1; }

/// The kernels' view of a cross-entropy `_into` op's attributes.
template <typename CrossEntropyLikeIntoOp>
nn::gpu_kernels::CrossEntropyParams
crossEntropyParams(CrossEntropyLikeIntoOp op) {
  nn::gpu_kernels::CrossEntropyParams ce;
  ce.ignoreIndex = op.getIgnoreIndex();
  ce.smoothing = op.getLabelSmoothing().convertToDouble();
  ce.perSample = op.getReductionKind() == nn::LossReduction::None;
  ce.mean = op.getReductionKind() == nn::LossReduction::Mean;
  return ce;
}

} // namespace

LogicalResult
mlir::nn::lowerBufferizedFunctionToGPU(func::FuncOp func,
                                       const GPUKernelOptions &options) {
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if (isa<nn::LogSoftmaxIntoOp, nn::SoftmaxIntoOp, nn::LogSoftmaxGradIntoOp,
            nn::CrossEntropyIntoOp, nn::CrossEntropyGradIntoOp,
            memref::AllocOp, memref::DeallocOp, memref::CopyOp>(op))
      ops.push_back(op);
  });
  for (Operation *op : ops)
    if (isa<nn::LogSoftmaxIntoOp, nn::SoftmaxIntoOp, nn::LogSoftmaxGradIntoOp,
            nn::CrossEntropyIntoOp, nn::CrossEntropyGradIntoOp>(op))
      for (Value buffer : op->getOperands())
        if (!cast<MemRefType>(buffer.getType()).getLayout().isIdentity())
          return op->emitError("--nn-to-gpu: the GPU kernels take "
                               "identity-layout (contiguous) buffers");

  IRRewriter rewriter(func.getContext());
  unsigned opNumber = 0;
  for (Operation *op : ops) {
    rewriter.setInsertionPoint(op);
    Location loc = op->getLoc();
    // The op's kernels, named `<function>_<op number>`, in its place.
    auto emitKernels = [&](gpu_kernels::SoftmaxKind kind, Value in, Value out,
                           int64_t dim, Value aux = {},
                           gpu_kernels::CrossEntropyParams ce = {}) {
      gpu_kernels::emitSoftmaxKernels(
          rewriter, loc, kind, in, out, dim, options,
          (func.getName() + "_" + Twine(opNumber++)).str(), aux, ce);
      rewriter.eraseOp(op);
    };
    if (auto logSoftmax = dyn_cast<nn::LogSoftmaxIntoOp>(op)) {
      emitKernels(gpu_kernels::SoftmaxKind::LogSoftmax, logSoftmax.getInput(),
                  logSoftmax.getOutput(), logSoftmax.getNormalizedDim());
    } else if (auto softmax = dyn_cast<nn::SoftmaxIntoOp>(op)) {
      emitKernels(gpu_kernels::SoftmaxKind::Softmax, softmax.getInput(),
                  softmax.getOutput(), softmax.getNormalizedDim());
    } else if (auto grad = dyn_cast<nn::LogSoftmaxGradIntoOp>(op)) {
      emitKernels(gpu_kernels::SoftmaxKind::LogSoftmaxGrad,
                  grad.getGradOutput(), grad.getGradInput(),
                  grad.getNormalizedDim(), grad.getOutput());
    } else if (auto crossEntropy = dyn_cast<nn::CrossEntropyIntoOp>(op)) {
      emitKernels(gpu_kernels::SoftmaxKind::CrossEntropy,
                  crossEntropy.getLogits(), crossEntropy.getLoss(),
                  classDim(crossEntropy.getLogitsType()),
                  crossEntropy.getTarget(), crossEntropyParams(crossEntropy));
    } else if (auto grad = dyn_cast<nn::CrossEntropyGradIntoOp>(op)) {
      gpu_kernels::CrossEntropyParams ce = crossEntropyParams(grad);
      ce.gradLoss = grad.getGradLoss();
      emitKernels(gpu_kernels::SoftmaxKind::CrossEntropyGrad,
                  grad.getLogits(), grad.getGradLogits(),
                  classDim(grad.getLogitsType()), grad.getTarget(), ce);
    } else if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      rewriter.replaceOp(
          op, gpu::AllocOp::create(rewriter, loc, alloc.getType(),
                                   /*asyncToken=*/Type(), ValueRange{},
                                   alloc.getDynamicSizes(), ValueRange{})
                  .getMemref());
    } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
      rewriter.replaceOpWithNewOp<gpu::DeallocOp>(
          op, /*asyncToken=*/Type(), ValueRange{}, dealloc.getMemref());
    } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      rewriter.replaceOpWithNewOp<gpu::MemcpyOp>(
          op, /*asyncToken=*/Type(), ValueRange{}, copy.getTarget(),
          copy.getSource());
    }
  }
  func->setAttr("llvm.emit_c_interface", rewriter.getUnitAttr());
  return success();
}

namespace {
struct ConvertNNToGPUPass
    : nn::impl::ConvertNNToGPUPassBase<ConvertNNToGPUPass> {
  using Base::Base;

  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    // Function boundaries bufferize through func's external models.
    bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
        registry);
    OpPassManager pm(ModuleOp::getOperationName());
    nn::buildBufferizeToOutParamsPipeline(pm);
    pm.getDependentDialects(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Functions on tensors, and functions already bufferized (which hold
    // the ops' `_into` forms).
    SmallVector<func::FuncOp> onTensors, onBuffers;
    auto holds = [](func::FuncOp func, auto isWanted) {
      return func
          .walk([&](Operation *op) {
            return isWanted(op) ? WalkResult::interrupt()
                                : WalkResult::advance();
          })
          .wasInterrupted();
    };
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      if (holds(func, llvm::IsaPred<nn::LogSoftmaxOp, nn::SoftmaxOp,
                                    nn::LogSoftmaxGradOp, nn::CrossEntropyOp,
                                    nn::CrossEntropyGradOp>))
        onTensors.push_back(func);
      else if (holds(func, llvm::IsaPred<nn::LogSoftmaxIntoOp,
                                         nn::SoftmaxIntoOp,
                                         nn::LogSoftmaxGradIntoOp,
                                         nn::CrossEntropyIntoOp,
                                         nn::CrossEntropyGradIntoOp>))
        onBuffers.push_back(func);
    }
    for (func::FuncOp func : onTensors)
      if (failed(checkLowerable(func)))
        return signalPassFailure();

    // The functions on tensors are bufferized in a module of their own, so
    // that the module's other functions keep their signatures; they then
    // take the originals' places.
    if (!onTensors.empty()) {
      OpBuilder b(module.getBodyRegion());
      b.setInsertionPointToEnd(module.getBody());
      auto scratch = ModuleOp::create(b, module.getLoc());
      b.setInsertionPointToEnd(scratch.getBody());
      for (func::FuncOp func : onTensors)
        b.clone(*func.getOperation());
      OpPassManager pm(ModuleOp::getOperationName());
      nn::buildBufferizeToOutParamsPipeline(pm);
      if (failed(runPipeline(pm, scratch)))
        return signalPassFailure();
      for (func::FuncOp func : onTensors) {
        auto bufferized = scratch.lookupSymbol<func::FuncOp>(func.getName());
        bufferized->moveBefore(func);
        func.erase();
        onBuffers.push_back(bufferized);
      }
      scratch.erase();
    }

    nn::GPUKernelOptions options;
    options.warpRowLimit = warpRowLimit;
    options.strategy = strategy;
    for (func::FuncOp func : onBuffers)
      if (failed(nn::lowerBufferizedFunctionToGPU(func, options)))
        return signalPassFailure();
    if (!onBuffers.empty())
      module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                      UnitAttr::get(module.getContext()));
  }
};
} // namespace
