// nn.logsoftmax under upstream's one-shot-bufferize: a new allocation for
// the result (sized like the input), written by nn.logsoftmax_into with the
// dim counted from the start; the input is only read, so nothing is copied.
// RUN: nn-opt %s -split-input-file --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" | FileCheck %s

// CHECK-LABEL: func.func @static_widening(
// CHECK-SAME:    %[[X:.*]]: memref<4x8xf32>) -> memref<4x8xf64>
// CHECK:         %[[Y:.*]] = memref.alloc() {{.*}}: memref<4x8xf64>
// CHECK:         nn.logsoftmax_into %[[X]], dim = 1 into %[[Y]] : memref<4x8xf32> into memref<4x8xf64>
// CHECK:         return %[[Y]] : memref<4x8xf64>
func.func @static_widening(%x: tensor<4x8xf32>) -> tensor<4x8xf64> {
  %y = nn.logsoftmax %x, dim = -1 : tensor<4x8xf32> -> tensor<4x8xf64>
  return %y : tensor<4x8xf64>
}

// -----

// CHECK-LABEL: func.func @dynamic(
// CHECK-SAME:    %[[X:.*]]: memref<?x8x?xbf16>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[D0:.*]] = memref.dim %[[X]], %[[C0]]
// CHECK-DAG:     %[[D2:.*]] = memref.dim %[[X]], %[[C2]]
// CHECK:         %[[Y:.*]] = memref.alloc(%[[D0]], %[[D2]]) {{.*}}: memref<?x8x?xbf16>
// CHECK:         nn.logsoftmax_into %[[X]], dim = 0 into %[[Y]] : memref<?x8x?xbf16> into memref<?x8x?xbf16>
func.func @dynamic(%x: tensor<?x8x?xbf16>) -> tensor<?x8x?xbf16> {
  %y = nn.logsoftmax %x, dim = -3 : tensor<?x8x?xbf16> -> tensor<?x8x?xbf16>
  return %y : tensor<?x8x?xbf16>
}

// -----

// A chain reads the previous op's buffer; returning the input as well
// needs no copy, since no op writes it.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME:    %[[X:.*]]: memref<f32>)
// CHECK-NOT:     memref.copy
// CHECK:         %[[A:.*]] = memref.alloc() {{.*}}: memref<f32>
// CHECK:         nn.logsoftmax_into %[[X]], dim = 0 into %[[A]]
// CHECK:         %[[B:.*]] = memref.alloc() {{.*}}: memref<f32>
// CHECK:         nn.logsoftmax_into %[[A]], dim = 0 into %[[B]]
// CHECK-NOT:     memref.copy
// CHECK:         return %[[B]], %[[X]]
func.func @chain(%x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %a = nn.logsoftmax %x, dim = -1 : tensor<f32> -> tensor<f32>
  %b = nn.logsoftmax %a, dim = 0 : tensor<f32> -> tensor<f32>
  return %b, %x : tensor<f32>, tensor<f32>
}

// -----

// nn.softmax bufferizes the same way, into nn.softmax_into.
// CHECK-LABEL: func.func @softmax(
// CHECK-SAME:    %[[X:.*]]: memref<?xf16>) -> memref<?xf32>
// CHECK:         %[[C0:.*]] = arith.constant 0 : index
// CHECK:         %[[D0:.*]] = memref.dim %[[X]], %[[C0]]
// CHECK:         %[[Y:.*]] = memref.alloc(%[[D0]]) {{.*}}: memref<?xf32>
// CHECK:         nn.softmax_into %[[X]], dim = 0 into %[[Y]] : memref<?xf16> into memref<?xf32>
// CHECK:         return %[[Y]] : memref<?xf32>
func.func @softmax(%x: tensor<?xf16>) -> tensor<?xf32> {
  %y = "nn.softmax"(%x) <{dim = -1 : i64}> : (tensor<?xf16>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// nn.logsoftmax_grad reads both operands into nn.logsoftmax_grad_into.
// CHECK-LABEL: func.func @grad(
// CHECK-SAME:    %[[G:[^:]*]]: memref<4x?xbf16>, %[[Y:[^:]*]]: memref<4x?xbf16>) -> memref<4x?xbf16>
// CHECK:         %[[C1:.*]] = arith.constant 1 : index
// CHECK:         %[[D1:.*]] = memref.dim %[[G]], %[[C1]]
// CHECK:         %[[GX:.*]] = memref.alloc(%[[D1]]) {{.*}}: memref<4x?xbf16>
// CHECK:         nn.logsoftmax_grad_into %[[G]], %[[Y]], dim = 1 into %[[GX]] : memref<4x?xbf16>
// CHECK:         return %[[GX]] : memref<4x?xbf16>
func.func @grad(%g: tensor<4x?xbf16>, %y: tensor<4x?xbf16>) -> tensor<4x?xbf16> {
  %gx = "nn.logsoftmax_grad"(%g, %y) <{dim = -1 : i64}> : (tensor<4x?xbf16>, tensor<4x?xbf16>) -> tensor<4x?xbf16>
  return %gx : tensor<4x?xbf16>
}

// -----

// nn.cross_entropy: the loss takes the target's shape for "none" (its
// dynamic size from the target), and every attribute carries over.
// CHECK-LABEL: func.func @cross_entropy_none(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x10xf32>, %[[T:[^:]*]]: memref<?xi32>) -> memref<?xf32>
// CHECK:         %[[C0:.*]] = arith.constant 0 : index
// CHECK:         %[[N:.*]] = memref.dim %[[T]], %[[C0]]
// CHECK:         %[[L:.*]] = memref.alloc(%[[N]]) {{.*}}: memref<?xf32>
// CHECK:         nn.cross_entropy_into %[[X]], %[[T]] into %[[L]] {ignore_index = 3 : i64, label_smoothing = 1.000000e-01 : f64, reduction = "none"} : memref<?x10xf32>, memref<?xi32> into memref<?xf32>
// CHECK:         return %[[L]]
func.func @cross_entropy_none(%x: tensor<?x10xf32>, %t: tensor<?xi32>) -> tensor<?xf32> {
  %l = "nn.cross_entropy"(%x, %t) <{ignore_index = 3 : i64, reduction = "none", label_smoothing = 0.1 : f64}> : (tensor<?x10xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %l : tensor<?xf32>
}

// -----

// PyTorch's defaults (which the printer leaves out); a rank-0 loss needs no
// size.
// CHECK-LABEL: func.func @cross_entropy_mean(
// CHECK:         %[[L:.*]] = memref.alloc() {{.*}}: memref<bf16>
// CHECK:         nn.cross_entropy_into %{{.*}}, %{{.*}} into %[[L]] : memref<4x?xbf16>, memref<4xi64> into memref<bf16>
func.func @cross_entropy_mean(%x: tensor<4x?xbf16>, %t: tensor<4xi64>) -> tensor<bf16> {
  %l = "nn.cross_entropy"(%x, %t) : (tensor<4x?xbf16>, tensor<4xi64>) -> tensor<bf16>
  return %l : tensor<bf16>
}

// -----

// nn.cross_entropy_grad: the gradient takes the logits' shape (its dynamic
// sizes from the logits, not from a per-sample grad_loss of lower rank), and
// every attribute carries over.
// CHECK-LABEL: func.func @cross_entropy_grad(
// CHECK-SAME:    %[[G:[^:]*]]: memref<?xf16>, %[[X:[^:]*]]: memref<?x?xf16>, %[[T:[^:]*]]: memref<?xi64>) -> memref<?x?xf16>
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[N:.*]] = memref.dim %[[X]], %[[C0]]
// CHECK-DAG:     %[[C:.*]] = memref.dim %[[X]], %[[C1]]
// CHECK:         %[[GX:.*]] = memref.alloc(%[[N]], %[[C]]) {{.*}}: memref<?x?xf16>
// CHECK:         nn.cross_entropy_grad_into %[[G]], %[[X]], %[[T]] into %[[GX]] {ignore_index = 0 : i64, label_smoothing = 2.500000e-01 : f64, reduction = "none"} : memref<?xf16>, memref<?x?xf16>, memref<?xi64> into memref<?x?xf16>
// CHECK:         return %[[GX]]
func.func @cross_entropy_grad(%g: tensor<?xf16>, %x: tensor<?x?xf16>, %t: tensor<?xi64>) -> tensor<?x?xf16> {
  %gx = "nn.cross_entropy_grad"(%g, %x, %t) <{ignore_index = 0 : i64, reduction = "none", label_smoothing = 0.25 : f64}> : (tensor<?xf16>, tensor<?x?xf16>, tensor<?xi64>) -> tensor<?x?xf16>
  return %gx : tensor<?x?xf16>
}
