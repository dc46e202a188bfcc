//===- EmitCInterface.cpp - Mark public functions for a C interface -------===//

#include "nn/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::nn {
#define GEN_PASS_DEF_EMITCINTERFACEPASS
#include "nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {
struct EmitCInterfacePass
    : nn::impl::EmitCInterfacePassBase<EmitCInterfacePass> {
  void runOnOperation() override {
    StringRef attrName = LLVM::LLVMDialect::getEmitCWrapperAttrName();
    UnitAttr unit = UnitAttr::get(&getContext());
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        func->setAttr(attrName, unit);
  }
};
} // namespace
