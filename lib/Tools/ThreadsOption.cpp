//===- ThreadsOption.cpp - The --threads option of the nn tools -----------===//

#include "nn/Tools/ThreadsOption.h"

namespace cl = llvm::cl;

cl::opt<int> &mlir::nn::registerThreadsOption(cl::OptionCategory &category,
                                              llvm::StringRef description) {
  static cl::opt<int> *option = [&] {
    auto &registered = cl::getRegisteredOptions();
    if (auto it = registered.find("threads"); it != registered.end())
      it->second->removeArgument();
    return new cl::opt<int>("threads", cl::desc(description),
                            cl::value_desc("n"), cl::init(0),
                            cl::cat(category));
  }();
  return *option;
}

std::optional<std::string> mlir::nn::checkThreadsOption(int threads) {
  if (threads >= 0)
    return std::nullopt;
  return "--threads must be 0 (automatic) or a positive count, not " +
         std::to_string(threads);
}
