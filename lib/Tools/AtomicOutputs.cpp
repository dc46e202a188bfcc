//===- AtomicOutputs.cpp - Write a tool's outputs all or nothing ----------===//

#include "nn/Tools/AtomicOutputs.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"

using namespace mlir::nn;

static llvm::Error cannotWrite(llvm::StringRef path, const llvm::Twine &why) {
  return llvm::createStringError("cannot write " + path + ": " + why);
}

AtomicOutputs::~AtomicOutputs() {
  if (committed)
    return;
  for (const Staged &file : staged) {
    if (!file.tempPath.empty()) {
      llvm::sys::fs::remove(file.tempPath);
      llvm::sys::DontRemoveFileOnSignal(file.tempPath);
    }
  }
}

llvm::Expected<std::string> AtomicOutputs::createTemporary(llvm::StringRef path,
                                                           int &fd) {
  if (path.empty())
    return llvm::createStringError("an output file name is empty");
  if (llvm::sys::fs::is_directory(path))
    return cannotWrite(path, "Is a directory");
  // Beside the destination, so that the rename stays on one file system.
  llvm::SmallString<256> model(path);
  llvm::sys::path::remove_filename(model);
  llvm::sys::path::append(model, "." + llvm::sys::path::filename(path) +
                                     "-%%%%%%%%.tmp");
  llvm::SmallString<256> tempPath;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, tempPath))
    return cannotWrite(path, ec.message());
  // An interrupted run (Ctrl-C, a kill) leaves no temporary behind either.
  llvm::sys::RemoveFileOnSignal(tempPath);
  staged.push_back({path.str(), tempPath.str().str(), ""});
  return tempPath.str().str();
}

llvm::Error AtomicOutputs::stage(
    llvm::StringRef path,
    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> write) {
  if (path == "-") {
    std::string bytes;
    llvm::raw_string_ostream os(bytes);
    if (llvm::Error err = write(os))
      return err;
    staged.push_back({path.str(), "", std::move(bytes)});
    return llvm::Error::success();
  }
  int fd;
  llvm::Expected<std::string> tempPath = createTemporary(path, fd);
  if (!tempPath)
    return tempPath.takeError();
  llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
  if (llvm::Error err = write(os))
    return err;
  os.close();
  if (os.has_error()) {
    std::string message = os.error().message();
    os.clear_error();
    return cannotWrite(path, message);
  }
  return llvm::Error::success();
}

llvm::Expected<std::string> AtomicOutputs::stageByName(llvm::StringRef path) {
  if (path == "-")
    return llvm::createStringError("this output cannot go to standard output");
  int fd;
  llvm::Expected<std::string> tempPath = createTemporary(path, fd);
  if (tempPath)
    llvm::sys::fs::closeFile(fd);
  return tempPath;
}

llvm::Error AtomicOutputs::commit() {
  committed = true;
  for (Staged &file : staged) {
    if (file.tempPath.empty())
      continue;
    llvm::sys::DontRemoveFileOnSignal(file.tempPath);
    if (std::error_code ec = llvm::sys::fs::rename(file.tempPath, file.path)) {
      // Leave nothing behind: this and the later temporaries go.
      for (Staged &rest : staged)
        if (!rest.tempPath.empty() && llvm::sys::fs::exists(rest.tempPath))
          llvm::sys::fs::remove(rest.tempPath);
      return cannotWrite(file.path, ec.message());
    }
  }
  for (const Staged &file : staged)
    if (file.tempPath.empty())
      llvm::outs() << file.stdoutBytes;
  llvm::outs().flush();
  return llvm::Error::success();
}
