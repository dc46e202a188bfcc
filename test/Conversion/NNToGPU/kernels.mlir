// RUN: nn-opt %s --nn-to-gpu --split-input-file --verify-diagnostics | FileCheck %s

// Short static rows: one warp per row, 8 rows per block, the row held in
// registers as 128-bit vectors when both buffers are 16-byte aligned (checked
// at run time), else one element per access. The maximum is reduced first
// (xor shuffles 16, 8, 4, 2, 1), then the sum of exp2((x - max) * log2(e))
// marked afn, then the row is written from the registers. The function now
// takes device buffers and writes its result into a trailing out-parameter.
// CHECK-LABEL: func.func @short_rows(
// CHECK-SAME:    %[[X:.*]]: memref<64x512xf32>, %[[Y:.*]]: memref<64x512xf32>)
// CHECK-SAME:    attributes {llvm.emit_c_interface}
// CHECK:         %[[XF:.*]] = memref.collapse_shape %[[X]]
// CHECK:         %[[YF:.*]] = memref.collapse_shape %[[Y]]
// CHECK:         %[[XP:.*]] = memref.extract_aligned_pointer_as_index %[[XF]]
// CHECK:         %[[C16:.*]] = arith.constant 16 : index
// CHECK:         arith.remui %[[XP]], %[[C16]]
// CHECK:         %[[YP:.*]] = memref.extract_aligned_pointer_as_index %[[YF]]
// CHECK:         %[[ALIGNED:.*]] = arith.andi
// CHECK:         scf.if %[[ALIGNED]] {
// CHECK-DAG:       %[[ROWS_PER_BLOCK:.*]] = arith.constant 8 : index
// CHECK:           %[[GRID:.*]] = arith.ceildivui %{{.*}}, %[[ROWS_PER_BLOCK]] : index
// CHECK-DAG:       %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG:       %[[C8:.*]] = arith.constant 8 : index
// CHECK:           gpu.launch blocks({{.*}}) in ({{.*}} = %[[GRID]], {{.*}}) threads({{.*}}) in ({{.*}} = %[[C32]], {{.*}} = %[[C8]], {{.*}}) module(@nn_kernels) function(@short_rows_0_warp_per_row_v4)
// 512 = 4 vectors of 4 per lane, all inside the row: no test, no head or
// tail.
// CHECK-NOT:         scf.if
// CHECK-COUNT-4:     vector.load %[[XF]][%{{.*}}] {alignment = 16 : i64} : memref<32768xf32>, vector<4xf32>
// CHECK-NOT:         memref.load
// CHECK:             %[[LANE_MAX:.*]] = vector.reduction <maximumf>, %{{.*}} : vector<4xf32> into f32
// CHECK-DAG:         %[[WIDTH:.*]] = arith.constant 32 : i32
// CHECK-DAG:         %[[O16:.*]] = arith.constant 16 : i32
// CHECK:             %[[M16:.*]], %{{.*}} = gpu.shuffle  xor %[[LANE_MAX]], %[[O16]], %[[WIDTH]] : f32
// CHECK:             arith.maximumf %[[LANE_MAX]], %[[M16]] : f32
// CHECK-COUNT-4:     gpu.shuffle  xor
// CHECK:             %[[MAX:.*]] = arith.maximumf
// CHECK:             %[[NEG_INF:.*]] = arith.cmpf oeq, %[[MAX]]
// CHECK:             %[[REF:.*]] = arith.select %[[NEG_INF]], %{{.*}}, %[[MAX]] : f32
// CHECK:             %[[REFV:.*]] = vector.broadcast %[[REF]] : f32 to vector<4xf32>
// CHECK:             %[[D:.*]] = arith.subf %{{.*}}, %[[REFV]] : vector<4xf32>
// CHECK:             %[[LOG2E:.*]] = arith.constant dense<1.44269{{[0-9]*}}> : vector<4xf32>
// CHECK:             %[[SCALED:.*]] = arith.mulf %[[D]], %[[LOG2E]] : vector<4xf32>
// CHECK:             math.exp2 %[[SCALED]] fastmath<afn> : vector<4xf32>
// CHECK:             %[[LANE_SUM:.*]] = vector.reduction <add>, %{{.*}} : vector<4xf32> into f32
// CHECK:             gpu.shuffle  xor %[[LANE_SUM]]
// CHECK-COUNT-4:     gpu.shuffle  xor
// CHECK:             %[[LOG:.*]] = math.log %{{.*}} : f32
// CHECK:             scf.if
// CHECK:               %[[REFV2:.*]] = vector.broadcast %[[REF]] : f32 to vector<4xf32>
// CHECK:               %[[LOGV:.*]] = vector.broadcast %[[LOG]] : f32 to vector<4xf32>
// CHECK:               %[[SHIFTED:.*]] = arith.subf %{{.*}}, %[[REFV2]] : vector<4xf32>
// CHECK:               %[[OUT:.*]] = arith.subf %[[SHIFTED]], %[[LOGV]] : vector<4xf32>
// CHECK:               vector.store %[[OUT]], %[[YF]][%{{.*}}] {alignment = 16 : i64} : memref<32768xf32>, vector<4xf32>
// CHECK-COUNT-3:       vector.store
// CHECK:         } else {
// CHECK:           gpu.launch {{.*}} function(@short_rows_0_warp_per_row_v1)
// CHECK-COUNT-16:    vector.load %[[XF]][%{{.*}}] : memref<32768xf32>, vector<1xf32>
// CHECK-NOT:     gpu.launch
// CHECK:         return
func.func @short_rows(%x: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<64x512xf32> -> tensor<64x512xf32>
  return %y : tensor<64x512xf32>
}

// -----

// A row length that is no multiple of the vector width: rows start anywhere
// relative to 16 bytes, so each has a scalar head (before the first
// boundary) and tail, and the vectors past the row are tested and hold -inf.
// CHECK-LABEL: func.func @odd_rows(
// CHECK:         %[[N:.*]] = arith.constant 1001 : index
// CHECK:         gpu.launch {{.*}} function(@odd_rows_0_warp_per_row_v4)
// CHECK:           %[[BASE:.*]] = arith.muli %{{.*}}, %[[N]] : index
// CHECK:           %[[C4:.*]] = arith.constant 4 : index
// CHECK:           %[[MIS:.*]] = arith.remui %[[BASE]], %[[C4]] : index
// CHECK:           %[[TO_EDGE:.*]] = arith.subi %[[C4]], %[[MIS]] : index
// CHECK:           %[[HEAD4:.*]] = arith.remui %[[TO_EDGE]], %[[C4]] : index
// CHECK:           %[[HEAD:.*]] = arith.minui %[[HEAD4]], %[[N]] : index
// CHECK:           %[[REST:.*]] = arith.subi %[[N]], %[[HEAD]] : index
// CHECK:           %[[VECTORS:.*]] = arith.divui %[[REST]], %[[C4]] : index
// CHECK:           %[[INSIDE:.*]] = arith.cmpi ult, %{{.*}}, %[[VECTORS]] : index
// CHECK:           scf.if %[[INSIDE]] -> (vector<4xf32>) {
// CHECK:             vector.load {{.*}} {alignment = 16 : i64}
// CHECK:           } else {
// CHECK:             scf.yield %{{.*}} : vector<4xf32>
// CHECK:           %[[IN_HEAD:.*]] = arith.cmpi ult, %{{.*}}, %[[HEAD]] : index
// CHECK:           scf.if %[[IN_HEAD]] -> (f32) {
// CHECK:             memref.load
func.func @odd_rows(%x: tensor<100x1001xf32>) -> tensor<100x1001xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<100x1001xf32> -> tensor<100x1001xf32>
  return %y : tensor<100x1001xf32>
}

// -----

// Rows longer than a block's registers hold, few of them (64 < 1024): each
// row is cut into segments of 8192 elements, one 256-thread block each, so
// that the grid fills the GPU. A first launch holds each segment in
// registers and stores its (maximum, sum) in a device temporary; a second
// combines a row's partials in every block (the maximum first) and reads the
// segment again to write it. bf16 moves 8 to a 128-bit access, is widened to
// f32, and is rounded once on store.
// CHECK-LABEL: func.func @long_rows(
// CHECK:         %[[SEGMENT:.*]] = arith.constant 8192 : index
// CHECK:         %[[SEGMENTS:.*]] = arith.ceildivui %{{.*}}, %[[SEGMENT]] : index
// CHECK:         %[[PARTIALS:.*]] = gpu.alloc  (%{{.*}}) : memref<?xf32>
// CHECK:         %[[C256:.*]] = arith.constant 256 : index
// CHECK:         gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %[[C256]], {{.*}}) module(@nn_kernels) function(@long_rows_0_split_partials_v8)
// CHECK:           vector.load {{.*}} {alignment = 16 : i64} : memref<8208384xbf16>, vector<8xbf16>
// CHECK:           arith.extf {{.*}} : vector<8xbf16> to vector<8xf32>
// CHECK:           gpu.barrier
// CHECK:           math.exp2 {{.*}} fastmath<afn> : vector<8xf32>
// CHECK:           gpu.barrier
// CHECK:           memref.store %{{.*}}, %[[PARTIALS]][%{{.*}}] : memref<?xf32>
// CHECK:           memref.store %{{.*}}, %[[PARTIALS]][%{{.*}}] : memref<?xf32>
// CHECK:         gpu.launch {{.*}} function(@long_rows_0_split_write_v8)
// CHECK:           scf.for {{.*}} -> (f32) {
// CHECK:             memref.load %[[PARTIALS]]
// CHECK:           gpu.barrier
// CHECK:           scf.for {{.*}} -> (f32) {
// CHECK:             memref.load %[[PARTIALS]]
// CHECK:           gpu.barrier
// CHECK:           math.log
// CHECK:           vector.load
// CHECK:           arith.truncf {{.*}} : vector<8xf32> to vector<8xbf16>
// CHECK:           vector.store {{.*}} {alignment = 16 : i64} : memref<8208384xbf16>, vector<8xbf16>
// CHECK:         } else {
// CHECK:           gpu.launch {{.*}} function(@long_rows_0_split_partials_v1)
// CHECK:           gpu.launch {{.*}} function(@long_rows_0_split_write_v1)
// CHECK:         gpu.dealloc  %[[PARTIALS]]
// CHECK-NOT:     gpu.launch
func.func @long_rows(%x: tensor<64x128256xbf16>) -> tensor<64x128256xbf16> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<64x128256xbf16> -> tensor<64x128256xbf16>
  return %y : tensor<64x128256xbf16>
}

// -----

// Many rows (2048 >= 1024) up to 32768 elements: a 512-thread block holds
// the row in registers at 64 elements per thread (16 vectors of 4), one
// read; without 128-bit accesses (64 scalar loads per thread spill) the
// row is streamed.
// CHECK-LABEL: func.func @wide_rows(
// CHECK:         gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %[[C512:.*]], {{.*}}) module(@nn_kernels) function(@wide_rows_0_block_per_row_t512_wide_v4)
// CHECK-SAME:    workgroup({{.*}} : memref<16xf32, #gpu.address_space<workgroup>>
// CHECK-COUNT-16:  vector.load {{.*}} {alignment = 16 : i64} : memref<{{[0-9]+}}xf32>, vector<4xf32>
// CHECK:         } else {
// CHECK:           gpu.launch {{.*}} function(@wide_rows_0_streamed_rows_v1)
// CHECK-NOT:     gpu.launch
func.func @wide_rows(%x: tensor<2048x32768xf32>) -> tensor<2048x32768xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<2048x32768xf32> -> tensor<2048x32768xf32>
  return %y : tensor<2048x32768xf32>
}

// -----

// Many longer rows: a 256-thread block streams each, an online max+sum per
// thread (four values: the lagging reference, the maximum, a compensated
// sum and its compensation), the block's maximum first and then the
// rescaled sums through workgroup memory, then a second read to write.
// CHECK-LABEL: func.func @many_long_rows(
// CHECK:         gpu.launch {{.*}} module(@nn_kernels) function(@many_long_rows_0_streamed_rows_v4)
// CHECK-SAME:    workgroup(%[[SMAX:.*]] : memref<8xf32, #gpu.address_space<workgroup>>, %[[SSUM:.*]] : memref<8xf32, #gpu.address_space<workgroup>>)
// CHECK:           %[[STATE:.*]]:4 = scf.for {{.*}} -> (f32, f32, f32, f32) {
// CHECK:             vector.load {{.*}} {alignment = 16 : i64} : memref<{{[0-9]+}}xf32>, vector<4xf32>
// CHECK:           gpu.shuffle  xor %[[STATE]]#1
// CHECK:           memref.store %{{.*}}, %[[SMAX]]
// CHECK:           gpu.barrier
// CHECK:           memref.store %{{.*}}, %[[SSUM]]
// CHECK:           gpu.barrier
// CHECK:           math.log
// CHECK:           scf.for
// CHECK:             vector.load
// CHECK:             vector.store
// CHECK:         } else {
// CHECK:           gpu.launch {{.*}} function(@many_long_rows_0_streamed_rows_v1)
// CHECK-NOT:     gpu.launch
func.func @many_long_rows(%x: tensor<2048x40000xf32>) -> tensor<2048x40000xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<2048x40000xf32> -> tensor<2048x40000xf32>
  return %y : tensor<2048x40000xf32>
}

// -----

// A dynamic row length picks the kernel at run time: a warp up to 1024
// elements, a block of 256 threads up to 8192, of 512 up to 16384, then
// split rows below 1024 rows, else streamed rows; each with vector and scalar
// variants.
// CHECK-LABEL: func.func @dynamic_rows(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x?xf16>
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK:         %[[N:.*]] = memref.dim %[[X]], %[[C1]]
// CHECK:         %[[C1024:.*]] = arith.constant 1024 : index
// CHECK:         %[[WARP:.*]] = arith.cmpi ule, %[[N]], %[[C1024]]
// CHECK:         scf.if %[[WARP]] {
// CHECK:           gpu.launch {{.*}} function(@dynamic_rows_0_warp_per_row_v8)
// CHECK:           gpu.launch {{.*}} function(@dynamic_rows_0_warp_per_row_v1)
// CHECK:         } else {
// CHECK:           %[[C8192:.*]] = arith.constant 8192 : index
// CHECK:           %[[BLOCK:.*]] = arith.cmpi ule, %[[N]], %[[C8192]]
// CHECK:           scf.if %[[BLOCK]] {
// CHECK:             gpu.launch {{.*}} function(@dynamic_rows_0_block_per_row_v8)
// CHECK:             gpu.launch {{.*}} function(@dynamic_rows_0_block_per_row_v1)
// CHECK:           } else {
// CHECK:             %[[C16384:.*]] = arith.constant 16384 : index
// CHECK:             %[[BLOCK512:.*]] = arith.cmpi ule, %[[N]], %[[C16384]]
// CHECK:             scf.if %[[BLOCK512]] {
// CHECK:               gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %{{.*}}, {{.*}}) module(@nn_kernels) function(@dynamic_rows_0_block_per_row_t512_v8)
// CHECK-SAME:          workgroup({{.*}} : memref<16xf32, #gpu.address_space<workgroup>>
// CHECK:               gpu.launch {{.*}} function(@dynamic_rows_0_block_per_row_t512_v1)
// Then (the row count decides at run time: the static cases above check the
// threshold) split rows, else the wide block or streamed rows.
// CHECK:                 %[[PARTIALS:.*]] = gpu.alloc
// CHECK:                 gpu.launch {{.*}} function(@dynamic_rows_0_split_partials_v8)
// CHECK:                 gpu.launch {{.*}} function(@dynamic_rows_0_split_write_v8)
// CHECK:                 gpu.launch {{.*}} function(@dynamic_rows_0_split_partials_v1)
// CHECK:                 gpu.launch {{.*}} function(@dynamic_rows_0_split_write_v1)
// CHECK:                 gpu.dealloc  %[[PARTIALS]]
// CHECK:                 gpu.launch {{.*}} function(@dynamic_rows_0_block_per_row_t512_wide_v8)
// CHECK:                 gpu.launch {{.*}} function(@dynamic_rows_0_streamed_rows_v8)
// CHECK:                 gpu.launch {{.*}} function(@dynamic_rows_0_streamed_rows_v1)
func.func @dynamic_rows(%x: tensor<?x?xf16>) -> tensor<?x?xf16> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<?x?xf16> -> tensor<?x?xf16>
  return %y : tensor<?x?xf16>
}

// -----

// Not the last dim: with 16-byte aligned buffers (checked at run time) and
// an inner size that is a multiple of 4, one thread per 4 adjacent columns
// of the inner dims, stepping through the reduced dim with stride `inner`
// (128) with 128-bit loads, so that neighbouring threads read neighbouring
// addresses; else one column per thread.
// CHECK-LABEL: func.func @middle_dim(
// CHECK-SAME:    %[[X:[^:]*]]: memref<32x1024x128xf32>, %[[Y:[^:]*]]: memref<32x1024x128xf32>)
// CHECK:         %[[REDUCED:.*]] = arith.constant 1024 : index
// CHECK:         %[[INNER:.*]] = arith.constant 128 : index
// CHECK:         %[[XF:.*]] = memref.collapse_shape %[[X]]
// CHECK:         %[[YF:.*]] = memref.collapse_shape %[[Y]]
// CHECK:         %[[ALIGNED:.*]] = arith.andi
// CHECK:         scf.if %[[ALIGNED]] {
// CHECK:           %[[C4:.*]] = arith.constant 4 : index
// CHECK:           %[[GROUPS:.*]] = arith.divui %[[INNER]], %[[C4]] : index
// Thread x of the launch picks the group of columns: consecutive threads,
// consecutive groups.
// CHECK:           gpu.launch blocks({{.*}}) in ({{.*}}) threads(%[[TX:[^,]*]], {{.*}}) in ({{.*}}) module(@nn_kernels) function(@middle_dim_0_columns_v4)
// CHECK:             %[[TID:.*]] = arith.addi %{{.*}}, %[[TX]] : index
// CHECK:             %[[GROUP:.*]] = arith.remui %[[TID]], %[[GROUPS]] : index
// CHECK:             %[[COL:.*]] = arith.muli %[[GROUP]], %{{.*}} : index
// CHECK:             %[[BASE:.*]] = arith.addi %{{.*}}, %[[COL]] : index
// CHECK-DAG:         %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-DAG:         %[[ONE:.*]] = arith.constant 1 : index
// Both passes step through the whole reduced dim at stride INNER from the
// group's base; the first keeps, per column, a lagging reference, the
// maximum, and a compensated sum, and moves a column's reference only when
// one of the 4 is above it by the slack.
// CHECK:             scf.for %[[K:.*]] = %[[ZERO]] to %[[REDUCED]] step %[[ONE]] iter_args({{.*}}) -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>)
// CHECK-NEXT:          %[[OFF:.*]] = arith.muli %[[K]], %[[INNER]] : index
// CHECK-NEXT:          %[[IDX:.*]] = arith.addi %[[BASE]], %[[OFF]] : index
// CHECK-NEXT:          vector.load %[[XF]][%[[IDX]]] {alignment = 16 : i64} : memref<4194304xf32>, vector<4xf32>
// CHECK:               vector.reduction <or>
// CHECK:             scf.for %[[K2:.*]] = %[[ZERO]] to %[[REDUCED]] step %[[ONE]] {
// CHECK-NEXT:          %[[OFF2:.*]] = arith.muli %[[K2]], %[[INNER]] : index
// CHECK-NEXT:          %[[IDX2:.*]] = arith.addi %[[BASE]], %[[OFF2]] : index
// CHECK-NEXT:          vector.load %[[XF]][%[[IDX2]]]
// CHECK:               vector.store %{{.*}}, %[[YF]][%[[IDX2]]] {alignment = 16 : i64}
// CHECK:         } else {
// CHECK:           gpu.launch {{.*}} function(@middle_dim_0_columns_v1)
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
// CHECK:         gpu.launch {{.*}} function(@chain_0_warp_per_row_v2)
// CHECK:         gpu.launch {{.*}} function(@chain_1_columns_v2)
// CHECK:         gpu.memcpy  %[[B]], %[[A]]
// CHECK:         gpu.dealloc  %[[T]]
func.func @chain(%x: tensor<8x100xf64>) -> (tensor<8x100xf64>, tensor<8x100xf64>) {
  %y = nn.logsoftmax %x, dim = 1 : tensor<8x100xf64> -> tensor<8x100xf64>
  %z = nn.logsoftmax %y, dim = 0 : tensor<8x100xf64> -> tensor<8x100xf64>
  return %z, %z : tensor<8x100xf64>, tensor<8x100xf64>
}

// -----

// Only functions made of nn ops are supported on the GPU.
func.func @other_ops(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @below {{--nn-to-gpu: the GPU pipeline supports functions made of nn.logsoftmax, nn.softmax, nn.logsoftmax_grad, nn.cross_entropy and nn.cross_entropy_grad ops only; found 'math.exp'}}
  %e = math.exp %x : tensor<8xf32>
  %y = nn.logsoftmax %e, dim = 0 : tensor<8xf32> -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// nn.softmax takes the same kernels with another last step: 1 / sum instead
// of log(sum), and exp(x - max) * (1 / sum) written, with math.exp (not the
// approximate exp2 of the sum) since its error goes into the result.
// CHECK-LABEL: func.func @softmax_rows(
// CHECK:         gpu.launch {{.*}} function(@softmax_rows_0_warp_per_row_v4)
// CHECK:           math.exp2 {{.*}} fastmath<afn> : vector<4xf32>
// CHECK:           %[[SUM:.*]] = arith.addf
// CHECK:           %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:           %[[INV:.*]] = arith.divf %[[ONE]], %{{.*}} : f32
// CHECK-NOT:       math.log
// CHECK:           %[[INVV:.*]] = vector.broadcast %[[INV]] : f32 to vector<4xf32>
// CHECK:           %[[D:.*]] = arith.subf %{{.*}}, %{{.*}} : vector<4xf32>
// CHECK:           %[[E:.*]] = math.exp %[[D]] : vector<4xf32>
// CHECK:           %[[P:.*]] = arith.mulf %[[E]], %[[INVV]] : vector<4xf32>
// CHECK:           vector.store %[[P]]
// CHECK-LABEL: func.func @softmax_columns(
// CHECK:         gpu.launch {{.*}} function(@softmax_columns_0_columns_v4)
// CHECK:           arith.divf
// CHECK:           math.exp {{.*}} : vector<4xf32>
// CHECK:           arith.mulf
func.func @softmax_rows(%x: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<64x512xf32>) -> tensor<64x512xf32>
  return %y : tensor<64x512xf32>
}
func.func @softmax_columns(%x: tensor<8x100x64xbf16>) -> tensor<8x100x64xf32> {
  %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<8x100x64xbf16>) -> tensor<8x100x64xf32>
  return %y : tensor<8x100x64xf32>
}

// -----

// nn.logsoftmax_grad: the row of g is held (padded with 0, not -inf), only
// its sum is reduced (no maximum, no exp), and the write reads y beside each
// held vector: g - exp(y) * sum. All three buffers must be 16-byte aligned
// for the vector kernel.
// CHECK-LABEL: func.func @grad_rows(
// CHECK-SAME:    %[[G:[^:]*]]: memref<64x512xf32>, %[[Y:[^:]*]]: memref<64x512xf32>, %[[GX:[^:]*]]: memref<64x512xf32>)
// CHECK-DAG:     %[[GF:.*]] = memref.collapse_shape %[[G]]
// CHECK-DAG:     %[[YF:.*]] = memref.collapse_shape %[[Y]]
// CHECK:         memref.extract_aligned_pointer_as_index %[[YF]]
// CHECK:         gpu.launch {{.*}} function(@grad_rows_0_warp_per_row_v4)
// CHECK-NOT:       arith.maximumf
// CHECK-NOT:       math.exp2
// CHECK:           vector.reduction <add>
// CHECK-COUNT-4:   gpu.shuffle  xor
// CHECK:           gpu.shuffle  xor
// CHECK-NEXT:      %[[S:.*]] = arith.addf
// CHECK:           scf.if
// CHECK:             %[[SV:.*]] = vector.broadcast %[[S]] : f32 to vector<4xf32>
// CHECK:             %[[YV:.*]] = vector.load %[[YF]][{{.*}}] {alignment = 16 : i64} : memref<32768xf32>, vector<4xf32>
// CHECK:             %[[P:.*]] = math.exp %[[YV]] : vector<4xf32>
// CHECK:             %[[PS:.*]] = arith.mulf %[[P]], %[[SV]] : vector<4xf32>
// CHECK:             %[[R:.*]] = arith.subf %{{.*}}, %[[PS]] : vector<4xf32>
// CHECK:             vector.store %[[R]]
// CHECK:         gpu.launch {{.*}} function(@grad_rows_0_warp_per_row_v1)
// Long rows are streamed, never split.
// CHECK-LABEL: func.func @grad_long(
// CHECK-NOT:     split
// CHECK:         gpu.launch {{.*}} function(@grad_long_0_streamed_rows_v8)
// CHECK-NOT:     split
// CHECK-LABEL: func.func @grad_columns(
// CHECK:         gpu.launch {{.*}} function(@grad_columns_0_columns_v2)
func.func @grad_rows(%g: tensor<64x512xf32>, %y: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %gx = "nn.logsoftmax_grad"(%g, %y) <{dim = 1 : i64}> : (tensor<64x512xf32>, tensor<64x512xf32>) -> tensor<64x512xf32>
  return %gx : tensor<64x512xf32>
}
func.func @grad_long(%g: tensor<64x128256xbf16>, %y: tensor<64x128256xbf16>) -> tensor<64x128256xbf16> {
  %gx = "nn.logsoftmax_grad"(%g, %y) <{dim = 1 : i64}> : (tensor<64x128256xbf16>, tensor<64x128256xbf16>) -> tensor<64x128256xbf16>
  return %gx : tensor<64x128256xbf16>
}
func.func @grad_columns(%g: tensor<8x100x64xf64>, %y: tensor<8x100x64xf64>) -> tensor<8x100x64xf64> {
  %gx = "nn.logsoftmax_grad"(%g, %y) <{dim = 1 : i64}> : (tensor<8x100x64xf64>, tensor<8x100x64xf64>) -> tensor<8x100x64xf64>
  return %gx : tensor<8x100x64xf64>
}

// -----

// nn.cross_entropy ("mean", label smoothing): the row kernels reduce each
// sample's maximum and sum; with smoothing also sum(e / C * (x - max)); the
// row's first lane reads the target, its logit only when in range, and
// stores the loss and whether it counts (f64) for a one-block total.
// CHECK-LABEL: func.func @cross_entropy(
// CHECK-SAME:    %[[X:[^:]*]]: memref<64x1000xf32>, %[[T:[^:]*]]: memref<64xi32>, %[[L:[^:]*]]: memref<f32>)
// CHECK:         %[[P:.*]] = gpu.alloc  (%{{.*}}) : memref<?xf64>
// CHECK:         gpu.launch {{.*}} function(@cross_entropy_0_warp_per_row_v4)
// CHECK:           math.exp2 {{.*}} fastmath<afn> : vector<4xf32>
// CHECK:           scf.if
// CHECK:             %[[LOGSUM:.*]] = math.log
// CHECK:             %[[TARGET:.*]] = memref.load %[[T]][%{{.*}}] : memref<64xi32>
// CHECK:             %[[T64:.*]] = arith.extsi %[[TARGET]] : i32 to i64
// CHECK:             %[[IGNORED:.*]] = arith.cmpi eq, %[[T64]], %{{.*}} : i64
// CHECK:             %[[IN:.*]] = arith.andi
// CHECK:             %[[XT:.*]] = scf.if %[[IN]] -> (f32) {
// CHECK:               memref.load %{{.*}} : memref<64000xf32>
// CHECK:             } else {
// CHECK:             %[[SHIFTED:.*]] = arith.subf %[[XT]], %{{.*}} : f32
// CHECK:             memref.store %{{.*}}, %[[P]]
// CHECK:             memref.store %{{.*}}, %[[P]]
// CHECK:         gpu.launch {{.*}} function(@cross_entropy_0_warp_per_row_v1)
// CHECK:         gpu.launch {{.*}} function(@cross_entropy_0_ce_total)
// CHECK:           arith.divf
// CHECK:           memref.store %{{.*}}, %{{.*}}[%{{.*}}] : memref<1xf32>
// CHECK:         gpu.dealloc  %[[P]]
func.func @cross_entropy(%x: tensor<64x1000xf32>, %t: tensor<64xi32>) -> tensor<f32> {
  %l = "nn.cross_entropy"(%x, %t) <{label_smoothing = 0.1 : f64}> : (tensor<64x1000xf32>, tensor<64xi32>) -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// nn.cross_entropy_grad ("mean", label smoothing): a first one-block launch
// counts the samples not ignored (in f64) and stores grad_loss / count; the
// row kernels then write g * (exp(x - max) / sum - e / C) with the accurate
// exp, and after a barrier the row's first lane writes the target's element
// again with the label (1 - e) + e / C.
// CHECK-LABEL: func.func @cross_entropy_grad(
// CHECK-SAME:    %[[G:[^:]*]]: memref<f32>, %[[X:[^:]*]]: memref<64x1000xf32>, %[[T:[^:]*]]: memref<64xi64>, %[[GX:[^:]*]]: memref<64x1000xf32>)
// CHECK-DAG:     %[[XFLAT:.*]] = memref.collapse_shape %[[X]] {{.*}} into memref<64000xf32>
// CHECK-DAG:     %[[OUT:.*]] = memref.collapse_shape %[[GX]] {{.*}} into memref<64000xf32>
// CHECK-DAG:     %[[GFLAT:.*]] = memref.expand_shape %[[G]] [] output_shape [1] : memref<f32> into memref<1xf32>
// CHECK:         %[[SCALE:.*]] = gpu.alloc  () : memref<1xf32>
// CHECK:         gpu.launch {{.*}} function(@cross_entropy_grad_0_ce_grad_scale)
// CHECK:           memref.load %[[T]][%{{.*}}] : memref<64xi64>
// CHECK:           %[[COUNT:.*]] = arith.truncf %{{.*}} : f64 to f32
// CHECK:           %[[GL:.*]] = memref.load %[[GFLAT]]
// CHECK:           %[[DIV:.*]] = arith.divf %[[GL]], %[[COUNT]] : f32
// CHECK:           memref.store %[[DIV]], %[[SCALE]]
// CHECK:         gpu.launch {{.*}} function(@cross_entropy_grad_0_warp_per_row_v4)
// CHECK:           math.exp2 {{.*}} fastmath<afn> : vector<4xf32>
// CHECK:           %[[TARGET:.*]] = memref.load %[[T]][%{{.*}}] : memref<64xi64>
// CHECK:           %[[FACTOR:.*]] = memref.load %[[SCALE]]
// CHECK:           %[[HITW:.*]] = arith.addf %{{.*}}, %{{.*}} : f32
// CHECK:           %[[TOFF:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : index
// CHECK:           scf.if
// CHECK:             %[[P:.*]] = math.exp %{{.*}} : vector<4xf32>
// CHECK:             %[[PS:.*]] = arith.mulf %[[P]], %{{.*}} : vector<4xf32>
// CHECK:             %[[D:.*]] = arith.subf %[[PS]], %{{.*}} : vector<4xf32>
// CHECK:             %[[Y:.*]] = arith.mulf %{{.*}}, %[[D]] : vector<4xf32>
// CHECK:             vector.store %[[Y]], %[[OUT]]
// CHECK:           gpu.barrier
// CHECK:           scf.if
// CHECK:             scf.if
// CHECK:               %[[XT:.*]] = memref.load %[[XFLAT]][%[[TOFF]]] : memref<64000xf32>
// CHECK:               math.exp
// CHECK:               %[[DT:.*]] = arith.subf %{{.*}}, %[[HITW]] : f32
// CHECK:               %[[YT:.*]] = arith.mulf %{{.*}}, %[[DT]] : f32
// CHECK:               memref.store %[[YT]], %[[OUT]][%[[TOFF]]] : memref<64000xf32>
// CHECK:         gpu.launch {{.*}} function(@cross_entropy_grad_0_warp_per_row_v1)
// CHECK:         gpu.dealloc  %[[SCALE]]
func.func @cross_entropy_grad(%g: tensor<f32>, %x: tensor<64x1000xf32>, %t: tensor<64xi64>) -> tensor<64x1000xf32> {
  %gx = "nn.cross_entropy_grad"(%g, %x, %t) <{label_smoothing = 0.1 : f64}> : (tensor<f32>, tensor<64x1000xf32>, tensor<64xi64>) -> tensor<64x1000xf32>
  return %gx : tensor<64x1000xf32>
}

// -----

// "none": each row's factor is its sample's grad_loss, read where the row
// is written; no count.
// CHECK-LABEL: func.func @cross_entropy_grad_none(
// CHECK-SAME:    %[[G:[^:]*]]: memref<?xbf16>, %[[X:[^:]*]]: memref<?x?xbf16>, %[[T:[^:]*]]: memref<?xi32>
// CHECK-NOT:     ce_grad_scale
// CHECK:         gpu.launch {{.*}} function(@cross_entropy_grad_none_0_warp_per_row_v8)
// CHECK:           %[[TARGET:.*]] = memref.load %[[T]][%[[ROW:.*]]] : memref<?xi32>
// CHECK:           %[[GROW:.*]] = memref.load %[[G]][%[[ROW]]] : memref<?xbf16>
// CHECK:           arith.extf %[[GROW]] : bf16 to f32
func.func @cross_entropy_grad_none(%g: tensor<?xbf16>, %x: tensor<?x?xbf16>, %t: tensor<?xi32>) -> tensor<?x?xbf16> {
  %gx = "nn.cross_entropy_grad"(%g, %x, %t) <{reduction = "none"}> : (tensor<?xbf16>, tensor<?x?xbf16>, tensor<?xi32>) -> tensor<?x?xbf16>
  return %gx : tensor<?x?xbf16>
}

// -----

// [N, C, D] logits (classes along dim 1): one thread per sample walks its
// column of C logits with stride D, as scalars; the gradient's target lies
// at base + target * D, rewritten by the same thread after its column (no
// barrier).
// CHECK-LABEL: func.func @cross_entropy_grad_columns(
// CHECK-SAME:    %[[G:[^:]*]]: memref<f32>, %[[X:[^:]*]]: memref<4x100x16xf32>, %[[T:[^:]*]]: memref<4x16xi64>, %[[GX:[^:]*]]: memref<4x100x16xf32>)
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG:     %[[XFLAT:.*]] = memref.collapse_shape %[[X]] {{.*}} into memref<6400xf32>
// CHECK-DAG:     %[[OUT:.*]] = memref.collapse_shape %[[GX]] {{.*}} into memref<6400xf32>
// CHECK-DAG:     %[[TFLAT:.*]] = memref.collapse_shape %[[T]] {{.*}} into memref<64xi64>
// CHECK-NOT:     ce_grad_scale
// CHECK:         gpu.launch {{.*}} function(@cross_entropy_grad_columns_0_columns_v1)
// CHECK:           %[[SAMPLE:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:           %[[BASE:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:           scf.for %[[J:[^ ]*]] = {{.*}} -> (f32, f32, f32, f32) {
// CHECK:             %[[STEP:.*]] = arith.muli %[[J]], %[[C16]] : index
// CHECK:             %[[AT:.*]] = arith.addi %[[BASE]], %[[STEP]] : index
// CHECK:             memref.load %[[XFLAT]][%[[AT]]] : memref<6400xf32>
// CHECK:           %[[TARGET:.*]] = memref.load %[[TFLAT]][%[[SAMPLE]]] : memref<64xi64>
// CHECK:           %[[TI:.*]] = arith.index_cast %[[TARGET]] : i64 to index
// CHECK:           %[[TSTEP:.*]] = arith.muli %[[TI]], %[[C16]] : index
// CHECK:           %[[TAT:.*]] = arith.addi %[[BASE]], %[[TSTEP]] : index
// CHECK:           %[[TOFF:.*]] = arith.select %{{.*}}, %[[TAT]], %{{.*}} : index
// CHECK:           scf.for
// CHECK:             math.exp %{{.*}} : f32
// CHECK:             memref.store %{{.*}}, %[[OUT]]
// CHECK:           }
// CHECK-NOT:       gpu.barrier
// CHECK:           scf.if
// CHECK:             memref.load %[[XFLAT]][%[[TOFF]]]
// CHECK:             memref.store %{{.*}}, %[[OUT]][%[[TOFF]]]
func.func @cross_entropy_grad_columns(%g: tensor<f32>, %x: tensor<4x100x16xf32>, %t: tensor<4x16xi64>) -> tensor<4x100x16xf32> {
  %gx = "nn.cross_entropy_grad"(%g, %x, %t) <{reduction = "sum"}> : (tensor<f32>, tensor<4x100x16xf32>, tensor<4x16xi64>) -> tensor<4x100x16xf32>
  return %gx : tensor<4x100x16xf32>
}
