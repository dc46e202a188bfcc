// Log-softmax written as linalg.softmax + math.log, or as the TOSA sequence,
// raised to nn.logsoftmax and run on the CPU. log-softmax of [0, 1, 2] is
// [-2.4076059, -1.4076059, -0.4076059].
//
// RUN: nn-opt %s --nn-raise | nn-run - --function=tensor_log --input="2x3xf32=0 1 2 0 1 2" \
// RUN:   | FileCheck %s --check-prefix=TENSOR
// RUN: nn-opt %s --nn-raise | nn-run - --function=tosa --input="1x3xf32=0 1 2" \
// RUN:   | FileCheck %s --check-prefix=TOSA
// RUN: nn-opt %s --nn-raise | nn-run - --function=generic_log --input="3x2xf64=0 0 1 1 2 2" \
// RUN:   | FileCheck %s --check-prefix=GENERIC

// TENSOR: tensor<2x3xf32>
// TENSOR-COUNT-2: -2.40760{{[0-9]*}}, -1.40760{{[0-9]*}}, -0.40760{{[0-9]*}}]
func.func @tensor_log(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c1 : tensor<2x?xf32>
  %init = tensor.empty(%n) : tensor<2x?xf32>
  %s = linalg.softmax dimension(1) ins(%x : tensor<2x?xf32>) outs(%init : tensor<2x?xf32>) -> tensor<2x?xf32>
  %l = math.log %s : tensor<2x?xf32>
  return %l : tensor<2x?xf32>
}

// GENERIC: tensor<3x2xf64>
// GENERIC-NEXT: [-2.40760596444438{{[0-9]*}}, -2.40760596444438{{[0-9]*}}]
// GENERIC-NEXT: [-1.40760596444438{{[0-9]*}}, -1.40760596444438{{[0-9]*}}]
// GENERIC-NEXT: [-0.40760596444438{{[0-9]*}}, -0.40760596444438{{[0-9]*}}]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @generic_log(%x: tensor<3x2xf64>) -> tensor<3x2xf64> {
  %init = tensor.empty() : tensor<3x2xf64>
  %s = linalg.softmax dimension(0) ins(%x : tensor<3x2xf64>) outs(%init : tensor<3x2xf64>) -> tensor<3x2xf64>
  %l = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<3x2xf64>) outs(%init : tensor<3x2xf64>) {
  ^bb0(%a: f64, %b: f64):
    %v = math.log %a : f64
    linalg.yield %v : f64
  } -> tensor<3x2xf64>
  return %l : tensor<3x2xf64>
}

// TOSA: tensor<1x3xf32>
// TOSA-NEXT: -2.40760{{[0-9]*}}, -1.40760{{[0-9]*}}, -0.40760{{[0-9]*}}]
func.func @tosa(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %m = tosa.reduce_max %x {axis = 1 : i32} : (tensor<1x3xf32>) -> tensor<1x1xf32>
  %d = tosa.sub %x, %m : (tensor<1x3xf32>, tensor<1x1xf32>) -> tensor<1x3xf32>
  %e = tosa.exp %d : (tensor<1x3xf32>) -> tensor<1x3xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<1x3xf32>) -> tensor<1x1xf32>
  %l = tosa.log %s : (tensor<1x1xf32>) -> tensor<1x1xf32>
  %y = tosa.sub %d, %l : (tensor<1x3xf32>, tensor<1x1xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
