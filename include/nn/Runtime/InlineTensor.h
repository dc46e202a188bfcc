//===- InlineTensor.h - Tensors written on the command line -----*- C++ -*-===//

#ifndef NN_RUNTIME_INLINETENSOR_H
#define NN_RUNTIME_INLINETENSOR_H

#include "nn/Runtime/HostTensor.h"

namespace mlir::nn::runtime {

/// Parses `SHAPExTYPE=VALUES`, e.g. "2x3xf32=1 2 3 4 5 6" or "f64=0.5" for a
/// rank-0 tensor. Values are separated by spaces or commas and may be `nan`,
/// `inf` or `-inf`; their count must match the shape. Values are rounded to
/// nearest even for f16 and bf16.
llvm::Expected<HostTensor> parseInlineTensor(llvm::StringRef text);

} // namespace mlir::nn::runtime

#endif // NN_RUNTIME_INLINETENSOR_H
