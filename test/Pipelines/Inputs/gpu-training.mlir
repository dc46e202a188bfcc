// nn.softmax and nn.logsoftmax_grad for every GPU strategy: test/Pipelines/gpu-ptx-training.test.
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
