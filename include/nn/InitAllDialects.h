//===- InitAllDialects.h - Register the nn dialect and more -----*- C++ -*-===//
///
/// \file
/// One call that fills a DialectRegistry with everything an nn tool needs.
///
//===----------------------------------------------------------------------===//

#ifndef NN_INITALLDIALECTS_H
#define NN_INITALLDIALECTS_H

namespace mlir {
class DialectRegistry;

namespace nn {

/// Adds to `registry` the `nn` dialect and all upstream MLIR dialects, their
/// extensions (the bufferization and to-LLVM interface models the pipelines
/// rely on) and their translations to LLVM IR, so a context built from it can
/// parse, lower and translate nn modules. Dialects are registered, not
/// loaded.
void registerAllDialects(DialectRegistry &registry);

} // namespace nn
} // namespace mlir

#endif // NN_INITALLDIALECTS_H
