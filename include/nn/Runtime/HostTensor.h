//===- HostTensor.h - Dense tensors in host memory --------------*- C++ -*-===//
//
// The host-side view of a function argument or result: an element kind, a
// row-major shape and the raw bytes, laid out as the compiled code expects
// them (bf16 and f16 as raw 16-bit values).
//
//===----------------------------------------------------------------------===//

#ifndef NN_RUNTIME_HOSTTENSOR_H
#define NN_RUNTIME_HOSTTENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
class Type;

namespace nn::runtime {

/// The element types that nn kernels take and produce.
enum class ElementKind { F16, BF16, F32, F64 };

/// Size of one element in bytes.
unsigned getByteWidth(ElementKind kind);
/// The MLIR spelling: "f16", "bf16", "f32", "f64".
llvm::StringRef getName(ElementKind kind);
/// Parses an MLIR spelling; std::nullopt for anything else.
std::optional<ElementKind> parseElementKind(llvm::StringRef name);
/// The kind of an MLIR float type; std::nullopt for other types.
std::optional<ElementKind> getElementKind(Type type);

/// Round-to-nearest-even conversions between float and 16-bit formats.
uint16_t floatToBF16(float value);
float bf16ToFloat(uint16_t bits);
uint16_t floatToF16(float value);
float f16ToFloat(uint16_t bits);

/// Product of `shape`, or an error if it overflows int64_t or the byte size
/// of such a tensor of `kind` would not fit in memory addresses.
llvm::Expected<int64_t> getNumElements(llvm::ArrayRef<int64_t> shape,
                                       ElementKind kind);

class HostTensor {
public:
  /// A zero-filled tensor. `shape` must have a valid element count.
  HostTensor(ElementKind kind, llvm::ArrayRef<int64_t> shape);

  ElementKind getKind() const { return kind; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getRank() const { return shape.size(); }
  int64_t getNumElements() const { return numElements; }
  size_t getSizeInBytes() const { return numElements * getByteWidth(kind); }

  /// Never null, even for empty tensors, so it can go in a descriptor.
  void *getData() { return storage.data(); }
  const void *getData() const { return storage.data(); }

  /// Element `i` (row-major linear index) widened to double.
  double getAsDouble(int64_t i) const;
  /// Stores `value` at `i`, rounding to nearest even for narrower kinds.
  void setFromDouble(int64_t i, double value);

  /// Returns this tensor with its elements converted to `to` (rounding to
  /// nearest even when narrowing).
  HostTensor convertTo(ElementKind to) const;

  /// `tensor<2x3xf32>`.
  std::string getTypeString() const;

  /// Writes the values as nested, bracketed rows with enough digits to
  /// round-trip the element type.
  void print(llvm::raw_ostream &os) const;

private:
  ElementKind kind;
  llvm::SmallVector<int64_t> shape;
  int64_t numElements;
  // Over-aligned, 8-byte granules: enough for every element kind.
  std::vector<uint64_t> storage;
};

} // namespace nn::runtime
} // namespace mlir

#endif // NN_RUNTIME_HOSTTENSOR_H
