//===- IRPipelineFuzzer.cpp - Fuzz the parser, verifier and passes --------===//
//
// Any text: parse it as an MLIR module with every nn-opt dialect; if it
// parses and verifies, run each nn pass on a copy, then the CPU pipeline.
// Failures with diagnostics are fine; a crash, an assert or a sanitizer
// report is a bug.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "nn/InitAllDialects.h"
#include "nn/InitAllPasses.h"
#include "nn/Pipelines/Pipelines.h"
#include "llvm/Support/Regex.h"

using namespace mlir;

static DialectRegistry &getRegistry() {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    nn::registerAllDialects(*r);
    return r;
  }();
  return *registry;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  nn::registerAllPasses();
  registerCanonicalizerPass();
  return 0;
}

/// Runs `pipeline` on a copy of `module`; the result does not matter.
static void runOnCopy(ModuleOp module,
                      llvm::function_ref<void(PassManager &)> build) {
  OwningOpRef<ModuleOp> copy = module.clone();
  PassManager pm(module.getContext());
  pm.enableVerifier(true);
  build(pm);
  (void)pm.run(*copy);
}

/// Whether `text` has a `dimensions` or `permutation` keyword not followed
/// by a well-formed `= [i, j, ...]`: the packaged MLIR 22's
/// linalg.reduce/broadcast/transpose parsers crash on such input (stock
/// mlir-opt too; see test/Tools/upstream-parser-crash.test, where the tools
/// turn it into an error). Skipped so that fuzzing goes on to find our own
/// bugs.
static bool hasKnownUpstreamParserCrash(llvm::StringRef text) {
  static const llvm::Regex wellFormed(
      "^[ \t\n]*=[ \t\n]*\\[[ \t\n]*(-?[0-9]+[ \t\n]*(,[ \t\n]*-?[0-9]+"
      "[ \t\n]*)*)?\\]");
  for (llvm::StringRef keyword : {"dimensions", "permutation"}) {
    for (size_t pos = text.find(keyword); pos != llvm::StringRef::npos;
         pos = text.find(keyword, pos + 1))
      if (!wellFormed.match(text.substr(pos + keyword.size())))
        return true;
  }
  return false;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Huge inputs only slow the search down.
  if (size > 4096)
    return 0;
  if (hasKnownUpstreamParserCrash(
          llvm::StringRef(reinterpret_cast<const char *>(data), size)))
    return 0;
  MLIRContext context(getRegistry(), MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler ignore(&context,
                                 [](Diagnostic &) { return success(); });
  // The MLIR lexer reads the byte after the text and needs it to be NUL, as
  // in every buffer the tools read from files: copy into a std::string.
  std::string owned(reinterpret_cast<const char *>(data), size);
  llvm::StringRef text(owned);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, ParserConfig(&context));
  if (!module || failed(verify(*module)))
    return 0;

  static const char *const passes[] = {
      "builtin.module(canonicalize)",
      "builtin.module(nn-to-linalg)",
      "builtin.module(nn-to-vector)",
      "builtin.module(nn-to-vector{vector-bits=128 accumulators=1})",
      "builtin.module(nn-raise)",
      "builtin.module(nn-emit-c-interface)",
      "builtin.module(nn-strided-copy-to-linalg)",
      "builtin.module(nn-bf16-memory-as-i16)",
      "builtin.module(nn-extend-bf16-through-f32)",
      "builtin.module(nn-forall-to-openmp)",
  };
  for (const char *pipeline : passes)
    runOnCopy(*module, [&](PassManager &pm) {
      if (failed(parsePassPipeline(pipeline, pm)))
        std::abort(); // A pass name above is wrong: a bug in this file.
    });
  runOnCopy(*module, [](PassManager &pm) {
    nn::CPUPipelineOptions options;
    options.vectorBits = 512;
    nn::buildCPUPipeline(pm, options);
  });
  return 0;
}
