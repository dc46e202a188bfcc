// RUN: nn-opt %s --nn-raise --split-input-file | FileCheck %s

// log(softmax(x)) becomes nn.logsoftmax, with math.log on the tensor or in
// an elementwise linalg.generic; near misses stay as they are.

// CHECK-LABEL: func.func @tensor_log(
// CHECK-SAME:    %[[X:.*]]: tensor<4x?xf32>)
// CHECK-NEXT:    %[[Y:.*]] = nn.logsoftmax %[[X]], dim = 1 : tensor<4x?xf32> -> tensor<4x?xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @tensor_log(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c1 : tensor<4x?xf32>
  %init = tensor.empty(%n) : tensor<4x?xf32>
  %s = linalg.softmax dimension(1) ins(%x : tensor<4x?xf32>) outs(%init : tensor<4x?xf32>) -> tensor<4x?xf32>
  %l = math.log %s : tensor<4x?xf32>
  return %l : tensor<4x?xf32>
}

// -----

// CHECK-LABEL: func.func @generic_log(
// CHECK-SAME:    %[[X:.*]]: tensor<2x3x5xbf16>)
// CHECK-NEXT:    %[[Y:.*]] = nn.logsoftmax %[[X]], dim = 0 : tensor<2x3x5xbf16> -> tensor<2x3x5xbf16>
// CHECK-NEXT:    return %[[Y]]
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @generic_log(%x: tensor<2x3x5xbf16>) -> tensor<2x3x5xbf16> {
  %init = tensor.empty() : tensor<2x3x5xbf16>
  %s = linalg.softmax dimension(0) ins(%x : tensor<2x3x5xbf16>) outs(%init : tensor<2x3x5xbf16>) -> tensor<2x3x5xbf16>
  %l = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x3x5xbf16>) outs(%init : tensor<2x3x5xbf16>) {
  ^bb0(%a: bf16, %b: bf16):
    %v = math.log %a : bf16
    linalg.yield %v : bf16
  } -> tensor<2x3x5xbf16>
  return %l : tensor<2x3x5xbf16>
}

// -----

// The softmax has another user: not raised.
// CHECK-LABEL: func.func @shared_softmax(
// CHECK:         linalg.softmax
// CHECK:         math.log
// CHECK-NOT:     nn.logsoftmax
func.func @shared_softmax(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %init = tensor.empty() : tensor<8xf32>
  %s = linalg.softmax dimension(0) ins(%x : tensor<8xf32>) outs(%init : tensor<8xf32>) -> tensor<8xf32>
  %l = math.log %s : tensor<8xf32>
  return %l, %s : tensor<8xf32>, tensor<8xf32>
}

// -----

// A generic that does more than log, or is not elementwise: not raised.
// CHECK-LABEL: func.func @not_log(
// CHECK:         linalg.softmax
// CHECK-NOT:     nn.logsoftmax
#id1 = affine_map<(d0) -> (d0)>
func.func @not_log(%x: tensor<8xf32>) -> tensor<8xf32> {
  %init = tensor.empty() : tensor<8xf32>
  %s = linalg.softmax dimension(0) ins(%x : tensor<8xf32>) outs(%init : tensor<8xf32>) -> tensor<8xf32>
  %l = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%s : tensor<8xf32>) outs(%init : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %v = math.log %a : f32
    %w = arith.addf %v, %v : f32
    linalg.yield %w : f32
  } -> tensor<8xf32>
  return %l : tensor<8xf32>
}

// -----

// log of something else: not raised.
// CHECK-LABEL: func.func @log_only(
// CHECK:         math.log
// CHECK-NOT:     nn.logsoftmax
func.func @log_only(%x: tensor<8xf32>) -> tensor<8xf32> {
  %l = math.log %x : tensor<8xf32>
  return %l : tensor<8xf32>
}
