//===- InitAllPasses.h - Register every nn pass and pipeline ----*- C++ -*-===//

#ifndef NN_INITALLPASSES_H
#define NN_INITALLPASSES_H

namespace mlir::nn {

/// Registers every nn pass (`--nn-to-linalg`, ...) and pipeline
/// (`--nn-cpu-pipeline`, ...) with the global pass registry.
void registerAllPasses();

} // namespace mlir::nn

#endif // NN_INITALLPASSES_H
