//===- my-run.cpp - Lower and run an nn module from C++ -------------------===//
//
// Parses a module, lowers it with nn::buildCPUPipeline into a pass manager
// of its own, then JIT-runs @main on [0, 1, 2] through nn's runtime and
// prints the result.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "nn/InitAllDialects.h"
#include "nn/Pipelines/Pipelines.h"
#include "nn/Runtime/CPURunner.h"
#include "llvm/Support/raw_ostream.h"

static const char *kModule = R"mlir(
func.func @main(%x: tensor<?xf32>) -> tensor<?xf32> {
  %y = "nn.logsoftmax"(%x) <{dim = 0 : i64}> : (tensor<?xf32>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}
)mlir";

int main() {
  mlir::DialectRegistry registry;
  mlir::nn::registerAllDialects(registry);
  mlir::MLIRContext context(registry);

  // The pipeline, built into a pass manager of our own.
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(kModule, &context);
  mlir::PassManager pm(&context);
  mlir::nn::CPUPipelineOptions options;
  mlir::nn::buildCPUPipeline(pm, options);
  if (!module || mlir::failed(pm.run(*module))) {
    llvm::errs() << "my-run: lowering failed\n";
    return 1;
  }
  llvm::outs() << "lowered to the LLVM dialect\n";

  // The runtime lowers a fresh copy itself and calls it.
  module = mlir::parseSourceString<mlir::ModuleOp>(kModule, &context);
  mlir::nn::runtime::HostTensor x(mlir::nn::runtime::ElementKind::F32, {3});
  for (int i = 0; i < 3; ++i)
    x.setFromDouble(i, i);
  auto results =
      mlir::nn::runtime::runFunctionOnCPU(*module, "main", {x}, options);
  if (!results) {
    llvm::errs() << "my-run: " << llvm::toString(results.takeError()) << "\n";
    return 1;
  }
  (*results)[0].print(llvm::outs());
  return 0;
}
