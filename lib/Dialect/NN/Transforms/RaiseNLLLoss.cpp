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
// nn.cross_entropy. With label smoothing (the mean only), F.cross_entropy
// adds (eps / C) * mean(-sum(lp, 1)) over the kept samples to (1 - eps) *
// mean, eps being read off the constants. The gather's
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

#include <cmath>

using namespace mlir;

namespace {

/// The generic computing `value` (null for a null value) with one result
/// and pure tensor semantics, looking through reshapes that only add or drop
/// unit dimensions.
linalg::GenericOp getGeneric(Value value) {
  // Whether each group of `expanded`'s dimensions has at most one that is
  // not 1, so that the reshape keeps every index where it was.
  auto onlyUnitDims = [](RankedTensorType expanded,
                         ArrayRef<ReassociationIndices> groups) {
    return llvm::all_of(groups, [&](const ReassociationIndices &group) {
      return llvm::count_if(group, [&](int64_t i) {
               return expanded.getDimSize(i) != 1;
             }) <= 1;
    });
  };
  while (value) {
    if (auto expand = value.getDefiningOp<tensor::ExpandShapeOp>();
        expand && onlyUnitDims(expand.getResultType(),
                               expand.getReassociationIndices()))
      value = expand.getSrc();
    else if (auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>();
             collapse && onlyUnitDims(collapse.getSrcType(),
                                      collapse.getReassociationIndices()))
      value = collapse.getSrc();
    else
      break;
  }
  auto generic = value ? value.getDefiningOp<linalg::GenericOp>()
                       : linalg::GenericOp();
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
  /// The label smoothing, and how many uses of the log-softmax the graph
  /// makes (the gather; with smoothing also the sum over the classes).
  double labelSmoothing = 0.0;
  unsigned logSoftmaxUses = 1;
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
  if (!parts || !negf || negation.getNumDpsInputs() != 1 ||
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
  if (!parts || !sitofp || toFloat.getNumDpsInputs() != 1 ||
      sitofp.getIn() != toFloat.getBody()->getArgument(0))
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

/// The f64 constant that `generic`, a rank-0 generic, multiplies its input
/// by, as `in * truncf(c)` (either order); std::nullopt otherwise.
std::optional<double> matchScaling(linalg::GenericOp generic, Value &input) {
  auto mul = generic ? getYielded<arith::MulFOp>(generic) : arith::MulFOp();
  if (!mul || generic.getNumLoops() != 0 || generic.getNumDpsInputs() != 1)
    return std::nullopt;
  Value in = generic.getBody()->getArgument(0);
  Value factor = mul.getLhs() == in ? mul.getRhs() : mul.getLhs();
  if (mul.getLhs() != in && mul.getRhs() != in)
    return std::nullopt;
  if (auto trunc = factor.getDefiningOp<arith::TruncFOp>())
    factor = trunc.getIn();
  APFloat value(0.0);
  if (!matchPattern(factor, m_ConstantFloat(&value)))
    return std::nullopt;
  input = generic.getDpsInputOperand(0)->get();
  return value.convertToDouble();
}

/// PyTorch's smoothing term, mean over the kept samples of -sum_c lp[n, c]:
///   select(target == ignore_index, 0.0, -sum(lp, 1)), summed, divided by
///   sitofp(count(!(target == ignore_index))).
bool matchSmoothingMean(linalg::GenericOp mean, NLLParts parts) {
  auto div = mean ? getYielded<arith::DivFOp>(mean) : arith::DivFOp();
  if (!div || mean.getNumLoops() != 0)
    return false;
  auto sitofp = div.getRhs().getDefiningOp<arith::SIToFPOp>();
  Value sumTensor = getInputOf(mean, div.getLhs());
  Value countTensor = sitofp ? getInputOf(mean, sitofp.getIn()) : nullptr;
  if (!sumTensor || !countTensor)
    return false;

  // ignored = target == ignore_index; the count is of its negation.
  auto isIgnoredMask = [&](linalg::GenericOp generic) {
    auto cmp = generic ? getYielded<arith::CmpIOp>(generic) : arith::CmpIOp();
    APInt ignore;
    return cmp && cmp.getPredicate() == arith::CmpIPredicate::eq &&
           generic.getNumDpsInputs() == 1 &&
           generic.getDpsInputOperand(0)->get() == parts.target &&
           cmp.getLhs() == generic.getBody()->getArgument(0) &&
           matchPattern(cmp.getRhs(), m_ConstantInt(&ignore)) &&
           ignore.getSExtValue() == parts.ignoreIndex;
  };
  linalg::GenericOp count = getGeneric(countTensor);
  Value kept = count ? matchSumReduction(
                           count,
                           [](Value term, Value in) {
                             auto ext = term.getDefiningOp<arith::ExtUIOp>();
                             return ext && ext.getIn() == in;
                           },
                           /*isFloat=*/false)
                     : nullptr;
  linalg::GenericOp negation = kept ? getGeneric(kept) : nullptr;
  auto xori = negation ? getYielded<arith::XOrIOp>(negation) : arith::XOrIOp();
  if (!xori || !matchPattern(xori.getRhs(), m_One()) ||
      !isIgnoredMask(getGeneric(getInputOf(negation, xori.getLhs()))))
    return false;

  Value perSample = matchSumReduction(
      getGeneric(sumTensor), [](Value term, Value in) { return term == in; },
      /*isFloat=*/true);
  linalg::GenericOp select = perSample ? getGeneric(perSample) : nullptr;
  auto sel = select ? getYielded<arith::SelectOp>(select) : arith::SelectOp();
  if (!sel || !isConstant(select, sel.getTrueValue(), 0.0) ||
      !isIgnoredMask(getGeneric(getInputOf(select, sel.getCondition()))))
    return false;
  Value negatedSum = getInputOf(select, sel.getFalseValue());
  linalg::GenericOp neg = negatedSum ? getGeneric(negatedSum) : nullptr;
  auto negf = neg ? getYielded<arith::NegFOp>(neg) : arith::NegFOp();
  if (!negf || neg.getNumDpsInputs() != 1 ||
      negf.getOperand() != neg.getBody()->getArgument(0))
    return false;
  // The sum over the classes: lp reduced along dim 1 into a zero fill.
  linalg::GenericOp rowSum = getGeneric(neg.getDpsInputOperand(0)->get());
  auto add = rowSum ? getYielded<arith::AddFOp>(rowSum) : arith::AddFOp();
  if (!add || rowSum.getNumDpsInputs() != 1 ||
      rowSum.getDpsInputOperand(0)->get() != parts.logSoftmax.getResult() ||
      rowSum.getNumReductionLoops() != 1 || rowSum.getNumLoops() != 2)
    return false;
  SmallVector<unsigned> reductionDims;
  rowSum.getReductionDims(reductionDims);
  Block *body = rowSum.getBody();
  auto fill = rowSum.getDpsInitOperand(0)->get().getDefiningOp<linalg::FillOp>();
  return reductionDims[0] == 1 &&
         rowSum.getIndexingMapsArray()[0].isIdentity() && fill &&
         isConstant(rowSum, fill.getInputs()[0], 0.0) &&
         ((add.getLhs() == body->getArgument(0) &&
           add.getRhs() == body->getArgument(1)) ||
          (add.getRhs() == body->getArgument(0) &&
           add.getLhs() == body->getArgument(1)));
}

/// (1 - eps) * mean + (eps / C) * smoothing mean, as rank-0 generics.
std::optional<NLLParts> matchSmoothedMean(linalg::GenericOp root) {
  auto add = root ? getYielded<arith::AddFOp>(root) : arith::AddFOp();
  if (!add || root.getNumLoops() != 0 || root.getNumDpsInputs() != 2)
    return std::nullopt;
  for (auto [nllTerm, smoothTerm] :
       {std::make_pair(add.getLhs(), add.getRhs()),
        std::make_pair(add.getRhs(), add.getLhs())}) {
    Value nllTensor = getInputOf(root, nllTerm);
    Value smoothTensor = getInputOf(root, smoothTerm);
    if (!nllTensor || !smoothTensor)
      continue;
    Value nllMean, smoothMean;
    std::optional<double> keep = matchScaling(getGeneric(nllTensor), nllMean);
    std::optional<double> spread =
        matchScaling(getGeneric(smoothTensor), smoothMean);
    if (!keep || !spread)
      continue;
    std::optional<NLLParts> parts = matchMean(getGeneric(nllMean));
    if (!parts || !matchSmoothingMean(getGeneric(smoothMean), *parts))
      continue;
    int64_t classes = parts->logSoftmax.getInputType().getShape()[1];
    if (ShapedType::isDynamic(classes))
      continue;
    // eps / C and 1 - eps are rounded f64 constants: eps is read off the
    // first (exact for eps = 0.1, C = 10) and checked against the second.
    double eps = *spread * static_cast<double>(classes);
    if (!(eps > 0.0 && eps <= 1.0) || std::abs(1.0 - eps - *keep) > 1e-12)
      continue;
    parts->labelSmoothing = eps;
    parts->logSoftmaxUses = 2;
    return parts;
  }
  return std::nullopt;
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

/// The scaling of a mean inside a smoothed mean: the smoothed mean is
/// raised instead of the mean alone.
std::optional<NLLParts> matchScaledMean(linalg::GenericOp scaling) {
  for (Operation *user : scaling->getResult(0).getUsers())
    if (auto root = dyn_cast<linalg::GenericOp>(user))
      if (root->getNumResults() == 1 && root.hasPureTensorSemantics())
        if (std::optional<NLLParts> parts = matchSmoothedMean(root))
          return parts;
  return std::nullopt;
}

struct RaiseNLLLossOfLogSoftmax : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp root,
                                PatternRewriter &rewriter) const override {
    if (root->getNumResults() != 1 || !root.hasPureTensorSemantics())
      return failure();
    StringRef reduction;
    std::optional<NLLParts> parts;
    if ((parts = matchSmoothedMean(root))) {
      reduction = "mean";
    } else if ((parts = matchMean(root))) {
      if (feedsLargerRoot(root, matchScaledMean))
        return failure();
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
    // A log-softmax that other ops read stays, and the loss would compute
    // it again: then the loss is not raised.
    if (!llvm::hasNItems(parts->logSoftmax->getUses(),
                         parts->logSoftmaxUses))
      return failure();
    auto loss = nn::CrossEntropyOp::create(
        rewriter, root.getLoc(), root->getResult(0).getType(),
        parts->logSoftmax.getInput(), parts->target,
        rewriter.getI64IntegerAttr(parts->ignoreIndex),
        rewriter.getStringAttr(reduction),
        rewriter.getF64FloatAttr(parts->labelSmoothing));
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
