// RUN: nn-opt %s --nn-emulate-gpu --split-input-file --verify-diagnostics | FileCheck %s

// A kernel with a shuffle and a barrier becomes loops over the blocks and,
// inside, three loops over the threads: before the shuffle, from the shuffle
// to the barrier, after the barrier. The value shuffled is kept per thread;
// the shuffle reads its source lane's copy (lane = thread id mod 32, xor 16,
// valid below the width and inside the block); workgroup memory is one
// buffer for the launch.
// CHECK-LABEL: func.func @phases(
// CHECK-SAME:    %[[BUF:.*]]: memref<64xf32>)
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK:         %[[KEPT:.*]] = memref.alloc(%[[THREADS:.*]]) : memref<?xf32>
// CHECK:         %[[SHARED:.*]] = memref.alloc() : memref<2xf32>
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for %[[BX:.*]] = %{{.*}} to %[[C2]]
// CHECK:               scf.for %[[T0:.*]] = %{{.*}} to %[[THREADS]]
// CHECK:                 %[[TX0:.*]] = arith.remui %[[T0]], %[[C64]]
// CHECK:                 %[[V:.*]] = memref.load %[[BUF]][%[[TX0]]]
// CHECK:                 memref.store %[[V]], %[[KEPT]][%[[T0]]]
// CHECK:               scf.for %[[T1:.*]] = %{{.*}} to %[[THREADS]]
// CHECK:                 %[[OWN:.*]] = memref.load %[[KEPT]][%[[T1]]]
// CHECK:                 %[[LANE:.*]] = arith.remui %[[T1]], %{{.*}} : index
// CHECK:                 %[[WARP:.*]] = arith.subi %[[T1]], %[[LANE]]
// CHECK:                 %[[SRC:.*]] = arith.xori %[[LANE]], %{{.*}} : index
// CHECK:                 %[[SRC_T:.*]] = arith.addi %[[WARP]], %[[SRC]]
// CHECK:                 %[[FROM:.*]] = arith.select %{{.*}}, %[[SRC_T]], %[[T1]]
// CHECK:                 %[[OTHER:.*]] = memref.load %[[KEPT]][%[[FROM]]]
// CHECK:                 %[[SUM:.*]] = arith.addf %[[OWN]], %[[OTHER]]
// CHECK:                 memref.store %[[SUM]], %[[SHARED]][%[[BX]]]
// CHECK:               scf.for %[[T2:.*]] = %{{.*}} to %[[THREADS]]
// CHECK:                 memref.load %[[SHARED]][%[[BX]]]
// CHECK-NOT:     gpu.
// CHECK:         memref.dealloc %[[KEPT]]
// CHECK:         memref.dealloc %[[SHARED]]
func.func @phases(%buf: memref<64xf32>) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c2, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c64, %sy = %c1, %sz = %c1)
             workgroup(%shared : memref<2xf32, #gpu.address_space<workgroup>>) {
    %v = memref.load %buf[%tx] : memref<64xf32>
    %c16 = arith.constant 16 : i32
    %c32 = arith.constant 32 : i32
    %r, %ok = gpu.shuffle xor %v, %c16, %c32 : f32
    %s = arith.addf %v, %r : f32
    memref.store %s, %shared[%bx] : memref<2xf32, #gpu.address_space<workgroup>>
    gpu.barrier
    %t = memref.load %shared[%bx] : memref<2xf32, #gpu.address_space<workgroup>>
    memref.store %t, %buf[%tx] : memref<64xf32>
    gpu.terminator
  }
  return
}

// -----

// Host-side device memory becomes host memory.
// CHECK-LABEL: func.func @host(
// CHECK:         %[[T:.*]] = memref.alloc() : memref<8xf32>
// CHECK:         memref.copy %{{.*}}, %[[T]]
// CHECK:         memref.dealloc %[[T]]
func.func @host(%x: memref<8xf32>) {
  %t = gpu.alloc () : memref<8xf32>
  gpu.memcpy %t, %x : memref<8xf32>, memref<8xf32>
  gpu.dealloc %t : memref<8xf32>
  return
}

// -----

// A barrier under a branch cannot be split into phases: an error, not a
// silent mis-emulation.
func.func @nested_barrier(%cond: i1) {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    scf.if %cond {
      // expected-error @below {{--nn-emulate-gpu: synchronising ops are emulated only directly in the gpu.launch body, not in nested regions}}
      gpu.barrier
    }
    gpu.terminator
  }
  return
}

// -----

func.func @other_gpu_op(%buf: memref<32xindex>) {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    // expected-error @below {{--nn-emulate-gpu: no CPU emulation of this op}}
    %lane = gpu.lane_id
    memref.store %lane, %buf[%tx] : memref<32xindex>
    gpu.terminator
  }
  return
}
