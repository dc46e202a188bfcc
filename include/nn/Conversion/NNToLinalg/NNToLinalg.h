//===- NNToLinalg.h - Lower nn ops to linalg --------------------*- C++ -*-===//

#ifndef NN_CONVERSION_NNTOLINALG_NNTOLINALG_H
#define NN_CONVERSION_NNTOLINALG_NNTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;

namespace nn {

#define GEN_PASS_DECL_CONVERTNNTOLINALGPASS
#include "nn/Conversion/Passes.h.inc"

/// Adds the patterns that rewrite `nn.logsoftmax` into three fused
/// `linalg.generic` stages (reduce-max, exp-sum, subtract) on tensors.
void populateNNToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace nn
} // namespace mlir

#endif // NN_CONVERSION_NNTOLINALG_NNTOLINALG_H
