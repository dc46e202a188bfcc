//===- NpyFuzzer.cpp - Fuzz the .npy reader -------------------------------===//
//
// Any bytes: parseNpy either fails with a message, or gives a tensor that
// writeNpy writes and parseNpy reads back unchanged.
//
//===----------------------------------------------------------------------===//

#include "nn/Runtime/Npy.h"
#include "FuzzCheck.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir::nn::runtime;

static void check(bool condition, const char *what) {
  nn::fuzz::check(condition, "NpyFuzzer", what);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::Expected<HostTensor> tensor = parseNpy(bytes, "fuzz.npy");
  if (!tensor) {
    check(!llvm::toString(tensor.takeError()).empty(), "empty error message");
    return 0;
  }
  std::string written;
  llvm::raw_string_ostream os(written);
  if (llvm::Error err = writeNpy(os, *tensor)) {
    check(!llvm::toString(std::move(err)).empty(), "empty write error");
    return 0;
  }
  llvm::Expected<HostTensor> back = parseNpy(written, "round-trip.npy");
  check(static_cast<bool>(back), "a written .npy does not read back");
  check(back->getKind() == tensor->getKind(), "element type changed");
  check(back->getShape() == tensor->getShape(), "shape changed");
  check(back->getSizeInBytes() == tensor->getSizeInBytes() &&
            std::memcmp(back->getData(), tensor->getData(),
                        tensor->getSizeInBytes()) == 0,
        "data changed");
  return 0;
}
