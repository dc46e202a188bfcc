// Log-softmax written as linalg.softmax + math.log, as the TOSA sequence, or
// as decomposed linalg ops, raised to nn.logsoftmax and run on the CPU.
// log-softmax of [0, 1, 2] is [-2.4076059, -1.4076059, -0.4076059], and so is
// that of [1000, 1001, 1002], where exp without the max subtraction
// overflows.
//
// RUN: nn-opt %s --nn-raise | nn-run - --function=tensor_log --input="2x3xf32=0 1 2 0 1 2" \
// RUN:   | FileCheck %s --check-prefix=TENSOR
// RUN: nn-opt %s --nn-raise | nn-run - --function=tosa --input="1x3xf32=0 1 2" \
// RUN:   | FileCheck %s --check-prefix=TOSA
// RUN: nn-opt %s --nn-raise | nn-run - --function=torch_style \
// RUN:   --input="2x3xf32=1000 1001 1002 0 1 2" | FileCheck %s --check-prefix=TORCH
// RUN: nn-opt %s --nn-raise | nn-run - --function=named_ops \
// RUN:   --input="3x2xf64=1000 0 1000 0 1000 0" --input="3x2xf64=0 0 1 1 2 2" \
// RUN:   | FileCheck %s --check-prefix=NAMED
// The README's example: rows 1..8, 9..16, ... all give log-softmax of
// [0, 1, ..., 7], whose last entry is -log(sum_k e^-k) = -0.45833969.
// RUN: nn-opt %nn_src_root/examples/torch-logsoftmax.mlir --nn-raise \
// RUN:   | nn-run - --input="4x8xf32=$(seq -s ' ' 1 32)" | FileCheck %s --check-prefix=EXAMPLE
// EXAMPLE: tensor<4x8xf32>
// EXAMPLE-COUNT-4: [-7.458339{{[0-9]*}}, -6.458339{{[0-9]*}}, -5.458339{{[0-9]*}}, -4.458339{{[0-9]*}}, -3.458339{{[0-9]*}}, -2.458339{{[0-9]*}}, -1.458339{{[0-9]*}}, -0.458339{{[0-9]*}}]
// RUN: nn-opt %s --nn-raise | FileCheck %s --check-prefix=RAISED
// RAISED-NOT: linalg.reduce
// RAISED-NOT: linalg.generic
// RAISED-NOT: tosa.
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

// TORCH: tensor<2x3xf32>
// TORCH-COUNT-2: -2.40760{{[0-9]*}}, -1.40760{{[0-9]*}}, -0.40760{{[0-9]*}}]
#t = affine_map<(d0, d1) -> (d0, d1)>
#tk = affine_map<(d0, d1) -> (d0, 0)>
func.func @torch_style(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<2x1xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<2x1xf32>) -> tensor<2x1xf32>
  %m = linalg.generic {indexing_maps = [#t, #tk], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<2x3xf32>) outs(%mi : tensor<2x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.maximumf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<2x1xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %d = linalg.generic {indexing_maps = [#t, #tk, #t], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m : tensor<2x3xf32>, tensor<2x1xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %v = arith.subf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<2x3xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x1xf32>) -> tensor<2x1xf32>
  %s = linalg.generic {indexing_maps = [#t, #tk], iterator_types = ["parallel", "reduction"]}
      ins(%d : tensor<2x3xf32>) outs(%si : tensor<2x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %x1 = math.exp %a : f32
    %v = arith.addf %x1, %acc : f32
    linalg.yield %v : f32
  } -> tensor<2x1xf32>
  %r = linalg.generic {indexing_maps = [#t, #tk, #t], iterator_types = ["parallel", "parallel"]}
      ins(%d, %s : tensor<2x3xf32>, tensor<2x1xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %l = math.log %b : f32
    %v = arith.subf %a, %l : f32
    linalg.yield %v : f32
  } -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// Along dim 0 of a + b, a bias add that stays a linalg.add.
// NAMED: tensor<3x2xf64>
// NAMED-NEXT: [-2.40760596444438{{[0-9]*}}, -2.40760596444438{{[0-9]*}}]
// NAMED-NEXT: [-1.40760596444438{{[0-9]*}}, -1.40760596444438{{[0-9]*}}]
// NAMED-NEXT: [-0.40760596444438{{[0-9]*}}, -0.40760596444438{{[0-9]*}}]
func.func @named_ops(%a: tensor<3x2xf64>, %b: tensor<3x2xf64>) -> tensor<3x2xf64> {
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<3x2xf64>
  %x = linalg.add ins(%a, %b : tensor<3x2xf64>, tensor<3x2xf64>) outs(%e : tensor<3x2xf64>) -> tensor<3x2xf64>
  %e1 = tensor.empty() : tensor<2xf64>
  %mi = linalg.fill ins(%ninf : f64) outs(%e1 : tensor<2xf64>) -> tensor<2xf64>
  %m = linalg.reduce ins(%x : tensor<3x2xf64>) outs(%mi : tensor<2xf64>) dimensions = [0]
    (%in: f64, %acc: f64) {
      %v = arith.maximumf %in, %acc : f64
      linalg.yield %v : f64
    }
  %mb = linalg.broadcast ins(%m : tensor<2xf64>) outs(%e : tensor<3x2xf64>) dimensions = [0]
  %d = linalg.sub ins(%x, %mb : tensor<3x2xf64>, tensor<3x2xf64>) outs(%e : tensor<3x2xf64>) -> tensor<3x2xf64>
  %ex = linalg.exp ins(%d : tensor<3x2xf64>) outs(%e : tensor<3x2xf64>) -> tensor<3x2xf64>
  %si = linalg.fill ins(%zero : f64) outs(%e1 : tensor<2xf64>) -> tensor<2xf64>
  %s = linalg.reduce ins(%ex : tensor<3x2xf64>) outs(%si : tensor<2xf64>) dimensions = [0]
    (%in: f64, %acc: f64) {
      %v = arith.addf %in, %acc : f64
      linalg.yield %v : f64
    }
  %l = linalg.log ins(%s : tensor<2xf64>) outs(%e1 : tensor<2xf64>) -> tensor<2xf64>
  %lb = linalg.broadcast ins(%l : tensor<2xf64>) outs(%e : tensor<3x2xf64>) dimensions = [0]
  %r = linalg.sub ins(%d, %lb : tensor<3x2xf64>, tensor<3x2xf64>) outs(%e : tensor<3x2xf64>) -> tensor<3x2xf64>
  return %r : tensor<3x2xf64>
}
