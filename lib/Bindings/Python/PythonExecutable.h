//===- PythonExecutable.h - Compiled modules for the bindings ---*- C++ -*-===//
///
/// \file
/// What the nanobind module needs of nn-mlir, behind an interface of plain
/// standard types. LLVM and MLIR are built without RTTI and exceptions and
/// nanobind needs both, so the two sides are compiled apart: this header is
/// the only thing they share, and errors cross it as strings, not
/// exceptions.
///
//===----------------------------------------------------------------------===//

#ifndef NN_BINDINGS_PYTHON_PYTHONEXECUTABLE_H
#define NN_BINDINGS_PYTHON_PYTHONEXECUTABLE_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nn_python {

/// A tensor type: an MLIR element type name ("f32", "bf16", "i64", ...) and
/// sizes, -1 for a dynamic size.
struct TensorType {
  std::string elementType;
  std::vector<int64_t> shape;
};

/// A dense row-major buffer that the caller owns: its address and type.
struct Buffer {
  uintptr_t address;
  TensorType type;
};

/// The public functions of one module, JIT-compiled for this CPU.
class Executable {
public:
  virtual ~Executable() = default;

  /// The public functions, in the module's order.
  virtual std::vector<std::string> getFunctionNames() const = 0;
  /// Fills the argument and result types of `name`; false if there is no
  /// such function.
  virtual bool getSignature(const std::string &name,
                            std::vector<TensorType> &arguments,
                            std::vector<TensorType> &results) const = 0;
  /// Checks `inputs` against `name`'s arguments and fills the result
  /// shapes; on failure returns false with `error` set.
  virtual bool getResultShapes(const std::string &name,
                               const std::vector<Buffer> &inputs,
                               std::vector<std::vector<int64_t>> &shapes,
                               std::string &error) const = 0;
  /// Runs `name`, writing its results into `outputs` (whose types must be
  /// the result types getResultShapes gives); on failure returns false with
  /// `error` set. Safe to call from several threads at once.
  virtual bool call(const std::string &name, const std::vector<Buffer> &inputs,
                    const std::vector<Buffer> &outputs,
                    std::string &error) const = 0;
};

/// Parses `text` (diagnostics name it `sourceName`) and compiles its public
/// functions with the CPU pipeline, `threads` being its `threads` option (0:
/// NN_NUM_THREADS at each call, else all cores). On failure returns null
/// with `error` holding the diagnostics; a crash of the compiler is caught
/// and reported the same way.
std::unique_ptr<Executable> compile(const std::string &text,
                                    const std::string &sourceName,
                                    unsigned threads, std::string &error);

} // namespace nn_python

#endif // NN_BINDINGS_PYTHON_PYTHONEXECUTABLE_H
