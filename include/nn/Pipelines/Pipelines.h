//===- Pipelines.h - nn pass pipelines --------------------------*- C++ -*-===//
///
/// \file
/// One pipeline function per target, each with an options struct, and their
/// registration under `--nn-<target>-pipeline`; plus the host CPU queries
/// that pick the CPU pipeline's defaults.
///
//===----------------------------------------------------------------------===//

#ifndef NN_PIPELINES_PIPELINES_H
#define NN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"
#include "nn/Conversion/NNToGPU/NNToGPU.h"

#include <string>

namespace mlir {
class OpPassManager;

namespace nn {

/// Options of the CPU pipeline (`--nn-cpu-pipeline="opt=value ..."`). A
/// default-constructed value holds the defaults below.
struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  /// Whether to run `--nn-emit-c-interface`, so that every public function
  /// with a body gets a `_mlir_ciface_<name>` wrapper. Default true;
  /// runFunctionOnCPU returns an error when it is false.
  PassOptions::Option<bool> emitCInterface{
      *this, "emit-c-interface",
      llvm::cl::desc("Emit a _mlir_ciface_<name> wrapper (pointers to memref "
                     "descriptors, results as trailing out-parameters) for "
                     "every public function"),
      llvm::cl::init(true)};
  /// Whether to lower `nn.logsoftmax` of rank >= 1 with `--nn-to-vector`
  /// first; otherwise (and for rank 0 always) `--nn-to-linalg` lowers it to
  /// scalar loops. Default true.
  PassOptions::Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Lower nn.logsoftmax with the tuned vector kernels "
                     "(--nn-to-vector); false lowers through linalg to "
                     "scalar loops"),
      llvm::cl::init(true)};
  /// Vector register width in bits for `--nn-to-vector`; 0 (default) uses
  /// CPUFeatures::getHost().vectorBits, the machine running the pipeline
  /// (nn/Target/CPUFeatures.h). Not validated;
  /// see VectorKernelOptions::vectorBits.
  PassOptions::Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Vector register width in bits for the kernels (128, "
                     "256 or 512); 0 picks the widest this machine has"),
      llvm::cl::init(0)};
  /// Whether the target converts bf16 <-> f32 natively (AVX512-BF16). When
  /// false (default), `arith-expand` rewrites those conversions into integer
  /// operations that any x86-64 CPU runs.
  PassOptions::Option<bool> nativeBF16{
      *this, "native-bf16",
      llvm::cl::desc("Leave bf16 <-> f32 conversions to the target (for "
                     "CPUs with AVX512-BF16); false expands them into "
                     "integer operations that any CPU runs"),
      llvm::cl::init(false)};
  /// Threads per parallel loop. 1 turns `scf.forall` into serial `scf.for`
  /// (no OpenMP calls); any other value goes to `--nn-forall-to-openmp`'s
  /// `num-threads`, where 0 (default) reads `NN_NUM_THREADS` at run time.
  PassOptions::Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads for the parallel loops: 1 runs serially with "
                     "no OpenMP dependency; 0 (default) decides at run time "
                     "from NN_NUM_THREADS, else OpenMP's default (all cores)"),
      llvm::cl::init(0)};
  /// Passed to `--nn-forall-to-openmp`: parallel loops over less data run
  /// serially on the calling thread.
  PassOptions::Option<uint64_t> minParallelBytes{
      *this, "min-parallel-bytes",
      llvm::cl::desc("Parallel loops whose largest input or output holds "
                     "fewer bytes run serially on the calling thread, where "
                     "starting threads would cost more than it saves (0: "
                     "always in parallel)"),
      llvm::cl::init(131072)};
  /// Passed to `--nn-to-vector`; see VectorKernelOptions::accumulators.
  PassOptions::Option<unsigned> accumulators{
      *this, "accumulators",
      llvm::cl::desc("Independent vector accumulators in the read pass"),
      llvm::cl::init(2)};
  /// Passed to `--nn-to-vector`; see VectorKernelOptions::blockVectors.
  PassOptions::Option<unsigned> blockVectors{
      *this, "block-vectors",
      llvm::cl::desc("Vectors per accumulator and step sharing one rescale"),
      llvm::cl::init(4)};
};

/// How the GPU pipeline serializes the kernels: upstream's
/// gpu-module-to-binary formats isa, bin and fatbin.
enum class GPUImageFormat { PTX, Cubin, Fatbin };

/// Options of the GPU pipeline (`--nn-gpu-pipeline="opt=value ..."`), for
/// NVIDIA GPUs through NVVM. A default-constructed value targets an H100.
struct GPUPipelineOptions : public PassPipelineOptions<GPUPipelineOptions> {
  /// The SM architecture the kernels are compiled for.
  PassOptions::Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("Target SM architecture, e.g. sm_80 or sm_90"),
      llvm::cl::init("sm_90")};
  /// LLVM NVPTX target features; sm_90 needs +ptx78 or newer.
  PassOptions::Option<std::string> features{
      *this, "features", llvm::cl::desc("NVPTX target features"),
      llvm::cl::init("+ptx80")};
  /// How the gpu.module is serialized.
  PassOptions::Option<GPUImageFormat> format{
      *this, "format", llvm::cl::desc("Kernel image format"),
      llvm::cl::init(GPUImageFormat::PTX),
      llvm::cl::values(
          clEnumValN(GPUImageFormat::PTX, "isa",
                     "PTX text (needs no external tool)"),
          clEnumValN(GPUImageFormat::Cubin, "bin",
                     "a cubin (runs ptxas from the CUDA toolkit)"),
          clEnumValN(GPUImageFormat::Fatbin, "fatbin", "a fat binary"))};
  /// The bit width of `index` on the host side.
  PassOptions::Option<int64_t> indexBitwidth{
      *this, "index-bitwidth",
      llvm::cl::desc("Bit width of index values on the host"),
      llvm::cl::init(64)};
  /// The last-dim kernel: see `--nn-to-gpu`'s `strategy`.
  PassOptions::Option<GPURowStrategy> strategy{
      *this, "strategy", llvm::cl::desc("Last-dim kernel"),
      llvm::cl::init(GPURowStrategy::Auto), getGPURowStrategyValues()};
  /// The longest row that `auto` gives to one warp.
  PassOptions::Option<int64_t> warpRowLimit{
      *this, "warp-row-limit",
      llvm::cl::desc("Longest row that auto gives to one warp"),
      llvm::cl::init(1024)};
  /// The CUDA toolkit: libdevice (for exp and log) and ptxas come from it.
  /// Empty: getDefaultCUDAToolkitPath().
  PassOptions::Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit directory (libdevice, ptxas); default "
                     "$CUDA_HOME, $CUDA_ROOT, $CUDA_PATH or /usr/local/cuda"),
      llvm::cl::init("")};
};

/// $CUDA_HOME, $CUDA_ROOT or $CUDA_PATH, the first set, else /usr/local/cuda.
std::string getDefaultCUDAToolkitPath();

/// Appends to `pm` (which must run on a `builtin.module`) the passes that
/// lower `nn` ops on tensors, and the functions around them, to the LLVM
/// dialect for an x86-64 CPU: nn -> vector kernels (if `options.vectorize`)
/// and linalg on tensors, C interface attributes (if
/// `options.emitCInterface`), one-shot bufferization with identity-layout
/// function boundaries, results turned into trailing caller-allocated
/// out-parameters (also of public functions), `scf.forall` to OpenMP or
/// serial loops, then LLVM. Only builds the pipeline; failures are reported
/// as diagnostics when `pm` runs.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// The last stage of buildCPUPipeline: bufferized code on memrefs (scf,
/// vector, math, arith, memref) to the LLVM dialect. `nativeBF16`: the
/// target converts bf16 itself (AVX512-BF16), else integer code does.
void addCPULoweringToLLVM(OpPassManager &pm, bool nativeBF16);

/// Registers `--nn-cpu-pipeline` (buildCPUPipeline with CPUPipelineOptions
/// parsed from the pipeline's options) with MLIR's global pass registry.
void registerCPUPipeline();

/// Registers every nn pipeline (currently only registerCPUPipeline()).
/// Adds to `pm` the GPU pipeline: `--nn-to-gpu` (every function made of
/// nn.logsoftmax ops becomes kernel launches on device buffers, results as
/// out-parameters), then upstream's GPU-to-NVVM lowering, which serializes
/// the kernels into a gpu.binary in `options.format` and lowers the host
/// code to the LLVM dialect. Failures are reported when `pm` runs.
void buildGPUPipeline(OpPassManager &pm, const GPUPipelineOptions &options);

/// Registers `--nn-gpu-pipeline` (buildGPUPipeline) with the pass registry.
void registerGPUPipeline();

/// For testing without a GPU: `--nn-to-gpu` with the kernel options of
/// `options`, then `--nn-emulate-gpu` (the kernels as serial loops over
/// blocks and threads), then addCPULoweringToLLVM. The result has the GPU
/// functions' signatures on host memory, so the differential tests call it
/// as they call CPU code.
void buildGPUEmulatorPipeline(OpPassManager &pm,
                              const GPUPipelineOptions &options,
                              bool nativeBF16);

void registerAllPipelines();

} // namespace nn
} // namespace mlir

#endif // NN_PIPELINES_PIPELINES_H
