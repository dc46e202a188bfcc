//===- BF16MemoryAsI16.cpp - bf16 loads and stores as i16 -----------------===//

#include "nn/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::nn {
#define GEN_PASS_DEF_BF16MEMORYASI16PASS
#include "nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {

/// `type` with bf16 replaced by i16, or null if it holds no bf16.
Type getI16Type(Type type) {
  if (type.isBF16())
    return IntegerType::get(type.getContext(), 16);
  if (auto vector = dyn_cast<VectorType>(type))
    if (vector.getElementType().isBF16())
      return vector.clone(IntegerType::get(type.getContext(), 16));
  return nullptr;
}

/// Makes `op`'s result an i16 value and gives its users a bitcast to bf16.
void retypeResult(Operation *op) {
  Value result = op->getResult(0);
  Type original = result.getType();
  result.setType(getI16Type(original));
  OpBuilder b(op->getContext());
  b.setInsertionPointAfter(op);
  auto cast = LLVM::BitcastOp::create(b, op->getLoc(), original, result);
  result.replaceAllUsesExcept(cast, cast);
}

/// Replaces operand `index` of `op` by its bitcast to i16.
void retypeOperand(Operation *op, unsigned index) {
  Value value = op->getOperand(index);
  OpBuilder b(op);
  op->setOperand(index,
                 LLVM::BitcastOp::create(b, op->getLoc(),
                                         getI16Type(value.getType()), value));
}

struct BF16MemoryAsI16Pass
    : nn::impl::BF16MemoryAsI16PassBase<BF16MemoryAsI16Pass> {
  void runOnOperation() override {
    getOperation().walk([](Operation *op) {
      if (isa<LLVM::LoadOp>(op) && getI16Type(op->getResult(0).getType())) {
        retypeResult(op);
      } else if (auto load = dyn_cast<LLVM::MaskedLoadOp>(op)) {
        if (!getI16Type(load.getType()))
          return;
        if (load.getPassThru())
          retypeOperand(op,
                        load.getPassThruMutable().begin()->getOperandNumber());
        retypeResult(op);
      } else if (auto store = dyn_cast<LLVM::StoreOp>(op)) {
        if (getI16Type(store.getValue().getType()))
          retypeOperand(op, store.getValueMutable().getOperandNumber());
      } else if (auto store = dyn_cast<LLVM::MaskedStoreOp>(op)) {
        if (getI16Type(store.getValue().getType()))
          retypeOperand(op, store.getValueMutable().getOperandNumber());
      }
    });
  }
};

} // namespace
