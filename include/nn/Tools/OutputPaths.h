//===- OutputPaths.h - Checks on the files a tool writes --------*- C++ -*-===//
///
/// \file
/// A check, made before anything is written, that a tool's output files do
/// not clobber its inputs or each other.
///
//===----------------------------------------------------------------------===//

#ifndef NN_TOOLS_OUTPUTPATHS_H
#define NN_TOOLS_OUTPUTPATHS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir::nn {

/// An error message if one of `outputs` names the same file as one of
/// `inputs` (so writing it would destroy an input) or as an earlier output;
/// std::nullopt when they are all distinct. Two paths name the same file if
/// they are the same existing file (links included) or the same path once
/// made absolute and normalized. "-" (stdin/stdout) is ignored. Only queries
/// the file system; prints nothing.
std::optional<std::string>
checkOutputPaths(llvm::ArrayRef<std::string> inputs,
                 llvm::ArrayRef<std::string> outputs);

} // namespace mlir::nn

#endif // NN_TOOLS_OUTPUTPATHS_H
