//===- my-opt.cpp - An opt tool embedding nn-mlir -------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "nn/InitAllDialects.h"
#include "nn/InitAllPasses.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::nn::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::nn::registerAllDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "my-opt: embeds nn-mlir\n", registry));
}
