//===- RaiseDecomposedOps.cpp - Raise linalg graphs to nn ops -------------===//
//
// Recognizes log-softmax, softmax and the log-softmax gradient written as a
// graph of linalg ops on tensors, the way a torch-mlir style front-end
// decomposes aten._log_softmax, aten._softmax and
// aten._log_softmax_backward_data: reductions, elementwise steps, keepdim
// reshapes. The steps may be generic or named linalg ops (linalg.reduce,
// linalg.broadcast, linalg.sub, ...), with reduced values kept as unit dims
// or dropped, and elementwise steps fused into each other or into the
// reductions.
//
// Rather than matching op shapes, each linalg result is evaluated symbolically
// into an expression over the index space of the inputs: reductions name the
// dimension they reduce, broadcasts disappear. Expressions are uniqued, so the
// final check is that the root computes exactly one of
//   (x - max_d(x)) - log(sum_d(exp(x - max_d(x))))      (or regrouped)
//   exp(x - max_d(x)) / sum_d(exp(x - max_d(x)))
//   g - exp(y) * sum_d(g)                                (either product order)
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

/// What a linalg root computes when it is one of the raised ops: the op,
/// the expressions of its tensor operands, and the dimension.
struct Match {
  enum class Op { LogSoftmax, Softmax, LogSoftmaxGrad };
  Op op;
  SmallVector<const Expr *, 2> operands;
  int64_t dim;
};

/// The (x, d) for which `e` is log-softmax of x along d, in one of the
/// accepted groupings.
std::optional<Match> matchLogSoftmax(ExprContext &ctx, const Expr *e) {
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
  return Match{Match::Op::LogSoftmax, {x}, dim};
}

/// The (x, d) for which `e` is exp(x - max_d x) / sum_d exp(x - max_d x).
std::optional<Match> matchSoftmax(ExprContext &ctx, const Expr *e) {
  if (e->kind != Kind::Div || e->lhs->kind != Kind::Exp)
    return std::nullopt;
  const Expr *shifted = e->lhs->lhs;
  if (shifted->kind != Kind::Sub || shifted->rhs->kind != Kind::ReduceMax)
    return std::nullopt;
  const Expr *x = shifted->lhs, *max = shifted->rhs;
  if (max->lhs != x ||
      e->rhs != ctx.get(Kind::ReduceSum, e->lhs, nullptr, max->dim))
    return std::nullopt;
  return Match{Match::Op::Softmax, {x}, max->dim};
}

/// The (g, y, d) for which `e` is g - exp(y) * sum_d g.
std::optional<Match> matchLogSoftmaxGrad(ExprContext &ctx, const Expr *e) {
  if (e->kind != Kind::Sub || e->rhs->kind != Kind::Mul)
    return std::nullopt;
  const Expr *g = e->lhs, *product = e->rhs;
  for (auto [exp, sum] : {std::make_pair(product->lhs, product->rhs),
                          std::make_pair(product->rhs, product->lhs)}) {
    if (exp->kind == Kind::Exp && sum->kind == Kind::ReduceSum &&
        sum->lhs == g)
      return Match{Match::Op::LogSoftmaxGrad, {g, exp->lhs}, sum->dim};
  }
  (void)ctx;
  return std::nullopt;
}

std::optional<Match> matchAny(ExprContext &ctx, const Expr *e) {
  for (auto matcher : {matchLogSoftmax, matchSoftmax, matchLogSoftmaxGrad})
    if (std::optional<Match> match = matcher(ctx, e))
      return match;
  return std::nullopt;
}

/// Whether `match` reads the tensors `operands` themselves, as leaves.
bool readsLeaves(const Match &match, ArrayRef<Value> operands) {
  return llvm::all_of(llvm::zip_equal(match.operands, operands),
                      [](auto pair) {
                        auto [expr, value] = pair;
                        return expr->kind == Kind::Leaf && expr->leaf == value;
                      });
}

/// A linalg op whose result is log-softmax, softmax or the log-softmax
/// gradient of some tensors, computed by linalg ops that nothing else uses.
struct RaiseDecomposedOp : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp root,
                                PatternRewriter &rewriter) const override {
    if (root->getNumResults() != 1)
      return failure();
    ExprContext ctx;
    Evaluator first(ctx);
    std::optional<TensorExpr> te = first.evalLinalg(root, 0);
    std::optional<Match> match = te ? matchAny(ctx, te->expr) : std::nullopt;
    if (!match)
      return failure();
    // The operands may themselves be computed by linalg ops (a bias add,
    // say): evaluate again with their tensors opaque, so that only the
    // op's own steps count as intermediates. That can move an operand: with
    // it opaque, a truncf of it is a rounded input, not a step (see
    // evalScalar), and the rounded tensor becomes the operand. Each move
    // goes one op closer to the root.
    SmallVector<Value, 2> operands;
    for (const Expr *operand : match->operands) {
      operands.push_back(first.getTensorOf(operand));
      if (!operands.back())
        return failure();
    }
    std::optional<Evaluator> evaluator;
    for (int attempt = 0; attempt < 3; ++attempt) {
      evaluator.emplace(ctx, operands);
      te = evaluator->evalLinalg(root, 0);
      std::optional<Match> again =
          te ? matchAny(ctx, te->expr) : std::nullopt;
      if (!again || again->op != match->op ||
          llvm::any_of(again->operands,
                       [](const Expr *e) { return e->kind != Kind::Leaf; }))
        return failure();
      match = again;
      if (readsLeaves(*match, operands))
        break;
      for (auto [operand, expr] : llvm::zip_equal(operands, match->operands))
        operand = expr->leaf;
    }
    if (!readsLeaves(*match, operands))
      return failure();

    // The result is the operands' index space in order, and the op can
    // express it.
    auto resultType = cast<RankedTensorType>(root->getResult(0).getType());
    for (auto [k, d] : llvm::enumerate(te->dims))
      if (d != static_cast<int64_t>(k))
        return failure();
    for (Value operand : operands) {
      auto type = cast<RankedTensorType>(operand.getType());
      if (te->dims.size() != static_cast<size_t>(type.getRank()) ||
          type.getShape() != resultType.getShape())
        return failure();
    }
    Type inputElement =
        cast<RankedTensorType>(operands[0].getType()).getElementType();
    if (match->op == Match::Op::LogSoftmaxGrad
            ? (operands[0].getType() != resultType ||
               operands[1].getType() != resultType)
            : !nn::LogSoftmaxOp::isAllowedResultElementType(
                  inputElement, resultType.getElementType()))
      return failure();

    // Reductions used elsewhere must stay: then nothing is raised, since
    // they would be computed twice. An elementwise step (an extf or exp of
    // an operand, shared by several ops of it) may stay for its other users;
    // once they are raised too, it goes.
    const llvm::SetVector<Operation *> &ops = evaluator->getInterpreted();
    auto isElementwiseStep = [&](Operation *op) {
      return llvm::all_of(op->getResults(), [&](Value result) {
        std::optional<TensorExpr> value = evaluator->lookup(result);
        return value && !value->expr->hasReduction;
      });
    };
    for (Operation *op : ops) {
      if (op == root.getOperation() || isElementwiseStep(op))
        continue;
      for (Operation *user : op->getUsers())
        if (!ops.contains(user))
          return failure();
    }

    Value raised;
    Location loc = root.getLoc();
    switch (match->op) {
    case Match::Op::LogSoftmax:
      raised = nn::LogSoftmaxOp::create(rewriter, loc, resultType, operands[0],
                                        match->dim);
      break;
    case Match::Op::Softmax:
      raised = nn::SoftmaxOp::create(rewriter, loc, resultType, operands[0],
                                     match->dim);
      break;
    case Match::Op::LogSoftmaxGrad:
      raised = nn::LogSoftmaxGradOp::create(rewriter, loc, resultType,
                                            operands[0], operands[1],
                                            match->dim);
      break;
    }
    rewriter.replaceOp(root, raised);
    return success();
  }
};

} // namespace

void mlir::nn::populateRaiseDecomposedPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseDecomposedOp>(patterns.getContext());
}
