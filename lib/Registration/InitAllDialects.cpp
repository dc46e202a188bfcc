//===- InitAllDialects.cpp - Register the nn dialect and its needs --------===//

#include "nn/InitAllDialects.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "nn/Dialect/NN/IR/NNDialect.h"

void mlir::nn::registerAllDialects(DialectRegistry &registry) {
  registry.insert<NNDialect>();
  // The pipelines go through linalg, bufferization, vector, gpu and LLVM;
  // their bufferization and lowering interfaces are attached as extensions.
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
}
