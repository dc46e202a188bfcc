//===- InlineTensor.h - Tensors written on the command line -----*- C++ -*-===//
///
/// \file
/// Parsing a tensor given literally as text, e.g. an nn-run argument.
///
//===----------------------------------------------------------------------===//

#ifndef NN_RUNTIME_INLINETENSOR_H
#define NN_RUNTIME_INLINETENSOR_H

#include "nn/Runtime/HostTensor.h"

namespace mlir::nn::runtime {

/// Parses `SHAPExTYPE=VALUES`, e.g. "2x3xf32=1 2 3 4 5 6" or "f64=0.5" for a
/// rank-0 tensor. TYPE is f16, bf16, f32, f64, i32 or i64; the sizes are
/// non-negative decimal integers. Values are row-major, separated by spaces,
/// commas, tabs or newlines; float values are parsed with strtod (so `nan`,
/// `inf` and `-inf` work) and rounded once to the element type (to nearest
/// even), integer values must be decimal integers that fit the type. Their
/// count must match the shape. Returns an error, quoting the start of
/// `text`, if any of this does not hold.
llvm::Expected<HostTensor> parseInlineTensor(llvm::StringRef text);

} // namespace mlir::nn::runtime

#endif // NN_RUNTIME_INLINETENSOR_H
