//===- Passes.h - nn dialect transformation passes --------------*- C++ -*-===//
///
/// \file
/// Passes specific to the nn dialect: `--nn-raise` recognizes log-softmax
/// written with other dialects' ops (linalg.softmax + log, the TOSA
/// sequence, a torch-mlir style linalg decomposition) and rewrites it to
/// nn.logsoftmax; see docs/raising.md.
///
//===----------------------------------------------------------------------===//

#ifndef NN_DIALECT_NN_TRANSFORMS_PASSES_H
#define NN_DIALECT_NN_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"
#include "nn/Dialect/NN/IR/NNDialect.h"

namespace mlir::nn {

#define GEN_PASS_DECL
#include "nn/Dialect/NN/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "nn/Dialect/NN/Transforms/Passes.h.inc"

} // namespace mlir::nn

#endif // NN_DIALECT_NN_TRANSFORMS_PASSES_H
