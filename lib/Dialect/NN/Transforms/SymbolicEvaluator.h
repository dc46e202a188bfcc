//===- SymbolicEvaluator.h - Linalg tensors as expressions over x -*- C++
//-*-===//
//
// The analysis behind raising a decomposed log-softmax: each linalg result is
// evaluated symbolically into an expression over the index space of an input
// tensor x (reductions name the dimension of x they reduce; broadcasts
// disappear). Expressions are uniqued, so structural equality is pointer
// equality. Private to lib/Dialect/NN/Transforms.
//
//===----------------------------------------------------------------------===//

#ifndef NN_LIB_DIALECT_NN_TRANSFORMS_SYMBOLICEVALUATOR_H
#define NN_LIB_DIALECT_NN_TRANSFORMS_SYMBOLICEVALUATOR_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

#include <map>
#include <memory>
#include <optional>
#include <tuple>

namespace mlir::nn::detail {

/// A scalar expression: the value at one point of x's index space.
struct Expr {
  enum class Kind {
    Leaf,
    Acc,
    Sub,
    Add,
    Mul,
    Div,
    Max,
    Exp,
    Log,
    ReduceMax,
    ReduceSum
  };
  Kind kind;
  const Expr *lhs = nullptr;
  const Expr *rhs = nullptr;
  /// The dimension of x that ReduceMax / ReduceSum reduce.
  int64_t dim = -1;
  /// The tensor a Leaf reads, at the identity index.
  Value leaf;
  /// Bit i set when the value depends on dimension i of x.
  uint64_t deps = 0;
  /// Whether the reduction accumulator (Acc) occurs in the expression.
  bool hasAcc = false;
  /// Whether a ReduceMax or ReduceSum occurs in the expression.
  bool hasReduction = false;
};
using Kind = Expr::Kind;

/// Uniques expressions so that structural equality is pointer equality.
class ExprContext {
public:
  const Expr *get(Kind kind, const Expr *lhs = nullptr,
                  const Expr *rhs = nullptr, int64_t dim = -1,
                  Value leaf = {}) {
    auto key = std::make_tuple(static_cast<int>(kind), lhs, rhs, dim,
                               leaf.getAsOpaquePointer());
    std::unique_ptr<Expr> &slot = exprs[key];
    if (slot)
      return slot.get();
    slot = std::make_unique<Expr>();
    Expr &e = *slot;
    e.kind = kind;
    e.lhs = lhs;
    e.rhs = rhs;
    e.dim = dim;
    e.leaf = leaf;
    for (const Expr *operand : {lhs, rhs}) {
      if (operand) {
        e.deps |= operand->deps;
        e.hasAcc |= operand->hasAcc;
        e.hasReduction |= operand->hasReduction;
      }
    }
    if (kind == Kind::Leaf)
      e.deps = maskOfRank(cast<RankedTensorType>(leaf.getType()).getRank());
    if (kind == Kind::Acc)
      e.hasAcc = true;
    if (kind == Kind::ReduceMax || kind == Kind::ReduceSum) {
      e.deps &= ~(uint64_t(1) << dim);
      e.hasReduction = true;
    }
    return &e;
  }

  static uint64_t maskOfRank(int64_t rank) {
    return rank >= 64 ? ~uint64_t(0) : (uint64_t(1) << rank) - 1;
  }

private:
  std::map<std::tuple<int, const Expr *, const Expr *, int64_t, const void *>,
           std::unique_ptr<Expr>>
      exprs;
};

/// Marks a tensor dimension along which the value does not change: a kept
/// reduced dimension of size 1, or a broadcast one of any size.
constexpr int64_t kBroadcastDim = -1;

/// A tensor value as a function of x's index space: element j of the tensor
/// is `expr` at the point whose dimension dims[k] is j[k].
struct TensorExpr {
  const Expr *expr;
  SmallVector<int64_t> dims;
};

/// Evaluates tensors symbolically, remembering which ops it interpreted.
class Evaluator {
public:
  /// The `opaque` values are taken as leaves even when linalg computes them.
  explicit Evaluator(ExprContext &ctx, ArrayRef<Value> opaque = {})
      : ctx(ctx), opaque(opaque) {}

  /// The expression of `value`; opaque values become leaves. Fails only for
  /// tensors the leaves cannot describe (unranked, rank 64 or more).
  std::optional<TensorExpr> eval(Value value) {
    auto it = memo.find(value);
    if (it != memo.end())
      return it->second;
    std::optional<TensorExpr> result;
    // Values further than kMaxDepth ops from the root are leaves: see
    // kMaxDepth.
    if (!llvm::is_contained(opaque, value) && depth < kMaxDepth) {
      ++depth;
      if (auto linalgOp = value.getDefiningOp<linalg::LinalgOp>())
        result = evalLinalg(linalgOp, cast<OpResult>(value).getResultNumber());
      else if (auto expand = value.getDefiningOp<tensor::ExpandShapeOp>())
        result = evalExpand(expand);
      else if (auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>())
        result = evalCollapse(collapse);
      --depth;
    }
    if (!result)
      result = evalLeaf(value);
    memo[value] = result;
    // Remember a tensor holding each full-rank expression, in index order.
    if (result && result->dims.size() < 64 &&
        result->expr->deps == ExprContext::maskOfRank(result->dims.size()) &&
        llvm::equal(result->dims, llvm::seq<int64_t>(0, result->dims.size())))
      tensors.try_emplace(result->expr, value);
    return result;
  }

  /// A tensor evaluated so far that holds `expr` in index order, or null.
  Value getTensorOf(const Expr *expr) const { return tensors.lookup(expr); }

  /// Result `resultNumber` of `op`, or nothing when its body or maps are not
  /// understood.
  std::optional<TensorExpr> evalLinalg(linalg::LinalgOp op,
                                       unsigned resultNumber);

  /// The expression `value` evaluated to, if it has been evaluated.
  std::optional<TensorExpr> lookup(Value value) const {
    return memo.lookup(value);
  }

  /// The ops whose results were interpreted rather than taken as leaves.
  const llvm::SetVector<Operation *> &getInterpreted() const {
    return interpreted;
  }

private:
  std::optional<TensorExpr> evalLeaf(Value value);
  std::optional<TensorExpr> evalExpand(tensor::ExpandShapeOp expand);
  std::optional<TensorExpr> evalCollapse(tensor::CollapseShapeOp collapse);
  const Expr *evalScalar(Value value, Block &body,
                         const DenseMap<Value, const Expr *> &args);

  ExprContext &ctx;
  SmallVector<Value, 2> opaque;
  /// How many ops deep from the root the evaluation may go. A log-softmax
  /// decomposition is at most about a dozen ops from its last step to x
  /// (six linalg steps, reshapes, extf/truncf); beyond, a value is a leaf.
  /// Without a bound the greedy driver re-evaluated the whole producer graph
  /// from every linalg op it visited, and the recursion followed it: a chain
  /// of 3,000 linalg ops took 4.0 s, 6,000 took 23.8 s, and a long enough
  /// chain would overflow the stack.
  static constexpr unsigned kMaxDepth = 32;
  unsigned depth = 0;
  DenseMap<Value, std::optional<TensorExpr>> memo;
  DenseMap<const Expr *, Value> tensors;
  llvm::SetVector<Operation *> interpreted;
};

} // namespace mlir::nn::detail

#endif // NN_LIB_DIALECT_NN_TRANSFORMS_SYMBOLICEVALUATOR_H
