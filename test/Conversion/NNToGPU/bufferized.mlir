// --nn-to-gpu bufferizes with upstream's passes and then lowers the
// bufferized functions: results are out-parameters the kernels write
// directly, intermediates are device temporaries, and functions given
// already bufferized (nn.logsoftmax_into on memrefs) are lowered as they
// are. The module's other functions keep their signatures.
// RUN: nn-opt %s -split-input-file --nn-to-gpu | FileCheck %s

// The result is hoisted into the out-parameter: no temporary, no copy.
// CHECK-LABEL: func.func @direct(
// CHECK-SAME:    %[[X:[^:]*]]: memref<4x8xf32>, %[[Y:[^:]*]]: memref<4x8xf32>)
// CHECK-SAME:    attributes {llvm.emit_c_interface}
// CHECK-NOT:     gpu.alloc
// CHECK-DAG:     memref.collapse_shape %[[X]]
// CHECK-DAG:     memref.collapse_shape %[[Y]]
// CHECK:         gpu.launch {{.*}} function(@direct_0_warp_per_row_v4)
// CHECK-NOT:     gpu.memcpy
// CHECK-NOT:     gpu.alloc
// CHECK:         return
// CHECK-LABEL: func.func @host_helper(
// CHECK-SAME:    %{{.*}}: memref<4xf32>) -> memref<4xf32> {
// CHECK-LABEL: func.func @tensor_helper(
// CHECK-SAME:    %{{.*}}: tensor<4xf32>) -> tensor<4xf32> {
func.func @direct(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
func.func @host_helper(%x: memref<4xf32>) -> memref<4xf32> {
  return %x : memref<4xf32>
}
func.func @tensor_helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// Dynamic shapes: the temporary takes the input's sizes; an argument
// returned as a result is copied device to device into its out-parameter.
// CHECK-LABEL: func.func @dynamic(
// CHECK-SAME:    %[[X:[^:]*]]: memref<?x?xf16>, %[[Y:[^:]*]]: memref<?x?xf16>, %[[XOUT:[^:]*]]: memref<?x?xf16>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[D0:.*]] = memref.dim %[[X]], %[[C0]]
// CHECK-DAG:     %[[D1:.*]] = memref.dim %[[X]], %[[C1]]
// CHECK:         %[[T:.*]] = gpu.alloc  (%[[D0]], %[[D1]]) : memref<?x?xf16>
// CHECK:         function(@dynamic_0_columns_v4)
// CHECK:         function(@dynamic_1_warp_per_row_v8)
// CHECK:         gpu.memcpy  %[[XOUT]], %[[X]]
// CHECK:         gpu.dealloc  %[[T]]
func.func @dynamic(%x: tensor<?x?xf16>) -> (tensor<?x?xf16>, tensor<?x?xf16>) {
  %a = nn.logsoftmax %x, dim = 0 : tensor<?x?xf16> -> tensor<?x?xf16>
  %b = nn.logsoftmax %a, dim = 1 : tensor<?x?xf16> -> tensor<?x?xf16>
  return %b, %x : tensor<?x?xf16>, tensor<?x?xf16>
}

// -----

// Already bufferized: the buffers become device buffers.
// CHECK-LABEL: func.func @given_bufferized(
// CHECK-SAME:    %[[X:[^:]*]]: memref<64xf64>, %[[Y:[^:]*]]: memref<64xf64>)
// CHECK-SAME:    attributes {llvm.emit_c_interface}
// CHECK:         %[[T:.*]] = gpu.alloc  () : memref<64xf64>
// CHECK:         function(@given_bufferized_0_warp_per_row_v2)
// CHECK:         gpu.memcpy  %[[Y]], %[[T]]
// CHECK:         gpu.dealloc  %[[T]]
// CHECK-NOT:     memref.
func.func @given_bufferized(%x: memref<64xf64>, %y: memref<64xf64>) {
  %t = memref.alloc() : memref<64xf64>
  nn.logsoftmax_into %x, dim = 0 into %t : memref<64xf64> into memref<64xf64>
  memref.copy %t, %y : memref<64xf64> to memref<64xf64>
  memref.dealloc %t : memref<64xf64>
  return
}
