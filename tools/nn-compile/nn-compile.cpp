//===- nn-compile.cpp - Ahead-of-time compiler for nn modules -------------===//
//
//   nn-compile FILE.mlir -o OUT [--emit=obj|shared|asm|llvm|mlir]
//              [--header=H.h] [--target-cpu=CPU] [--threads=N]
//
// Every public func.func @f becomes `void _mlir_ciface_f(...)` taking
// pointers to memref descriptors: the arguments, then one per result, whose
// buffer the caller allocates.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "nn/Conversion/NNToGPU/NNToGPU.h"
#include "nn/InitAllDialects.h"
#include "nn/Pipelines/Pipelines.h"
#include "nn/Target/CHeader.h"
#include "nn/Target/CPUTarget.h"
#include "nn/Tools/AtomicOutputs.h"
#include "nn/Tools/CrashRecovery.h"
#include "nn/Tools/ModuleFile.h"
#include "nn/Tools/OutputPaths.h"
#include "nn/Tools/ThreadsOption.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {
enum class EmitKind { Object, Shared, Assembly, LLVMIR, MLIR, PTX, Cubin };
enum class Target { CPU, NVPTX, GPUEmulator };
} // namespace

static cl::OptionCategory category("nn-compile options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<module.mlir, or ->"),
                                          cl::init("-"), cl::cat(category));

static cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                           cl::value_desc("file"), cl::Required,
                                           cl::cat(category));

static cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to write (default: obj)"),
    cl::init(EmitKind::Object),
    cl::values(clEnumValN(EmitKind::Object, "obj", "an ELF object file"),
               clEnumValN(EmitKind::Shared, "shared",
                          "a shared library (.so) needing only libc and libm"),
               clEnumValN(EmitKind::Assembly, "asm", "x86-64 assembly"),
               clEnumValN(EmitKind::LLVMIR, "llvm", "optimized LLVM IR"),
               clEnumValN(EmitKind::PTX, "ptx",
                          "--target=nvptx: the kernels' PTX"),
               clEnumValN(EmitKind::Cubin, "cubin",
                          "--target=nvptx: the kernels' cubin (runs ptxas)"),
               clEnumValN(EmitKind::MLIR, "mlir",
                          "the module after --nn-cpu-pipeline (LLVM dialect)")),
    cl::cat(category));

static cl::opt<std::string> headerFilename(
    "header",
    cl::desc("Also write a C header declaring the _mlir_ciface_ functions "
             "with their shapes in comments"),
    cl::value_desc("file.h"), cl::init(""), cl::cat(category));

static cl::opt<Target>
    target("target", cl::desc("What to compile for (default: cpu)"),
           cl::init(Target::CPU),
           cl::values(clEnumValN(Target::CPU, "cpu", "x86-64 CPUs"),
                      clEnumValN(Target::NVPTX, "nvptx",
                                 "NVIDIA GPUs (--emit=ptx|cubin|mlir)"),
                      clEnumValN(Target::GPUEmulator, "gpu-emulator",
                                 "for testing: the nvptx kernels run serially "
                                 "on this CPU (the nvptx ABI, host memory)")),
           cl::cat(category));

static cl::opt<std::string>
    chip("chip",
         cl::desc("--target=nvptx: the SM architecture (default sm_90)"),
         cl::value_desc("sm_XY"), cl::init("sm_90"), cl::cat(category));

static cl::opt<std::string> ptxFeatures(
    "features",
    cl::desc("--target=nvptx: NVPTX features, e.g. +ptx80 (the default)"),
    cl::value_desc("+ptxNN"), cl::init("+ptx80"), cl::cat(category));

static cl::opt<nn::GPURowStrategy> gpuStrategy(
    "gpu-strategy",
    cl::desc("--target=nvptx or gpu-emulator: the last-dim kernel (default "
             "auto)"),
    cl::init(nn::GPURowStrategy::Auto), nn::getGPURowStrategyValues(),
    cl::cat(category));

static cl::opt<uint64_t> minParallelBytes(
    "min-parallel-bytes",
    cl::desc("CPU: parallel loops whose largest input or output holds fewer "
             "bytes run on the calling thread (default 131072; 0: always in "
             "parallel)"),
    cl::value_desc("bytes"), cl::init(131072), cl::cat(category));

static cl::opt<std::string> targetCPU(
    "target-cpu",
    cl::desc("LLVM name of the x86-64 CPU to compile for (x86-64, haswell, "
             "skylake-avx512, znver4, ...); default: this machine's CPU with "
             "its detected features"),
    cl::value_desc("cpu"), cl::init("host"), cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "nn-compile") << message << "\n";
  return 1;
}

static int fail(llvm::Error err) {
  return fail(llvm::toString(std::move(err)));
}

/// An include guard from the header's file name.
static std::string getGuard(llvm::StringRef path) {
  std::string guard;
  for (char c : llvm::sys::path::filename(path))
    guard +=
        std::isalnum(static_cast<unsigned char>(c)) ? std::toupper(c) : '_';
  return "NN_" + guard;
}

static int process(int threads);

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::opt<int> &threads = nn::registerThreadsOption(
      category, "Threads the kernels run on: 1 compiles serial code with no "
                "OpenMP dependency; 0 (default) decides at run time from "
                "NN_NUM_THREADS, else all cores. Tensors under 128 KiB run "
                "on the calling thread");
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "nn-compile: ahead-of-time compiler for nn modules (x86-64)\n\n"
      "  nn-compile FILE.mlir -o OUT [--emit=obj|shared|asm|llvm|mlir] "
      "[--header=H.h] [--target-cpu=CPU] [--threads=N]\n\n"
      "Every public func.func @f is exported as\n"
      "  void _mlir_ciface_f(arg descriptors..., result descriptors...)\n"
      "taking pointers to memref descriptors (StridedMemRefType<T, Rank> of "
      "mlir/ExecutionEngine/CRunnerUtils.h),\ninputs first, then one per "
      "result whose buffer the caller allocates.\n");

  return nn::runWithCrashRecovery("nn-compile", inputFilename,
                                  [&] { return process(threads); });
}

/// Everything after the command line: a crash in here becomes an error.
/// Stages the --header file, if one was asked for.
static llvm::Error stageHeader(nn::AtomicOutputs &files,
                               llvm::ArrayRef<nn::CompiledFunction> functions) {
  if (headerFilename.empty())
    return llvm::Error::success();
  return files.stage(headerFilename, [&](llvm::raw_ostream &os) {
    nn::writeCHeader(functions, llvm::sys::path::filename(inputFilename),
                     getGuard(headerFilename), os);
    return llvm::Error::success();
  });
}

/// Writes `bytes` to -o, and the header, all or nothing.
static int writeOutputs(llvm::ArrayRef<nn::CompiledFunction> functions,
                        llvm::StringRef bytes) {
  nn::AtomicOutputs files;
  if (llvm::Error err = stageHeader(files, functions))
    return fail(std::move(err));
  if (llvm::Error err = files.stage(outputFilename, [&](llvm::raw_ostream &os) {
        os << bytes;
        return llvm::Error::success();
      }))
    return fail(std::move(err));
  if (llvm::Error err = files.commit())
    return fail(std::move(err));
  return 0;
}

/// Links `object` with `libraries` into the -o shared library and writes
/// the header, all or nothing.
static int writeSharedLibrary(llvm::ArrayRef<nn::CompiledFunction> functions,
                              llvm::StringRef object,
                              llvm::ArrayRef<std::string> libraries) {
  nn::AtomicOutputs files;
  if (llvm::Error err = stageHeader(files, functions))
    return fail(std::move(err));
  llvm::Expected<std::string> libraryPath = files.stageByName(outputFilename);
  if (!libraryPath)
    return fail(libraryPath.takeError());
  llvm::SmallString<128> objectPath;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("nn-compile", "o", fd, objectPath))
    return fail("cannot create a temporary object file: " + ec.message());
  {
    llvm::raw_fd_ostream objectFile(fd, /*shouldClose=*/true);
    objectFile << object;
  }
  llvm::Error err = nn::linkSharedLibrary(objectPath, *libraryPath, libraries);
  llvm::sys::fs::remove(objectPath);
  if (err)
    return fail(std::move(err));
  if (llvm::Error err = files.commit())
    return fail(std::move(err));
  return 0;
}

/// libNNCUDARuntime.a beside an installed nn-compile (../lib), else the
/// one of the build tree; empty if neither exists.
static std::string findCUDARuntimeArchive() {
  std::string self = llvm::sys::fs::getMainExecutable(
      nullptr, reinterpret_cast<void *>(&findCUDARuntimeArchive));
  llvm::SmallString<256> installed(
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(self)));
  llvm::sys::path::append(installed, "lib", "libNNCUDARuntime.a");
  if (llvm::sys::fs::exists(installed))
    return installed.str().str();
  if (llvm::sys::fs::exists(NN_CUDA_RUNTIME_ARCHIVE))
    return NN_CUDA_RUNTIME_ARCHIVE;
  return "";
}

/// The kernel image of the module's one gpu.binary (PTX text or cubin).
static llvm::Expected<std::string> getGPUImage(ModuleOp module) {
  std::string image;
  unsigned binaries = 0;
  module.walk([&](gpu::BinaryOp binary) {
    ++binaries;
    for (Attribute object : binary.getObjects())
      image = cast<gpu::ObjectAttr>(object).getObject().getValue().str();
  });
  if (binaries != 1)
    return llvm::createStringError(
        "expected one gpu.binary after --nn-gpu-pipeline, found " +
        std::to_string(binaries) + " (no nn.logsoftmax to compile?)");
  return image;
}

static int process(int threads) {
  if (std::optional<std::string> error = nn::checkThreadsOption(threads))
    return fail(*error);
  bool gpuEmit = emitKind == EmitKind::PTX || emitKind == EmitKind::Cubin;
  if (target != Target::NVPTX && gpuEmit)
    return fail("--emit=ptx and --emit=cubin need --target=nvptx");
  if (target == Target::NVPTX && !gpuEmit && emitKind != EmitKind::MLIR &&
      emitKind != EmitKind::Shared)
    return fail("--target=nvptx writes --emit=ptx, cubin, shared or mlir");
  llvm::SmallVector<std::string> outputPaths = {outputFilename};
  if (!headerFilename.empty())
    outputPaths.push_back(headerFilename);
  if (std::optional<std::string> error =
          nn::checkOutputPaths({std::string(inputFilename)}, outputPaths))
    return fail(*error);

  DialectRegistry registry;
  nn::registerAllDialects(registry);
  MLIRContext context(registry);

  std::string errorMessage;
  nn::ModuleFile moduleFile(context);
  OwningOpRef<ModuleOp> module = moduleFile.parse(inputFilename, errorMessage);
  if (!module)
    // A parse error has been reported with its location.
    return errorMessage.empty() ? 1 : fail(errorMessage);

  // The C signatures, read off the tensor-level functions: every exported
  // function must take and return tensors the ABI describes.
  llvm::SmallVector<nn::CompiledFunction> functions;
  for (auto func : module->getOps<func::FuncOp>()) {
    if (!func.isPublic() || func.isExternal())
      continue;
    auto signature = nn::runtime::getFunctionSignature(*module, func.getName());
    if (!signature)
      return fail(inputFilename + ": " + llvm::toString(signature.takeError()));
    functions.push_back({func.getName().str(), std::move(*signature)});
  }

  if (target == Target::NVPTX) {
    nn::GPUPipelineOptions options;
    options.chip = chip;
    options.features = ptxFeatures;
    options.format = emitKind == EmitKind::Cubin ? nn::GPUImageFormat::Cubin
                                                 : nn::GPUImageFormat::PTX;
    options.strategy = gpuStrategy;
    PassManager pm(&context);
    nn::buildGPUPipeline(pm, options);
    if (failed(pm.run(*module)))
      return fail(inputFilename + ": lowering with --nn-gpu-pipeline failed");
    std::string bytes;
    if (emitKind == EmitKind::MLIR) {
      llvm::raw_string_ostream os(bytes);
      module->print(os);
    } else if (emitKind != EmitKind::Shared) {
      llvm::Expected<std::string> image = getGPUImage(*module);
      if (!image)
        return fail(inputFilename + ": " + llvm::toString(image.takeError()));
      bytes = std::move(*image);
    }
    if (emitKind != EmitKind::Shared)
      return writeOutputs(functions, bytes);
    // The host code, with the kernel image inside, for this machine's CPU,
    // linked with the CUDA runtime functions.
    auto machine = nn::createCPUTargetMachine(targetCPU);
    if (!machine)
      return fail(machine.takeError());
    llvm::LLVMContext llvmContext;
    auto llvmModule =
        nn::translateToOptimizedLLVMIR(*module, llvmContext, **machine);
    if (!llvmModule)
      return fail(llvmModule.takeError());
    llvm::SmallString<0> object;
    llvm::raw_svector_ostream os(object);
    if (llvm::Error err = nn::emitMachineCode(
            **llvmModule, **machine, llvm::CodeGenFileType::ObjectFile, os))
      return fail(std::move(err));
    std::string runtime = findCUDARuntimeArchive();
    if (runtime.empty())
      return fail("cannot find libNNCUDARuntime.a (the CUDA runtime "
                  "functions) beside nn-compile or in its build tree");
    return writeSharedLibrary(functions, object, {runtime});
  }

  auto machine = nn::createCPUTargetMachine(targetCPU);
  if (!machine)
    return fail(machine.takeError());

  nn::CPUPipelineOptions options;
  options.threads = threads;
  options.minParallelBytes = minParallelBytes;
  nn::CPUFeatures features = nn::getCPUFeatures(**machine);
  options.vectorBits = features.vectorBits;
  options.nativeBF16 = features.nativeBF16;
  PassManager pm(&context);
  if (target == Target::GPUEmulator) {
    nn::GPUPipelineOptions gpuOptions;
    gpuOptions.strategy = gpuStrategy;
    nn::buildGPUEmulatorPipeline(pm, gpuOptions, options.nativeBF16);
  } else {
    nn::buildCPUPipeline(pm, options);
  }
  if (failed(pm.run(*module)))
    return fail(inputFilename + ": lowering for --target=" +
                (target == Target::GPUEmulator ? "gpu-emulator" : "cpu") +
                " failed");

  llvm::SmallString<0> bytes;
  llvm::raw_svector_ostream os(bytes);
  if (emitKind == EmitKind::MLIR) {
    module->print(os);
  } else {
    llvm::LLVMContext llvmContext;
    auto llvmModule =
        nn::translateToOptimizedLLVMIR(*module, llvmContext, **machine);
    if (!llvmModule)
      return fail(llvmModule.takeError());
    if (emitKind == EmitKind::LLVMIR) {
      (*llvmModule)->print(os, nullptr);
    } else if (llvm::Error err =
                   nn::emitMachineCode(**llvmModule, **machine,
                                       emitKind == EmitKind::Assembly
                                           ? llvm::CodeGenFileType::AssemblyFile
                                           : llvm::CodeGenFileType::ObjectFile,
                                       os)) {
      return fail(std::move(err));
    }
  }

  if (emitKind != EmitKind::Shared)
    return writeOutputs(functions, bytes);

  llvm::SmallVector<std::string> libraries;
  if (threads != 1 && target == Target::CPU)
    libraries.push_back("omp");
  return writeSharedLibrary(functions, bytes, libraries);
}
