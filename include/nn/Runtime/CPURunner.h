//===- CPURunner.h - JIT-run functions on the CPU ---------------*- C++ -*-===//
///
/// \file
/// Running the public functions of an nn module on host tensors: their
/// tensor signatures, argument checks, and lowering plus JIT execution on
/// this machine's CPU, once per module (CPUExecutable) or once per call
/// (runFunctionOnCPU).
///
//===----------------------------------------------------------------------===//

#ifndef NN_RUNTIME_CPURUNNER_H
#define NN_RUNTIME_CPURUNNER_H

#include "nn/Pipelines/Pipelines.h"
#include "nn/Runtime/HostTensor.h"
#include "llvm/ADT/StringMap.h"

#include <memory>

namespace mlir {
class ExecutionEngine;
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

/// A dense, row-major tensor in memory that the caller owns: its element
/// kind, sizes and the address of its first element.
struct TensorRef {
  ElementKind kind;
  llvm::ArrayRef<int64_t> shape;
  void *data;
};

/// Checks `tensor` (its kind and shape) against argument `index` of
/// `signature`: same element kind, same rank, and equal sizes wherever the
/// argument's size is static. Returns an error whose message names the
/// tensor `what` (e.g. "input #0") and both types. `index` must be less than
/// `signature.arguments.size()`.
llvm::Error checkArgument(const FunctionSignature &signature, unsigned index,
                          ElementKind kind, llvm::ArrayRef<int64_t> shape,
                          llvm::StringRef what);
/// \copydoc checkArgument
inline llvm::Error checkArgument(const FunctionSignature &signature,
                                 unsigned index, const HostTensor &tensor,
                                 llvm::StringRef what) {
  return checkArgument(signature, index, tensor.getKind(), tensor.getShape(),
                       what);
}

/// Public functions of a module, compiled once for this machine's CPU and
/// callable any number of times, from any thread, on caller-owned buffers.
/// It keeps only the JIT-compiled code: the module it came from may go.
class CPUExecutable {
public:
  /// Lowers `module` with buildCPUPipeline(`options`) and JIT-compiles it
  /// for this machine's CPU at O3. `functions` names the public functions to
  /// expose; empty means every public function with a body. Their arguments
  /// and results must be ranked tensors (getFunctionSignature). For each one
  /// with dynamic result sizes a function that computes them from the inputs
  /// is added first (`__nn_result_dims_<name>`).
  ///
  /// `module` is modified in place. Returns an error for a missing function
  /// or bad signature, `options.emitCInterface` being false, a failed pass
  /// pipeline (its diagnostics go to the context's handlers), or a failure
  /// to create the JIT.
  static llvm::Expected<std::unique_ptr<CPUExecutable>>
  compile(ModuleOp module, const CPUPipelineOptions &options,
          llvm::ArrayRef<std::string> functions = {});

  ~CPUExecutable();

  /// The exposed functions, in the module's order.
  llvm::ArrayRef<std::string> getFunctionNames() const { return names; }
  /// The signature of exposed function `name`, or null if there is none.
  const FunctionSignature *getSignature(llvm::StringRef name) const;

  /// Checks `inputs` against `name`'s arguments (their number, then
  /// checkArgument) and returns the shape of each result, computing the
  /// dynamic sizes from the inputs. Reads only the inputs' sizes, unless a
  /// result size depends on input values.
  llvm::Expected<llvm::SmallVector<llvm::SmallVector<int64_t>>>
  getResultShapes(llvm::StringRef name, llvm::ArrayRef<TensorRef> inputs) const;

  /// Runs `name` on `inputs`, writing its results into `results`, whose
  /// kinds and shapes must be the ones getResultShapes gives (both are
  /// checked). The buffers are passed in place, without a copy. Outputs must
  /// not overlap inputs or each other.
  llvm::Error call(llvm::StringRef name, llvm::ArrayRef<TensorRef> inputs,
                   llvm::ArrayRef<TensorRef> results) const;

  /// A JIT-compiled `_mlir_ciface_` wrapper: it takes an array of pointers
  /// to the pointers to its memref descriptors.
  using PackedFunction = void (*)(void **);

private:
  struct Function {
    FunctionSignature signature;
    /// The number of dynamic result sizes (0: no sizes function).
    int64_t numDynamicDims = 0;
    PackedFunction entry = nullptr;
    /// The function computing the dynamic result sizes, if any.
    PackedFunction resultDimsEntry = nullptr;
  };
  CPUExecutable() = default;
  const Function *lookup(llvm::StringRef name) const;

  std::unique_ptr<ExecutionEngine> engine;
  llvm::SmallVector<std::string> names;
  llvm::StringMap<Function> functions;
};

/// Runs the public function `name` of `module` on `inputs` and returns its
/// results as new tensors owned by the caller: CPUExecutable::compile with
/// only `name`, then getResultShapes and call. `module` is modified in place,
/// so it cannot be run again. The same errors as those, and one for a
/// result whose buffer cannot be allocated.
llvm::Expected<llvm::SmallVector<HostTensor>>
runFunctionOnCPU(ModuleOp module, llvm::StringRef name,
                 llvm::ArrayRef<HostTensor> inputs,
                 const CPUPipelineOptions &options = {});

} // namespace nn::runtime
} // namespace mlir

#endif // NN_RUNTIME_CPURUNNER_H
