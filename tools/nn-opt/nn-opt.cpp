//===- nn-opt.cpp - The nn optimizer driver -------------------------------===//
//
// mlir-opt with the nn dialect, passes and pipelines added.
//
//===----------------------------------------------------------------------===//

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
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "nn-opt: the nn-mlir optimizer driver\n", registry));
}
