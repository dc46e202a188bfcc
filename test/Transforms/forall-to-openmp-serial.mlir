// RUN: nn-opt %s --nn-forall-to-openmp | FileCheck %s

// A module whose loops all stay serial (static, under min-parallel-bytes)
// gets no OpenMP region and no run-time thread-count function, so the
// compiled code needs neither getenv nor libomp.

// CHECK-NOT:     omp.
// CHECK-NOT:     __nn_num_threads
// CHECK-NOT:     getenv
// CHECK-LABEL: func.func @small(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK-NOT:     omp.
// CHECK-NOT:     __nn_num_threads
// CHECK-NOT:     getenv
func.func @small(%a: memref<64x128xf32>) {
  scf.forall (%i, %j) in (64, 128) {
    %v = memref.load %a[%i, %j] : memref<64x128xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %a[%i, %j] : memref<64x128xf32>
  }
  return
}
