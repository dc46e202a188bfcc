//===- SymbolicEvaluator.cpp - Linalg tensors as expressions over x -------===//

#include "SymbolicEvaluator.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::nn::detail;

namespace {

bool isFloatTensorOfRankBelow64(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getRank() < 64 &&
         isa<FloatType>(tensor.getElementType());
}

/// The scalar a tensor `init` is filled with: the input of a linalg.fill or
/// of a fill written as linalg.generic, else `init` itself (a constant).
Value getFillValue(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return fill.getInputs()[0];
  if (auto generic = init.getDefiningOp<linalg::GenericOp>())
    if (std::optional<Value> value = linalg::isaFillOpInterface(generic))
      return *value;
  return init;
}

} // namespace

std::optional<TensorExpr> Evaluator::evalLeaf(Value value) {
  if (!isFloatTensorOfRankBelow64(value.getType()))
    return std::nullopt;
  TensorExpr result{ctx.get(Kind::Leaf, nullptr, nullptr, -1, value), {}};
  for (int64_t i = 0, e = cast<RankedTensorType>(value.getType()).getRank();
       i < e; ++i)
    result.dims.push_back(i);
  return result;
}

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
  // Precision changes inside the graph are taken as the exact value:
  // nn.logsoftmax computes at least as precisely as any of them. Not a
  // truncf of a leaf, though: that rounds the input itself (torch-mlir
  // rounds a 16-bit model's f32 logits before their log-softmax), and the
  // rounded tensor must be x.
  if (isa<arith::ExtFOp>(op))
    return operand(0);
  if (isa<arith::TruncFOp>(op)) {
    const Expr *x = operand(0);
    return x && x->kind != Kind::Leaf ? x : nullptr;
  }
  // torch-mlir scales the subtrahend by alpha = 1.
  if (isa<arith::MulFOp>(op)) {
    if (matchPattern(op->getOperand(1), m_OneFloat()))
      return operand(0);
    if (matchPattern(op->getOperand(0), m_OneFloat()))
      return operand(1);
    return binary(Kind::Mul);
  }
  if (isa<arith::DivFOp>(op))
    return binary(Kind::Div);
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
    if (expr->kind == Kind::Add &&
        matchPattern(getFillValue(init->get()), m_AnyZeroFloat()))
      expr = ctx.get(Kind::ReduceSum, term, nullptr, dim);
    else if (expr->kind == Kind::Max &&
             matchPattern(getFillValue(init->get()), m_NegInfFloat()))
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
    // A group of unit dimensions expands a source dimension of size 1: the
    // value does not vary along it, whichever dimension of x that is
    // (torch-mlir's keepdim reshape at batch 1, tensor<1xf32> to
    // tensor<1x1xf32>).
    if (source->dims[k] == kBroadcastDim ||
        (carriers.empty() && group.size() > 1))
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
