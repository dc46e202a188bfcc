// RUN: nn-opt %s --nn-to-gpu --split-input-file | FileCheck %s

// A negative dim counts from the end, as --canonicalize would rewrite it:
// dim = -1 of a 4x16 tensor is its last dim, so rows go to a warp each.
// It used to reach the kernel builder unnormalized and crash the GPU
// pipeline (signal 11 in nn-opt --nn-gpu-pipeline and nn-compile
// --target=nvptx).
// CHECK-LABEL: func.func @last_dim_negative(
// CHECK-SAME:    %{{.*}}: memref<4x16xf32>, %{{.*}}: memref<4x16xf32>)
// CHECK:         gpu.launch {{.*}} function(@last_dim_negative_0_warp_per_row_v4)
// CHECK:         gpu.launch {{.*}} function(@last_dim_negative_0_warp_per_row_v1)
// CHECK-NOT:     gpu.launch
func.func @last_dim_negative(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %y = nn.logsoftmax %x, dim = -1 : tensor<4x16xf32> -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// dim = -3 of a rank-3 tensor is its first dim: the column kernel.
// CHECK-LABEL: func.func @first_dim_negative(
// CHECK:         gpu.launch {{.*}} function(@first_dim_negative_0_columns_v1)
// CHECK-NOT:     gpu.launch
func.func @first_dim_negative(%x: tensor<3x5x7xf16>) -> tensor<3x5x7xf32> {
  %y = nn.logsoftmax %x, dim = -3 : tensor<3x5x7xf16> -> tensor<3x5x7xf32>
  return %y : tensor<3x5x7xf32>
}

// -----

// A rank-0 tensor with dim = -1.
// CHECK-LABEL: func.func @rank0_negative(
// CHECK:         gpu.launch {{.*}} function(@rank0_negative_0_
func.func @rank0_negative(%x: tensor<f32>) -> tensor<f32> {
  %y = nn.logsoftmax %x, dim = -1 : tensor<f32> -> tensor<f32>
  return %y : tensor<f32>
}
