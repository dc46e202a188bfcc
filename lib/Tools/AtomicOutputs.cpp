//===- AtomicOutputs.cpp - Write a tool's outputs all or nothing ----------===//

#include "nn/Tools/AtomicOutputs.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir::nn;

static llvm::Error cannotWrite(llvm::StringRef path, const llvm::Twine &why) {
  return llvm::createStringError("cannot write " + path + ": " + why);
}

AtomicOutputs::~AtomicOutputs() {
  if (committed)
    return;
  for (Staged &file : staged)
    if (file.temp)
      llvm::consumeError(file.temp->discard());
}

llvm::Expected<llvm::sys::fs::TempFile *>
AtomicOutputs::createTemporary(llvm::StringRef path) {
  if (path.empty())
    return llvm::createStringError("an output file name is empty");
  if (llvm::sys::fs::is_directory(path))
    return cannotWrite(path, "Is a directory");
  // Beside the destination, so that the rename stays on one file system.
  llvm::SmallString<256> model(path);
  llvm::sys::path::remove_filename(model);
  llvm::sys::path::append(model, "." + llvm::sys::path::filename(path) +
                                     "-%%%%%%%%.tmp");
  llvm::Expected<llvm::sys::fs::TempFile> temp =
      llvm::sys::fs::TempFile::create(model);
  if (!temp)
    return cannotWrite(path, llvm::toString(temp.takeError()));
  staged.push_back({path.str(), std::move(*temp), ""});
  return &*staged.back().temp;
}

llvm::Error AtomicOutputs::stage(
    llvm::StringRef path,
    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> write) {
  if (path == "-") {
    std::string bytes;
    llvm::raw_string_ostream os(bytes);
    if (llvm::Error err = write(os))
      return err;
    staged.push_back({path.str(), std::nullopt, std::move(bytes)});
    return llvm::Error::success();
  }
  llvm::Expected<llvm::sys::fs::TempFile *> temp = createTemporary(path);
  if (!temp)
    return temp.takeError();
  llvm::raw_fd_ostream os((*temp)->FD, /*shouldClose=*/false);
  if (llvm::Error err = write(os))
    return err;
  os.flush();
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
  llvm::Expected<llvm::sys::fs::TempFile *> temp = createTemporary(path);
  if (!temp)
    return temp.takeError();
  return (*temp)->TmpName;
}

llvm::Error AtomicOutputs::commit() {
  committed = true;
  for (Staged &file : staged) {
    if (!file.temp)
      continue;
    if (llvm::Error err = file.temp->keep(file.path)) {
      // Leave nothing behind: this and the later temporaries go.
      std::string message = llvm::toString(std::move(err));
      for (Staged &rest : staged)
        if (rest.temp && !rest.temp->TmpName.empty())
          llvm::consumeError(rest.temp->discard());
      return cannotWrite(file.path, message);
    }
  }
  for (const Staged &file : staged)
    if (!file.temp)
      llvm::outs() << file.stdoutBytes;
  llvm::outs().flush();
  return llvm::Error::success();
}
