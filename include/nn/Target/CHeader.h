//===- CHeader.h - C declarations of compiled functions ---------*- C++ -*-===//

#ifndef NN_TARGET_CHEADER_H
#define NN_TARGET_CHEADER_H

#include "nn/Runtime/CPURunner.h"

namespace mlir::nn {

/// A public function of a compiled module and its tensor signature.
struct CompiledFunction {
  std::string name;
  runtime::FunctionSignature signature;
};

/// Writes a self-contained C header declaring `void _mlir_ciface_<name>(...)`
/// for every function: one pointer to a memref descriptor (the layout of
/// StridedMemRefType<T, Rank> in mlir/ExecutionEngine/CRunnerUtils.h) per
/// argument, then one per result, whose buffer the caller allocates. The
/// shapes are spelled out in comments. `guard` names the include guard.
void writeCHeader(llvm::ArrayRef<CompiledFunction> functions,
                  llvm::StringRef source, llvm::StringRef guard,
                  llvm::raw_ostream &os);

} // namespace mlir::nn

#endif // NN_TARGET_CHEADER_H
