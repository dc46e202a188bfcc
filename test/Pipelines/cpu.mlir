// RUN: nn-opt %s --nn-cpu-pipeline="vector-bits=512" \
// RUN:   | FileCheck %s --implicit-check-not=linalg. --implicit-check-not=memref. \
// RUN:       --implicit-check-not=nn. --implicit-check-not=tensor. \
// RUN:       --implicit-check-not=bufferization. --implicit-check-not=arith. \
// RUN:       --implicit-check-not=math. --implicit-check-not=scf. \
// RUN:       --implicit-check-not=cf. --implicit-check-not=func.func \
// RUN:       --implicit-check-not=unrealized_conversion_cast
// RUN: nn-opt %s --nn-cpu-pipeline="vectorize=false" \
// RUN:   | FileCheck %s --check-prefix=SCALAR --implicit-check-not='vector<'
// RUN: nn-opt %s --nn-cpu-pipeline="emit-c-interface=false" \
// RUN:   | FileCheck %s --check-prefix=NOCIFACE --implicit-check-not=_mlir_ciface_ \
// RUN:       --implicit-check-not=llvm.emit_c_interface

// --nn-cpu-pipeline lowers nn ops on tensors all the way to the llvm dialect.
// The result becomes a trailing out-parameter that the caller allocates, and
// every public function gets a _mlir_ciface_ wrapper taking a pointer to the
// input descriptor, then a pointer to the output descriptor.

// CHECK-NOT:     linalg.
// CHECK-NOT:     memref.
// CHECK-NOT:     nn.
// CHECK-NOT:     tensor.

// The lowered function: input descriptor then output descriptor, no result.
// CHECK-LABEL: llvm.func @static_ls(
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64,
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64)
// CHECK-SAME:    attributes {llvm.emit_c_interface} {
// Rows of 8 are shorter than a vector: one masked load per row, the group's
// maxima (shuffles + compare + select) and sums (shuffles + fadd) reduced
// together, one vector log for the group.
// CHECK:         llvm.intr.masked.load {{.*}} -> vector<16xf32>
// CHECK:         llvm.shufflevector
// CHECK:         llvm.fcmp "ogt"
// CHECK:         llvm.shufflevector
// CHECK:         llvm.fadd {{.*}} : vector<16xf32>
// CHECK-NOT:     llvm.intr.vector.reduce
// CHECK-NOT:     llvm.intr.log
// CHECK:         llvm.fdiv {{.*}} : vector<16xf32>
// CHECK:         llvm.intr.masked.store
// CHECK:         llvm.return

// CHECK-LABEL: llvm.func @_mlir_ciface_static_ls(
// CHECK-SAME:    %[[IN:[^:]+]]: !llvm.ptr, %[[OUT:[^:]+]]: !llvm.ptr) attributes {llvm.emit_c_interface} {
// CHECK:         llvm.load %[[IN]] : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK:         llvm.load %[[OUT]] : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK:         llvm.call @static_ls({{.*}}) : (!llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64) -> ()
// CHECK-NEXT:    llvm.return
// CHECK-NEXT:  }

// NOCIFACE-LABEL: llvm.func @static_ls(
// NOCIFACE-SAME:    %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64,
// NOCIFACE-SAME:    %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64) {
func.func @static_ls(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// CHECK-LABEL: llvm.func @dynamic_ls(
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64,
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64, %{{[^:]+}}: i64)
// CHECK-SAME:    attributes {llvm.emit_c_interface} {
// dim 0: the lanes run along the (dynamic, so masked) contiguous dimension and
// each lane keeps its own max and sum: no horizontal reduction but the test of
// whether any lane passed its reference.
// CHECK-NOT:     llvm.intr.vector.reduce.{{f[a-z]+}}
// CHECK:         llvm.intr.masked.load {{.*}} -> vector<16xf32>
// CHECK-NOT:     llvm.intr.log
// CHECK:         llvm.fdiv {{.*}} : vector<16xf32>
// CHECK:         llvm.intr.masked.store {{.*}} : vector<16xf32>, vector<16xi1> into !llvm.ptr
// CHECK:         llvm.return

// CHECK-LABEL: llvm.func @_mlir_ciface_dynamic_ls(
// CHECK-SAME:    %[[IN:[^:]+]]: !llvm.ptr, %[[OUT:[^:]+]]: !llvm.ptr) attributes {llvm.emit_c_interface} {
// CHECK:         llvm.load %[[IN]] : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK:         llvm.load %[[OUT]] : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK:         llvm.call @dynamic_ls({{.*}}) : (!llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64) -> ()
// CHECK-NEXT:    llvm.return

// NOCIFACE-LABEL: llvm.func @dynamic_ls(
// NOCIFACE-SAME:    !llvm.ptr
// NOCIFACE:         llvm.return
func.func @dynamic_ls(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// bf16 in, f32 accumulation, bf16 out: the bf16 conversions are expanded to
// integer ops, so nothing but llvm is left here either.
// CHECK-LABEL: llvm.func @_mlir_ciface_bf16_ls(
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr) attributes {llvm.emit_c_interface} {
// CHECK:         llvm.call @bf16_ls({{.*}}) : (!llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, i64) -> ()
func.func @bf16_ls(%x: tensor<2x3x4xbf16>) -> tensor<2x3x4xbf16> {
  %y = nn.logsoftmax %x, dim = -1 : tensor<2x3x4xbf16> -> tensor<2x3x4xbf16>
  return %y : tensor<2x3x4xbf16>
}

// Without vectorization the three linalg stages become scalar loops calling
// exp and log.
// SCALAR-LABEL: llvm.func @static_ls(
// SCALAR:         llvm.intr.exp
// SCALAR:         llvm.intr.log
// SCALAR-LABEL: llvm.func @_mlir_ciface_static_ls(
