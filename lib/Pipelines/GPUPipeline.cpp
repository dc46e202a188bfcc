//===- GPUPipeline.cpp - nn on tensors to NVVM kernels and host code ------===//
//
// --nn-to-gpu rewrites the functions into kernel launches on device
// buffers; then the three stages of upstream's gpu-lower-to-nvvm-pipeline
// (mlir/lib/Dialect/GPU/Pipelines/GPUToNVVMPipeline.cpp) follow: common
// (outlining, host and kernel code to LLVM but for the gpu ops), gpu.module
// (the kernels to NVVM, NVVM target optimisation) and host (mgpu* calls,
// the kernels serialized as PTX, cubin or fatbin). Unlike upstream's, it
// makes the host ops async, links libdevice from an explicit toolkit path,
// and lowers afn exp2 to ex2.approx.
//
//===----------------------------------------------------------------------===//

#include "nn/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/Transforms/OptimizeForNVVM.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "nn/Conversion/Passes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

using namespace mlir;

std::string nn::getDefaultCUDAToolkitPath() {
  for (const char *name : {"CUDA_HOME", "CUDA_ROOT", "CUDA_PATH"})
    if (const char *path = std::getenv(name); path && *path)
      return path;
  return "/usr/local/cuda";
}

/// --nn-to-gpu with the kernel options of `options`, then cleanup.
static void addKernelLaunches(OpPassManager &pm,
                              const nn::GPUPipelineOptions &options) {
  nn::ConvertNNToGPUPassOptions kernels;
  kernels.strategy = options.strategy;
  kernels.warpRowLimit = options.warpRowLimit;
  pm.addPass(nn::createConvertNNToGPUPass(kernels));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// The common stage (upstream's buildCommonPassPipeline, plus the async
/// region and an explicit libdevice): kernels outlined into one gpu.module
/// with an NVVM target, and everything but the gpu ops on both sides
/// lowered to the LLVM dialect.
static void addCommonStage(OpPassManager &pm,
                           const nn::GPUPipelineOptions &options) {
  pm.addPass(createGpuKernelOutliningPass());
  // gpu.alloc, gpu.memcpy and gpu.dealloc lower only in their async forms.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  // libdevice (exp, log) is linked from the toolkit named here, not found
  // through the environment, so that results do not depend on CUDA_HOME.
  std::string toolkit = options.toolkit.empty()
                            ? nn::getDefaultCUDAToolkitPath()
                            : std::string(options.toolkit);
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.features;
  target.optLevel = 3;
  llvm::SmallString<256> libdevice(toolkit);
  llvm::sys::path::append(libdevice, "nvvm", "libdevice", "libdevice.10.bc");
  if (llvm::sys::fs::exists(libdevice))
    target.linkLibs.push_back(libdevice.str().str());
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createArithToLLVMConversionPass());
  ConvertIndexToLLVMPassOptions index;
  index.indexBitwidth = options.indexBitwidth;
  pm.addPass(createConvertIndexToLLVMPass(index));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// The gpu.module stage (upstream's buildGpuPassPipeline, plus the
/// approximate exp2): the kernels to NVVM, and upstream's NVVM target
/// optimisation.
static void addGPUModuleStage(OpPassManager &pm) {
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createStripDebugInfoPass());
  kernels.addPass(nn::createApproximateExp2ToNVVMPass());
  ConvertGpuOpsToNVVMOpsOptions nvvm;
  nvvm.indexBitwidth = 64;
  kernels.addPass(createConvertGpuOpsToNVVMOps(nvvm));
  kernels.addPass(LLVM::createNVVMOptimizeForTargetPass());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());
}

/// The host stage (upstream's buildHostPostPipeline): launches to mgpu*
/// calls, and the gpu.module serialized into a gpu.binary.
static void addHostStage(OpPassManager &pm,
                         const nn::GPUPipelineOptions &options) {
  pm.addPass(createGpuToLLVMConversionPass());
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = options.toolkit.empty()
                           ? nn::getDefaultCUDAToolkitPath()
                           : std::string(options.toolkit);
  switch (options.format) {
  case nn::GPUImageFormat::PTX:
    binary.compilationTarget = "isa";
    break;
  case nn::GPUImageFormat::Cubin:
    binary.compilationTarget = "bin";
    break;
  case nn::GPUImageFormat::Fatbin:
    binary.compilationTarget = "fatbin";
    break;
  }
  pm.addPass(createGpuModuleToBinaryPass(binary));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void nn::buildGPUPipeline(OpPassManager &pm,
                          const GPUPipelineOptions &options) {
  addKernelLaunches(pm, options);
  addCommonStage(pm, options);
  addGPUModuleStage(pm);
  addHostStage(pm, options);
}

// For tests without a GPU: the same kernels, each gpu.launch run serially
// over blocks and threads by --nn-emulate-gpu, compiled for this CPU. What
// the emulation cannot show is in docs/gpu-codegen.md (ex2.approx's error,
// timing, races between warps that only shuffles separate).
void nn::buildGPUEmulatorPipeline(OpPassManager &pm,
                                  const GPUPipelineOptions &options,
                                  bool nativeBF16) {
  addKernelLaunches(pm, options);
  pm.addPass(createEmulateGPUPass());
  pm.addPass(createCanonicalizerPass());
  addCPULoweringToLLVM(pm, nativeBF16);
}

void nn::registerGPUPipeline() {
  PassPipelineRegistration<GPUPipelineOptions>(
      "nn-gpu-pipeline",
      "Lower functions of nn ops on tensors to NVIDIA GPU kernels (a "
      "gpu.binary of PTX/cubin/fatbin) and LLVM-dialect host code taking "
      "device buffers, results as out-parameters, C interface wrappers",
      buildGPUPipeline);
}
