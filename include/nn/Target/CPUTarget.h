//===- CPUTarget.h - Machine code for x86-64 CPUs ---------------*- C++ -*-===//
//
// From an LLVM-dialect module (the output of the CPU pipeline) to LLVM IR,
// assembly, object files and shared libraries for an x86-64 CPU.
//
//===----------------------------------------------------------------------===//

#ifndef NN_TARGET_CPUTARGET_H
#define NN_TARGET_CPUTARGET_H

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

/// A TargetMachine for the x86-64 CPU `cpu` (an LLVM CPU name such as
/// `x86-64`, `haswell`, `skylake-avx512`, `znver4`), or for this machine's CPU
/// and its detected features when `cpu` is empty or "host". Unknown names are
/// an error that lists a few valid ones.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createCPUTargetMachine(llvm::StringRef cpu);

/// The widest vector register of the target, in bits: 512 with AVX-512F, 256
/// with AVX, 128 otherwise (SSE2 is part of x86-64).
unsigned getNativeVectorBits(const llvm::TargetMachine &machine);

/// Whether the target converts f32 to bf16 natively (AVX512-BF16).
bool hasNativeBF16(const llvm::TargetMachine &machine);

/// Translates an LLVM-dialect module to LLVM IR for `machine` (triple and data
/// layout set, CPU attributes on every function) and optimizes it at O3.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToOptimizedLLVMIR(ModuleOp module, llvm::LLVMContext &context,
                           llvm::TargetMachine &machine);

/// Emits `module` as an object file or assembly into `os`.
llvm::Error emitMachineCode(llvm::Module &module, llvm::TargetMachine &machine,
                            llvm::CodeGenFileType type,
                            llvm::raw_pwrite_stream &os);

/// Links the object file `objectPath` into the shared library `outputPath`
/// with the system's C compiler driver (clang), adding `-l<lib>` for each of
/// `libraries`. The library is linked to a temporary and renamed into place.
llvm::Error linkSharedLibrary(llvm::StringRef objectPath,
                              llvm::StringRef outputPath,
                              llvm::ArrayRef<std::string> libraries);

} // namespace nn
} // namespace mlir

#endif // NN_TARGET_CPUTARGET_H
