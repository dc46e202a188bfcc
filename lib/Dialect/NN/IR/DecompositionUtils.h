//===- DecompositionUtils.h - Linalg stages shared by nn ops ----*- C++ -*-===//
//
// Private to lib/Dialect/NN/IR: the linalg.generic stages that the
// decompositions of the nn ops (AggregatedOpInterface) have in common, the
// max and exp-sum reductions along one dimension above all.
//
//===----------------------------------------------------------------------===//

#ifndef NN_LIB_DIALECT_NN_IR_DECOMPOSITIONUTILS_H
#define NN_LIB_DIALECT_NN_IR_DECOMPOSITIONUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace mlir::nn::detail {

/// Converts a float scalar to `to`, widening or narrowing (to nearest even)
/// as needed.
Value convertFloat(OpBuilder &b, Location loc, Value v, Type to);

/// A tensor of `sizes` filled with `value`, the init of a reduction.
Value createFilledTensor(OpBuilder &b, Location loc,
                         ArrayRef<OpFoldResult> sizes, Type elementType,
                         double value);

/// The maps and iterators of reductions along `dim` of a rank-`rank` tensor:
/// the identity, the identity without `dim`, and the iterator types with
/// `dim` a reduction (`reduction`) or not (`parallel`). A negative `dim`
/// (for rank 0) reduces nothing.
struct AlongDim {
  AlongDim(OpBuilder &b, int64_t rank, int64_t dim);
  AffineMap identity, reduced;
  SmallVector<utils::IteratorType> reduction, parallel;
};

// The reductions take the sizes of `input` (tensor::getMixedSizes), which
// the caller computes once for all its stages.

/// max(x) along `dim` in `computeType`, from -inf (maximumf: NaN wins).
Value reduceMax(OpBuilder &b, Location loc, Value input,
                ArrayRef<OpFoldResult> sizes, int64_t dim, Type computeType);

/// sum(exp(x - max)) along `dim`, the exps in `computeType`, `max` from
/// reduceMax; added in `sumType` (`computeType` when null).
Value reduceExpSum(OpBuilder &b, Location loc, Value input, Value max,
                   ArrayRef<OpFoldResult> sizes, int64_t dim, Type computeType,
                   Type sumType = {});

/// A reduction along `dim` of `inputs` (the first of the input's rank, the
/// others reduced) from `initValue`: `combine(elements..., accumulator)`.
Value reduceAlongDim(
    OpBuilder &b, Location loc, ValueRange inputs, ArrayRef<OpFoldResult> sizes,
    int64_t dim, Type computeType, double initValue,
    function_ref<Value(OpBuilder &, Location, ValueRange)> combine);

/// sum(x) along `dim` in `computeType`.
Value reduceSum(OpBuilder &b, Location loc, Value input,
                ArrayRef<OpFoldResult> sizes, int64_t dim, Type computeType);

using ScalarBody = function_ref<Value(OpBuilder &, Location, Value)>;
using RowStatsBody =
    function_ref<Value(OpBuilder &, Location, Value x, Value max, Value sum)>;

/// For a rank-0 `input`: `body(x)` in a linalg.generic over no loops, into
/// `init`.
Value mapScalar(OpBuilder &b, Location loc, Value input, Value init,
                ScalarBody body);

/// The last stage of the softmax family: `body(x, max, sum)` for every
/// element x of `input`, with the `max` and `sum` (reduced along `dim`) of
/// its slice, into `init`.
Value mapWithRowStats(OpBuilder &b, Location loc, Value input, Value max,
                      Value sum, int64_t dim, Value init, RowStatsBody body);

/// The decomposition of nn.logsoftmax and nn.softmax of `input` along `dim`
/// into `outputType`: max and exp-sum along `dim`, then `body(x, max, sum)`
/// on each element; for rank 0, `scalarBody(x)`. Both bodies work in the
/// compute type (LogSoftmaxOp::getComputeType), and their result is rounded
/// once to the result type. `sumType` (the compute type when null) is the
/// type the exp-sum is added in.
Value decomposeSoftmaxLike(OpBuilder &b, Location loc, Value input, int64_t dim,
                           RankedTensorType outputType, ScalarBody scalarBody,
                           RowStatsBody body, Type sumType = {});

/// An uninitialized tensor of `sizes` and `type`'s element type, cast to
/// `type` where that refines it.
Value createEmpty(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                  RankedTensorType type);

} // namespace mlir::nn::detail

#endif // NN_LIB_DIALECT_NN_IR_DECOMPOSITIONUTILS_H
