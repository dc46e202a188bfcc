// RUN: nn-opt %s -split-input-file -verify-diagnostics

// One case per verifier (and ODS) error of nn.softmax, nn.logsoftmax_grad,
// nn.cross_entropy and nn.cross_entropy_grad.

func.func @softmax_dim(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.softmax' op 'dim' is 2, but it must lie in [-2, 2) for an input of rank 2}}
  %y = "nn.softmax"(%x) <{dim = 2 : i64}> : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @softmax_narrower(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.softmax' op result element type 'f16' is narrower than the input element type 'f32'}}
  %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<4x8xf32>) -> tensor<4x8xf16>
  return
}

// -----

func.func @softmax_shape(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.softmax' op result dimension 0 has size 5, but input dimension 0 has size 4}}
  %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<4x8xf32>) -> tensor<5x8xf32>
  return
}

// -----

func.func @softmax_int(%x: tensor<4x8xi32>) {
  // expected-error @+1 {{'nn.softmax' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values}}
  %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<4x8xi32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @logsoftmax_grad_dim(%g: tensor<4x8xf32>, %y: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.logsoftmax_grad' op 'dim' is -3, but it must lie in [-2, 2) for an input of rank 2}}
  %gx = "nn.logsoftmax_grad"(%g, %y) <{dim = -3 : i64}> : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @logsoftmax_grad_types(%g: tensor<4x8xf32>, %y: tensor<4x8xf16>) {
  // expected-error @+1 {{'nn.logsoftmax_grad' op failed to verify that all of {grad_output, output, grad_input} have same type}}
  %gx = "nn.logsoftmax_grad"(%g, %y) <{dim = 1 : i64}> : (tensor<4x8xf32>, tensor<4x8xf16>) -> tensor<4x8xf32>
  return
}

// -----

func.func @cross_entropy_reduction(%l: tensor<4x8xf32>, %t: tensor<4xi64>) {
  // expected-error @+1 {{'nn.cross_entropy' op 'reduction' is "average", but it must be "none", "sum" or "mean"}}
  %loss = "nn.cross_entropy"(%l, %t) <{ignore_index = -100 : i64, reduction = "average", label_smoothing = 0.0 : f64}> : (tensor<4x8xf32>, tensor<4xi64>) -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_smoothing(%l: tensor<4x8xf32>, %t: tensor<4xi64>) {
  // expected-error @+1 {{'nn.cross_entropy' op 'label_smoothing' is 1.500000e+00, but it must lie in [0, 1]}}
  %loss = "nn.cross_entropy"(%l, %t) <{ignore_index = -100 : i64, reduction = "mean", label_smoothing = 1.5 : f64}> : (tensor<4x8xf32>, tensor<4xi64>) -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_rank0_logits(%l: tensor<f32>, %t: tensor<i64>) {
  // expected-error @+1 {{'nn.cross_entropy' op logits must have rank 1 or more (the classes along dim 1, or dim 0 for rank 1)}}
  %loss = "nn.cross_entropy"(%l, %t) : (tensor<f32>, tensor<i64>) -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_target_rank(%l: tensor<4x8xf32>, %t: tensor<4x8xi64>) {
  // expected-error @+1 {{'nn.cross_entropy' op target has rank 2, but it must have rank 1}}
  %loss = "nn.cross_entropy"(%l, %t) : (tensor<4x8xf32>, tensor<4x8xi64>) -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_target_size(%l: tensor<4x8x5xf32>, %t: tensor<4x6xi64>) {
  // expected-error @+1 {{'nn.cross_entropy' op target dimension 1 has size 6, but logits dimension 2 has size 5}}
  %loss = "nn.cross_entropy"(%l, %t) : (tensor<4x8x5xf32>, tensor<4x6xi64>) -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_target_type(%l: tensor<4x8xf32>, %t: tensor<4xi16>) {
  // expected-error @+1 {{'nn.cross_entropy' op operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %loss = "nn.cross_entropy"(%l, %t) : (tensor<4x8xf32>, tensor<4xi16>) -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_result_type(%l: tensor<4x8xf16>, %t: tensor<4xi64>) {
  // expected-error @+1 {{'nn.cross_entropy' op result element type 'f32' must be the logits' 'f16'}}
  %loss = "nn.cross_entropy"(%l, %t) : (tensor<4x8xf16>, tensor<4xi64>) -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_mean_rank(%l: tensor<4x8xf32>, %t: tensor<4xi64>) {
  // expected-error @+1 {{'nn.cross_entropy' op result must have rank 0 for reduction "mean", but has rank 1}}
  %loss = "nn.cross_entropy"(%l, %t) : (tensor<4x8xf32>, tensor<4xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @cross_entropy_none_shape(%l: tensor<4x8xf32>, %t: tensor<4xi64>) {
  // expected-error @+1 {{'nn.cross_entropy' op result (reduction "none") dimension 0 has size 3, but target dimension 0 has size 4}}
  %loss = "nn.cross_entropy"(%l, %t) <{reduction = "none"}> : (tensor<4x8xf32>, tensor<4xi64>) -> tensor<3xf32>
  return
}

// -----

func.func @cross_entropy_grad_result(%g: tensor<f32>, %l: tensor<4x8xf32>, %t: tensor<4xi64>) {
  // expected-error @+1 {{'nn.cross_entropy_grad' op result type 'tensor<4x8xf64>' must be the logits' type 'tensor<4x8xf32>'}}
  %grad = "nn.cross_entropy_grad"(%g, %l, %t) : (tensor<f32>, tensor<4x8xf32>, tensor<4xi64>) -> tensor<4x8xf64>
  return
}

// -----

func.func @cross_entropy_grad_loss_rank(%g: tensor<4xf32>, %l: tensor<4x8xf32>, %t: tensor<4xi64>) {
  // expected-error @+1 {{'nn.cross_entropy_grad' op grad_loss must have rank 0 for reduction "sum", but has rank 1}}
  %grad = "nn.cross_entropy_grad"(%g, %l, %t) <{reduction = "sum"}> : (tensor<4xf32>, tensor<4x8xf32>, tensor<4xi64>) -> tensor<4x8xf32>
  return
}

// -----

func.func @cross_entropy_grad_loss_none(%g: tensor<f32>, %l: tensor<4x8xf32>, %t: tensor<4xi64>) {
  // expected-error @+1 {{'nn.cross_entropy_grad' op grad_loss (reduction "none") has rank 0, but it must have rank 1}}
  %grad = "nn.cross_entropy_grad"(%g, %l, %t) <{reduction = "none"}> : (tensor<f32>, tensor<4x8xf32>, tensor<4xi64>) -> tensor<4x8xf32>
  return
}

// -----

func.func @cross_entropy_grad_loss_type(%g: tensor<bf16>, %l: tensor<4x8xf32>, %t: tensor<4xi64>) {
  // expected-error @+1 {{'nn.cross_entropy_grad' op grad_loss element type 'bf16' must be the logits' 'f32'}}
  %grad = "nn.cross_entropy_grad"(%g, %l, %t) : (tensor<bf16>, tensor<4x8xf32>, tensor<4xi64>) -> tensor<4x8xf32>
  return
}
