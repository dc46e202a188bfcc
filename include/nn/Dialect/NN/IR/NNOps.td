//===- NNOps.td - nn dialect operations --------------------*- tablegen -*-===//

#ifndef NN_DIALECT_NN_IR_NNOPS_TD
#define NN_DIALECT_NN_IR_NNOPS_TD

include "nn/Dialect/NN/IR/NNDialect.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Dialect/Linalg/IR/LinalgInterfaces.td"

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
// Class indices of nn.cross_entropy (PyTorch takes int64; int32 is accepted).
def NN_TargetTensor : RankedTensorOf<[I32, I64]>;

def NN_LogSoftmaxOp : NN_Op<"logsoftmax", [
    Pure,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                              ["reifyResultShapes"]>,
    DeclareOpInterfaceMethods<AggregatedOpInterface, ["decomposeOperation"]>]> {
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

// The buffers nn.logsoftmax_into reads and writes: identity or strided
// layouts of the same element types.
def NN_FloatMemRef : MemRefOf<[NN_FloatElement]>;

// nn.logsoftmax and nn.softmax on buffers: `input` read, the result along
// `dim` written into `output`, with the rules of the op on tensors.
class NN_SoftmaxLikeIntoOp<string mnemonic> : NN_Op<mnemonic> {
  let arguments = (ins Arg<NN_FloatMemRef, "the values", [MemRead]>:$input,
                       Arg<NN_FloatMemRef, "the result", [MemWrite]>:$output,
                       I64Attr:$dim);

  let assemblyFormat = [{
    $input `,` `dim` `=` $dim `into` $output attr-dict `:` type($input)
    `into` type($output)
  }];

  let extraClassDeclaration = [{
    /// The dimension along which the reduction runs, in [0, max(rank, 1)).
    int64_t getNormalizedDim();
    ::mlir::MemRefType getInputType() {
      return ::llvm::cast<::mlir::MemRefType>(getInput().getType());
    }
    ::mlir::MemRefType getOutputType() {
      return ::llvm::cast<::mlir::MemRefType>(getOutput().getType());
    }
  }];

  let hasVerifier = 1;
}

def NN_LogSoftmaxIntoOp : NN_SoftmaxLikeIntoOp<"logsoftmax_into"> {
  let summary = "nn.logsoftmax on buffers: the log-softmax of one written "
                "into another";
  let description = [{
    The bufferized form of `nn.logsoftmax`: reads `input`, writes the
    log-softmax along `dim` into `output`, with the same rules for `dim`,
    shapes and element types. `one-shot-bufferize` turns an `nn.logsoftmax`
    into a new allocation and this op (the dialect attaches
    `BufferizableOpInterface` to `nn.logsoftmax`). The GPU lowering
    (`--nn-to-gpu`) launches its kernels from this form; the CPU pipeline
    lowers `nn.logsoftmax` before bufferizing and never meets it.

    Example:

    ```mlir
    nn.logsoftmax_into %x, dim = 1 into %y : memref<4x?xf32> into memref<4x?xf32>
    ```
  }];
}

def NN_SoftmaxIntoOp : NN_SoftmaxLikeIntoOp<"softmax_into"> {
  let summary = "nn.softmax on buffers: the softmax of one written into "
                "another";
  let description = [{
    The bufferized form of `nn.softmax`, as `nn.logsoftmax_into` is of
    `nn.logsoftmax`.

    Example:

    ```mlir
    nn.softmax_into %x, dim = 0 into %y : memref<8xf16> into memref<8xf32>
    ```
  }];
}

def NN_SoftmaxOp : NN_Op<"softmax", [
    Pure,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                              ["reifyResultShapes"]>,
    DeclareOpInterfaceMethods<AggregatedOpInterface, ["decomposeOperation"]>]> {
  let summary = "Softmax along one dimension (torch.softmax)";
  let description = [{
    Computes, for every slice `r` of `input` along `dim`,

        y = exp(x - max(r)) / sum(exp(r - max(r)))

    like `torch.softmax(x, dim)`, with the `dim` and element type rules of
    `nn.logsoftmax`: the result is the input's type or a wider float, f16 and
    bf16 accumulate in f32 and round once. NaN or +inf anywhere in a slice,
    or a slice of all -inf, makes the whole slice NaN; -inf elsewhere gives 0.

    ```mlir
    %y = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<4x?xf32>) -> tensor<4x?xf32>
    ```
  }];

  let arguments = (ins NN_FloatTensor:$input, I64Attr:$dim);
  let results = (outs NN_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` `dim` `=` $dim attr-dict `:` type($input) `->` type($output)
  }];
  let extraClassDeclaration = [{
    /// The dimension along which the reduction runs, in [0, max(rank, 1)).
    int64_t getNormalizedDim();
    ::mlir::RankedTensorType getInputType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getInput().getType());
    }
    ::mlir::RankedTensorType getOutputType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getOutput().getType());
    }
  }];
  let hasVerifier = 1;
}

def NN_LogSoftmaxGradIntoOp : NN_Op<"logsoftmax_grad_into", [
    AllTypesMatch<["grad_output", "output", "grad_input"]>]> {
  let summary = "nn.logsoftmax_grad on buffers";
  let description = [{
    The bufferized form of `nn.logsoftmax_grad`: reads `grad_output` and
    `output`, writes `grad_output - exp(output) * sum(grad_output, dim)` into
    `grad_input`. `one-shot-bufferize` produces it; `--nn-to-gpu` lowers it.

    ```mlir
    nn.logsoftmax_grad_into %gy, %y, dim = 1 into %gx : memref<4x?xf32>
    ```
  }];

  let arguments = (ins Arg<NN_FloatMemRef, "", [MemRead]>:$grad_output,
                       Arg<NN_FloatMemRef, "", [MemRead]>:$output,
                       Arg<NN_FloatMemRef, "", [MemWrite]>:$grad_input,
                       I64Attr:$dim);
  let assemblyFormat = [{
    $grad_output `,` $output `,` `dim` `=` $dim `into` $grad_input attr-dict
    `:` type($grad_input)
  }];
  let extraClassDeclaration = [{
    /// The dimension along which the reduction runs, in [0, max(rank, 1)).
    int64_t getNormalizedDim();
    ::mlir::MemRefType getType() {
      return ::llvm::cast<::mlir::MemRefType>(getGradInput().getType());
    }
  }];
  let hasVerifier = 1;
}

def NN_LogSoftmaxGradOp : NN_Op<"logsoftmax_grad", [
    Pure, AllTypesMatch<["grad_output", "output", "grad_input"]>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                              ["reifyResultShapes"]>,
    DeclareOpInterfaceMethods<AggregatedOpInterface, ["decomposeOperation"]>]> {
  let summary = "Gradient of nn.logsoftmax (aten._log_softmax_backward_data)";
  let description = [{
    Given the gradient `grad_output` of a loss with respect to the result
    `output` of a log-softmax along `dim`, computes the gradient with respect
    to its input:

        grad_input = grad_output - exp(output) * sum(grad_output, dim)

    All three have one type. f16 and bf16 accumulate in f32 and round once.

    ```mlir
    %gx = "nn.logsoftmax_grad"(%gy, %y) <{dim = 1 : i64}>
        : (tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
    ```
  }];

  let arguments = (ins NN_FloatTensor:$grad_output, NN_FloatTensor:$output,
                       I64Attr:$dim);
  let results = (outs NN_FloatTensor:$grad_input);
  let assemblyFormat = [{
    $grad_output `,` $output `,` `dim` `=` $dim attr-dict `:` type($output)
  }];
  let extraClassDeclaration = [{
    /// The dimension along which the sum runs, in [0, max(rank, 1)).
    int64_t getNormalizedDim();
    ::mlir::RankedTensorType getType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getOutput().getType());
    }
  }];
  let hasVerifier = 1;
}

// The attributes and rules nn.cross_entropy and nn.cross_entropy_grad share.
class NN_CrossEntropyBase<string mnemonic, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits, [Pure,
        DeclareOpInterfaceMethods<AggregatedOpInterface,
                                  ["decomposeOperation"]>])> {
  dag crossEntropyAttributes = (ins
      DefaultValuedAttr<I64Attr, "-100">:$ignore_index,
      DefaultValuedAttr<StrAttr, "\"mean\"">:$reduction,
      DefaultValuedAttr<F64Attr, "0.0">:$label_smoothing);
  code crossEntropyDeclarations = [{
    ::mlir::RankedTensorType getLogitsType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getLogits().getType());
    }
    ::mlir::RankedTensorType getTargetType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getTarget().getType());
    }
    /// The dimension of the classes in the logits: 1, or 0 for rank 1.
    int64_t getClassDim() { return getLogitsType().getRank() == 1 ? 0 : 1; }
    /// The `reduction` attribute as an enum (the verifier checks it).
    ::mlir::nn::LossReduction getReductionKind() {
      return *::mlir::nn::parseLossReduction(getReduction());
    }
  }];
}

def NN_CrossEntropyOp : NN_CrossEntropyBase<"cross_entropy"> {
  let summary = "Cross-entropy loss of logits and class indices "
                "(torch.nn.functional.cross_entropy)";
  let description = [{
    Equals `torch.nn.functional.cross_entropy(logits, target, ignore_index=,
    reduction=, label_smoothing=)` with class-index targets. `logits` are
    `[C]`, `[N, C]` or `[N, C, d1, ...]`, classes along dim 1 (dim 0 for rank
    1); `target` holds i64 or i32 class indices of the logits' shape without
    the class dimension. Per sample, with `lp = log_softmax(logits)` along the
    classes and `e = label_smoothing`,

        loss = (1 - e) * -lp[target] + e / C * sum(-lp)

    and 0 where `target == ignore_index`. `reduction` is `"none"` (the result
    has the target's shape), `"sum"` or `"mean"` (a rank-0 result; the mean
    divides by the number of samples not ignored, so an all-ignored batch
    gives NaN). The result element type is the logits'; f16 and bf16
    accumulate in f32. A target that is neither `ignore_index` nor in
    `[0, C)` makes its sample's loss NaN (and with it a sum or mean).

    ```mlir
    %loss = "nn.cross_entropy"(%logits, %target)
        <{ignore_index = -100 : i64, reduction = "mean", label_smoothing = 0.0 : f64}>
        : (tensor<8x1000xf32>, tensor<8xi64>) -> tensor<f32>
    ```
  }];

  let arguments = !con((ins NN_FloatTensor:$logits, NN_TargetTensor:$target),
                       crossEntropyAttributes);
  let results = (outs NN_FloatTensor:$loss);
  let assemblyFormat = [{
    $logits `,` $target attr-dict `:` type($logits) `,` type($target) `->`
    type($loss)
  }];
  let extraClassDeclaration = crossEntropyDeclarations;
  let hasVerifier = 1;
}

def NN_CrossEntropyIntoOp : NN_Op<"cross_entropy_into"> {
  let summary = "nn.cross_entropy on buffers";
  let description = [{
    The bufferized form of `nn.cross_entropy`, with its attributes: reads
    `logits` and `target`, writes the loss into `loss` (rank 0, or the
    target's shape for "none"). `one-shot-bufferize` produces it;
    `--nn-to-gpu` lowers it.

    ```mlir
    nn.cross_entropy_into %logits, %target into %loss {reduction = "sum"}
        : memref<8x?xf32>, memref<8xi64> into memref<f32>
    ```
  }];

  let arguments = (ins Arg<NN_FloatMemRef, "", [MemRead]>:$logits,
                       Arg<MemRefOf<[I32, I64]>, "", [MemRead]>:$target,
                       Arg<NN_FloatMemRef, "", [MemWrite]>:$loss,
                       DefaultValuedAttr<I64Attr, "-100">:$ignore_index,
                       DefaultValuedAttr<StrAttr, "\"mean\"">:$reduction,
                       DefaultValuedAttr<F64Attr, "0.0">:$label_smoothing);
  let assemblyFormat = [{
    $logits `,` $target `into` $loss attr-dict `:` type($logits) `,`
    type($target) `into` type($loss)
  }];
  let extraClassDeclaration = [{
    ::mlir::MemRefType getLogitsType() {
      return ::llvm::cast<::mlir::MemRefType>(getLogits().getType());
    }
    /// The `reduction` attribute as an enum (the verifier checks it).
    ::mlir::nn::LossReduction getReductionKind() {
      return *::mlir::nn::parseLossReduction(getReduction());
    }
  }];
  let hasVerifier = 1;
}

def NN_CrossEntropyGradIntoOp : NN_Op<"cross_entropy_grad_into"> {
  let summary = "nn.cross_entropy_grad on buffers";
  let description = [{
    The bufferized form of `nn.cross_entropy_grad`, with its attributes:
    reads `grad_loss`, `logits` and `target`, writes the gradient into
    `grad_logits` (the logits' shape and element type). `one-shot-bufferize`
    produces it; `--nn-to-gpu` lowers it.

    ```mlir
    nn.cross_entropy_grad_into %g, %logits, %target into %grad
        {reduction = "sum"}
        : memref<f32>, memref<8x?xf32>, memref<8xi64> into memref<8x?xf32>
    ```
  }];

  let arguments = (ins Arg<NN_FloatMemRef, "", [MemRead]>:$grad_loss,
                       Arg<NN_FloatMemRef, "", [MemRead]>:$logits,
                       Arg<MemRefOf<[I32, I64]>, "", [MemRead]>:$target,
                       Arg<NN_FloatMemRef, "", [MemWrite]>:$grad_logits,
                       DefaultValuedAttr<I64Attr, "-100">:$ignore_index,
                       DefaultValuedAttr<StrAttr, "\"mean\"">:$reduction,
                       DefaultValuedAttr<F64Attr, "0.0">:$label_smoothing);
  let assemblyFormat = [{
    $grad_loss `,` $logits `,` $target `into` $grad_logits attr-dict `:`
    type($grad_loss) `,` type($logits) `,` type($target) `into`
    type($grad_logits)
  }];
  let extraClassDeclaration = [{
    ::mlir::MemRefType getLogitsType() {
      return ::llvm::cast<::mlir::MemRefType>(getLogits().getType());
    }
    /// The `reduction` attribute as an enum (the verifier checks it).
    ::mlir::nn::LossReduction getReductionKind() {
      return *::mlir::nn::parseLossReduction(getReduction());
    }
  }];
  let hasVerifier = 1;
}

def NN_CrossEntropyGradOp : NN_CrossEntropyBase<"cross_entropy_grad"> {
  let summary = "Gradient of nn.cross_entropy with respect to the logits";
  let description = [{
    The gradient of `nn.cross_entropy` (same attributes) with respect to
    `logits`, times `grad_loss`: per sample,

        grad_logits = g * (softmax(logits) - ((1 - e) * onehot(target) + e / C))

    where `g` is `grad_loss` (a rank-0 tensor) for `"sum"`, `grad_loss`
    divided by the number of samples not ignored for `"mean"`, and the
    sample's element of `grad_loss` (target-shaped) for `"none"`. Ignored
    samples get 0, or NaN where their softmax is NaN (a row of all -inf, or
    holding NaN or +inf), as PyTorch's autograd gives; a target out of range
    gets NaN. The result has the logits' type.

    ```mlir
    %grad = "nn.cross_entropy_grad"(%g, %logits, %target)
        <{ignore_index = -100 : i64, reduction = "mean", label_smoothing = 0.0 : f64}>
        : (tensor<f32>, tensor<8x1000xf32>, tensor<8xi64>) -> tensor<8x1000xf32>
    ```
  }];

  let arguments = !con((ins NN_FloatTensor:$grad_loss, NN_FloatTensor:$logits,
                            NN_TargetTensor:$target),
                       crossEntropyAttributes);
  let results = (outs NN_FloatTensor:$grad_logits);
  let assemblyFormat = [{
    $grad_loss `,` $logits `,` $target attr-dict `:` type($grad_loss) `,`
    type($logits) `,` type($target) `->` type($grad_logits)
  }];
  let extraClassDeclaration = crossEntropyDeclarations;
  let hasVerifier = 1;
}

#endif // NN_DIALECT_NN_IR_NNOPS_TD
