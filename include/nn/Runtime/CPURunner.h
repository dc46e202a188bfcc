//===- CPURunner.h - JIT-run a function on the CPU --------------*- C++ -*-===//

#ifndef NN_RUNTIME_CPURUNNER_H
#define NN_RUNTIME_CPURUNNER_H

#include "nn/Pipelines/Pipelines.h"
#include "nn/Runtime/HostTensor.h"

namespace mlir {
class ModuleOp;

namespace nn::runtime {

/// The type of one argument or result: dynamic sizes are
/// ShapedType::kDynamic.
struct TensorSignature {
  ElementKind kind;
  llvm::SmallVector<int64_t> shape;
  /// `tensor<4x?xf32>`.
  std::string str() const;
};

struct FunctionSignature {
  llvm::SmallVector<TensorSignature> arguments;
  llvm::SmallVector<TensorSignature> results;
};

/// The signature of public function `name` in `module`, or an error if there
/// is no such function or its arguments and results are not all ranked
/// tensors of f16, bf16, f32 or f64.
llvm::Expected<FunctionSignature> getFunctionSignature(ModuleOp module,
                                                       llvm::StringRef name);

/// Checks `tensor` against argument `index` of `signature` (element kind,
/// rank, static sizes); `what` names the tensor in the message.
llvm::Error checkArgument(const FunctionSignature &signature, unsigned index,
                          const HostTensor &tensor, llvm::StringRef what);

/// Lowers `module` with the CPU pipeline, JIT-compiles it, and calls `name`
/// on `inputs`, which must pass checkArgument. Results are sized from the
/// inputs (dynamic result sizes are computed by a generated shape function).
/// Diagnostics go to the context's handler; the module is lowered in place.
llvm::Expected<llvm::SmallVector<HostTensor>>
runFunctionOnCPU(ModuleOp module, llvm::StringRef name,
                 llvm::ArrayRef<HostTensor> inputs,
                 const CPUPipelineOptions &options = {});

} // namespace nn::runtime
} // namespace mlir

#endif // NN_RUNTIME_CPURUNNER_H
