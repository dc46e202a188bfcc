// RUN: nn-opt %s --nn-to-linalg | FileCheck %s --implicit-check-not=nn.logsoftmax --implicit-check-not=arith.truncf

// A wider result type (PyTorch's dtype=): the input is extended to the result
// type and all arithmetic, max and sum included, happens in it. Nothing is
// ever truncated.

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @f16_to_f32
// CHECK-SAME:    (%[[X:.*]]: tensor<4x8xf16>) -> tensor<4x8xf32>
// CHECK:         %[[OUT:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK:         %[[MAX_EMPTY:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         linalg.fill ins(%[[NEG_INF]] : f32) outs(%[[MAX_EMPTY]] : tensor<4xf32>)
// CHECK:         %[[MAX:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]] : tensor<4x8xf16>) outs(%{{.*}} : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f16, %[[ACC:[^:]+]]: f32):
// CHECK-NEXT:      %[[XF:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK-NEXT:      arith.maximumf %[[XF]], %[[ACC]] : f32
// CHECK:         arith.constant 0.000000e+00 : f32
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]] : tensor<4x8xf16>, tensor<4xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f16, %{{[^:]+}}: f32, %{{[^:]+}}: f32):
// CHECK-NEXT:      arith.extf %[[IN]] : f16 to f32
// CHECK:           math.exp %{{.*}} : f32
// CHECK:         %[[RES:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<4x8xf16>, tensor<4xf32>, tensor<4xf32>) outs(%[[OUT]] : tensor<4x8xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f16, %[[M:[^:]+]]: f32, %[[S:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT:      %[[XF:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK-NEXT:      %[[SHIFTED:.*]] = arith.subf %[[XF]], %[[M]] : f32
// CHECK-NEXT:      %[[LOG:.*]] = math.log %[[S]] : f32
// CHECK-NEXT:      %[[Y:.*]] = arith.subf %[[SHIFTED]], %[[LOG]] : f32
// CHECK-NEXT:      linalg.yield %[[Y]] : f32
// CHECK:         return %[[RES]] : tensor<4x8xf32>
func.func @f16_to_f32(%x: tensor<4x8xf16>) -> tensor<4x8xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf16> -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// f32 -> f64: max and sum are f64, -inf is the f64 one.
// CHECK-LABEL: func.func @f32_to_f64
// CHECK-SAME:    (%[[X:.*]]: tensor<4x8xf32>) -> tensor<4x8xf64>
// CHECK:         %[[OUT:.*]] = tensor.empty() : tensor<4x8xf64>
// CHECK:         %[[MAX_EMPTY:.*]] = tensor.empty() : tensor<4xf64>
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFFF0000000000000 : f64
// CHECK:         linalg.fill ins(%[[NEG_INF]] : f64) outs(%[[MAX_EMPTY]] : tensor<4xf64>)
// CHECK:         %[[MAX:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]] : tensor<4x8xf32>) outs(%{{.*}} : tensor<4xf64>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f32, %[[ACC:[^:]+]]: f64):
// CHECK-NEXT:      %[[XF:.*]] = arith.extf %[[IN]] : f32 to f64
// CHECK-NEXT:      arith.maximumf %[[XF]], %[[ACC]] : f64
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK:         linalg.fill ins(%[[ZERO]] : f64) outs(%{{.*}} : tensor<4xf64>)
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]]]
// CHECK-SAME:      ins(%[[X]], %[[MAX]] : tensor<4x8xf32>, tensor<4xf64>) outs(%{{.*}} : tensor<4xf64>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f32, %{{[^:]+}}: f64, %{{[^:]+}}: f64):
// CHECK-NEXT:      arith.extf %[[IN]] : f32 to f64
// CHECK:           math.exp %{{.*}} : f64
// CHECK:         %[[RES:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]], #[[ID]]]
// CHECK-SAME:      ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<4x8xf32>, tensor<4xf64>, tensor<4xf64>) outs(%[[OUT]] : tensor<4x8xf64>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f32, %{{[^:]+}}: f64, %{{[^:]+}}: f64, %{{[^:]+}}: f64):
// CHECK-NEXT:      arith.extf %[[IN]] : f32 to f64
// CHECK:           math.log %{{.*}} : f64
// CHECK-NEXT:      %[[Y:.*]] = arith.subf %{{.*}} : f64
// CHECK-NEXT:      linalg.yield %[[Y]] : f64
// CHECK:         return %[[RES]] : tensor<4x8xf64>
func.func @f32_to_f64(%x: tensor<4x8xf32>) -> tensor<4x8xf64> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf32> -> tensor<4x8xf64>
  return %y : tensor<4x8xf64>
}

// bf16 -> f64 and f16 -> f64 skip f32 entirely and compute in f64.
// CHECK-LABEL: func.func @bf16_to_f64
// CHECK:         arith.constant 0xFFF0000000000000 : f64
// CHECK:         arith.extf %{{.*}} : bf16 to f64
// CHECK:         arith.maximumf %{{.*}} : f64
// CHECK:         arith.extf %{{.*}} : bf16 to f64
// CHECK:         math.exp %{{.*}} : f64
// CHECK:         arith.extf %{{.*}} : bf16 to f64
// CHECK:         math.log %{{.*}} : f64
// CHECK:         return %{{.*}} : tensor<4x8xf64>
func.func @bf16_to_f64(%x: tensor<4x8xbf16>) -> tensor<4x8xf64> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xbf16> -> tensor<4x8xf64>
  return %y : tensor<4x8xf64>
}

// CHECK-LABEL: func.func @f16_to_f64
// CHECK:         arith.extf %{{.*}} : f16 to f64
// CHECK:         math.log %{{.*}} : f64
func.func @f16_to_f64(%x: tensor<4x8xf16>) -> tensor<4x8xf64> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf16> -> tensor<4x8xf64>
  return %y : tensor<4x8xf64>
}
