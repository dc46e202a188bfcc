//===- LogSoftmaxKernels.cpp - The GPU kernels of nn.logsoftmax -----------===//
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

#include "LogSoftmaxKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "nn/Conversion/NNToGPU/NNToGPU.h"

#include <cmath>

using namespace mlir;
using namespace mlir::nn::gpu_kernels;

namespace {

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
  /// The reference maximum: `m`, or 0 when it is -inf.
  Value safeMax(Value m) {
    Value isNegInf = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                           m, constant(acc, -INFINITY));
    return arith::SelectOp::create(b, loc, isNegInf, constant(acc, 0.0), m);
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
  Lagged initialLagged() {
    return {constant(acc, -llvm::APFloat::getLargest(acc.getFloatSemantics())
                               .convertToDouble()),
            constant(acc, -INFINITY), constant(acc, 0.0), constant(acc, 0.0)};
  }
  /// `state` with `x` (a scalar, or a vector of `acc`) added.
  Lagged updateLagged(Lagged state, Value x) {
    bool isVector = isa<VectorType>(x.getType());
    Value xMax = isVector ? reduce(vector::CombiningKind::MAXIMUMF, x) : x;
    Value m = max(state.m, xMax);
    // xMax - ref > slack, not xMax > ref + slack, which rounds (see
    // updateLagged in NNToVector); NaN never moves the reference.
    Value above = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                        sub(xMax, state.ref),
                                        constant(acc, kReferenceSlack));
    auto move = scf::IfOp::create(b, loc, TypeRange{acc, acc, acc}, above,
                                  /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&move.getThenRegion().front());
      Value moved = max(m, state.ref);
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
    if (isVector)
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
    auto ifOp = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    then();
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

/// Where a row's elements sit relative to vector boundaries: `head`
/// elements before the first boundary, `vectors` whole vectors, then
/// `tail` elements. Assumes the buffers start on a boundary. `edges` is
/// false when there can be no head or tail: scalar access, or a static
/// length that is a multiple of the width.
struct RowSplit {
  Value base, head, bodyStart, vectors, tail, tailStart;
  bool edges = true;

  static RowSplit get(Emitter &e, Value base, Value n, int64_t width) {
    RowSplit s;
    s.base = base;
    std::optional<int64_t> staticN = getConstantIntValue(n);
    if (width == 1 || (staticN && *staticN % width == 0)) {
      s.edges = false;
      s.head = s.tail = e.index(0);
      s.bodyStart = s.tailStart = base;
      s.vectors = staticN ? e.index(*staticN / width)
                          : e.divui(n, e.index(width));
      return s;
    }
    Value w = e.index(width);
    // (width - base % width) % width, at most n.
    s.head = e.minui(e.remui(e.subi(w, e.remui(base, w)), w), n);
    s.bodyStart = e.addi(base, s.head);
    Value rest = e.subi(n, s.head);
    s.vectors = e.divui(rest, w);
    Value bodyLength = e.muli(s.vectors, w);
    s.tail = e.subi(rest, bodyLength);
    s.tailStart = e.addi(s.bodyStart, bodyLength);
    return s;
  }
};

/// A launch of `grid` blocks of `threadsX` x `threadsY` threads, into the
/// one gpu.module that holds every kernel.
gpu::LaunchOp createLaunch(KernelContext &k, Value grid, int64_t threadsX,
                           int64_t threadsY, const std::string &kernelName,
                           TypeRange workgroup = {}) {
  OpBuilder &b = k.b;
  Value one = arith::ConstantIndexOp::create(b, k.loc, 1);
  auto launch = gpu::LaunchOp::create(
      b, k.loc, grid, one, one,
      arith::ConstantIndexOp::create(b, k.loc, threadsX),
      arith::ConstantIndexOp::create(b, k.loc, threadsY), one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, workgroup, /*privateAttributions=*/{},
      /*clusterSizeX=*/nullptr, /*clusterSizeY=*/nullptr,
      /*clusterSizeZ=*/nullptr,
      FlatSymbolRefAttr::get(b.getContext(), nn::kGPUKernelModuleName),
      FlatSymbolRefAttr::get(b.getContext(), kernelName));
  return launch;
}

/// One f32/f64 slot per warp of a block of `threads`, in shared memory.
MemRefType sharedSlots(KernelContext &k, int64_t threads = kBlockThreads) {
  return MemRefType::get(
      {threads / kWarpSize}, k.acc, AffineMap(),
      gpu::AddressSpaceAttr::get(k.b.getContext(),
                                 gpu::AddressSpace::Workgroup));
}

std::string widthSuffix(int64_t width) { return "_v" + std::to_string(width); }

} // namespace

int64_t mlir::nn::gpu_kernels::vectorWidthFor(Type input, FloatType acc) {
  int64_t width = 128 / input.getIntOrFloatBitWidth();
  // 8 f16 widened to f64 (libdevice's exp inlined for each) spilled in the
  // streamed kernel; 4 do not.
  return acc.isF64() ? std::min<int64_t>(width, 4) : width;
}

void mlir::nn::gpu_kernels::emitRowsOnChip(KernelContext &k, Value rows,
                                           Value n, int64_t threadsPerRow,
                                           int64_t vectorsPerThread,
                                           int64_t width) {
  OpBuilder &b = k.b;
  Location loc = k.loc;
  bool wholeBlock = threadsPerRow > kWarpSize;
  int64_t rowsPerBlock = std::max<int64_t>(1, kBlockThreads / threadsPerRow);
  Emitter e{b, loc, k.acc};
  Value grid = arith::CeilDivUIOp::create(b, loc, rows, e.index(rowsPerBlock));
  SmallVector<Type> workgroup;
  if (wholeBlock)
    workgroup.assign(2, sharedSlots(k, threadsPerRow));
  std::string name = k.name + (wholeBlock ? "_block_per_row" : "_warp_per_row");
  if (wholeBlock && threadsPerRow != kBlockThreads)
    name += "_t" + std::to_string(threadsPerRow);
  name += widthSuffix(width);
  auto launch =
      createLaunch(k, grid, threadsPerRow, rowsPerBlock, name, workgroup);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());

  Value t = launch.getThreadIds().x;
  Value row = e.addi(e.muli(launch.getBlockIds().x, e.index(rowsPerBlock)),
                     launch.getThreadIds().y);
  // Rows past the end compute on the last row and store nothing, so that
  // every lane reaches every shuffle.
  Value active = e.cmp(arith::CmpIPredicate::ult, row, rows);
  Value clamped = e.minui(row, e.subi(rows, e.index(1)));
  RowSplit split = RowSplit::get(e, e.muli(clamped, n), n, width);
  auto vectorType = VectorType::get({width}, k.acc);
  Value negInfVector = e.constant(vectorType, -INFINITY);
  Value negInf = e.constant(k.acc, -INFINITY);

  // The row into registers: vector c of thread t is vector c * threads + t
  // of the body; lanes past the row hold -inf, which adds exp(-inf) = 0.
  // With a static length, the vectors every thread has need no test.
  std::optional<int64_t> staticVectors = getConstantIntValue(split.vectors);
  SmallVector<Value> valid, offsets, values;
  for (int64_t c = 0; c < vectorsPerThread; ++c) {
    Value vector = e.addi(e.index(c * threadsPerRow), t);
    offsets.push_back(e.addi(split.bodyStart, e.muli(vector, e.index(width))));
    if (staticVectors && (c + 1) * threadsPerRow <= *staticVectors) {
      valid.push_back(Value());
      values.push_back(e.loadVector(k.in, offsets.back(), width));
      continue;
    }
    valid.push_back(e.cmp(arith::CmpIPredicate::ult, vector, split.vectors));
    values.push_back(e.ifElse(
        valid.back(),
        [&] { return e.loadVector(k.in, offsets.back(), width); },
        negInfVector));
  }
  Value inHead, inTail, headValue, tailValue;
  if (split.edges) {
    inHead = e.cmp(arith::CmpIPredicate::ult, t, split.head);
    inTail = e.cmp(arith::CmpIPredicate::ult, t, split.tail);
    headValue = e.ifElse(
        inHead, [&] { return e.loadScalar(k.in, e.addi(split.base, t)); },
        negInf);
    tailValue = e.ifElse(
        inTail, [&] { return e.loadScalar(k.in, e.addi(split.tailStart, t)); },
        negInf);
  }
  Value sharedMax, sharedSum;
  if (wholeBlock) {
    sharedMax = launch.getWorkgroupAttributions()[0];
    sharedSum = launch.getWorkgroupAttributions()[1];
  }

  // The maximum first...
  Value maxVector = values[0];
  for (Value v : llvm::drop_begin(values))
    maxVector = e.max(maxVector, v);
  Value m = e.reduce(vector::CombiningKind::MAXIMUMF, maxVector);
  if (split.edges)
    m = e.max(e.max(m, headValue), tailValue);
  m = e.groupReduce(m, /*isMax=*/true, t, sharedMax);
  Value reference = e.safeMax(m);

  // ...then the sum of exp(x - max), one exp per element.
  Value referenceVector = e.splat(reference, vectorType);
  Value sumVector;
  for (Value v : values) {
    Value term = e.exp(e.sub(v, referenceVector));
    sumVector = sumVector ? e.add(sumVector, term) : term;
  }
  Value s = e.reduce(vector::CombiningKind::ADD, sumVector);
  if (split.edges)
    s = e.add(e.add(s, e.exp(e.sub(headValue, reference))),
              e.exp(e.sub(tailValue, reference)));
  s = e.groupReduce(s, /*isMax=*/false, t, sharedSum);
  Value logSum = math::LogOp::create(b, loc, s);

  // (x - max) - log(sum), from the registers.
  e.ifThen(active, [&] {
    Value logSumVector = e.splat(logSum, vectorType);
    for (auto [v, ok, offset] : llvm::zip(values, valid, offsets)) {
      auto store = [&, v = v, offset = offset] {
        e.storeVector(e.sub(e.sub(v, referenceVector), logSumVector), k.out,
                      offset, width);
      };
      if (ok)
        e.ifThen(ok, store);
      else
        store();
    }
    if (!split.edges)
      return;
    e.ifThen(inHead, [&] {
      e.storeScalar(e.sub(e.sub(headValue, reference), logSum), k.out,
                    e.addi(split.base, t));
    });
    e.ifThen(inTail, [&] {
      e.storeScalar(e.sub(e.sub(tailValue, reference), logSum), k.out,
                    e.addi(split.tailStart, t));
    });
  });
  gpu::TerminatorOp::create(b, loc);
}

void mlir::nn::gpu_kernels::emitStreamedRows(KernelContext &k, Value rows,
                                             Value n, int64_t width) {
  OpBuilder &b = k.b;
  Location loc = k.loc;
  Emitter e{b, loc, k.acc};
  SmallVector<Type> workgroup(2, sharedSlots(k));
  auto launch = createLaunch(k, rows, kBlockThreads, 1,
                             k.name + "_streamed_rows" + widthSuffix(width),
                             workgroup);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());

  Value t = launch.getThreadIds().x;
  RowSplit split =
      RowSplit::get(e, e.muli(launch.getBlockIds().x, n), n, width);
  auto vectorType = VectorType::get({width}, k.acc);
  Value step = e.index(kBlockThreads);

  Emitter::Lagged initial = e.initialLagged();
  auto loop =
      scf::ForOp::create(b, loc, t, split.vectors, step,
                         ValueRange{initial.ref, initial.m, initial.s,
                                    initial.c});
  {
    OpBuilder::InsertionGuard bodyGuard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value offset = e.addi(split.bodyStart,
                          e.muli(loop.getInductionVar(), e.index(width)));
    ValueRange args = loop.getRegionIterArgs();
    Emitter::Lagged next =
        e.updateLagged({args[0], args[1], args[2], args[3]},
                       e.loadVector(k.in, offset, width));
    scf::YieldOp::create(b, loc, ValueRange{next.ref, next.m, next.s, next.c});
  }
  Emitter::Lagged state{loop.getResult(0), loop.getResult(1),
                        loop.getResult(2), loop.getResult(3)};
  Value inHead, inTail;
  Value negInf = e.constant(k.acc, -INFINITY);
  if (split.edges) {
    inHead = e.cmp(arith::CmpIPredicate::ult, t, split.head);
    inTail = e.cmp(arith::CmpIPredicate::ult, t, split.tail);
    state = e.updateLagged(
        state,
        e.ifElse(
            inHead, [&] { return e.loadScalar(k.in, e.addi(split.base, t)); },
            negInf));
    state = e.updateLagged(
        state,
        e.ifElse(
            inTail,
            [&] { return e.loadScalar(k.in, e.addi(split.tailStart, t)); },
            negInf));
  }

  // The block's maximum first, then every thread's sum rescaled to it.
  Value blockMax = e.groupReduce(state.m, /*isMax=*/true, t,
                                 launch.getWorkgroupAttributions()[0]);
  Value reference = e.safeMax(blockMax);
  Value s = e.groupReduce(e.sumAgainst(state, reference), /*isMax=*/false, t,
                          launch.getWorkgroupAttributions()[1]);
  Value logSum = math::LogOp::create(b, loc, s);

  // The second read: (x - max) - log(sum).
  auto write = scf::ForOp::create(b, loc, t, split.vectors, step);
  {
    OpBuilder::InsertionGuard bodyGuard(b);
    b.setInsertionPointToStart(write.getBody());
    Value offset = e.addi(split.bodyStart,
                          e.muli(write.getInductionVar(), e.index(width)));
    Value v = e.loadVector(k.in, offset, width);
    e.storeVector(e.sub(e.sub(v, e.splat(reference, vectorType)),
                        e.splat(logSum, vectorType)),
                  k.out, offset, width);
  }
  if (split.edges) {
    for (auto [inside, start] :
         {std::make_pair(inHead, split.base),
          std::make_pair(inTail, split.tailStart)}) {
      e.ifThen(inside, [&, start = start] {
        Value i = e.addi(start, t);
        e.storeScalar(e.sub(e.sub(e.loadScalar(k.in, i), reference), logSum),
                      k.out, i);
      });
    }
  }
  gpu::TerminatorOp::create(b, loc);
}

void mlir::nn::gpu_kernels::emitColumns(KernelContext &k, Value outer, Value n,
                                        Value inner) {
  OpBuilder &b = k.b;
  Location loc = k.loc;
  Emitter e{b, loc, k.acc};
  Value total = e.muli(outer, inner);
  Value grid =
      arith::CeilDivUIOp::create(b, loc, total, e.index(kBlockThreads));
  auto launch = createLaunch(k, grid, kBlockThreads, 1, k.name + "_columns");
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  Value column = e.addi(e.muli(launch.getBlockIds().x, e.index(kBlockThreads)),
                        launch.getThreadIds().x);
  e.ifThen(e.cmp(arith::CmpIPredicate::ult, column, total), [&] {
    Value base = e.addi(e.muli(e.muli(e.divui(column, inner), n), inner),
                        e.remui(column, inner));
    // The online (max, sum) down the column.
    Value zero = e.index(0), one = e.index(1);
    Emitter::Lagged initial = e.initialLagged();
    auto loop =
        scf::ForOp::create(b, loc, zero, n, one,
                           ValueRange{initial.ref, initial.m, initial.s,
                                      initial.c});
    {
      OpBuilder::InsertionGuard bodyGuard(b);
      b.setInsertionPointToStart(loop.getBody());
      ValueRange args = loop.getRegionIterArgs();
      Value x = e.loadScalar(
          k.in, e.addi(base, e.muli(loop.getInductionVar(), inner)));
      Emitter::Lagged next =
          e.updateLagged({args[0], args[1], args[2], args[3]}, x);
      scf::YieldOp::create(b, loc,
                           ValueRange{next.ref, next.m, next.s, next.c});
    }
    Emitter::Lagged state{loop.getResult(0), loop.getResult(1),
                          loop.getResult(2), loop.getResult(3)};
    Value reference = e.safeMax(state.m);
    Value logSum =
        math::LogOp::create(b, loc, e.sumAgainst(state, reference));
    auto write = scf::ForOp::create(b, loc, zero, n, one);
    OpBuilder::InsertionGuard bodyGuard(b);
    b.setInsertionPointToStart(write.getBody());
    Value i = e.addi(base, e.muli(write.getInductionVar(), inner));
    e.storeScalar(e.sub(e.sub(e.loadScalar(k.in, i), reference), logSum),
                  k.out, i);
  });
  gpu::TerminatorOp::create(b, loc);
}
