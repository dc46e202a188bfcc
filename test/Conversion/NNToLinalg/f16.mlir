// RUN: nn-opt %s --nn-to-linalg | FileCheck %s --implicit-check-not=nn.logsoftmax
// RUN: nn-opt %s --nn-to-linalg | FileCheck %s --check-prefix=TRUNC

// f16 and bf16 accumulate in f32: every stage extends its input element to
// f32, max and sum are f32 tensors, and the result is rounded once at the end.

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[COLS:.+]] = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func.func @f16
// CHECK-SAME:    (%[[X:.*]]: tensor<4x8xf16>) -> tensor<4x8xf16>
// CHECK:         %[[OUT:.*]] = tensor.empty() : tensor<4x8xf16>
// CHECK:         %[[MAX_EMPTY:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MAX_INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%[[MAX_EMPTY]] : tensor<4xf32>)
// CHECK:         %[[MAX:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]] : tensor<4x8xf16>) outs(%[[MAX_INIT]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f16, %[[ACC:[^:]+]]: f32):
// CHECK-NEXT:      %[[XF:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK-NOT:       arith.maxnumf
// CHECK-NEXT:      %[[M:.*]] = arith.maximumf %[[XF]], %[[ACC]] : f32
// CHECK-NEXT:      linalg.yield %[[M]] : f32
// CHECK-NEXT:    } -> tensor<4xf32>
// CHECK:         %[[SUM_EMPTY:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[SUM_INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[SUM_EMPTY]] : tensor<4xf32>)
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]] : tensor<4x8xf16>, tensor<4xf32>) outs(%[[SUM_INIT]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f16, %[[M:[^:]+]]: f32, %[[ACC:[^:]+]]: f32):
// CHECK-NEXT:      %[[XF:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK-NEXT:      %[[SHIFTED:.*]] = arith.subf %[[XF]], %[[M]] : f32
// CHECK-NEXT:      %[[E:.*]] = math.exp %[[SHIFTED]] : f32
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[E]], %[[ACC]] : f32
// CHECK-NEXT:      linalg.yield %[[S]] : f32
// CHECK:         %[[RES:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[RED]], #[[RED]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<4x8xf16>, tensor<4xf32>, tensor<4xf32>) outs(%[[OUT]] : tensor<4x8xf16>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: f16, %[[M:[^:]+]]: f32, %[[S:[^:]+]]: f32, %{{[^:]+}}: f16):
// CHECK-NEXT:      %[[XF:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK-NEXT:      %[[SHIFTED:.*]] = arith.subf %[[XF]], %[[M]] : f32
// CHECK-NEXT:      %[[LOG:.*]] = math.log %[[S]] : f32
// CHECK-NEXT:      %[[Y:.*]] = arith.subf %[[SHIFTED]], %[[LOG]] : f32
// CHECK-NEXT:      %[[YH:.*]] = arith.truncf %[[Y]] : f32 to f16
// CHECK-NEXT:      linalg.yield %[[YH]] : f16
// CHECK-NEXT:    } -> tensor<4x8xf16>
// CHECK:         return %[[RES]] : tensor<4x8xf16>

// Exactly one truncf per function, in the last stage.
// TRUNC-LABEL: func.func @f16
// TRUNC-NOT:     arith.truncf
// TRUNC:         math.log
// TRUNC-NEXT:    arith.subf
// TRUNC-NEXT:    arith.truncf %{{.*}} : f32 to f16
// TRUNC-NOT:     arith.truncf
// TRUNC:         return
func.func @f16(%x: tensor<4x8xf16>) -> tensor<4x8xf16> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf16> -> tensor<4x8xf16>
  return %y : tensor<4x8xf16>
}

// CHECK-LABEL: func.func @bf16
// CHECK-SAME:    (%[[X:.*]]: tensor<4x8xbf16>) -> tensor<4x8xbf16>
// CHECK:         %[[OUT:.*]] = tensor.empty() : tensor<4x8xbf16>
// CHECK:         arith.constant 0xFF800000 : f32
// CHECK:         %[[MAX:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[COLS]]]
// CHECK-SAME:      iterator_types = ["reduction", "parallel"]
// CHECK-SAME:      ins(%[[X]] : tensor<4x8xbf16>) outs(%{{.*}} : tensor<8xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: bf16, %[[ACC:[^:]+]]: f32):
// CHECK-NEXT:      %[[XF:.*]] = arith.extf %[[IN]] : bf16 to f32
// CHECK-NEXT:      arith.maximumf %[[XF]], %[[ACC]] : f32
// CHECK:         arith.constant 0.000000e+00 : f32
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[COLS]], #[[COLS]]]
// CHECK-SAME:      iterator_types = ["reduction", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]] : tensor<4x8xbf16>, tensor<8xf32>) outs(%{{.*}} : tensor<8xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: bf16, %{{[^:]+}}: f32, %{{[^:]+}}: f32):
// CHECK-NEXT:      arith.extf %[[IN]] : bf16 to f32
// CHECK:           math.exp %{{.*}} : f32
// CHECK:         %[[RES:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[COLS]], #[[COLS]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<4x8xbf16>, tensor<8xf32>, tensor<8xf32>) outs(%[[OUT]] : tensor<4x8xbf16>)
// CHECK-NEXT:    ^bb0(%[[IN:[^:]+]]: bf16, %{{[^:]+}}: f32, %{{[^:]+}}: f32, %{{[^:]+}}: bf16):
// CHECK-NEXT:      arith.extf %[[IN]] : bf16 to f32
// CHECK:           math.log %{{.*}} : f32
// CHECK-NEXT:      %[[Y:.*]] = arith.subf %{{.*}} : f32
// CHECK-NEXT:      %[[YB:.*]] = arith.truncf %[[Y]] : f32 to bf16
// CHECK-NEXT:      linalg.yield %[[YB]] : bf16
// CHECK:         return %[[RES]] : tensor<4x8xbf16>

// TRUNC-LABEL: func.func @bf16
// TRUNC-NOT:     arith.truncf
// TRUNC:         math.log
// TRUNC-NEXT:    arith.subf
// TRUNC-NEXT:    arith.truncf %{{.*}} : f32 to bf16
// TRUNC-NOT:     arith.truncf
// TRUNC:         return
func.func @bf16(%x: tensor<4x8xbf16>) -> tensor<4x8xbf16> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<4x8xbf16> -> tensor<4x8xbf16>
  return %y : tensor<4x8xbf16>
}
