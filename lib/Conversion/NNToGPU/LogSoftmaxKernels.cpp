//===- LogSoftmaxKernels.cpp - The GPU kernels of nn.logsoftmax -----------===//
//
// The kernels, built from KernelEmitter.h's arithmetic: rows held in
// registers, split rows, streamed rows and columns (see LogSoftmaxKernels.h
// and docs/gpu-codegen.md).
//
//===----------------------------------------------------------------------===//

#include "LogSoftmaxKernels.h"
#include "KernelEmitter.h"

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

} // namespace

gpu::LaunchOp mlir::nn::gpu_kernels::createLaunch(KernelContext &k, Value grid,
                                                  int64_t threadsX,
                                                  int64_t threadsY,
                                                  const std::string &kernelName,
                                                  TypeRange workgroup) {
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

namespace {

/// One f32/f64 slot per warp of a block of `threads`, in shared memory.
MemRefType sharedSlots(KernelContext &k, int64_t threads = kBlockThreads) {
  return MemRefType::get(
      {threads / kWarpSize}, k.acc, AffineMap(),
      gpu::AddressSpaceAttr::get(k.b.getContext(),
                                 gpu::AddressSpace::Workgroup));
}

std::string widthSuffix(int64_t width) { return "_v" + std::to_string(width); }

/// A row (or a segment of one) held in registers by `threads` threads:
/// vector c of thread t is vector c * threads + t of the body, so that a
/// warp's loads are contiguous; vectors past the end hold -inf, which adds
/// exp(-inf) = 0. With a static length, the vectors every thread has need
/// no test.
struct OnChipRow {
  RowSplit split;
  int64_t width;
  /// Per vector: its test (null: always inside), offset and value (null
  /// when not held: loaded again where it is stored).
  SmallVector<Value> valid, offsets, values;
  /// The scalar head and tail elements this thread holds, if any.
  Value inHead, inTail, headValue, tailValue;
  Value source;

  /// The row's layout over the threads, its values loaded into registers
  /// if `hold` (else store() loads each right before writing it). Places
  /// past the row hold `padding`: -inf for a maximum, 0 for a plain sum.
  static OnChipRow load(Emitter &e, Value buffer, Value base, Value n,
                        Value t, int64_t threads, int64_t vectorsPerThread,
                        int64_t width, bool hold = true,
                        double padding = -INFINITY) {
    OnChipRow r;
    r.width = width;
    r.source = buffer;
    r.split = RowSplit::get(e, base, n, width);
    Value negInfVector = e.constant(VectorType::get({width}, e.acc), padding);
    std::optional<int64_t> staticVectors =
        getConstantIntValue(r.split.vectors);
    for (int64_t c = 0; c < vectorsPerThread; ++c) {
      Value vector = e.addi(e.index(c * threads), t);
      r.offsets.push_back(
          e.addi(r.split.bodyStart, e.muli(vector, e.index(width))));
      if (staticVectors && (c + 1) * threads <= *staticVectors) {
        r.valid.push_back(Value());
        r.values.push_back(
            hold ? e.loadVector(buffer, r.offsets.back(), width) : Value());
        continue;
      }
      r.valid.push_back(
          e.cmp(arith::CmpIPredicate::ult, vector, r.split.vectors));
      if (!hold) {
        r.values.push_back(Value());
        continue;
      }
      r.values.push_back(e.ifElse(
          r.valid.back(),
          [&] { return e.loadVector(buffer, r.offsets.back(), width); },
          negInfVector));
    }
    if (r.split.edges) {
      Value negInf = e.constant(e.acc, padding);
      r.inHead = e.cmp(arith::CmpIPredicate::ult, t, r.split.head);
      r.inTail = e.cmp(arith::CmpIPredicate::ult, t, r.split.tail);
      if (!hold)
        return r;
      r.headValue = e.ifElse(
          r.inHead,
          [&] { return e.loadScalar(buffer, e.addi(r.split.base, t)); },
          negInf);
      r.tailValue = e.ifElse(
          r.inTail,
          [&] { return e.loadScalar(buffer, e.addi(r.split.tailStart, t)); },
          negInf);
    }
    return r;
  }

  /// This thread's held values combined: lane-wise with `combine`, across
  /// the lanes with `kind`, then with the head and tail.
  Value combineHeld(Emitter &e, llvm::function_ref<Value(Value, Value)> combine,
                    vector::CombiningKind kind) {
    Value v = values[0];
    for (Value next : llvm::drop_begin(values))
      v = combine(v, next);
    Value x = e.reduce(kind, v);
    if (split.edges)
      x = combine(combine(x, headValue), tailValue);
    return x;
  }

  struct Reduced {
    Value max, reference, sum;
  };
  /// The maximum of the row (reduced over the group), then the sum of
  /// exp(x - reference), reference = safeMax(maximum): one exp per element.
  Reduced maxAndSum(Emitter &e, Value t, Value sharedMax, Value sharedSum) {
    Value m = combineHeld(
        e, [&](Value x, Value y) { return e.max(x, y); },
        vector::CombiningKind::MAXIMUMF);
    m = e.groupReduce(m, /*isMax=*/true, t, sharedMax);
    Value reference = e.safeMax(m);
    Value referenceVector = e.splat(reference, values[0].getType());
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
    return {m, reference, s};
  }

  /// The sum of the row's values (loaded with padding 0), reduced over
  /// the group: nn.logsoftmax_grad's sum(g).
  Value sum(Emitter &e, Value t, Value sharedSum) {
    Value s = combineHeld(
        e, [&](Value x, Value y) { return e.add(x, y); },
        vector::CombiningKind::ADD);
    return e.groupReduce(s, /*isMax=*/false, t, sharedSum);
  }

  /// The sum of (x - reference) * weight over the row's elements (not the
  /// padding), reduced over the group: nn.cross_entropy's smoothing term.
  Value spread(Emitter &e, Value t, Value shared, Value reference,
               Value weight) {
    Type vectorType = values[0].getType();
    Value zeroVector = e.constant(vectorType, 0.0);
    Value referenceVector = e.splat(reference, vectorType);
    Value weightVector = e.splat(weight, vectorType);
    Value sumVector;
    for (auto [v, ok] : llvm::zip(values, valid)) {
      Value term = e.mul(e.sub(v, referenceVector), weightVector);
      if (ok)
        term = arith::SelectOp::create(e.b, e.loc, ok, term, zeroVector);
      sumVector = sumVector ? e.add(sumVector, term) : term;
    }
    Value s = e.reduce(vector::CombiningKind::ADD, sumVector);
    if (split.edges) {
      Value zero = e.constant(e.acc, 0.0);
      for (auto [inside, x] : {std::make_pair(inHead, headValue),
                               std::make_pair(inTail, tailValue)})
        s = e.add(s, arith::SelectOp::create(
                         e.b, e.loc, inside,
                         e.mul(e.sub(x, reference), weight), zero));
    }
    return e.groupReduce(s, /*isMax=*/false, t, shared);
  }

  /// Writes the result for every element held, as `writer` says.
  void store(Emitter &e, const SliceWriter &writer, Value buffer, Value t) {
    SliceWriter vectorWriter =
        writer.splatTo(e, VectorType::get({width}, e.acc));
    for (auto [held, ok, offset] : llvm::zip(values, valid, offsets)) {
      auto write = [&, held = held, offset = offset] {
        Value v = held ? held : e.loadVector(source, offset, width);
        vectorWriter.store(e, v, offset, buffer);
      };
      if (ok)
        e.ifThen(ok, write);
      else
        write();
    }
    if (!split.edges)
      return;
    auto scalar = [&](Value held, Value index) {
      Value x = held ? held : e.loadScalar(source, index);
      writer.store(e, x, index, buffer);
    };
    e.ifThen(inHead, [&] { scalar(headValue, e.addi(split.base, t)); });
    e.ifThen(inTail, [&] { scalar(tailValue, e.addi(split.tailStart, t)); });
  }
};

/// Row `row` of `n` elements as a cross-entropy sample.
SampleLogits rowSample(Emitter &e, Value row, Value n) {
  return {row, e.muli(row, n), e.index(1)};
}

/// The writer of row `row` of `n` elements, from its safe maximum and sum
/// of exp(x - reference).
SliceWriter rowWriter(KernelContext &k, Emitter &e, Value row, Value n,
                      Value reference, Value sum) {
  if (k.kind == SoftmaxKind::CrossEntropyGrad)
    return crossEntropyGradWriter(k, rowSample(e, row, n), n, reference, sum);
  return {k.kind, reference, e.finishSum(k.kind, sum)};
}

/// nn.cross_entropy_grad, directly in the launch body after every thread
/// has written its part of [base, base + length): a barrier, then the
/// first thread (of an active row) writes the target's element again.
void rewriteTargetAfterBarrier(Emitter &e, KernelContext &k,
                               const SliceWriter &writer, Value t,
                               Value active, Value base, Value length) {
  if (k.kind != SoftmaxKind::CrossEntropyGrad)
    return;
  gpu::BarrierOp::create(e.b, e.loc);
  Value first = e.cmp(arith::CmpIPredicate::eq, t, e.index(0));
  if (active)
    first = arith::AndIOp::create(e.b, e.loc, active, first);
  e.ifThen(first,
           [&] { writer.rewriteTarget(e, k.in, k.out, base, length); });
}

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
                                           int64_t width,
                                           StringRef nameSuffix) {
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
  name += nameSuffix.str() + widthSuffix(width);
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
  bool grad = k.kind == SoftmaxKind::LogSoftmaxGrad;
  OnChipRow r = OnChipRow::load(e, k.in, e.muli(clamped, n), n, t,
                                threadsPerRow, vectorsPerThread, width,
                                /*hold=*/true, grad ? 0.0 : -INFINITY);
  Value sharedMax, sharedSum;
  if (wholeBlock) {
    sharedMax = launch.getWorkgroupAttributions()[0];
    sharedSum = launch.getWorkgroupAttributions()[1];
  }
  if (grad) {
    Value s = r.sum(e, t, sharedSum);
    e.ifThen(active, [&] {
      r.store(e, SliceWriter{k.kind, Value(), s, k.aux}, k.out, t);
    });
    gpu::TerminatorOp::create(b, loc);
    return;
  }
  OnChipRow::Reduced reduced = r.maxAndSum(e, t, sharedMax, sharedSum);
  if (k.kind == SoftmaxKind::CrossEntropy) {
    // sharedMax is free again: every thread read it before the sum's
    // barrier.
    Value spread =
        k.ce.smoothing > 0
            ? r.spread(e, t, sharedMax, reduced.reference,
                       crossEntropyClassWeight(k, n))
            : Value();
    Value leader = arith::AndIOp::create(
        b, loc, active, e.cmp(arith::CmpIPredicate::eq, t, e.index(0)));
    e.ifThen(leader, [&] {
      emitCrossEntropyLoss(k, rowSample(e, clamped, n), n, reduced.reference,
                           reduced.sum, spread);
    });
    gpu::TerminatorOp::create(b, loc);
    return;
  }
  SliceWriter writer =
      rowWriter(k, e, clamped, n, reduced.reference, reduced.sum);
  e.ifThen(active, [&] { r.store(e, writer, k.out, t); });
  rewriteTargetAfterBarrier(e, k, writer, t, active, e.muli(clamped, n), n);
  gpu::TerminatorOp::create(b, loc);
}

void mlir::nn::gpu_kernels::emitSplitRows(KernelContext &k, Value rows,
                                          Value n, int64_t vectorsPerThread,
                                          int64_t width, Value partials) {
  OpBuilder &b = k.b;
  Location loc = k.loc;
  Emitter e{b, loc, k.acc};
  int64_t segmentLength = kBlockThreads * vectorsPerThread * width;
  Value segments = arith::CeilDivUIOp::create(b, loc, n, e.index(segmentLength));
  Value grid = e.muli(rows, segments);
  SmallVector<Type> workgroup(2, sharedSlots(k));

  // Block (row, segment) of both launches: its segment as a row of its own
  // (the head and tail are where the segment meets 16-byte boundaries).
  struct Segment {
    Value row, block, base, length;
  };
  auto segmentOf = [&](gpu::LaunchOp launch) {
    Segment g;
    g.block = launch.getBlockIds().x;
    g.row = e.divui(g.block, segments);
    Value offset =
        e.muli(e.remui(g.block, segments), e.index(segmentLength));
    g.base = e.addi(e.muli(g.row, n), offset);
    g.length = e.minui(e.index(segmentLength), e.subi(n, offset));
    return g;
  };

  // Both launches: a block per (row, segment); `body` fills the launch,
  // given it, the thread and the segment.
  auto launchSegments =
      [&](StringRef kind,
          llvm::function_ref<void(gpu::LaunchOp, Value, const Segment &)>
              body) {
        auto launch =
            createLaunch(k, grid, kBlockThreads, 1,
                         k.name + "_split_" + kind.str() + widthSuffix(width),
                         workgroup);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(&launch.getBody().front());
        Value t = launch.getThreadIds().x;
        body(launch, t, segmentOf(launch));
        gpu::TerminatorOp::create(b, loc);
      };

  // The segments' (maximum, sum against its safe maximum), in `partials`.
  launchSegments("partials", [&](gpu::LaunchOp launch, Value t,
                                 const Segment &g) {
    OnChipRow r = OnChipRow::load(e, k.in, g.base, g.length, t,
                                  kBlockThreads, vectorsPerThread, width);
    OnChipRow::Reduced reduced =
        r.maxAndSum(e, t, launch.getWorkgroupAttributions()[0],
                    launch.getWorkgroupAttributions()[1]);
    e.ifThen(e.cmp(arith::CmpIPredicate::eq, t, e.index(0)), [&] {
      Value slot = e.muli(g.block, e.index(2));
      memref::StoreOp::create(b, loc, reduced.max, partials, slot);
      memref::StoreOp::create(b, loc, reduced.sum, partials,
                              e.addi(slot, e.index(1)));
    });
  });

  // Every block of a row combines the row's partials (the maximum first,
  // then the sums rescaled to it), then writes its segment.
  launchSegments("write", [&](gpu::LaunchOp launch, Value t,
                              const Segment &g) {
    Value first = e.muli(g.row, segments);
    Value step = e.index(kBlockThreads);
    auto partialMax = [&](Value j) {
      return memref::LoadOp::create(
          b, loc, partials, e.muli(e.addi(first, j), e.index(2)));
    };
    auto maxLoop = scf::ForOp::create(b, loc, t, segments, step,
                                      ValueRange{e.constant(k.acc, -INFINITY)});
    {
      OpBuilder::InsertionGuard bodyGuard(b);
      b.setInsertionPointToStart(maxLoop.getBody());
      scf::YieldOp::create(
          b, loc,
          e.max(maxLoop.getRegionIterArgs()[0],
                partialMax(maxLoop.getInductionVar())));
    }
    Value m = e.groupReduce(maxLoop.getResult(0), /*isMax=*/true, t,
                            launch.getWorkgroupAttributions()[0]);
    Value reference = e.safeMax(m);
    auto sumLoop = scf::ForOp::create(b, loc, t, segments, step,
                                      ValueRange{e.constant(k.acc, 0.0)});
    {
      OpBuilder::InsertionGuard bodyGuard(b);
      b.setInsertionPointToStart(sumLoop.getBody());
      Value j = sumLoop.getInductionVar();
      Value sum = memref::LoadOp::create(
          b, loc, partials,
          e.addi(e.muli(e.addi(first, j), e.index(2)), e.index(1)));
      // The segment's sum was taken against its own safe maximum.
      Value scaled =
          e.mul(sum, e.exp(e.sub(e.safeMax(partialMax(j)), reference)));
      scf::YieldOp::create(b, loc,
                           e.add(sumLoop.getRegionIterArgs()[0], scaled));
    }
    Value s = e.groupReduce(sumLoop.getResult(0), /*isMax=*/false, t,
                            launch.getWorkgroupAttributions()[1]);
    SliceWriter writer = rowWriter(k, e, g.row, n, reference, s);
    // f64 holds the segment only to write it: ptxas spilled 16 bytes at 40
    // registers with f64 accumulation (sm_90); f32 spilled 4 without holding
    // (sm_80). Each keeps the form that did not spill.
    OnChipRow r = OnChipRow::load(e, k.in, g.base, g.length, t, kBlockThreads,
                                  vectorsPerThread, width,
                                  /*hold=*/!k.acc.isF64());
    r.store(e, writer, k.out, t);
    rewriteTargetAfterBarrier(e, k, writer, t, Value(), g.base, g.length);
  });
}

namespace {
/// This thread's share of the sum of term(x) over a streamed row: its
/// vectors t, t + step, ... of the body, then, where it holds them, the
/// head and tail elements. `term` takes a vector or a scalar of `acc`.
/// `inHead` and `inTail` are created here when null.
Value sumThreadShare(Emitter &e, Value buffer, const RowSplit &split, Value t,
                     Value step, int64_t width, Value &inHead, Value &inTail,
                     llvm::function_ref<Value(Value)> term) {
  OpBuilder &b = e.b;
  auto vectorType = VectorType::get({width}, e.acc);
  auto loop = scf::ForOp::create(b, e.loc, t, split.vectors, step,
                                 ValueRange{e.constant(vectorType, 0.0)});
  {
    OpBuilder::InsertionGuard bodyGuard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value offset = e.addi(split.bodyStart,
                          e.muli(loop.getInductionVar(), e.index(width)));
    scf::YieldOp::create(b, e.loc,
                         e.add(loop.getRegionIterArgs()[0],
                               term(e.loadVector(buffer, offset, width))));
  }
  Value s = e.reduce(vector::CombiningKind::ADD, loop.getResult(0));
  if (!split.edges)
    return s;
  Value zero = e.constant(e.acc, 0.0);
  if (!inHead) {
    inHead = e.cmp(arith::CmpIPredicate::ult, t, split.head);
    inTail = e.cmp(arith::CmpIPredicate::ult, t, split.tail);
  }
  for (auto [inside, start] : {std::make_pair(inHead, split.base),
                               std::make_pair(inTail, split.tailStart)})
    s = e.add(s, e.ifElse(
                     inside,
                     [&, start = start] {
                       return term(e.loadScalar(buffer, e.addi(start, t)));
                     },
                     zero));
  return s;
}

/// The streamed kernels' second read: every vector t, t + step, ... of the
/// body, and the head and tail elements this thread holds, written as
/// `writer` says.
void writeStreamedRow(Emitter &e, KernelContext &k, const SliceWriter &writer,
                      const RowSplit &split, Value t, int64_t width,
                      Value inHead, Value inTail) {
  OpBuilder &b = e.b;
  auto write = scf::ForOp::create(b, e.loc, t, split.vectors,
                                  e.index(kBlockThreads));
  {
    OpBuilder::InsertionGuard bodyGuard(b);
    b.setInsertionPointToStart(write.getBody());
    Value offset = e.addi(split.bodyStart,
                          e.muli(write.getInductionVar(), e.index(width)));
    writer.store(e, e.loadVector(k.in, offset, width), offset, k.out);
  }
  if (!split.edges)
    return;
  for (auto [inside, start] : {std::make_pair(inHead, split.base),
                               std::make_pair(inTail, split.tailStart)}) {
    e.ifThen(inside, [&, start = start] {
      Value i = e.addi(start, t);
      writer.store(e, e.loadScalar(k.in, i), i, k.out);
    });
  }
}

/// nn.logsoftmax_grad's streamed rows: a block per row sums g (per thread
/// over its vectors, then over the block), then reads g and y again to
/// write g - exp(y) * sum.
void emitStreamedGradRows(KernelContext &k, Value rows, Value n,
                          int64_t width) {
  OpBuilder &b = k.b;
  Location loc = k.loc;
  Emitter e{b, loc, k.acc};
  auto launch = createLaunch(k, rows, kBlockThreads, 1,
                             k.name + "_streamed_rows" + widthSuffix(width),
                             TypeRange{sharedSlots(k)});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());

  Value t = launch.getThreadIds().x;
  RowSplit split =
      RowSplit::get(e, e.muli(launch.getBlockIds().x, n), n, width);
  Value step = e.index(kBlockThreads);
  Value inHead, inTail;
  Value s = sumThreadShare(e, k.in, split, t, step, width, inHead, inTail,
                           [](Value g) { return g; });
  s = e.groupReduce(s, /*isMax=*/false, t,
                    launch.getWorkgroupAttributions()[0]);

  // The second read: g - exp(y) * sum.
  writeStreamedRow(e, k, SliceWriter{k.kind, Value(), s, k.aux}, split, t,
                   width, inHead, inTail);
  gpu::TerminatorOp::create(b, loc);
}
} // namespace

void mlir::nn::gpu_kernels::emitStreamedRows(KernelContext &k, Value rows,
                                             Value n, int64_t width) {
  OpBuilder &b = k.b;
  Location loc = k.loc;
  Emitter e{b, loc, k.acc};
  if (k.kind == SoftmaxKind::LogSoftmaxGrad)
    return emitStreamedGradRows(k, rows, n, width);
  SmallVector<Type> workgroup(2, sharedSlots(k));
  auto launch = createLaunch(k, rows, kBlockThreads, 1,
                             k.name + "_streamed_rows" + widthSuffix(width),
                             workgroup);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());

  Value t = launch.getThreadIds().x;
  RowSplit split =
      RowSplit::get(e, e.muli(launch.getBlockIds().x, n), n, width);
  Value step = e.index(kBlockThreads);

  Emitter::Lagged initial = e.initialLagged(k.acc);
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
  if (k.kind == SoftmaxKind::CrossEntropy) {
    // With label smoothing, one more read for the sum of
    // e / C * (x - reference).
    Value spread;
    if (k.ce.smoothing > 0) {
      Value weight = crossEntropyClassWeight(k, n);
      auto term = [&](Value x) {
        return e.mul(e.sub(x, e.splat(reference, x.getType())),
                     e.splat(weight, x.getType()));
      };
      spread = sumThreadShare(e, k.in, split, t, step, width, inHead, inTail,
                              term);
      // The maximum's slots are free: every thread read them before the
      // sum's barrier.
      spread = e.groupReduce(spread, /*isMax=*/false, t,
                             launch.getWorkgroupAttributions()[0]);
    }
    e.ifThen(e.cmp(arith::CmpIPredicate::eq, t, e.index(0)), [&] {
      emitCrossEntropyLoss(k, rowSample(e, launch.getBlockIds().x, n), n,
                           reference, s, spread);
    });
    gpu::TerminatorOp::create(b, loc);
    return;
  }
  // The second read: (x - max) - log(sum), exp(x - max) / sum, ...
  SliceWriter writer =
      rowWriter(k, e, launch.getBlockIds().x, n, reference, s);
  writeStreamedRow(e, k, writer, split, t, width, inHead, inTail);
  rewriteTargetAfterBarrier(e, k, writer, t, Value(), split.base, n);
  gpu::TerminatorOp::create(b, loc);
}

void mlir::nn::gpu_kernels::emitColumns(KernelContext &k, Value outer, Value n,
                                        Value inner, int64_t width) {
  OpBuilder &b = k.b;
  Location loc = k.loc;
  Emitter e{b, loc, k.acc};
  // Thread g takes `width` adjacent columns (inner % width == 0).
  Value groupsPerOuter = e.divui(inner, e.index(width));
  Value total = e.muli(outer, groupsPerOuter);
  Value grid =
      arith::CeilDivUIOp::create(b, loc, total, e.index(kBlockThreads));
  auto launch = createLaunch(k, grid, kBlockThreads, 1,
                             k.name + "_columns" + widthSuffix(width));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  Value group = e.addi(e.muli(launch.getBlockIds().x, e.index(kBlockThreads)),
                       launch.getThreadIds().x);
  e.ifThen(e.cmp(arith::CmpIPredicate::ult, group, total), [&] {
    Value column = e.muli(e.remui(group, groupsPerOuter), e.index(width));
    Value base = e.addi(
        e.muli(e.muli(e.divui(group, groupsPerOuter), n), inner), column);
    Type type = VectorType::get({width}, k.acc);
    Value zero = e.index(0), one = e.index(1);
    auto at = [&](Value j) { return e.addi(base, e.muli(j, inner)); };
    if (k.kind == SoftmaxKind::LogSoftmaxGrad) {
      // sum(g) down the columns, one per lane, then g - exp(y) * sum.
      auto sum = scf::ForOp::create(b, loc, zero, n, one,
                                    ValueRange{e.constant(type, 0.0)});
      {
        OpBuilder::InsertionGuard bodyGuard(b);
        b.setInsertionPointToStart(sum.getBody());
        scf::YieldOp::create(
            b, loc,
            e.add(sum.getRegionIterArgs()[0],
                  e.loadVector(k.in, at(sum.getInductionVar()), width)));
      }
      auto write = scf::ForOp::create(b, loc, zero, n, one);
      OpBuilder::InsertionGuard bodyGuard(b);
      b.setInsertionPointToStart(write.getBody());
      Value i = at(write.getInductionVar());
      SliceWriter writer{k.kind, Value(), sum.getResult(0), k.aux};
      writer.store(e, e.loadVector(k.in, i, width), i, k.out);
      return;
    }
    // The cross-entropy ops take one column, one sample, per thread, as
    // scalars (width 1): the sample's index is the thread's.
    bool crossEntropy = k.kind == SoftmaxKind::CrossEntropy ||
                        k.kind == SoftmaxKind::CrossEntropyGrad;
    assert((!crossEntropy || width == 1) &&
           "a cross-entropy sample per thread");
    if (crossEntropy)
      type = k.acc;
    auto load = [&](Value i) {
      return crossEntropy ? e.loadScalar(k.in, i)
                          : e.loadVector(k.in, i, width);
    };
    // The online (max, sum) down the columns, one state per lane.
    Emitter::Lagged initial = e.initialLagged(type);
    auto loop =
        scf::ForOp::create(b, loc, zero, n, one,
                           ValueRange{initial.ref, initial.m, initial.s,
                                      initial.c});
    {
      OpBuilder::InsertionGuard bodyGuard(b);
      b.setInsertionPointToStart(loop.getBody());
      ValueRange args = loop.getRegionIterArgs();
      Value x = load(at(loop.getInductionVar()));
      Emitter::Lagged next =
          e.updateLagged({args[0], args[1], args[2], args[3]}, x);
      scf::YieldOp::create(b, loc,
                           ValueRange{next.ref, next.m, next.s, next.c});
    }
    Emitter::Lagged state{loop.getResult(0), loop.getResult(1),
                          loop.getResult(2), loop.getResult(3)};
    Value reference = e.safeMax(state.m);
    Value sum = e.sumAgainst(state, reference);
    SampleLogits sample{group, base, inner};
    if (k.kind == SoftmaxKind::CrossEntropy) {
      // With label smoothing, one more walk for sum(e / C * (x - max)),
      // added in f64: one thread adds the whole column, and in f32 1024
      // terms near 1e30 came out 1.1e-5 off (the generator's
      // wide-magnitudes rows through --ce-inner-dim).
      Value spread;
      if (k.ce.smoothing > 0) {
        Value weight = crossEntropyClassWeight(k, n);
        FloatType f64 = b.getF64Type();
        auto walk = scf::ForOp::create(
            b, loc, zero, n, one,
            ValueRange{arith::ConstantOp::create(b, loc, f64,
                                                 b.getF64FloatAttr(0.0))});
        {
          OpBuilder::InsertionGuard bodyGuard(b);
          b.setInsertionPointToStart(walk.getBody());
          Value term = e.mul(e.sub(load(at(walk.getInductionVar())), reference),
                             weight);
          if (term.getType() != f64)
            term = arith::ExtFOp::create(b, loc, f64, term);
          scf::YieldOp::create(
              b, loc,
              arith::AddFOp::create(b, loc, walk.getRegionIterArgs()[0], term)
                  .getResult());
        }
        spread = walk.getResult(0);
        if (k.acc != f64)
          spread = arith::TruncFOp::create(b, loc, k.acc, spread);
      }
      emitCrossEntropyLoss(k, sample, n, reference, sum, spread);
      return;
    }
    SliceWriter writer =
        k.kind == SoftmaxKind::CrossEntropyGrad
            ? crossEntropyGradWriter(k, sample, n, reference, sum)
            : SliceWriter{k.kind, reference, e.finishSum(k.kind, sum)};
    auto write = scf::ForOp::create(b, loc, zero, n, one);
    {
      OpBuilder::InsertionGuard bodyGuard(b);
      b.setInsertionPointToStart(write.getBody());
      Value i = at(write.getInductionVar());
      writer.store(e, load(i), i, k.out);
    }
    // This thread wrote the whole column: no barrier before rewriting.
    if (k.kind == SoftmaxKind::CrossEntropyGrad)
      writer.rewriteTarget(e, k.in, k.out, base, e.muli(n, inner));
  });
  gpu::TerminatorOp::create(b, loc);
}
