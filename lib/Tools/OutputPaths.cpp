//===- OutputPaths.cpp - Checks on the files a tool writes ----------------===//

#include "nn/Tools/OutputPaths.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

/// Whether `a` and `b` name the same file: the same existing file, or the
/// same path once made absolute and normalized.
static bool isSameFile(llvm::StringRef a, llvm::StringRef b) {
  bool equivalent = false;
  if (!llvm::sys::fs::equivalent(a, b, equivalent) && equivalent)
    return true;
  llvm::SmallString<256> absoluteA(a), absoluteB(b);
  llvm::sys::fs::make_absolute(absoluteA);
  llvm::sys::fs::make_absolute(absoluteB);
  llvm::sys::path::remove_dots(absoluteA, /*remove_dot_dot=*/true);
  llvm::sys::path::remove_dots(absoluteB, /*remove_dot_dot=*/true);
  return absoluteA == absoluteB;
}

std::optional<std::string>
mlir::nn::checkOutputPaths(llvm::ArrayRef<std::string> inputs,
                           llvm::ArrayRef<std::string> outputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i] == "-")
      continue;
    for (const std::string &input : inputs)
      if (input != "-" && isSameFile(outputs[i], input))
        return "output '" + outputs[i] + "' is the input '" + input +
               "'; refusing to overwrite it";
    for (size_t j = 0; j < i; ++j)
      if (outputs[j] != "-" && isSameFile(outputs[i], outputs[j]))
        return "output '" + outputs[i] + "' is given twice";
  }
  return std::nullopt;
}
