//===- GPUPipeline.cpp - nn on tensors to NVVM kernels and host code ------===//
//
// --nn-to-gpu rewrites the functions into kernel launches on device
// buffers; then, as upstream's GPU-to-NVVM pipeline does, the kernels are
// outlined, lowered to NVVM and serialized (PTX, cubin or fatbin), and the
// host side is lowered to the LLVM dialect with calls to the mgpu* runtime
// functions. Unlike upstream's, this pipeline links libdevice from an
// explicit toolkit path.
//
//===----------------------------------------------------------------------===//

#include "nn/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
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

void nn::buildGPUPipeline(OpPassManager &pm,
                          const GPUPipelineOptions &options) {
  addKernelLaunches(pm, options);

  // Kernels into one gpu.module with an NVVM target. libdevice (exp, log)
  // is linked from the toolkit named here, not found through the
  // environment, so that results do not depend on CUDA_HOME being set.
  pm.addPass(createGpuKernelOutliningPass());
  // gpu.alloc, gpu.memcpy and gpu.dealloc lower only in their async forms.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  std::string toolkit = options.toolkit.empty() ? getDefaultCUDAToolkitPath()
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

  // The kernels to NVVM; the exp2 they take approximately first.
  pm.addNestedPass<gpu::GPUModuleOp>(nn::createApproximateExp2ToNVVMPass());
  ConvertGpuOpsToNVVMOpsOptions nvvm;
  nvvm.indexBitwidth = 64;
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps(nvvm));
  pm.addNestedPass<gpu::GPUModuleOp>(createCanonicalizerPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createCSEPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createReconcileUnrealizedCastsPass());

  // The host side, and the kernels serialized into a gpu.binary.
  pm.addPass(createGpuToLLVMConversionPass());
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = toolkit;
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
