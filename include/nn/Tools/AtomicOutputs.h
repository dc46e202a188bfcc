//===- AtomicOutputs.h - Write a tool's outputs all or nothing --*- C++ -*-===//
///
/// \file
/// A tool that writes several files (nn-run's results, nn-compile's object
/// and header, nn-opt's output) must never leave some written and others not,
/// nor any half written: AtomicOutputs writes each to a temporary file beside
/// its destination (llvm::sys::fs::TempFile: removed on a signal too) and
/// renames them into place only once all are complete.
///
//===----------------------------------------------------------------------===//

#ifndef NN_TOOLS_ATOMICOUTPUTS_H
#define NN_TOOLS_ATOMICOUTPUTS_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace mlir::nn {

/// A set of output files written all or nothing. Files are staged one by
/// one, then commit() renames them all into place; temporaries that were
/// never committed are removed when the object dies, so an error return
/// at any point leaves every destination as it was.
class AtomicOutputs {
public:
  AtomicOutputs() = default;
  AtomicOutputs(const AtomicOutputs &) = delete;
  AtomicOutputs &operator=(const AtomicOutputs &) = delete;
  /// Removes the temporaries of a set that was not committed.
  ~AtomicOutputs();

  /// Writes the bytes `write` produces for `path` ("-" is standard output,
  /// buffered until commit) to a temporary file in `path`'s directory.
  /// Returns an error naming `path` if the temporary cannot be created or
  /// written, or `path` is a directory, or if `write` fails.
  llvm::Error stage(llvm::StringRef path,
                    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> write);

  /// Reserves a temporary file in `path`'s directory for a program that
  /// writes its output by name (a linker) and returns its name; commit()
  /// renames it to `path`. Same errors as stage().
  llvm::Expected<std::string> stageByName(llvm::StringRef path);

  /// Renames every staged file into place, then writes the standard output
  /// part. Returns an error naming the first file that could not be
  /// renamed; the ones renamed before it stay.
  llvm::Error commit();

private:
  struct Staged {
    std::string path;
    std::optional<llvm::sys::fs::TempFile> temp; // None for standard output.
    std::string stdoutBytes;
  };
  /// A new temporary beside `path`, staged (valid until the next one).
  llvm::Expected<llvm::sys::fs::TempFile *>
  createTemporary(llvm::StringRef path);

  llvm::SmallVector<Staged> staged;
  bool committed = false;
};

} // namespace mlir::nn

#endif // NN_TOOLS_ATOMICOUTPUTS_H
