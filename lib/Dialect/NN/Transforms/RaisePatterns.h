//===- RaisePatterns.h - Patterns of --nn-raise ----------------*- C++ -*-===//
//
// Pattern sets shared by the --nn-raise pass, one per source form.
//
//===----------------------------------------------------------------------===//

#ifndef NN_LIB_DIALECT_NN_TRANSFORMS_RAISEPATTERNS_H
#define NN_LIB_DIALECT_NN_TRANSFORMS_RAISEPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::nn {

/// Adds the pattern that raises a linalg graph computing log-softmax,
/// softmax or the log-softmax gradient (the torch-mlir style
/// decompositions, fused or not) to nn.logsoftmax, nn.softmax or
/// nn.logsoftmax_grad.
void populateRaiseDecomposedPatterns(RewritePatternSet &patterns);

/// Adds the pattern that raises torch-mlir's nll_loss of an nn.logsoftmax
/// (F.cross_entropy without label smoothing) to nn.cross_entropy.
void populateRaiseNLLLossPatterns(RewritePatternSet &patterns);

} // namespace mlir::nn

#endif // NN_LIB_DIALECT_NN_TRANSFORMS_RAISEPATTERNS_H
