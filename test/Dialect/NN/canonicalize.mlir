// RUN: nn-opt %s -canonicalize -split-input-file | FileCheck %s

// The canonical form of nn.logsoftmax has a non-negative dim.

// CHECK-LABEL: func.func @rank2_minus1
// CHECK-SAME:    (%[[X:.*]]: tensor<4x8xf32>)
// CHECK:         %[[Y:.*]] = nn.logsoftmax %[[X]], dim = 1 : tensor<4x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @rank2_minus1(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = nn.logsoftmax %x, dim = -1 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @rank2_minus2
// CHECK:         nn.logsoftmax %{{.*}}, dim = 0 : tensor<?x8xbf16> -> tensor<?x8xf32>
func.func @rank2_minus2(%x: tensor<?x8xbf16>) -> tensor<?x8xf32> {
  %y = nn.logsoftmax %x, dim = -2 : tensor<?x8xbf16> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @rank3_minus3
// CHECK:         nn.logsoftmax %{{.*}}, dim = 0 : tensor<2x3x4xf64> -> tensor<2x3x4xf64>
func.func @rank3_minus3(%x: tensor<2x3x4xf64>) -> tensor<2x3x4xf64> {
  %y = nn.logsoftmax %x, dim = -3 : tensor<2x3x4xf64> -> tensor<2x3x4xf64>
  return %y : tensor<2x3x4xf64>
}

// -----

// CHECK-LABEL: func.func @rank0_minus1
// CHECK:         nn.logsoftmax %{{.*}}, dim = 0 : tensor<f16> -> tensor<f16>
func.func @rank0_minus1(%x: tensor<f16>) -> tensor<f16> {
  %y = nn.logsoftmax %x, dim = -1 : tensor<f16> -> tensor<f16>
  return %y : tensor<f16>
}

// -----

// Non-negative dims are already canonical and stay as they are.
// CHECK-LABEL: func.func @positive_dims
// CHECK:         nn.logsoftmax %{{.*}}, dim = 0 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK:         nn.logsoftmax %{{.*}}, dim = 1 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK:         nn.logsoftmax %{{.*}}, dim = 2 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK:         nn.logsoftmax %{{.*}}, dim = 0 : tensor<f32> -> tensor<f32>
// CHECK-NOT:     dim = -
func.func @positive_dims(%x: tensor<2x3x4xf32>, %s: tensor<f32>)
    -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<f32>) {
  %0 = nn.logsoftmax %x, dim = 0 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %1 = nn.logsoftmax %x, dim = 1 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %2 = nn.logsoftmax %x, dim = 2 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %3 = nn.logsoftmax %s, dim = 0 : tensor<f32> -> tensor<f32>
  return %0, %1, %2, %3 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<f32>
}

// -----

// The op is Pure: an unused one is erased.
// CHECK-LABEL: func.func @dead
// CHECK-NOT:     nn.logsoftmax
// CHECK:         return
func.func @dead(%x: tensor<4x8xf32>) {
  %y = nn.logsoftmax %x, dim = -1 : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}
