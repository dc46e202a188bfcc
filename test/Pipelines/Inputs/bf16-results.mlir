// bf16 inputs to each result type, rows and another dim.
func.func @to_bf16(%x: tensor<8x129xbf16>) -> tensor<8x129xbf16> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<8x129xbf16> -> tensor<8x129xbf16>
  return %y : tensor<8x129xbf16>
}
func.func @to_f32(%x: tensor<8x129xbf16>) -> tensor<8x129xf32> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<8x129xbf16> -> tensor<8x129xf32>
  return %y : tensor<8x129xf32>
}
func.func @to_f64(%x: tensor<8x129xbf16>) -> tensor<8x129xf64> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<8x129xbf16> -> tensor<8x129xf64>
  return %y : tensor<8x129xf64>
}
func.func @to_f64_dim0(%x: tensor<8x129xbf16>) -> tensor<8x129xf64> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<8x129xbf16> -> tensor<8x129xf64>
  return %y : tensor<8x129xf64>
}
// Short static rows (one with fewer elements than a vector) take other kernels.
func.func @short_rows(%a: tensor<1xbf16>, %b: tensor<16xbf16>, %c: tensor<17xbf16>) -> (tensor<1xf64>, tensor<16xf64>, tensor<17xf64>) {
  %ra = nn.logsoftmax %a, dim = 0 : tensor<1xbf16> -> tensor<1xf64>
  %rb = nn.logsoftmax %b, dim = 0 : tensor<16xbf16> -> tensor<16xf64>
  %rc = nn.logsoftmax %c, dim = 0 : tensor<17xbf16> -> tensor<17xf64>
  return %ra, %rb, %rc : tensor<1xf64>, tensor<16xf64>, tensor<17xf64>
}
