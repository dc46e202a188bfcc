//===- ModuleFile.h - Reading the module an nn tool works on ----*- C++ -*-===//
///
/// \file
/// Parsing the input module of nn-run and nn-compile with diagnostics that
/// point into its source.
///
//===----------------------------------------------------------------------===//

#ifndef NN_TOOLS_MODULEFILE_H
#define NN_TOOLS_MODULEFILE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <string>

namespace mlir::nn {

/// Reads modules from files (or stdin for "-") into a context. While it
/// lives, it is the context's diagnostic handler: every diagnostic of the
/// context, including later ones from passes, prints to stderr, and one
/// located in a parsed file prints as `file:line:col: error: ...` with the
/// source line. It keeps the parsed sources for that. Not copyable.
class ModuleFile {
public:
  /// Installs the diagnostic handler on `context`, which must outlive this
  /// object; the handler is removed when this object is destroyed.
  explicit ModuleFile(MLIRContext &context)
      : handler(sourceMgr, &context), context(context) {}

  /// Reads and parses the file at `path` ("-" for stdin) into this object's
  /// context. Returns null on failure: after printing the parse error through
  /// the handler, or with `error` set (nothing printed) when the file cannot
  /// be read. The caller owns the returned module.
  OwningOpRef<ModuleOp> parse(llvm::StringRef path, std::string &error);

private:
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler;
  MLIRContext &context;
};

} // namespace mlir::nn

#endif // NN_TOOLS_MODULEFILE_H
