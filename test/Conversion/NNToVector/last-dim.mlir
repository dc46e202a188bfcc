// RUN: nn-opt %s --nn-to-vector="vector-bits=512" | FileCheck %s
// RUN: nn-opt %s --nn-to-vector="vector-bits=256" | FileCheck %s --check-prefix=AVX2
// RUN: nn-opt %s --nn-to-vector="vector-bits=128" | FileCheck %s --check-prefix=SSE

// One forall iteration per row. The read pass is one loop whose iter_args are
// two lagging references, the two running maxima and the two running sums
// (online max + sum), fed by four unit-stride vector loads per accumulator and
// no scalar access. A reference moves (an scf.if that rescales the sum) only
// when a block's maximum passes it by more than 64; the exps subtract the
// reference. The loop around it merges chunks of 4096 elements.

// CHECK-LABEL: func.func @last(
// CHECK-SAME:    %[[X:.*]]: tensor<8x1000xf32>)
// CHECK-DAG:     %[[SLACK:.*]] = arith.constant dense<6.400000e+01> : vector<16xf32>
// CHECK-DAG:     %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG:     %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG:     %[[C896:.*]] = arith.constant 896 : index
// CHECK-DAG:     %[[C992:.*]] = arith.constant 992 : index
// CHECK-DAG:     %[[C1000:.*]] = arith.constant 1000 : index
// CHECK-DAG:     %[[C4096:.*]] = arith.constant 4096 : index
// CHECK:         scf.forall (%[[ROW:.*]]) in (8) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<8x1000xf32>)
// CHECK:           %[[ROWOUT:.*]] = tensor.extract_slice %[[OUT]][%[[ROW]], 0] [1, 1000] [1, 1]
// CHECK:           scf.for %{{.*}} = %[[C0]] to %[[C896]] step %[[C4096]] iter_args
// CHECK:             scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %[[C128]] iter_args(%[[R0:.*]] = %{{.*}}, %[[R1:.*]] = %{{.*}}, %[[M0:.*]] = %{{.*}}, %[[M1:.*]] = %{{.*}}, %[[S0:.*]] = %{{.*}}, %[[S1:.*]] = %{{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-NEXT:          vector.transfer_read %[[X]][%[[ROW]], %[[J]]], %{{.*}} {in_bounds = [true]} : tensor<8x1000xf32>, vector<16xf32>
// CHECK-COUNT-3:       vector.transfer_read %[[X]][%[[ROW]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<8x1000xf32>, vector<16xf32>
// CHECK-NOT:           tensor.extract
// CHECK-NOT:           scf.for
// The test takes blockMax - r, the rounded difference the exps take, so that
// no exp argument passes 64 (r + 64 rounds up near 2^30 in f32).
// CHECK:               %[[GAP:.*]] = arith.subf %{{.*}}, %[[R0]] fastmath<contract> : vector<16xf32>
// CHECK:               %[[ABOVE:.*]] = arith.cmpf ogt, %[[GAP]], %[[SLACK]]
// CHECK:               %[[MOVE:.*]] = vector.reduction <or>, %[[ABOVE]]
// CHECK:               %[[REF:.*]]:2 = scf.if %[[MOVE]]
// Only the lanes above move, each up to its own maximum; a lane that has
// seen only -inf (a masked row) is never above and keeps its finite reference.
// CHECK:                 %[[UP:.*]] = arith.cmpf ogt, %[[NEWMAX:.*]], %[[R0]]
// CHECK:                 %[[UPMAX:.*]] = arith.select %[[UP]], %[[NEWMAX]], %[[R0]]
// CHECK:                 %[[MOVED:.*]] = arith.select %[[ABOVE]], %[[UPMAX]], %[[R0]]
// CHECK:                 arith.subf %[[R0]], %[[MOVED]]
// CHECK:                 arith.mulf %[[S0]]
// CHECK:                 scf.yield %[[MOVED]], %{{.*}} : vector<16xf32>, vector<16xf32>
// CHECK:               } else {
// CHECK-NEXT:            scf.yield %[[R0]], %[[S0]]
// CHECK:               arith.subf %{{.*}}, %[[REF]]#0
// CHECK:               scf.yield %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>
// The tail: single masked vectors, padded with -inf (negligible terms).
// CHECK:           scf.for %[[T:.*]] = %[[C896]] to %[[C1000]] step %[[C16]] iter_args
// CHECK:             vector.transfer_read %[[X]][%[[ROW]], %[[T]]], %[[NEG_INF]] : tensor<8x1000xf32>, vector<16xf32>
// Lanes are combined once per row; NaN-propagating max.
// CHECK:           vector.reduction <maximumf>, %{{.*}} : vector<16xf32> into f32
// CHECK:           vector.reduction <add>, %{{.*}} : vector<16xf32> into f32
// CHECK:           math.log %{{.*}} : f32
// Write pass: (x - max) - log(sum), full vectors then a masked tail.
// CHECK:           scf.for {{.*}} = %[[C0]] to %[[C992]] step %[[C16]] iter_args(%{{.*}} = %[[ROWOUT]])
// CHECK:             arith.subf
// CHECK:             arith.subf
// CHECK:             vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<16xf32>, tensor<1x1000xf32>
// CHECK:           scf.for {{.*}} = %[[C992]] to %[[C1000]] step %[[C16]] iter_args
// CHECK:             vector.transfer_write %{{.*}} : vector<16xf32>, tensor<1x1000xf32>
// CHECK:           scf.forall.in_parallel
// CHECK-NEXT:        tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[ROW]], 0] [1, 1000] [1, 1]

// AVX2-LABEL: func.func @last(
// AVX2-DAG:     %[[C64:.*]] = arith.constant 64 : index
// AVX2:         scf.for %{{.*}} step %[[C64]] iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// AVX2-COUNT-4:   vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<8x1000xf32>, vector<8xf32>

// SSE-LABEL: func.func @last(
// SSE-DAG:     %[[C32:.*]] = arith.constant 32 : index
// SSE:         scf.for %{{.*}} step %[[C32]] iter_args({{.*}}) -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>)
// SSE-COUNT-4:   vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<8x1000xf32>, vector<4xf32>
func.func @last(%x: tensor<8x1000xf32>) -> tensor<8x1000xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<8x1000xf32> -> tensor<8x1000xf32>
  return %y : tensor<8x1000xf32>
}

// Rows of at most one vector, 16 rows at a time: one masked load per row (the
// last group clamps its row index to 63, the last row), the 16 maxima and then
// the 16 sums reduced together by interleaving pairs of vectors (first level:
// rows r and r+8, lower and upper halves), one vector log for the 16 sums (no
// libm call per row, no serial reduction), then one store per row, all but
// the first guarded by the group's row count.
// A dynamic row length chooses between the short and long paths per row.
// CHECK-LABEL: func.func @short(
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C63:.*]] = arith.constant 63 : index
// CHECK:         scf.forall (%[[G:.*]]) in (%{{.*}}) shared_outs
// CHECK-NOT:       vector.reduction
// CHECK:           %[[R0:.*]] = arith.minui %{{.*}}, %[[C63]] : index
// CHECK-NEXT:      %[[X0:.*]] = vector.transfer_read %{{.*}}[%[[R0]], %[[C0]]], %{{.*}} : tensor<64x10xf32>, vector<16xf32>
// CHECK-COUNT-15:  vector.transfer_read {{.*}} : tensor<64x10xf32>, vector<16xf32>
// CHECK-NOT:       vector.transfer_read
// CHECK:           vector.shuffle %[[X0]], %[[X8:.*]] [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]
// CHECK-NEXT:      vector.shuffle %[[X0]], %[[X8]] [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]
// CHECK-NOT:       vector.reduction
// CHECK-NOT:       math.log
// CHECK:           arith.divf {{.*}} : vector<16xf32>
// CHECK-NOT:       math.log
// CHECK:           vector.transfer_write {{.*}} : vector<16xf32>, tensor<?x10xf32>
// CHECK:           %[[PRESENT:.*]] = arith.cmpi ugt, %{{.*}}, %[[C1]] : index
// CHECK-NEXT:      scf.if %[[PRESENT]] -> (tensor<?x10xf32>)
// CHECK-NEXT:        vector.transfer_write %{{.*}}, %{{.*}}[%[[C1]], %[[C0]]] : vector<16xf32>, tensor<?x10xf32>
// CHECK-NOT:       vector.reduction
// CHECK:           scf.forall.in_parallel
func.func @short(%x: tensor<64x10xf32>) -> tensor<64x10xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<64x10xf32> -> tensor<64x10xf32>
  return %y : tensor<64x10xf32>
}

// CHECK-LABEL: func.func @dynamic_length(
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK:         scf.forall
// CHECK:           %[[SHORT:.*]] = arith.cmpi ule, %{{.*}}, %[[C16]] : index
// CHECK:           scf.if %[[SHORT]] -> (tensor<1x?xf32>)
// CHECK:             vector.shuffle
// CHECK:           } else {
// CHECK:             scf.for
func.func @dynamic_length(%x: tensor<64x?xf32>) -> tensor<64x?xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<64x?xf32> -> tensor<64x?xf32>
  return %y : tensor<64x?xf32>
}

// Rows of 2^18 elements or more are split into segments of 65536 so that one
// row keeps every thread busy: a first forall over (row, segment) writes each
// segment's max and sum lanes, a second merges a row's segments in order and
// writes its own segment.
// CHECK-LABEL: func.func @huge(
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK:         %[[PM:.*]] = tensor.empty({{.*}}) : tensor<2x?x16xf32>
// CHECK:         %[[PS:.*]] = tensor.empty({{.*}}) : tensor<2x?x16xf32>
// CHECK:         %[[PARTS:.*]]:2 = scf.forall (%{{.*}}, %{{.*}}) in (2, %{{.*}}) shared_outs(%{{.*}} = %[[PM]], %{{.*}} = %[[PS]])
// CHECK:           vector.transfer_write {{.*}} : vector<16xf32>, tensor<1x1x16xf32>
// CHECK:         scf.forall (%[[R:.*]], %[[S:.*]]) in (2, %{{.*}}) shared_outs(%[[OUT:.*]] = %{{.*}})
// CHECK:           scf.for %{{.*}} = %[[C0]] to %{{.*}} step %[[C1]] iter_args
// CHECK:             vector.transfer_read %[[PARTS]]#0
// CHECK:             vector.transfer_read %[[PARTS]]#1
// CHECK:           vector.reduction <maximumf>
// CHECK:           tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[R]], %{{.*}}] [1, %{{.*}}] [1, 1]
func.func @huge(%x: tensor<2x1000000xf32>) -> tensor<2x1000000xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<2x1000000xf32> -> tensor<2x1000000xf32>
  return %y : tensor<2x1000000xf32>
}
