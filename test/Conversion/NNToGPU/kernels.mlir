// RUN: nn-opt %s --nn-to-gpu --split-input-file --verify-diagnostics | FileCheck %s

// Short static rows: one warp per row, 8 rows per block, the online max+sum
// in one strided loop, then xor shuffles 16, 8, 4, 2, 1. The function now
// takes device buffers and writes its result into a trailing out-parameter.
// CHECK-LABEL: func.func @short_rows(
// CHECK-SAME:    %[[X:.*]]: memref<64x512xf32>, %[[Y:.*]]: memref<64x512xf32>)
// CHECK-SAME:    attributes {llvm.emit_c_interface}
// CHECK-DAG:     %[[ROWS_PER_BLOCK:.*]] = arith.constant 8 : index
// CHECK:         %[[GRID:.*]] = arith.ceildivui %{{.*}}, %[[ROWS_PER_BLOCK]] : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %[[GRID]], {{.*}}) threads({{.*}}) in ({{.*}} = %[[C32]], {{.*}} = %[[C8]], {{.*}}) module(@nn_kernels) function(@short_rows_0_warp_per_row)
// CHECK:           scf.for {{.*}} iter_args({{.*}}) -> (f32, f32) {
// CHECK:             memref.load
// CHECK:             arith.maximumf
// CHECK:             math.exp
// CHECK:             math.exp
// CHECK:             scf.yield
// CHECK-DAG:       %[[WIDTH:.*]] = arith.constant 32 : i32
// CHECK-DAG:       %[[O16:.*]] = arith.constant 16 : i32
// CHECK:           gpu.shuffle  xor {{.*}}, %[[O16]], %[[WIDTH]] : f32
// CHECK-DAG:       %[[O8:.*]] = arith.constant 8 : i32
// CHECK:           gpu.shuffle  xor {{.*}}, %[[O8]], %[[WIDTH]] : f32
// CHECK-DAG:       %[[O4:.*]] = arith.constant 4 : i32
// CHECK:           gpu.shuffle  xor {{.*}}, %[[O4]], %[[WIDTH]] : f32
// CHECK-DAG:       %[[O2:.*]] = arith.constant 2 : i32
// CHECK:           gpu.shuffle  xor {{.*}}, %[[O2]], %[[WIDTH]] : f32
// CHECK-DAG:       %[[O1:.*]] = arith.constant 1 : i32
// CHECK:           gpu.shuffle  xor {{.*}}, %[[O1]], %[[WIDTH]] : f32
// CHECK:           math.log
// CHECK:           scf.for
// CHECK:             memref.store
// CHECK-NOT:     gpu.launch
// CHECK:         return
func.func @short_rows(%x: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<64x512xf32> -> tensor<64x512xf32>
  return %y : tensor<64x512xf32>
}

// -----

// Long rows: a 256-thread block per row, the 8 warp partials through
// workgroup memory and one barrier. bf16 is read, widened to f32, and
// rounded once on store.
// CHECK-LABEL: func.func @long_rows(
// The launch's y extent, a constant 1, is the first one defined after the 256.
// CHECK:         %[[C256:.*]] = arith.constant 256 : index
// CHECK:         %[[C1:.*]] = arith.constant 1 : index
// CHECK:         gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %[[C256]], {{.*}} = %[[C1]], {{.*}}) module(@nn_kernels) function(@long_rows_0_block_per_row)
// CHECK-SAME:    workgroup(%{{.*}} : memref<8xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<8xf32, #gpu.address_space<workgroup>>)
// CHECK:           arith.extf {{.*}} : bf16 to f32
// CHECK:           gpu.shuffle  xor
// CHECK:           gpu.barrier
// CHECK:           arith.truncf {{.*}} : f32 to bf16
// CHECK-NOT:     gpu.launch
func.func @long_rows(%x: tensor<64x128256xbf16>) -> tensor<64x128256xbf16> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<64x128256xbf16> -> tensor<64x128256xbf16>
  return %y : tensor<64x128256xbf16>
}

// -----

// A dynamic row length picks the kernel at run time.
// CHECK-LABEL: func.func @dynamic_rows(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x?xf16>
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK:         memref.dim %[[X]], %[[C0]]
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK:         %[[N:.*]] = memref.dim %[[X]], %[[C1]]
// CHECK-DAG:     %[[C1024:.*]] = arith.constant 1024 : index
// CHECK:         %[[SHORT:.*]] = arith.cmpi ule, %[[N]], %[[C1024]]
// CHECK:         scf.if %[[SHORT]] {
// CHECK:           gpu.launch {{.*}} function(@dynamic_rows_0_warp_per_row)
// CHECK:         } else {
// CHECK:           gpu.launch {{.*}} function(@dynamic_rows_0_block_per_row)
func.func @dynamic_rows(%x: tensor<?x?xf16>) -> tensor<?x?xf16> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<?x?xf16> -> tensor<?x?xf16>
  return %y : tensor<?x?xf16>
}

// -----

// Not the last dim: one thread per column of the inner dims, stepping
// through the reduced dim with stride `inner` (128), so that neighbouring
// threads read neighbouring addresses.
// CHECK-LABEL: func.func @middle_dim(
// CHECK-SAME:    %[[X:[^:]*]]: memref<32x1024x128xf32>, %[[Y:[^:]*]]: memref<32x1024x128xf32>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK:         memref.dim %[[X]], %[[C0]]
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK:         %[[REDUCED:.*]] = memref.dim %[[X]], %[[C1]]
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK:         %[[D2:.*]] = memref.dim %[[X]], %[[C2]]
// CHECK:         %[[INNER:.*]] = arith.muli %{{.*}}, %[[D2]] : index
// CHECK:         %[[XF:.*]] = memref.collapse_shape %[[X]]
// CHECK:         %[[YF:.*]] = memref.collapse_shape %[[Y]]
// Thread x of the launch picks the column: consecutive threads, consecutive
// inner indices.
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}}) threads(%[[TX:[^,]*]], {{.*}}) in ({{.*}}) module(@nn_kernels) function(@middle_dim_0_columns)
// CHECK:           %[[TID:.*]] = arith.addi %{{.*}}, %[[TX]] : index
// CHECK:           %[[COL:.*]] = arith.remui %[[TID]], %[[INNER]] : index
// CHECK:           %[[BASE:.*]] = arith.addi %{{.*}}, %[[COL]] : index
// CHECK-DAG:       %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-DAG:       %[[ONE:.*]] = arith.constant 1 : index
// Both passes step through the whole reduced dim, one element at a time, at
// stride INNER from the column's base.
// CHECK:           scf.for %[[K:.*]] = %[[ZERO]] to %[[REDUCED]] step %[[ONE]] iter_args
// CHECK-NEXT:        %[[OFF:.*]] = arith.muli %[[K]], %[[INNER]] : index
// CHECK-NEXT:        %[[IDX:.*]] = arith.addi %[[BASE]], %[[OFF]] : index
// CHECK-NEXT:        memref.load %[[XF]][%[[IDX]]]
// CHECK:           scf.for %[[K2:.*]] = %[[ZERO]] to %[[REDUCED]] step %[[ONE]] {
// CHECK-NEXT:        %[[OFF2:.*]] = arith.muli %[[K2]], %[[INNER]] : index
// CHECK-NEXT:        %[[IDX2:.*]] = arith.addi %[[BASE]], %[[OFF2]] : index
// CHECK-NEXT:        memref.load %[[XF]][%[[IDX2]]]
// CHECK:             memref.store %{{.*}}, %[[YF]][%[[IDX2]]]
func.func @middle_dim(%x: tensor<32x1024x128xf32>) -> tensor<32x1024x128xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<32x1024x128xf32> -> tensor<32x1024x128xf32>
  return %y : tensor<32x1024x128xf32>
}

// -----

// Chained ops: the intermediate lives in a device temporary; a result
// returned twice is copied device to device.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME:    %[[X:[^:]*]]: memref<8x100xf64>, %[[A:[^:]*]]: memref<8x100xf64>, %[[B:[^:]*]]: memref<8x100xf64>)
// CHECK:         %[[T:.*]] = gpu.alloc () : memref<8x100xf64>
// CHECK:         gpu.launch {{.*}} function(@chain_0_warp_per_row)
// CHECK:         gpu.launch {{.*}} function(@chain_1_columns)
// CHECK:         gpu.memcpy  %[[B]], %[[A]]
// CHECK:         gpu.dealloc  %[[T]]
func.func @chain(%x: tensor<8x100xf64>) -> (tensor<8x100xf64>, tensor<8x100xf64>) {
  %y = nn.logsoftmax %x, dim = 1 : tensor<8x100xf64> -> tensor<8x100xf64>
  %z = nn.logsoftmax %y, dim = 0 : tensor<8x100xf64> -> tensor<8x100xf64>
  return %z, %z : tensor<8x100xf64>, tensor<8x100xf64>
}

// -----

// Only functions made of nn.logsoftmax ops are supported on the GPU.
func.func @other_ops(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @below {{--nn-to-gpu: the GPU pipeline supports functions made of nn.logsoftmax ops only; found 'math.exp'}}
  %e = math.exp %x : tensor<8xf32>
  %y = nn.logsoftmax %e, dim = 0 : tensor<8xf32> -> tensor<8xf32>
  return %y : tensor<8xf32>
}
