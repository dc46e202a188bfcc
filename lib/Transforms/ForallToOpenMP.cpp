//===- ForallToOpenMP.cpp - Bufferized scf.forall to OpenMP ---------------===//
//
// Why not upstream's --scf-forall-to-parallel + --convert-scf-to-openmp:
// checked with mlir-opt 22 on a 2-D forall over a memref, that pair gives
// omp.parallel + omp.wsloop with a num_threads fixed at compile time (its
// only option) and wraps every iteration in memref.alloca_scope (a stack
// save/restore per row here). The kernels need the thread count read from
// NN_NUM_THREADS at each call and an `if` clause that keeps small tensors on
// the calling thread (min-parallel-bytes); on top of upstream those would be
// two more passes rewriting the omp.parallel it made, each finding the
// memrefs the loop uses again. One pass doing all three stays simpler.
//
//===----------------------------------------------------------------------===//

#include "nn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/FunctionCallUtils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::nn {
#define GEN_PASS_DEF_FORALLTOOPENMPPASS
#include "nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kNumThreadsFunction = "__nn_num_threads";

/// Adds, once, `i32 __nn_num_threads()`: NN_NUM_THREADS if it holds a
/// positive number, else OpenMP's default; with declarations of getenv, atoi
/// and omp_get_max_threads (existing ones are kept), at the end of the module.
LogicalResult addNumThreadsFunction(ModuleOp module) {
  if (module.lookupSymbol(kNumThreadsFunction))
    return success();
  MLIRContext *context = module.getContext();
  Location loc = module.getLoc();
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto i32 = IntegerType::get(context, 32);
  auto ptr = LLVM::LLVMPointerType::get(context);
  FailureOr<LLVM::LLVMFuncOp> getenv =
      LLVM::lookupOrCreateFn(b, module, "getenv", {ptr}, ptr);
  FailureOr<LLVM::LLVMFuncOp> atoi =
      LLVM::lookupOrCreateFn(b, module, "atoi", {ptr}, i32);
  FailureOr<LLVM::LLVMFuncOp> maxThreads =
      LLVM::lookupOrCreateFn(b, module, "omp_get_max_threads", {}, i32);
  if (failed(getenv) || failed(atoi) || failed(maxThreads))
    return failure();

  b.setInsertionPointToEnd(module.getBody());
  auto function = LLVM::LLVMFuncOp::create(b, loc, kNumThreadsFunction,
                                           LLVM::LLVMFunctionType::get(i32, {}),
                                           LLVM::Linkage::Internal);
  Block *entry = function.addEntryBlock(b);
  Block *parse = new Block(), *fallback = new Block(), *done = new Block();
  function.getBody().push_back(parse);
  function.getBody().push_back(fallback);
  function.getBody().push_back(done);
  done->addArgument(i32, loc);

  b.setInsertionPointToStart(entry);
  Value name = LLVM::createGlobalString(loc, b, "__nn_num_threads_env",
                                        StringRef("NN_NUM_THREADS\0", 15),
                                        LLVM::Linkage::Internal);
  Value value = LLVM::CallOp::create(b, loc, *getenv, name).getResult();
  Value null = LLVM::ZeroOp::create(b, loc, ptr);
  Value unset =
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, value, null);
  LLVM::CondBrOp::create(b, loc, unset, fallback, parse);

  b.setInsertionPointToStart(parse);
  Value count = LLVM::CallOp::create(b, loc, *atoi, value).getResult();
  Value zero = LLVM::ConstantOp::create(b, loc, i32, 0);
  Value positive =
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::sgt, count, zero);
  LLVM::CondBrOp::create(b, loc, positive, done, ValueRange{count}, fallback,
                         ValueRange{});

  b.setInsertionPointToStart(fallback);
  Value all =
      LLVM::CallOp::create(b, loc, *maxThreads, ValueRange{}).getResult();
  LLVM::BrOp::create(b, loc, ValueRange{all}, done);

  b.setInsertionPointToStart(done);
  LLVM::ReturnOp::create(b, loc, done->getArgument(0));
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
