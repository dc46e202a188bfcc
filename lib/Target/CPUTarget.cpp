//===- CPUTarget.cpp - Machine code for x86-64 CPUs -----------------------===//

#include "nn/Target/CPUTarget.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

static void initializeX86() {
  static bool done = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
    return true;
  }();
  (void)done;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
nn::createCPUTargetMachine(llvm::StringRef cpu) {
  initializeX86();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  if (triple.getArch() != llvm::Triple::x86_64)
    return llvm::createStringError("the CPU backend targets x86-64 hosts; "
                                   "this host is " +
                                   triple.str());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError(error);

  std::string cpuName, features;
  if (cpu.empty() || cpu == "host") {
    cpuName = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures featureList;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      featureList.AddFeature(feature.first(), feature.second);
    features = featureList.getString();
  } else {
    cpuName = cpu.str();
  }

  // Validate the name first: LLVM only warns about unknown CPUs.
  std::unique_ptr<llvm::MCSubtargetInfo> genericInfo(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!genericInfo->isCPUStringValid(cpuName))
    return llvm::createStringError(
        "unknown --target-cpu '" + cpuName +
        "'; use an LLVM x86 CPU name such as x86-64, x86-64-v3, haswell, "
        "skylake-avx512, znver4, or host");

  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpuName, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for " +
                                   cpuName);
  return machine;
}

nn::CPUFeatures nn::getCPUFeatures(const llvm::TargetMachine &machine) {
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  return CPUFeatures::get([&](llvm::StringRef name) {
    return info->checkFeatures(("+" + name).str());
  });
}

llvm::Expected<std::unique_ptr<llvm::Module>>
nn::translateToOptimizedLLVMIR(ModuleOp module, llvm::LLVMContext &context,
                               llvm::TargetMachine &machine) {
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, "nn");
  if (!llvmModule)
    return llvm::createStringError("translating to LLVM IR failed");
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  // Only the C interface is exported: the functions it wraps become internal
  // (and inlined), so a kernel named `main` cannot clash with a program's.
  for (llvm::Function &function : *llvmModule)
    if (!function.isDeclaration() &&
        llvmModule->getFunction(("_mlir_ciface_" + function.getName()).str()))
      function.setLinkage(llvm::GlobalValue::InternalLinkage);
  // The optimizer and code generator read the CPU from function attributes.
  std::string cpu = machine.getTargetCPU().str();
  std::string features = machine.getTargetFeatureString().str();
  for (llvm::Function &function : *llvmModule) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("target-cpu", cpu);
    if (!features.empty())
      function.addFnAttr("target-features", features);
  }
  auto optimize =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, &machine);
  if (llvm::Error err = optimize(llvmModule.get()))
    return std::move(err);
  return llvmModule;
}

llvm::Error nn::emitMachineCode(llvm::Module &module,
                                llvm::TargetMachine &machine,
                                llvm::CodeGenFileType type,
                                llvm::raw_pwrite_stream &os) {
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, os, nullptr, type))
    return llvm::createStringError("the target cannot emit this file type");
  passes.run(module);
  return llvm::Error::success();
}

/// clang from the LLVM install nn-mlir was built against, else one on PATH.
static llvm::Expected<std::string> findLinkerDriver() {
  if (llvm::sys::fs::can_execute(NN_DEFAULT_LINKER_DRIVER))
    return std::string(NN_DEFAULT_LINKER_DRIVER);
  for (const char *name : {"clang-22", "clang", "cc"})
    if (auto path = llvm::sys::findProgramByName(name))
      return *path;
  return llvm::createStringError(
      "no C compiler driver (clang or cc) found to link a shared library");
}

llvm::Error nn::linkSharedLibrary(llvm::StringRef objectPath,
                                  llvm::StringRef outputPath,
                                  llvm::ArrayRef<std::string> libraries) {
  llvm::Expected<std::string> driver = findLinkerDriver();
  if (!driver)
    return driver.takeError();

  llvm::SmallVector<std::string> args = {
      *driver, "-shared", "-o", outputPath.str(), objectPath.str()};
  for (const std::string &library : libraries)
    // A path names an archive or object to link in; a name, a -l library.
    args.push_back(llvm::StringRef(library).contains('/') ? library
                                                          : "-l" + library);
  args.push_back("-lm");
  llvm::SmallVector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*driver, argRefs, std::nullopt, {}, 0,
                                         0, &message);
  if (status != 0)
    return llvm::createStringError("linking the shared library with " +
                                   *driver + " failed" +
                                   (message.empty() ? "" : ": " + message));
  return llvm::Error::success();
}
