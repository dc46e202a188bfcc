//===- ArgumentFuzzer.cpp - Fuzz nn-run's input handling ------------------===//
//
// The bytes choose a function signature and an --input spec: an inline
// tensor, or a file whose contents are the rest of the bytes. loadArgument
// must fail with a message or give a tensor that fits the signature.
//
// Layout: byte 0 = element kind (low 2 bits) and rank (next 2 bits); one
// byte per dimension (bit 7: dynamic, else size = value % 8); then a byte
// whose low bit picks a file (1) or inline text (0), then the payload.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "nn/Runtime/ArgumentSpec.h"
#include "nn/Runtime/Npy.h"
#include "FuzzCheck.h"
#include "llvm/Support/raw_ostream.h"


using namespace mlir::nn::runtime;

static void check(bool condition, const char *what) {
  nn::fuzz::check(condition, "ArgumentFuzzer", what);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  static const ElementKind kinds[] = {ElementKind::F16, ElementKind::BF16,
                                      ElementKind::F32, ElementKind::F64};
  TensorSignature argument;
  argument.kind = kinds[data[0] & 3];
  unsigned rank = (data[0] >> 2) & 3;
  size_t pos = 1;
  for (unsigned i = 0; i < rank && pos < size; ++i, ++pos)
    argument.shape.push_back(data[pos] & 0x80 ? mlir::ShapedType::kDynamic
                                              : data[pos] % 8);
  if (argument.shape.size() != rank || pos >= size)
    return 0;
  bool isFile = data[pos++] & 1;
  llvm::StringRef payload(reinterpret_cast<const char *>(data) + pos,
                          size - pos);

  FunctionSignature signature;
  signature.arguments.push_back(argument);
  auto readFile = [&](llvm::StringRef path) { return parseNpy(payload, path); };
  std::string spec = isFile ? "@fuzz.npy" : payload.str();
  llvm::Expected<HostTensor> tensor =
      loadArgument(spec, signature, /*index=*/0, readFile);
  if (!tensor) {
    check(!llvm::toString(tensor.takeError()).empty(), "empty error message");
    return 0;
  }
  check(tensor->getKind() == argument.kind, "wrong element type accepted");
  check(tensor->getShape().size() == rank, "wrong rank accepted");
  for (unsigned i = 0; i < rank; ++i)
    check(argument.shape[i] == mlir::ShapedType::kDynamic ||
              argument.shape[i] == tensor->getShape()[i],
          "wrong size accepted");
  std::string printed;
  llvm::raw_string_ostream os(printed);
  tensor->print(os);
  check(!printed.empty(), "nothing printed");
  return 0;
}
