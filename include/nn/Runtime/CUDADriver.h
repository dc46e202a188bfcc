//===- CUDADriver.h - The CUDA driver, loaded at run time -------*- C++ -*-===//
///
/// \file
/// nn-mlir has no link-time CUDA dependency: the driver library
/// (libcuda.so.1) is opened with dlopen when a GPU is asked for, so the same
/// binaries run on machines without one and say so clearly.
///
//===----------------------------------------------------------------------===//

#ifndef NN_RUNTIME_CUDADRIVER_H
#define NN_RUNTIME_CUDADRIVER_H

#include "llvm/Support/Error.h"

namespace mlir::nn::runtime {

/// The CUDA driver API entry points nn-mlir uses, resolved from
/// libcuda.so.1. The library stays loaded for the life of the process.
class CUDADriver {
public:
  /// Loads libcuda.so.1, resolves the entry points and initializes the
  /// driver (cuInit). Returns an error saying that no driver is installed,
  /// or naming the CUDA error (e.g. CUDA_ERROR_NO_DEVICE), when it cannot.
  static llvm::Expected<CUDADriver> load();

  /// The number of CUDA devices; an error names the CUDA error.
  llvm::Expected<int> getDeviceCount() const;

  /// The name of CUDA error `code` (e.g. "CUDA_ERROR_INVALID_VALUE"), or
  /// "CUDA error N" when the driver does not know it.
  std::string getErrorName(int code) const;

private:
  using InitFn = int (*)(unsigned);
  using DeviceGetCountFn = int (*)(int *);
  using GetErrorNameFn = int (*)(int, const char **);
  InitFn init = nullptr;
  DeviceGetCountFn deviceGetCount = nullptr;
  GetErrorNameFn getErrorNameFn = nullptr;
};

} // namespace mlir::nn::runtime

#endif // NN_RUNTIME_CUDADRIVER_H
