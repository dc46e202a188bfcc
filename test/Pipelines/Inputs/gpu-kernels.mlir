// One function per GPU kernel strategy and element type.
func.func @warp_f32(%x: tensor<4096x512xf32>) -> tensor<4096x512xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<4096x512xf32> -> tensor<4096x512xf32>
  return %y : tensor<4096x512xf32>
}
func.func @block_bf16(%x: tensor<64x128256xbf16>) -> tensor<64x128256xbf16> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<64x128256xbf16> -> tensor<64x128256xbf16>
  return %y : tensor<64x128256xbf16>
}
func.func @dynamic_f16(%x: tensor<?x?xf16>) -> tensor<?x?xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<?x?xf16> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
func.func @columns_f32(%x: tensor<32x1024x128xf32>) -> tensor<32x1024x128xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<32x1024x128xf32> -> tensor<32x1024x128xf32>
  return %y : tensor<32x1024x128xf32>
}
func.func @columns_f64(%x: tensor<8x512x512xf64>) -> tensor<8x512x512xf64> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<8x512x512xf64> -> tensor<8x512x512xf64>
  return %y : tensor<8x512x512xf64>
}
