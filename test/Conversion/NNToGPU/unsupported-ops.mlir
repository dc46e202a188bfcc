// RUN: nn-opt %s --nn-to-gpu -split-input-file -verify-diagnostics

// The GPU lowering has kernels for nn.logsoftmax, nn.softmax and
// nn.logsoftmax_grad only; the cross-entropy ops get a located error instead
// of passing through.

func.func @cross_entropy(%x: tensor<4x8xf32>, %t: tensor<4xi64>) -> tensor<f32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf32> -> tensor<4x8xf32>
  // expected-error @+1 {{'nn.cross_entropy' op has no GPU lowering yet; nn.logsoftmax, nn.softmax and nn.logsoftmax_grad run on the GPU (--nn-cpu-pipeline lowers every nn op)}}
  %loss = "nn.cross_entropy"(%y, %t) : (tensor<4x8xf32>, tensor<4xi64>) -> tensor<f32>
  return %loss : tensor<f32>
}

// -----

// The kernels index contiguous buffers.
func.func @strided(%x: memref<4x8xf32, strided<[16, 1]>>, %y: memref<4x8xf32>) {
  // expected-error @+1 {{--nn-to-gpu: the GPU kernels take identity-layout (contiguous) buffers}}
  nn.logsoftmax_into %x, dim = 1 into %y : memref<4x8xf32, strided<[16, 1]>> into memref<4x8xf32>
  return
}
