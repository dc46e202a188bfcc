func.func @positive_dims(%x: tensor<2x3x4xf32>, %s: tensor<f32>)
    -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<f32>) {
  %0 = nn.logsoftmax %x, dim = 0 : tensor<2x3x4xf32>-> tensor<2x3x4xf32>
  %1 = nn.logsoftmax %x, dim = 1 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %2 = nn.logsoftmax %x, dim = 2 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %3 = nn.logsoftmax %s, dim = 0 : tensor<f32> -> tensor<f32>
  return %1, %1, %2, %3 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<f32>
}
