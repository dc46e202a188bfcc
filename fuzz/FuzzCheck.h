//===- FuzzCheck.h - Property checks inside fuzz targets --------*- C++ -*-===//
//
// A failed property aborts, which libFuzzer reports as a crash and saves
// the input.
//
//===----------------------------------------------------------------------===//

#ifndef NN_FUZZ_FUZZCHECK_H
#define NN_FUZZ_FUZZCHECK_H

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

namespace nn::fuzz {

/// Aborts with "`target`: `what`" unless `condition` holds.
inline void check(bool condition, const char *target, const char *what) {
  if (!condition) {
    llvm::errs() << target << ": " << what << "\n";
    std::abort();
  }
}

} // namespace nn::fuzz

#endif // NN_FUZZ_FUZZCHECK_H
