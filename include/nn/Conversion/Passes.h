//===- Passes.h - nn conversion passes --------------------------*- C++ -*-===//
///
/// \file
/// Declares every nn conversion pass (`--nn-to-linalg`, `--nn-to-vector`)
/// with its pattern-population function, and `registerNNConversionPasses()`,
/// generated from Passes.td, which registers them all.
///
//===----------------------------------------------------------------------===//

#ifndef NN_CONVERSION_PASSES_H
#define NN_CONVERSION_PASSES_H

#include "nn/Conversion/NNToGPU/NNToGPU.h"
#include "nn/Conversion/NNToLinalg/NNToLinalg.h"
#include "nn/Conversion/NNToVector/NNToVector.h"

namespace mlir::nn {

#define GEN_PASS_REGISTRATION
#include "nn/Conversion/Passes.h.inc"

} // namespace mlir::nn

#endif // NN_CONVERSION_PASSES_H
