//===- ApproximateExp2.cpp - afn math.exp2 as ex2.approx.ftz.f32 ----------===//
//
// convert-gpu-to-nvvm turns math.exp2 into libdevice's __nv_exp2f, which
// guards denormal inputs and results around its MUFU.EX2. The kernels mark
// the exp2 they can take approximately (`afn`: arguments <= 0 whose tiny
// results only add to a sum); those become the bare instruction here, one
// MUFU per element. Vectors are unrolled, as NVPTX has no vector ex2.
//
//===----------------------------------------------------------------------===//

#include "nn/Conversion/NNToGPU/NNToGPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "nn/Conversion/Passes.h"

namespace mlir::nn {
#define GEN_PASS_DEF_APPROXIMATEEXP2TONVVMPASS
#include "nn/Conversion/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {
constexpr llvm::StringLiteral kEx2Intrinsic = "llvm.nvvm.ex2.approx.ftz.f32";

struct ApproximateExp2ToNVVMPass
    : nn::impl::ApproximateExp2ToNVVMPassBase<ApproximateExp2ToNVVMPass> {
  void runOnOperation() override {
    SmallVector<math::Exp2Op> targets;
    getOperation()->walk([&](math::Exp2Op op) {
      if (getElementTypeOrSelf(op.getType()).isF32() &&
          bitEnumContainsAll(op.getFastmath(), arith::FastMathFlags::afn))
        targets.push_back(op);
    });
    OpBuilder b(&getContext());
    StringAttr name = b.getStringAttr(kEx2Intrinsic);
    for (math::Exp2Op op : targets) {
      b.setInsertionPoint(op);
      Location loc = op.getLoc();
      auto ex2 = [&](Value x) {
        return LLVM::CallIntrinsicOp::create(b, loc, b.getF32Type(), name,
                                             ValueRange{x})
            .getResult(0);
      };
      auto vectorType = dyn_cast<VectorType>(op.getType());
      if (!vectorType) {
        op.replaceAllUsesWith(ex2(op.getOperand()));
        op.erase();
        continue;
      }
      if (vectorType.getRank() != 1 || vectorType.isScalable())
        continue;
      Value result = arith::ConstantOp::create(
          b, loc, vectorType,
          SplatElementsAttr::get(vectorType, b.getF32FloatAttr(0.0f)));
      for (int64_t i = 0; i < vectorType.getNumElements(); ++i) {
        Value lane = vector::ExtractOp::create(b, loc, op.getOperand(), i);
        result = vector::InsertOp::create(b, loc, ex2(lane), result, i);
      }
      op.replaceAllUsesWith(result);
      op.erase();
    }
  }
};
} // namespace
