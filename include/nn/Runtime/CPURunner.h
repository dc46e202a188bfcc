//===- CPURunner.h - JIT-run a function on the CPU --------------*- C++ -*-===//
///
/// \file
/// Running a public function of an nn module on host tensors: its tensor
/// signature, argument checks, and lowering plus JIT execution on this
/// machine's CPU.
///
//===----------------------------------------------------------------------===//

#ifndef NN_RUNTIME_CPURUNNER_H
#define NN_RUNTIME_CPURUNNER_H

#include "nn/Pipelines/Pipelines.h"
#include "nn/Runtime/HostTensor.h"

namespace mlir {
class ModuleOp;

namespace nn::runtime {

/// The type of one argument or result: a ranked tensor type.
struct TensorSignature {
  /// The element type.
  ElementKind kind;
  /// The sizes, outermost first; a dynamic size is ShapedType::kDynamic.
  llvm::SmallVector<int64_t> shape;
  /// The MLIR spelling, e.g. `tensor<4x?xf32>`.
  std::string str() const;
};

/// The tensor types of a function's arguments and results, in order.
struct FunctionSignature {
  /// One entry per function argument.
  llvm::SmallVector<TensorSignature> arguments;
  /// One entry per function result.
  llvm::SmallVector<TensorSignature> results;
};

/// The signature of the public `func.func` named `name` in `module`. Returns
/// an error (listing the public functions that do exist) if there is no
/// public function of that name with a body, or an error naming the
/// offending argument or result if they are not all ranked tensors of f16,
/// bf16, f32 or f64. Emits no diagnostics; does not modify `module`.
llvm::Expected<FunctionSignature> getFunctionSignature(ModuleOp module,
                                                       llvm::StringRef name);

/// Checks `tensor` against argument `index` of `signature`: same element
/// kind, same rank, and equal sizes wherever the argument's size is static.
/// Returns an error whose message names the tensor `what` (e.g. "input #0")
/// and both types. `index` must be less than `signature.arguments.size()`.
llvm::Error checkArgument(const FunctionSignature &signature, unsigned index,
                          const HostTensor &tensor, llvm::StringRef what);

/// Runs the public function `name` of `module` on `inputs` and returns its
/// results as new tensors owned by the caller. `inputs` are checked against
/// the function's arguments (their number, then checkArgument) and their
/// buffers are passed to the compiled code in place, without a copy. The
/// whole module is lowered with buildCPUPipeline(`options`) and JIT-compiled
/// for this machine's CPU at O3. Result buffers are allocated before the
/// call: static sizes come from the signature, dynamic ones from a generated
/// function (`__nn_result_dims_<name>`) that computes them from the inputs.
///
/// `module` is modified in place (that function is added and everything is
/// lowered to the LLVM dialect), so it cannot be run again. Returns an error
/// for a bad signature, mismatched inputs, `options.emitCInterface` being
/// false, a failed pass pipeline (computing the result sizes or lowering;
/// its diagnostics go to the context's handlers), or a failure to create the
/// JIT or call the function.
llvm::Expected<llvm::SmallVector<HostTensor>>
runFunctionOnCPU(ModuleOp module, llvm::StringRef name,
                 llvm::ArrayRef<HostTensor> inputs,
                 const CPUPipelineOptions &options = {});

} // namespace nn::runtime
} // namespace mlir

#endif // NN_RUNTIME_CPURUNNER_H
