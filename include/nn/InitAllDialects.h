//===- InitAllDialects.h - Register the nn dialect and its needs -*- C++
//-*-===//

#ifndef NN_INITALLDIALECTS_H
#define NN_INITALLDIALECTS_H

namespace mlir {
class DialectRegistry;

namespace nn {

/// Registers the `nn` dialect together with every upstream dialect, interface
/// model and LLVM IR translation that the nn passes and pipelines need, so a
/// tool that calls this can parse, lower and translate nn modules.
void registerAllDialects(DialectRegistry &registry);

} // namespace nn
} // namespace mlir

#endif // NN_INITALLDIALECTS_H
