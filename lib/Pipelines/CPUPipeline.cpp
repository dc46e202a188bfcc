//===- CPUPipeline.cpp - nn on tensors to LLVM for the CPU ----------------===//

#include "nn/Pipelines/Pipelines.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/OpenMPToLLVM/ConvertOpenMPToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "nn/Conversion/Passes.h"
#include "nn/Transforms/Passes.h"
#include "nn/Target/CPUFeatures.h"

using namespace mlir;

void nn::addCPULoweringToLLVM(OpPassManager &pm, bool nativeBF16) {
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());

  // bf16 <-> f32 conversions become integer ops unless the target has native
  // ones (AVX512-BF16): the backend would otherwise call compiler-rt helpers
  // that the system may not provide.
  // bf16 -> f64 goes through f32, so that arith-expand applies to it too.
  pm.addPass(nn::createExtendBF16ThroughF32Pass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = !nativeBF16;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(nn::createBF16MemoryAsI16Pass());
  pm.addPass(createCanonicalizerPass());
}

void nn::buildCPUPipeline(OpPassManager &pm,
                          const CPUPipelineOptions &options) {
  if (options.vectorize) {
    // Rank-0 ops are not vectorized; --nn-to-linalg takes them.
    ConvertNNToVectorPassOptions vector;
    vector.vectorBits =
        options.vectorBits ? options.vectorBits
                           : CPUFeatures::getHost().vectorBits;
    vector.accumulators = options.accumulators;
    vector.blockVectors = options.blockVectors;
    pm.addPass(nn::createConvertNNToVectorPass(vector));
  }
  pm.addPass(nn::createConvertNNToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  if (options.emitCInterface)
    pm.addPass(nn::createEmitCInterfacePass());

  // Upstream's bufferization; results become out-parameters.
  nn::buildBufferizeToOutParamsPipeline(pm);

  if (options.threads == 1) {
    pm.addPass(createForallToForLoopPass());
  } else {
    ForallToOpenMPPassOptions openmp;
    openmp.numThreads = options.threads;
    openmp.minParallelBytes = options.minParallelBytes;
    pm.addPass(nn::createForallToOpenMPPass(openmp));
    // Foralls nested in a parallel one run serially on its threads.
    pm.addPass(createForallToForLoopPass());
  }
  pm.addPass(nn::createStridedCopyToLinalgPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  addCPULoweringToLLVM(pm, options.nativeBF16);
}

void nn::registerCPUPipeline() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "nn-cpu-pipeline",
      "Lower nn ops on tensors to the LLVM dialect for the CPU (bufferized, "
      "results as caller-allocated out-parameters, C interface wrappers)",
      buildCPUPipeline);
}

void nn::registerAllPipelines() {
  registerCPUPipeline();
  registerGPUPipeline();
}
