// RUN: nn-opt %s --nn-to-gpu -split-input-file -verify-diagnostics

// The GPU lowering has no kernels for nn.cross_entropy_grad, nor for
// nn.cross_entropy on logits of rank 3 or more: a located error instead of
// passing through.

func.func @cross_entropy_grad(%g: tensor<f32>, %x: tensor<4x8xf32>, %t: tensor<4xi64>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'nn.cross_entropy_grad' op has no GPU lowering yet; nn.logsoftmax, nn.softmax, nn.logsoftmax_grad and nn.cross_entropy run on the GPU (--nn-cpu-pipeline lowers every nn op)}}
  %gx = "nn.cross_entropy_grad"(%g, %x, %t) : (tensor<f32>, tensor<4x8xf32>, tensor<4xi64>) -> tensor<4x8xf32>
  return %gx : tensor<4x8xf32>
}

// -----

func.func @cross_entropy_rank3(%x: tensor<4x8x3xf32>, %t: tensor<4x3xi64>) -> tensor<f32> {
  // expected-error @+1 {{--nn-to-gpu: nn.cross_entropy on the GPU takes [N, C] or [C] logits; rank 3 is not lowered yet (--nn-cpu-pipeline lowers it)}}
  %loss = "nn.cross_entropy"(%x, %t) : (tensor<4x8x3xf32>, tensor<4x3xi64>) -> tensor<f32>
  return %loss : tensor<f32>
}

// -----

// The kernels index contiguous buffers.
func.func @strided(%x: memref<4x8xf32, strided<[16, 1]>>, %y: memref<4x8xf32>) {
  // expected-error @+1 {{--nn-to-gpu: the GPU kernels take identity-layout (contiguous) buffers}}
  nn.logsoftmax_into %x, dim = 1 into %y : memref<4x8xf32, strided<[16, 1]>> into memref<4x8xf32>
  return
}
