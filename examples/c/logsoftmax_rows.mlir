// A log-softmax along the last dimension of a matrix of any size, compiled
// ahead of time by nn-compile and called from C (see main.c).
func.func @logsoftmax_rows(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
