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
  PassOptions::Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Lower nn.logsoftmax with the tuned vector kernels "
                     "(--nn-to-vector); false lowers through linalg to "
                     "scalar loops"),
      llvm::cl::init(true)};
  PassOptions::Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Vector register width in bits for the kernels (128, "
                     "256 or 512); 0 picks the widest this machine has"),
      llvm::cl::init(0)};
  PassOptions::Option<bool> nativeBF16{
      *this, "native-bf16",
      llvm::cl::desc("Leave bf16 <-> f32 conversions to the target (for "
                     "CPUs with AVX512-BF16); false expands them into "
                     "integer operations that any CPU runs"),
      llvm::cl::init(false)};
  PassOptions::Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads for the parallel loops: 1 runs serially with "
                     "no OpenMP dependency; 0 (default) decides at run time "
                     "from NN_NUM_THREADS, else OpenMP's default (all cores)"),
      llvm::cl::init(0)};
  PassOptions::Option<unsigned> accumulators{
      *this, "accumulators",
      llvm::cl::desc("Independent vector accumulators in the read pass"),
      llvm::cl::init(2)};
  PassOptions::Option<unsigned> blockVectors{
      *this, "block-vectors",
      llvm::cl::desc("Vectors per accumulator and step sharing one rescale"),
      llvm::cl::init(4)};
};

/// The widest vector register of this machine's CPU in bits (512 with
/// AVX-512F, 256 with AVX, else 128).
unsigned getHostVectorBits();

/// Whether this machine's CPU converts f32 to bf16 natively (AVX512-BF16).
bool hostHasNativeBF16();

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
