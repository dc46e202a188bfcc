//===- NNDialect.h - The nn dialect -----------------------------*- C++ -*-===//
///
/// \file
/// Declares `mlir::nn::NNDialect`, generated from NNDialect.td: the dialect
/// of neural-network operators on ranked tensors with PyTorch semantics.
/// Loading it also loads the tensor, linalg, arith and math dialects, whose
/// ops its ops create when they are reified or decomposed.
///
//===----------------------------------------------------------------------===//

#ifndef NN_DIALECT_NN_IR_NNDIALECT_H
#define NN_DIALECT_NN_IR_NNDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "nn/Dialect/NN/IR/NNOpsDialect.h.inc"

#endif // NN_DIALECT_NN_IR_NNDIALECT_H
