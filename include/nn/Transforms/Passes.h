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

} // namespace mlir::nn

#endif // NN_TRANSFORMS_PASSES_H
