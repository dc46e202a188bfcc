//===- CrossEntropyKernels.cpp - nn.cross_entropy's GPU parts -------------===//
//
// nn.cross_entropy runs on the log-softmax kernels: rows (a row per sample,
// the classes last) or, for [N, C, d...] logits, columns (a column per
// sample). They reduce the sample's maximum and sum, then one thread calls
// emitCrossEntropyLoss. For "sum" and "mean" a second launch adds the
// samples' losses in f64, as the CPU kernels do.
//
// nn.cross_entropy_grad runs on the softmax kernels, writing through
// crossEntropyGradWriter; for "mean" a first launch divides grad_loss by
// the count of samples not ignored.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "LogSoftmaxKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <cmath>

using namespace mlir;
using namespace mlir::nn::gpu_kernels;

/// A launch of one block of kBlockThreads threads named k.name + `suffix`,
/// with `arrays` arrays of one f64 per warp in shared memory; the builder
/// is left at the start of its body.
static gpu::LaunchOp createOneBlockLaunch(KernelContext &k, StringRef suffix,
                                          unsigned arrays) {
  OpBuilder &b = k.b;
  auto shared = MemRefType::get(
      {kBlockThreads / kWarpSize}, b.getF64Type(), AffineMap(),
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup));
  auto launch = createLaunch(
      k, arith::ConstantIndexOp::create(b, k.loc, 1), kBlockThreads, 1,
      k.name + suffix.str(), SmallVector<Type>(arrays, shared));
  b.setInsertionPointToStart(&launch.getBody().front());
  return launch;
}

void mlir::nn::gpu_kernels::emitCrossEntropyLoss(KernelContext &k,
                                                 const SampleLogits &s,
                                                 Value n, Value reference,
                                                 Value sum, Value spread) {
  Value row = s.index;
  OpBuilder &b = k.b;
  Location loc = k.loc;
  Emitter e{b, loc, k.acc};
  Type i64 = b.getI64Type();
  Value logSum = math::LogOp::create(b, loc, sum);
  Value target = memref::LoadOp::create(b, loc, k.aux, row);
  if (target.getType() != i64)
    target = arith::ExtSIOp::create(b, loc, i64, target);
  Value classes = arith::IndexCastOp::create(b, loc, i64, n);
  Value ignored = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq, target,
      arith::ConstantIntOp::create(b, loc, k.ce.ignoreIndex, 64));
  Value inRange = arith::AndIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, target,
                            arith::ConstantIntOp::create(b, loc, 0, 64)),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, target,
                            classes));
  Value nan = e.constant(k.acc, NAN);
  // The target's logit, read only when it exists.
  Value xt = e.ifElse(
      inRange,
      [&] {
        Value column = arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                                  target);
        return e.loadScalar(k.in, e.addi(s.base, e.muli(column, s.stride)));
      },
      nan);
  // -log p[target] = log(sum) - (x[t] - reference): the difference of two
  // logits before anything large is added, so that large logits keep their
  // precision (as the CPU kernel computes it). With smoothing e, and
  // spread = sum_c e / C * (x_c - reference):
  //   log(sum) - (1 - e) * (x[t] - reference) - spread.
  Value shifted = e.sub(xt, reference);
  Value loss;
  if (k.ce.smoothing > 0)
    loss = e.sub(
        e.sub(logSum, e.mul(e.constant(k.acc, 1.0 - k.ce.smoothing), shifted)),
        spread);
  else
    loss = e.sub(logSum, shifted);
  loss = arith::SelectOp::create(b, loc, inRange, loss, nan);
  loss = arith::SelectOp::create(b, loc, ignored, e.constant(k.acc, 0.0), loss);
  if (!k.ce.partials) {
    e.storeScalar(loss, k.out, row);
    return;
  }
  Type f64 = b.getF64Type();
  if (k.acc != f64)
    loss = arith::ExtFOp::create(b, loc, f64, loss);
  Value counted = arith::SelectOp::create(
      b, loc, ignored,
      arith::ConstantOp::create(b, loc, f64, b.getF64FloatAttr(0.0)),
      arith::ConstantOp::create(b, loc, f64, b.getF64FloatAttr(1.0)));
  Value slot = e.muli(row, e.index(2));
  memref::StoreOp::create(b, loc, loss, k.ce.partials, slot);
  memref::StoreOp::create(b, loc, counted, k.ce.partials,
                          e.addi(slot, e.index(1)));
}

Value mlir::nn::gpu_kernels::crossEntropyClassWeight(KernelContext &k,
                                                    Value n) {
  OpBuilder &b = k.b;
  Value classes = arith::IndexCastOp::create(b, k.loc, b.getI64Type(), n);
  Value count = arith::SIToFPOp::create(b, k.loc, k.acc, classes);
  Value smoothing = arith::ConstantOp::create(
      b, k.loc, k.acc, b.getFloatAttr(k.acc, k.ce.smoothing));
  return arith::DivFOp::create(b, k.loc, smoothing, count);
}

SliceWriter mlir::nn::gpu_kernels::crossEntropyGradWriter(
    KernelContext &k, const SampleLogits &s, Value n, Value reference,
    Value sum) {
  Value row = s.index;
  OpBuilder &b = k.b;
  Location loc = k.loc;
  Emitter e{b, loc, k.acc};
  Type i64 = b.getI64Type();
  Value target = memref::LoadOp::create(b, loc, k.aux, row);
  if (target.getType() != i64)
    target = arith::ExtSIOp::create(b, loc, i64, target);
  Value ignored = e.cmp(
      arith::CmpIPredicate::eq, target,
      arith::ConstantIntOp::create(b, loc, k.ce.ignoreIndex, 64));
  Value inRange = arith::AndIOp::create(
      b, loc,
      e.cmp(arith::CmpIPredicate::sge, target,
            arith::ConstantIntOp::create(b, loc, 0, 64)),
      e.cmp(arith::CmpIPredicate::slt, target,
            arith::IndexCastOp::create(b, loc, i64, n)));
  // g: NaN for a target out of range; 0 for an ignored sample, whose row
  // is then softmax * 0 with no label, as PyTorch's autograd gives.
  Value zero = e.constant(k.acc, 0.0);
  Value g = e.loadScalar(k.ce.gradLoss, k.ce.perSample ? row : e.index(0));
  g = arith::SelectOp::create(b, loc, inRange, g, e.constant(k.acc, NAN));
  g = arith::SelectOp::create(b, loc, ignored, zero, g);
  Value spread = zero, hit = e.constant(k.acc, 1.0);
  if (k.ce.smoothing > 0) {
    Value weight = crossEntropyClassWeight(k, n);
    spread = arith::SelectOp::create(b, loc, ignored, zero, weight);
    hit = e.add(e.constant(k.acc, 1.0 - k.ce.smoothing), weight);
  }
  Value counted = arith::AndIOp::create(
      b, loc, inRange,
      arith::XOrIOp::create(b, loc, ignored,
                            arith::ConstantIntOp::create(b, loc, 1, 1)));
  Value targetIndex =
      arith::IndexCastOp::create(b, loc, b.getIndexType(), target);
  Value targetOffset = arith::SelectOp::create(
      b, loc, counted, e.addi(s.base, e.muli(targetIndex, s.stride)),
      e.index(-1));
  return {SoftmaxKind::CrossEntropyGrad,
          reference,
          e.finishSum(SoftmaxKind::CrossEntropyGrad, sum),
          Value(),
          g,
          spread,
          hit,
          targetOffset};
}

void mlir::nn::gpu_kernels::emitCrossEntropyGradScale(KernelContext &k,
                                                      Value samples,
                                                      Value scale) {
  OpBuilder &b = k.b;
  Location loc = k.loc;
  FloatType f64 = b.getF64Type();
  Emitter e{b, loc, f64};
  OpBuilder::InsertionGuard guard(b);
  auto launch = createOneBlockLaunch(k, "_ce_grad_scale", 1);
  Value t = launch.getThreadIds().x;
  Value ignoreIndex =
      arith::ConstantIntOp::create(b, loc, k.ce.ignoreIndex, 64);
  auto loop = scf::ForOp::create(b, loc, t, samples, e.index(kBlockThreads),
                                 ValueRange{e.constant(f64, 0.0)});
  {
    OpBuilder::InsertionGuard bodyGuard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value target =
        memref::LoadOp::create(b, loc, k.aux, loop.getInductionVar());
    if (!target.getType().isInteger(64))
      target = arith::ExtSIOp::create(b, loc, b.getI64Type(), target);
    // Counted in f64: exact up to 2^53 samples.
    Value counted = arith::SelectOp::create(
        b, loc, e.cmp(arith::CmpIPredicate::eq, target, ignoreIndex),
        e.constant(f64, 0.0), e.constant(f64, 1.0));
    scf::YieldOp::create(b, loc,
                         e.add(loop.getRegionIterArgs()[0], counted));
  }
  Value count = e.groupReduce(loop.getResult(0), /*isMax=*/false, t,
                              launch.getWorkgroupAttributions()[0]);
  e.ifThen(e.cmp(arith::CmpIPredicate::eq, t, e.index(0)), [&] {
    // grad_loss / count in `acc`, as the CPU kernel divides; 1 / 0 when
    // every sample is ignored, which then multiplies nothing.
    Emitter acc{b, loc, k.acc};
    if (k.acc != f64)
      count = arith::TruncFOp::create(b, loc, k.acc, count);
    Value g = acc.loadScalar(k.ce.gradLoss, e.index(0));
    memref::StoreOp::create(b, loc, arith::DivFOp::create(b, loc, g, count),
                            scale, e.index(0));
  });
  gpu::TerminatorOp::create(b, loc);
}

void mlir::nn::gpu_kernels::emitCrossEntropyTotal(KernelContext &k,
                                                  Value samples) {
  OpBuilder &b = k.b;
  Location loc = k.loc;
  FloatType f64 = b.getF64Type();
  Emitter e{b, loc, f64};
  OpBuilder::InsertionGuard guard(b);
  auto launch = createOneBlockLaunch(k, "_ce_total", 2);
  Value t = launch.getThreadIds().x;
  Value zero = e.constant(f64, 0.0);
  auto loop = scf::ForOp::create(b, loc, t, samples, e.index(kBlockThreads),
                                 ValueRange{zero, zero});
  {
    OpBuilder::InsertionGuard bodyGuard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value slot = e.muli(loop.getInductionVar(), e.index(2));
    Value loss = memref::LoadOp::create(b, loc, k.ce.partials, slot);
    Value counted = memref::LoadOp::create(b, loc, k.ce.partials,
                                           e.addi(slot, e.index(1)));
    ValueRange sums = loop.getRegionIterArgs();
    scf::YieldOp::create(b, loc,
                         ValueRange{e.add(sums[0], loss),
                                    e.add(sums[1], counted)});
  }
  Value total = e.groupReduce(loop.getResult(0), /*isMax=*/false, t,
                              launch.getWorkgroupAttributions()[0]);
  Value count = e.groupReduce(loop.getResult(1), /*isMax=*/false, t,
                              launch.getWorkgroupAttributions()[1]);
  e.ifThen(e.cmp(arith::CmpIPredicate::eq, t, e.index(0)), [&] {
    // "mean" over no counted sample is 0 / 0 = NaN, as in PyTorch.
    Value result =
        k.ce.mean ? arith::DivFOp::create(b, loc, total, count).getResult()
                  : total;
    // f64 -> bf16 through f32, as the CPU kernels round it (and the
    // emulator's CPU code has no __truncdfbf2 to call).
    if (cast<MemRefType>(k.out.getType()).getElementType().isBF16())
      result = arith::TruncFOp::create(b, loc, b.getF32Type(), result);
    e.storeScalar(result, k.out, e.index(0));
  });
  gpu::TerminatorOp::create(b, loc);
}
