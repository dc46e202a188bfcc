// Round trip of nn.softmax, nn.logsoftmax_grad, nn.cross_entropy and
// nn.cross_entropy_grad: the generic forms of the issue's contract parse, print
// in the custom form, and print back in the same generic form.
// RUN: nn-opt %s | FileCheck %s
// RUN: nn-opt %s -mlir-print-op-generic | nn-opt | FileCheck %s
// RUN: nn-opt %s -mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC
// RUN: nn-opt %s -o %t.1.mlir
// RUN: nn-opt %t.1.mlir -o %t.2.mlir
// RUN: %python -c "import filecmp, sys; sys.exit(not filecmp.cmp(sys.argv[1], sys.argv[2], shallow=False))" %t.1.mlir %t.2.mlir

// CHECK-LABEL: func.func @softmax
// CHECK-SAME:    (%[[X:.*]]: tensor<4x?xf16>)
// CHECK:         %[[Y:.*]] = nn.softmax %[[X]], dim = 1 : tensor<4x?xf16> -> tensor<4x?xf32>
// CHECK-NEXT:    return %[[Y]]
// GENERIC-LABEL: sym_name = "softmax"
// GENERIC:         "nn.softmax"(%{{.*}}) <{dim = 1 : i64}> : (tensor<4x?xf16>) -> tensor<4x?xf32>
func.func @softmax(%x: tensor<4x?xf16>) -> tensor<4x?xf32> {
  %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<4x?xf16>) -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}

// CHECK-LABEL: func.func @logsoftmax_grad
// CHECK-SAME:    (%[[G:.*]]: tensor<2x3x5xbf16>, %[[Y:.*]]: tensor<2x3x5xbf16>)
// CHECK:         nn.logsoftmax_grad %[[G]], %[[Y]], dim = -1 : tensor<2x3x5xbf16>
// GENERIC-LABEL: sym_name = "logsoftmax_grad"
// GENERIC:         "nn.logsoftmax_grad"(%{{.*}}, %{{.*}}) <{dim = -1 : i64}> : (tensor<2x3x5xbf16>, tensor<2x3x5xbf16>) -> tensor<2x3x5xbf16>
func.func @logsoftmax_grad(%g: tensor<2x3x5xbf16>, %y: tensor<2x3x5xbf16>) -> tensor<2x3x5xbf16> {
  %gx = "nn.logsoftmax_grad"(%g, %y) <{dim = -1 : i64}> : (tensor<2x3x5xbf16>, tensor<2x3x5xbf16>) -> tensor<2x3x5xbf16>
  return %gx : tensor<2x3x5xbf16>
}

// CHECK-LABEL: func.func @cross_entropy
// CHECK-SAME:    (%[[L:.*]]: tensor<8x1000xf32>, %[[T:.*]]: tensor<8xi64>)
// CHECK:         nn.cross_entropy %[[L]], %[[T]] {label_smoothing = 1.000000e-01 : f64, reduction = "sum"} : tensor<8x1000xf32>, tensor<8xi64> -> tensor<f32>
// GENERIC-LABEL: sym_name = "cross_entropy"
// GENERIC:         "nn.cross_entropy"(%{{.*}}, %{{.*}}) <{ignore_index = -100 : i64, label_smoothing = 1.000000e-01 : f64, reduction = "sum"}> : (tensor<8x1000xf32>, tensor<8xi64>) -> tensor<f32>
func.func @cross_entropy(%logits: tensor<8x1000xf32>, %target: tensor<8xi64>) -> tensor<f32> {
  %loss = "nn.cross_entropy"(%logits, %target) <{ignore_index = -100 : i64, reduction = "sum", label_smoothing = 0.1 : f64}> : (tensor<8x1000xf32>, tensor<8xi64>) -> tensor<f32>
  return %loss : tensor<f32>
}

// Attributes left out take their defaults.
// CHECK-LABEL: func.func @cross_entropy_defaults
// CHECK:         nn.cross_entropy %{{.*}}, %{{.*}} : tensor<3x?x7xf64>, tensor<3x7xi32> -> tensor<f64>
func.func @cross_entropy_defaults(%logits: tensor<3x?x7xf64>, %target: tensor<3x7xi32>) -> tensor<f64> {
  %loss = "nn.cross_entropy"(%logits, %target) : (tensor<3x?x7xf64>, tensor<3x7xi32>) -> tensor<f64>
  return %loss : tensor<f64>
}

// CHECK-LABEL: func.func @cross_entropy_none
// CHECK:         nn.cross_entropy %{{.*}}, %{{.*}} {ignore_index = 0 : i64, reduction = "none"} : tensor<10xf16>, tensor<i64> -> tensor<f16>
func.func @cross_entropy_none(%logits: tensor<10xf16>, %target: tensor<i64>) -> tensor<f16> {
  %loss = "nn.cross_entropy"(%logits, %target) <{ignore_index = 0 : i64, reduction = "none", label_smoothing = 0.0 : f64}> : (tensor<10xf16>, tensor<i64>) -> tensor<f16>
  return %loss : tensor<f16>
}

// CHECK-LABEL: func.func @cross_entropy_grad
// CHECK-SAME:    (%[[G:.*]]: tensor<f32>, %[[L:.*]]: tensor<8x1000xf32>, %[[T:.*]]: tensor<8xi64>)
// CHECK:         nn.cross_entropy_grad %[[G]], %[[L]], %[[T]] : tensor<f32>, tensor<8x1000xf32>, tensor<8xi64> -> tensor<8x1000xf32>
// GENERIC-LABEL: sym_name = "cross_entropy_grad"
// GENERIC:         "nn.cross_entropy_grad"(%{{.*}}, %{{.*}}, %{{.*}}) <{ignore_index = -100 : i64, label_smoothing = 0.000000e+00 : f64, reduction = "mean"}> : (tensor<f32>, tensor<8x1000xf32>, tensor<8xi64>) -> tensor<8x1000xf32>
func.func @cross_entropy_grad(%g: tensor<f32>, %logits: tensor<8x1000xf32>, %target: tensor<8xi64>) -> tensor<8x1000xf32> {
  %grad = "nn.cross_entropy_grad"(%g, %logits, %target) <{ignore_index = -100 : i64, reduction = "mean", label_smoothing = 0.0 : f64}> : (tensor<f32>, tensor<8x1000xf32>, tensor<8xi64>) -> tensor<8x1000xf32>
  return %grad : tensor<8x1000xf32>
}
