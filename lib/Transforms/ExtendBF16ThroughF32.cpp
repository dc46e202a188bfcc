//===- ExtendBF16ThroughF32.cpp - bf16 to f64 in two exact steps ----------===//

#include "nn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace mlir::nn {
#define GEN_PASS_DEF_EXTENDBF16THROUGHF32PASS
#include "nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {

struct ExtendBF16ThroughF32Pass
    : nn::impl::ExtendBF16ThroughF32PassBase<ExtendBF16ThroughF32Pass> {
  void runOnOperation() override {
    getOperation()->walk([](arith::ExtFOp ext) {
      Type source = ext.getIn().getType();
      Type result = ext.getType();
      if (!getElementTypeOrSelf(source).isBF16() ||
          getElementTypeOrSelf(result).getIntOrFloatBitWidth() <= 32)
        return;
      Type f32 = Float32Type::get(ext.getContext());
      auto shaped = dyn_cast<ShapedType>(source);
      OpBuilder b(ext);
      Value wide = arith::ExtFOp::create(
          b, ext.getLoc(), shaped ? shaped.clone(f32) : f32, ext.getIn());
      ext.getInMutable().assign(wide);
    });
  }
};

} // namespace
