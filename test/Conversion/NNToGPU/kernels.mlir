// RUN: nn-opt %s --nn-to-gpu --split-input-file --verify-diagnostics | FileCheck %s

// Short static rows: one warp per row, 8 rows per block, the online max+sum
// in one strided loop, then xor shuffles 16, 8, 4, 2, 1. The function now
// takes device buffers and writes its result into a trailing out-parameter.
// CHECK-LABEL: func.func @short_rows(
// CHECK-SAME:    %[[X:.*]]: memref<64x512xf32>, %[[Y:.*]]: memref<64x512xf32>)
// CHECK-SAME:    attributes {llvm.emit_c_interface}
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}}) threads({{.*}}) in ({{.*}} = %c32{{[_0-9]*}}, {{.*}} = %c8{{[_0-9]*}}, {{.*}}) module(@nn_kernels) function(@short_rows_0_warp_per_row)
// CHECK:           scf.for {{.*}} iter_args({{.*}}) -> (f32, f32) {
// CHECK:             memref.load
// CHECK:             arith.maximumf
// CHECK:             math.exp
// CHECK:             math.exp
// CHECK:             scf.yield
// CHECK:           gpu.shuffle  xor {{.*}}, %c16_i32, %c32_i32 : f32
// CHECK:           gpu.shuffle  xor {{.*}}, %c8_i32,
// CHECK:           gpu.shuffle  xor {{.*}}, %c4_i32,
// CHECK:           gpu.shuffle  xor {{.*}}, %c2_i32,
// CHECK:           gpu.shuffle  xor {{.*}}, %c1_i32,
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
// CHECK:         gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c256{{[_0-9]*}}, {{.*}} = %c1{{[_0-9]*}}, {{.*}}) module(@nn_kernels) function(@long_rows_0_block_per_row)
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
// CHECK:         %[[N:.*]] = memref.dim %{{.*}}, %c1
// CHECK:         %[[SHORT:.*]] = arith.cmpi ule, %[[N]], %c1024
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
// CHECK:         %[[INNER:.*]] = arith.muli %{{.*}}, %{{.*}} : index
// CHECK:         gpu.launch {{.*}} function(@middle_dim_0_columns)
// CHECK:           arith.remui
// CHECK:           scf.for
// CHECK:             arith.muli %{{.*}}, %{{.*}} : index
// CHECK:             memref.load
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
