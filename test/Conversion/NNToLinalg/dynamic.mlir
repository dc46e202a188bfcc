// RUN: nn-opt %s --nn-to-linalg | FileCheck %s --implicit-check-not=nn.logsoftmax

// Dynamic sizes come from tensor.dim on the input and feed every
// tensor.empty; the reduced tensors drop the reduced dimension's size.

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[RED2:.+]] = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @dynamic
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4x?xf32>) -> tensor<?x4x?xf32>
// CHECK:         %[[C0:.*]] = arith.constant 0 : index
// CHECK:         %[[D0:.*]] = tensor.dim %[[X]], %[[C0]] : tensor<?x4x?xf32>
// CHECK:         %[[C2:.*]] = arith.constant 2 : index
// CHECK:         %[[D2:.*]] = tensor.dim %[[X]], %[[C2]] : tensor<?x4x?xf32>
// CHECK:         %[[OUT:.*]] = tensor.empty(%[[D0]], %[[D2]]) : tensor<?x4x?xf32>
// CHECK:         %[[MAX_EMPTY:.*]] = tensor.empty(%[[D0]]) : tensor<?x4xf32>
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MAX_INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%[[MAX_EMPTY]] : tensor<?x4xf32>)
// CHECK:         %[[MAX:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]] : tensor<?x4x?xf32>) outs(%[[MAX_INIT]] : tensor<?x4xf32>)
// CHECK-NOT:       arith.maxnumf
// CHECK:           arith.maximumf
// CHECK-NOT:     tensor.empty(%[[D0]], %[[D2]])
// CHECK:         %[[SUM_EMPTY:.*]] = tensor.empty(%[[D0]]) : tensor<?x4xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[SUM_INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[SUM_EMPTY]] : tensor<?x4xf32>)
// CHECK-NOT:     tensor.empty(%[[D0]], %[[D2]])
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]] : tensor<?x4x?xf32>, tensor<?x4xf32>) outs(%[[SUM_INIT]] : tensor<?x4xf32>)
// CHECK:           math.exp
// CHECK:         %[[RES:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<?x4x?xf32>, tensor<?x4xf32>, tensor<?x4xf32>) outs(%[[OUT]] : tensor<?x4x?xf32>)
// CHECK:           math.log
// CHECK:         return %[[RES]] : tensor<?x4x?xf32>
func.func @dynamic(%x: tensor<?x4x?xf32>) -> tensor<?x4x?xf32> {
  %y = nn.logsoftmax %x, dim = -1 : tensor<?x4x?xf32> -> tensor<?x4x?xf32>
  return %y : tensor<?x4x?xf32>
}

// All dims dynamic, reducing dim 1: the reduced tensors take the size of dim 0.
// CHECK-LABEL: func.func @all_dynamic
// CHECK-SAME:    (%[[X:.*]]: tensor<?x?xf64>)
// CHECK:         %[[D0:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x?xf64>
// CHECK:         %[[D1:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x?xf64>
// CHECK:         %[[OUT:.*]] = tensor.empty(%[[D0]], %[[D1]]) : tensor<?x?xf64>
// CHECK:         tensor.empty(%[[D0]]) : tensor<?xf64>
// CHECK:         arith.constant 0xFFF0000000000000 : f64
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[RED2]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK:         tensor.empty(%[[D0]]) : tensor<?xf64>
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[RED2]], #[[RED2]]]
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[RED2]], #[[RED2]], #[[ID2]]]
// CHECK-SAME:      outs(%[[OUT]] : tensor<?x?xf64>)
func.func @all_dynamic(%x: tensor<?x?xf64>) -> tensor<?x?xf64> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<?x?xf64> -> tensor<?x?xf64>
  return %y : tensor<?x?xf64>
}

// A static result size refining a dynamic input size: the output init is
// built from the input's sizes and cast to the op's result type.
// CHECK-LABEL: func.func @refined_result
// CHECK-SAME:    (%[[X:.*]]: tensor<?x8xf32>) -> tensor<4x8xf32>
// CHECK:         %[[D0:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x8xf32>
// CHECK:         %[[EMPTY:.*]] = tensor.empty(%[[D0]]) : tensor<?x8xf32>
// CHECK:         %[[OUT:.*]] = tensor.cast %[[EMPTY]] : tensor<?x8xf32> to tensor<4x8xf32>
// CHECK:         %[[RES:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[RED2]], #[[RED2]], #[[ID2]]]
// CHECK-SAME:      outs(%[[OUT]] : tensor<4x8xf32>)
// CHECK:         } -> tensor<4x8xf32>
// CHECK:         return %[[RES]] : tensor<4x8xf32>
func.func @refined_result(%x: tensor<?x8xf32>) -> tensor<4x8xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<?x8xf32> -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
