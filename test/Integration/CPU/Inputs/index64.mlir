func.func @last(%x: tensor<?x1024xf16>) -> tensor<?x1024xf16> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<?x1024xf16> -> tensor<?x1024xf16>
  return %y : tensor<?x1024xf16>
}
func.func @first(%x: tensor<?x1024xf16>) -> tensor<?x1024xf16> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<?x1024xf16> -> tensor<?x1024xf16>
  return %y : tensor<?x1024xf16>
}
