//===- ModuleFile.h - Reading the module an nn tool works on ----*- C++ -*-===//

#ifndef NN_TOOLS_MODULEFILE_H
#define NN_TOOLS_MODULEFILE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <string>

namespace mlir::nn {

/// A module read from a file (or stdin for "-"). While it lives, diagnostics
/// of its context print as `file:line:col: error: ...` with the source line.
class ModuleFile {
public:
  explicit ModuleFile(MLIRContext &context)
      : handler(sourceMgr, &context), context(context) {}

  /// Parses `path`. Returns null on failure: after printing the parse error,
  /// or with `error` set when the file cannot be read.
  OwningOpRef<ModuleOp> parse(llvm::StringRef path, std::string &error);

private:
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler;
  MLIRContext &context;
};

} // namespace mlir::nn

#endif // NN_TOOLS_MODULEFILE_H
