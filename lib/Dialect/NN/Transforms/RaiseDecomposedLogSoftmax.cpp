//===- RaiseDecomposedLogSoftmax.cpp - Raise linalg log-softmax graphs ----===//
//
// Recognizes log-softmax written as a graph of linalg ops on tensors, the way
// a torch-mlir style front-end decomposes aten._log_softmax: max-reduce,
// subtract, exp, sum-reduce, log, subtract. The steps may be generic or named
// linalg ops (linalg.reduce, linalg.broadcast, linalg.sub, ...), with reduced
// values kept as unit dims or dropped, and elementwise steps fused into each
// other or into the reductions (the max subtraction folded in or not).
//
// Rather than matching op shapes, each linalg result is evaluated symbolically
// into an expression over the index space of the input tensor x: reductions
// name the dimension of x they reduce, broadcasts disappear. Expressions are
// uniqued, so the final check is that the root computes exactly
//   (x - max_d(x)) - log(sum_d(exp(x - max_d(x))))   or
//   x - (max_d(x) + log(sum_d(exp(x - max_d(x)))))
// for one dimension d. Anything not understood (integer ops, other inits,
// other bodies) stays opaque and the match fails.
//
//===----------------------------------------------------------------------===//

#include "RaisePatterns.h"
#include "SymbolicEvaluator.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "nn/Dialect/NN/IR/NNOps.h"
#include "llvm/ADT/SetVector.h"

#include <map>
#include <memory>
#include <tuple>

using namespace mlir;
using namespace mlir::nn::detail;

namespace {

/// The x and d for which `e` is log-softmax of x along d, in one of the two
/// accepted groupings.
std::optional<std::pair<const Expr *, int64_t>>
matchLogSoftmax(ExprContext &ctx, const Expr *e) {
  if (e->kind != Kind::Sub)
    return std::nullopt;
  // Find x and d from the shape of `e`, then build the whole expected
  // expression and compare.
  const Expr *x = nullptr, *max = nullptr;
  if (e->lhs->kind == Kind::Sub && e->lhs->rhs->kind == Kind::ReduceMax) {
    x = e->lhs->lhs;
    max = e->lhs->rhs;
  } else if (e->rhs->kind == Kind::Add) {
    x = e->lhs;
    max = e->rhs->lhs->kind == Kind::ReduceMax ? e->rhs->lhs : e->rhs->rhs;
  }
  if (!x || !max || max->kind != Kind::ReduceMax || max->lhs != x)
    return std::nullopt;
  int64_t dim = max->dim;
  const Expr *shifted = ctx.get(Kind::Sub, x, max);
  const Expr *logSum =
      ctx.get(Kind::Log, ctx.get(Kind::ReduceSum, ctx.get(Kind::Exp, shifted),
                                 nullptr, dim));
  if (e != ctx.get(Kind::Sub, shifted, logSum) &&
      e != ctx.get(Kind::Sub, x, ctx.get(Kind::Add, max, logSum)) &&
      e != ctx.get(Kind::Sub, x, ctx.get(Kind::Add, logSum, max)))
    return std::nullopt;
  return std::make_pair(x, dim);
}

/// A linalg op whose result is log-softmax of a tensor x, computed by linalg
/// ops that nothing else uses.
struct RaiseDecomposedLogSoftmax : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp root,
                                PatternRewriter &rewriter) const override {
    if (root->getNumResults() != 1)
      return failure();
    ExprContext ctx;
    Evaluator first(ctx);
    std::optional<TensorExpr> te = first.evalLinalg(root, 0);
    auto match = te ? matchLogSoftmax(ctx, te->expr) : std::nullopt;
    if (!match)
      return failure();
    // x may itself be computed by linalg ops (a bias add, say): evaluate
    // again with x's tensor opaque, so that only the log-softmax steps count
    // as intermediates. That can move x: with x opaque, a truncf of it is a
    // rounded input, not a step (see evalScalar), and the rounded tensor
    // becomes x. Each move goes one op closer to the root.
    Value x = first.getTensorOf(match->first);
    std::optional<Evaluator> evaluator;
    for (int attempt = 0; x && attempt < 3; ++attempt) {
      evaluator.emplace(ctx, x);
      te = evaluator->evalLinalg(root, 0);
      match = te ? matchLogSoftmax(ctx, te->expr) : std::nullopt;
      if (!match || match->first->kind != Kind::Leaf ||
          match->first->leaf == x)
        break;
      x = match->first->leaf;
    }
    if (!x || !match || match->first->kind != Kind::Leaf ||
        match->first->leaf != x)
      return failure();
    int64_t dim = match->second;

    // The result is x's index space in order, and the op can express it.
    auto input = cast<RankedTensorType>(x.getType());
    auto resultType = cast<RankedTensorType>(root->getResult(0).getType());
    for (auto [k, d] : llvm::enumerate(te->dims))
      if (d != static_cast<int64_t>(k))
        return failure();
    if (te->dims.size() != static_cast<size_t>(input.getRank()) ||
        input.getShape() != resultType.getShape() ||
        !nn::LogSoftmaxOp::isAllowedResultElementType(
            input.getElementType(), resultType.getElementType()))
      return failure();

    // Intermediate values used elsewhere must stay: then nothing is raised,
    // since the log-softmax would be computed twice. A copy of x (its extf,
    // shared by several log-softmaxes of x) may stay.
    const llvm::SetVector<Operation *> &ops = evaluator->getInterpreted();
    const Expr *xLeaf = ctx.get(Kind::Leaf, nullptr, nullptr, -1, x);
    auto isCopyOfX = [&](Operation *op) {
      return llvm::all_of(op->getResults(), [&](Value result) {
        std::optional<TensorExpr> value = evaluator->lookup(result);
        return value && value->expr == xLeaf;
      });
    };
    for (Operation *op : ops) {
      if (op == root.getOperation() || isCopyOfX(op))
        continue;
      for (Operation *user : op->getUsers())
        if (!ops.contains(user))
          return failure();
    }

    auto logsoftmax =
        nn::LogSoftmaxOp::create(rewriter, root.getLoc(), resultType, x, dim);
    rewriter.replaceOp(root, logsoftmax.getResult());
    return success();
  }
};

} // namespace

void mlir::nn::populateRaiseDecomposedLogSoftmaxPatterns(
    RewritePatternSet &patterns) {
  patterns.add<RaiseDecomposedLogSoftmax>(patterns.getContext());
}
