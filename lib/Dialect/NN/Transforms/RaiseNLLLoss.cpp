//===- RaiseNLLLoss.cpp - Raise torch-mlir's nll_loss to nn.cross_entropy -===//
//
// torch-mlir lowers aten.nll_loss_forward of a log-softmax (what
// F.cross_entropy and F.nll_loss(F.log_softmax(x, 1), t) become) to linalg
// on integer masks and a gather, which the symbolic evaluation of
// RaiseDecomposedOps.cpp cannot read. Once that pass has made the
// log-softmax an nn.logsoftmax, this pattern matches the rest op by op, for
// logits [N, C] and class-index targets [N]:
//
//   valid = target != ignore_index                          (cmpi ne)
//   safe  = select(valid, target, 0)
//   picked[n] = lp[n, safe[n]]          (tensor.extract, linalg.index 0)
//   none  = select(valid, -picked, 0.0)                      (negf)
//   sum   = sum(none)                                        (addf, zero init)
//   mean  = sum / sitofp(sum(extui(valid)))                  (addi, zero init)
//
// and raises the outermost of none, sum and mean that is there to one
// nn.cross_entropy. Label smoothing is not recognized. The gather's
// cf.assert bounds checks go with it: nn.cross_entropy makes the loss of an
// out-of-range target NaN instead, and nn-run refuses such targets.
//
//===----------------------------------------------------------------------===//

#include "RaisePatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "nn/Dialect/NN/IR/NNOps.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace {

/// The generic computing `value` with one result and pure tensor semantics,
/// looking through reshapes that only add or drop unit dimensions.
linalg::GenericOp getGeneric(Value value) {
  while (true) {
    if (auto expand = value.getDefiningOp<tensor::ExpandShapeOp>())
      value = expand.getSrc();
    else if (auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>())
      value = collapse.getSrc();
    else
      break;
  }
  auto generic = value.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic->getNumResults() != 1 ||
      !generic.hasPureTensorSemantics())
    return nullptr;
  return generic;
}

/// The op that `generic` yields, if it is an `OpTy` in its body.
template <typename OpTy>
OpTy getYielded(linalg::GenericOp generic) {
  auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
  auto op = yield.getOperand(0).getDefiningOp<OpTy>();
  return op && op->getBlock() == generic.getBody() ? op : OpTy();
}

/// The input operand of `generic` whose block argument is `value`, or null.
Value getInputOf(linalg::GenericOp generic, Value value) {
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg || arg.getOwner() != generic.getBody() ||
      arg.getArgNumber() >= generic.getNumDpsInputs())
    return nullptr;
  return generic.getDpsInputOperand(arg.getArgNumber())->get();
}

/// Whether `value`, in the body of `generic`, is the constant `expected`
/// (a constant scalar, or a block argument fed by a constant splat tensor).
bool isConstant(linalg::GenericOp generic, Value value, double expected) {
  if (Value input = getInputOf(generic, value))
    value = input;
  APFloat f(0.0);
  APInt i;
  if (matchPattern(value, m_ConstantFloat(&f)))
    return f.convertToDouble() == expected;
  if (matchPattern(value, m_ConstantInt(&i)))
    return static_cast<double>(i.getSExtValue()) == expected;
  DenseElementsAttr dense;
  if (matchPattern(value, m_Constant(&dense)) && dense.isSplat()) {
    if (isa<FloatType>(dense.getElementType()))
      return dense.getSplatValue<APFloat>().convertToDouble() == expected;
    if (isa<IntegerType>(dense.getElementType()))
      return static_cast<double>(dense.getSplatValue<APInt>().getSExtValue()) ==
             expected;
  }
  return false;
}

/// Whether `generic` reduces its single input into a zero-filled rank-0
/// result with `acc + f(in)`, `f` being what `term` accepts; returns the
/// input or null.
Value matchSumReduction(linalg::GenericOp generic,
                        function_ref<bool(Value term, Value in)> term,
                        bool isFloat) {
  if (generic.getNumDpsInputs() != 1 || generic.getNumReductionLoops() != 1 ||
      generic.getNumLoops() != 1 ||
      cast<RankedTensorType>(generic->getResult(0).getType()).getRank() != 0)
    return nullptr;
  Value init = generic.getDpsInitOperand(0)->get();
  auto fill = init.getDefiningOp<linalg::FillOp>();
  if (!fill || !isConstant(generic, fill.getInputs()[0], 0.0))
    return nullptr;
  Operation *add = isFloat ? getYielded<arith::AddFOp>(generic).getOperation()
                           : getYielded<arith::AddIOp>(generic).getOperation();
  if (!add)
    return nullptr;
  Block *body = generic.getBody();
  Value in = body->getArgument(0), acc = body->getArgument(1);
  Value lhs = add->getOperand(0), rhs = add->getOperand(1);
  if (!((lhs == acc && term(rhs, in)) || (rhs == acc && term(lhs, in))))
    return nullptr;
  return generic.getDpsInputOperand(0)->get();
}

/// What the per-sample loss graph reads.
struct NLLParts {
  nn::LogSoftmaxOp logSoftmax;
  Value target;
  int64_t ignoreIndex;
  /// The generic computing target != ignore_index.
  linalg::GenericOp valid;
  /// The generic reading lp[n, target[n]] (with cf.assert bounds checks).
  linalg::GenericOp gather;
};

/// `valid = target != ignore_index` on an integer target of rank 1.
std::optional<NLLParts> matchValidMask(linalg::GenericOp valid) {
  auto cmp = valid ? getYielded<arith::CmpIOp>(valid) : arith::CmpIOp();
  if (!cmp || cmp.getPredicate() != arith::CmpIPredicate::ne ||
      valid.getNumDpsInputs() != 1 || valid.getNumLoops() != 1 ||
      valid.getNumReductionLoops() != 0)
    return std::nullopt;
  Block *body = valid.getBody();
  Value lhs = cmp.getLhs(), rhs = cmp.getRhs();
  if (rhs == body->getArgument(0))
    std::swap(lhs, rhs);
  APInt ignore;
  if (lhs != body->getArgument(0) || !matchPattern(rhs, m_ConstantInt(&ignore)))
    return std::nullopt;
  NLLParts parts;
  parts.target = valid.getDpsInputOperand(0)->get();
  parts.ignoreIndex = ignore.getSExtValue();
  parts.valid = valid;
  return parts;
}

/// `select(valid, -lp[n, select(valid, target, 0)[n]], 0.0)`: the per-sample
/// loss, reduction "none".
std::optional<NLLParts> matchPerSampleLoss(linalg::GenericOp loss) {
  auto select = loss ? getYielded<arith::SelectOp>(loss) : arith::SelectOp();
  if (!select || loss.getNumReductionLoops() != 0 || loss.getNumLoops() != 1 ||
      !isConstant(loss, select.getFalseValue(), 0.0))
    return std::nullopt;
  Value validTensor = getInputOf(loss, select.getCondition());
  Value negated = getInputOf(loss, select.getTrueValue());
  std::optional<NLLParts> parts =
      validTensor ? matchValidMask(getGeneric(validTensor)) : std::nullopt;
  linalg::GenericOp negation = negated ? getGeneric(negated) : nullptr;
  auto negf = negation ? getYielded<arith::NegFOp>(negation) : arith::NegFOp();
  if (!parts || !negf ||
      negf.getOperand() != negation.getBody()->getArgument(0))
    return std::nullopt;

  // The gather: lp[linalg.index 0, index_cast(safe target)].
  linalg::GenericOp gather =
      getGeneric(negation.getDpsInputOperand(0)->get());
  auto extract = gather ? getYielded<tensor::ExtractOp>(gather)
                        : tensor::ExtractOp();
  if (!extract || extract.getIndices().size() != 2 ||
      gather.getNumDpsInputs() != 1)
    return std::nullopt;
  auto row = extract.getIndices()[0].getDefiningOp<linalg::IndexOp>();
  auto column = extract.getIndices()[1].getDefiningOp<arith::IndexCastOp>();
  if (!row || row.getDim() != 0 || !column ||
      column.getIn() != gather.getBody()->getArgument(0))
    return std::nullopt;
  parts->gather = gather;
  parts->logSoftmax = extract.getTensor().getDefiningOp<nn::LogSoftmaxOp>();
  if (!parts->logSoftmax || parts->logSoftmax.getInputType().getRank() != 2 ||
      parts->logSoftmax.getNormalizedDim() != 1 ||
      !parts->logSoftmax->hasOneUse() ||
      parts->logSoftmax.getInputType() != parts->logSoftmax.getOutputType())
    return std::nullopt;

  // The class the gather reads: select(valid, target, constant).
  linalg::GenericOp safe = getGeneric(gather.getDpsInputOperand(0)->get());
  auto safeSelect = safe ? getYielded<arith::SelectOp>(safe) : arith::SelectOp();
  if (!safeSelect || getInputOf(safe, safeSelect.getCondition()) != validTensor ||
      getInputOf(safe, safeSelect.getTrueValue()) != parts->target ||
      !isConstant(safe, safeSelect.getFalseValue(), 0.0))
    return std::nullopt;

  // Shapes: logits [N, C], target [N], loss [N] of the logits' type.
  auto logitsType = parts->logSoftmax.getInputType();
  auto targetType = dyn_cast<RankedTensorType>(parts->target.getType());
  auto lossType = cast<RankedTensorType>(loss->getResult(0).getType());
  if (!targetType || targetType.getRank() != 1 ||
      targetType.getShape()[0] != logitsType.getShape()[0] ||
      lossType.getShape() != targetType.getShape() ||
      lossType.getElementType() != logitsType.getElementType())
    return std::nullopt;
  return parts;
}

/// The sum of the per-sample losses (reduction "sum").
std::optional<NLLParts> matchSum(linalg::GenericOp sum) {
  Value losses = matchSumReduction(
      sum, [](Value term, Value in) { return term == in; }, /*isFloat=*/true);
  return losses ? matchPerSampleLoss(getGeneric(losses)) : std::nullopt;
}

/// The sum divided by the count of targets kept (reduction "mean").
std::optional<NLLParts> matchMean(linalg::GenericOp mean) {
  auto div = getYielded<arith::DivFOp>(mean);
  if (!div || mean.getNumLoops() != 0)
    return std::nullopt;
  Value sumTensor = getInputOf(mean, div.getLhs());
  Value countTensor = getInputOf(mean, div.getRhs());
  linalg::GenericOp sum = sumTensor ? getGeneric(sumTensor) : nullptr;
  linalg::GenericOp toFloat = countTensor ? getGeneric(countTensor) : nullptr;
  std::optional<NLLParts> parts = sum ? matchSum(sum) : std::nullopt;
  auto sitofp = toFloat ? getYielded<arith::SIToFPOp>(toFloat)
                        : arith::SIToFPOp();
  if (!parts || !sitofp || sitofp.getIn() != toFloat.getBody()->getArgument(0))
    return std::nullopt;
  linalg::GenericOp count = getGeneric(toFloat.getDpsInputOperand(0)->get());
  Value counted =
      count ? matchSumReduction(
                  count,
                  [](Value term, Value in) {
                    auto ext = term.getDefiningOp<arith::ExtUIOp>();
                    return ext && ext.getIn() == in;
                  },
                  /*isFloat=*/false)
            : nullptr;
  if (!counted || getGeneric(counted) != parts->valid)
    return std::nullopt;
  return parts;
}

/// Whether some user of `generic`'s result is a root that `matcher` accepts:
/// then that one is raised instead, with the reduction in it.
bool feedsLargerRoot(linalg::GenericOp generic,
                     std::optional<NLLParts> (*matcher)(linalg::GenericOp)) {
  for (Operation *user : generic->getResult(0).getUsers())
    if (auto userGeneric = dyn_cast<linalg::GenericOp>(user))
      if (userGeneric->getNumResults() == 1 &&
          userGeneric.hasPureTensorSemantics() && matcher(userGeneric))
        return true;
  return false;
}

struct RaiseNLLLossOfLogSoftmax : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp root,
                                PatternRewriter &rewriter) const override {
    if (root->getNumResults() != 1 || !root.hasPureTensorSemantics())
      return failure();
    StringRef reduction;
    std::optional<NLLParts> parts;
    if ((parts = matchMean(root))) {
      reduction = "mean";
    } else if ((parts = matchSum(root))) {
      if (feedsLargerRoot(root, matchMean))
        return failure();
      reduction = "sum";
    } else if ((parts = matchPerSampleLoss(root))) {
      if (feedsLargerRoot(root, matchSum))
        return failure();
      reduction = "none";
    } else {
      return failure();
    }
    auto loss = nn::CrossEntropyOp::create(
        rewriter, root.getLoc(), root->getResult(0).getType(),
        parts->logSoftmax.getInput(), parts->target,
        rewriter.getI64IntegerAttr(parts->ignoreIndex),
        rewriter.getStringAttr(reduction), rewriter.getF64FloatAttr(0.0));
    llvm::SetVector<Operation *> producers;
    for (Value operand : root->getOperands())
      if (Operation *def = operand.getDefiningOp())
        producers.insert(def);
    rewriter.replaceOp(root, loss.getResult());
    // The graph is dead now, but the gather's cf.assert keeps the greedy
    // driver from erasing it, and with it the nn.logsoftmax: erase it here.
    while (!producers.empty()) {
      Operation *op = producers.pop_back_val();
      if (!op->use_empty() ||
          (op != parts->gather.getOperation() && !wouldOpBeTriviallyDead(op)))
        continue;
      for (Value operand : op->getOperands())
        if (Operation *def = operand.getDefiningOp())
          producers.insert(def);
      rewriter.eraseOp(op);
    }
    return success();
  }
};

} // namespace

void mlir::nn::populateRaiseNLLLossPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseNLLLossOfLogSoftmax>(patterns.getContext());
}
