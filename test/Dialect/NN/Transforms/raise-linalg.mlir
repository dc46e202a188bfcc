// RUN: nn-opt %s --nn-raise --split-input-file | FileCheck %s
// The same graphs after linalg's own elementwise fusion still raise.
// RUN: nn-opt %s --linalg-fuse-elementwise-ops --nn-raise --split-input-file \
// RUN:   | FileCheck %s
// And so do they with every named op (fills included) made generic.
// RUN: nn-opt %s --linalg-generalize-named-ops --nn-raise --split-input-file \
// RUN:   | FileCheck %s

// Log-softmax decomposed into linalg ops, as a torch-mlir style front-end
// emits aten._log_softmax, becomes nn.logsoftmax; near misses stay.

// The torch-mlir form: keepdim reductions with (d0, 0) maps, six generics,
// the subtrahend scaled by alpha = 1.
// CHECK-LABEL: func.func @torch_style(
// CHECK-SAME:    %[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT:    %[[Y:.*]] = nn.logsoftmax %[[X]], dim = 1 : tensor<4x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT:    return %[[Y]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#kd = affine_map<(d0, d1) -> (d0, 0)>
func.func @torch_style(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %e1 = tensor.empty() : tensor<4x1xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %m = linalg.generic {indexing_maps = [#id, #kd], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%mi : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.maximumf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<4x1xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %d = linalg.generic {indexing_maps = [#id, #kd, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m : tensor<4x8xf32>, tensor<4x1xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %b, %one : f32
    %v = arith.subf %a, %s : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %ex = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%d : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.exp %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %s = linalg.generic {indexing_maps = [#id, #kd], iterator_types = ["parallel", "reduction"]}
      ins(%ex : tensor<4x8xf32>) outs(%si : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.addf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<4x1xf32>
  %l = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<4x1xf32>) outs(%e1 : tensor<4x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.log %a : f32
    linalg.yield %v : f32
  } -> tensor<4x1xf32>
  %r = linalg.generic {indexing_maps = [#id, #kd, #id], iterator_types = ["parallel", "parallel"]}
      ins(%d, %l : tensor<4x8xf32>, tensor<4x1xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s2 = arith.mulf %b, %one : f32
    %v = arith.subf %a, %s2 : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// The max subtraction folded into the exp-sum and into the last step,
// reduced values dropped (no unit dim), along dim 0 of a dynamic f16 tensor,
// summed in f32 and written as x - (max + log(sum)).
// CHECK-LABEL: func.func @folded_dim0(
// CHECK-SAME:    %[[X:.*]]: tensor<?x3x5xf16>)
// CHECK-NEXT:    %[[Y:.*]] = nn.logsoftmax %[[X]], dim = 0 : tensor<?x3x5xf16> -> tensor<?x3x5xf16>
// CHECK-NEXT:    return %[[Y]]
#in3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#red0 = affine_map<(d0, d1, d2) -> (d1, d2)>
func.func @folded_dim0(%x: tensor<?x3x5xf16>) -> tensor<?x3x5xf16> {
  %ninf = arith.constant 0xFC00 : f16
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3x5xf16>
  %e2 = tensor.empty() : tensor<3x5xf16>
  %mi = linalg.fill ins(%ninf : f16) outs(%e2 : tensor<3x5xf16>) -> tensor<3x5xf16>
  %m = linalg.generic {indexing_maps = [#in3, #red0], iterator_types = ["reduction", "parallel", "parallel"]}
      ins(%x : tensor<?x3x5xf16>) outs(%mi : tensor<3x5xf16>) {
  ^bb0(%a: f16, %acc: f16):
    %gt = arith.cmpf ogt, %a, %acc : f16
    %v = arith.select %gt, %a, %acc : f16
    linalg.yield %v : f16
  } -> tensor<3x5xf16>
  %e2f = tensor.empty() : tensor<3x5xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e2f : tensor<3x5xf32>) -> tensor<3x5xf32>
  %s = linalg.generic {indexing_maps = [#in3, #red0, #red0], iterator_types = ["reduction", "parallel", "parallel"]}
      ins(%x, %m : tensor<?x3x5xf16>, tensor<3x5xf16>) outs(%si : tensor<3x5xf32>) {
  ^bb0(%a: f16, %b: f16, %acc: f32):
    %d = arith.subf %a, %b : f16
    %w = arith.extf %d : f16 to f32
    %v = math.exp %w : f32
    %t = arith.addf %acc, %v : f32
    linalg.yield %t : f32
  } -> tensor<3x5xf32>
  %e = tensor.empty(%n) : tensor<?x3x5xf16>
  %r = linalg.generic {indexing_maps = [#in3, #red0, #red0, #in3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %m, %s : tensor<?x3x5xf16>, tensor<3x5xf16>, tensor<3x5xf32>) outs(%e : tensor<?x3x5xf16>) {
  ^bb0(%a: f16, %b: f16, %c: f32, %o: f16):
    %l = math.log %c : f32
    %bw = arith.extf %b : f16 to f32
    %ml = arith.addf %bw, %l : f32
    %aw = arith.extf %a : f16 to f32
    %v = arith.subf %aw, %ml : f32
    %vn = arith.truncf %v : f32 to f16
    linalg.yield %vn : f16
  } -> tensor<?x3x5xf16>
  return %r : tensor<?x3x5xf16>
}

// -----

// Named ops: linalg.reduce, linalg.broadcast and elementwise named ops, on x
// that is itself computed by linalg (a bias add), which stays.
// CHECK-LABEL: func.func @named_ops(
// CHECK-SAME:    %[[A:[^:]*]]: tensor<2x6xf64>, %[[B:.*]]: tensor<2x6xf64>)
// CHECK:         %[[X:.*]] = linalg.{{add|generic}}{{.*}} ins(%[[A]], %[[B]]
// CHECK:         %[[Y:.*]] = nn.logsoftmax %[[X]], dim = 1 : tensor<2x6xf64> -> tensor<2x6xf64>
// CHECK-NEXT:    return %[[Y]]
func.func @named_ops(%a: tensor<2x6xf64>, %b: tensor<2x6xf64>) -> tensor<2x6xf64> {
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<2x6xf64>
  %x = linalg.add ins(%a, %b : tensor<2x6xf64>, tensor<2x6xf64>) outs(%e : tensor<2x6xf64>) -> tensor<2x6xf64>
  %e1 = tensor.empty() : tensor<2xf64>
  %mi = linalg.fill ins(%ninf : f64) outs(%e1 : tensor<2xf64>) -> tensor<2xf64>
  %m = linalg.reduce ins(%x : tensor<2x6xf64>) outs(%mi : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %v = arith.maximumf %in, %acc : f64
      linalg.yield %v : f64
    }
  %mb = linalg.broadcast ins(%m : tensor<2xf64>) outs(%e : tensor<2x6xf64>) dimensions = [1]
  %d = linalg.sub ins(%x, %mb : tensor<2x6xf64>, tensor<2x6xf64>) outs(%e : tensor<2x6xf64>) -> tensor<2x6xf64>
  %ex = linalg.exp ins(%d : tensor<2x6xf64>) outs(%e : tensor<2x6xf64>) -> tensor<2x6xf64>
  %si = linalg.fill ins(%zero : f64) outs(%e1 : tensor<2xf64>) -> tensor<2xf64>
  %s = linalg.reduce ins(%ex : tensor<2x6xf64>) outs(%si : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %v = arith.addf %in, %acc : f64
      linalg.yield %v : f64
    }
  %l = linalg.log ins(%s : tensor<2xf64>) outs(%e1 : tensor<2xf64>) -> tensor<2xf64>
  %lb = linalg.broadcast ins(%l : tensor<2xf64>) outs(%e : tensor<2x6xf64>) dimensions = [1]
  %r = linalg.sub ins(%d, %lb : tensor<2x6xf64>, tensor<2x6xf64>) outs(%e : tensor<2x6xf64>) -> tensor<2x6xf64>
  return %r : tensor<2x6xf64>
}

// -----

// aten.max.dim's two-result generic (values and indices), the values kept
// as a unit dim by tensor.expand_shape; a wider f32 result of bf16 input.
// CHECK-LABEL: func.func @max_dim_expand(
// CHECK-SAME:    %[[X:.*]]: tensor<3x4xbf16>)
// CHECK-NEXT:    %[[Y:.*]] = nn.logsoftmax %[[X]], dim = 1 : tensor<3x4xbf16> -> tensor<3x4xf32>
// CHECK-NEXT:    return %[[Y]]
#x2 = affine_map<(d0, d1) -> (d0, d1)>
#r2 = affine_map<(d0, d1) -> (d0)>
#k2 = affine_map<(d0, d1) -> (d0, 0)>
func.func @max_dim_expand(%x: tensor<3x4xbf16>) -> tensor<3x4xf32> {
  %ninf = arith.constant 0xFF80 : bf16
  %zero = arith.constant 0.0 : f32
  %i0 = arith.constant 0 : i64
  %ev = tensor.empty() : tensor<3xbf16>
  %ei = tensor.empty() : tensor<3xi64>
  %mv = linalg.fill ins(%ninf : bf16) outs(%ev : tensor<3xbf16>) -> tensor<3xbf16>
  %mx = linalg.fill ins(%i0 : i64) outs(%ei : tensor<3xi64>) -> tensor<3xi64>
  %m:2 = linalg.generic {indexing_maps = [#x2, #r2, #r2], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<3x4xbf16>) outs(%mv, %mx : tensor<3xbf16>, tensor<3xi64>) {
  ^bb0(%a: bf16, %acc: bf16, %idx: i64):
    %j = linalg.index 1 : index
    %j64 = arith.index_cast %j : index to i64
    %v = arith.maximumf %a, %acc : bf16
    %gt = arith.cmpf ogt, %a, %acc : bf16
    %k = arith.select %gt, %j64, %idx : i64
    linalg.yield %v, %k : bf16, i64
  } -> (tensor<3xbf16>, tensor<3xi64>)
  %mk = tensor.expand_shape %m#0 [[0, 1]] output_shape [3, 1] : tensor<3xbf16> into tensor<3x1xbf16>
  %e1 = tensor.empty() : tensor<3x1xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<3x1xf32>) -> tensor<3x1xf32>
  %s = linalg.generic {indexing_maps = [#x2, #k2, #k2], iterator_types = ["parallel", "reduction"]}
      ins(%x, %mk : tensor<3x4xbf16>, tensor<3x1xbf16>) outs(%si : tensor<3x1xf32>) {
  ^bb0(%a: bf16, %b: bf16, %acc: f32):
    %aw = arith.extf %a : bf16 to f32
    %bw = arith.extf %b : bf16 to f32
    %d = arith.subf %aw, %bw : f32
    %v = math.exp %d : f32
    %t = arith.addf %v, %acc : f32
    linalg.yield %t : f32
  } -> tensor<3x1xf32>
  %e = tensor.empty() : tensor<3x4xf32>
  %r = linalg.generic {indexing_maps = [#x2, #k2, #k2, #x2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %mk, %s : tensor<3x4xbf16>, tensor<3x1xbf16>, tensor<3x1xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%a: bf16, %b: bf16, %c: f32, %o: f32):
    %aw = arith.extf %a : bf16 to f32
    %bw = arith.extf %b : bf16 to f32
    %d = arith.subf %aw, %bw : f32
    %l = math.log %c : f32
    %v = arith.subf %d, %l : f32
    linalg.yield %v : f32
  } -> tensor<3x4xf32>
  return %r : tensor<3x4xf32>
}

// -----

// Near miss: the max is taken along dim 1, the sum along dim 0.
// CHECK-LABEL: func.func @different_dims(
// CHECK-NOT:     nn.logsoftmax
// CHECK:         return
#d = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @different_dims(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %m = linalg.generic {indexing_maps = [#d, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x4xf32>) outs(%mi : tensor<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.maximumf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<4xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#d, #row, #col], iterator_types = ["reduction", "parallel"]}
      ins(%x, %m : tensor<4x4xf32>, tensor<4xf32>) outs(%si : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %dd = arith.subf %a, %b : f32
    %v = math.exp %dd : f32
    %t = arith.addf %v, %acc : f32
    linalg.yield %t : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x4xf32>
  %r = linalg.generic {indexing_maps = [#d, #row, #row, #d], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m, %s : tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %dd = arith.subf %a, %b : f32
    %l = math.log %c : f32
    %v = arith.subf %dd, %l : f32
    linalg.yield %v : f32
  } -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// Near miss: no max subtraction, x - log(sum(exp(x))), which overflows for
// large x where log-softmax does not.
// CHECK-LABEL: func.func @no_max(
// CHECK-NOT:     nn.logsoftmax
// CHECK:         return
#d = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @no_max(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#d, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%si : tensor<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = math.exp %a : f32
    %t = arith.addf %v, %acc : f32
    linalg.yield %t : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#d, #row, #d], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<4x8xf32>, tensor<4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %l = math.log %c : f32
    %v = arith.subf %a, %l : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// Near miss: the max is subtracted inside the sum but not from the result,
// x - log(sum(exp(x - max))), which is off by max.
// CHECK-LABEL: func.func @max_missing_in_result(
// CHECK-NOT:     nn.logsoftmax
// CHECK:         return
#d = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @max_missing_in_result(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %m = linalg.generic {indexing_maps = [#d, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%mi : tensor<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.maximumf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<4xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#d, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x, %m : tensor<4x8xf32>, tensor<4xf32>) outs(%si : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %dd = arith.subf %a, %b : f32
    %v = math.exp %dd : f32
    %t = arith.addf %v, %acc : f32
    linalg.yield %t : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#d, #row, #d], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<4x8xf32>, tensor<4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %l = math.log %c : f32
    %v = arith.subf %a, %l : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// Near miss: the max reduction starts from 0, not -inf, so rows of negative
// values get the wrong max.
// CHECK-LABEL: func.func @max_from_zero(
// CHECK-NOT:     nn.logsoftmax
// CHECK:         return
#d = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @max_from_zero(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %mi = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %m = linalg.generic {indexing_maps = [#d, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%mi : tensor<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.maximumf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<4xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#d, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x, %m : tensor<4x8xf32>, tensor<4xf32>) outs(%si : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %dd = arith.subf %a, %b : f32
    %v = math.exp %dd : f32
    %t = arith.addf %v, %acc : f32
    linalg.yield %t : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#d, #row, #row, #d], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m, %s : tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %dd = arith.subf %a, %b : f32
    %l = math.log %c : f32
    %v = arith.subf %dd, %l : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// Near miss: the sum is also returned, so the steps must stay.
// CHECK-LABEL: func.func @sum_has_other_user(
// CHECK-NOT:     nn.logsoftmax
// CHECK:         return
#d = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @sum_has_other_user(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %m = linalg.generic {indexing_maps = [#d, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%mi : tensor<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = arith.maximumf %a, %acc : f32
    linalg.yield %v : f32
  } -> tensor<4xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#d, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x, %m : tensor<4x8xf32>, tensor<4xf32>) outs(%si : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %dd = arith.subf %a, %b : f32
    %v = math.exp %dd : f32
    %t = arith.addf %v, %acc : f32
    linalg.yield %t : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#d, #row, #row, #d], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m, %s : tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %dd = arith.subf %a, %b : f32
    %l = math.log %c : f32
    %v = arith.subf %dd, %l : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %r, %s : tensor<4x8xf32>, tensor<4xf32>
}

// -----

// Near miss: integers. The same steps on i32 (max, subtract, then a float
// exp-sum of the converted difference) are not a float log-softmax.
// CHECK-LABEL: func.func @integer(
// CHECK-NOT:     nn.logsoftmax
// CHECK:         return
#d = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @integer(%x: tensor<4x8xi32>) -> tensor<4x8xf32> {
  %min = arith.constant -2147483648 : i32
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4xi32>
  %mi = linalg.fill ins(%min : i32) outs(%e1 : tensor<4xi32>) -> tensor<4xi32>
  %m = linalg.generic {indexing_maps = [#d, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xi32>) outs(%mi : tensor<4xi32>) {
  ^bb0(%a: i32, %acc: i32):
    %v = arith.maxsi %a, %acc : i32
    linalg.yield %v : i32
  } -> tensor<4xi32>
  %ef = tensor.empty() : tensor<4xf32>
  %si = linalg.fill ins(%zero : f32) outs(%ef : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#d, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x, %m : tensor<4x8xi32>, tensor<4xi32>) outs(%si : tensor<4xf32>) {
  ^bb0(%a: i32, %b: i32, %acc: f32):
    %dd = arith.subi %a, %b : i32
    %df = arith.sitofp %dd : i32 to f32
    %v = math.exp %df : f32
    %t = arith.addf %v, %acc : f32
    linalg.yield %t : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#d, #row, #row, #d], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m, %s : tensor<4x8xi32>, tensor<4xi32>, tensor<4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: i32, %b: i32, %c: f32, %o: f32):
    %dd = arith.subi %a, %b : i32
    %df = arith.sitofp %dd : i32 to f32
    %l = math.log %c : f32
    %v = arith.subf %df, %l : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
