//===- NNToGPU.h - Lower nn to GPU kernels ----------------------*- C++ -*-===//
///
/// \file
/// The GPU lowering of nn.logsoftmax: functions made of nn.logsoftmax ops
/// are bufferized by upstream's passes (results as trailing out-parameters)
/// and become host functions on device buffers that launch `gpu.launch`
/// kernels.
///
//===----------------------------------------------------------------------===//

#ifndef NN_CONVERSION_NNTOGPU_NNTOGPU_H
#define NN_CONVERSION_NNTOGPU_NNTOGPU_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/CommandLine.h"

namespace mlir::nn {

/// Which kernel handles a slice along the last dim.
enum class GPURowStrategy {
  /// Warp per row up to `warpRowLimit` elements, block per row above; chosen
  /// at run time when the row length is dynamic.
  Auto,
  /// One warp (32 threads) per row, 8 rows per block, the row in registers,
  /// shuffle reductions; rows longer than the warp holds are streamed.
  WarpPerRow,
  /// One block (256 or 512 threads) per row, the row in registers, warp
  /// shuffles then shared memory; longer rows take the wide block (64
  /// elements per thread) up to 32768, then are streamed.
  BlockPerRow,
  /// One block per row, reading the row twice (online max+sum, then the
  /// write): any length.
  Streamed,
  /// Every row cut into segments, one block each, in two launches (the
  /// segments' max and sum, then a combine and the write): any length.
  Split,
};

/// The command-line values of a GPURowStrategy option (auto, warp, block),
/// shared by --nn-to-gpu, --nn-gpu-pipeline and nn-compile.
inline llvm::cl::ValuesClass getGPURowStrategyValues() {
  return llvm::cl::values(
      clEnumValN(GPURowStrategy::Auto, "auto",
                 "a warp per row up to warp-row-limit elements, a block per "
                 "row up to what its registers hold, then rows split across "
                 "blocks when there are fewer than 1024, else a wide block "
                 "up to 32768 elements, else streamed"),
      clEnumValN(GPURowStrategy::WarpPerRow, "warp", "a warp per row"),
      clEnumValN(GPURowStrategy::BlockPerRow, "block",
                 "a 256- or 512-thread block per row (longer rows: the wide "
                 "block, then streamed)"),
      clEnumValN(GPURowStrategy::Streamed, "stream",
                 "a 256-thread block per row, reading the row twice"),
      clEnumValN(GPURowStrategy::Split, "split",
                 "rows cut into segments of one block each, two launches"));
}

#define GEN_PASS_DECL_CONVERTNNTOGPUPASS
#define GEN_PASS_DECL_APPROXIMATEEXP2TONVVMPASS
#define GEN_PASS_DECL_EMULATEGPUPASS
#include "nn/Conversion/Passes.h.inc"

/// The gpu.module the kernels are outlined into: one image holds them all.
/// Kernels are named `<function>_<op number>_<strategy>`.
constexpr llvm::StringLiteral kGPUKernelModuleName = "nn_kernels";


/// Options of the GPU kernels.
struct GPUKernelOptions {
  /// The kernel for last-dim slices.
  GPURowStrategy strategy = GPURowStrategy::Auto;
  /// The longest row the Auto strategy gives to one warp.
  int64_t warpRowLimit = 1024;
};

/// Turns `func`, a bufferized function on memrefs, into host code launching
/// kernels: every nn.logsoftmax_into (on identity-layout buffers) becomes
/// `gpu.launch` ops, and memref.alloc, memref.dealloc and memref.copy become
/// gpu.alloc, gpu.dealloc and gpu.memcpy, since every buffer here is a
/// device buffer. The function gets `llvm.emit_c_interface`. --nn-to-gpu
/// calls it after bufferizing functions of nn.logsoftmax ops with upstream's
/// passes. Returns failure, with an error at the offending op, for a
/// strided buffer.
LogicalResult lowerBufferizedFunctionToGPU(func::FuncOp func,
                                           const GPUKernelOptions &options);

} // namespace mlir::nn

#endif // NN_CONVERSION_NNTOGPU_NNTOGPU_H
