// Our own decomposition (--nn-to-linalg: max, fused exp-sum, fused
// subtract) is one of the forms --nn-raise recognizes: lowering then raising
// gives back the op, for every dim, dynamic sizes and wider results.
// RUN: nn-opt %s --nn-to-linalg --nn-raise | FileCheck %s
// RUN: nn-opt %s --nn-to-linalg --nn-raise | FileCheck %s --check-prefix=NONE
// NONE-NOT: linalg.

// CHECK-LABEL: func.func @last(
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 1 : tensor<4x?xf32> -> tensor<4x?xf32>
func.func @last(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x?xf32> -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}

// CHECK-LABEL: func.func @middle(
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 1 : tensor<2x?x5xbf16> -> tensor<2x?x5xf32>
func.func @middle(%x: tensor<2x?x5xbf16>) -> tensor<2x?x5xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<2x?x5xbf16> -> tensor<2x?x5xf32>
  return %y : tensor<2x?x5xf32>
}

// CHECK-LABEL: func.func @first(
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 0 : tensor<7x3xf16> -> tensor<7x3xf16>
func.func @first(%x: tensor<7x3xf16>) -> tensor<7x3xf16> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<7x3xf16> -> tensor<7x3xf16>
  return %y : tensor<7x3xf16>
}

// CHECK-LABEL: func.func @vector(
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 0 : tensor<?xf64> -> tensor<?xf64>
func.func @vector(%x: tensor<?xf64>) -> tensor<?xf64> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<?xf64> -> tensor<?xf64>
  return %y : tensor<?xf64>
}
