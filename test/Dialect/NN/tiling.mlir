// nn.logsoftmax implements TilingInterface: every dimension but `dim` tiles,
// `dim` stays whole in each tile (tiling-fusion.mlir fuses it into a consumer).
// The tiled IR is then run: log-softmax of [0, 1, 2, 3, 4] is
// k - log(1 + e + e^2 + e^3 + e^4) = k - 4.4519144.
//
// RUN: nn-opt %s --transform-preload-library="transform-library-paths=%S/Inputs/tile-forall.mlir" \
// RUN:   --transform-interpreter | FileCheck %s --check-prefix=FORALL
// RUN: nn-opt %s --transform-preload-library="transform-library-paths=%S/Inputs/tile-for.mlir" \
// RUN:   --transform-interpreter | FileCheck %s --check-prefix=FOR
// RUN: nn-opt %s --transform-preload-library="transform-library-paths=%S/Inputs/tile-forall.mlir" \
// RUN:   --transform-interpreter \
// RUN:   | nn-run - --function=rows --input="6x5xf32=0 1 2 3 4 0 1 2 3 4 0 1 2 3 4 0 1 2 3 4 0 1 2 3 4 0 1 2 3 4" \
// RUN:   | FileCheck %s --check-prefix=RUN-TILED
// RUN: not nn-opt %s --transform-preload-library="transform-library-paths=%S/Inputs/tile-reduced-dim.mlir" \
// RUN:   --transform-interpreter 2>&1 | FileCheck %s --check-prefix=REDUCED

// FORALL-LABEL: func.func @rows(
// FORALL-SAME:    %[[X:.*]]: tensor<6x5xf32>)
// FORALL:         scf.forall (%[[I:.*]]) in (2) shared_outs(%[[OUT:.*]] = %{{.*}})
// FORALL:           %[[TILE:.*]] = tensor.extract_slice %[[X]][%{{.*}}, 0] [%[[N:.*]], 5] [1, 1] : tensor<6x5xf32> to tensor<?x5xf32>
// FORALL:           %[[Y:.*]] = nn.logsoftmax %[[TILE]], dim = 1 : tensor<?x5xf32> -> tensor<?x5xf32>
// FORALL:           tensor.parallel_insert_slice %[[Y]] into %[[OUT]][%{{.*}}, 0] [%[[N]], 5] [1, 1]

// FOR-LABEL: func.func @rows(
// FOR:         scf.for
// FOR:           nn.logsoftmax %{{.*}}, dim = 1 : tensor<?x5xf32> -> tensor<?x5xf32>
// FOR:           tensor.insert_slice

// RUN-TILED-COUNT-6: [-4.451914{{[0-9]*}}, -3.451914{{[0-9]*}}, -2.451914{{[0-9]*}}, -1.451914{{[0-9]*}}, -0.451914{{[0-9]*}}]

// REDUCED: error: 'nn.logsoftmax' op cannot tile the reduced dimension 1; give it tile size 0
func.func @rows(%x: tensor<6x5xf32>) -> tensor<6x5xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<6x5xf32> -> tensor<6x5xf32>
  return %y : tensor<6x5xf32>
}
