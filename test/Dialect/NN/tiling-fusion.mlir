// nn.logsoftmax fuses into the tiled loop of a consumer (here exp, making a
// softmax) through TilingInterface, and the fused IR runs: exp of the
// log-softmax of [0, 1, 2, 3, 4] is the softmax
// [0.0116562, 0.0316849, 0.0861285, 0.2341217, 0.6364086].
//
// RUN: nn-opt %s --transform-preload-library="transform-library-paths=%S/Inputs/tile-fuse.mlir" \
// RUN:   --transform-interpreter | FileCheck %s --check-prefix=FUSE
// RUN: nn-opt %s --transform-preload-library="transform-library-paths=%S/Inputs/tile-fuse.mlir" \
// RUN:   --transform-interpreter \
// RUN:   | nn-run - --function=softmax --input="4x5xf32=0 1 2 3 4 0 1 2 3 4 0 1 2 3 4 0 1 2 3 4" \
// RUN:   | FileCheck %s --check-prefix=RUN-FUSED


// FUSE-LABEL: func.func @softmax(
// FUSE:         scf.forall (%{{.*}}) in (2)
// FUSE:           nn.logsoftmax %{{.*}}, dim = 1 : tensor<2x5xf32> -> tensor<2x5xf32>
// FUSE:           linalg.generic
// FUSE:             math.exp

// RUN-FUSED-COUNT-4: [0.0116562{{[0-9]*}}, 0.0316849{{[0-9]*}}, 0.0861285{{[0-9]*}}, 0.234121{{[0-9]*}}, 0.636408{{[0-9]*}}]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @softmax(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x5xf32> -> tensor<4x5xf32>
  %init = tensor.empty() : tensor<4x5xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<4x5xf32>) outs(%init : tensor<4x5xf32>) {
  ^bb0(%a: f32, %b: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  } -> tensor<4x5xf32>
  return %p : tensor<4x5xf32>
}
