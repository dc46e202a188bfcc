//===- ClassIndexCheck.h - Class indices checked before a run ---*- C++ -*-===//
///
/// \file
/// Compiled nn.cross_entropy code gives NaN for a target that is neither
/// ignore_index nor a class (see the op's description). A tool that runs a
/// function from the command line checks its arguments first instead, and
/// reports such a target as an error.
///
//===----------------------------------------------------------------------===//

#ifndef NN_RUNTIME_CLASSINDEXCHECK_H
#define NN_RUNTIME_CLASSINDEXCHECK_H

#include "mlir/IR/BuiltinOps.h"
#include "nn/Runtime/HostTensor.h"
#include "llvm/Support/Error.h"

namespace mlir::nn::runtime {

/// For every nn.cross_entropy and nn.cross_entropy_grad in @`function` of
/// `module` whose target is an argument of the function, checks that each
/// target in `arguments` is ignore_index or in [0, C), C being the class
/// count of the logits (from the logits argument where its type leaves it
/// dynamic). Returns an error naming the argument, the index and the range.
llvm::Error checkClassIndices(ModuleOp module, llvm::StringRef function,
                              llvm::ArrayRef<HostTensor> arguments);

} // namespace mlir::nn::runtime

#endif // NN_RUNTIME_CLASSINDEXCHECK_H
