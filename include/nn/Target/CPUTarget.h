//===- CPUTarget.h - Machine code for x86-64 CPUs ---------------*- C++ -*-===//
///
/// \file
/// From an LLVM-dialect module (the output of the CPU pipeline) to LLVM IR,
/// assembly, object files and shared libraries for an x86-64 CPU.
///
//===----------------------------------------------------------------------===//

#ifndef NN_TARGET_CPUTARGET_H
#define NN_TARGET_CPUTARGET_H

#include "nn/Target/CPUFeatures.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
class raw_pwrite_stream;
} // namespace llvm

namespace mlir {
class ModuleOp;

namespace nn {

/// A TargetMachine (PIC, O3 code generation) for the host's default triple
/// and the x86-64 CPU `cpu` (an LLVM CPU name such as `x86-64`, `haswell`,
/// `skylake-avx512`, `znver4`, with that CPU's default features), or for this
/// machine's CPU and its detected features when `cpu` is empty or "host".
/// Returns an error if the host is not x86-64, or if `cpu` is unknown (the
/// message lists a few valid names). The caller owns the result.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createCPUTargetMachine(llvm::StringRef cpu);

/// The facts the kernels are tuned by (vector width, native bf16) for
/// `machine`'s CPU and features; CPUFeatures::getHost() for this process.
CPUFeatures getCPUFeatures(const llvm::TargetMachine &machine);

/// Translates the LLVM-dialect `module` to LLVM IR in `context` for
/// `machine`: sets the triple and data layout, gives every defined function
/// `machine`'s target-cpu and target-features attributes, makes internal
/// every function that has a `_mlir_ciface_` wrapper (so only the wrappers
/// are exported), then optimizes at O3. Returns an error if the translation
/// (whose diagnostics go to the MLIR context's handlers) or the optimization
/// fails. The returned module belongs to the caller and lives in `context`.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToOptimizedLLVMIR(ModuleOp module, llvm::LLVMContext &context,
                           llvm::TargetMachine &machine);

/// Generates code for `module` with `machine` (LLVM's code generation passes
/// may modify `module`) and writes it into `os` as an object file or
/// assembly, as `type` says. Returns an error if `machine` cannot emit that
/// file type.
llvm::Error emitMachineCode(llvm::Module &module, llvm::TargetMachine &machine,
                            llvm::CodeGenFileType type,
                            llvm::raw_pwrite_stream &os);

/// Links the object file `objectPath` into the shared library `outputPath`
/// with a C compiler driver: the clang of the LLVM that nn-mlir was built
/// against if it exists, else `clang-22`, `clang` or `cc` from PATH. Passes
/// `-l<lib>` for each of `libraries` (an entry containing '/' is a file,
/// e.g. a static archive, linked in as it is), then `-lm`. The linker writes
/// `outputPath` itself: a caller that must never leave a partial file gives
/// it a temporary (AtomicOutputs::stageByName, as nn-compile does) and
/// renames that once. Returns an error if no driver is found or the link
/// fails.
llvm::Error linkSharedLibrary(llvm::StringRef objectPath,
                              llvm::StringRef outputPath,
                              llvm::ArrayRef<std::string> libraries);

} // namespace nn
} // namespace mlir

#endif // NN_TARGET_CPUTARGET_H
