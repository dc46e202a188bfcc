//===- CPUFeatures.h - What the CPU kernels are tuned by --------*- C++ -*-===//
///
/// \file
/// The x86-64 CPU facts the kernels depend on, decided by one rule from a
/// feature query: for the CPU running this process (LLVM's host feature
/// detection, what `nn-opt` and `nn-run` compile for) and for a
/// TargetMachine (`nn::getCPUFeatures` in CPUTarget.h, what `nn-compile
/// --target-cpu` compiles for). Header-only, so that the pipelines can use it
/// without linking the code generation library.
///
//===----------------------------------------------------------------------===//

#ifndef NN_TARGET_CPUFEATURES_H
#define NN_TARGET_CPUFEATURES_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/TargetParser/Host.h"

namespace mlir::nn {

struct CPUFeatures {
  /// The widest vector register, in bits: 512 with AVX-512F, 256 with AVX,
  /// 128 otherwise (SSE2 is part of x86-64).
  unsigned vectorBits = 128;
  /// AVX512-BF16: native bf16 <-> f32 conversions.
  bool nativeBF16 = false;

  /// The facts of a CPU whose features `has` answers for, by LLVM feature
  /// name without the sign ("avx512f").
  static CPUFeatures get(llvm::function_ref<bool(llvm::StringRef)> has) {
    CPUFeatures features;
    features.vectorBits = has("avx512f") ? 512 : has("avx") ? 256 : 128;
    features.nativeBF16 = has("avx512bf16");
    return features;
  }

  /// The facts of the CPU running this process.
  static CPUFeatures getHost() {
    llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
    return get([&](llvm::StringRef name) { return host.lookup(name); });
  }
};

} // namespace mlir::nn

#endif // NN_TARGET_CPUFEATURES_H
