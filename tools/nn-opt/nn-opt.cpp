//===- nn-opt.cpp - The nn optimizer driver -------------------------------===//
//
// mlir-opt with the nn dialect, passes and pipelines added. Unlike mlir-opt,
// `-o FILE` is written to a temporary renamed into place on success, so a
// failing run leaves an existing FILE as it was, and FILE may not be the
// input.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "nn/InitAllDialects.h"
#include "nn/InitAllPasses.h"
#include "nn/Tools/AtomicOutputs.h"
#include "nn/Tools/CrashRecovery.h"
#include "nn/Tools/OutputPaths.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "nn-opt") << message << "\n";
  return 1;
}

static int process(int argc, char **argv, const std::string &inputFilename,
                   const std::string &outputFilename,
                   mlir::DialectRegistry &registry);

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::nn::registerAllPasses();

  mlir::DialectRegistry registry;
  mlir::nn::registerAllDialects(registry);
  std::pair<std::string, std::string> files = mlir::registerAndParseCLIOptions(
      argc, argv, "nn-opt: the nn-mlir optimizer driver\n", registry);

  return mlir::nn::runWithCrashRecovery("nn-opt", files.first, [&] {
    return process(argc, argv, files.first, files.second, registry);
  });
}

static int process(int argc, char **argv, const std::string &inputFilename,
                   const std::string &outputFilename,
                   mlir::DialectRegistry &registry) {
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  // The options that print something else: mlir-opt's own handling.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> input =
      mlir::openInputFile(inputFilename, &errorMessage);
  if (!input)
    return fail(errorMessage);
  if (outputFilename == "-")
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(llvm::outs(), std::move(input), registry, config));

  if (std::optional<std::string> error =
          mlir::nn::checkOutputPaths({inputFilename}, {outputFilename}))
    return fail(*error);

  mlir::nn::AtomicOutputs files;
  bool processed = true;
  if (llvm::Error err = files.stage(outputFilename, [&](llvm::raw_ostream &os) {
        processed = mlir::succeeded(
            mlir::MlirOptMain(os, std::move(input), registry, config));
        return llvm::Error::success();
      }))
    return fail(llvm::toString(std::move(err)));
  // Diagnostics have been reported; the temporary goes with `files`.
  if (!processed)
    return 1;
  if (llvm::Error err = files.commit())
    return fail(llvm::toString(std::move(err)));
  return 0;
}
