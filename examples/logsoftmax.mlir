// log-softmax along dim 1, the way torch.nn.LogSoftmax(dim=1) computes it.
// Run it:  build/bin/nn-run examples/logsoftmax.mlir --input="2x4xf32=0 1 2 3 4 5 6 7"
func.func @main(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<2x4xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
