//===- KernelEmitter.h - Arithmetic of the GPU kernels ----------*- C++ -*-===//
//
// Private to NNToGPU: the arithmetic the kernels are built from, on `acc`
// scalars or vectors of `acc` (f32, or f64 for f64 results).
//
// exp is exp2((x - max) * log2(e)) marked `afn`, which the GPU pipeline turns
// into one ex2.approx.ftz.f32 (MUFU.EX2) per element. The subtraction comes
// before the scaling: pre-scaling x by log2(e) (one FFMA) rounds x * log2(e)
// to 24 bits, which on a row offset by 1e4 leaves an error of about 1e-3 in
// every exponent, far above the spec's tolerance.
//
// The maximum used as the reference is 0 when it is -inf, so that rows (or
// row prefixes) of -inf add exp(-inf) = 0 instead of exp(NaN); +inf and NaN
// still make the sum NaN, which gives the spec's all-NaN rows.
//
//===----------------------------------------------------------------------===//

#ifndef NN_LIB_CONVERSION_NNTOGPU_KERNELEMITTER_H
#define NN_LIB_CONVERSION_NNTOGPU_KERNELEMITTER_H

#include "LogSoftmaxKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <cmath>

namespace mlir::nn::gpu_kernels {

/// Emits `then` inside `scf.if (cond)`, and `otherwise`, when given, in its
/// else branch; the builder's insertion point is restored after it.
inline void emitIf(OpBuilder &b, Location loc, Value cond,
                   llvm::function_ref<void()> then,
                   llvm::function_ref<void()> otherwise = nullptr) {
  auto ifOp = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/!!otherwise);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  then();
  if (!otherwise)
    return;
  b.setInsertionPointToStart(&ifOp.getElseRegion().front());
  otherwise();
}

/// The arithmetic of the kernels, on `acc` scalars or vectors of `acc`.
struct Emitter {
  OpBuilder &b;
  Location loc;
  FloatType acc;

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  /// `v` of `type` (`acc`, or a vector of it).
  Value constant(Type type, double v) {
    TypedAttr attr = b.getFloatAttr(acc, v);
    if (auto vector = dyn_cast<VectorType>(type))
      attr = SplatElementsAttr::get(vector, attr);
    return arith::ConstantOp::create(b, loc, type, attr);
  }
  Value splat(Value scalar, Type type) {
    if (!isa<VectorType>(type))
      return scalar;
    return vector::BroadcastOp::create(b, loc, type, scalar);
  }
  Value max(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  /// exp(d), for d <= kReferenceSlack (or NaN): see the file comment.
  Value exp(Value d) {
    if (!acc.isF32())
      return math::ExpOp::create(b, loc, d);
    Value scaled = mul(d, constant(d.getType(), M_LOG2E));
    return math::Exp2Op::create(b, loc, scaled, arith::FastMathFlags::afn);
  }
  /// What the write pass takes from a slice's sum `s`: log(s) for
  /// log-softmax, s for the gradient, 1 / s otherwise.
  Value finishSum(SoftmaxKind kind, Value s) {
    if (kind == SoftmaxKind::LogSoftmax)
      return math::LogOp::create(b, loc, s);
    if (kind == SoftmaxKind::LogSoftmaxGrad)
      return s;
    return arith::DivFOp::create(b, loc, constant(s.getType(), 1.0), s);
  }
  /// The reference maximum: `m`, or 0 when it is -inf.
  Value safeMax(Value m) {
    Value isNegInf = arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OEQ, m, constant(m.getType(), -INFINITY));
    return arith::SelectOp::create(b, loc, isNegInf,
                                   constant(m.getType(), 0.0), m);
  }
  Value reduce(vector::CombiningKind kind, Value v) {
    return vector::ReductionOp::create(b, loc, kind, v);
  }

  /// The running state of a streamed sum: s - c = sum of exp(x - ref)
  /// over the elements seen, m their maximum.
  /// - `ref` lags behind m and moves only when an element exceeds it by
  ///   more than kReferenceSlack, so that the sum is rescaled a few times
  ///   per row, not at every new maximum.
  /// - The sum is compensated (Kahan; c holds what rounding dropped): one
  ///   accumulator takes a whole column, and on an f16 column of 1023
  ///   values near 3e4 with three at the maximum, 1020 terms of e^-16 each
  ///   fell below half an ulp of the sum, which came out 3e-5 low (found by
  ///   the gpu-emu path; the spec allows 1e-5).
  struct Lagged {
    Value ref, m, s, c;
  };
  static constexpr double kReferenceSlack = 64.0;
  /// The initial state: scalars, or one state per lane of `type`.
  Lagged initialLagged(Type type) {
    return {constant(type, -llvm::APFloat::getLargest(acc.getFloatSemantics())
                               .convertToDouble()),
            constant(type, -INFINITY), constant(type, 0.0),
            constant(type, 0.0)};
  }
  /// `state` with `x` added: `x` a scalar or a vector of `acc`, into a
  /// scalar state (a vector's lanes all go into it), or a vector of lanes
  /// into a state of as many lanes (each lane its own column).
  Lagged updateLagged(Lagged state, Value x) {
    bool lanes = isa<VectorType>(state.m.getType());
    bool reduceX = isa<VectorType>(x.getType()) && !lanes;
    Value xMax = reduceX ? reduce(vector::CombiningKind::MAXIMUMF, x) : x;
    Value m = max(state.m, xMax);
    // xMax - ref > slack, not xMax > ref + slack, which rounds (see
    // updateLagged in NNToVector); NaN never moves the reference.
    Value aboveLanes = arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OGT, sub(xMax, state.ref),
        constant(state.ref.getType(), kReferenceSlack));
    Value above =
        lanes ? reduce(vector::CombiningKind::OR, aboveLanes) : aboveLanes;
    Type type = state.ref.getType();
    auto move = scf::IfOp::create(b, loc, TypeRange{type, type, type}, above,
                                  /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&move.getThenRegion().front());
      // Only the lanes above move; the others keep a factor of exp(0) = 1.
      Value moved = max(m, state.ref);
      if (lanes)
        moved = arith::SelectOp::create(b, loc, aboveLanes, moved, state.ref);
      Value factor = exp(sub(state.ref, moved));
      scf::YieldOp::create(
          b, loc,
          ValueRange{moved, mul(state.s, factor), mul(state.c, factor)});
      b.setInsertionPointToStart(&move.getElseRegion().front());
      scf::YieldOp::create(b, loc, ValueRange{state.ref, state.s, state.c});
    }
    Value ref = move.getResult(0), s = move.getResult(1),
          c = move.getResult(2);
    Value terms = exp(sub(x, splat(ref, x.getType())));
    if (reduceX)
      terms = reduce(vector::CombiningKind::ADD, terms);
    // Kahan: y is the term less what the last addition dropped.
    Value y = sub(terms, c);
    Value sum = add(s, y);
    return {ref, m, sum, sub(sub(sum, s), y)};
  }
  /// The sum of `state` against `reference` (a safeMax at least its m).
  Value sumAgainst(Lagged state, Value reference) {
    return mul(sub(state.s, state.c), exp(sub(state.ref, reference)));
  }

  /// `v` widened to `acc` (element-wise for vectors).
  Value widen(Value v) {
    Type target = acc;
    if (auto vector = dyn_cast<VectorType>(v.getType()))
      target = vector.clone(acc);
    return v.getType() == target ? v : arith::ExtFOp::create(b, loc, target, v);
  }
  /// `v` rounded once to `element` (element-wise for vectors).
  Value narrow(Value v, Type element) {
    Type target = element;
    if (auto vector = dyn_cast<VectorType>(v.getType()))
      target = vector.clone(element);
    return v.getType() == target ? v
                                 : arith::TruncFOp::create(b, loc, target, v);
  }
  Value cmp(arith::CmpIPredicate predicate, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, predicate, x, y);
  }
  Value addi(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value subi(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value muli(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value divui(Value x, Value y) { return arith::DivUIOp::create(b, loc, x, y); }
  Value remui(Value x, Value y) { return arith::RemUIOp::create(b, loc, x, y); }
  Value minui(Value x, Value y) { return arith::MinUIOp::create(b, loc, x, y); }

  /// `cond ? then() : otherwise` as an scf.if yielding one value.
  Value ifElse(Value cond, llvm::function_ref<Value()> then, Value otherwise) {
    auto ifOp = scf::IfOp::create(b, loc, otherwise.getType(), cond,
                                  /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    scf::YieldOp::create(b, loc, then());
    b.setInsertionPointToStart(&ifOp.getElseRegion().front());
    scf::YieldOp::create(b, loc, otherwise);
    return ifOp.getResult(0);
  }
  void ifThen(Value cond, llvm::function_ref<void()> then) {
    emitIf(b, loc, cond, then);
  }

  /// `width` elements from `buffer[i]`, widened. With `width` > 1 the
  /// launch site checked that the buffer starts on 16 bytes and `i` is a
  /// multiple of `width`: the access is aligned to its size, up to 16.
  Value loadVector(Value buffer, Value i, int64_t width) {
    auto type = VectorType::get(
        {width}, cast<MemRefType>(buffer.getType()).getElementType());
    auto load = vector::LoadOp::create(b, loc, type, buffer, ValueRange{i});
    if (width > 1)
      load.setAlignment(alignmentOf(type));
    return widen(load);
  }
  void storeVector(Value v, Value buffer, Value i, int64_t width) {
    Value narrowed =
        narrow(v, cast<MemRefType>(buffer.getType()).getElementType());
    auto store = vector::StoreOp::create(b, loc, narrowed, buffer, ValueRange{i});
    if (width > 1)
      store.setAlignment(alignmentOf(cast<VectorType>(narrowed.getType())));
  }
  static uint64_t alignmentOf(VectorType type) {
    return std::min<uint64_t>(
        16, type.getNumElements() * type.getElementTypeBitWidth() / 8);
  }
  Value loadScalar(Value buffer, Value i) {
    return widen(memref::LoadOp::create(b, loc, buffer, i));
  }
  void storeScalar(Value v, Value buffer, Value i) {
    memref::StoreOp::create(
        b, loc, narrow(v, cast<MemRefType>(buffer.getType()).getElementType()),
        buffer, i);
  }

  /// Butterfly all-reduce over the 32 lanes of a warp: every lane ends with
  /// the same bits, as each step combines the same two values.
  Value warpReduce(Value x, bool isMax) {
    Value width = arith::ConstantIntOp::create(b, loc, kWarpSize, 32);
    for (int64_t offset = kWarpSize / 2; offset >= 1; offset /= 2) {
      Value o = arith::ConstantIntOp::create(b, loc, offset, 32);
      Value other =
          gpu::ShuffleOp::create(b, loc, x, o, width, gpu::ShuffleMode::XOR)
              .getShuffleResult();
      x = isMax ? max(x, other) : add(x, other);
    }
    return x;
  }
  /// warpReduce, then, for a whole block, the warps' results through
  /// `shared` (one slot per warp), combined by every thread in warp order.
  Value groupReduce(Value x, bool isMax, Value tid, Value shared) {
    int64_t warps = shared ? cast<MemRefType>(shared.getType()).getNumElements()
                           : 1;
    x = warpReduce(x, isMax);
    if (!shared)
      return x;
    Value warp = divui(tid, index(kWarpSize));
    Value lane = remui(tid, index(kWarpSize));
    ifThen(cmp(arith::CmpIPredicate::eq, lane, index(0)),
           [&] { memref::StoreOp::create(b, loc, x, shared, warp); });
    gpu::BarrierOp::create(b, loc);
    Value r = memref::LoadOp::create(b, loc, shared, index(0));
    for (int64_t w = 1; w < warps; ++w) {
      Value partial = memref::LoadOp::create(b, loc, shared, index(w));
      r = isMax ? max(r, partial) : add(r, partial);
    }
    return r;
  }
};

/// What the write pass stores for the elements of one slice (a row, or a
/// thread's columns), from the slice's reduction; see SoftmaxKind. The
/// exp here is math.exp, not the approximation: its error goes straight
/// into the result.
struct SliceWriter {
  SoftmaxKind kind;
  /// The slice's safe maximum (a vector of one per column for columns);
  /// unused by the gradient.
  Value reference;
  /// Emitter::finishSum of the slice's sum (per column for columns).
  Value finished;
  /// nn.logsoftmax_grad: the buffer of y, read where x is.
  Value aux = {};
  /// nn.cross_entropy_grad (scalars): the sample's factor g, the label
  /// weight of every class (e / C, 0 for an ignored sample), that of the
  /// target's class ((1 - e) + e / C), and the target's offset in the
  /// logits (-1 when no class is the target).
  Value g = {}, spread = {}, hit = {}, target = {};

  /// This writer with its values broadcast to `type` (a vector of `acc`)
  /// once, for the writes of many vectors. The cross-entropy gradient's
  /// stay scalars, which store() needs for the target's element (NVPTX
  /// scalarizes the vectors: a broadcast per vector costs nothing there).
  SliceWriter splatTo(Emitter &e, Type type) const {
    SliceWriter w = *this;
    if (kind == SoftmaxKind::CrossEntropyGrad)
      return w;
    for (Value *v : {&w.reference, &w.finished})
      if (*v)
        *v = e.splat(*v, type);
    return w;
  }

  /// The result for `x` (a scalar or a vector of `acc`) read at `offset`.
  Value result(Emitter &e, Value x, Value offset) const {
    OpBuilder &b = e.b;
    Location loc = e.loc;
    Type type = x.getType();
    auto vectorType = dyn_cast<VectorType>(type);
    auto like = [&](Value v) {
      return v.getType() == type ? v : e.splat(v, type);
    };
    if (kind == SoftmaxKind::LogSoftmaxGrad) {
      Value y = vectorType
                    ? e.loadVector(aux, offset, vectorType.getNumElements())
                    : e.loadScalar(aux, offset);
      Value s = like(finished);
      return e.sub(x, e.mul(math::ExpOp::create(b, loc, y), s));
    }
    Value m = like(reference), f = like(finished);
    Value d = e.sub(x, m);
    if (kind == SoftmaxKind::LogSoftmax)
      return e.sub(d, f);
    Value p = e.mul(math::ExpOp::create(b, loc, d), f);
    if (kind != SoftmaxKind::CrossEntropyGrad)
      return p;
    // g * (p - e / C); rewriteTarget writes the target's element again.
    return e.mul(like(g), e.sub(p, like(spread)));
  }

  /// Stores the result for `x`, read at `offset` of `source` (a scalar or
  /// a vector of `acc`), into `buffer` at the same offset.
  void store(Emitter &e, Value x, Value offset, Value buffer) const {
    Value y = result(e, x, offset);
    if (auto vectorType = dyn_cast<VectorType>(x.getType()))
      e.storeVector(y, buffer, offset, vectorType.getNumElements());
    else
      e.storeScalar(y, buffer, offset);
  }

  /// nn.cross_entropy_grad: writes the target's element again, with its
  /// label (1 - e) + e / C, when it lies in [base, base + length) of
  /// `buffer` (read from `source`). Called by one thread once every
  /// thread's store() is done and visible (after a barrier): one test per
  /// row, where a lane compare and select per element spilled 40 bytes in
  /// the 512-thread bf16 row kernel, and a test per vector store (an exp
  /// each) spilled the f64 ones (ptxas, sm_90).
  void rewriteTarget(Emitter &e, Value source, Value buffer, Value base,
                     Value length) const {
    // target - base < length, unsigned: never for the target -1.
    Value inside = e.cmp(arith::CmpIPredicate::ult, e.subi(target, base),
                         length);
    e.ifThen(inside, [&] {
      SliceWriter atTarget = *this;
      atTarget.spread = hit;
      atTarget.store(e, e.loadScalar(source, target), target, buffer);
    });
  }
};

} // namespace mlir::nn::gpu_kernels

#endif // NN_LIB_CONVERSION_NNTOGPU_KERNELEMITTER_H
