// RUN: nn-opt %s --nn-raise --split-input-file | FileCheck %s

// Precision changes and unit reshapes around a decomposed log-softmax, as
// torch-mlir emits them for 16-bit models and a batch of 1
// (test/Integration/Torch has the imported models).

#id = affine_map<(d0, d1) -> (d0, d1)>
#kd = affine_map<(d0, d1) -> (d0, 0)>

// The input rounded to bf16 and widened again before an f32 log-softmax: x
// is the rounded tensor, not the f32 one (taking the f32 one dropped the
// rounding and changed the results).
// CHECK-LABEL: func.func @rounded_input(
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK:           arith.truncf
// CHECK:         %[[Y:.*]] = nn.logsoftmax %[[R]], dim = 1 : tensor<4x8xbf16> -> tensor<4x8xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @rounded_input(%z: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %eb = tensor.empty() : tensor<4x8xbf16>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z : tensor<4x8xf32>) outs(%eb : tensor<4x8xbf16>) {
  ^bb0(%a: f32, %o: bf16):
    %t = arith.truncf %a : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<4x8xbf16>
  %ef = tensor.empty() : tensor<4x8xf32>
  %x = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<4x8xbf16>) outs(%ef : tensor<4x8xf32>) {
  ^bb0(%a: bf16, %o: f32):
    %t = arith.extf %a : bf16 to f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
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
      ins(%x, %m : tensor<4x8xf32>, tensor<4x1xf32>) outs(%si : tensor<4x1xf32>) {
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
    %l = math.log %c : f32
    %v = arith.subf %d, %l : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#kd = affine_map<(d0, d1) -> (d0, 0)>

// A near miss: the max reads the rounded input, the rest the f32 one. That
// is no log-softmax of either, and stays.
// CHECK-LABEL: func.func @rounded_max_only(
// CHECK-NOT:     nn.logsoftmax
// CHECK:         return
func.func @rounded_max_only(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %ef = tensor.empty() : tensor<4x8xf32>
  %e1 = tensor.empty() : tensor<4x1xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %m = linalg.generic {indexing_maps = [#id, #kd], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%mi : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.truncf %a : f32 to bf16
    %w = arith.extf %t : bf16 to f32
    %v = arith.maximumf %w, %acc : f32
    linalg.yield %v : f32
  } -> tensor<4x1xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %s = linalg.generic {indexing_maps = [#id, #kd, #kd], iterator_types = ["parallel", "reduction"]}
      ins(%x, %m : tensor<4x8xf32>, tensor<4x1xf32>) outs(%si : tensor<4x1xf32>) {
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
    %l = math.log %c : f32
    %v = arith.subf %d, %l : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#kd = affine_map<(d0, d1) -> (d0, 0)>
#k0 = affine_map<(d0, d1) -> (0, d1)>

// One widening of a bf16 input shared by two log-softmaxes (dims 1 and 0),
// each rounded back: both are raised, and the widening stays for whoever
// else reads it.
// CHECK-LABEL: func.func @shared_extf(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x8xbf16>
// CHECK-DAG:     %[[Y1:.*]] = nn.logsoftmax %[[X]], dim = 1 : tensor<4x8xbf16> -> tensor<4x8xbf16>
// CHECK-DAG:     %[[Y0:.*]] = nn.logsoftmax %[[X]], dim = 0 : tensor<4x8xbf16> -> tensor<4x8xbf16>
// CHECK:         return %[[Y1]], %[[Y0]]
func.func @shared_extf(%xb: tensor<4x8xbf16>) -> (tensor<4x8xbf16>, tensor<4x8xbf16>) {
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
  // Along dim 1.
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
      ins(%x, %m : tensor<4x8xf32>, tensor<4x1xf32>) outs(%si : tensor<4x1xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %d = arith.subf %a, %b : f32
    %e = math.exp %d : f32
    %v = arith.addf %acc, %e : f32
    linalg.yield %v : f32
  } -> tensor<4x1xf32>
  %y1 = linalg.generic {indexing_maps = [#id, #kd, #kd, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m, %s : tensor<4x8xf32>, tensor<4x1xf32>, tensor<4x1xf32>) outs(%eb : tensor<4x8xbf16>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: bf16):
    %d = arith.subf %a, %b : f32
    %l = math.log %c : f32
    %v = arith.subf %d, %l : f32
    %r = arith.truncf %v : f32 to bf16
    linalg.yield %r : bf16
  } -> tensor<4x8xbf16>
  // Along dim 0.
  %e0 = tensor.empty() : tensor<1x8xf32>
  %ni = linalg.fill ins(%ninf : f32) outs(%e0 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %n = linalg.generic {indexing_maps = [#id, #k0], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%ni : tensor<1x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.maximumf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<1x8xf32>
  %ti = linalg.fill ins(%zero : f32) outs(%e0 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %tt = linalg.generic {indexing_maps = [#id, #k0, #k0], iterator_types = ["reduction", "parallel"]}
      ins(%x, %n : tensor<4x8xf32>, tensor<1x8xf32>) outs(%ti : tensor<1x8xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %d = arith.subf %a, %b : f32
    %e = math.exp %d : f32
    %v = arith.addf %acc, %e : f32
    linalg.yield %v : f32
  } -> tensor<1x8xf32>
  %y0 = linalg.generic {indexing_maps = [#id, #k0, #k0, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %n, %tt : tensor<4x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>) outs(%eb : tensor<4x8xbf16>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: bf16):
    %d = arith.subf %a, %b : f32
    %l = math.log %c : f32
    %v = arith.subf %d, %l : f32
    %r = arith.truncf %v : f32 to bf16
    linalg.yield %r : bf16
  } -> tensor<4x8xbf16>
  return %y1, %y0 : tensor<4x8xbf16>, tensor<4x8xbf16>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#r = affine_map<(d0, d1) -> (d0)>
#kd = affine_map<(d0, d1) -> (d0, 0)>

// Batch 1: the reduced tensor<1xf32> is reshaped to tensor<1x1xf32>, a
// group of two unit dims.
// CHECK-LABEL: func.func @batch_one(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<1x8xf32>
// CHECK-NEXT:    %[[Y:.*]] = nn.logsoftmax %[[X]], dim = 1 : tensor<1x8xf32> -> tensor<1x8xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @batch_one(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %ef = tensor.empty() : tensor<1x8xf32>
  %e1 = tensor.empty() : tensor<1xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<1xf32>) -> tensor<1xf32>
  %m0 = linalg.generic {indexing_maps = [#id, #r], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<1x8xf32>) outs(%mi : tensor<1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.maximumf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<1xf32>
  %m = tensor.expand_shape %m0 [[0, 1]] output_shape [1, 1] : tensor<1xf32> into tensor<1x1xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1xf32>) -> tensor<1xf32>
  %s0 = linalg.generic {indexing_maps = [#id, #kd, #r], iterator_types = ["parallel", "reduction"]}
      ins(%x, %m : tensor<1x8xf32>, tensor<1x1xf32>) outs(%si : tensor<1xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %d = arith.subf %a, %b : f32
    %e = math.exp %d : f32
    %v = arith.addf %acc, %e : f32
    linalg.yield %v : f32
  } -> tensor<1xf32>
  %s = tensor.expand_shape %s0 [[0, 1]] output_shape [1, 1] : tensor<1xf32> into tensor<1x1xf32>
  %y = linalg.generic {indexing_maps = [#id, #kd, #kd, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m, %s : tensor<1x8xf32>, tensor<1x1xf32>, tensor<1x1xf32>) outs(%ef : tensor<1x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %d = arith.subf %a, %b : f32
    %l = math.log %c : f32
    %v = arith.subf %d, %l : f32
    linalg.yield %v : f32
  } -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}
