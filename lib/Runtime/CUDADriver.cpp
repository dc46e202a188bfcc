//===- CUDADriver.cpp - The CUDA driver, loaded at run time ---------------===//

#include "nn/Runtime/CUDADriver.h"

#include <dlfcn.h>
#include <string>

using namespace mlir::nn::runtime;

llvm::Expected<CUDADriver> CUDADriver::load() {
  // The driver comes with the GPU's kernel module, not with the toolkit.
  void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
  if (!library)
    return llvm::createStringError(
        std::string("no CUDA driver on this machine (") + dlerror() +
        "); GPU runs need an NVIDIA GPU and its driver");
  CUDADriver driver;
  auto resolve = [&](const char *name, auto &fn) -> llvm::Error {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
        dlsym(library, name));
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
