//===- NNModule.cpp - The _nn_mlir Python extension -----------------------===//
///
/// \file
/// The native half of the `nn_mlir` package: compile a module and call its
/// functions on buffers that the Python half (python/nn_mlir/__init__.py)
/// owns and describes as (address, element type, shape). Failures become
/// Python exceptions: CompileError for the module, ValueError for the
/// arguments. Compiled with RTTI and exceptions, so it sees nn-mlir only
/// through PythonExecutable.h.
///
//===----------------------------------------------------------------------===//

#include "PythonExecutable.h"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/unique_ptr.h>
#include <nanobind/stl/vector.h>

namespace nb = nanobind;
using nn_python::Buffer;
using nn_python::Executable;
using nn_python::TensorType;

namespace {

/// Raised for IR that does not parse, verify or compile. Never released: it
/// must outlive the interpreter's teardown of this module.
PyObject *compileError = nullptr;

/// (address, element type, shape) as the Python half passes a buffer.
using BufferSpec = std::tuple<uintptr_t, std::string, std::vector<int64_t>>;

std::vector<Buffer> toBuffers(const std::vector<BufferSpec> &specs) {
  std::vector<Buffer> buffers;
  for (const auto &[address, elementType, shape] : specs)
    buffers.push_back({address, {elementType, shape}});
  return buffers;
}

nb::list toList(const std::vector<TensorType> &types) {
  nb::list list;
  for (const TensorType &type : types)
    list.append(nb::make_tuple(type.elementType, nb::tuple(nb::cast(type.shape))));
  return list;
}

std::unique_ptr<Executable> compile(const std::string &text,
                                    const std::string &sourceName,
                                    int threads) {
  if (threads < 0)
    throw nb::value_error(("threads must be 0 (automatic) or a positive "
                           "count, not " + std::to_string(threads))
                              .c_str());
  std::string error;
  std::unique_ptr<Executable> executable;
  {
    nb::gil_scoped_release release;
    executable = nn_python::compile(text, sourceName, threads, error);
  }
  if (!executable) {
    PyErr_SetString(compileError, error.c_str());
    throw nb::python_error();
  }
  return executable;
}

} // namespace

NB_MODULE(_nn_mlir, m) {
  m.doc() = "The native half of nn_mlir; use the nn_mlir package instead.";
  compileError = PyErr_NewExceptionWithDoc(
      "nn_mlir.CompileError",
      "The module does not parse, verify or compile; the message carries the "
      "compiler's diagnostics.",
      PyExc_RuntimeError, nullptr);
  if (!compileError)
    throw nb::python_error();
  m.attr("CompileError") = nb::borrow(compileError);

  nb::class_<Executable>(m, "Executable")
      .def("function_names", &Executable::getFunctionNames)
      .def("signature",
           [](const Executable &self, const std::string &name) {
             std::vector<TensorType> arguments, results;
             if (!self.getSignature(name, arguments, results))
               throw nb::key_error(("no function @" + name).c_str());
             return nb::make_tuple(toList(arguments), toList(results));
           })
      .def("result_shapes",
           [](const Executable &self, const std::string &name,
              const std::vector<BufferSpec> &inputs) {
             std::vector<std::vector<int64_t>> shapes;
             std::string error;
             if (!self.getResultShapes(name, toBuffers(inputs), shapes, error))
               throw nb::value_error(error.c_str());
             return shapes;
           })
      .def("call", [](const Executable &self, const std::string &name,
                      const std::vector<BufferSpec> &inputs,
                      const std::vector<BufferSpec> &outputs) {
        std::vector<Buffer> inputBuffers = toBuffers(inputs);
        std::vector<Buffer> outputBuffers = toBuffers(outputs);
        std::string error;
        bool ok;
        {
          nb::gil_scoped_release release;
          ok = self.call(name, inputBuffers, outputBuffers, error);
        }
        if (!ok)
          throw nb::value_error(error.c_str());
      });
  m.def("compile", &compile, nb::arg("text"), nb::arg("source_name"),
        nb::arg("threads"));
}
