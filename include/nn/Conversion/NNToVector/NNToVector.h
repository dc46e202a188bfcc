//===- NNToVector.h - Lower nn ops to vector code ---------------*- C++ -*-===//

#ifndef NN_CONVERSION_NNTOVECTOR_NNTOVECTOR_H
#define NN_CONVERSION_NNTOVECTOR_NNTOVECTOR_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;

namespace nn {

#define GEN_PASS_DECL_CONVERTNNTOVECTORPASS
#include "nn/Conversion/Passes.h.inc"

/// Shape of the generated kernels.
struct VectorKernelOptions {
  /// Vector register width in bits.
  unsigned vectorBits = 512;
  /// Independent accumulators in the read pass.
  unsigned accumulators = 2;
  /// Vectors per accumulator and step that share one rescaling.
  unsigned blockVectors = 4;
};

/// Adds the patterns that rewrite `nn.logsoftmax` (rank >= 1) into
/// row-parallel vector code on tensors (see `--nn-to-vector`).
void populateNNToVectorConversionPatterns(RewritePatternSet &patterns,
                                          const VectorKernelOptions &options);

} // namespace nn
} // namespace mlir

#endif // NN_CONVERSION_NNTOVECTOR_NNTOVECTOR_H
