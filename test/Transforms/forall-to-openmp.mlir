// RUN: nn-opt %s --nn-forall-to-openmp | FileCheck %s
// RUN: nn-opt %s --nn-forall-to-openmp="num-threads=3" | FileCheck %s --check-prefix=FIXED

// A bufferized forall becomes parallel + wsloop + loop_nest with the same
// bounds and body; by default the thread count comes from __nn_num_threads
// (NN_NUM_THREADS, else OpenMP's default), added to the module once.

// CHECK-LABEL: func.func @scale(
// CHECK-SAME:    %[[A:.*]]: memref<?x8xf32>, %[[N:.*]]: index)
// CHECK:         %[[T:.*]] = llvm.call @__nn_num_threads() : () -> i32
// CHECK:         omp.parallel num_threads(%[[T]] : i32) {
// CHECK-NEXT:      omp.wsloop {
// CHECK-NEXT:        omp.loop_nest (%[[I:.*]], %[[J:.*]]) : index = (%{{.*}}, %{{.*}}) to (%[[N]], %{{.*}}) step (%{{.*}}, %{{.*}}) {
// CHECK-NEXT:          memref.load %[[A]][%[[I]], %[[J]]]
// CHECK:               memref.store
// CHECK-NEXT:          omp.yield
// CHECK:           omp.terminator
// CHECK-NOT:     scf.forall
// CHECK-LABEL: llvm.func internal @__nn_num_threads() -> i32
// CHECK:         llvm.call @getenv
// CHECK:         llvm.call @atoi
// CHECK:         llvm.call @omp_get_max_threads

// FIXED-NOT:     __nn_num_threads
// FIXED:         %[[T:.*]] = arith.constant 3 : i32
// FIXED:         omp.parallel num_threads(%[[T]] : i32)
func.func @scale(%a: memref<?x8xf32>, %n: index) {
  %two = arith.constant 2.0 : f32
  scf.forall (%i, %j) in (%n, 8) {
    %v = memref.load %a[%i, %j] : memref<?x8xf32>
    %w = arith.mulf %v, %two : f32
    memref.store %w, %a[%i, %j] : memref<?x8xf32>
  }
  return
}

