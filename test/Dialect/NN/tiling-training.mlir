// nn.softmax and nn.logsoftmax_grad implement TilingInterface like
// nn.logsoftmax (tiling.mlir): every dimension but `dim` tiles, `dim` stays
// whole. The tiled IR is then run on rows [0, 1, 2, 3, 4]; with
// lse = log(1 + e + e^2 + e^3 + e^4) = 4.4519144, softmax is
// exp(k - lse) and the gradient of log-softmax for g = [0, 1, 2, 3, 4] is
// g_k - exp(y_k) * 10 (float64 by hand, below).
//
// RUN: nn-opt %s --transform-preload-library="transform-library-paths=%S/Inputs/tile-forall-training.mlir" \
// RUN:   --transform-interpreter | FileCheck %s
// RUN: nn-opt %s --transform-preload-library="transform-library-paths=%S/Inputs/tile-forall-training.mlir" \
// RUN:   --transform-interpreter -o %t.mlir
// RUN: nn-run %t.mlir --function=softmax --input="6x5xf32=0 1 2 3 4 0 1 2 3 4 0 1 2 3 4 0 1 2 3 4 0 1 2 3 4 0 1 2 3 4" \
// RUN:   | FileCheck %s --check-prefix=SOFTMAX
// RUN: nn-run %t.mlir --function=grad_dynamic \
// RUN:   --input="6x5xf32=0 1 2 3 4 0 1 2 3 4 0 1 2 3 4 0 1 2 3 4 0 1 2 3 4 0 1 2 3 4" \
// RUN:   --input="6x5xf32=-4.4519143 -3.4519143 -2.4519143 -1.4519144 -0.4519144 -4.4519143 -3.4519143 -2.4519143 -1.4519144 -0.4519144 -4.4519143 -3.4519143 -2.4519143 -1.4519144 -0.4519144 -4.4519143 -3.4519143 -2.4519143 -1.4519144 -0.4519144 -4.4519143 -3.4519143 -2.4519143 -1.4519144 -0.4519144 -4.4519143 -3.4519143 -2.4519143 -1.4519144 -0.4519144" \
// RUN:   | FileCheck %s --check-prefix=GRAD

// CHECK-LABEL: func.func @softmax(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<6x5xf32>)
// CHECK:         scf.forall (%{{.*}}) in (2) shared_outs(%[[OUT:.*]] = %{{.*}})
// CHECK:           %[[TILE:.*]] = tensor.extract_slice %[[X]][%{{.*}}, 0] [%[[N:.*]], 5] [1, 1] : tensor<6x5xf32> to tensor<?x5xf32>
// CHECK:           %[[Y:.*]] = nn.softmax %[[TILE]], dim = 1 : tensor<?x5xf32> -> tensor<?x5xf32>
// CHECK:           tensor.parallel_insert_slice %[[Y]] into %[[OUT]][%{{.*}}, 0] [%[[N]], 5] [1, 1]
func.func @softmax(%x: tensor<6x5xf32>) -> tensor<6x5xf32> {
  %y = nn.softmax %x, dim = 1 : tensor<6x5xf32> -> tensor<6x5xf32>
  return %y : tensor<6x5xf32>
}

// Both operands are sliced alike; dynamic sizes come from reifyResultShapes.
// CHECK-LABEL: func.func @grad_dynamic(
// CHECK-SAME:    %[[G:[^:]*]]: tensor<?x5xf32>, %[[O:[^:]*]]: tensor<?x5xf32>)
// CHECK:         scf.forall
// CHECK-DAG:       %[[GT:.*]] = tensor.extract_slice %[[G]][%{{.*}}, 0] [%{{.*}}, 5] [1, 1]
// CHECK-DAG:       %[[OT:.*]] = tensor.extract_slice %[[O]][%{{.*}}, 0] [%{{.*}}, 5] [1, 1]
// CHECK:           nn.logsoftmax_grad %[[GT]], %[[OT]], dim = 1 : tensor<?x5xf32>
func.func @grad_dynamic(%g: tensor<?x5xf32>, %y: tensor<?x5xf32>) -> tensor<?x5xf32> {
  %r = nn.logsoftmax_grad %g, %y, dim = 1 : tensor<?x5xf32>
  return %r : tensor<?x5xf32>
}

// SOFTMAX-COUNT-6: [0.0116562{{[0-9]*}}, 0.0316849{{[0-9]*}}, 0.0861285{{[0-9]*}}, 0.234121{{[0-9]*}}, 0.636408{{[0-9]*}}]
// GRAD-COUNT-6: [-0.116562{{[0-9]*}}, 0.683150{{[0-9]*}}, 1.13871{{[0-9]*}}, 0.658783{{[0-9]*}}, -2.36408{{[0-9]*}}]
