// RUN: nn-opt %s --nn-forall-to-openmp -verify-diagnostics

// Loops on tensors must be bufferized first.
func.func @tensors(%t: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{'scf.forall' op must be bufferized before nn-forall-to-openmp}}
  %r = scf.forall (%i) in (4) shared_outs(%o = %t) -> (tensor<4xf32>) {
    scf.forall.in_parallel {}
  }
  return %r : tensor<4xf32>
}
