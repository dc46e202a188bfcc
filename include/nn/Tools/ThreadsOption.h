//===- ThreadsOption.h - The --threads option of the nn tools ---*- C++ -*-===//

#ifndef NN_TOOLS_THREADSOPTION_H
#define NN_TOOLS_THREADSOPTION_H

#include "llvm/Support/CommandLine.h"

#include <optional>
#include <string>

namespace mlir::nn {

/// Registers `--threads=<n>` in `category` (once; later calls return the same
/// option). libLLVM already registers an unrelated option of that name, which
/// is taken out first, so call this before parsing the command line.
llvm::cl::opt<int> &registerThreadsOption(llvm::cl::OptionCategory &category,
                                          llvm::StringRef description);

/// An error message if `threads` is not a valid --threads value (0 for
/// automatic, or a positive count).
std::optional<std::string> checkThreadsOption(int threads);

} // namespace mlir::nn

#endif // NN_TOOLS_THREADSOPTION_H
