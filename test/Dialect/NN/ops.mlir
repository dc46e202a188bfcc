// Round trip of nn.logsoftmax in its custom and generic forms.
// RUN: nn-opt %s | FileCheck %s
// Print generic, parse that back, and print custom again.
// RUN: nn-opt %s -mlir-print-op-generic | nn-opt | FileCheck %s
// The generic form itself.
// RUN: nn-opt %s -mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC
// Printing is a fixed point: custom -> custom gives the same text.
// RUN: nn-opt %s | nn-opt | FileCheck %s
// RUN: nn-opt %s -o %t.1.mlir
// RUN: nn-opt %t.1.mlir -o %t.2.mlir
// RUN: %python -c "import filecmp, sys; sys.exit(not filecmp.cmp(sys.argv[1], sys.argv[2], shallow=False))" %t.1.mlir %t.2.mlir

// CHECK-LABEL: func.func @custom_form
// CHECK-SAME:    (%[[X:.*]]: tensor<4x?xf32>)
// CHECK:         %[[Y:.*]] = nn.logsoftmax %[[X]], dim = 1 : tensor<4x?xf32> -> tensor<4x?xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<4x?xf32>
// GENERIC-LABEL: sym_name = "custom_form"
// GENERIC:         "nn.logsoftmax"(%{{.*}}) <{dim = 1 : i64}> : (tensor<4x?xf32>) -> tensor<4x?xf32>
func.func @custom_form(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x?xf32> -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}

// CHECK-LABEL: func.func @generic_form
// CHECK-SAME:    (%[[X:.*]]: tensor<4x?xf32>)
// CHECK:         %[[Y:.*]] = nn.logsoftmax %[[X]], dim = 1 : tensor<4x?xf32> -> tensor<4x?xf32>
// CHECK-NEXT:    return %[[Y]]
// GENERIC-LABEL: sym_name = "generic_form"
// GENERIC:         "nn.logsoftmax"(%{{.*}}) <{dim = 1 : i64}> : (tensor<4x?xf32>) -> tensor<4x?xf32>
func.func @generic_form(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %y = "nn.logsoftmax"(%x) <{dim = 1 : i64}> : (tensor<4x?xf32>) -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}

// Every element type, result type equal to the input's.
// CHECK-LABEL: func.func @element_types
// CHECK:         nn.logsoftmax %{{.*}}, dim = 0 : tensor<3x5xf16> -> tensor<3x5xf16>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 1 : tensor<3x5xbf16> -> tensor<3x5xbf16>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 1 : tensor<3x5xf32> -> tensor<3x5xf32>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 0 : tensor<3x5xf64> -> tensor<3x5xf64>
// GENERIC-LABEL: sym_name = "element_types"
// GENERIC:         "nn.logsoftmax"(%{{.*}}) <{dim = 0 : i64}> : (tensor<3x5xf16>) -> tensor<3x5xf16>
// GENERIC-NEXT:    "nn.logsoftmax"(%{{.*}}) <{dim = 1 : i64}> : (tensor<3x5xbf16>) -> tensor<3x5xbf16>
// GENERIC-NEXT:    "nn.logsoftmax"(%{{.*}}) <{dim = 1 : i64}> : (tensor<3x5xf32>) -> tensor<3x5xf32>
// GENERIC-NEXT:    "nn.logsoftmax"(%{{.*}}) <{dim = 0 : i64}> : (tensor<3x5xf64>) -> tensor<3x5xf64>
func.func @element_types(%a: tensor<3x5xf16>, %b: tensor<3x5xbf16>,
                         %c: tensor<3x5xf32>, %d: tensor<3x5xf64>) {
  %0 = nn.logsoftmax %a, dim = 0 : tensor<3x5xf16> -> tensor<3x5xf16>
  %1 = nn.logsoftmax %b, dim = 1 : tensor<3x5xbf16> -> tensor<3x5xbf16>
  %2 = nn.logsoftmax %c, dim = 1 : tensor<3x5xf32> -> tensor<3x5xf32>
  %3 = nn.logsoftmax %d, dim = 0 : tensor<3x5xf64> -> tensor<3x5xf64>
  return
}

// A wider float result (PyTorch's dtype=).
// CHECK-LABEL: func.func @wider_result
// CHECK:         nn.logsoftmax %{{.*}}, dim = 1 : tensor<3x5xf16> -> tensor<3x5xf32>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 1 : tensor<3x5xf16> -> tensor<3x5xf64>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 0 : tensor<3x5xbf16> -> tensor<3x5xf32>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 0 : tensor<3x5xbf16> -> tensor<3x5xf64>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 1 : tensor<3x5xf32> -> tensor<3x5xf64>
// GENERIC-LABEL: sym_name = "wider_result"
// GENERIC:         "nn.logsoftmax"(%{{.*}}) <{dim = 1 : i64}> : (tensor<3x5xf16>) -> tensor<3x5xf32>
// GENERIC:         "nn.logsoftmax"(%{{.*}}) <{dim = 0 : i64}> : (tensor<3x5xbf16>) -> tensor<3x5xf64>
// GENERIC:         "nn.logsoftmax"(%{{.*}}) <{dim = 1 : i64}> : (tensor<3x5xf32>) -> tensor<3x5xf64>
func.func @wider_result(%a: tensor<3x5xf16>, %b: tensor<3x5xbf16>,
                        %c: tensor<3x5xf32>) {
  %0 = nn.logsoftmax %a, dim = 1 : tensor<3x5xf16> -> tensor<3x5xf32>
  %1 = nn.logsoftmax %a, dim = 1 : tensor<3x5xf16> -> tensor<3x5xf64>
  %2 = nn.logsoftmax %b, dim = 0 : tensor<3x5xbf16> -> tensor<3x5xf32>
  %3 = nn.logsoftmax %b, dim = 0 : tensor<3x5xbf16> -> tensor<3x5xf64>
  %4 = "nn.logsoftmax"(%c) <{dim = 1 : i64}> : (tensor<3x5xf32>) -> tensor<3x5xf64>
  return
}

// Rank 0 accepts dim 0 and -1.
// CHECK-LABEL: func.func @rank0
// CHECK:         nn.logsoftmax %{{.*}}, dim = 0 : tensor<f32> -> tensor<f32>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = -1 : tensor<f32> -> tensor<f32>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 0 : tensor<bf16> -> tensor<f64>
// GENERIC-LABEL: sym_name = "rank0"
// GENERIC:         "nn.logsoftmax"(%{{.*}}) <{dim = 0 : i64}> : (tensor<f32>) -> tensor<f32>
// GENERIC-NEXT:    "nn.logsoftmax"(%{{.*}}) <{dim = -1 : i64}> : (tensor<f32>) -> tensor<f32>
func.func @rank0(%x: tensor<f32>, %h: tensor<bf16>) {
  %0 = nn.logsoftmax %x, dim = 0 : tensor<f32> -> tensor<f32>
  %1 = nn.logsoftmax %x, dim = -1 : tensor<f32> -> tensor<f32>
  %2 = nn.logsoftmax %h, dim = 0 : tensor<bf16> -> tensor<f64>
  return
}

// Dynamic dims, including a static result size refining a dynamic input size
// (and the reverse), size 0 and size 1.
// CHECK-LABEL: func.func @dynamic_dims
// CHECK:         nn.logsoftmax %{{.*}}, dim = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 2 : tensor<?x4x?xf16> -> tensor<?x4x?xf16>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 0 : tensor<?x?xf32> -> tensor<2x?xf32>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = 1 : tensor<0x1xf64> -> tensor<?x1xf64>
func.func @dynamic_dims(%a: tensor<?x?xf32>, %b: tensor<?x4x?xf16>,
                        %c: tensor<0x1xf64>) {
  %0 = nn.logsoftmax %a, dim = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = nn.logsoftmax %b, dim = 2 : tensor<?x4x?xf16> -> tensor<?x4x?xf16>
  %2 = nn.logsoftmax %a, dim = 0 : tensor<?x?xf32> -> tensor<2x?xf32>
  %3 = nn.logsoftmax %c, dim = 1 : tensor<0x1xf64> -> tensor<?x1xf64>
  return
}

// Negative dims are kept as written by the printer; [-rank, -1] is valid.
// CHECK-LABEL: func.func @negative_dims
// CHECK:         nn.logsoftmax %{{.*}}, dim = -1 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = -2 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT:    nn.logsoftmax %{{.*}}, dim = -3 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// GENERIC-LABEL: sym_name = "negative_dims"
// GENERIC:         "nn.logsoftmax"(%{{.*}}) <{dim = -1 : i64}>
// GENERIC-NEXT:    "nn.logsoftmax"(%{{.*}}) <{dim = -2 : i64}>
// GENERIC-NEXT:    "nn.logsoftmax"(%{{.*}}) <{dim = -3 : i64}>
func.func @negative_dims(%x: tensor<2x3x4xf32>) {
  %0 = nn.logsoftmax %x, dim = -1 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %1 = "nn.logsoftmax"(%x) <{dim = -2 : i64}> : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %2 = nn.logsoftmax %x, dim = -3 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return
}

// Discardable attributes survive the custom form.
// CHECK-LABEL: func.func @extra_attr
// CHECK:         nn.logsoftmax %{{.*}}, dim = 0 {nn.tag = "x"} : tensor<8xf32> -> tensor<8xf32>
func.func @extra_attr(%x: tensor<8xf32>) {
  %0 = nn.logsoftmax %x, dim = 0 {nn.tag = "x"} : tensor<8xf32> -> tensor<8xf32>
  return
}

// nn.logsoftmax_into, the form on buffers, round trips too.
// CHECK-LABEL: func.func @into_buffers
// CHECK-SAME:    (%[[X:.*]]: memref<4x?xbf16>, %[[Y:.*]]: memref<4x?xf32>)
// CHECK:         nn.logsoftmax_into %[[X]], dim = -1 into %[[Y]] : memref<4x?xbf16> into memref<4x?xf32>
// GENERIC-LABEL: sym_name = "into_buffers"
// GENERIC:         "nn.logsoftmax_into"(%{{.*}}, %{{.*}}) <{dim = -1 : i64}> : (memref<4x?xbf16>, memref<4x?xf32>) -> ()
func.func @into_buffers(%x: memref<4x?xbf16>, %y: memref<4x?xf32>) {
  nn.logsoftmax_into %x, dim = -1 into %y : memref<4x?xbf16> into memref<4x?xf32>
  return
}

// CHECK-LABEL: func.func @softmax_into_buffers
// CHECK:         nn.softmax_into %{{.*}}, dim = 0 into %{{.*}} : memref<8xf16> into memref<8xf64>
// GENERIC-LABEL: sym_name = "softmax_into_buffers"
// GENERIC:         "nn.softmax_into"(%{{.*}}, %{{.*}}) <{dim = 0 : i64}> : (memref<8xf16>, memref<8xf64>) -> ()
func.func @softmax_into_buffers(%x: memref<8xf16>, %y: memref<8xf64>) {
  nn.softmax_into %x, dim = 0 into %y : memref<8xf16> into memref<8xf64>
  return
}

// CHECK-LABEL: func.func @grad_into_buffers
// CHECK:         nn.logsoftmax_grad_into %{{.*}}, %{{.*}}, dim = -2 into %{{.*}} : memref<3x?xf32>
// GENERIC-LABEL: sym_name = "grad_into_buffers"
// GENERIC:         "nn.logsoftmax_grad_into"(%{{.*}}, %{{.*}}, %{{.*}}) <{dim = -2 : i64}> : (memref<3x?xf32>, memref<3x?xf32>, memref<3x?xf32>) -> ()
func.func @grad_into_buffers(%g: memref<3x?xf32>, %y: memref<3x?xf32>, %gx: memref<3x?xf32>) {
  nn.logsoftmax_grad_into %g, %y, dim = -2 into %gx : memref<3x?xf32>
  return
}

// CHECK-LABEL: func.func @cross_entropy_into_buffers
// CHECK:         nn.cross_entropy_into %{{.*}}, %{{.*}} into %{{.*}} {reduction = "sum"} : memref<8x?xf32>, memref<8xi64> into memref<f32>
// GENERIC-LABEL: sym_name = "cross_entropy_into_buffers"
// GENERIC:         "nn.cross_entropy_into"(%{{.*}}, %{{.*}}, %{{.*}}) <{ignore_index = -100 : i64, label_smoothing = 0.000000e+00 : f64, reduction = "sum"}> : (memref<8x?xf32>, memref<8xi64>, memref<f32>) -> ()
func.func @cross_entropy_into_buffers(%x: memref<8x?xf32>, %t: memref<8xi64>, %l: memref<f32>) {
  nn.cross_entropy_into %x, %t into %l {reduction = "sum"} : memref<8x?xf32>, memref<8xi64> into memref<f32>
  return
}

// CHECK-LABEL: func.func @cross_entropy_grad_into_buffers
// CHECK:         nn.cross_entropy_grad_into %{{.*}}, %{{.*}}, %{{.*}} into %{{.*}} {reduction = "none"} : memref<8xf16>, memref<8x?xf16>, memref<8xi32> into memref<8x?xf16>
// GENERIC-LABEL: sym_name = "cross_entropy_grad_into_buffers"
// GENERIC:         "nn.cross_entropy_grad_into"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{ignore_index = -100 : i64, label_smoothing = 0.000000e+00 : f64, reduction = "none"}> : (memref<8xf16>, memref<8x?xf16>, memref<8xi32>, memref<8x?xf16>) -> ()
func.func @cross_entropy_grad_into_buffers(%g: memref<8xf16>, %x: memref<8x?xf16>, %t: memref<8xi32>, %gx: memref<8x?xf16>) {
  nn.cross_entropy_grad_into %g, %x, %t into %gx {reduction = "none"} : memref<8xf16>, memref<8x?xf16>, memref<8xi32> into memref<8x?xf16>
  return
}
