//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//
//
// The format: "\x93NUMPY", a version, a little-endian header length, then a
// Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...)}
// padded with spaces, then the raw array bytes.
//
//===----------------------------------------------------------------------===//

#include "nn/Runtime/Npy.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace mlir::nn::runtime;
using llvm::StringRef;

static constexpr char kMagic[] = "\x93NUMPY";
static constexpr size_t kMagicSize = 6;

namespace {
/// The fields of an .npy header dict.
struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  llvm::SmallVector<int64_t> shape;
};

/// A small parser for the header's Python dict literal.
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : rest(text) {}

  llvm::Expected<NpyHeader> parse() {
    NpyHeader header;
    bool seenDescr = false, seenOrder = false, seenShape = false;
    if (!consume("{"))
      return error("expected '{'");
    while (!consume("}")) {
      std::string key;
      if (!parseString(key))
        return error("expected a quoted key");
      if (!consume(":"))
        return error("expected ':' after '" + key + "'");
      if (key == "descr") {
        if (!parseString(header.descr))
          return error("'descr' must be a quoted string");
        seenDescr = true;
      } else if (key == "fortran_order") {
        if (consume("True"))
          header.fortranOrder = true;
        else if (consume("False"))
          header.fortranOrder = false;
        else
          return error("'fortran_order' must be True or False");
        seenOrder = true;
      } else if (key == "shape") {
        if (llvm::Error err = parseShape(header.shape))
          return std::move(err);
        seenShape = true;
      } else {
        return error("unexpected key '" + key + "'");
      }
      if (!consume(",")) {
        if (!consume("}"))
          return error("expected ',' or '}'");
        break;
      }
    }
    if (!seenDescr || !seenOrder || !seenShape)
      return error("the header lacks 'descr', 'fortran_order' or 'shape'");
    return header;
  }

private:
  void skipSpace() { rest = rest.ltrim(" \t\n\r"); }

  bool consume(StringRef token) {
    skipSpace();
    return rest.consume_front(token);
  }

  bool parseString(std::string &out) {
    skipSpace();
    if (rest.empty() || (rest.front() != '\'' && rest.front() != '"'))
      return false;
    char quote = rest.front();
    size_t end = rest.find(quote, 1);
    if (end == StringRef::npos)
      return false;
    out = rest.substr(1, end - 1).str();
    rest = rest.drop_front(end + 1);
    return true;
  }

  llvm::Error parseShape(llvm::SmallVectorImpl<int64_t> &shape) {
    if (!consume("("))
      return error("'shape' must be a tuple");
    while (!consume(")")) {
      skipSpace();
      size_t digits = rest.find_first_not_of("0123456789");
      if (digits == 0 || digits == StringRef::npos)
        return error("'shape' must hold non-negative integers");
      int64_t size;
      if (rest.substr(0, digits).getAsInteger(10, size))
        return error("a 'shape' entry does not fit in 64 bits");
      rest = rest.drop_front(digits);
      consume("L"); // Python 2 longs.
      shape.push_back(size);
      if (!consume(",")) {
        if (!consume(")"))
          return error("expected ',' or ')' in 'shape'");
        break;
      }
    }
    return llvm::Error::success();
  }

  llvm::Error error(const llvm::Twine &message) {
    return llvm::createStringError("malformed header: " + message.str());
  }

  StringRef rest;
};
} // namespace

/// Maps a dtype string to an element kind, or explains why it cannot.
static llvm::Expected<ElementKind> getKindOfDescr(StringRef descr) {
  if (descr == "<f2")
    return ElementKind::F16;
  if (descr == "<f4")
    return ElementKind::F32;
  if (descr == "<f8")
    return ElementKind::F64;
  if (descr == "<i4")
    return ElementKind::I32;
  if (descr == "<i8")
    return ElementKind::I64;
  if (descr.size() == 3 && descr[0] == '>' &&
      (descr[1] == 'f' || descr[1] == 'i'))
    return llvm::createStringError(
        "big-endian data ('" + descr.str() +
        "') is not supported; save it little-endian, e.g. "
        "arr.astype('<" +
        descr.substr(1).str() + "')");
  if (descr.contains('O'))
    return llvm::createStringError("object arrays ('" + descr.str() +
                                   "') are not supported");
  return llvm::createStringError(
      "dtype '" + descr.str() +
      "' is not supported; expected '<f2' (f16), '<f4' (f32; also for bf16 "
      "arguments), '<f8' (f64), '<i4' (i32) or '<i8' (i64)");
}

llvm::Expected<HostTensor> nn::runtime::parseNpy(StringRef bytes,
                                                 StringRef name) {
  auto fail = [&](llvm::Error err) -> llvm::Error {
    return llvm::createStringError(name.str() + ": " +
                                   llvm::toString(std::move(err)));
  };
  auto failMsg = [&](const llvm::Twine &message) {
    return fail(llvm::createStringError(message.str()));
  };

  if (!bytes.starts_with(StringRef(kMagic, kMagicSize)))
    return failMsg("not a .npy file (it does not start with \\x93NUMPY)");
  if (bytes.size() < kMagicSize + 2)
    return failMsg("truncated header");
  uint8_t major = bytes[kMagicSize];
  size_t headerStart, headerLength;
  if (major == 1) {
    if (bytes.size() < 10)
      return failMsg("truncated header");
    headerLength = llvm::support::endian::read16le(bytes.data() + 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return failMsg("truncated header");
    headerLength = llvm::support::endian::read32le(bytes.data() + 8);
    headerStart = 12;
  } else {
    return failMsg("unsupported .npy format version " +
                   llvm::Twine(static_cast<unsigned>(major)));
  }
  if (bytes.size() - headerStart < headerLength)
    return failMsg("truncated header: it claims " + llvm::Twine(headerLength) +
                   " bytes but the file has " +
                   llvm::Twine(bytes.size() - headerStart));

  llvm::Expected<NpyHeader> header =
      HeaderParser(bytes.substr(headerStart, headerLength)).parse();
  if (!header)
    return fail(header.takeError());
  if (header->fortranOrder)
    return failMsg("Fortran-ordered arrays are not supported; save a "
                   "C-ordered one (np.ascontiguousarray)");
  llvm::Expected<ElementKind> kind = getKindOfDescr(header->descr);
  if (!kind)
    return fail(kind.takeError());
  llvm::Expected<int64_t> count = getNumElements(header->shape, *kind);
  if (!count)
    return fail(count.takeError());

  StringRef data = bytes.drop_front(headerStart + headerLength);
  uint64_t expected = static_cast<uint64_t>(*count) * getByteWidth(*kind);
  if (data.size() != expected)
    return failMsg((data.size() < expected ? "truncated data" : "extra data") +
                   llvm::Twine(": the header's shape needs ") +
                   llvm::Twine(expected) + " bytes but the file holds " +
                   llvm::Twine(data.size()));

  HostTensor tensor(*kind, header->shape);
  if (expected)
    std::memcpy(tensor.getData(), data.data(), expected);
  return tensor;
}

llvm::Expected<HostTensor> nn::runtime::readNpy(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (std::error_code ec = buffer.getError())
    return llvm::createStringError(ec, "%s: cannot read: %s",
                                   path.str().c_str(), ec.message().c_str());
  return parseNpy((*buffer)->getBuffer(), path);
}

llvm::Error nn::runtime::writeNpy(StringRef path, const HostTensor &tensor) {
  return llvm::writeToOutput(
      path, [&](llvm::raw_ostream &os) { return writeNpy(os, tensor); });
}

llvm::Error nn::runtime::writeNpy(llvm::raw_ostream &os,
                                  const HostTensor &tensor) {
  // NumPy has no bf16: widen it to f4, which is exact.
  if (tensor.getKind() == ElementKind::BF16)
    return writeNpy(os, tensor.convertTo(ElementKind::F32));

  std::string header = std::string("{'descr': '<") +
                       (isInteger(tensor.getKind()) ? "i" : "f") +
                       std::to_string(getByteWidth(tensor.getKind())) +
                       "', 'fortran_order': False, 'shape': (";
  for (int64_t size : tensor.getShape())
    header += std::to_string(size) + ", ";
  if (tensor.getRank() > 1)
    header.resize(header.size() - 2); // "(2, 3"
  else if (tensor.getRank() == 1)
    header.pop_back(); // "(3,)"
  header += "), }";
  // Pad so the data starts on a 64-byte boundary; the header ends in '\n'.
  size_t unpadded = kMagicSize + 4 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  if (header.size() > 0xffff)
    return llvm::createStringError("rank " + std::to_string(tensor.getRank()) +
                                   " is too high for a .npy header");
  {
    os.write(kMagic, kMagicSize);
    os << '\x01' << '\x00';
    char length[2];
    llvm::support::endian::write16le(length, header.size());
    os.write(length, 2);
    os << header;
    os.write(static_cast<const char *>(tensor.getData()),
             tensor.getSizeInBytes());
  }
  return llvm::Error::success();
}
