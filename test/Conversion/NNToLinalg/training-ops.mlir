// RUN: nn-opt %s --nn-to-linalg --canonicalize --cse | FileCheck %s --implicit-check-not=nn.

// The decompositions of nn.softmax, nn.logsoftmax_grad, nn.cross_entropy and
// nn.cross_entropy_grad into linalg.generic stages on tensors.

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[SAMPLE:.+]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[SAMPLE_TO_SCALAR:.+]] = affine_map<(d0) -> ()>
// CHECK-DAG: #[[TO_SCALAR:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[SCALAR:.+]] = affine_map<() -> ()>

// Softmax: max and exps in f32 for f16, the exps added in f64, then
// exp(x - max) / sum, rounded once to the result type.
// CHECK-LABEL: func.func @softmax
// CHECK-SAME:    (%[[X:.*]]: tensor<4x8xf16>)
// CHECK:         %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x8xf16>)
// CHECK:           arith.maximumf
// CHECK:         %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MAX]] : tensor<4x8xf16>, tensor<4xf32>) outs(%{{.*}} : tensor<4xf64>)
// CHECK:           %[[E32:.*]] = math.exp %{{.*}} : f32
// CHECK:           %[[E64:.*]] = arith.extf %[[E32]] : f32 to f64
// CHECK:           arith.addf %[[E64]], %{{.*}} : f64
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<4x8xf16>, tensor<4xf32>, tensor<4xf64>)
// CHECK:         ^bb0(%[[XE:.*]]: f16, %[[M:.*]]: f32, %[[S64:.*]]: f64, %{{.*}}: f16):
// CHECK:           %[[XW:.*]] = arith.extf %[[XE]] : f16 to f32
// CHECK:           %[[S:.*]] = arith.truncf %[[S64]] : f64 to f32
// CHECK:           %[[D:.*]] = arith.subf %[[XW]], %[[M]] : f32
// CHECK:           %[[E:.*]] = math.exp %[[D]] : f32
// CHECK:           %[[Y:.*]] = arith.divf %[[E]], %[[S]] : f32
// CHECK:           %[[YN:.*]] = arith.truncf %[[Y]] : f32 to f16
// CHECK:           linalg.yield %[[YN]] : f16
func.func @softmax(%x: tensor<4x8xf16>) -> tensor<4x8xf16> {
  %y = "nn.softmax"(%x) <{dim = -1 : i64}> : (tensor<4x8xf16>) -> tensor<4x8xf16>
  return %y : tensor<4x8xf16>
}

// Log-softmax gradient: sum(g) along dim, then g - exp(y) * sum.
// CHECK-LABEL: func.func @logsoftmax_grad
// CHECK-SAME:    (%[[G:.*]]: tensor<4x8xf32>, %[[Y:.*]]: tensor<4x8xf32>)
// CHECK:         %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[G]] : tensor<4x8xf32>)
// CHECK:           arith.addf
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[G]], %[[Y]], %[[SUM]] : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>)
// CHECK:         ^bb0(%[[GE:.*]]: f32, %[[YE:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[P:.*]] = math.exp %[[YE]] : f32
// CHECK:           %[[PS:.*]] = arith.mulf %[[P]], %[[S]] : f32
// CHECK:           %[[R:.*]] = arith.subf %[[GE]], %[[PS]] : f32
// CHECK:           linalg.yield %[[R]] : f32
func.func @logsoftmax_grad(%g: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = "nn.logsoftmax_grad"(%g, %y) <{dim = 1 : i64}> : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// Cross-entropy, "mean": per sample lse - x[target], read under scf.if only
// for a target in [0, C) (else NaN), 0 where ignored; then the f64 sum and
// count of the samples not ignored, and their quotient.
// CHECK-LABEL: func.func @cross_entropy_mean
// CHECK-SAME:    (%[[L:.*]]: tensor<4x8xf32>, %[[T:.*]]: tensor<4xi64>)
// CHECK-DAG:     %[[C:.*]] = arith.constant 8 : i64
// CHECK-DAG:     %[[ZERO_I:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[IGNORE:.*]] = arith.constant -100 : i64
// CHECK-DAG:     %[[NAN:.*]] = arith.constant 0x7FC00000 : f32
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[MAX:.*]] = linalg.generic {{.*}} ins(%[[L]] : tensor<4x8xf32>)
// CHECK:         %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[L]], %[[MAX]] : tensor<4x8xf32>, tensor<4xf32>)
// CHECK:         %[[LOSS:.*]] = linalg.generic {indexing_maps = [#[[SAMPLE]], #[[SAMPLE]], #[[SAMPLE]], #[[SAMPLE]]], iterator_types = ["parallel"]} ins(%[[T]], %[[MAX]], %[[SUM]] : tensor<4xi64>, tensor<4xf32>, tensor<4xf32>)
// CHECK:         ^bb0(%[[TE:.*]]: i64, %[[M:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-DAG:       %[[GE0:.*]] = arith.cmpi sge, %[[TE]], %[[ZERO_I]] : i64
// CHECK-DAG:       %[[LTC:.*]] = arith.cmpi slt, %[[TE]], %[[C]] : i64
// CHECK:           %[[IN:.*]] = arith.andi %[[GE0]], %[[LTC]] : i1
// CHECK:           %[[N:.*]] = linalg.index 0 : index
// CHECK:           %[[XT:.*]] = scf.if %[[IN]] -> (f32) {
// CHECK:             %[[TI:.*]] = arith.index_cast %[[TE]] : i64 to index
// CHECK:             %[[XR:.*]] = tensor.extract %[[L]][%[[N]], %[[TI]]] : tensor<4x8xf32>
// CHECK:             scf.yield %[[XR]] : f32
// CHECK:           } else {
// CHECK:             scf.yield %[[NAN]] : f32
// CHECK:           %[[LOGS:.*]] = math.log %[[S]] : f32
// CHECK:           %[[SHIFTED:.*]] = arith.subf %[[XT]], %[[M]] : f32
// CHECK:           %[[NLL:.*]] = arith.subf %[[LOGS]], %[[SHIFTED]] : f32
// CHECK:           %[[IGN:.*]] = arith.cmpi eq, %[[TE]], %[[IGNORE]] : i64
// CHECK:           %[[SEL:.*]] = arith.select %[[IGN]], %[[ZERO]], %[[NLL]] : f32
// CHECK:           linalg.yield %[[SEL]] : f32
// CHECK:         %[[TOTALS:.*]]:2 = linalg.generic {indexing_maps = [#[[SAMPLE]], #[[SAMPLE]], #[[SAMPLE_TO_SCALAR]], #[[SAMPLE_TO_SCALAR]]], iterator_types = ["reduction"]} ins(%[[LOSS]], %[[T]] : tensor<4xf32>, tensor<4xi64>) outs(%{{.*}}, %{{.*}} : tensor<f64>, tensor<f64>)
// CHECK:           arith.extf %{{.*}} : f32 to f64
// CHECK:         linalg.generic {indexing_maps = [#[[SCALAR]], #[[SCALAR]], #[[SCALAR]]], iterator_types = []} ins(%[[TOTALS]]#0, %[[TOTALS]]#1 : tensor<f64>, tensor<f64>)
// CHECK:         ^bb0(%[[TOTAL:.*]]: f64, %[[COUNT:.*]]: f64, %{{.*}}: f32):
// CHECK:           %[[MEAN:.*]] = arith.divf %[[TOTAL]], %[[COUNT]] : f64
// CHECK:           arith.truncf %[[MEAN]] : f64 to f32
func.func @cross_entropy_mean(%logits: tensor<4x8xf32>, %target: tensor<4xi64>) -> tensor<f32> {
  %loss = "nn.cross_entropy"(%logits, %target) <{ignore_index = -100 : i64, reduction = "mean", label_smoothing = 0.0 : f64}> : (tensor<4x8xf32>, tensor<4xi64>) -> tensor<f32>
  return %loss : tensor<f32>
}

// Label smoothing adds a sum along the classes of (x - max) * e / C, in f64;
// "none" returns the per-sample losses in the logits' type.
// CHECK-LABEL: func.func @cross_entropy_smoothed
// CHECK-SAME:    (%[[L:.*]]: tensor<4x8xbf16>, %[[T:.*]]: tensor<4xi32>) -> tensor<4xbf16>
// CHECK-DAG:     %[[W:.*]] = arith.constant 3.125000e-02 : f64
// CHECK-DAG:     %[[ONE_MINUS:.*]] = arith.constant 7.500000e-01 : f32
// CHECK:         %[[MAX:.*]] = linalg.generic {{.*}} ins(%[[L]] : tensor<4x8xbf16>)
// CHECK:           arith.maximumf
// CHECK:         %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[L]], %[[MAX]] : tensor<4x8xbf16>, tensor<4xf32>)
// CHECK:           math.exp
// CHECK:         %[[SPREAD:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[L]], %[[MAX]] : tensor<4x8xbf16>, tensor<4xf32>) outs(%{{.*}} : tensor<4xf64>)
// CHECK:         ^bb0(%[[XE:.*]]: bf16, %[[ME:.*]]: f32, %[[ACC:.*]]: f64):
// CHECK:           %[[X64:.*]] = arith.extf %[[XE]] : bf16 to f64
// CHECK:           %[[M64:.*]] = arith.extf %[[ME]] : f32 to f64
// CHECK:           %[[D:.*]] = arith.subf %[[X64]], %[[M64]] : f64
// CHECK:           %[[TERM:.*]] = arith.mulf %[[D]], %[[W]] : f64
// CHECK:           arith.addf %[[TERM]], %[[ACC]] : f64
// CHECK:         linalg.generic {{.*}} ins(%[[T]], %[[MAX]], %[[SUM]], %[[SPREAD]] : tensor<4xi32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf64>) outs(%{{.*}} : tensor<4xbf16>)
// CHECK:         ^bb0(%{{.*}}: i32, %[[M:.*]]: f32, %[[S:.*]]: f32, %[[SP:.*]]: f64, %{{.*}}: bf16):
// CHECK:           %[[LOGS:.*]] = math.log %[[S]] : f32
// CHECK:           %[[SHIFTED:.*]] = arith.subf %{{.*}}, %[[M]] : f32
// CHECK:           %[[KEPT:.*]] = arith.mulf %[[SHIFTED]], %[[ONE_MINUS]] : f32
// CHECK:           %[[A:.*]] = arith.subf %[[LOGS]], %[[KEPT]] : f32
// CHECK:           %[[SP32:.*]] = arith.truncf %[[SP]] : f64 to f32
// CHECK:           arith.subf %[[A]], %[[SP32]] : f32
// CHECK:           arith.truncf %{{.*}} : f32 to bf16
// CHECK-NOT:     tensor<f64>
func.func @cross_entropy_smoothed(%logits: tensor<4x8xbf16>, %target: tensor<4xi32>) -> tensor<4xbf16> {
  %loss = "nn.cross_entropy"(%logits, %target) <{ignore_index = -100 : i64, reduction = "none", label_smoothing = 0.25 : f64}> : (tensor<4x8xbf16>, tensor<4xi32>) -> tensor<4xbf16>
  return %loss : tensor<4xbf16>
}

// Gradient, "sum": g * (softmax - onehot), NaN for a target out of range,
// softmax * 0 where ignored (0, or NaN as in PyTorch for a NaN softmax).
// CHECK-LABEL: func.func @cross_entropy_grad_sum
// CHECK-SAME:    (%[[G:.*]]: tensor<f32>, %[[L:.*]]: tensor<4x8xf32>, %[[T:.*]]: tensor<4xi64>)
// CHECK-DAG:     %[[NAN:.*]] = arith.constant 0x7FC00000 : f32
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[IGNORE:.*]] = arith.constant -100 : i64
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[ROW]], #[[TO_SCALAR]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[L]], %{{.*}}, %{{.*}}, %[[T]], %[[G]] : tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi64>, tensor<f32>)
// CHECK:         ^bb0(%[[X:.*]]: f32, %[[M:.*]]: f32, %[[S:.*]]: f32, %[[TE:.*]]: i64, %[[GE:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[E:.*]] = math.exp %{{.*}} : f32
// CHECK:           %[[P:.*]] = arith.divf %[[E]], %[[S]] : f32
// CHECK:           %[[CI:.*]] = linalg.index 1 : index
// CHECK:           %[[C64:.*]] = arith.index_cast %[[CI]] : index to i64
// CHECK:           %[[HIT:.*]] = arith.cmpi eq, %[[C64]], %[[TE]] : i64
// CHECK:           %[[LABEL:.*]] = arith.select %[[HIT]], %[[ONE]], %[[ZERO]] : f32
// CHECK:           %[[DIFF:.*]] = arith.subf %[[P]], %[[LABEL]] : f32
// CHECK:           %[[SCALED:.*]] = arith.mulf %[[GE]], %[[DIFF]] : f32
// CHECK:           %[[CHECKED:.*]] = arith.select %{{.*}}, %[[SCALED]], %[[NAN]] : f32
// CHECK:           %[[IGN:.*]] = arith.cmpi eq, %[[TE]], %[[IGNORE]] : i64
// CHECK:           %[[ZEROED:.*]] = arith.mulf %[[P]], %[[ZERO]] : f32
// CHECK:           arith.select %[[IGN]], %[[ZEROED]], %[[CHECKED]] : f32
func.func @cross_entropy_grad_sum(%g: tensor<f32>, %logits: tensor<4x8xf32>, %target: tensor<4xi64>) -> tensor<4x8xf32> {
  %grad = "nn.cross_entropy_grad"(%g, %logits, %target) <{ignore_index = -100 : i64, reduction = "sum", label_smoothing = 0.0 : f64}> : (tensor<f32>, tensor<4x8xf32>, tensor<4xi64>) -> tensor<4x8xf32>
  return %grad : tensor<4x8xf32>
}
