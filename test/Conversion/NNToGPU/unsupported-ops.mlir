// RUN: nn-opt %s --nn-to-gpu -split-input-file -verify-diagnostics

// The kernels index contiguous buffers.
func.func @strided(%x: memref<4x8xf32, strided<[16, 1]>>, %y: memref<4x8xf32>) {
  // expected-error @+1 {{--nn-to-gpu: the GPU kernels take identity-layout (contiguous) buffers}}
  nn.logsoftmax_into %x, dim = 1 into %y : memref<4x8xf32, strided<[16, 1]>> into memref<4x8xf32>
  return
}
