// RUN: nn-opt %s --nn-cpu-pipeline="vector-bits=512" | FileCheck %s
// RUN: nn-opt %s --nn-cpu-pipeline="vector-bits=512 threads=4" | FileCheck %s --check-prefix=FOUR
// RUN: nn-opt %s --nn-cpu-pipeline="vector-bits=512 threads=1" | FileCheck %s --check-prefix=SERIAL

// By default the rows run on OpenMP threads, as many as NN_NUM_THREADS or
// OpenMP's default says at run time, when the input holds at least 128 KiB
// (min-parallel-bytes; here the row count is dynamic, so the parallel
// region's if clause decides at run time); threads=N fixes the count, and
// threads=1 compiles serial code with no OpenMP at all.

// CHECK-LABEL: llvm.func @rows(
// CHECK:         %[[BIG:.*]] = llvm.icmp "uge" %{{.*}}, %{{.*}} : i64
// CHECK:         %[[T:.*]] = llvm.call @__nn_num_threads() : () -> i32
// CHECK:         omp.parallel if(%[[BIG]]) num_threads(%[[T]] : i32)
// CHECK:           omp.wsloop
// CHECK:             omp.loop_nest

// FOUR-LABEL: llvm.func @rows(
// FOUR:         %[[T:.*]] = llvm.mlir.constant(4 : i32) : i32
// FOUR:         omp.parallel if(%{{.*}}) num_threads(%[[T]] : i32)
// FOUR-NOT:     __nn_num_threads

// SERIAL-NOT:   omp.
// SERIAL-NOT:   __nn_num_threads
// SERIAL-LABEL: llvm.func @rows(
// SERIAL:         llvm.intr.vector.reduce.fmaximum
func.func @rows(%x: tensor<?x1000xf32>) -> tensor<?x1000xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<?x1000xf32> -> tensor<?x1000xf32>
  return %y : tensor<?x1000xf32>
}
