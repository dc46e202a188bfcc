func.func @main(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
