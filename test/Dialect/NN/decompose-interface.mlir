// RUN: nn-opt %s --transform-interpreter --split-input-file | FileCheck %s

// nn.logsoftmax implements AggregatedOpInterface: the transform dialect's
// decompose_interface turns it into the three fused linalg stages that
// --nn-to-linalg produces (reduce-max, exp-sum, subtract).

// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[RED:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @rows(
// CHECK-SAME:    %[[X:.*]]: tensor<4x?xf32>)
// CHECK-NOT:     nn.logsoftmax
// CHECK:         %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x?xf32>)
// CHECK:           arith.maximumf
// CHECK:         %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[RED]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MAX]] : tensor<4x?xf32>, tensor<4xf32>)
// CHECK:           math.exp
// CHECK:         %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[RED]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<4x?xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK:           math.log
// CHECK:         return %[[Y]]
func.func @rows(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x?xf32> -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["nn.logsoftmax"]} in %root
        : (!transform.any_op) -> !transform.any_op
    %stages = transform.structured.decompose_interface %op
        : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}
