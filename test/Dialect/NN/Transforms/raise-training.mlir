// RUN: nn-opt %s --nn-raise --split-input-file | FileCheck %s
// After linalg's own elementwise fusion, and with named ops made generic.
// RUN: nn-opt %s --linalg-fuse-elementwise-ops --nn-raise --split-input-file \
// RUN:   | FileCheck %s
// RUN: nn-opt %s --linalg-generalize-named-ops --nn-raise --split-input-file \
// RUN:   | FileCheck %s

// Softmax and the log-softmax gradient decomposed into linalg ops, as
// torch-mlir emits aten._softmax and aten._log_softmax_backward_data, become
// nn.softmax and nn.logsoftmax_grad; near misses stay.

#id = affine_map<(d0, d1) -> (d0, d1)>
#kd = affine_map<(d0, d1) -> (d0, 0)>

// CHECK-LABEL: func.func @softmax(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x8xf32>
// CHECK-NEXT:    %[[Y:.*]] = nn.softmax %[[X]], dim = 1 : tensor<4x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %ef = tensor.empty() : tensor<4x8xf32>
  %e1 = tensor.empty() : tensor<4x1xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %m = linalg.generic {indexing_maps = [#id, #kd], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%mi : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.maximumf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<4x1xf32>
  %d = linalg.generic {indexing_maps = [#id, #kd, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m : tensor<4x8xf32>, tensor<4x1xf32>) outs(%ef : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %b, %one : f32
    %v = arith.subf %a, %s : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %e = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%d : tensor<4x8xf32>) outs(%ef : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.exp %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %s = linalg.generic {indexing_maps = [#id, #kd], iterator_types = ["parallel", "reduction"]}
      ins(%e : tensor<4x8xf32>) outs(%si : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.addf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<4x1xf32>
  %y = linalg.generic {indexing_maps = [#id, #kd, #id], iterator_types = ["parallel", "parallel"]}
      ins(%e, %s : tensor<4x8xf32>, tensor<4x1xf32>) outs(%ef : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %v = arith.divf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#k0 = affine_map<(d0, d1) -> (0, d1)>

// Along dim 0, in bf16 computed in f32: the widened input is looked through
// and the final rounding is the op's.
// CHECK-LABEL: func.func @softmax_bf16_dim0(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x8xbf16>
// CHECK-NEXT:    %[[Y:.*]] = nn.softmax %[[X]], dim = 0 : tensor<4x8xbf16> -> tensor<4x8xbf16>
// CHECK-NEXT:    return %[[Y]]
func.func @softmax_bf16_dim0(%xb: tensor<4x8xbf16>) -> tensor<4x8xbf16> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %ef = tensor.empty() : tensor<4x8xf32>
  %eb = tensor.empty() : tensor<4x8xbf16>
  %x = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%xb : tensor<4x8xbf16>) outs(%ef : tensor<4x8xf32>) {
  ^bb0(%a: bf16, %o: f32):
    %t = arith.extf %a : bf16 to f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  %e0 = tensor.empty() : tensor<1x8xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e0 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %m = linalg.generic {indexing_maps = [#id, #k0], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%mi : tensor<1x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.maximumf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<1x8xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e0 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %s = linalg.generic {indexing_maps = [#id, #k0, #k0], iterator_types = ["reduction", "parallel"]}
      ins(%x, %m : tensor<4x8xf32>, tensor<1x8xf32>) outs(%si : tensor<1x8xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %d = arith.subf %a, %b : f32
    %e = math.exp %d : f32
    %v = arith.addf %acc, %e : f32
    linalg.yield %v : f32
  } -> tensor<1x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #k0, #k0, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m, %s : tensor<4x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>) outs(%eb : tensor<4x8xbf16>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: bf16):
    %d = arith.subf %a, %b : f32
    %e = math.exp %d : f32
    %v = arith.divf %e, %c : f32
    %r = arith.truncf %v : f32 to bf16
    linalg.yield %r : bf16
  } -> tensor<4x8xbf16>
  return %y : tensor<4x8xbf16>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#kd = affine_map<(d0, d1) -> (d0, 0)>

// Dividing by the sum of a different exponential is no softmax.
// CHECK-LABEL: func.func @softmax_other_sum(
// CHECK-NOT:     nn.softmax
// CHECK:         return
func.func @softmax_other_sum(%x: tensor<4x8xf32>, %z: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %ef = tensor.empty() : tensor<4x8xf32>
  %e1 = tensor.empty() : tensor<4x1xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %m = linalg.generic {indexing_maps = [#id, #kd], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%mi : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.maximumf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<4x1xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %s = linalg.generic {indexing_maps = [#id, #kd, #kd], iterator_types = ["parallel", "reduction"]}
      ins(%z, %m : tensor<4x8xf32>, tensor<4x1xf32>) outs(%si : tensor<4x1xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %d = arith.subf %a, %b : f32
    %e = math.exp %d : f32
    %v = arith.addf %acc, %e : f32
    linalg.yield %v : f32
  } -> tensor<4x1xf32>
  %y = linalg.generic {indexing_maps = [#id, #kd, #kd, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m, %s : tensor<4x8xf32>, tensor<4x1xf32>, tensor<4x1xf32>) outs(%ef : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %d = arith.subf %a, %b : f32
    %e = math.exp %d : f32
    %v = arith.divf %e, %c : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#kd = affine_map<(d0, d1) -> (d0, 0)>

// torch-mlir's aten._log_softmax_backward_data: sum the incoming gradient
// (keepdim), exp of the forward output, times, subtracted with alpha = 1.
// CHECK-LABEL: func.func @logsoftmax_grad(
// CHECK-SAME:    %[[G:[^:]*]]: tensor<4x8xf32>, %[[Y:[^:]*]]: tensor<4x8xf32>
// CHECK-NEXT:    %[[R:.*]] = nn.logsoftmax_grad %[[G]], %[[Y]], dim = 1 : tensor<4x8xf32>
// CHECK-NEXT:    return %[[R]]
func.func @logsoftmax_grad(%g: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %ef = tensor.empty() : tensor<4x8xf32>
  %e1 = tensor.empty() : tensor<4x1xf32>
  %ex = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<4x8xf32>) outs(%ef : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.exp %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %s = linalg.generic {indexing_maps = [#id, #kd], iterator_types = ["parallel", "reduction"]}
      ins(%g : tensor<4x8xf32>) outs(%si : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.addf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<4x1xf32>
  %p = linalg.generic {indexing_maps = [#id, #kd, #id], iterator_types = ["parallel", "parallel"]}
      ins(%ex, %s : tensor<4x8xf32>, tensor<4x1xf32>) outs(%ef : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %v = arith.mulf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%g, %p : tensor<4x8xf32>, tensor<4x8xf32>) outs(%ef : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = arith.mulf %b, %one : f32
    %v = arith.subf %a, %t : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#k0 = affine_map<(d0, d1) -> (0, d1)>

// Summing another tensor than the one subtracted from is no gradient.
// CHECK-LABEL: func.func @logsoftmax_grad_other_sum(
// CHECK-NOT:     nn.logsoftmax_grad
// CHECK:         return
func.func @logsoftmax_grad_other_sum(%g: tensor<4x8xf32>, %h: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ef = tensor.empty() : tensor<4x8xf32>
  %e0 = tensor.empty() : tensor<1x8xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e0 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %s = linalg.generic {indexing_maps = [#id, #k0], iterator_types = ["reduction", "parallel"]}
      ins(%h : tensor<4x8xf32>) outs(%si : tensor<1x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.addf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<1x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #k0, #id], iterator_types = ["parallel", "parallel"]}
      ins(%g, %y, %s : tensor<4x8xf32>, tensor<4x8xf32>, tensor<1x8xf32>) outs(%ef : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %e = math.exp %b : f32
    %p = arith.mulf %c, %e : f32
    %v = arith.subf %a, %p : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#k0 = affine_map<(d0, d1) -> (0, d1)>

// The same fused into one generic, the product the other way round, dim 0.
// CHECK-LABEL: func.func @logsoftmax_grad_fused_dim0(
// CHECK-SAME:    %[[G:[^:]*]]: tensor<4x8xf32>, %[[Y:[^:]*]]: tensor<4x8xf32>
// CHECK-NEXT:    %[[R:.*]] = nn.logsoftmax_grad %[[G]], %[[Y]], dim = 0 : tensor<4x8xf32>
// CHECK-NEXT:    return %[[R]]
func.func @logsoftmax_grad_fused_dim0(%g: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ef = tensor.empty() : tensor<4x8xf32>
  %e0 = tensor.empty() : tensor<1x8xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e0 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %s = linalg.generic {indexing_maps = [#id, #k0], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<4x8xf32>) outs(%si : tensor<1x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.addf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<1x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #k0, #id], iterator_types = ["parallel", "parallel"]}
      ins(%g, %y, %s : tensor<4x8xf32>, tensor<4x8xf32>, tensor<1x8xf32>) outs(%ef : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %e = math.exp %b : f32
    %p = arith.mulf %c, %e : f32
    %v = arith.subf %a, %p : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
