//===- Passes.h - nn transformation passes ----------------------*- C++ -*-===//

#ifndef NN_TRANSFORMS_PASSES_H
#define NN_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "nn/Dialect/NN/IR/NNDialect.h"

namespace mlir::nn {

#define GEN_PASS_DECL
#include "nn/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "nn/Transforms/Passes.h.inc"

/// Upstream's bufferization as both targets run it: one-shot-bufferize with
/// identity layouts at function boundaries, nn-copy-duplicate-results,
/// buffer-results-to-out-params with static and dynamic allocations hoisted
/// (public functions too), and the buffer deallocation pipeline, with
/// canonicalization between.
void buildBufferizeToOutParamsPipeline(OpPassManager &pm);

} // namespace mlir::nn

#endif // NN_TRANSFORMS_PASSES_H
