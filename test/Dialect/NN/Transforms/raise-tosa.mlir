// RUN: nn-opt %s --nn-raise --split-input-file | FileCheck %s
// RUN: nn-opt %s --nn-raise --split-input-file | FileCheck %s --check-prefix=CLEAN

// The TOSA form of log-softmax becomes nn.logsoftmax; near misses stay.

// CHECK-LABEL: func.func @tosa(
// CHECK-SAME:    %[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT:    %[[Y:.*]] = nn.logsoftmax %[[X]], dim = 1 : tensor<4x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT:    return %[[Y]]
// CLEAN-LABEL: func.func @tosa(
// CLEAN-NOT:     tosa.
// CLEAN:         return
func.func @tosa(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %m = tosa.reduce_max %x {axis = 1 : i32} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d = tosa.sub %x, %m : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %e = tosa.exp %d : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %l = tosa.log %s : (tensor<4x1xf32>) -> tensor<4x1xf32>
  %y = tosa.sub %d, %l : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// The sum runs along another axis than the max: not a log-softmax.
// CHECK-LABEL: func.func @axes_differ(
// CHECK-NOT:     nn.logsoftmax
func.func @axes_differ(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %m = tosa.reduce_max %x {axis = 1 : i32} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d = tosa.sub %x, %m : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %e = tosa.exp %d : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = tosa.reduce_sum %e {axis = 0 : i32} : (tensor<4x8xf32>) -> tensor<1x8xf32>
  %l = tosa.log %s : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %y = tosa.sub %d, %l : (tensor<4x8xf32>, tensor<1x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// The exp is used elsewhere too: not raised.
// CHECK-LABEL: func.func @shared_exp(
// CHECK-NOT:     nn.logsoftmax
func.func @shared_exp(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %m = tosa.reduce_max %x {axis = 1 : i32} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d = tosa.sub %x, %m : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %e = tosa.exp %d : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %l = tosa.log %s : (tensor<4x1xf32>) -> tensor<4x1xf32>
  %y = tosa.sub %d, %l : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %y, %e : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Integers are not raised.
// CHECK-LABEL: func.func @integers(
// CHECK-NOT:     nn.logsoftmax
func.func @integers(%x: tensor<4x8xi32>) -> tensor<4x8xi32> {
  %m = tosa.reduce_max %x {axis = 1 : i32} : (tensor<4x8xi32>) -> tensor<4x1xi32>
  %d = tosa.sub %x, %m : (tensor<4x8xi32>, tensor<4x1xi32>) -> tensor<4x8xi32>
  return %d : tensor<4x8xi32>
}
