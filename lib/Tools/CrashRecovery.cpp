//===- CrashRecovery.cpp - Turn a crash into an error exit ----------------===//

#include "nn/Tools/CrashRecovery.h"

#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NN_HAS_ASAN 1
#endif
#endif

int mlir::nn::runWithCrashRecovery(llvm::StringRef tool, llvm::StringRef input,
                                   llvm::function_ref<int()> body) {
#ifdef NN_HAS_ASAN
  (void)tool;
  (void)input;
  return body();
#else
  llvm::CrashRecoveryContext::Enable();
  llvm::CrashRecoveryContext context;
  int result = 1;
  if (context.RunSafely([&] { result = body(); }))
    return result;
  llvm::errs().flush();
  llvm::WithColor::error(llvm::errs(), tool)
      << "internal error: crashed (signal "
      << (context.RetCode > 128 ? context.RetCode - 128 : context.RetCode)
      << ") while processing '" << input
      << "'; any diagnostic above names the place in the input. This is a "
         "bug; please report it with the input and the command line\n";
  return 1;
#endif
}
