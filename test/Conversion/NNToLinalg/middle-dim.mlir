// RUN: nn-opt %s --nn-to-linalg | FileCheck %s --implicit-check-not=nn.logsoftmax

// Reduction along a middle dimension: the reduced map drops d1 and only d1
// is a reduction iterator.

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[RED0:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>

// CHECK-LABEL: func.func @middle_dim
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
// CHECK:         %[[OUT:.*]] = tensor.empty() : tensor<2x3x5xf32>
// CHECK:         %[[MAX_EMPTY:.*]] = tensor.empty() : tensor<2x5xf32>
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MAX_INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%[[MAX_EMPTY]] : tensor<2x5xf32>)
// CHECK:         %[[MAX:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME:      ins(%[[X]] : tensor<2x3x5xf32>) outs(%[[MAX_INIT]] : tensor<2x5xf32>)
// CHECK-NOT:       arith.maxnumf
// CHECK:           arith.maximumf
// CHECK-NOT:     tensor.empty() : tensor<2x3x5xf32>
// CHECK:         %[[SUM_EMPTY:.*]] = tensor.empty() : tensor<2x5xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[SUM_INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[SUM_EMPTY]] : tensor<2x5xf32>)
// CHECK-NOT:     tensor.empty() : tensor<2x3x5xf32>
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]] : tensor<2x3x5xf32>, tensor<2x5xf32>) outs(%[[SUM_INIT]] : tensor<2x5xf32>)
// CHECK:           math.exp
// CHECK:           arith.addf
// CHECK:         %[[RES:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<2x3x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>) outs(%[[OUT]] : tensor<2x3x5xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f32, %[[M:[^:]+]]: f32, %[[S:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT:      %[[SHIFTED:.*]] = arith.subf %[[IN]], %[[M]] : f32
// CHECK-NEXT:      %[[LOG:.*]] = math.log %[[S]] : f32
// CHECK-NEXT:      %[[Y:.*]] = arith.subf %[[SHIFTED]], %[[LOG]] : f32
// CHECK-NEXT:      linalg.yield %[[Y]] : f32
// CHECK:         return %[[RES]] : tensor<2x3x5xf32>
func.func @middle_dim(%x: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<2x3x5xf32> -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}

// dim = 0 of a rank-3 tensor, written as -3.
// CHECK-LABEL: func.func @first_dim
// CHECK:         tensor.empty() : tensor<3x5xf64>
// CHECK:         arith.constant 0xFFF0000000000000 : f64
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED0]]]
// CHECK-SAME:      iterator_types = ["reduction", "parallel", "parallel"]
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED0]], #[[RED0]]]
// CHECK-SAME:      iterator_types = ["reduction", "parallel", "parallel"]
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED0]], #[[RED0]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel"]
func.func @first_dim(%x: tensor<2x3x5xf64>) -> tensor<2x3x5xf64> {
  %y = nn.logsoftmax %x, dim = -3 : tensor<2x3x5xf64> -> tensor<2x3x5xf64>
  return %y : tensor<2x3x5xf64>
}
