//===- HostTensor.h - Dense tensors in host memory --------------*- C++ -*-===//
///
/// \file
/// The host-side view of a function argument or result: an element kind, a
/// row-major shape and the raw bytes, laid out as the compiled code expects
/// them (bf16 and f16 as raw 16-bit values); plus the element kinds and the
/// scalar conversions between them.
///
//===----------------------------------------------------------------------===//

#ifndef NN_RUNTIME_HOSTTENSOR_H
#define NN_RUNTIME_HOSTTENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
class Type;

namespace nn::runtime {

/// The element types that nn kernels take and produce: MLIR's f16 (IEEE
/// half), bf16 (bfloat16), f32 and f64; and the signless i32 and i64 of class
/// indices (nn.cross_entropy's targets).
enum class ElementKind { F16, BF16, F32, F64, I32, I64 };

/// Whether `kind` is i32 or i64.
inline bool isInteger(ElementKind kind) {
  return kind == ElementKind::I32 || kind == ElementKind::I64;
}

/// Size of one element of `kind` in bytes (2, 4 or 8).
unsigned getByteWidth(ElementKind kind);
/// The MLIR spelling of `kind`: "f16", "bf16", "f32", "f64", "i32" or "i64".
llvm::StringRef getName(ElementKind kind);
/// Parses an MLIR spelling ("f16", "bf16", "f32", "f64", "i32", "i64",
/// case-sensitive); std::nullopt for anything else.
std::optional<ElementKind> parseElementKind(llvm::StringRef name);
/// The kind of the MLIR type `type` when it is f16, bf16, f32, f64, or a
/// signless i32 or i64; std::nullopt for any other type.
std::optional<ElementKind> getElementKind(Type type);

/// Rounds `value` to the nearest bf16 (ties to even) and returns its bits; a
/// NaN stays a (quiet) NaN.
uint16_t floatToBF16(float value);
/// Widens the bf16 `bits` to float (exact).
float bf16ToFloat(uint16_t bits);
/// Rounds `value` to the nearest IEEE half (ties to even) and returns its
/// bits.
uint16_t floatToF16(float value);
/// Widens the IEEE half `bits` to float (exact).
float f16ToFloat(uint16_t bits);

/// The element count of a tensor of `shape`, i.e. the product of its sizes
/// (1 for rank 0). Returns an error if a size is negative, the product
/// overflows int64_t, or the tensor's byte size (count times the byte width
/// of `kind`) does.
llvm::Expected<int64_t> getNumElements(llvm::ArrayRef<int64_t> shape,
                                       ElementKind kind);

/// A dense, row-major tensor of `kind` elements that owns its buffer. Copies
/// are deep. The element accessors do not check bounds.
class HostTensor {
public:
  /// A zero-filled tensor. `shape` must be static and have an element count
  /// for which getNumElements(shape, kind) succeeds; this is not checked.
  /// Aborts with "out of memory" if the buffer cannot be allocated; use
  /// create() for sizes that come from outside.
  HostTensor(ElementKind kind, llvm::ArrayRef<int64_t> shape);

  /// A zero-filled tensor, or an error if the shape is invalid (see
  /// getNumElements) or its buffer cannot be allocated ("cannot allocate N
  /// bytes for tensor<...>: out of memory").
  static llvm::Expected<HostTensor> create(ElementKind kind,
                                           llvm::ArrayRef<int64_t> shape);

  HostTensor(const HostTensor &other);
  HostTensor &operator=(const HostTensor &other);
  HostTensor(HostTensor &&) = default;
  HostTensor &operator=(HostTensor &&) = default;

  /// The element kind.
  ElementKind getKind() const { return kind; }
  /// The sizes, outermost first; empty for rank 0.
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  /// The number of dimensions.
  int64_t getRank() const { return shape.size(); }
  /// The product of the sizes (1 for rank 0, 0 if a size is 0).
  int64_t getNumElements() const { return numElements; }
  /// The size of the elements in bytes (the buffer may be larger).
  size_t getSizeInBytes() const { return numElements * getByteWidth(kind); }

  /// The element buffer, 8-byte aligned and owned by this tensor; valid
  /// until the tensor is destroyed or assigned to. Never null, even for
  /// empty tensors, so it can go in a memref descriptor.
  void *getData() { return storage.get(); }
  /// \copydoc getData()
  const void *getData() const { return storage.get(); }

  /// Element `i` (row-major linear index in [0, getNumElements())) widened
  /// to double (integers above 2^53 round).
  double getAsDouble(int64_t i) const;
  /// Stores `value` at linear index `i` (in [0, getNumElements())), rounding
  /// to nearest even for narrower float kinds; integer kinds take it
  /// truncated towards zero and saturated (NaN gives 0).
  void setFromDouble(int64_t i, double value);
  /// Element `i` of an integer kind, exactly.
  int64_t getAsInt64(int64_t i) const;
  /// Stores `value` at linear index `i` of an integer kind (an i32 keeps the
  /// low 32 bits; callers check the range).
  void setFromInt64(int64_t i, int64_t value);

  /// Returns a new tensor of the same shape with the elements converted to
  /// `to` (rounding to nearest even when narrowing); a plain copy when `to`
  /// is getKind().
  HostTensor convertTo(ElementKind to) const;

  /// The MLIR tensor type, e.g. `tensor<2x3xf32>` (`tensor<f32>` for rank 0).
  std::string getTypeString() const;

  /// Writes the values to `os` as nested, bracketed rows, one innermost row
  /// per line, with enough digits to round-trip the element type (9
  /// significant digits, 17 for f64; integers exactly) and `nan`, `inf`,
  /// `-inf` spelled out.
  /// A rank-0 tensor prints as its bare value. Ends with a newline.
  void print(llvm::raw_ostream &os) const;

private:
  ElementKind kind;
  llvm::SmallVector<int64_t> shape;
  int64_t numElements;
  struct Free {
    void operator()(uint64_t *p) const { std::free(p); }
  };
  HostTensor(ElementKind kind, llvm::ArrayRef<int64_t> shape,
             std::unique_ptr<uint64_t[], Free> storage);
  /// calloc'ed 8-byte granules (enough alignment for every element kind),
  /// so that a failed allocation is an error rather than an exception.
  std::unique_ptr<uint64_t[], Free> storage;
  /// The number of granules (at least 1).
  size_t storageWords;
};

} // namespace nn::runtime
} // namespace mlir

#endif // NN_RUNTIME_HOSTTENSOR_H
