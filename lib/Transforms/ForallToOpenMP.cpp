//===- ForallToOpenMP.cpp - Bufferized scf.forall to OpenMP ---------------===//

#include "nn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::nn {
#define GEN_PASS_DEF_FORALLTOOPENMPPASS
#include "nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kNumThreadsFunction = "__nn_num_threads";

/// NN_NUM_THREADS if it holds a positive number, else OpenMP's default.
constexpr llvm::StringLiteral kNumThreadsSource = R"mlir(
  llvm.mlir.global internal constant @__nn_num_threads_env("NN_NUM_THREADS\00")
      {addr_space = 0 : i32}
  llvm.func @getenv(!llvm.ptr) -> !llvm.ptr
  llvm.func @atoi(!llvm.ptr) -> i32
  llvm.func @omp_get_max_threads() -> i32
  llvm.func internal @__nn_num_threads() -> i32 {
    %name = llvm.mlir.addressof @__nn_num_threads_env : !llvm.ptr
    %value = llvm.call @getenv(%name) : (!llvm.ptr) -> !llvm.ptr
    %null = llvm.mlir.zero : !llvm.ptr
    %unset = llvm.icmp "eq" %value, %null : !llvm.ptr
    llvm.cond_br %unset, ^default, ^parse
  ^parse:
    %n = llvm.call @atoi(%value) : (!llvm.ptr) -> i32
    %zero = llvm.mlir.constant(0 : i32) : i32
    %positive = llvm.icmp "sgt" %n, %zero : i32
    llvm.cond_br %positive, ^done(%n : i32), ^default
  ^default:
    %all = llvm.call @omp_get_max_threads() : () -> i32
    llvm.br ^done(%all : i32)
  ^done(%result: i32):
    llvm.return %result : i32
  }
)mlir";

/// Adds the thread-count function (and its declarations) once.
LogicalResult addNumThreadsFunction(ModuleOp module) {
  if (module.lookupSymbol(kNumThreadsFunction))
    return success();
  OwningOpRef<ModuleOp> helpers =
      parseSourceString<ModuleOp>(kNumThreadsSource, module.getContext());
  if (!helpers)
    return failure();
  for (Operation &op : llvm::make_early_inc_range(*helpers->getBody())) {
    auto symbol = dyn_cast<SymbolOpInterface>(op);
    // Keep existing declarations of getenv etc.
    if (symbol && module.lookupSymbol(symbol.getName()))
      continue;
    op.moveBefore(module.getBody(), module.getBody()->end());
  }
  return success();
}

/// The bytes of the largest memref the loop uses from outside: a constant
/// when every such memref has a static shape, else a value computed in front
/// of the loop. 0 when the loop uses no memref with a sized element type.
OpFoldResult largestOperandBytes(OpBuilder &b, scf::ForallOp forall) {
  Location loc = forall.getLoc();
  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(forall.getRegion(), used);
  int64_t staticMax = 0;
  Value dynamicMax;
  for (Value value : used) {
    auto type = dyn_cast<MemRefType>(value.getType());
    if (!type || !type.getElementType().isIntOrFloat())
      continue;
    int64_t elementBytes =
        llvm::divideCeil(type.getElementType().getIntOrFloatBitWidth(), 8);
    if (type.hasStaticShape()) {
      staticMax = std::max(staticMax, type.getNumElements() * elementBytes);
      continue;
    }
    Value bytes = arith::ConstantIndexOp::create(b, loc, elementBytes);
    for (auto [i, size] : llvm::enumerate(type.getShape())) {
      Value extent =
          ShapedType::isDynamic(size)
              ? memref::DimOp::create(b, loc, value, i).getResult()
              : arith::ConstantIndexOp::create(b, loc, size).getResult();
      bytes = arith::MulIOp::create(b, loc, bytes, extent);
    }
    dynamicMax =
        dynamicMax ? arith::MaxUIOp::create(b, loc, dynamicMax, bytes) : bytes;
  }
  if (!dynamicMax)
    return b.getIndexAttr(staticMax);
  return arith::MaxUIOp::create(
             b, loc, dynamicMax,
             arith::ConstantIndexOp::create(b, loc, staticMax))
      .getResult();
}

LogicalResult convertForall(scf::ForallOp forall, unsigned numThreads,
                            uint64_t minParallelBytes) {
  if (forall.getNumResults() != 0)
    return forall.emitOpError("must be bufferized before nn-forall-to-openmp");
  OpBuilder b(forall);
  Location loc = forall.getLoc();

  // Loops over little data run serially: starting threads would cost more
  // than it saves. Known at compile time, that is a plain loop; otherwise an
  // OpenMP if clause decides at run time.
  Value runInParallel;
  if (minParallelBytes) {
    OpFoldResult bytes = largestOperandBytes(b, forall);
    if (std::optional<int64_t> known = getConstantIntValue(bytes)) {
      if (uint64_t(*known) < minParallelBytes) {
        IRRewriter rewriter(b);
        return scf::forallToForLoop(rewriter, forall);
      }
    } else {
      runInParallel = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::uge, cast<Value>(bytes),
          arith::ConstantIndexOp::create(b, loc, minParallelBytes));
    }
  }

  // Bounds first: the loop wrapper may hold nothing but the loop nest.
  omp::LoopNestOperands nestOperands;
  auto materialize = [&](ArrayRef<OpFoldResult> values) {
    SmallVector<Value> result;
    for (OpFoldResult value : values)
      result.push_back(getValueOrCreateConstantIndexOp(b, loc, value));
    return result;
  };
  nestOperands.loopLowerBounds = materialize(forall.getMixedLowerBound());
  nestOperands.loopUpperBounds = materialize(forall.getMixedUpperBound());
  nestOperands.loopSteps = materialize(forall.getMixedStep());

  omp::ParallelOperands parallelOperands;
  // The run-time thread count, added to the module with the first loop that
  // needs it (not when every loop stayed serial).
  if (!numThreads &&
      failed(addNumThreadsFunction(forall->getParentOfType<ModuleOp>())))
    return forall.emitOpError("cannot add the thread-count function");
  if (numThreads)
    parallelOperands.numThreads =
        arith::ConstantIntOp::create(b, loc, b.getI32Type(), numThreads);
  else
    parallelOperands.numThreads =
        LLVM::CallOp::create(b, loc, TypeRange{b.getI32Type()},
                             kNumThreadsFunction, ValueRange{})
            .getResult();
  parallelOperands.ifExpr = runInParallel;
  auto parallel = omp::ParallelOp::create(b, loc, parallelOperands);
  b.createBlock(&parallel.getRegion());
  omp::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&parallel.getRegion().front());

  auto wsloop = omp::WsloopOp::create(b, loc, omp::WsloopOperands());
  b.createBlock(&wsloop.getRegion());

  auto nest = omp::LoopNestOp::create(b, loc, nestOperands);

  // Move the body over; the induction variables become the nest's.
  Block *body = forall.getBody();
  Region &nestRegion = nest.getRegion();
  nestRegion.getBlocks().splice(nestRegion.end(),
                                forall.getRegion().getBlocks());
  b.setInsertionPoint(body->getTerminator());
  omp::YieldOp::create(b, loc, ValueRange{});
  body->getTerminator()->erase();
  forall.erase();
  return success();
}

struct ForallToOpenMPPass
    : nn::impl::ForallToOpenMPPassBase<ForallToOpenMPPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<scf::ForallOp> foralls;
    // Outermost loops only: a nested forall runs on its thread.
    module.walk<WalkOrder::PreOrder>([&](scf::ForallOp forall) {
      foralls.push_back(forall);
      return WalkResult::skip();
    });
    for (scf::ForallOp forall : foralls)
      if (failed(convertForall(forall, numThreads, minParallelBytes)))
        return signalPassFailure();
  }
};

} // namespace
