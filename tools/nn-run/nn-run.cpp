//===- nn-run.cpp - JIT-run a function of an nn module on the CPU ---------===//
//
//   nn-run FILE.mlir --function=main --input=@x.npy [--input=...]
//          [--output=@y.npy ...]
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "nn/InitAllDialects.h"
#include "nn/Runtime/ArgumentSpec.h"
#include "nn/Runtime/CPURunner.h"
#include "nn/Runtime/CUDADriver.h"
#include "nn/Runtime/ClassIndexCheck.h"
#include "nn/Runtime/Npy.h"
#include "nn/Target/CPUFeatures.h"
#include "nn/Tools/AtomicOutputs.h"
#include "nn/Tools/CrashRecovery.h"
#include "nn/Tools/ModuleFile.h"
#include "nn/Tools/OutputPaths.h"
#include "nn/Tools/ThreadsOption.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::nn::runtime;

namespace cl = llvm::cl;

static cl::OptionCategory category("nn-run options");

static cl::opt<std::string>
    inputFilename(cl::Positional, cl::desc("<module.mlir, or - for stdin>"),
                  cl::init("-"), cl::cat(category));

static cl::opt<std::string>
    functionName("function", cl::desc("Public function to run (default: main)"),
                 cl::value_desc("name"), cl::init("main"), cl::cat(category));

static cl::list<std::string> inputs(
    "input",
    cl::desc("One per function argument, in order: @FILE.npy (<f2, <f4, "
             "<f8, <i4 or <i8; a bf16 argument takes <f4, rounded to nearest "
             "even), or an inline tensor SHAPExTYPE=VALUES such as "
             "\"2x3xf32=1 2 3 4 5 6\", \"f64=0.5\" or \"3xi64=0 2 1\". "
             "Class indices of nn.cross_entropy must be classes or its "
             "ignore_index"),
    cl::value_desc("@file.npy|SHAPExTYPE=VALUES"), cl::cat(category));

static cl::list<std::string> outputs(
    "output",
    cl::desc("One per function result, in order: write it to FILE.npy (bf16 "
             "results as <f4). Without --output, results are printed"),
    cl::value_desc("@file.npy"), cl::cat(category));

namespace {
enum class Device { CPU, CUDA };
} // namespace

static cl::opt<Device> device(
    "device", cl::desc("Where to run the function (default: cpu)"),
    cl::init(Device::CPU),
    cl::values(clEnumValN(Device::CPU, "cpu", "this machine's CPU (JIT)"),
               clEnumValN(Device::CUDA, "cuda",
                          "an NVIDIA GPU through the CUDA driver")),
    cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "nn-run") << message << "\n";
  return 1;
}

static int fail(llvm::Error err) {
  return fail(llvm::toString(std::move(err)));
}

static int process(int threads);

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::opt<int> &threads = nn::registerThreadsOption(
      category,
      "Threads to run on; 0 (default): NN_NUM_THREADS if set, else all "
      "cores. Tensors under 128 KiB run on the calling thread. Results do not "
      "depend on it");
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "nn-run: JIT-compile an nn module for this CPU and run one function\n\n"
      "  nn-run FILE.mlir --function=main --input=@x.npy [--input=...] "
      "[--output=@y.npy ...]\n\n"
      "The module is lowered with --nn-cpu-pipeline. Arguments and results "
      "must be ranked tensors\nof f16, bf16, f32, f64, i32 or i64 (class "
      "indices); dynamic result sizes "
      "are computed from the inputs.\n");

  return nn::runWithCrashRecovery("nn-run", inputFilename,
                                  [&] { return process(threads); });
}

/// Everything after the command line: a crash in here becomes an error.
static int process(int threads) {
  if (std::optional<std::string> error = nn::checkThreadsOption(threads))
    return fail(*error);
  if (device == Device::CUDA) {
    // Say what is missing: the driver, a device, or (for now) the GPU
    // pipeline itself.
    llvm::Expected<CUDADriver> driver = CUDADriver::load();
    if (!driver)
      return fail("--device=cuda: " + llvm::toString(driver.takeError()));
    llvm::Expected<int> count = driver->getDeviceCount();
    if (!count)
      return fail("--device=cuda: " + llvm::toString(count.takeError()));
    if (*count == 0)
      return fail("--device=cuda: the CUDA driver sees no GPU");
    return fail("--device=cuda: this build of nn-run cannot run on a GPU "
                "yet; compile with nn-compile --target=nvptx --emit=shared "
                "and run the library (bench/gpu/run.py shows how)");
  }

  DialectRegistry registry;
  nn::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  std::string errorMessage;
  nn::ModuleFile moduleFile(context);
  OwningOpRef<ModuleOp> module = moduleFile.parse(inputFilename, errorMessage);
  if (!module)
    // A parse error has been reported with its location.
    return errorMessage.empty() ? 1 : fail(errorMessage);

  llvm::Expected<FunctionSignature> signature =
      getFunctionSignature(*module, functionName);
  if (!signature)
    return fail(llvm::toString(signature.takeError()));
  if (inputs.size() != signature->arguments.size())
    return fail("@" + functionName + " takes " +
                llvm::Twine(signature->arguments.size()) + " argument(s) but " +
                llvm::Twine(inputs.size()) + " --input were given");
  if (!outputs.empty() && outputs.size() != signature->results.size())
    return fail("@" + functionName + " has " +
                llvm::Twine(signature->results.size()) + " result(s) but " +
                llvm::Twine(outputs.size()) + " --output were given");

  llvm::SmallVector<std::string> outputPaths;
  for (llvm::StringRef spec : outputs) {
    llvm::StringRef path = spec.starts_with("@") ? spec.drop_front() : spec;
    if (path.empty())
      return fail("--output needs a file name, e.g. --output=@y.npy");
    outputPaths.push_back(path.str());
  }
  // Never write over the module or an input.
  llvm::SmallVector<std::string> inputPaths = {inputFilename};
  for (llvm::StringRef spec : inputs)
    if (isFileArgumentSpec(spec))
      inputPaths.push_back(getArgumentSpecPath(spec).str());
  if (std::optional<std::string> error =
          nn::checkOutputPaths(inputPaths, outputPaths))
    return fail(*error);

  llvm::SmallVector<HostTensor> arguments;
  for (auto [i, spec] : llvm::enumerate(inputs)) {
    llvm::Expected<HostTensor> tensor = loadArgument(spec, *signature, i);
    if (!tensor)
      return fail(llvm::toString(tensor.takeError()));
    arguments.push_back(std::move(*tensor));
  }
  if (llvm::Error err = checkClassIndices(*module, functionName, arguments))
    return fail(std::move(err));

  nn::CPUPipelineOptions options;
  options.threads = threads;
  options.nativeBF16 = nn::CPUFeatures::getHost().nativeBF16;
  llvm::Expected<llvm::SmallVector<HostTensor>> results =
      runFunctionOnCPU(*module, functionName, arguments, options);
  if (!results)
    return fail(llvm::toString(results.takeError()));

  if (outputPaths.empty()) {
    for (auto [i, result] : llvm::enumerate(*results)) {
      llvm::outs() << "// result #" << i << ": " << result.getTypeString()
                   << "\n";
      result.print(llvm::outs());
    }
    return 0;
  }
  // All outputs or none: a failure leaves every earlier file as it was.
  nn::AtomicOutputs files;
  for (size_t i = 0; i < outputPaths.size(); ++i) {
    const HostTensor &result = (*results)[i];
    if (llvm::Error err =
            files.stage(outputPaths[i], [&](llvm::raw_ostream &os) {
              return writeNpy(os, result);
            }))
      return fail(std::move(err));
  }
  if (llvm::Error err = files.commit())
    return fail(std::move(err));
  return 0;
}
