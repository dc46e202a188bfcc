// RUN: nn-opt %s --nn-to-linalg | FileCheck %s --implicit-check-not=nn.logsoftmax
// RUN: nn-opt %s --nn-to-linalg | FileCheck %s --check-prefix=EMPTY

// Reduction along the last dimension of a static 2-D tensor: three
// linalg.generic stages (max, sum of exp, (x - max) - log(sum)).

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @last_dim
// CHECK-SAME:    (%[[X:.*]]: tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NOT:     nn.logsoftmax
// CHECK:         %[[OUT:.*]] = tensor.empty() : tensor<4x8xf32>

// Stage 1: max, from -inf, NaN-propagating maximumf.
// CHECK:         %[[MAX_EMPTY:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MAX_INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%[[MAX_EMPTY]] : tensor<4xf32>) -> tensor<4xf32>
// CHECK:         %[[MAX:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]] : tensor<4x8xf32>) outs(%[[MAX_INIT]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f32, %[[ACC:[^:]+]]: f32):
// CHECK-NOT:       arith.maxnumf
// CHECK-NEXT:      %[[M:.*]] = arith.maximumf %[[IN]], %[[ACC]] : f32
// CHECK-NEXT:      linalg.yield %[[M]] : f32
// CHECK-NEXT:    } -> tensor<4xf32>

// Stage 2: sum of exp(x - max), from 0, into a reduced-shape tensor.
// CHECK-NOT:     tensor.empty() : tensor<4x8xf32>
// CHECK:         %[[SUM_EMPTY:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[SUM_INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[SUM_EMPTY]] : tensor<4xf32>) -> tensor<4xf32>
// CHECK-NOT:     tensor.empty() : tensor<4x8xf32>
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]] : tensor<4x8xf32>, tensor<4xf32>) outs(%[[SUM_INIT]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f32, %[[M:[^:]+]]: f32, %[[ACC:[^:]+]]: f32):
// CHECK-NEXT:      %[[SHIFTED:.*]] = arith.subf %[[IN]], %[[M]] : f32
// CHECK-NEXT:      %[[E:.*]] = math.exp %[[SHIFTED]] : f32
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[E]], %[[ACC]] : f32
// CHECK-NEXT:      linalg.yield %[[S]] : f32
// CHECK-NEXT:    } -> tensor<4xf32>

// Stage 3: (x - max) - log(sum), elementwise into the output.
// CHECK:         %[[RES:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>) outs(%[[OUT]] : tensor<4x8xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f32, %[[M:[^:]+]]: f32, %[[S:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT:      %[[SHIFTED:.*]] = arith.subf %[[IN]], %[[M]] : f32
// CHECK-NEXT:      %[[LOG:.*]] = math.log %[[S]] : f32
// CHECK-NEXT:      %[[Y:.*]] = arith.subf %[[SHIFTED]], %[[LOG]] : f32
// CHECK-NEXT:      linalg.yield %[[Y]] : f32
// CHECK-NEXT:    } -> tensor<4x8xf32>
// CHECK-NEXT:    return %[[RES]] : tensor<4x8xf32>

// Only the output is input-sized; max and sum live in reduced tensors.
// EMPTY-LABEL: func.func @last_dim
// EMPTY:         tensor.empty() : tensor<4x8xf32>
// EMPTY-NOT:     tensor.empty
// EMPTY:         tensor.empty() : tensor<4xf32>
// EMPTY-NOT:     tensor.empty
// EMPTY:         tensor.empty() : tensor<4xf32>
// EMPTY-NOT:     tensor.empty
// EMPTY:         return
func.func @last_dim(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// A negative dim lowers exactly like its normalized value.
// CHECK-LABEL: func.func @last_dim_negative
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK:         arith.maximumf
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK:         math.exp
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK:         math.log
func.func @last_dim_negative(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = nn.logsoftmax %x, dim = -1 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
