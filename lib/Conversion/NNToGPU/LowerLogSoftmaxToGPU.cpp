//===- LowerLogSoftmaxToGPU.cpp - nn.logsoftmax as GPU kernels ------------===//
//
// Each nn.logsoftmax_into becomes kernel launches on device buffers (the
// kernels are in LogSoftmaxKernels.cpp). This file chooses among them, at
// compile time for static row lengths and at run time for dynamic ones and
// for the buffers' alignment.
//
//===----------------------------------------------------------------------===//

#include "nn/Conversion/NNToGPU/NNToGPU.h"

#include "KernelEmitter.h"
#include "LogSoftmaxKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "nn/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace mlir::nn;
using gpu_kernels::emitIf;

namespace {

/// A 1-D view of an identity-layout buffer.
Value flatten(OpBuilder &b, Location loc, Value buffer) {
  auto type = cast<MemRefType>(buffer.getType());
  if (type.getRank() == 1)
    return buffer;
  if (type.getRank() == 0)
    return memref::ExpandShapeOp::create(
        b, loc, MemRefType::get({1}, type.getElementType()), buffer,
        ArrayRef<ReassociationIndices>{},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  ReassociationIndices all;
  for (int64_t i = 0; i < type.getRank(); ++i)
    all.push_back(i);
  return memref::CollapseShapeOp::create(b, loc, buffer,
                                         ArrayRef<ReassociationIndices>{all});
}

/// Whether `buffer` starts on a 16-byte boundary, at run time.
Value isAligned16(OpBuilder &b, Location loc, Value buffer) {
  Value address =
      memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
  Value rest = arith::RemUIOp::create(
      b, loc, address, arith::ConstantIndexOp::create(b, loc, 16));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rest,
                               arith::ConstantIndexOp::create(b, loc, 0));
}

/// Whether every buffer of the kernels (`in`, `out` and `aux`) starts on
/// 16 bytes, at run time.
Value buffersAligned16(OpBuilder &b, Location loc,
                       const gpu_kernels::KernelContext &k) {
  Value aligned = arith::AndIOp::create(b, loc, isAligned16(b, loc, k.in),
                                        isAligned16(b, loc, k.out));
  if (k.aux)
    aligned = arith::AndIOp::create(b, loc, aligned,
                                    isAligned16(b, loc, k.aux));
  return aligned;
}

/// Emits `kernel(width)` with 128-bit accesses when all buffers are
/// 16-byte aligned, else `kernel(1)`: the choice is made per call.
void emitVectorOrScalar(OpBuilder &b, Location loc,
                        gpu_kernels::KernelContext &k, Type inputElement,
                        llvm::function_ref<void(int64_t)> kernel) {
  Value aligned = buffersAligned16(b, loc, k);
  emitIf(
      b, loc, aligned,
      [&] { kernel(gpu_kernels::vectorWidthFor(inputElement, k.acc)); },
      [&] { kernel(1); });
}

/// The most elements one thread holds in registers. 32 f32 keep the block
/// kernels near 80 registers (ptxas -v, sm_90): with 64, the 256-thread
/// kernel took 141 and one block filled an SM. f64, with libdevice's exp
/// inlined once per element, spilled at 16 in the warp kernel; 8 do not.
int64_t maxElementsPerThread(FloatType acc) { return acc.isF64() ? 8 : 32; }

/// Long rows split across blocks below this many rows (more stream, a block
/// per row): 64 or 8 blocks cannot fill 132 SMs. A first guess, to be
/// measured on a GPU.
constexpr int64_t kSplitRowsBelow = 1024;

/// The last-dim kernels: rows on chip (a warp, then a block of 256, then
/// of 512 threads per row) up to what the registers hold, then streamed
/// rows. A static row length picks one kernel here; a dynamic one picks
/// at run time.
void emitRowKernels(OpBuilder &b, Location loc, gpu_kernels::KernelContext &k,
                    Value rows, Value n, std::optional<int64_t> staticN,
                    Type inputElement, const nn::GPUKernelOptions &options) {
  using nn::GPURowStrategy;
  int64_t maxElements = maxElementsPerThread(k.acc);
  struct Tier {
    int64_t threadsPerRow, limit;
  };
  SmallVector<Tier> tiers;
  GPURowStrategy strategy = options.strategy;
  if ((strategy == GPURowStrategy::Auto ||
       strategy == GPURowStrategy::WarpPerRow) &&
      options.warpRowLimit > 0)
    tiers.push_back({gpu_kernels::kWarpSize,
                     std::min(options.warpRowLimit,
                              gpu_kernels::kWarpSize * maxElements)});
  if (strategy == GPURowStrategy::Auto ||
      strategy == GPURowStrategy::BlockPerRow)
    for (int64_t threads : {gpu_kernels::kBlockThreads,
                            2 * gpu_kernels::kBlockThreads})
      tiers.push_back({threads, threads * maxElements});

  auto onChip = [&](const Tier &tier, int64_t length) {
    int64_t elements = llvm::divideCeil(length, tier.threadsPerRow);
    auto rowsOnChip = [&](int64_t width) {
      gpu_kernels::emitRowsOnChip(k, rows, n, tier.threadsPerRow,
                                  llvm::divideCeil(elements, width), width);
    };
    // The f64 gradient's rows take 64-bit accesses: with 128-bit ones its
    // block kernels spilled 24 bytes (ptxas, sm_90; holding 4 elements per
    // thread instead of 8, 72).
    if (k.acc.isF64() && k.kind == gpu_kernels::SoftmaxKind::LogSoftmaxGrad)
      return rowsOnChip(1);
    emitVectorOrScalar(b, loc, k, inputElement, rowsOnChip);
  };
  auto streamed = [&] {
    emitVectorOrScalar(b, loc, k, inputElement, [&](int64_t width) {
      gpu_kernels::emitStreamedRows(k, rows, n, width);
    });
  };
  // Segments of maxElements per thread of a 256-thread block; the partials
  // live in a device temporary for the two launches.
  // f64 softmax writes a segment through libdevice's exp inlined per
  // element: at 8 elements per thread the write launch spilled 24 bytes
  // (ptxas, sm_90); half the segment does not.
  // So does the cross-entropy gradient's.
  int64_t splitElements =
      k.acc.isF64() && (k.kind == gpu_kernels::SoftmaxKind::Softmax ||
                        k.kind == gpu_kernels::SoftmaxKind::CrossEntropyGrad)
          ? maxElements / 2
          : maxElements;
  auto splitRows = [&] {
    int64_t segment = gpu_kernels::kBlockThreads * splitElements;
    Value segments = arith::CeilDivUIOp::create(
        b, loc, n, arith::ConstantIndexOp::create(b, loc, segment));
    Value count = arith::MulIOp::create(
        b, loc, arith::MulIOp::create(b, loc, rows, segments),
        arith::ConstantIndexOp::create(b, loc, 2));
    Value partials =
        gpu::AllocOp::create(b, loc,
                             MemRefType::get({ShapedType::kDynamic}, k.acc),
                             /*asyncToken=*/Type(), ValueRange{},
                             ValueRange{count}, ValueRange{})
            .getMemref();
    emitVectorOrScalar(b, loc, k, inputElement, [&](int64_t width) {
      gpu_kernels::emitSplitRows(k, rows, n,
                                 llvm::divideCeil(splitElements, width), width,
                                 partials);
    });
    gpu::DeallocOp::create(b, loc, /*asyncToken=*/Type(), ValueRange{},
                           partials);
  };
  // Many rows up to twice what a 512-thread block holds at maxElements:
  // the row in registers at 64 elements per thread (as Triton's softmax
  // holds it), one read instead of the streamed kernel's two. The vector
  // kernel only: 64 scalar loads per thread spilled (ptxas, sm_90: 122
  // registers with 128-bit loads, 128 and 336 bytes of spills without).
  int64_t wideThreads = 2 * gpu_kernels::kBlockThreads;
  int64_t wideLimit = k.acc.isF64() ? 0 : 2 * wideThreads * maxElements;
  auto manyRows = [&] {
    emitVectorOrScalar(b, loc, k, inputElement, [&](int64_t width) {
      auto stream = [&] { gpu_kernels::emitStreamedRows(k, rows, n, width); };
      if (width == 1 || !wideLimit || (staticN && *staticN > wideLimit))
        return stream();
      int64_t elements = staticN ? llvm::divideCeil(*staticN, wideThreads)
                                 : wideLimit / wideThreads;
      auto wide = [&] {
        gpu_kernels::emitRowsOnChip(k, rows, n, wideThreads,
                                    llvm::divideCeil(elements, width), width,
                                    "_wide");
      };
      if (staticN)
        return wide();
      Value fits = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::ule, n,
          arith::ConstantIndexOp::create(b, loc, wideLimit));
      emitIf(b, loc, fits, wide, stream);
    });
  };
  // Rows longer than registers hold: few of them are split across blocks
  // so that the grid fills the GPU; many are held by a wide block or
  // streamed, a block per row.
  auto longRows = [&] {
    // The gradient and cross-entropy have no split kernels: their long
    // rows are streamed.
    if (k.kind == gpu_kernels::SoftmaxKind::LogSoftmaxGrad ||
        k.kind == gpu_kernels::SoftmaxKind::CrossEntropy)
      return strategy == GPURowStrategy::BlockPerRow ? manyRows() : streamed();
    if (strategy == GPURowStrategy::Split)
      return splitRows();
    if (strategy == GPURowStrategy::BlockPerRow)
      return manyRows();
    if (strategy != GPURowStrategy::Auto)
      return streamed();
    if (std::optional<int64_t> staticRows = getConstantIntValue(rows))
      return *staticRows < kSplitRowsBelow ? splitRows() : manyRows();
    Value few = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ult, rows,
        arith::ConstantIndexOp::create(b, loc, kSplitRowsBelow));
    emitIf(b, loc, few, splitRows, manyRows);
  };
  if (staticN) {
    for (const Tier &tier : tiers)
      if (*staticN <= tier.limit)
        return onChip(tier, *staticN);
    return longRows();
  }
  // if (n <= limit0) tier0 else if (n <= limit1) tier1 ... else long rows.
  std::function<void(size_t)> chain = [&](size_t i) {
    if (i == tiers.size())
      return longRows();
    Value fits = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ule, n,
        arith::ConstantIndexOp::create(b, loc, tiers[i].limit));
    emitIf(
        b, loc, fits, [&] { onChip(tiers[i], tiers[i].limit); },
        [&] { chain(i + 1); });
  };
  chain(0);
}

/// Any other dim: vectors of adjacent columns when the inner size is a
/// multiple of the width and both buffers are aligned, else one column per
/// thread.
void emitColumnKernels(OpBuilder &b, Location loc,
                       gpu_kernels::KernelContext &k, Value outer, Value n,
                       Value inner, Type inputElement) {
  // At most 4 columns per thread (2 accumulating in f64): each keeps 4
  // running values, and 8 f16 columns spilled on sm_80 (ptxas chose 63
  // registers), 4 f16 columns into f64 on sm_90 (80 registers, libdevice's
  // exp inlined per column).
  int64_t width = std::min<int64_t>(
      k.acc.isF64() ? 2 : 4, gpu_kernels::vectorWidthFor(inputElement, k.acc));
  auto scalar = [&] { gpu_kernels::emitColumns(k, outer, n, inner, 1); };
  // The cross-entropy ops take a column (a sample) per thread.
  if (k.kind == gpu_kernels::SoftmaxKind::CrossEntropy ||
      k.kind == gpu_kernels::SoftmaxKind::CrossEntropyGrad)
    return scalar();
  std::optional<int64_t> staticInner = getConstantIntValue(inner);
  if (staticInner && *staticInner % width != 0)
    return scalar();
  Value aligned = buffersAligned16(b, loc, k);
  if (!staticInner) {
    Value fits = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::eq,
        arith::RemUIOp::create(b, loc, inner,
                               arith::ConstantIndexOp::create(b, loc, width)),
        arith::ConstantIndexOp::create(b, loc, 0));
    aligned = arith::AndIOp::create(b, loc, fits, aligned);
  }
  emitIf(
      b, loc, aligned,
      [&] { gpu_kernels::emitColumns(k, outer, n, inner, width); }, scalar);
}

} // namespace

void gpu_kernels::emitSoftmaxKernels(OpBuilder &b, Location loc,
                                     SoftmaxKind kind, Value in, Value out,
                                     int64_t dim,
                                     const nn::GPUKernelOptions &options,
                                     std::string name, Value aux,
                                     CrossEntropyParams ce) {
  auto inType = cast<MemRefType>(in.getType());
  auto resultType =
      cast<FloatType>(cast<MemRefType>(out.getType()).getElementType());
  FloatType acc = nn::LogSoftmaxOp::getComputeType(resultType);
  int64_t rank = inType.getRank();

  // outer x n x inner, the sizes before, at and after `dim`; constants
  // where static, which the kernels specialise on.
  auto size = [&](int64_t i) -> Value {
    if (!inType.isDynamicDim(i))
      return arith::ConstantIndexOp::create(b, loc, inType.getDimSize(i));
    return memref::DimOp::create(b, loc, in, i);
  };
  auto product = [&](int64_t from, int64_t to) -> Value {
    int64_t constant = 1;
    Value p;
    for (int64_t i = from; i < to; ++i) {
      if (!inType.isDynamicDim(i))
        constant *= inType.getDimSize(i);
      else
        p = p ? arith::MulIOp::create(b, loc, p, size(i)).getResult() : size(i);
    }
    Value c = arith::ConstantIndexOp::create(b, loc, constant);
    return p ? arith::MulIOp::create(b, loc, p, c).getResult() : c;
  };
  Value outer = product(0, dim);
  Value n = rank ? size(dim) : arith::ConstantIndexOp::create(b, loc, 1);
  Value inner = product(rank ? dim + 1 : 0, rank);
  gpu_kernels::KernelContext kernels{b,
                                     loc,
                                     flatten(b, loc, in),
                                     flatten(b, loc, out),
                                     acc,
                                     std::move(name),
                                     kind,
                                     aux ? flatten(b, loc, aux) : Value(),
                                     ce};
  if (ce.gradLoss)
    kernels.ce.gradLoss = flatten(b, loc, ce.gradLoss);
  bool crossEntropy = kind == SoftmaxKind::CrossEntropy;
  // The cross-entropy ops' samples: the logits less their class dim.
  Value samples = arith::MulIOp::create(b, loc, outer, inner);
  // The cross-entropy gradient's "mean": grad_loss / count, computed on
  // the device before the rows are written.
  Value gradScale;
  if (kind == SoftmaxKind::CrossEntropyGrad && ce.mean)
    gradScale = gpu::AllocOp::create(b, loc, MemRefType::get({1}, acc),
                                     /*asyncToken=*/Type(), ValueRange{},
                                     ValueRange{}, ValueRange{})
                    .getMemref();
  if (crossEntropy && !ce.perSample) {
    // Two f64 per sample (at least one sample's worth: no 0-byte buffer).
    Value count = arith::MaxUIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, samples,
                              arith::ConstantIndexOp::create(b, loc, 2)),
        arith::ConstantIndexOp::create(b, loc, 2));
    kernels.ce.partials =
        gpu::AllocOp::create(b, loc,
                             MemRefType::get({ShapedType::kDynamic},
                                             b.getF64Type()),
                             /*asyncToken=*/Type(), ValueRange{},
                             ValueRange{count}, ValueRange{})
            .getMemref();
  }

  // No launch for an empty tensor: a grid of 0 blocks is an error. A
  // sample with no class still has a loss (NaN, or 0 when ignored).
  Value total =
      crossEntropy ? samples
                   : arith::MulIOp::create(
                         b, loc, arith::MulIOp::create(b, loc, outer, n), inner)
                         .getResult();
  Value nonEmpty =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, total,
                            arith::ConstantIndexOp::create(b, loc, 0));
  emitIf(b, loc, nonEmpty, [&] {
    if (gradScale) {
      emitCrossEntropyGradScale(kernels, samples, gradScale);
      kernels.ce.gradLoss = gradScale;
    }
    if (rank != 0 && dim != rank - 1)
      return emitColumnKernels(b, loc, kernels, outer, n, inner,
                               inType.getElementType());
    int64_t staticN = rank ? inType.getDimSize(dim) : 1;
    emitRowKernels(b, loc, kernels, outer, n,
                   ShapedType::isDynamic(staticN) ? std::nullopt
                                                  : std::optional(staticN),
                   inType.getElementType(), options);
  });
  if (kernels.ce.partials) {
    emitCrossEntropyTotal(kernels, samples);
    gpu::DeallocOp::create(b, loc, /*asyncToken=*/Type(), ValueRange{},
                           kernels.ce.partials);
  }
  if (gradScale)
    gpu::DeallocOp::create(b, loc, /*asyncToken=*/Type(), ValueRange{},
                           gradScale);
}
