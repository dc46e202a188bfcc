//===- NNToVector.h - Lower nn ops to vector code ---------------*- C++ -*-===//
///
/// \file
/// The `--nn-to-vector` pass (declared from Passes.td) and its patterns,
/// which lower `nn` ops to tuned, row-parallel vector kernels on tensors for
/// CPUs, and the options that shape those kernels.
///
//===----------------------------------------------------------------------===//

#ifndef NN_CONVERSION_NNTOVECTOR_NNTOVECTOR_H
#define NN_CONVERSION_NNTOVECTOR_NNTOVECTOR_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;

namespace nn {

#define GEN_PASS_DECL_CONVERTNNTOVECTORPASS
#include "nn/Conversion/Passes.h.inc"

/// Shape of the generated kernels. No value is rejected: out-of-range values
/// are clamped as described per field.
struct VectorKernelOptions {
  /// Vector register width in bits. A vector holds `vectorBits / 32` lanes
  /// when the result is f16, bf16 or f32 (computed in f32) and
  /// `vectorBits / 64` when it is f64, rounded down to a power of two, at
  /// least 1. Meant to be 128, 256 or 512 on x86-64.
  unsigned vectorBits = 512;
  /// Independent (max, sum) vector accumulators in the read pass; 0 counts
  /// as 1.
  unsigned accumulators = 2;
  /// Vectors per accumulator and step that share one rescaling of the
  /// running sum; 0 counts as 1.
  unsigned blockVectors = 4;
};

/// Adds to `patterns` the patterns that replace `nn.logsoftmax` of rank >= 1,
/// and `nn.cross_entropy` and `nn.cross_entropy_grad` on [N, C] or [C]
/// logits, by vector kernels on tensors shaped by `options` (an `scf.forall`
/// over independent slices; see `--nn-to-vector`). A log-softmax whose input
/// or result has a static size of 0 becomes a `tensor.empty`. Other ops and
/// ranks do not match and are left for
/// `populateNNToLinalgConversionPatterns`. `options` is copied into the
/// patterns.
void populateNNToVectorConversionPatterns(RewritePatternSet &patterns,
                                          const VectorKernelOptions &options);

} // namespace nn
} // namespace mlir

#endif // NN_CONVERSION_NNTOVECTOR_NNTOVECTOR_H
