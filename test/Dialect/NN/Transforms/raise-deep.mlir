// A log-softmax at the end of a long chain of linalg ops is still raised,
// with the chain left as it is, and the symbolic evaluation stops a bounded
// number of ops from each root (SymbolicEvaluator.h, kMaxDepth): the greedy
// driver used to re-evaluate the whole chain from every op it visited, and
// the recursion followed it down the chain.
//
// RUN: %python %S/Inputs/make-deep-chain.py %nn_src_root/examples/torch-logsoftmax.mlir 5000 > %t.mlir
// RUN: nn-opt %t.mlir --nn-raise | FileCheck %s

// CHECK-LABEL: func.func @main(
// CHECK-SAME:    %{{.*}}: tensor<4x8xf32>)
// CHECK-COUNT-5000: linalg.generic
// CHECK-NOT:     linalg.generic
// CHECK:         %[[Y:.*]] = nn.logsoftmax %{{.*}}, dim = 1 : tensor<4x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT:    return %[[Y]]
