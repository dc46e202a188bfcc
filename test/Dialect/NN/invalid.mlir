// RUN: nn-opt %s -split-input-file -verify-diagnostics

// One case per verifier (and ODS) error of nn.logsoftmax.

func.func @dim_too_large(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.logsoftmax' op 'dim' is 2, but it must lie in [-2, 2) for an input of rank 2}}
  %y = nn.logsoftmax %x, dim = 2 : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @dim_too_small(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.logsoftmax' op 'dim' is -3, but it must lie in [-2, 2) for an input of rank 2}}
  %y = nn.logsoftmax %x, dim = -3 : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @rank0_dim_1(%x: tensor<f32>) {
  // expected-error @+1 {{'nn.logsoftmax' op 'dim' is 1, but it must lie in [-1, 1) for an input of rank 0}}
  %y = nn.logsoftmax %x, dim = 1 : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @rank0_dim_minus_2(%x: tensor<f32>) {
  // expected-error @+1 {{'nn.logsoftmax' op 'dim' is -2, but it must lie in [-1, 1) for an input of rank 0}}
  %y = nn.logsoftmax %x, dim = -2 : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @result_rank_mismatch(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.logsoftmax' op result rank 1 differs from input rank 2}}
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf32> -> tensor<32xf32>
  return
}

// -----

func.func @static_size_mismatch(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.logsoftmax' op result dimension 1 has size 7, but input dimension 1 has size 8}}
  %y = nn.logsoftmax %x, dim = 0 : tensor<4x8xf32> -> tensor<4x7xf32>
  return
}

// -----

func.func @narrower_f32_to_f16(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.logsoftmax' op result element type 'f16' is narrower than the input element type 'f32'}}
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf32> -> tensor<4x8xf16>
  return
}

// -----

// bf16 is not wider than f16 (nor the reverse).
func.func @f16_to_bf16(%x: tensor<4x8xf16>) {
  // expected-error @+1 {{'nn.logsoftmax' op result element type 'bf16' must be the input element type 'f16' or a wider float (f32 or f64)}}
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf16> -> tensor<4x8xbf16>
  return
}

// -----

func.func @bf16_to_f16(%x: tensor<4x8xbf16>) {
  // expected-error @+1 {{'nn.logsoftmax' op result element type 'f16' must be the input element type 'bf16' or a wider float (f32 or f64)}}
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xbf16> -> tensor<4x8xf16>
  return
}

// -----

func.func @narrower_f64_to_f32(%x: tensor<4x8xf64>) {
  // expected-error @+1 {{'nn.logsoftmax' op result element type 'f32' is narrower than the input element type 'f64'}}
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf64> -> tensor<4x8xf32>
  return
}

// -----

func.func @i32_operand(%x: tensor<4x8xi32>) {
  // expected-error @+1 {{'nn.logsoftmax' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4x8xi32>'}}
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xi32> -> tensor<4x8xf32>
  return
}

// -----

func.func @i32_result(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.logsoftmax' op result #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4x8xi32>'}}
  %y = nn.logsoftmax %x, dim = 1 : tensor<4x8xf32> -> tensor<4x8xi32>
  return
}

// -----

func.func @missing_dim(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.logsoftmax' op requires attribute 'dim'}}
  %y = "nn.logsoftmax"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @dim_not_i64(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.logsoftmax' op attribute 'dim' failed to satisfy constraint: 64-bit signless integer attribute}}
  %y = "nn.logsoftmax"(%x) <{dim = 1 : i32}> : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

// Unranked tensors are rejected by the operand constraint (generic form).
func.func @unranked_generic(%x: tensor<*xf32>) {
  // expected-error @+1 {{'nn.logsoftmax' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<*xf32>'}}
  %y = "nn.logsoftmax"(%x) <{dim = 0 : i64}> : (tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

// ... and by the custom parser, which expects a ranked tensor type.
func.func @unranked_custom(%x: tensor<*xf32>) {
  // expected-error @+1 {{custom op 'nn.logsoftmax' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %y = nn.logsoftmax %x, dim = 0 : tensor<*xf32> -> tensor<*xf32>
  return
}

// -----

// nn.logsoftmax_into checks its buffers by the same rules.
func.func @into_dim(%x: memref<4x8xf32>, %y: memref<4x8xf32>) {
  // expected-error @+1 {{'nn.logsoftmax_into' op 'dim' is 2, but it must lie in [-2, 2) for an input of rank 2}}
  nn.logsoftmax_into %x, dim = 2 into %y : memref<4x8xf32> into memref<4x8xf32>
  return
}

// -----

func.func @into_shape(%x: memref<4x8xf32>, %y: memref<4x9xf32>) {
  // expected-error @+1 {{'nn.logsoftmax_into' op output dimension 1 has size 9, but input dimension 1 has size 8}}
  nn.logsoftmax_into %x, dim = 1 into %y : memref<4x8xf32> into memref<4x9xf32>
  return
}

// -----

func.func @into_rank(%x: memref<4x8xf32>, %y: memref<32xf32>) {
  // expected-error @+1 {{'nn.logsoftmax_into' op output rank 1 differs from input rank 2}}
  nn.logsoftmax_into %x, dim = 1 into %y : memref<4x8xf32> into memref<32xf32>
  return
}

// -----

func.func @into_narrower(%x: memref<8xf32>, %y: memref<8xf16>) {
  // expected-error @+1 {{'nn.logsoftmax_into' op output element type 'f16' is narrower than the input element type 'f32'}}
  nn.logsoftmax_into %x, dim = 0 into %y : memref<8xf32> into memref<8xf16>
  return
}

// -----

func.func @into_integer(%x: memref<8xi32>, %y: memref<8xf32>) {
  // expected-error @+1 {{'nn.logsoftmax_into' op operand #0 must be memref of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values}}
  nn.logsoftmax_into %x, dim = 0 into %y : memref<8xi32> into memref<8xf32>
  return
}

// -----

func.func @softmax_into_shape(%x: memref<4x8xbf16>, %y: memref<4x8xf16>) {
  // expected-error @+1 {{'nn.softmax_into' op output element type 'f16' must be the input element type 'bf16' or a wider float (f32 or f64)}}
  nn.softmax_into %x, dim = 0 into %y : memref<4x8xbf16> into memref<4x8xf16>
  return
}

// -----

func.func @grad_into_dim(%g: memref<4xf32>, %y: memref<4xf32>, %gx: memref<4xf32>) {
  // expected-error @+1 {{'nn.logsoftmax_grad_into' op 'dim' is 1, but it must lie in [-1, 1) for an input of rank 1}}
  nn.logsoftmax_grad_into %g, %y, dim = 1 into %gx : memref<4xf32>
  return
}

// -----

func.func @grad_into_types(%g: memref<4xf32>, %y: memref<4xf16>, %gx: memref<4xf32>) {
  // expected-error @+1 {{'nn.logsoftmax_grad_into' op failed to verify that all of {grad_output, output, grad_input} have same type}}
  "nn.logsoftmax_grad_into"(%g, %y, %gx) <{dim = 0 : i64}> : (memref<4xf32>, memref<4xf16>, memref<4xf32>) -> ()
  return
}

// -----

func.func @cross_entropy_into_rank(%x: memref<8x4xf32>, %t: memref<8xi64>, %l: memref<f32>) {
  // expected-error @+1 {{'nn.cross_entropy_into' op loss must have rank 1 for reduction "none"}}
  nn.cross_entropy_into %x, %t into %l {reduction = "none"} : memref<8x4xf32>, memref<8xi64> into memref<f32>
  return
}

// -----

func.func @cross_entropy_into_reduction(%x: memref<8x4xf32>, %t: memref<8xi64>, %l: memref<f32>) {
  // expected-error @+1 {{'nn.cross_entropy_into' op 'reduction' is "avg", but it must be "none", "sum" or "mean"}}
  nn.cross_entropy_into %x, %t into %l {reduction = "avg"} : memref<8x4xf32>, memref<8xi64> into memref<f32>
  return
}

// -----

func.func @cross_entropy_into_target(%x: memref<8x4xf32>, %t: memref<8x4xi64>, %l: memref<f32>) {
  // expected-error @+1 {{'nn.cross_entropy_into' op target must have one rank less than the logits (of rank 1 or more)}}
  nn.cross_entropy_into %x, %t into %l : memref<8x4xf32>, memref<8x4xi64> into memref<f32>
  return
}

// -----

func.func @cross_entropy_grad_into_loss(%g: memref<f32>, %x: memref<8x4xf32>, %t: memref<8xi64>, %gx: memref<8x4xf32>) {
  // expected-error @+1 {{'nn.cross_entropy_grad_into' op grad_loss must have rank 1 for reduction "none"}}
  nn.cross_entropy_grad_into %g, %x, %t into %gx {reduction = "none"} : memref<f32>, memref<8x4xf32>, memref<8xi64> into memref<8x4xf32>
  return
}

// -----

func.func @cross_entropy_grad_into_result(%g: memref<f32>, %x: memref<8x4xf32>, %t: memref<8xi64>, %gx: memref<8x4xf16>) {
  // expected-error @+1 {{'nn.cross_entropy_grad_into' op grad_logits 'memref<8x4xf16>' must have the logits' shape and element type ('memref<8x4xf32>')}}
  nn.cross_entropy_grad_into %g, %x, %t into %gx : memref<f32>, memref<8x4xf32>, memref<8xi64> into memref<8x4xf16>
  return
}

// -----

func.func @cross_entropy_grad_into_smoothing(%g: memref<f32>, %x: memref<8x4xf32>, %t: memref<8xi64>, %gx: memref<8x4xf32>) {
  // expected-error @+1 {{'nn.cross_entropy_grad_into' op 'label_smoothing' is 1.500000e+00, but it must lie in [0, 1]}}
  nn.cross_entropy_grad_into %g, %x, %t into %gx {label_smoothing = 1.5 : f64} : memref<f32>, memref<8x4xf32>, memref<8xi64> into memref<8x4xf32>
  return
}
