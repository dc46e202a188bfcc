//===- InlineTensor.cpp - Tensors written on the command line -------------===//

#include "nn/Runtime/InlineTensor.h"

#include "llvm/ADT/StringExtras.h"

#include <cerrno>
#include <cstdlib>

using namespace mlir;
using namespace mlir::nn::runtime;
using llvm::StringRef;

llvm::Expected<HostTensor> nn::runtime::parseInlineTensor(StringRef text) {
  auto fail = [&](const llvm::Twine &message) {
    return llvm::createStringError(
        "inline tensor '" + text.take_front(60).str() +
        (text.size() > 60 ? "...' " : "': ") + message.str());
  };
  auto [type, values] = text.split('=');
  if (values.data() == nullptr || !text.contains('='))
    return fail("expected SHAPExTYPE=VALUES, e.g. 2x3xf32=1 2 3 4 5 6");

  // "2x3xf32": sizes, then the element type after the last 'x'.
  llvm::SmallVector<StringRef> parts;
  type.trim().split(parts, 'x');
  std::optional<ElementKind> kind = parseElementKind(parts.back());
  if (!kind)
    return fail("unknown element type '" + parts.back() +
                "'; expected f16, bf16, f32, f64, i32 or i64");
  llvm::SmallVector<int64_t> shape;
  for (StringRef part : llvm::ArrayRef(parts).drop_back()) {
    int64_t size;
    if (part.getAsInteger(10, size) || size < 0)
      return fail("'" + part + "' is not a dimension size");
    shape.push_back(size);
  }
  llvm::Expected<int64_t> count = getNumElements(shape, *kind);
  if (!count)
    return fail(llvm::toString(count.takeError()));

  llvm::SmallVector<StringRef> tokens;
  llvm::SplitString(values, tokens, " ,\t\n");
  if (static_cast<int64_t>(tokens.size()) != *count)
    return fail("the shape holds " + llvm::Twine(*count) + " values but " +
                llvm::Twine(tokens.size()) + " were given");

  HostTensor tensor(*kind, shape);
  for (auto [i, token] : llvm::enumerate(tokens)) {
    if (isInteger(*kind)) {
      int64_t value;
      if (token.getAsInteger(10, value))
        return fail("'" + token + "' is not an integer");
      if (*kind == ElementKind::I32 && value != int32_t(value))
        return fail("'" + token + "' does not fit in i32");
      tensor.setFromInt64(i, value);
      continue;
    }
    std::string str = token.str();
    char *end = nullptr;
    errno = 0;
    double value = std::strtod(str.c_str(), &end);
    if (end != str.c_str() + str.size())
      return fail("'" + token + "' is not a number");
    tensor.setFromDouble(i, value);
  }
  return tensor;
}
