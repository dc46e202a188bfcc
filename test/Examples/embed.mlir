// examples/embed: a project of its own that finds the *installed* nn-mlir
// with find_package(NN), registers the dialect, passes and pipelines in its own
// opt tool, builds the CPU pipeline with nn::buildCPUPipeline and runs a
// module through nn's runtime.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: cmake --install %nn_obj_root --prefix %t/prefix > %t/install.log
// RUN: cmake -G Ninja -S %nn_src_root/examples/embed -B %t/build \
// RUN:   -DCMAKE_PREFIX_PATH=%t/prefix -DCMAKE_CXX_COMPILER=%cxx > %t/configure.log
// RUN: cmake --build %t/build > %t/build.log
// RUN: %t/build/my-opt %s --nn-to-linalg | FileCheck %s --check-prefix=OPT
// RUN: %t/build/my-opt %s --nn-cpu-pipeline | FileCheck %s --check-prefix=CPU
// RUN: %t/build/my-run | FileCheck %s --check-prefix=EXEC
//
// The package installs the headers with their generated parts.
// RUN: test -f %t/prefix/include/nn/Dialect/NN/IR/NNOps.h.inc
// RUN: test -f %t/prefix/lib/cmake/nn/NNConfig.cmake

// OPT-LABEL: func.func @f(
// OPT-COUNT-3: linalg.generic
// OPT-NOT:     nn.logsoftmax

// CPU: llvm.func @_mlir_ciface_f(

// [0, 1, 2] -> [-2.4076059, -1.4076059, -0.4076059]
// EXEC: lowered to the LLVM dialect
// EXEC-NEXT: [-2.40760{{[0-9]*}}, -1.40760{{[0-9]*}}, -0.40760{{[0-9]*}}]

func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = "nn.logsoftmax"(%x) <{dim = 1 : i64}> : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
