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

namespace {

/// A scalar expression: the value at one point of x's index space.
struct Expr {
  enum class Kind { Leaf, Acc, Sub, Add, Max, Exp, Log, ReduceMax, ReduceSum };
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
      }
    }
    if (kind == Kind::Leaf)
      e.deps = maskOfRank(cast<RankedTensorType>(leaf.getType()).getRank());
    if (kind == Kind::Acc)
      e.hasAcc = true;
    if (kind == Kind::ReduceMax || kind == Kind::ReduceSum)
      e.deps &= ~(uint64_t(1) << dim);
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

bool isFloatTensorOfRankBelow64(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getRank() < 64 &&
         isa<FloatType>(tensor.getElementType());
}

/// Whether `value` is a float constant equal to `expected` (either zero
/// matches 0.0).
bool isFloatConstant(Value value, double expected) {
  FloatAttr attr;
  if (auto constant = value.getDefiningOp<arith::ConstantOp>()) {
    if (auto dense = dyn_cast<SplatElementsAttr>(constant.getValue()))
      attr = dyn_cast<FloatAttr>(dense.getSplatValue<Attribute>());
    else
      attr = dyn_cast<FloatAttr>(constant.getValue());
  }
  if (!attr)
    return false;
  APFloat actual = attr.getValue();
  if (std::isinf(expected))
    return actual.isInfinity() && actual.isNegative() == (expected < 0);
  if (expected == 0.0)
    return actual.isZero();
  bool lost;
  actual.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
  return actual.convertToDouble() == expected;
}

/// Whether the tensor `init` is filled with the float `expected`.
bool isFilledWith(Value init, double expected) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return isFloatConstant(fill.getInputs()[0], expected);
  // A fill generalized to linalg.generic: it yields its scalar input.
  if (auto generic = init.getDefiningOp<linalg::GenericOp>()) {
    auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
    auto arg = dyn_cast<BlockArgument>(yield.getOperand(0));
    if (generic->getNumResults() != 1 || !arg ||
        arg.getOwner() != generic.getBody() ||
        arg.getArgNumber() >= generic.getNumDpsInputs())
      return false;
    Value scalar = generic.getDpsInputOperand(arg.getArgNumber())->get();
    return !isa<ShapedType>(scalar.getType()) &&
           isFloatConstant(scalar, expected);
  }
  return isFloatConstant(init, expected);
}

/// Evaluates tensors symbolically, remembering which ops it interpreted.
class Evaluator {
public:
  /// `opaque`, if given, is taken as a leaf even when linalg computes it.
  explicit Evaluator(ExprContext &ctx, Value opaque = {})
      : ctx(ctx), opaque(opaque) {}

  /// The expression of `value`; opaque values become leaves. Fails only for
  /// tensors the leaves cannot describe (unranked, rank 64 or more).
  std::optional<TensorExpr> eval(Value value) {
    auto it = memo.find(value);
    if (it != memo.end())
      return it->second;
    std::optional<TensorExpr> result;
    if (value == opaque)
      ; // Taken as a leaf below.
    else if (auto linalgOp = value.getDefiningOp<linalg::LinalgOp>())
      result = evalLinalg(linalgOp, cast<OpResult>(value).getResultNumber());
    else if (auto expand = value.getDefiningOp<tensor::ExpandShapeOp>())
      result = evalExpand(expand);
    else if (auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>())
      result = evalCollapse(collapse);
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

  /// The ops whose results were interpreted rather than taken as leaves.
  const llvm::SetVector<Operation *> &getInterpreted() const {
    return interpreted;
  }

private:
  std::optional<TensorExpr> evalLeaf(Value value) {
    if (!isFloatTensorOfRankBelow64(value.getType()))
      return std::nullopt;
    TensorExpr result{ctx.get(Kind::Leaf, nullptr, nullptr, -1, value), {}};
    for (int64_t i = 0, e = cast<RankedTensorType>(value.getType()).getRank();
         i < e; ++i)
      result.dims.push_back(i);
    return result;
  }

  std::optional<TensorExpr> evalExpand(tensor::ExpandShapeOp expand);
  std::optional<TensorExpr> evalCollapse(tensor::CollapseShapeOp collapse);
  const Expr *evalScalar(Value value, Block &body,
                         const DenseMap<Value, const Expr *> &args);

  ExprContext &ctx;
  Value opaque;
  DenseMap<Value, std::optional<TensorExpr>> memo;
  DenseMap<const Expr *, Value> tensors;
  llvm::SetVector<Operation *> interpreted;
};

const Expr *Evaluator::evalScalar(Value value, Block &body,
                                  const DenseMap<Value, const Expr *> &args) {
  if (auto arg = dyn_cast<BlockArgument>(value))
    return args.lookup(arg);
  Operation *op = value.getDefiningOp();
  if (op->getBlock() != &body)
    return nullptr;
  auto operand = [&](unsigned i) {
    return evalScalar(op->getOperand(i), body, args);
  };
  auto binary = [&](Kind kind) -> const Expr * {
    const Expr *lhs = operand(0), *rhs = operand(1);
    return lhs && rhs ? ctx.get(kind, lhs, rhs) : nullptr;
  };
  auto unary = [&](Kind kind) -> const Expr * {
    const Expr *x = operand(0);
    return x ? ctx.get(kind, x) : nullptr;
  };
  if (isa<arith::SubFOp>(op))
    return binary(Kind::Sub);
  if (isa<arith::AddFOp>(op))
    return binary(Kind::Add);
  if (isa<arith::MaximumFOp, arith::MaxNumFOp>(op))
    return binary(Kind::Max);
  if (isa<math::ExpOp>(op))
    return unary(Kind::Exp);
  if (isa<math::LogOp>(op))
    return unary(Kind::Log);
  // Precision changes are taken as the exact value: nn.logsoftmax computes
  // at least as precisely as any of them.
  if (isa<arith::ExtFOp, arith::TruncFOp>(op))
    return operand(0);
  // torch-mlir scales the subtrahend by alpha = 1.
  if (isa<arith::MulFOp>(op)) {
    if (isFloatConstant(op->getOperand(1), 1.0))
      return operand(0);
    if (isFloatConstant(op->getOperand(0), 1.0))
      return operand(1);
    return nullptr;
  }
  // select(a > b, a, b) and select(a < b, b, a) are max(a, b).
  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
    if (!cmp)
      return nullptr;
    Value a = cmp.getLhs(), b = cmp.getRhs();
    using P = arith::CmpFPredicate;
    P pred = cmp.getPredicate();
    bool greater =
        pred == P::OGT || pred == P::OGE || pred == P::UGT || pred == P::UGE;
    bool less =
        pred == P::OLT || pred == P::OLE || pred == P::ULT || pred == P::ULE;
    bool isMax =
        (greater && select.getTrueValue() == a &&
         select.getFalseValue() == b) ||
        (less && select.getTrueValue() == b && select.getFalseValue() == a);
    if (!isMax)
      return nullptr;
    const Expr *lhs = evalScalar(a, body, args);
    const Expr *rhs = evalScalar(b, body, args);
    return lhs && rhs ? ctx.get(Kind::Max, lhs, rhs) : nullptr;
  }
  return nullptr;
}

std::optional<TensorExpr> Evaluator::evalLinalg(linalg::LinalgOp op,
                                                unsigned resultNumber) {
  if (!op.hasPureTensorSemantics() || isa<linalg::FillOp>(op.getOperation()))
    return std::nullopt;
  Block *body = op.getBlock();
  if (!body)
    return std::nullopt;
  unsigned numLoops = op.getNumLoops();
  constexpr int64_t kUnknown = -2;
  SmallVector<int64_t> loopToDim(numLoops, kUnknown);
  DenseMap<Value, const Expr *> args;

  // Inputs fix which dimension of x each loop walks.
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!isa<RankedTensorType>(input->get().getType()))
      continue; // A scalar operand: evalScalar fails if the body uses it.
    std::optional<TensorExpr> te = eval(input->get());
    if (!te)
      return std::nullopt;
    AffineMap map = op.getMatchingIndexingMap(input);
    for (auto [k, result] : llvm::enumerate(map.getResults())) {
      if (auto constant = dyn_cast<AffineConstantExpr>(result)) {
        // Element 0 of a real dimension is not a broadcast.
        if (constant.getValue() != 0 || te->dims[k] != kBroadcastDim)
          return std::nullopt;
        continue;
      }
      auto loop = dyn_cast<AffineDimExpr>(result);
      if (!loop)
        return std::nullopt;
      if (te->dims[k] == kBroadcastDim)
        continue;
      int64_t &dim = loopToDim[loop.getPosition()];
      if (dim != kUnknown && dim != te->dims[k])
        return std::nullopt;
      dim = te->dims[k];
    }
    args[op.getMatchingBlockArgument(input)] = te->expr;
  }
  llvm::SmallDenseSet<int64_t> seen;
  for (int64_t dim : loopToDim)
    if (dim != kUnknown && !seen.insert(dim).second)
      return std::nullopt; // Two loops over one dimension: a diagonal.

  OpOperand *init = op.getDpsInitOperand(resultNumber);
  args[op.getMatchingBlockArgument(init)] = ctx.get(Kind::Acc);
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  const Expr *expr = evalScalar(yield.getOperand(resultNumber), *body, args);
  if (!expr)
    return std::nullopt;

  SmallVector<unsigned> reductionLoops;
  op.getReductionDims(reductionLoops);
  if (reductionLoops.empty()) {
    if (expr->hasAcc)
      return std::nullopt;
  } else {
    if (reductionLoops.size() != 1 || loopToDim[reductionLoops[0]] < 0)
      return std::nullopt;
    int64_t dim = loopToDim[reductionLoops[0]];
    // The accumulator combined once with an accumulator-free term.
    const Expr *acc = ctx.get(Kind::Acc);
    const Expr *term = nullptr;
    if (expr->lhs == acc)
      term = expr->rhs;
    else if (expr->rhs == acc)
      term = expr->lhs;
    if (!term || term->hasAcc)
      return std::nullopt;
    if (expr->kind == Kind::Add && isFilledWith(init->get(), 0.0))
      expr = ctx.get(Kind::ReduceSum, term, nullptr, dim);
    else if (expr->kind == Kind::Max && isFilledWith(init->get(), -INFINITY))
      expr = ctx.get(Kind::ReduceMax, term, nullptr, dim);
    else
      return std::nullopt;
  }

  // The result's dimensions, from the output map.
  auto resultType =
      cast<RankedTensorType>(op->getResult(resultNumber).getType());
  TensorExpr result{expr, {}};
  uint64_t resultDeps = 0;
  for (auto [k, mapResult] :
       llvm::enumerate(op.getMatchingIndexingMap(init).getResults())) {
    auto loop = dyn_cast<AffineDimExpr>(mapResult);
    int64_t dim = loop ? loopToDim[loop.getPosition()] : kUnknown;
    if (dim == kUnknown) {
      // A loop no input walks broadcasts; a constant index writes one
      // element, which is all there is only in a unit dimension.
      auto constant = dyn_cast<AffineConstantExpr>(mapResult);
      if (!loop && (!constant || constant.getValue() != 0 ||
                    resultType.getDimSize(k) != 1))
        return std::nullopt;
      dim = kBroadcastDim;
    }
    if (loop && llvm::is_contained(reductionLoops, loop.getPosition()))
      return std::nullopt;
    if (dim != kBroadcastDim)
      resultDeps |= uint64_t(1) << dim;
    result.dims.push_back(dim);
  }
  // Every dimension the value varies along must be a dimension of the result.
  if (expr->deps & ~resultDeps)
    return std::nullopt;
  interpreted.insert(op);
  return result;
}

std::optional<TensorExpr> Evaluator::evalExpand(tensor::ExpandShapeOp expand) {
  std::optional<TensorExpr> source = eval(expand.getSrc());
  if (!source)
    return std::nullopt;
  RankedTensorType type = expand.getResultType();
  TensorExpr result{source->expr, SmallVector<int64_t>(type.getRank(), 0)};
  for (auto [k, group] : llvm::enumerate(expand.getReassociationIndices())) {
    // One dimension of the group carries the source dimension; the others
    // must be inserted unit dimensions.
    SmallVector<int64_t> carriers;
    for (int64_t i : group)
      if (type.getDimSize(i) != 1)
        carriers.push_back(i);
    if (carriers.empty() && group.size() == 1)
      carriers.push_back(group[0]);
    if (source->dims[k] == kBroadcastDim)
      carriers.clear();
    else if (carriers.size() != 1)
      return std::nullopt;
    for (int64_t i : group)
      result.dims[i] = (!carriers.empty() && carriers[0] == i) ? source->dims[k]
                                                               : kBroadcastDim;
  }
  interpreted.insert(expand);
  return result;
}

std::optional<TensorExpr>
Evaluator::evalCollapse(tensor::CollapseShapeOp collapse) {
  std::optional<TensorExpr> source = eval(collapse.getSrc());
  if (!source)
    return std::nullopt;
  TensorExpr result{source->expr, {}};
  for (const ReassociationIndices &group : collapse.getReassociationIndices()) {
    // At most one real dimension per group, and then the rest are unit
    // dimensions: otherwise the collapsed index mixes dimensions.
    int64_t dim = kBroadcastDim;
    for (int64_t i : group) {
      if (source->dims[i] == kBroadcastDim)
        continue;
      if (dim != kBroadcastDim)
        return std::nullopt;
      dim = source->dims[i];
    }
    if (dim != kBroadcastDim)
      for (int64_t i : group)
        if (source->dims[i] == kBroadcastDim &&
            collapse.getSrcType().getDimSize(i) != 1)
          return std::nullopt;
    result.dims.push_back(dim);
  }
  interpreted.insert(collapse);
  return result;
}

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
    // as intermediates.
    Value x = first.getTensorOf(match->first);
    if (!x)
      return failure();
    Evaluator evaluator(ctx, x);
    te = evaluator.evalLinalg(root, 0);
    match = te ? matchLogSoftmax(ctx, te->expr) : std::nullopt;
    if (!match || match->first->kind != Kind::Leaf || match->first->leaf != x)
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
        !nn::LogSoftmaxOp::isAllowedResultElementType(input.getElementType(),
                                    resultType.getElementType()))
      return failure();

    // Intermediate values used elsewhere must stay: then nothing is raised.
    const llvm::SetVector<Operation *> &ops = evaluator.getInterpreted();
    for (Operation *op : ops) {
      if (op == root.getOperation())
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
