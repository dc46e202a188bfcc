//===- InitAllPasses.h - Register every nn pass and pipeline ----*- C++ -*-===//
///
/// \file
/// One call that makes every nn pass and pipeline available to textual pass
/// pipelines and to `nn-opt`'s command line.
///
//===----------------------------------------------------------------------===//

#ifndef NN_INITALLPASSES_H
#define NN_INITALLPASSES_H

namespace mlir::nn {

/// Registers with MLIR's global pass registry every nn conversion pass
/// (`--nn-to-linalg`, ...), every nn transformation pass (`--nn-raise`, ...)
/// and every nn pipeline (`--nn-cpu-pipeline`). Upstream passes are not
/// registered.
void registerAllPasses();

} // namespace mlir::nn

#endif // NN_INITALLPASSES_H
