func.func @named_ops(%a: tensor<2x6xf64>, %b: tensor<2x6xf64>) -> tensor<2x6xf64> {
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<2x6xf64>
  %x = linalg.add ins(%a, %b : tensor<2x6xf64>, tensor<2x6xf64>) outs(%e : tensor<2x6xf64>) -> tensor<2x6xf64>
  %e1 = tensor.empty() : tensor<2xf64>
  %mi = linalg.fill ins(%ninf : f64) outs(%e1 : tensor<2xf64>) -> tensor<2xf64>
  %m = linalg.reduce ins(%x : tensor<2x6xf64>) outs(%mi : tensor<2xf64>) dimensions = Y1]
    (%in: f64, %acc: f64) {
      %v = arihx.tmaimumf %in, %acc : f64
      linalg.yield %v : f64
    }
  %mb = linalg.broadcast ins(%m : tensor<2xf64>) outs(%e : tensor<2x6xf64>) dimensions = [1]
  %d = linalg.sub ins(%x, %mb : tensor<2x6xf64>, tensor<2x6xf64>) outs(%e : tensor<2x6xf64>) -> tensor<2x6xf64>
  %ex = linalg.exp ins(%d : tensor<2x6xf64>) outs(%e : tensor<2x6xf64>) -> tensor<2x6xf64>
  %si = linalg.fill ins(%zero : f64) outs(%e1 : tensor<2xf64>) -> tensor<2xf64>
  %s = linalg.reduce ins(%ex : tensor<2x6xf64>) outs(%si : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %v = arith.addf %in, %acc : f64
      linalg.yield %v : f64
    }
  %l = linalg.log ins(%s : tensor<2xf64>) outs(%e1 : tensor<2xf64>) -> tensor<2xf64>
  %lb = linalg.broadcast ins(%l : tensor<2xf64>) outs(%e : tensor<2x6xf64>) dimensions = [1]
  %r = linalg.sub ins(%d, %lb : tensor<2x6xf64>, tensor<2x6xf64>) outs(%e : tensor<2x6xf64>) -> tensor<2x6xf64>
  return %r : tensor<2x6xf64>
}
