//===- Pipelines.h - nn pass pipelines --------------------------*- C++ -*-===//
//
// One pipeline function per target, each with an options struct, and their
// registration under `--nn-<target>-pipeline`.
//
//===----------------------------------------------------------------------===//

#ifndef NN_PIPELINES_PIPELINES_H
#define NN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace nn {

/// Options of the CPU pipeline (`--nn-cpu-pipeline="opt=value ..."`).
struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<bool> emitCInterface{
      *this, "emit-c-interface",
      llvm::cl::desc("Emit a _mlir_ciface_<name> wrapper (pointers to memref "
                     "descriptors, results as trailing out-parameters) for "
                     "every public function"),
      llvm::cl::init(true)};
};

/// Lowers a module of `nn` ops on tensors to the LLVM dialect for the host
/// CPU: nn -> linalg on tensors, bufferization with identity-layout function
/// boundaries, results turned into caller-allocated out-parameters, loops,
/// then LLVM.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers `--nn-cpu-pipeline`.
void registerCPUPipeline();

/// Registers every nn pipeline.
void registerAllPipelines();

} // namespace nn
} // namespace mlir

#endif // NN_PIPELINES_PIPELINES_H
