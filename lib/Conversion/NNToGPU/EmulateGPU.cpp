//===- EmulateGPU.cpp - Run gpu.launch kernels serially on the CPU --------===//
//
// For testing without a GPU: every gpu.launch becomes loops over its blocks
// and, inside, one loop over the block's threads per *phase*. Phases are
// the stretches of the launch body between synchronising ops:
//
// - gpu.barrier ends a phase: every thread finishes it before any thread
//   starts the next;
// - gpu.shuffle starts a phase: it reads the value its source lane stored
//   in the phase before (lanes are the linear thread id modulo 32, as on
//   NVIDIA GPUs; an invalid source yields the thread's own value).
//
// A value that one phase defines and a later one uses is kept per thread in
// a buffer; constants are recreated instead. Workgroup attributions become
// one buffer per launch, reused block after block. Synchronising ops are
// accepted only directly in the launch body, which is how the nn kernels
// are written; anything else is an error, not a wrong emulation.
//
// On the host side, gpu.alloc, gpu.dealloc and gpu.memcpy become their
// memref counterparts.
//
//===----------------------------------------------------------------------===//

#include "nn/Conversion/NNToGPU/NNToGPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "nn/Conversion/Passes.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::nn {
#define GEN_PASS_DEF_EMULATEGPUPASS
#include "nn/Conversion/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {

constexpr int64_t kWarpSize = 32;

bool isSync(Operation *op) { return isa<gpu::BarrierOp, gpu::ShuffleOp>(op); }

class LaunchEmulator {
public:
  LaunchEmulator(gpu::LaunchOp launch) : launch(launch) {}

  LogicalResult run();

private:
  LogicalResult check();
  void splitPhases();
  void findCrossingValues();
  void emitPhase(OpBuilder &b, size_t phase, ValueRange blockIds);
  Value emitShuffle(OpBuilder &b, gpu::ShuffleOp shuffle, IRMapping &map,
                    Value tid, Value &valid);

  gpu::LaunchOp launch;
  Location loc = launch.getLoc();
  SmallVector<SmallVector<Operation *>> phases;
  DenseMap<Operation *, size_t> phaseOf;
  /// Values defined in one phase and used in a later one, with their
  /// per-thread buffers.
  llvm::SetVector<Value> crossing;
  DenseMap<Value, Value> storage;
  SmallVector<Value> workgroup;
  Value threads;
};

LogicalResult LaunchEmulator::check() {
  if (launch.getAsyncToken() || !launch.getAsyncDependencies().empty() ||
      launch.getDynamicSharedMemorySize() || launch.hasClusterSize() ||
      !launch.getPrivateAttributions().empty())
    return launch.emitError("--nn-emulate-gpu: async launches, clusters, "
                            "dynamic shared memory and private attributions "
                            "are not emulated");
  for (BlockArgument attribution : launch.getWorkgroupAttributions())
    if (!cast<MemRefType>(attribution.getType()).hasStaticShape())
      return launch.emitError("--nn-emulate-gpu: workgroup attributions "
                              "must have static shapes");
  WalkResult result = launch.getBody().walk([&](Operation *op) {
    if (isa<gpu::TerminatorOp>(op))
      return WalkResult::advance();
    if (isSync(op) && op->getParentOp() != launch) {
      op->emitError("--nn-emulate-gpu: synchronising ops are emulated only "
                    "directly in the gpu.launch body, not in nested regions");
      return WalkResult::interrupt();
    }
    if (isa<gpu::GPUDialect>(op->getDialect()) && !isSync(op)) {
      op->emitError("--nn-emulate-gpu: no CPU emulation of this op");
      return WalkResult::interrupt();
    }
    if (auto shuffle = dyn_cast<gpu::ShuffleOp>(op))
      if (auto arg = dyn_cast<BlockArgument>(shuffle.getValue());
          arg && arg.getOwner() == &launch.getBody().front()) {
        op->emitError("--nn-emulate-gpu: a shuffle of a launch argument is "
                      "not emulated");
        return WalkResult::interrupt();
      }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

void LaunchEmulator::splitPhases() {
  phases.emplace_back();
  for (Operation &op : launch.getBody().front().without_terminator()) {
    if (isa<gpu::BarrierOp>(op)) {
      phases.emplace_back();
      continue;
    }
    if (isa<gpu::ShuffleOp>(op) && !phases.back().empty())
      phases.emplace_back();
    phaseOf[&op] = phases.size() - 1;
    phases.back().push_back(&op);
  }
}

void LaunchEmulator::findCrossingValues() {
  Block &body = launch.getBody().front();
  for (size_t phase = 0; phase < phases.size(); ++phase)
    for (Operation *op : phases[phase])
      op->walk([&](Operation *nested) {
        for (Value operand : nested->getOperands()) {
          Operation *def = operand.getDefiningOp();
          if (!def || def->getBlock() != &body || matchPattern(def, m_Constant()))
            continue;
          if (phaseOf.lookup(def) < phase)
            crossing.insert(operand);
        }
      });
}

Value LaunchEmulator::emitShuffle(OpBuilder &b, gpu::ShuffleOp shuffle,
                                  IRMapping &map, Value tid, Value &valid) {
  Value source = shuffle.getValue();
  Value own = map.lookupOrDefault(source);
  auto buffer = storage.lookup(source);
  if (!buffer) {
    // Defined outside the launch, or a constant: the same in every lane.
    valid = arith::ConstantIntOp::create(b, loc, 1, 1);
    return own;
  }
  auto index = [&](Value v) {
    return arith::IndexCastUIOp::create(b, loc, b.getIndexType(), v);
  };
  auto constant = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value offset = index(map.lookupOrDefault(shuffle.getOffset()));
  Value width = index(map.lookupOrDefault(shuffle.getWidth()));
  Value lane = arith::RemUIOp::create(b, loc, tid, constant(kWarpSize));
  Value warpStart = arith::SubIOp::create(b, loc, tid, lane);
  Value src;
  Value inRange = arith::ConstantIntOp::create(b, loc, 1, 1);
  switch (shuffle.getMode()) {
  case gpu::ShuffleMode::XOR:
    src = arith::XOrIOp::create(b, loc, lane, offset);
    break;
  case gpu::ShuffleMode::DOWN:
    src = arith::AddIOp::create(b, loc, lane, offset);
    break;
  case gpu::ShuffleMode::UP:
    inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, lane,
                                    offset);
    src = arith::SubIOp::create(b, loc, lane, offset);
    break;
  case gpu::ShuffleMode::IDX:
    src = offset;
    break;
  }
  Value srcTid = arith::AddIOp::create(b, loc, warpStart, src);
  valid = arith::AndIOp::create(
      b, loc, inRange,
      arith::AndIOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, src, width),
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, srcTid,
                                threads)));
  Value from = arith::SelectOp::create(b, loc, valid, srcTid, tid);
  return memref::LoadOp::create(b, loc, buffer, from);
}

void LaunchEmulator::emitPhase(OpBuilder &b, size_t phase,
                               ValueRange blockIds) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(b, loc, zero, threads, one);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value tid = loop.getInductionVar();

  // The launch's arguments for this thread.
  IRMapping map;
  Value sizeX = launch.getBlockSizeX(), sizeY = launch.getBlockSizeY();
  Value tx = arith::RemUIOp::create(b, loc, tid, sizeX);
  Value rest = arith::DivUIOp::create(b, loc, tid, sizeX);
  Value ty = arith::RemUIOp::create(b, loc, rest, sizeY);
  Value tz = arith::DivUIOp::create(b, loc, rest, sizeY);
  gpu::KernelDim3 ids = launch.getThreadIds(), blocks = launch.getBlockIds();
  map.map(ValueRange{ids.x, ids.y, ids.z}, ValueRange{tx, ty, tz});
  map.map(ValueRange{blocks.x, blocks.y, blocks.z}, blockIds);
  gpu::KernelDim3 gridArgs = launch.getGridSize(),
                  blockArgs = launch.getBlockSize();
  map.map(ValueRange{gridArgs.x, gridArgs.y, gridArgs.z},
          ValueRange{launch.getGridSizeX(), launch.getGridSizeY(),
                     launch.getGridSizeZ()});
  map.map(ValueRange{blockArgs.x, blockArgs.y, blockArgs.z},
          ValueRange{launch.getBlockSizeX(), launch.getBlockSizeY(),
                     launch.getBlockSizeZ()});
  map.map(launch.getWorkgroupAttributions(), workgroup);

  // Values from earlier phases: reloaded, or recreated if constant.
  Block &body = launch.getBody().front();
  for (Operation *op : phases[phase])
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands()) {
        if (map.contains(operand))
          continue;
        Operation *def = operand.getDefiningOp();
        if (!def || def->getBlock() != &body || phaseOf.lookup(def) >= phase)
          continue;
        if (Value buffer = storage.lookup(operand))
          map.map(operand, memref::LoadOp::create(b, loc, buffer, tid));
        else
          b.clone(*def, map);
      }
    });

  for (Operation *op : phases[phase]) {
    if (auto shuffle = dyn_cast<gpu::ShuffleOp>(op)) {
      Value valid;
      Value result = emitShuffle(b, shuffle, map, tid, valid);
      map.map(shuffle.getShuffleResult(), result);
      map.map(shuffle.getValid(), valid);
    } else {
      b.clone(*op, map);
    }
    for (Value result : op->getResults())
      if (Value buffer = storage.lookup(result))
        memref::StoreOp::create(b, loc, map.lookup(result), buffer, tid);
  }
}

LogicalResult LaunchEmulator::run() {
  if (failed(check()))
    return failure();
  splitPhases();
  findCrossingValues();

  OpBuilder b(launch);
  threads = arith::MulIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc, launch.getBlockSizeX(),
                            launch.getBlockSizeY()),
      launch.getBlockSizeZ());
  // Buffers live for the whole launch; blocks run one after another.
  SmallVector<Value> buffers;
  for (Value value : crossing) {
    auto type = MemRefType::get({ShapedType::kDynamic}, value.getType());
    storage[value] =
        memref::AllocOp::create(b, loc, type, ValueRange{threads});
    buffers.push_back(storage[value]);
  }
  for (BlockArgument attribution : launch.getWorkgroupAttributions()) {
    auto type = cast<MemRefType>(attribution.getType());
    workgroup.push_back(memref::AllocOp::create(
        b, loc, MemRefType::get(type.getShape(), type.getElementType())));
    buffers.push_back(workgroup.back());
  }

  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  scf::buildLoopNest(
      b, loc, ValueRange{zero, zero, zero},
      ValueRange{launch.getGridSizeZ(), launch.getGridSizeY(),
                 launch.getGridSizeX()},
      ValueRange{one, one, one},
      [&](OpBuilder &nested, Location, ValueRange ivs) {
        for (size_t phase = 0; phase < phases.size(); ++phase)
          emitPhase(nested, phase, ValueRange{ivs[2], ivs[1], ivs[0]});
      });
  for (Value buffer : buffers)
    memref::DeallocOp::create(b, loc, buffer);
  launch.erase();
  return success();
}

/// gpu.alloc, gpu.dealloc and gpu.memcpy on the host, as memref ops.
LogicalResult emulateHostOps(ModuleOp module) {
  SmallVector<Operation *> ops;
  module.walk([&](Operation *op) {
    if (isa<gpu::AllocOp, gpu::DeallocOp, gpu::MemcpyOp>(op))
      ops.push_back(op);
  });
  for (Operation *op : ops) {
    if (op->getNumOperands() &&
        isa<gpu::AsyncTokenType>(op->getOperand(0).getType()))
      return op->emitError("--nn-emulate-gpu: async host ops are not "
                           "emulated");
    OpBuilder b(op);
    if (auto alloc = dyn_cast<gpu::AllocOp>(op)) {
      if (alloc.getAsyncToken())
        return op->emitError("--nn-emulate-gpu: async host ops are not "
                             "emulated");
      alloc.getMemref().replaceAllUsesWith(
          memref::AllocOp::create(b, op->getLoc(), alloc.getType(),
                                  alloc.getDynamicSizes(),
                                  alloc.getSymbolOperands()));
    } else if (auto dealloc = dyn_cast<gpu::DeallocOp>(op)) {
      memref::DeallocOp::create(b, op->getLoc(), dealloc.getMemref());
    } else if (auto copy = dyn_cast<gpu::MemcpyOp>(op)) {
      memref::CopyOp::create(b, op->getLoc(), copy.getSrc(), copy.getDst());
    }
    op->erase();
  }
  return success();
}

struct EmulateGPUPass : nn::impl::EmulateGPUPassBase<EmulateGPUPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::LaunchOp> launches;
    module.walk([&](gpu::LaunchOp launch) { launches.push_back(launch); });
    for (gpu::LaunchOp launch : launches)
      if (failed(LaunchEmulator(launch).run()))
        return signalPassFailure();
    if (failed(emulateHostOps(module)))
      return signalPassFailure();
    module->removeAttr(gpu::GPUDialect::getContainerModuleAttrName());
  }
};

} // namespace
