//===- CUDADriver.cpp - The CUDA driver, loaded at run time ---------------===//

#include "nn/Runtime/CUDADriver.h"

#include "llvm/Support/DynamicLibrary.h"

#include <string>

using namespace mlir::nn::runtime;

llvm::Expected<CUDADriver> CUDADriver::load() {
  // The driver comes with the GPU's kernel module, not with the toolkit.
  std::string error;
  llvm::sys::DynamicLibrary library =
      llvm::sys::DynamicLibrary::getPermanentLibrary("libcuda.so.1", &error);
  if (!library.isValid())
    return llvm::createStringError("no CUDA driver on this machine (" + error +
                                   "); GPU runs need an NVIDIA GPU and its "
                                   "driver");
  CUDADriver driver;
  auto resolve = [&](const char *name, auto &fn) -> llvm::Error {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
        library.getAddressOfSymbol(name));
    if (!fn)
      return llvm::createStringError(std::string("the CUDA driver lacks ") +
                                     name);
    return llvm::Error::success();
  };
  if (llvm::Error err = resolve("cuInit", driver.init))
    return std::move(err);
  if (llvm::Error err = resolve("cuDeviceGetCount", driver.deviceGetCount))
    return std::move(err);
  if (llvm::Error err = resolve("cuGetErrorName", driver.getErrorNameFn))
    return std::move(err);
  if (int code = driver.init(0))
    return llvm::createStringError("cuInit failed: " +
                                   driver.getErrorName(code));
  return driver;
}

llvm::Expected<int> CUDADriver::getDeviceCount() const {
  int count = 0;
  if (int code = deviceGetCount(&count))
    return llvm::createStringError("cuDeviceGetCount failed: " +
                                   getErrorName(code));
  return count;
}

std::string CUDADriver::getErrorName(int code) const {
  const char *name = nullptr;
  if (getErrorNameFn && getErrorNameFn(code, &name) == 0 && name)
    return name;
  return "CUDA error " + std::to_string(code);
}
