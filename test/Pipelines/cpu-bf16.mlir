// RUN: nn-opt %s --nn-cpu-pipeline="vector-bits=512 threads=1" | FileCheck %s
// RUN: nn-opt %s --nn-cpu-pipeline="vector-bits=512 threads=1 native-bf16=true" | FileCheck %s --check-prefix=NATIVE

// bf16 <-> f32 conversions are integer operations by default, and bf16 moves
// through memory as i16; with native-bf16 (AVX512-BF16 targets) the
// conversions are left to the backend.

// CHECK-LABEL: llvm.func @rows(
// CHECK-NOT:     llvm.fptrunc
// CHECK-NOT:     llvm.fpext
// CHECK-NOT:     -> vector<16xbf16>
// CHECK:         llvm.load {{.*}} -> vector<16xi16>
// CHECK:         llvm.zext {{.*}} : vector<16xi16> to vector<16xi32>
// CHECK:         llvm.shl

// NATIVE-LABEL: llvm.func @rows(
// NATIVE:         llvm.fpext {{.*}} : vector<16xbf16> to vector<16xf32>
// NATIVE:         llvm.fptrunc {{.*}} : vector<16xf32> to vector<16xbf16>
func.func @rows(%x: tensor<8x512xbf16>) -> tensor<8x512xbf16> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<8x512xbf16> -> tensor<8x512xbf16>
  return %y : tensor<8x512xbf16>
}

// bf16 widened to f64 takes the same integer conversion, to f32 first: no
// bf16 value reaches LLVM as a float (its optimizer would narrow comparisons
// of the widened values back to bf16).

// CHECK-LABEL: llvm.func @to_f64(
// CHECK-NOT:     bf16> to vector<8xf64>
// CHECK:         llvm.shl
// CHECK:         llvm.fpext {{.*}} : vector<8xf32> to vector<8xf64>
// CHECK-NOT:     llvm.fpext {{.*}}bf16
func.func @to_f64(%x: tensor<8x512xbf16>) -> tensor<8x512xf64> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<8x512xbf16> -> tensor<8x512xf64>
  return %y : tensor<8x512xf64>
}
