//===- ModuleFile.cpp - Reading the module an nn tool works on ------------===//

#include "nn/Tools/ModuleFile.h"

#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

using namespace mlir;

OwningOpRef<ModuleOp> nn::ModuleFile::parse(llvm::StringRef path,
                                            std::string &error) {
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &error);
  if (!file)
    return nullptr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  return parseSourceFile<ModuleOp>(sourceMgr, &context);
}
