//===- PythonExecutable.cpp - Compiled modules for the bindings -----------===//

#include "PythonExecutable.h"

#include "nn/InitAllDialects.h"
#include "nn/Runtime/CPURunner.h"
#include "nn/Target/CPUFeatures.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <mutex>

using namespace mlir;
using namespace mlir::nn::runtime;
using nn_python::Buffer;
using PyTensorType = nn_python::TensorType;

namespace {

/// The tensors that `buffers` describe, which must outlive them; false with
/// `error` set for an unknown element type.
bool toTensorRefs(const std::vector<Buffer> &buffers, llvm::StringRef what,
                  llvm::SmallVectorImpl<TensorRef> &refs, std::string &error) {
  for (auto [i, buffer] : llvm::enumerate(buffers)) {
    std::optional<ElementKind> kind =
        parseElementKind(buffer.type.elementType);
    if (!kind) {
      error = (what + " #" + llvm::Twine(i) + " has element type '" +
               buffer.type.elementType +
               "'; f16, bf16, f32, f64, i32 and i64 are supported")
                  .str();
      return false;
    }
    refs.push_back({*kind, buffer.type.shape,
                    reinterpret_cast<void *>(buffer.address)});
  }
  return true;
}

PyTensorType toTensorType(const TensorSignature &signature) {
  PyTensorType type{getName(signature.kind).str(), {}};
  for (int64_t size : signature.shape)
    type.shape.push_back(ShapedType::isDynamic(size) ? -1 : size);
  return type;
}

class ExecutableImpl : public nn_python::Executable {
public:
  explicit ExecutableImpl(std::unique_ptr<CPUExecutable> executable)
      : executable(std::move(executable)) {}

  std::vector<std::string> getFunctionNames() const override {
    auto names = executable->getFunctionNames();
    return {names.begin(), names.end()};
  }

  bool getSignature(const std::string &name, std::vector<PyTensorType> &arguments,
                    std::vector<PyTensorType> &results) const override {
    const FunctionSignature *signature = executable->getSignature(name);
    if (!signature)
      return false;
    for (const TensorSignature &argument : signature->arguments)
      arguments.push_back(toTensorType(argument));
    for (const TensorSignature &result : signature->results)
      results.push_back(toTensorType(result));
    return true;
  }

  bool getResultShapes(const std::string &name,
                       const std::vector<Buffer> &inputs,
                       std::vector<std::vector<int64_t>> &shapes,
                       std::string &error) const override {
    llvm::SmallVector<TensorRef> refs;
    if (!toTensorRefs(inputs, "input", refs, error))
      return false;
    auto computed = executable->getResultShapes(name, refs);
    if (!computed) {
      error = llvm::toString(computed.takeError());
      return false;
    }
    for (auto &shape : *computed)
      shapes.emplace_back(shape.begin(), shape.end());
    return true;
  }

  bool call(const std::string &name, const std::vector<Buffer> &inputs,
            const std::vector<Buffer> &outputs,
            std::string &error) const override {
    llvm::SmallVector<TensorRef> inputRefs, outputRefs;
    if (!toTensorRefs(inputs, "input", inputRefs, error) ||
        !toTensorRefs(outputs, "output", outputRefs, error))
      return false;
    if (llvm::Error err = executable->call(name, inputRefs, outputRefs)) {
      error = llvm::toString(std::move(err));
      return false;
    }
    return true;
  }

private:
  std::unique_ptr<CPUExecutable> executable;
};

} // namespace

std::unique_ptr<nn_python::Executable>
nn_python::compile(const std::string &text, const std::string &sourceName,
                   unsigned threads, std::string &error) {
  std::string diagnostics, failure;
  std::unique_ptr<CPUExecutable> executable;
  auto body = [&] {
    DialectRegistry registry;
    nn::registerAllDialects(registry);
    MLIRContext context(registry, MLIRContext::Threading::DISABLED);
    context.loadAllAvailableDialects();
    llvm::SourceMgr sourceMgr;
    llvm::raw_string_ostream os(diagnostics);
    SourceMgrDiagnosticHandler handler(sourceMgr, &context, os);
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, sourceName), llvm::SMLoc());
    OwningOpRef<ModuleOp> module =
        parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (!module)
      return;
    nn::CPUPipelineOptions options;
    options.threads = threads;
    options.nativeBF16 = nn::CPUFeatures::getHost().nativeBF16;
    auto compiled = CPUExecutable::compile(*module, options);
    if (!compiled)
      failure = llvm::toString(compiled.takeError());
    else
      executable = std::move(*compiled);
  };
  // A crash in the packaged MLIR (some malformed input crashes its parsers)
  // must not take the interpreter with it. The signal handlers are
  // process-wide, so they are installed only while compiling, and one
  // compilation at a time (another thread's Disable would drop them).
  static std::mutex compileMutex;
  std::lock_guard<std::mutex> lock(compileMutex);
  llvm::CrashRecoveryContext::Enable();
  llvm::CrashRecoveryContext context;
  bool finished = context.RunSafely(body);
  llvm::CrashRecoveryContext::Disable();
  if (!finished)
    failure = "internal error: the compiler crashed (signal " +
              std::to_string(context.RetCode > 128 ? context.RetCode - 128
                                                   : context.RetCode) +
              "); this is a bug, please report it with the module";
  if (executable)
    return std::make_unique<ExecutableImpl>(std::move(executable));
  while (!diagnostics.empty() && diagnostics.back() == '\n')
    diagnostics.pop_back();
  error = diagnostics.empty()   ? failure
          : failure.empty() ? diagnostics
                            : diagnostics + "\n" + failure;
  if (error.empty())
    error = "the module could not be compiled";
  return nullptr;
}
