// RUN: nn-opt %s --nn-forall-to-openmp | FileCheck %s
// RUN: nn-opt %s --nn-forall-to-openmp="num-threads=3" | FileCheck %s --check-prefix=FIXED
// RUN: nn-opt %s --nn-forall-to-openmp="min-parallel-bytes=0" | FileCheck %s --check-prefix=ALWAYS

// A bufferized forall becomes parallel + wsloop + loop_nest with the same
// bounds and body; by default the thread count comes from __nn_num_threads
// (NN_NUM_THREADS, else OpenMP's default), added to the module once.

// The memref's size is dynamic: 4 * n * 8 bytes, compared with the default
// minimum of 131072 at run time, is the parallel region's if clause.
// CHECK-LABEL: func.func @scale(
// CHECK-SAME:    %[[A:.*]]: memref<?x8xf32>, %[[N:.*]]: index)
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK:         %[[ROWS:.*]] = memref.dim %[[A]], %[[C0]]
// CHECK:         %[[B1:.*]] = arith.muli %[[C4]], %[[ROWS]]
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK:         %[[B2:.*]] = arith.muli %[[B1]], %[[C8]]
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : index
// CHECK:         %[[BYTES:.*]] = arith.maxui %[[B2]], %[[ZERO]]
// CHECK-DAG:     %[[MIN:.*]] = arith.constant 131072 : index
// CHECK:         %[[BIG:.*]] = arith.cmpi uge, %[[BYTES]], %[[MIN]]
// CHECK:         %[[T:.*]] = llvm.call @__nn_num_threads() : () -> i32
// CHECK:         omp.parallel if(%[[BIG]]) num_threads(%[[T]] : i32) {
// CHECK-NEXT:      omp.wsloop {
// CHECK-NEXT:        omp.loop_nest (%[[I:.*]], %[[J:.*]]) : index = (%{{.*}}, %{{.*}}) to (%[[N]], %{{.*}}) step (%{{.*}}, %{{.*}}) {
// CHECK-NEXT:          memref.load %[[A]][%[[I]], %[[J]]]
// CHECK:               memref.store
// CHECK-NEXT:          omp.yield
// CHECK:           omp.terminator
// CHECK-NOT:     scf.forall

// FIXED-NOT:     __nn_num_threads
// FIXED:         %[[T:.*]] = arith.constant 3 : i32
// FIXED:         omp.parallel if(%{{.*}}) num_threads(%[[T]] : i32)

// ALWAYS-LABEL:  func.func @scale(
// ALWAYS-NOT:      memref.dim
// ALWAYS:          omp.parallel num_threads(
func.func @scale(%a: memref<?x8xf32>, %n: index) {
  %two = arith.constant 2.0 : f32
  scf.forall (%i, %j) in (%n, 8) {
    %v = memref.load %a[%i, %j] : memref<?x8xf32>
    %w = arith.mulf %v, %two : f32
    memref.store %w, %a[%i, %j] : memref<?x8xf32>
  }
  return
}


// Static sizes decide at compile time: 32 KiB stays a serial loop nest, 256 KiB
// (the larger of the two memrefs) runs in parallel with no if clause.
// CHECK-LABEL: func.func @small(
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK-DAG:     %[[C128:.*]] = arith.constant 128 : index
// CHECK-NOT:     omp.
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %[[C64]] step %{{.*}} {
// CHECK-NEXT:      scf.for %[[J:.*]] = %{{.*}} to %[[C128]] step %{{.*}} {
// CHECK-NEXT:        memref.load %{{.*}}[%[[I]], %[[J]]]
// CHECK-NOT:     omp.
// CHECK:         return
// ALWAYS-LABEL:  func.func @small(
// ALWAYS:          omp.parallel num_threads(
func.func @small(%a: memref<64x128xf32>) {
  scf.forall (%i, %j) in (64, 128) {
    %v = memref.load %a[%i, %j] : memref<64x128xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %a[%i, %j] : memref<64x128xf32>
  }
  return
}

// CHECK-LABEL: func.func @large(
// CHECK-NOT:     scf.for
// CHECK:         omp.parallel num_threads(%{{.*}} : i32) {
func.func @large(%a: memref<64x128xf32>, %b: memref<512x128xf32>) {
  scf.forall (%i, %j) in (64, 128) {
    %v = memref.load %a[%i, %j] : memref<64x128xf32>
    memref.store %v, %b[%i, %j] : memref<512x128xf32>
  }
  return
}

// The thread-count function, added once, after the module's functions.
// CHECK-LABEL: llvm.func internal @__nn_num_threads() -> i32
// CHECK:         llvm.call @getenv
// CHECK:         llvm.call @atoi
// CHECK:         llvm.call @omp_get_max_threads
