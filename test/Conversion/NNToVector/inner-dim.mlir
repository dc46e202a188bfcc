// RUN: nn-opt %s --nn-to-vector="vector-bits=512" --canonicalize | FileCheck %s

// Along a non-last dimension the lanes run along the contiguous last one: the
// forall covers the other dimensions and 32-element chunks of the last (two
// accumulators of 16 lanes), every load is a unit-stride vector at
// [i, d, chunk], each lane keeps its own max and sum (no horizontal
// reduction: only the test of whether any lane's maximum grew), and the read
// pass steps through `dim` four rows at a time.

// CHECK-LABEL: func.func @middle(
// CHECK-SAME:    %[[X:.*]]: tensor<32x1024x128xf32>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG:     %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG:     %[[C1024:.*]] = arith.constant 1024 : index
// CHECK-NOT:     vector.reduction <{{add|maximumf}}>
// CHECK:         scf.forall (%[[I:.*]], %[[C:.*]]) in (32, 4) shared_outs(%[[OUT:.*]] = %{{.*}})
// CHECK:           %[[I0:.*]] = arith.muli %[[C]], %[[C32]] : index
// CHECK:           scf.for %{{.*}} = %[[C0]] to %[[C1024]] step %[[C128]] iter_args
// CHECK:             scf.for %[[D:.*]] = %{{.*}} to %{{.*}} step %[[C4]] iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK-NEXT:          vector.transfer_read %[[X]][%[[I]], %[[D]], %[[I0]]], %{{.*}} {in_bounds = [true]} : tensor<32x1024x128xf32>, vector<16xf32>
// CHECK-NOT:     vector.reduction <{{add|maximumf}}>
// The per-lane logs are vector code (exponent/mantissa split and a series),
// not math.log, which LLVM would turn into one libm call per lane.
// CHECK-NOT:       math.log
// CHECK:           arith.divf %{{.*}} : vector<16xf32>
// CHECK:           arith.divf %{{.*}} : vector<16xf32>
// CHECK-NOT:       math.log
// CHECK:           tensor.extract_slice %[[OUT]][%[[I]], 0, %[[I0]]] [1, 1024, 32] [1, 1, 1]
// CHECK:           vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<16xf32>, tensor<1x1024x32xf32>
// CHECK:           tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[I]], 0, %[[I0]]] [1, 1024, 32] [1, 1, 1]
func.func @middle(%x: tensor<32x1024x128xf32>) -> tensor<32x1024x128xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<32x1024x128xf32> -> tensor<32x1024x128xf32>
  return %y : tensor<32x1024x128xf32>
}

// dim 0 of a rank-2 tensor: no other dimension, so the forall runs over the
// chunks alone. A last dimension that is not a multiple of 32 takes masked
// transfers.
// CHECK-LABEL: func.func @first_odd(
// CHECK:         scf.forall (%[[C:.*]]) in (2) shared_outs
// CHECK:           vector.transfer_read %{{.*}}, %{{.*}} : tensor<512x40xf32>, vector<16xf32>
// CHECK:           vector.transfer_write %{{.*}} : vector<16xf32>, tensor<512x?xf32>
func.func @first_odd(%x: tensor<512x40xf32>) -> tensor<512x40xf32> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<512x40xf32> -> tensor<512x40xf32>
  return %y : tensor<512x40xf32>
}
