// RUN: not nn-opt %s 2>&1 | FileCheck %s

// A verifier error is reported at the op's own file:line:col, in this file.

func.func @bad_dim(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // CHECK: {{.*}}invalid-diagnostic-location.mlir:[[@LINE+1]]:8: error: 'nn.logsoftmax' op 'dim' is 5, but it must lie in [-2, 2) for an input of rank 2
  %y = nn.logsoftmax %x, dim = 5 : tensor<4x8xf32> -> tensor<4x8xf32>
  // CHECK-NEXT: %{{.*}} = nn.logsoftmax %{{.*}}, dim = 5
  // CHECK-NEXT: ^
  return %y : tensor<4x8xf32>
}
