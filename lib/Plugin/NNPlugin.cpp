//===- NNPlugin.cpp - nn as a plugin for a stock mlir-opt -----------------===//
//
// libNNPlugin.so gives an mlir-opt linked against the shared libMLIR.so
// (Debian's mlir-opt-22) the nn dialect, passes and pipelines:
//
//   mlir-opt-22 --load-dialect-plugin=libNNPlugin.so \
//     --load-pass-plugin=libNNPlugin.so --nn-cpu-pipeline in.mlir
//   mlir-opt-22 ... --pass-pipeline='builtin.module(nn-cpu-pipeline)' in.mlir
//
// The plugin links libMLIR.so and libLLVM.so, never the static MLIR
// libraries, so that it shares the tool's registries and TypeIDs. Before
// registering anything it checks that it is in such a tool: a tool with its
// own static copy of MLIR, or one that has nn built in (nn-opt), gets a
// clear message instead of a second, incompatible registration.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "nn/Dialect/NN/IR/NNDialect.h"
#include "nn/InitAllPasses.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <dlfcn.h>
#include <link.h>

using namespace mlir;

namespace {

/// The file of the executable or shared library holding `address`.
std::string objectName(const void *address) {
  Dl_info info;
  if (!dladdr(address, &info) || !info.dli_fname || !*info.dli_fname)
    return "the executable";
  return info.dli_fname;
}

/// Positions, in the dynamic linker's load order, of the objects holding
/// two addresses.
struct LoadOrder {
  const void *plugin, *mlir;
  int pluginIndex = -1, mlirIndex = -1, index = 0;
};

/// The MLIR this plugin calls must come from an object the tool loaded
/// before the plugin: its libMLIR.so, or a tool that exports its own MLIR.
/// When the MLIR object came after the plugin, the plugin pulled in
/// libMLIR.so itself, so the tool runs another copy of MLIR (linked
/// statically) whose registries the plugin cannot reach. Returns the
/// problem, or an empty string.
std::string checkSharedMLIR() {
  // A function of libMLIR.so, as the dynamic linker resolved it for us.
  auto *mlirFunction = reinterpret_cast<const void *>(
      static_cast<void (*)(DialectRegistry &)>(&mlir::registerAllDialects));
  LoadOrder order{reinterpret_cast<const void *>(&objectName), mlirFunction};
  dl_iterate_phdr(
      [](dl_phdr_info *info, size_t, void *data) {
        auto *order = static_cast<LoadOrder *>(data);
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr) &segment = info->dlpi_phdr[i];
          if (segment.p_type != PT_LOAD)
            continue;
          auto begin = info->dlpi_addr + segment.p_vaddr;
          auto end = begin + segment.p_memsz;
          auto holds = [&](const void *address) {
            auto value = reinterpret_cast<ElfW(Addr)>(address);
            return begin <= value && value < end;
          };
          if (holds(order->plugin))
            order->pluginIndex = order->index;
          if (holds(order->mlir))
            order->mlirIndex = order->index;
        }
        ++order->index;
        return 0;
      },
      &order);
  if (order.pluginIndex < 0 || order.mlirIndex < 0 ||
      order.mlirIndex < order.pluginIndex)
    return "";
  return "this tool does not use the shared MLIR library the plugin needs (" +
         objectName(mlirFunction) +
         "); any MLIR it has is linked in statically, so the nn dialect and "
         "passes would be registered in a second copy of MLIR. Load the "
         "plugin into a tool linked against libMLIR.so (such as "
         "mlir-opt-22), or use nn-opt, which has nn built in";
}

void pluginError(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "libNNPlugin.so") << message << "\n";
}

void pluginWarning(const llvm::Twine &message) {
  llvm::WithColor::warning(llvm::errs(), "libNNPlugin.so") << message << "\n";
}

//===----------------------------------------------------------------------===//
// The --nn-... flags
//===----------------------------------------------------------------------===//
//
// mlir-opt builds its pass flags from the pass registry before it parses the
// command line, and it loads pass plugins while it parses it, so a plugin's
// passes are not flags there: upstream reaches them only through
// --pass-pipeline. The plugin therefore adds an option of its own for each
// nn pass and pipeline. Each occurrence appends the pass, nested as the
// tool's implicit nesting would nest it, to one textual pipeline, and hands
// that to the tool's --pass-pipeline option: `--nn-to-linalg
// --nn-cpu-pipeline=threads=1` runs as
// `--pass-pipeline='builtin.module(nn-to-linalg,nn-cpu-pipeline{threads=1})'`.
// Upstream pass flags cannot be mixed in (the tool refuses --pass-pipeline
// with individual pass flags); the flags must follow --load-pass-plugin.

/// The tool's options the flags go through, and the pipeline so far.
struct FlagPipeline {
  /// The tool's --pass-pipeline (MLIR's PassPipelineCLParser).
  llvm::cl::opt<std::string> *passPipeline = nullptr;
  /// The tool's list of individual pass flags (--canonicalize, ...), found
  /// through one of its names; may be null.
  llvm::cl::Option *passList = nullptr;
  /// The first of our flags seen, for messages.
  std::string firstFlag;
  /// Comma-separated elements of the builtin.module pipeline.
  std::string elements;
};

FlagPipeline &flagPipeline() {
  static FlagPipeline pipeline;
  return pipeline;
}

[[noreturn]] void usageError(const llvm::Twine &message) {
  pluginError(message);
  std::exit(1);
}

/// The pipeline the flags have built so far, as --pass-pipeline takes it.
std::string flagPipelineText() {
  return "builtin.module(" + flagPipeline().elements + ")";
}

/// Fails if the tool's own pass flags or --pass-pipeline were given beside
/// the plugin's flags: the tool would refuse them with a message about
/// --pass-pipeline, or (--pass-pipeline given later) run only that.
void checkNotMixed() {
  FlagPipeline &pipeline = flagPipeline();
  if (pipeline.elements.empty())
    return;
  if (pipeline.passList && pipeline.passList->getNumOccurrences())
    usageError("--" + pipeline.firstFlag +
               " and the plugin's other pass flags cannot be combined with "
               "the tool's own pass flags (such as --canonicalize); write the "
               "whole pipeline as --pass-pipeline='builtin.module(...)'");
  if (pipeline.passPipeline->getValue() != flagPipelineText())
    usageError("--" + pipeline.firstFlag +
               " and the plugin's other pass flags cannot be combined with "
               "--pass-pipeline; add them to that pipeline instead");
}

/// Appends the pass or pipeline `name` with `options` to the pipeline run
/// by the tool's --pass-pipeline.
void addFlagPass(llvm::StringRef name, llvm::StringRef options) {
  FlagPipeline &pipeline = flagPipeline();
  if (pipeline.elements.empty()) {
    pipeline.firstFlag = name.str();
    if (pipeline.passPipeline->getNumOccurrences())
      usageError("--" + name + " cannot be combined with --pass-pipeline; "
                 "add " + name + " to that pipeline instead");
  } else {
    checkNotMixed();
  }
  if (pipeline.passList && pipeline.passList->getNumOccurrences())
    usageError("--" + name +
               " cannot be combined with the tool's own pass flags (such as "
               "--canonicalize); write the whole pipeline as "
               "--pass-pipeline='builtin.module(...)'");

  std::string element;
  if (const PassInfo *pass = PassInfo::lookup(name)) {
    // A pass restricted to an op (func.func) is nested as mlir-opt nests
    // its flags; printing the pass also checks its options.
    OpPassManager nesting("builtin.module", OpPassManager::Nesting::Implicit);
    std::string error;
    if (failed(pass->addToPipeline(nesting, options,
                                   [&](const llvm::Twine &message) {
                                     error = llvm::StringRef(message.str())
                                                 .trim()
                                                 .str();
                                     return failure();
                                   })))
      usageError("--" + name + ": " + error);
    llvm::raw_string_ostream os(element);
    nesting.printAsTextualPipeline(os);
    llvm::StringRef text(element);
    if (!text.consume_front("builtin.module(") || !text.consume_back(")"))
      usageError("--" + name + ": unexpected pipeline '" + element + "'");
    element = text.str();
  } else {
    // Pipelines (nn-cpu-pipeline) run on the module; their options are
    // parsed when the tool parses the pipeline.
    element = name.str();
    if (!options.empty())
      element += "{" + options.str() + "}";
  }
  if (!pipeline.elements.empty())
    pipeline.elements += ",";
  pipeline.elements += element;

  std::string text = flagPipelineText();
  if (!pipeline.passPipeline->getNumOccurrences())
    pipeline.passPipeline->addOccurrence(0, "pass-pipeline", text);
  else
    pipeline.passPipeline->setValue(text);
}

/// Adds a --<name> option for every nn pass and pipeline the tool has no
/// option for, if the tool has a --pass-pipeline option to send them to.
void registerPassFlags() {
  auto &options =
      llvm::cl::getRegisteredOptions();
  auto *passPipeline = dynamic_cast<llvm::cl::opt<std::string> *>(
      options.lookup("pass-pipeline"));
  if (!passPipeline)
    return; // Not an mlir-opt-like tool: --pass-pipeline is the only way.
  flagPipeline().passPipeline = passPipeline;
  flagPipeline().passList = options.lookup("canonicalize");

  static llvm::cl::OptionCategory category(
      "nn passes and pipelines (libNNPlugin.so)",
      "Run as --pass-pipeline='builtin.module(...)' in the order given; "
      "not to be mixed with the tool's own pass flags");
  llvm::SmallVector<llvm::StringRef> names;
  llvm::SplitString(NN_PLUGIN_PASS_FLAGS, names, ",");
  for (llvm::StringRef name : names) {
    llvm::StringRef description;
    if (const PassInfo *pass = PassInfo::lookup(name))
      description = pass->getPassDescription();
    else if (const PassPipelineInfo *pipeline = PassPipelineInfo::lookup(name))
      description = pipeline->getPassDescription();
    else
      continue; // Not registered: nothing to run.
    if (options.count(name))
      continue;
    // Never freed: the command line keeps pointers to its options.
    new llvm::cl::list<std::string>(
        name, llvm::cl::desc(description), llvm::cl::ValueOptional,
        llvm::cl::value_desc("options"), llvm::cl::cat(category),
        llvm::cl::callback([name](const std::string &value) {
          addFlagPass(name, value);
        }));
  }
}

void registerDialects(DialectRegistry *registry) {
  static const std::string problem = checkSharedMLIR();
  if (!problem.empty())
    return pluginError(problem + "; the nn dialect is not registered");
  if (registry->getDialectAllocator(nn::NNDialect::getDialectNamespace())) {
    // nn-opt and other tools with nn built in already have it.
    pluginWarning("this tool already has the nn dialect; the plugin's copy "
                  "is not registered");
    return;
  }
  registry->insert<nn::NNDialect>();
  // The GPU pipeline serializes kernels through LLVM IR; a stock mlir-opt
  // registers the dialects and their extensions but not these
  // translations. Extensions already present are not added twice.
  registerAllToLLVMIRTranslations(*registry);
  // The builtin dialect is loaded when the tool creates its context, after
  // the whole command line is parsed: the place to catch upstream pass flags
  // given after the plugin's.
  registry->addExtension(+[](MLIRContext *, BuiltinDialect *) {
    checkNotMixed();
  });
}

void registerPasses() {
  static bool registered = false;
  if (registered)
    return;
  registered = true;
  static const std::string problem = checkSharedMLIR();
  if (!problem.empty())
    return pluginError(problem + "; the nn passes are not registered");
  if (PassInfo::lookup("nn-to-linalg") ||
      PassPipelineInfo::lookup("nn-cpu-pipeline")) {
    pluginWarning("this tool already has the nn passes; the plugin's copies "
                  "are not registered");
    return;
  }
  nn::registerAllPasses();
  registerPassFlags();
}

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "NN", LLVM_VERSION_STRING,
          registerDialects};
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "NN", LLVM_VERSION_STRING, registerPasses};
}
