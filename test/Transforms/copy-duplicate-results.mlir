// RUN: nn-opt %s --pass-pipeline="builtin.module(func.func(nn-copy-duplicate-results))" | FileCheck %s

// A buffer returned twice: the second result gets its own copy, so that
// --buffer-results-to-out-params (which crashed on it, found by
// nn-fuzz-ir) gives each result an out-parameter.
// CHECK-LABEL: func.func @twice(
// CHECK-SAME:    %[[A:.*]]: memref<?x4xf32>)
// CHECK:         %[[V:.*]] = memref.alloc() : memref<4xf32>
// CHECK:         %[[N:.*]] = memref.dim %[[A]], %{{.*}}
// CHECK-NEXT:    %[[B:.*]] = memref.alloc(%[[N]]) : memref<?x4xf32>
// CHECK-NEXT:    memref.copy %[[A]], %[[B]]
// CHECK-NEXT:    return %[[A]], %[[B]], %[[V]] : memref<?x4xf32>, memref<?x4xf32>, memref<4xf32>
func.func @twice(%a: memref<?x4xf32>) -> (memref<?x4xf32>, memref<?x4xf32>, memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %v = memref.alloc() : memref<4xf32>
  return %a, %a, %v : memref<?x4xf32>, memref<?x4xf32>, memref<4xf32>
}
