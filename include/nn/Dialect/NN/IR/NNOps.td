//===- NNOps.td - nn dialect operations --------------------*- tablegen -*-===//

#ifndef NN_DIALECT_NN_IR_NNOPS_TD
#define NN_DIALECT_NN_IR_NNOPS_TD

include "nn/Dialect/NN/IR/NNDialect.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Dialect/Linalg/IR/LinalgInterfaces.td"
include "mlir/Interfaces/TilingInterface.td"

// The types nn.logsoftmax takes, the one source of that rule: C++ code asks
// through the functions generated from these constraints,
// nn::isSupportedElementType and nn::isSupportedTensorType
// (NNTypeConstraints.h.inc, included by NNOps.h).
def NN_FloatElement : AnyTypeOf<[F16, BF16, F32, F64]> {
  let cppFunctionName = "isSupportedElementType";
}
def NN_FloatTensor : RankedTensorOf<[NN_FloatElement]> {
  let cppFunctionName = "isSupportedTensorType";
}

def NN_LogSoftmaxOp : NN_Op<"logsoftmax", [
    Pure,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                              ["reifyResultShapes"]>,
    DeclareOpInterfaceMethods<AggregatedOpInterface, ["decomposeOperation"]>,
    DeclareOpInterfaceMethods<TilingInterface,
        ["getLoopIteratorTypes", "getIterationDomain", "getTiledImplementation",
         "getResultTilePosition", "generateResultTileValue"]>]> {
  let summary = "Log of the softmax along one dimension (torch.nn.LogSoftmax)";
  let description = [{
    Computes, for every slice `r` of `input` along `dim`,

        y = (x - max(r)) - log(sum(exp(r - max(r))))

    exactly like `torch.nn.LogSoftmax(dim)`. `dim` lies in `[-rank, rank)`; a
    negative value counts from the end (a rank-0 input accepts 0 and -1, and
    its result is `x - x`). The result has the input's shape; its element type
    is the input's or a wider float (PyTorch's `dtype=`), in which case the
    input is converted first and all arithmetic happens in the result type.
    f16 and bf16 accumulate in f32 and round once.

    NaN or +inf anywhere in a slice makes the whole slice NaN; a slice of all
    -inf is all NaN; -inf elsewhere stays -inf.

    Example:

    ```mlir
    %y = nn.logsoftmax %x, dim = 1 : tensor<4x?xf32> -> tensor<4x?xf32>
    // Generic form:
    %y = "nn.logsoftmax"(%x) <{dim = 1 : i64}>
        : (tensor<4x?xf32>) -> tensor<4x?xf32>
    ```
  }];

  let arguments = (ins NN_FloatTensor:$input, I64Attr:$dim);
  let results = (outs NN_FloatTensor:$output);

  let assemblyFormat = [{
    $input `,` `dim` `=` $dim attr-dict `:` type($input) `->` type($output)
  }];

  let builders = [
    // Result type defaults to the input type.
    OpBuilder<(ins "::mlir::Value":$input, "int64_t":$dim)>,
    // Result element type `resultElementType` (PyTorch's `dtype=`), input shape.
    OpBuilder<(ins "::mlir::Value":$input, "int64_t":$dim,
                   "::mlir::Type":$resultElementType)>
  ];

  let extraClassDeclaration = [{
    /// The dimension along which the reduction runs, in [0, max(rank, 1)).
    int64_t getNormalizedDim();
    ::mlir::RankedTensorType getInputType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getInput().getType());
    }
    ::mlir::RankedTensorType getOutputType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getOutput().getType());
    }
    /// The type the arithmetic happens in: f32 for f16 and bf16 results
    /// (which accumulate in f32 and round once at the end), else the result
    /// element type itself.
    ::mlir::FloatType getComputeType() {
      return getComputeType(getOutputType().getElementType());
    }
    static ::mlir::FloatType getComputeType(::mlir::Type resultElementType);
    /// Whether a log-softmax of `input` elements may produce `result`
    /// elements: the same type, or a wider f32 or f64 (PyTorch's `dtype=`).
    /// f16 and bf16 do not hold each other.
    static bool isAllowedResultElementType(::mlir::Type input,
                                           ::mlir::Type result);
  }];

  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
}

#endif // NN_DIALECT_NN_IR_NNOPS_TD
