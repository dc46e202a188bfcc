//===- NNOps.h - nn dialect operations --------------------------*- C++ -*-===//
///
/// \file
/// Declares the op classes of the nn dialect, generated from NNOps.td
/// (`nn.logsoftmax` as `mlir::nn::LogSoftmaxOp`, and `nn.softmax`,
/// `nn.logsoftmax_grad`, `nn.cross_entropy`, `nn.cross_entropy_grad`, and
/// `nn.logsoftmax_into` and `nn.softmax_into` on buffers), with the interfaces they implement:
/// shape reification, AggregatedOpInterface (decomposition into linalg) and,
/// through external models that the dialect attaches, TilingInterface and
/// BufferizableOpInterface.
///
//===----------------------------------------------------------------------===//

#ifndef NN_DIALECT_NN_IR_NNOPS_H
#define NN_DIALECT_NN_IR_NNOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "nn/Dialect/NN/IR/NNDialect.h"

namespace mlir::nn {
#include "nn/Dialect/NN/IR/NNTypeConstraints.h.inc"

/// The `reduction` of nn.cross_entropy and nn.cross_entropy_grad.
enum class LossReduction { None, Sum, Mean };
/// "none", "sum" or "mean" as a LossReduction; std::nullopt otherwise.
std::optional<LossReduction> parseLossReduction(llvm::StringRef name);
} // namespace mlir::nn

#define GET_OP_CLASSES
#include "nn/Dialect/NN/IR/NNOps.h.inc"

namespace mlir::nn {
/// Attaches TilingInterface to nn.logsoftmax, nn.softmax and
/// nn.logsoftmax_grad (every dimension but `dim` tiles). NNDialect does it
/// when it loads.
void attachSliceOpTilingModels(MLIRContext *context);
/// Attaches BufferizableOpInterface to nn.logsoftmax and nn.softmax:
/// one-shot-bufferize allocates the result and writes it with
/// nn.logsoftmax_into or nn.softmax_into. NNDialect does it when it loads.
void attachBufferizationModels(MLIRContext *context);
} // namespace mlir::nn

#endif // NN_DIALECT_NN_IR_NNOPS_H
