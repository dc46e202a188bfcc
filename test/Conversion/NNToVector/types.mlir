// RUN: nn-opt %s --nn-to-vector="vector-bits=512" | FileCheck %s

// f16 and bf16 are loaded narrow, widened to f32 in registers and rounded
// once on store; f64 uses 8 lanes; a wider result converts on load.

// CHECK-LABEL: func.func @bf16(
// CHECK:         %[[V:.*]] = vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<4x512xbf16>, vector<16xbf16>
// CHECK-NEXT:    arith.extf %[[V]] : vector<16xbf16> to vector<16xf32>
// CHECK:         math.log %{{.*}} : f32
// CHECK:         %[[Y:.*]] = arith.truncf %{{.*}} : vector<16xf32> to vector<16xbf16>
// CHECK-NEXT:    vector.transfer_write %[[Y]]
func.func @bf16(%x: tensor<4x512xbf16>) -> tensor<4x512xbf16> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x512xbf16> -> tensor<4x512xbf16>
  return %y : tensor<4x512xbf16>
}

// CHECK-LABEL: func.func @f16(
// CHECK:         vector.transfer_read {{.*}} : tensor<4x512xf16>, vector<16xf16>
// CHECK:         arith.truncf %{{.*}} : vector<16xf32> to vector<16xf16>
func.func @f16(%x: tensor<4x512xf16>) -> tensor<4x512xf16> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x512xf16> -> tensor<4x512xf16>
  return %y : tensor<4x512xf16>
}

// CHECK-LABEL: func.func @f64(
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK:         scf.for {{.*}} step %[[C64]] iter_args({{.*}}) -> (vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>)
// CHECK:         vector.transfer_read {{.*}} : tensor<4x512xf64>, vector<8xf64>
func.func @f64(%x: tensor<4x512xf64>) -> tensor<4x512xf64> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x512xf64> -> tensor<4x512xf64>
  return %y : tensor<4x512xf64>
}

// CHECK-LABEL: func.func @f16_to_f64(
// CHECK:         %[[V:.*]] = vector.transfer_read {{.*}} : tensor<4x512xf16>, vector<8xf16>
// CHECK-NEXT:    arith.extf %[[V]] : vector<8xf16> to vector<8xf64>
// CHECK-NOT:     arith.truncf
// CHECK:         vector.transfer_write %{{.*}} : vector<8xf64>
func.func @f16_to_f64(%x: tensor<4x512xf16>) -> tensor<4x512xf64> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x512xf16> -> tensor<4x512xf64>
  return %y : tensor<4x512xf64>
}

// Rank 0 is left to --nn-to-linalg: the op stays as it is, on the argument,
// with no vector code, loop or forall around it. A statically empty tensor
// needs no code.
// CHECK-LABEL: func.func @rank0(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<f32>) -> tensor<f32>
// CHECK-NEXT:    %[[Y:.*]] = nn.logsoftmax %[[X]], dim = 0 : tensor<f32> -> tensor<f32>
// CHECK-NEXT:    return %[[Y]] : tensor<f32>
// CHECK-NEXT:  }
func.func @rank0(%x: tensor<f32>) -> tensor<f32> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<f32> -> tensor<f32>
  return %y : tensor<f32>
}

// CHECK-LABEL: func.func @empty(
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<3x0xf32>
// CHECK-NEXT:    return %[[E]]
func.func @empty(%x: tensor<3x0xf32>) -> tensor<3x0xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<3x0xf32> -> tensor<3x0xf32>
  return %y : tensor<3x0xf32>
}
