//===- HostTensor.cpp - Dense tensors in host memory ----------------------===//

#include "nn/Runtime/HostTensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::nn::runtime;

unsigned nn::runtime::getByteWidth(ElementKind kind) {
  switch (kind) {
  case ElementKind::F16:
  case ElementKind::BF16:
    return 2;
  case ElementKind::F32:
  case ElementKind::I32:
    return 4;
  case ElementKind::F64:
  case ElementKind::I64:
    return 8;
  }
  llvm_unreachable("unknown element kind");
}

llvm::StringRef nn::runtime::getName(ElementKind kind) {
  switch (kind) {
  case ElementKind::F16:
    return "f16";
  case ElementKind::BF16:
    return "bf16";
  case ElementKind::F32:
    return "f32";
  case ElementKind::F64:
    return "f64";
  case ElementKind::I32:
    return "i32";
  case ElementKind::I64:
    return "i64";
  }
  llvm_unreachable("unknown element kind");
}

std::optional<ElementKind> nn::runtime::parseElementKind(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<ElementKind>>(name)
      .Case("f16", ElementKind::F16)
      .Case("bf16", ElementKind::BF16)
      .Case("f32", ElementKind::F32)
      .Case("f64", ElementKind::F64)
      .Case("i32", ElementKind::I32)
      .Case("i64", ElementKind::I64)
      .Default(std::nullopt);
}

std::optional<ElementKind> nn::runtime::getElementKind(Type type) {
  if (type.isF16())
    return ElementKind::F16;
  if (type.isBF16())
    return ElementKind::BF16;
  if (type.isF32())
    return ElementKind::F32;
  if (type.isF64())
    return ElementKind::F64;
  if (type.isSignlessInteger(32))
    return ElementKind::I32;
  if (type.isSignlessInteger(64))
    return ElementKind::I64;
  return std::nullopt;
}

/// Rounds `value` once to the 16-bit format `semantics`.
static uint16_t roundToHalf(double value, const llvm::fltSemantics &semantics) {
  llvm::APFloat f(value);
  bool losesInfo;
  f.convert(semantics, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return static_cast<uint16_t>(f.bitcastToAPInt().getZExtValue());
}

uint16_t nn::runtime::floatToBF16(float value) {
  // Exact in double, so that rounding to bf16 happens once.
  return roundToHalf(value, llvm::APFloat::BFloat());
}

static double widenHalf(uint16_t bits, const llvm::fltSemantics &semantics) {
  llvm::APFloat f(semantics, llvm::APInt(16, bits));
  bool losesInfo;
  f.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
            &losesInfo);
  return f.convertToDouble();
}

uint16_t nn::runtime::floatToF16(float value) {
  return roundToHalf(value, llvm::APFloat::IEEEhalf());
}

float nn::runtime::f16ToFloat(uint16_t bits) {
  return static_cast<float>(widenHalf(bits, llvm::APFloat::IEEEhalf()));
}

float nn::runtime::bf16ToFloat(uint16_t bits) {
  return static_cast<float>(widenHalf(bits, llvm::APFloat::BFloat()));
}

llvm::Expected<int64_t>
nn::runtime::getNumElements(llvm::ArrayRef<int64_t> shape, ElementKind kind) {
  int64_t count = 1;
  for (int64_t size : shape) {
    if (size < 0)
      return llvm::createStringError("negative dimension size %lld",
                                     static_cast<long long>(size));
    if (llvm::MulOverflow(count, size, count))
      return llvm::createStringError(
          "the element count of the shape overflows 64 bits");
  }
  int64_t bytes;
  if (llvm::MulOverflow(count, static_cast<int64_t>(getByteWidth(kind)), bytes))
    return llvm::createStringError(
        "the byte size of the shape overflows 64 bits");
  return count;
}

/// The granule count of a buffer for `bytes` bytes, at least 1 so that the
/// data pointer of an empty tensor is not null.
static size_t getStorageWords(size_t bytes) {
  return std::max<size_t>(1, (bytes + 7) / 8);
}

HostTensor::HostTensor(ElementKind kind, llvm::ArrayRef<int64_t> shape,
                       std::unique_ptr<uint64_t[], Free> storage)
    : kind(kind), shape(shape), storage(std::move(storage)) {
  numElements = 1;
  for (int64_t size : shape)
    numElements *= size;
  storageWords = getStorageWords(numElements * getByteWidth(kind));
}

static uint64_t *allocateStorage(size_t words) {
  return static_cast<uint64_t *>(std::calloc(words, sizeof(uint64_t)));
}

HostTensor::HostTensor(ElementKind kind, llvm::ArrayRef<int64_t> shape)
    : HostTensor(kind, shape, nullptr) {
  storage.reset(allocateStorage(storageWords));
  if (!storage)
    llvm::report_bad_alloc_error("HostTensor: out of memory");
}

llvm::Expected<HostTensor> HostTensor::create(ElementKind kind,
                                              llvm::ArrayRef<int64_t> shape) {
  llvm::Expected<int64_t> count = nn::runtime::getNumElements(shape, kind);
  if (!count)
    return count.takeError();
  size_t bytes = *count * getByteWidth(kind);
  std::unique_ptr<uint64_t[], Free> storage(
      allocateStorage(getStorageWords(bytes)));
  if (!storage) {
    std::string type = "tensor<";
    for (int64_t size : shape)
      type += std::to_string(size) + "x";
    type += getName(kind).str() + ">";
    return llvm::createStringError("cannot allocate " + std::to_string(bytes) +
                                   " bytes for " + type + ": out of memory");
  }
  return HostTensor(kind, shape, std::move(storage));
}

HostTensor::HostTensor(const HostTensor &other)
    : HostTensor(other.kind, other.shape) {
  std::memcpy(storage.get(), other.storage.get(),
              storageWords * sizeof(uint64_t));
}

HostTensor &HostTensor::operator=(const HostTensor &other) {
  if (this != &other)
    *this = HostTensor(other);
  return *this;
}

double HostTensor::getAsDouble(int64_t i) const {
  const char *base = static_cast<const char *>(getData());
  switch (kind) {
  case ElementKind::F16:
  case ElementKind::BF16: {
    uint16_t bits;
    std::memcpy(&bits, base + 2 * i, 2);
    return kind == ElementKind::F16 ? f16ToFloat(bits) : bf16ToFloat(bits);
  }
  case ElementKind::F32: {
    float value;
    std::memcpy(&value, base + 4 * i, 4);
    return value;
  }
  case ElementKind::F64: {
    double value;
    std::memcpy(&value, base + 8 * i, 8);
    return value;
  }
  case ElementKind::I32:
  case ElementKind::I64:
    return static_cast<double>(getAsInt64(i));
  }
  llvm_unreachable("unknown element kind");
}

int64_t HostTensor::getAsInt64(int64_t i) const {
  const char *base = static_cast<const char *>(getData());
  assert(isInteger(kind) && "getAsInt64 on a float tensor");
  if (kind == ElementKind::I32) {
    int32_t value;
    std::memcpy(&value, base + 4 * i, 4);
    return value;
  }
  int64_t value;
  std::memcpy(&value, base + 8 * i, 8);
  return value;
}

void HostTensor::setFromInt64(int64_t i, int64_t value) {
  char *base = static_cast<char *>(getData());
  assert(isInteger(kind) && "setFromInt64 on a float tensor");
  if (kind == ElementKind::I32) {
    auto narrow = static_cast<int32_t>(value);
    std::memcpy(base + 4 * i, &narrow, 4);
    return;
  }
  std::memcpy(base + 8 * i, &value, 8);
}

void HostTensor::setFromDouble(int64_t i, double value) {
  char *base = static_cast<char *>(getData());
  switch (kind) {
  case ElementKind::F16:
  case ElementKind::BF16: {
    uint16_t bits =
        roundToHalf(value, kind == ElementKind::F16 ? llvm::APFloat::IEEEhalf()
                                                    : llvm::APFloat::BFloat());
    std::memcpy(base + 2 * i, &bits, 2);
    return;
  }
  case ElementKind::F32: {
    float narrow = static_cast<float>(value);
    std::memcpy(base + 4 * i, &narrow, 4);
    return;
  }
  case ElementKind::F64:
    std::memcpy(base + 8 * i, &value, 8);
    return;
  case ElementKind::I32:
  case ElementKind::I64: {
    // Saturating, as the conversion of an out-of-range double is undefined.
    double low = kind == ElementKind::I32 ? -2147483648.0 : -0x1p63;
    double high = kind == ElementKind::I32 ? 2147483647.0 : 0x1p63 - 1024;
    setFromInt64(i, std::isnan(value)
                        ? 0
                        : static_cast<int64_t>(std::clamp(value, low, high)));
    return;
  }
  }
}

HostTensor HostTensor::convertTo(ElementKind to) const {
  HostTensor result(to, shape);
  if (to == kind) {
    std::memcpy(result.getData(), getData(), getSizeInBytes());
    return result;
  }
  for (int64_t i = 0; i < numElements; ++i) {
    if (isInteger(kind) && isInteger(to))
      result.setFromInt64(i, getAsInt64(i));
    else
      result.setFromDouble(i, getAsDouble(i));
  }
  return result;
}

std::string HostTensor::getTypeString() const {
  std::string text = "tensor<";
  for (int64_t size : shape)
    text += std::to_string(size) + "x";
  text += getName(kind).str() + ">";
  return text;
}

static void printValue(llvm::raw_ostream &os, double value, bool isF64) {
  if (std::isnan(value))
    os << "nan";
  else if (std::isinf(value))
    os << (value < 0 ? "-inf" : "inf");
  else
    os << llvm::format(isF64 ? "%.17g" : "%.9g", value);
}

void HostTensor::print(llvm::raw_ostream &os) const {
  bool isF64 = kind == ElementKind::F64;
  auto printElement = [&](int64_t i) {
    if (isInteger(kind))
      os << getAsInt64(i);
    else
      printValue(os, getAsDouble(i), isF64);
  };
  if (shape.empty()) {
    printElement(0);
    os << "\n";
    return;
  }
  // Row-major walk; brackets open and close as the index rolls over.
  int64_t rank = shape.size();
  llvm::SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  if (numElements == 0) {
    os << std::string(rank, '[') << std::string(rank, ']') << "\n";
    return;
  }
  // How many innermost dimensions start a new slice at linear index `j`.
  auto slicesStartingAt = [&](int64_t j) {
    int64_t count = 0;
    for (int64_t d = rank - 1; d >= 0 && j % (strides[d] * shape[d]) == 0; --d)
      ++count;
    return count;
  };
  for (int64_t i = 0; i < numElements; ++i) {
    int64_t opening = slicesStartingAt(i);
    if (i != 0)
      os << (opening ? ",\n" + std::string(rank - opening, ' ') : ", ");
    os << std::string(opening, '[');
    printElement(i);
    os << std::string(slicesStartingAt(i + 1), ']');
  }
  os << "\n";
}
