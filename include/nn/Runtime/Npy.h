//===- Npy.h - Reading and writing NumPy .npy files -------------*- C++ -*-===//
///
/// \file
/// Reading HostTensors from and writing them to NumPy's .npy format, for
/// tensors passed to and returned by the nn tools.
///
//===----------------------------------------------------------------------===//

#ifndef NN_RUNTIME_NPY_H
#define NN_RUNTIME_NPY_H

#include "nn/Runtime/HostTensor.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::nn::runtime {

/// Parses the bytes of a version 1, 2 or 3 .npy file holding a C-ordered
/// little-endian array of f2, f4 or f8 (`<f2`, `<f4`, `<f8`), giving an f16,
/// f32 or f64 tensor; the data is copied. Anything else (Fortran order,
/// big-endian, other dtypes, truncated or extra data, a bad header) is an
/// error naming the problem; `name` (e.g. the file name) prefixes the
/// messages.
llvm::Expected<HostTensor> parseNpy(llvm::StringRef bytes,
                                    llvm::StringRef name);

/// Reads the .npy file at `path` and parses it with parseNpy, using `path` as
/// the name. Returns an error if the file cannot be read or does not parse.
llvm::Expected<HostTensor> readNpy(llvm::StringRef path);

/// Writes `tensor` as a version 1.0 .npy file at `path` ("-" for stdout),
/// C-ordered and little-endian; bf16 is widened (exactly) to `<f4`, since
/// NumPy has no bf16. The file is written to a temporary next to `path` and
/// renamed into place, so a failure never leaves a partial file. Returns an
/// error if the file cannot be written.
llvm::Error writeNpy(llvm::StringRef path, const HostTensor &tensor);

/// Writes `tensor` to `os` in the .npy format writeNpy(path, ...) uses.
/// Returns an error, writing nothing, if the header would not fit a version
/// 1.0 file (a rank in the thousands).
llvm::Error writeNpy(llvm::raw_ostream &os, const HostTensor &tensor);

} // namespace mlir::nn::runtime

#endif // NN_RUNTIME_NPY_H
