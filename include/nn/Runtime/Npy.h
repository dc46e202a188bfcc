//===- Npy.h - Reading and writing NumPy .npy files -------------*- C++ -*-===//

#ifndef NN_RUNTIME_NPY_H
#define NN_RUNTIME_NPY_H

#include "nn/Runtime/HostTensor.h"

namespace mlir::nn::runtime {

/// Parses the bytes of a version 1, 2 or 3 .npy file holding a C-ordered
/// little-endian array of f2, f4 or f8. Anything else (Fortran order,
/// big-endian, other dtypes, truncated data, a bad header) is an error naming
/// the problem; `name` prefixes the messages.
llvm::Expected<HostTensor> parseNpy(llvm::StringRef bytes,
                                    llvm::StringRef name);

/// Reads and parses the .npy file at `path`.
llvm::Expected<HostTensor> readNpy(llvm::StringRef path);

/// Writes `tensor` as a .npy file (bf16 is written as f4, since NumPy has no
/// bf16). The file is written to a temporary next to `path` and renamed into
/// place, so a failure never leaves a partial file.
llvm::Error writeNpy(llvm::StringRef path, const HostTensor &tensor);

} // namespace mlir::nn::runtime

#endif // NN_RUNTIME_NPY_H
