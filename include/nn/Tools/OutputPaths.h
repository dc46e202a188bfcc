//===- OutputPaths.h - Checks on the files a tool writes --------*- C++ -*-===//

#ifndef NN_TOOLS_OUTPUTPATHS_H
#define NN_TOOLS_OUTPUTPATHS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir::nn {

/// An error message if one of `outputs` names the same file as one of
/// `inputs` (so writing it would destroy an input) or as another output;
/// std::nullopt when they are all distinct. "-" (stdin/stdout) is ignored.
std::optional<std::string>
checkOutputPaths(llvm::ArrayRef<std::string> inputs,
                 llvm::ArrayRef<std::string> outputs);

} // namespace mlir::nn

#endif // NN_TOOLS_OUTPUTPATHS_H
