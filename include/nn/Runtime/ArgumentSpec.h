//===- ArgumentSpec.h - nn-run style argument specifications ----*- C++ -*-===//
///
/// \file
/// How nn-run (and anything that drives runFunctionOnCPU from a command line)
/// names a function argument: `@FILE.npy`, a bare `FILE.npy`, or an inline
/// tensor `SHAPExTYPE=VALUES`.
///
//===----------------------------------------------------------------------===//

#ifndef NN_RUNTIME_ARGUMENTSPEC_H
#define NN_RUNTIME_ARGUMENTSPEC_H

#include "nn/Runtime/CPURunner.h"
#include "nn/Runtime/HostTensor.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace mlir::nn::runtime {

/// Whether `spec` names a file: it starts with '@' or has no '='.
bool isFileArgumentSpec(llvm::StringRef spec);

/// The file a file spec names (`spec` without a leading '@').
llvm::StringRef getArgumentSpecPath(llvm::StringRef spec);

/// readNpy, as the default reader of loadArgument.
llvm::Expected<HostTensor> readNpyFile(llvm::StringRef path);

/// Loads argument `index` of `signature` from `spec`: an inline tensor is
/// parsed with parseInlineTensor, a file is read with `readFile` (readNpy by
/// default). NumPy has no bf16, so a bf16 argument given an f32 file is
/// rounded to bf16. The tensor is then checked with checkArgument. Returns
/// an error naming the argument (and file) when the spec is empty, the
/// tensor cannot be read, or it does not fit the signature.
llvm::Expected<HostTensor> loadArgument(
    llvm::StringRef spec, const FunctionSignature &signature, unsigned index,
    llvm::function_ref<llvm::Expected<HostTensor>(llvm::StringRef path)>
        readFile = readNpyFile);

} // namespace mlir::nn::runtime

#endif // NN_RUNTIME_ARGUMENTSPEC_H
