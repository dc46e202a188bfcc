// RUN: nn-opt %s --nn-to-gpu -split-input-file -verify-diagnostics

// The GPU lowering has kernels for nn.logsoftmax only; the other nn ops get
// a located error instead of passing through.

func.func @softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'nn.softmax' op has no GPU lowering yet; only nn.logsoftmax runs on the GPU (--nn-cpu-pipeline lowers every nn op)}}
  %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

func.func @cross_entropy(%x: tensor<4x8xf32>, %t: tensor<4xi64>) -> tensor<f32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf32> -> tensor<4x8xf32>
  // expected-error @+1 {{'nn.cross_entropy' op has no GPU lowering yet}}
  %loss = "nn.cross_entropy"(%y, %t) : (tensor<4x8xf32>, tensor<4xi64>) -> tensor<f32>
  return %loss : tensor<f32>
}
