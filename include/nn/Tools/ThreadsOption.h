//===- ThreadsOption.h - The --threads option of the nn tools ---*- C++ -*-===//
///
/// \file
/// The `--threads` command-line option shared by nn-run and nn-compile, and
/// its validation.
///
//===----------------------------------------------------------------------===//

#ifndef NN_TOOLS_THREADSOPTION_H
#define NN_TOOLS_THREADSOPTION_H

#include "llvm/Support/CommandLine.h"

#include <optional>
#include <string>

namespace mlir::nn {

/// Registers `--threads=<n>` (an int, default 0) in `category` with
/// `description` as its help text. Only the first call registers; later calls
/// return the same option and ignore their arguments. libLLVM already
/// registers an unrelated option of that name, which is taken out first, so
/// call this before parsing the command line. The option lives until the
/// process exits.
llvm::cl::opt<int> &registerThreadsOption(llvm::cl::OptionCategory &category,
                                          llvm::StringRef description);

/// An error message if `threads` is not a valid --threads value, i.e. if it
/// is negative (0 means automatic, a positive value is a count);
/// std::nullopt when it is valid.
std::optional<std::string> checkThreadsOption(int threads);

} // namespace mlir::nn

#endif // NN_TOOLS_THREADSOPTION_H
