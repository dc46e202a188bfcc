// RUN: nn-opt %s --nn-bf16-memory-as-i16 | FileCheck %s

// bf16 loads and stores (plain and masked, scalar and vector) move i16
// values; bitcasts keep the bf16 view for everything else.

// CHECK-LABEL: llvm.func @copy(
// CHECK-SAME:    %[[P:.*]]: !llvm.ptr, %[[Q:.*]]: !llvm.ptr, %[[M:.*]]: vector<8xi1>)
// CHECK:         %[[V:.*]] = llvm.load %[[P]] {alignment = 2 : i64} : !llvm.ptr -> vector<8xi16>
// CHECK-NEXT:    %[[VB:.*]] = llvm.bitcast %[[V]] : vector<8xi16> to vector<8xbf16>
// CHECK:         %[[VI:.*]] = llvm.bitcast %[[VB]] : vector<8xbf16> to vector<8xi16>
// CHECK-NEXT:    llvm.store %[[VI]], %[[Q]] {alignment = 2 : i64} : vector<8xi16>, !llvm.ptr
// CHECK:         %[[PT:.*]] = llvm.bitcast %{{.*}} : vector<8xbf16> to vector<8xi16>
// CHECK-NEXT:    %[[ML:.*]] = llvm.intr.masked.load %[[P]], %[[M]], %[[PT]] {alignment = 2 : i32} : (!llvm.ptr, vector<8xi1>, vector<8xi16>) -> vector<8xi16>
// CHECK-NEXT:    %[[MLB:.*]] = llvm.bitcast %[[ML]] : vector<8xi16> to vector<8xbf16>
// CHECK:         %[[MLI:.*]] = llvm.bitcast %[[MLB]] : vector<8xbf16> to vector<8xi16>
// CHECK-NEXT:    llvm.intr.masked.store %[[MLI]], %[[Q]], %[[M]] {alignment = 2 : i32} : vector<8xi16>, vector<8xi1> into !llvm.ptr
// CHECK:         llvm.load %[[P]] : !llvm.ptr -> i16
// CHECK-NOT:     : !llvm.ptr -> {{.*}}bf16
llvm.func @copy(%p: !llvm.ptr, %q: !llvm.ptr, %m: vector<8xi1>) -> bf16 {
  %v = llvm.load %p {alignment = 2 : i64} : !llvm.ptr -> vector<8xbf16>
  llvm.store %v, %q {alignment = 2 : i64} : vector<8xbf16>, !llvm.ptr
  %pass = llvm.mlir.constant(dense<0.0> : vector<8xbf16>) : vector<8xbf16>
  %w = llvm.intr.masked.load %p, %m, %pass {alignment = 2 : i32} : (!llvm.ptr, vector<8xi1>, vector<8xbf16>) -> vector<8xbf16>
  llvm.intr.masked.store %w, %q, %m {alignment = 2 : i32} : vector<8xbf16>, vector<8xi1> into !llvm.ptr
  %s = llvm.load %p : !llvm.ptr -> bf16
  llvm.return %s : bf16
}
