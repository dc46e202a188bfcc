// nn.softmax, nn.logsoftmax_grad, nn.cross_entropy and nn.cross_entropy_grad for every GPU strategy: test/Pipelines/gpu-ptx-training.test.
func.func @sm_warp(%x: tensor<4096x512xf32>) -> tensor<4096x512xf32> {
  %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<4096x512xf32>) -> tensor<4096x512xf32>
  return %y : tensor<4096x512xf32>
}
func.func @sm_split(%x: tensor<64x128256xbf16>) -> tensor<64x128256xbf16> {
  %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<64x128256xbf16>) -> tensor<64x128256xbf16>
  return %y : tensor<64x128256xbf16>
}
func.func @sm_dyn(%x: tensor<?x?xf16>) -> tensor<?x?xf32> {
  %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<?x?xf16>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
func.func @sm_cols(%x: tensor<32x1024x128xf32>) -> tensor<32x1024x128xf32> {
  %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<32x1024x128xf32>) -> tensor<32x1024x128xf32>
  return %y : tensor<32x1024x128xf32>
}
func.func @sm_f64(%x: tensor<?x?xf64>) -> tensor<?x?xf64> {
  %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<?x?xf64>) -> tensor<?x?xf64>
  return %y : tensor<?x?xf64>
}
func.func @grad_rows(%g: tensor<4096x512xf32>, %y: tensor<4096x512xf32>) -> tensor<4096x512xf32> {
  %gx = "nn.logsoftmax_grad"(%g, %y) <{dim = 1 : i64}> : (tensor<4096x512xf32>, tensor<4096x512xf32>) -> tensor<4096x512xf32>
  return %gx : tensor<4096x512xf32>
}
func.func @grad_dyn(%g: tensor<?x?xbf16>, %y: tensor<?x?xbf16>) -> tensor<?x?xbf16> {
  %gx = "nn.logsoftmax_grad"(%g, %y) <{dim = 1 : i64}> : (tensor<?x?xbf16>, tensor<?x?xbf16>) -> tensor<?x?xbf16>
  return %gx : tensor<?x?xbf16>
}
func.func @grad_cols(%g: tensor<32x1024x128xf32>, %y: tensor<32x1024x128xf32>) -> tensor<32x1024x128xf32> {
  %gx = "nn.logsoftmax_grad"(%g, %y) <{dim = 1 : i64}> : (tensor<32x1024x128xf32>, tensor<32x1024x128xf32>) -> tensor<32x1024x128xf32>
  return %gx : tensor<32x1024x128xf32>
}
func.func @grad_f64(%g: tensor<?x?xf64>, %y: tensor<?x?xf64>) -> tensor<?x?xf64> {
  %gx = "nn.logsoftmax_grad"(%g, %y) <{dim = 1 : i64}> : (tensor<?x?xf64>, tensor<?x?xf64>) -> tensor<?x?xf64>
  return %gx : tensor<?x?xf64>
}
func.func @ce_rows(%x: tensor<4096x1000xf32>, %t: tensor<4096xi64>) -> tensor<f32> {
  %l = "nn.cross_entropy"(%x, %t) <{label_smoothing = 0.1 : f64}> : (tensor<4096x1000xf32>, tensor<4096xi64>) -> tensor<f32>
  return %l : tensor<f32>
}
func.func @ce_dyn(%x: tensor<?x?xbf16>, %t: tensor<?xi32>) -> tensor<?xbf16> {
  %l = "nn.cross_entropy"(%x, %t) <{reduction = "none"}> : (tensor<?x?xbf16>, tensor<?xi32>) -> tensor<?xbf16>
  return %l : tensor<?xbf16>
}
func.func @ce_f64(%x: tensor<?x?xf64>, %t: tensor<?xi64>) -> tensor<f64> {
  %l = "nn.cross_entropy"(%x, %t) <{reduction = "sum", label_smoothing = 0.2 : f64}> : (tensor<?x?xf64>, tensor<?xi64>) -> tensor<f64>
  return %l : tensor<f64>
}
func.func @ceg_rows(%g: tensor<f32>, %x: tensor<4096x1000xf32>, %t: tensor<4096xi64>) -> tensor<4096x1000xf32> {
  %gx = "nn.cross_entropy_grad"(%g, %x, %t) <{label_smoothing = 0.1 : f64}> : (tensor<f32>, tensor<4096x1000xf32>, tensor<4096xi64>) -> tensor<4096x1000xf32>
  return %gx : tensor<4096x1000xf32>
}
func.func @ceg_vocab(%g: tensor<bf16>, %x: tensor<8192x32000xbf16>, %t: tensor<8192xi64>) -> tensor<8192x32000xbf16> {
  %gx = "nn.cross_entropy_grad"(%g, %x, %t) : (tensor<bf16>, tensor<8192x32000xbf16>, tensor<8192xi64>) -> tensor<8192x32000xbf16>
  return %gx : tensor<8192x32000xbf16>
}
func.func @ceg_split(%g: tensor<64xbf16>, %x: tensor<64x128256xbf16>, %t: tensor<64xi32>) -> tensor<64x128256xbf16> {
  %gx = "nn.cross_entropy_grad"(%g, %x, %t) <{reduction = "none"}> : (tensor<64xbf16>, tensor<64x128256xbf16>, tensor<64xi32>) -> tensor<64x128256xbf16>
  return %gx : tensor<64x128256xbf16>
}
func.func @ceg_f64(%g: tensor<f64>, %x: tensor<?x?xf64>, %t: tensor<?xi64>) -> tensor<?x?xf64> {
  %gx = "nn.cross_entropy_grad"(%g, %x, %t) <{reduction = "sum", label_smoothing = 0.2 : f64}> : (tensor<f64>, tensor<?x?xf64>, tensor<?xi64>) -> tensor<?x?xf64>
  return %gx : tensor<?x?xf64>
}
func.func @ce_cols(%x: tensor<8x1000x256xbf16>, %t: tensor<8x256xi64>) -> tensor<bf16> {
  %l = "nn.cross_entropy"(%x, %t) <{label_smoothing = 0.1 : f64}> : (tensor<8x1000x256xbf16>, tensor<8x256xi64>) -> tensor<bf16>
  return %l : tensor<bf16>
}
func.func @ceg_cols(%g: tensor<?x?xf64>, %x: tensor<?x?x?xf64>, %t: tensor<?x?xi32>) -> tensor<?x?x?xf64> {
  %gx = "nn.cross_entropy_grad"(%g, %x, %t) <{reduction = "none", label_smoothing = 0.1 : f64}> : (tensor<?x?xf64>, tensor<?x?x?xf64>, tensor<?x?xi32>) -> tensor<?x?x?xf64>
  return %gx : tensor<?x?x?xf64>
}
