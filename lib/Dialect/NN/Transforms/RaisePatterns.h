//===- RaisePatterns.h - Patterns of --nn-raise ----------------*- C++ -*-===//
//
// Pattern sets shared by the --nn-raise pass, one per source form.
//
//===----------------------------------------------------------------------===//

#ifndef NN_LIB_DIALECT_NN_TRANSFORMS_RAISEPATTERNS_H
#define NN_LIB_DIALECT_NN_TRANSFORMS_RAISEPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::nn {

/// Adds the pattern that raises a linalg graph computing log-softmax (the
/// torch-mlir style decomposition, fused or not) to nn.logsoftmax.
void populateRaiseDecomposedLogSoftmaxPatterns(RewritePatternSet &patterns);

} // namespace mlir::nn

#endif // NN_LIB_DIALECT_NN_TRANSFORMS_RAISEPATTERNS_H
