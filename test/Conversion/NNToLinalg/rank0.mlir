// RUN: nn-opt %s --nn-to-linalg | FileCheck %s --implicit-check-not=nn.logsoftmax

// A rank-0 tensor is a single one-element slice: the result is x - x (0, or
// NaN for inf/NaN), one linalg.generic with no loops and no reductions.

// CHECK: #[[SCALAR:.+]] = affine_map<() -> ()>

// CHECK-LABEL: func.func @rank0_f32
// CHECK-SAME:    (%[[X:.*]]: tensor<f32>) -> tensor<f32>
// CHECK-NEXT:    %[[OUT:.*]] = tensor.empty() : tensor<f32>
// CHECK-NEXT:    %[[RES:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[SCALAR]], #[[SCALAR]]]
// CHECK-SAME:      iterator_types = []
// CHECK-SAME:      ins(%[[X]] : tensor<f32>) outs(%[[OUT]] : tensor<f32>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT:      %[[Z:.*]] = arith.subf %[[IN]], %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[Z]] : f32
// CHECK-NEXT:    } -> tensor<f32>
// CHECK-NEXT:    return %[[RES]] : tensor<f32>
func.func @rank0_f32(%x: tensor<f32>) -> tensor<f32> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<f32> -> tensor<f32>
  return %y : tensor<f32>
}

// dim = -1 is the same thing; no fill, exp or log anywhere.
// CHECK-LABEL: func.func @rank0_minus1
// CHECK-NOT:     linalg.fill
// CHECK-NOT:     math.exp
// CHECK-NOT:     math.log
// CHECK:         linalg.generic {indexing_maps = [#[[SCALAR]], #[[SCALAR]]], iterator_types = []}
// CHECK:           arith.subf %[[IN:.*]], %[[IN]] : f64
// CHECK-NOT:     linalg.fill
// CHECK-NOT:     math.exp
// CHECK-NOT:     math.log
// CHECK:         return
func.func @rank0_minus1(%x: tensor<f64>) -> tensor<f64> {
  %y = nn.logsoftmax %x, dim = -1 : tensor<f64> -> tensor<f64>
  return %y : tensor<f64>
}

// f16 computes in f32 and rounds once.
// CHECK-LABEL: func.func @rank0_f16
// CHECK-SAME:    (%[[X:.*]]: tensor<f16>) -> tensor<f16>
// CHECK:         linalg.generic {indexing_maps = [#[[SCALAR]], #[[SCALAR]]], iterator_types = []}
// CHECK-SAME:      ins(%[[X]] : tensor<f16>) outs(%{{.*}} : tensor<f16>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f16, %{{[^:]+}}: f16):
// CHECK-NEXT:      %[[XF:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK-NEXT:      %[[Z:.*]] = arith.subf %[[XF]], %[[XF]] : f32
// CHECK-NEXT:      %[[ZH:.*]] = arith.truncf %[[Z]] : f32 to f16
// CHECK-NEXT:      linalg.yield %[[ZH]] : f16
func.func @rank0_f16(%x: tensor<f16>) -> tensor<f16> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<f16> -> tensor<f16>
  return %y : tensor<f16>
}

// A wider result: bf16 -> f64 computes in f64, no truncf.
// CHECK-LABEL: func.func @rank0_bf16_to_f64
// CHECK:         linalg.generic {indexing_maps = [#[[SCALAR]], #[[SCALAR]]], iterator_types = []}
// CHECK-SAME:      ins(%{{.*}} : tensor<bf16>) outs(%{{.*}} : tensor<f64>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: bf16, %{{[^:]+}}: f64):
// CHECK-NEXT:      %[[XF:.*]] = arith.extf %[[IN]] : bf16 to f64
// CHECK-NEXT:      %[[Z:.*]] = arith.subf %[[XF]], %[[XF]] : f64
// CHECK-NEXT:      linalg.yield %[[Z]] : f64
func.func @rank0_bf16_to_f64(%x: tensor<bf16>) -> tensor<f64> {
  %y = nn.logsoftmax %x, dim = -1 : tensor<bf16> -> tensor<f64>
  return %y : tensor<f64>
}
