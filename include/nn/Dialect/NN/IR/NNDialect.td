//===- NNDialect.td - The nn dialect -----------------------*- tablegen -*-===//

#ifndef NN_DIALECT_NN_IR_NNDIALECT_TD
#define NN_DIALECT_NN_IR_NNDIALECT_TD

include "mlir/IR/OpBase.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let summary = "Neural-network operators with exact PyTorch semantics";
  let description = [{
    The `nn` dialect holds neural-network operators on ranked tensors whose
    semantics follow PyTorch exactly (see `docs/` for the contract). Its ops
    lower to `linalg` on tensors with `--nn-to-linalg`.
  }];
  let cppNamespace = "::mlir::nn";
  // reifyResultShapes creates tensor.dim ops.
  let dependentDialects = [
    "::mlir::tensor::TensorDialect",
    // decomposeOperation creates linalg, arith and math ops, and scf.if
    // (nn.cross_entropy reads the target's logit only when it exists).
    "::mlir::linalg::LinalgDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
  ];
}

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, traits>;

#endif // NN_DIALECT_NN_IR_NNDIALECT_TD
