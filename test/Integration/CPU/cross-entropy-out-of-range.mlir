// Compiled code's documented behaviour for a class index that is neither
// ignore_index nor in [0, C): that sample's loss is NaN (and with it a "sum"
// or "mean"), its gradient row is NaN, and the other samples are unaffected.
// nn-run refuses such targets when they are arguments (nn-run-errors.test), so
// here they are constants of the module. With all-zero logits and C = 5, a
// valid sample's loss is log(5) = 1.6094379 and its softmax is 0.2 everywhere.
//
// RUN: nn-run %s --function=none --input="3x5xf32=0 0 0 0 0 0 0 0 0 0 0 0 0 0 0" | FileCheck %s --check-prefix=NONE
// NONE: // result #0: tensor<3xf32>
// NONE-NEXT: [1.609437{{[0-9]*}}, nan, 0]
//
// RUN: nn-run %s --function=mean --input="3x5xf32=0 0 0 0 0 0 0 0 0 0 0 0 0 0 0" | FileCheck %s --check-prefix=MEAN
// MEAN: // result #0: tensor<f32>
// MEAN-NEXT: nan
//
// RUN: nn-run %s --function=grad --input="3x5xf32=0 0 0 0 0 0 0 0 0 0 0 0 0 0 0" | FileCheck %s --check-prefix=GRAD
// GRAD: // result #0: tensor<3x5xf32>
// GRAD-NEXT: {{\[\[}}-0.8000000{{[0-9]*}}, 0.2000000{{[0-9]*}}, 0.2000000{{[0-9]*}}, 0.2000000{{[0-9]*}}, 0.2000000{{[0-9]*}}],
// GRAD-NEXT: [nan, nan, nan, nan, nan],
// GRAD-NEXT: [0, 0, 0, 0, 0]]

func.func @none(%logits: tensor<3x5xf32>) -> tensor<3xf32> {
  %target = arith.constant dense<[0, 7, -100]> : tensor<3xi64>
  %loss = "nn.cross_entropy"(%logits, %target) <{ignore_index = -100 : i64, reduction = "none", label_smoothing = 0.0 : f64}> : (tensor<3x5xf32>, tensor<3xi64>) -> tensor<3xf32>
  return %loss : tensor<3xf32>
}

func.func @mean(%logits: tensor<3x5xf32>) -> tensor<f32> {
  %target = arith.constant dense<[0, -1, -100]> : tensor<3xi64>
  %loss = "nn.cross_entropy"(%logits, %target) <{ignore_index = -100 : i64, reduction = "mean", label_smoothing = 0.0 : f64}> : (tensor<3x5xf32>, tensor<3xi64>) -> tensor<f32>
  return %loss : tensor<f32>
}

func.func @grad(%logits: tensor<3x5xf32>) -> tensor<3x5xf32> {
  %g = arith.constant dense<1.0> : tensor<f32>
  %target = arith.constant dense<[0, 5, -100]> : tensor<3xi64>
  %grad = "nn.cross_entropy_grad"(%g, %logits, %target) <{ignore_index = -100 : i64, reduction = "sum", label_smoothing = 0.0 : f64}> : (tensor<f32>, tensor<3x5xf32>, tensor<3xi64>) -> tensor<3x5xf32>
  return %grad : tensor<3x5xf32>
}
