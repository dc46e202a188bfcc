//===- CHeader.h - C declarations of compiled functions ---------*- C++ -*-===//
///
/// \file
/// Writing the C header that nn-compile emits next to an object file or
/// shared library: memref descriptor types and one prototype per function.
///
//===----------------------------------------------------------------------===//

#ifndef NN_TARGET_CHEADER_H
#define NN_TARGET_CHEADER_H

#include "nn/Runtime/CPURunner.h"

namespace mlir::nn {

/// A public function of a compiled module and its tensor signature.
struct CompiledFunction {
  /// The function's symbol name, without `@` or the `_mlir_ciface_` prefix.
  std::string name;
  /// Its argument and result types, as getFunctionSignature returns them.
  runtime::FunctionSignature signature;
};

/// Writes to `os` a self-contained C header (it includes only <stdint.h>
/// and is usable from C++) declaring `void _mlir_ciface_<name>(...)` for
/// every entry of `functions`, in order: one pointer to a memref descriptor
/// (the layout of StridedMemRefType<T, Rank> in
/// mlir/ExecutionEngine/CRunnerUtils.h) per argument, then one per result,
/// whose buffer the caller allocates. Descriptor structs are named
/// `nn_memref_<rank>d_<type>`, defined once each, and hold `uint16_t` for f16
/// and bf16. The shapes are spelled out in comments. `source` is named in
/// the header's first comment; `guard` is the include guard macro. Neither
/// the names nor `guard` are checked to be valid C identifiers.
void writeCHeader(llvm::ArrayRef<CompiledFunction> functions,
                  llvm::StringRef source, llvm::StringRef guard,
                  llvm::raw_ostream &os);

} // namespace mlir::nn

#endif // NN_TARGET_CHEADER_H
