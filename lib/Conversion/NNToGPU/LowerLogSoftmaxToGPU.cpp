//===- LowerLogSoftmaxToGPU.cpp - nn.logsoftmax as GPU kernels ------------===//
//
// Each nn.logsoftmax becomes one kernel launch on device buffers:
//
// - last dim, warp per row: 32 lanes stride over a row computing the running
//   maximum and exp-sum together (online rescaling), combine with xor
//   shuffles, then write (x - max) - log(sum); 8 rows per block.
// - last dim, block per row: 256 threads per row, warp shuffles, then the 8
//   warp partials through shared memory.
// - any other dim: one thread per (outer, inner) column walking the reduced
//   dim with stride `inner`, so that neighbouring threads touch neighbouring
//   addresses (coalesced).
//
// The maximum used for rescaling is 0 when it is -inf, so that rows (or row
// prefixes) of -inf add exp(-inf) = 0 instead of exp(NaN); +inf and NaN
// still make the sum NaN, which gives the spec's all-NaN rows.
//
//===----------------------------------------------------------------------===//

#include "nn/Conversion/NNToGPU/NNToGPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "nn/Conversion/Passes.h"
#include "nn/Dialect/NN/IR/NNOps.h"

namespace mlir::nn {
#define GEN_PASS_DEF_CONVERTNNTOGPUPASS
#include "nn/Conversion/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {

constexpr int64_t kWarpSize = 32;
constexpr int64_t kRowsPerBlock = 8;
constexpr int64_t kBlockThreads = 256;

/// Emits the scalar arithmetic of one kernel; `acc` is the accumulation
/// type (f32, or f64 / the wider result type).
struct KernelBuilder {
  OpBuilder &b;
  Location loc;
  FloatType acc;
  FloatType resultType;

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value fconst(double v) {
    return arith::ConstantOp::create(b, loc, acc, b.getFloatAttr(acc, v));
  }
  Value negInf() { return fconst(-INFINITY); }

  /// Loads element `i` of the flat buffer, widened to `acc`.
  Value load(Value buffer, Value i) {
    Value v = memref::LoadOp::create(b, loc, buffer, i);
    if (v.getType() != acc)
      v = arith::ExtFOp::create(b, loc, acc, v);
    return v;
  }
  /// Stores `v` (in `acc`) to element `i`, rounded once to the result type.
  void store(Value v, Value buffer, Value i) {
    if (resultType != acc)
      v = arith::TruncFOp::create(b, loc, resultType, v);
    memref::StoreOp::create(b, loc, v, buffer, i);
  }
  /// The maximum used for rescaling: `max`, or 0 when it is -inf.
  Value safeMax(Value max) {
    Value isNegInf =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, max, negInf());
    return arith::SelectOp::create(b, loc, isNegInf, fconst(0.0), max);
  }
  Value expOf(Value x, Value minus) {
    return math::ExpOp::create(b, loc, arith::SubFOp::create(b, loc, x, minus));
  }
  /// Combines two (max, sum) pairs: sums rescaled to the larger maximum.
  std::pair<Value, Value> combine(Value m1, Value s1, Value m2, Value s2) {
    Value m = arith::MaximumFOp::create(b, loc, m1, m2);
    Value ms = safeMax(m);
    Value a = arith::MulFOp::create(b, loc, s1, expOf(m1, ms));
    Value c = arith::MulFOp::create(b, loc, s2, expOf(m2, ms));
    return {m, arith::AddFOp::create(b, loc, a, c)};
  }

  /// The running (max, sum) over elements `start`, `start + step`, ... below
  /// `end` of `buffer`, at offset `base + j * stride` for element j.
  std::pair<Value, Value> reduceStrided(Value buffer, Value base, Value stride,
                                        Value start, Value end, Value step) {
    auto loop = scf::ForOp::create(b, loc, start, end, step,
                                   ValueRange{negInf(), fconst(0.0)});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value j = loop.getInductionVar();
    Value m = loop.getRegionIterArgs()[0], s = loop.getRegionIterArgs()[1];
    Value offset = arith::AddIOp::create(
        b, loc, base, arith::MulIOp::create(b, loc, j, stride));
    Value v = load(buffer, offset);
    Value mn = arith::MaximumFOp::create(b, loc, m, v);
    Value ms = safeMax(mn);
    Value scaled = arith::MulFOp::create(b, loc, s, expOf(m, ms));
    Value sn = arith::AddFOp::create(b, loc, scaled, expOf(v, ms));
    scf::YieldOp::create(b, loc, ValueRange{mn, sn});
    return {loop.getResult(0), loop.getResult(1)};
  }

  /// Writes (x - max) - log(sum) for the same elements reduceStrided read.
  void writeStrided(Value in, Value out, Value base, Value stride, Value start,
                    Value end, Value step, Value max, Value sum) {
    Value logSum = math::LogOp::create(b, loc, sum);
    auto loop = scf::ForOp::create(b, loc, start, end, step);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value offset = arith::AddIOp::create(
        b, loc, base,
        arith::MulIOp::create(b, loc, loop.getInductionVar(), stride));
    Value shifted = arith::SubFOp::create(b, loc, load(in, offset), max);
    store(arith::SubFOp::create(b, loc, shifted, logSum), out, offset);
  }

  /// Butterfly all-reduce of (max, sum) over the 32 lanes of a warp.
  std::pair<Value, Value> warpReduce(Value m, Value s) {
    Value width = arith::ConstantIntOp::create(b, loc, kWarpSize, 32);
    for (int64_t offset = kWarpSize / 2; offset >= 1; offset /= 2) {
      Value o = arith::ConstantIntOp::create(b, loc, offset, 32);
      Value om =
          gpu::ShuffleOp::create(b, loc, m, o, width, gpu::ShuffleMode::XOR)
              .getShuffleResult();
      Value os =
          gpu::ShuffleOp::create(b, loc, s, o, width, gpu::ShuffleMode::XOR)
              .getShuffleResult();
      std::tie(m, s) = combine(m, s, om, os);
    }
    return {m, s};
  }
};

/// ceil(a / b) for index values.
Value ceilDiv(OpBuilder &b, Location loc, Value a, int64_t divisor) {
  return arith::CeilDivUIOp::create(
      b, loc, a, arith::ConstantIndexOp::create(b, loc, divisor));
}

/// Runs `body` inside `if (cond)`.
void emitIf(OpBuilder &b, Location loc, Value cond,
            llvm::function_ref<void()> body) {
  auto ifOp = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  body();
}

/// A launch of `grid` x 1 x 1 blocks of `threadsX` x `threadsY` threads;
/// `body` gets the builder inside the kernel and the launch op.
void emitLaunch(OpBuilder &b, Location loc, Value grid, int64_t threadsX,
                int64_t threadsY, StringRef kernelName,
                llvm::function_ref<void(gpu::LaunchOp)> body,
                TypeRange workgroup = {}) {
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  // Every kernel goes into one gpu.module, so one image holds them all.
  auto launch = gpu::LaunchOp::create(
      b, loc, grid, one, one, arith::ConstantIndexOp::create(b, loc, threadsX),
      arith::ConstantIndexOp::create(b, loc, threadsY), one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, workgroup, /*privateAttributions=*/{},
      /*clusterSizeX=*/nullptr, /*clusterSizeY=*/nullptr,
      /*clusterSizeZ=*/nullptr,
      FlatSymbolRefAttr::get(b.getContext(), nn::kGPUKernelModuleName),
      FlatSymbolRefAttr::get(b.getContext(), kernelName));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  body(launch);
  gpu::TerminatorOp::create(b, loc);
}

/// The kernel strategies, on flat (1-D) device buffers.
struct LogSoftmaxKernels {
  OpBuilder &b;
  Location loc;
  FloatType acc, resultType;
  Value in, out;
  /// The prefix of the kernels' names, e.g. `main_0`.
  std::string name;

  KernelBuilder kernel() { return {b, loc, acc, resultType}; }

  void warpPerRow(Value rows, Value n) {
    emitLaunch(b, loc, ceilDiv(b, loc, rows, kRowsPerBlock), kWarpSize,
               kRowsPerBlock, name + "_warp_per_row",
               [&](gpu::LaunchOp launch) {
                 KernelBuilder k = kernel();
                 auto ids = launch.getThreadIds();
                 Value row = arith::AddIOp::create(
                     b, loc,
                     arith::MulIOp::create(b, loc, launch.getBlockIds().x,
                                           k.index(kRowsPerBlock)),
                     ids.y);
                 // Whole warps leave together, so shuffles see full warps.
                 Value inside = arith::CmpIOp::create(
                     b, loc, arith::CmpIPredicate::ult, row, rows);
                 emitIf(b, loc, inside, [&] {
                   Value base = arith::MulIOp::create(b, loc, row, n);
                   Value step = k.index(kWarpSize), one = k.index(1);
                   auto [m, s] = k.reduceStrided(in, base, one, ids.x, n, step);
                   std::tie(m, s) = k.warpReduce(m, s);
                   k.writeStrided(in, out, base, one, ids.x, n, step, m, s);
                 });
               });
  }

  void blockPerRow(Value rows, Value n) {
    auto shared =
        MemRefType::get({kBlockThreads / kWarpSize}, acc, AffineMap(),
                        gpu::AddressSpaceAttr::get(
                            b.getContext(), gpu::AddressSpace::Workgroup));
    emitLaunch(
        b, loc, rows, kBlockThreads, 1, name + "_block_per_row",
        [&](gpu::LaunchOp launch) {
          KernelBuilder k = kernel();
          Value sharedMax = launch.getWorkgroupAttributions()[0];
          Value sharedSum = launch.getWorkgroupAttributions()[1];
          Value row = launch.getBlockIds().x;
          Value tid = launch.getThreadIds().x;
          Value base = arith::MulIOp::create(b, loc, row, n);
          Value step = k.index(kBlockThreads), one = k.index(1);
          Value m, s;
          std::tie(m, s) = k.reduceStrided(in, base, one, tid, n, step);
          std::tie(m, s) = k.warpReduce(m, s);
          // Lane 0 of each warp publishes its partial.
          Value warp = arith::DivUIOp::create(b, loc, tid, k.index(kWarpSize));
          Value lane = arith::RemUIOp::create(b, loc, tid, k.index(kWarpSize));
          Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                              lane, k.index(0));
          emitIf(b, loc, first, [&] {
            memref::StoreOp::create(b, loc, m, sharedMax, warp);
            memref::StoreOp::create(b, loc, s, sharedSum, warp);
          });
          gpu::BarrierOp::create(b, loc);
          // Every thread combines the partials in the same order, so all get
          // the same (max, sum).
          Value bm = memref::LoadOp::create(b, loc, sharedMax, k.index(0));
          Value bs = memref::LoadOp::create(b, loc, sharedSum, k.index(0));
          for (int64_t w = 1; w < kBlockThreads / kWarpSize; ++w) {
            Value wm = memref::LoadOp::create(b, loc, sharedMax, k.index(w));
            Value ws = memref::LoadOp::create(b, loc, sharedSum, k.index(w));
            std::tie(bm, bs) = k.combine(bm, bs, wm, ws);
          }
          k.writeStrided(in, out, base, one, tid, n, step, bm, bs);
        },
        TypeRange{shared, shared});
  }

  void columns(Value outer, Value n, Value inner) {
    Value total = arith::MulIOp::create(b, loc, outer, inner);
    emitLaunch(b, loc, ceilDiv(b, loc, total, kBlockThreads), kBlockThreads, 1,
               name + "_columns", [&](gpu::LaunchOp launch) {
                 KernelBuilder k = kernel();
                 Value column = arith::AddIOp::create(
                     b, loc,
                     arith::MulIOp::create(b, loc, launch.getBlockIds().x,
                                           k.index(kBlockThreads)),
                     launch.getThreadIds().x);
                 Value inside = arith::CmpIOp::create(
                     b, loc, arith::CmpIPredicate::ult, column, total);
                 emitIf(b, loc, inside, [&] {
                   Value o = arith::DivUIOp::create(b, loc, column, inner);
                   Value i = arith::RemUIOp::create(b, loc, column, inner);
                   Value base = arith::AddIOp::create(
                       b, loc,
                       arith::MulIOp::create(
                           b, loc, arith::MulIOp::create(b, loc, o, n), inner),
                       i);
                   Value zero = k.index(0), one = k.index(1);
                   auto [m, s] = k.reduceStrided(in, base, inner, zero, n, one);
                   k.writeStrided(in, out, base, inner, zero, n, one, m, s);
                 });
               });
  }
};

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

/// Launches the kernel computing log-softmax of `in` along `dim` into `out`.
void emitLogSoftmax(OpBuilder &b, Location loc, Value in, Value out,
                    int64_t dim, const nn::GPUKernelOptions &options,
                    std::string name) {
  auto inType = cast<MemRefType>(in.getType());
  auto resultType =
      cast<FloatType>(cast<MemRefType>(out.getType()).getElementType());
  FloatType acc = nn::LogSoftmaxOp::getComputeType(resultType);
  int64_t rank = inType.getRank();

  // outer x n x inner, the sizes before, at and after `dim`.
  auto product = [&](int64_t from, int64_t to) {
    Value p = arith::ConstantIndexOp::create(b, loc, 1);
    for (int64_t i = from; i < to; ++i)
      p = arith::MulIOp::create(b, loc, p,
                                memref::DimOp::create(b, loc, in, i));
    return p;
  };
  Value outer = product(0, dim);
  Value n = rank ? Value(memref::DimOp::create(b, loc, in, dim))
                 : Value(arith::ConstantIndexOp::create(b, loc, 1));
  Value inner = product(rank ? dim + 1 : 0, rank);
  LogSoftmaxKernels kernels{b,
                            loc,
                            acc,
                            resultType,
                            flatten(b, loc, in),
                            flatten(b, loc, out),
                            std::move(name)};

  // No launch for an empty tensor: a grid of 0 blocks is an error.
  Value total = arith::MulIOp::create(
      b, loc, arith::MulIOp::create(b, loc, outer, n), inner);
  Value nonEmpty =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, total,
                            arith::ConstantIndexOp::create(b, loc, 0));
  emitIf(b, loc, nonEmpty, [&] {
    if (rank != 0 && dim != rank - 1) {
      kernels.columns(outer, n, inner);
      return;
    }
    nn::GPURowStrategy strategy = options.strategy;
    int64_t staticN = rank ? inType.getDimSize(dim) : 1;
    if (strategy == nn::GPURowStrategy::Auto && !ShapedType::isDynamic(staticN))
      strategy = staticN <= options.warpRowLimit
                     ? nn::GPURowStrategy::WarpPerRow
                     : nn::GPURowStrategy::BlockPerRow;
    if (strategy == nn::GPURowStrategy::WarpPerRow)
      return kernels.warpPerRow(outer, n);
    if (strategy == nn::GPURowStrategy::BlockPerRow)
      return kernels.blockPerRow(outer, n);
    // A dynamic row length picks the kernel at run time.
    Value shortRows = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ule, n,
        arith::ConstantIndexOp::create(b, loc, options.warpRowLimit));
    auto ifOp = scf::IfOp::create(b, loc, shortRows, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    kernels.warpPerRow(outer, n);
    b.setInsertionPointToStart(&ifOp.getElseRegion().front());
    kernels.blockPerRow(outer, n);
  });
}

MemRefType toMemRef(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  return MemRefType::get(tensor.getShape(), tensor.getElementType());
}

} // namespace

LogicalResult mlir::nn::lowerFunctionToGPU(func::FuncOp func,
                                           const GPUKernelOptions &options) {
  // Only nn.logsoftmax on arguments or on each other, then a return.
  if (!func.getBody().hasOneBlock())
    return func.emitError("--nn-to-gpu: @")
           << func.getName() << " must have a single block";
  Block &body = func.getBody().front();
  for (Type type : func.getArgumentTypes())
    if (!nn::isSupportedTensorType(type))
      return func.emitError("--nn-to-gpu: @")
             << func.getName() << " takes " << type
             << "; the GPU pipeline supports ranked tensors of f16, bf16, "
                "f32 or f64";
  for (Operation &op : body) {
    if (isa<nn::LogSoftmaxOp, func::ReturnOp>(op))
      continue;
    return op.emitError("--nn-to-gpu: the GPU pipeline supports functions "
                        "made of nn.logsoftmax ops only; found '")
           << op.getName() << "'";
  }
  for (Type type : func.getResultTypes())
    if (!nn::isSupportedTensorType(type))
      return func.emitError("--nn-to-gpu: @")
             << func.getName() << " returns " << type;

  // The new signature: arguments, then one out-parameter per result.
  SmallVector<Type> argTypes;
  for (Type type : func.getArgumentTypes())
    argTypes.push_back(toMemRef(type));
  for (Type type : func.getResultTypes())
    argTypes.push_back(toMemRef(type));
  OpBuilder b(func);
  Location loc = func.getLoc();
  auto newFunc = func::FuncOp::create(b, loc, func.getName(),
                                      b.getFunctionType(argTypes, TypeRange{}));
  newFunc.setVisibility(func.getVisibility());
  newFunc->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  Block *entry = newFunc.addEntryBlock();
  b.setInsertionPointToStart(entry);

  IRMapping buffers;
  for (auto [oldArg, newArg] :
       llvm::zip(body.getArguments(), entry->getArguments()))
    buffers.map(oldArg, newArg);
  auto returnOp = cast<func::ReturnOp>(body.getTerminator());
  unsigned numArgs = func.getNumArguments();
  SmallVector<Value> temporaries;
  unsigned opNumber = 0;
  for (auto op : body.getOps<nn::LogSoftmaxOp>()) {
    // The result goes straight into the first out-parameter returning it,
    // else into a device temporary.
    Value out;
    for (auto [k, returned] : llvm::enumerate(returnOp.getOperands()))
      if (returned == op.getResult()) {
        out = entry->getArgument(numArgs + k);
        break;
      }
    Value in = buffers.lookup(op.getInput());
    if (!out) {
      SmallVector<Value> sizes;
      MemRefType type = toMemRef(op.getType());
      for (int64_t i = 0; i < type.getRank(); ++i)
        if (type.isDynamicDim(i))
          sizes.push_back(memref::DimOp::create(b, loc, in, i));
      out = gpu::AllocOp::create(b, loc, type, /*asyncToken=*/Type(),
                                 /*asyncDependencies=*/ValueRange{}, sizes,
                                 /*symbolOperands=*/ValueRange{})
                .getMemref();
      temporaries.push_back(out);
    }
    emitLogSoftmax(b, op.getLoc(), in, out, op.getNormalizedDim(),
                   options, (func.getName() + "_" + Twine(opNumber++)).str());
    buffers.map(op.getResult(), out);
  }
  // Results not already written in place (an argument, or a value returned
  // twice) are copied device to device.
  for (auto [k, returned] : llvm::enumerate(returnOp.getOperands())) {
    Value out = entry->getArgument(numArgs + k);
    Value source = buffers.lookup(returned);
    if (source != out)
      gpu::MemcpyOp::create(b, loc, /*asyncToken=*/Type(), ValueRange{}, out,
                            source);
  }
  for (Value temporary : temporaries)
    gpu::DeallocOp::create(b, loc, /*asyncToken=*/Type(), ValueRange{},
                           temporary);
  func::ReturnOp::create(b, loc);
  func.erase();
  return success();
}

namespace {
struct ConvertNNToGPUPass
    : nn::impl::ConvertNNToGPUPassBase<ConvertNNToGPUPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Only nn.logsoftmax has GPU kernels so far; say so rather than leave
    // the other ops for a later stage to trip over.
    WalkResult unsupported = module.walk([](Operation *op) {
      if (!isa<nn::NNDialect>(op->getDialect()) || isa<nn::LogSoftmaxOp>(op))
        return WalkResult::advance();
      op->emitOpError("has no GPU lowering yet; only nn.logsoftmax runs on "
                      "the GPU (--nn-cpu-pipeline lowers every nn op)");
      return WalkResult::interrupt();
    });
    if (unsupported.wasInterrupted())
      return signalPassFailure();
    nn::GPUKernelOptions options;
    options.warpRowLimit = warpRowLimit;
    options.strategy = strategy;
    SmallVector<func::FuncOp> functions;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() &&
          func.walk([](nn::LogSoftmaxOp) { return WalkResult::interrupt(); })
              .wasInterrupted())
        functions.push_back(func);
    for (func::FuncOp func : functions)
      if (failed(nn::lowerFunctionToGPU(func, options)))
        return signalPassFailure();
    if (!functions.empty())
      module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                      UnitAttr::get(module.getContext()));
  }
};
} // namespace
