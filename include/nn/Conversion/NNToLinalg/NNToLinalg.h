//===- NNToLinalg.h - Lower nn ops to linalg --------------------*- C++ -*-===//
///
/// \file
/// The `--nn-to-linalg` pass (declared from Passes.td) and its patterns,
/// which lower `nn` ops to `linalg.generic` ops on tensors.
///
//===----------------------------------------------------------------------===//

#ifndef NN_CONVERSION_NNTOLINALG_NNTOLINALG_H
#define NN_CONVERSION_NNTOLINALG_NNTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;

namespace nn {

#define GEN_PASS_DECL_CONVERTNNTOLINALGPASS
#include "nn/Conversion/Passes.h.inc"

/// Adds to `patterns` the pattern that replaces `nn.logsoftmax` by its
/// `decomposeOperation` (AggregatedOpInterface): three fused `linalg.generic`
/// stages on tensors (reduce-max, exp-sum, `(x - max) - log(sum)`), or a
/// single elementwise `x - x` for a rank-0 input. The pattern applies to
/// every op of any rank; it does not emit diagnostics itself (the pass
/// reports ops left unconverted as errors).
void populateNNToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace nn
} // namespace mlir

#endif // NN_CONVERSION_NNTOLINALG_NNTOLINALG_H
