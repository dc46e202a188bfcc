//===- ArgumentSpec.cpp - nn-run style argument specifications ------------===//

#include "nn/Runtime/ArgumentSpec.h"

#include "nn/Runtime/InlineTensor.h"
#include "nn/Runtime/Npy.h"

using namespace mlir::nn::runtime;

bool mlir::nn::runtime::isFileArgumentSpec(llvm::StringRef spec) {
  return spec.starts_with("@") || !spec.contains('=');
}

llvm::StringRef mlir::nn::runtime::getArgumentSpecPath(llvm::StringRef spec) {
  return spec.starts_with("@") ? spec.drop_front() : spec;
}

llvm::Expected<HostTensor>
mlir::nn::runtime::readNpyFile(llvm::StringRef path) {
  return readNpy(path);
}

llvm::Expected<HostTensor> mlir::nn::runtime::loadArgument(
    llvm::StringRef spec, const FunctionSignature &signature, unsigned index,
    llvm::function_ref<llvm::Expected<HostTensor>(llvm::StringRef path)>
        readFile) {
  std::string what = "--input #" + std::to_string(index);
  bool isFile = isFileArgumentSpec(spec);
  llvm::Expected<HostTensor> tensor = [&]() -> llvm::Expected<HostTensor> {
    if (!isFile)
      return parseInlineTensor(spec);
    llvm::StringRef path = getArgumentSpecPath(spec);
    if (path.empty())
      return llvm::createStringError(
          "--input needs a file name or an inline tensor, e.g. "
          "--input=@x.npy or --input=\"2xf32=1 2\"");
    what += " (" + path.str() + ")";
    return readFile(path);
  }();
  if (!tensor)
    return tensor.takeError();
  if (index >= signature.arguments.size())
    return llvm::createStringError(what + ": the function takes only " +
                                   std::to_string(signature.arguments.size()) +
                                   " argument(s)");
  // NumPy has no bf16: bf16 arguments take f32 data.
  ElementKind wanted = signature.arguments[index].kind;
  if (wanted == ElementKind::BF16 && tensor->getKind() == ElementKind::F32 &&
      isFile)
    *tensor = tensor->convertTo(ElementKind::BF16);
  if (llvm::Error err = checkArgument(signature, index, *tensor, what))
    return std::move(err);
  return tensor;
}
