//===- CrashRecovery.h - Turn a crash into an error exit --------*- C++ -*-===//
///
/// \file
/// The packaged MLIR has parsers that crash on some malformed input (e.g.
/// `linalg.reduce ... dimensions = X]`, which stock mlir-opt 22 also dies
/// on). The tools run their work under runWithCrashRecovery so that such a
/// crash ends in an error message and exit status 1, not a signal. The
/// handler cannot tell whose code crashed, so its message blames nobody: a
/// crash in nn-mlir's own code is a bug to fix, found by the same message.
///
//===----------------------------------------------------------------------===//

#ifndef NN_TOOLS_CRASHRECOVERY_H
#define NN_TOOLS_CRASHRECOVERY_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::nn {

/// Runs `body` and returns what it returns. If it crashes (a signal on this
/// thread), prints "`tool`: error: internal error: ... while processing
/// `input` ..." and returns 1 instead. Builds with AddressSanitizer run
/// `body` unguarded, so that the sanitizer reports the crash in full.
int runWithCrashRecovery(llvm::StringRef tool, llvm::StringRef input,
                         llvm::function_ref<int()> body);

} // namespace mlir::nn

#endif // NN_TOOLS_CRASHRECOVERY_H
