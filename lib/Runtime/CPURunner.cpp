//===- CPURunner.cpp - JIT-run a function on the CPU ----------------------===//

#include "nn/Runtime/CPURunner.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir;
using namespace mlir::nn::runtime;

std::string TensorSignature::str() const {
  std::string text = "tensor<";
  for (int64_t size : shape)
    text += (ShapedType::isDynamic(size) ? "?" : std::to_string(size)) + "x";
  return text + getName(kind).str() + ">";
}

static llvm::Expected<TensorSignature>
getTensorSignature(Type type, StringRef what, StringRef function) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  std::optional<ElementKind> kind =
      tensorType ? getElementKind(tensorType.getElementType()) : std::nullopt;
  if (!kind) {
    std::string typeText;
    llvm::raw_string_ostream os(typeText);
    os << type;
    return llvm::createStringError(
        what.str() + " of @" + function.str() + " has type '" + typeText +
        "'; only ranked tensors of f16, bf16, f32, f64, i32 or i64 are "
        "supported");
  }
  return TensorSignature{*kind, llvm::to_vector(tensorType.getShape())};
}

llvm::Expected<FunctionSignature>
nn::runtime::getFunctionSignature(ModuleOp module, StringRef name) {
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (!func || func.isExternal() || !func.isPublic()) {
    std::string available;
    for (auto f : module.getOps<func::FuncOp>())
      if (f.isPublic() && !f.isExternal())
        available += (available.empty() ? "@" : ", @") + f.getName().str();
    return llvm::createStringError(
        "no public function @" + name.str() + " with a body in the module" +
        (available.empty() ? std::string() : " (it has " + available + ")"));
  }
  FunctionSignature signature;
  FunctionType type = func.getFunctionType();
  for (auto [i, input] : llvm::enumerate(type.getInputs())) {
    auto sig =
        getTensorSignature(input, "argument #" + std::to_string(i), name);
    if (!sig)
      return sig.takeError();
    signature.arguments.push_back(std::move(*sig));
  }
  for (auto [i, result] : llvm::enumerate(type.getResults())) {
    auto sig = getTensorSignature(result, "result #" + std::to_string(i), name);
    if (!sig)
      return sig.takeError();
    signature.results.push_back(std::move(*sig));
  }
  return signature;
}

llvm::Error nn::runtime::checkArgument(const FunctionSignature &signature,
                                       unsigned index, ElementKind kind,
                                       ArrayRef<int64_t> shape,
                                       StringRef what) {
  const TensorSignature &expected = signature.arguments[index];
  bool matches =
      expected.kind == kind && expected.shape.size() == shape.size();
  for (auto [want, have] : llvm::zip(expected.shape, shape))
    matches &= ShapedType::isDynamic(want) || want == have;
  if (matches)
    return llvm::Error::success();
  TensorSignature given{kind, llvm::to_vector(shape)};
  return llvm::createStringError(what.str() + " is a " + given.str() +
                                 ", but argument #" + std::to_string(index) +
                                 " is a " + expected.str());
}

/// A memref descriptor as the C interface lays it out: allocated pointer,
/// aligned pointer, offset, sizes, strides; all 8-byte fields on x86-64.
static llvm::SmallVector<int64_t> makeDescriptor(void *data,
                                                 ArrayRef<int64_t> shape) {
  static_assert(sizeof(void *) == sizeof(int64_t), "64-bit hosts only");
  int64_t rank = shape.size();
  llvm::SmallVector<int64_t> fields(3 + 2 * rank);
  fields[0] = fields[1] = reinterpret_cast<int64_t>(data);
  fields[2] = 0;
  int64_t stride = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    fields[3 + d] = shape[d];
    fields[3 + rank + d] = stride;
    stride *= shape[d];
  }
  return fields;
}

static std::string getResultDimsFunctionName(StringRef name) {
  return ("__nn_result_dims_" + name).str();
}

/// Adds a function with `name`'s arguments that returns, as a
/// tensor<Kxindex>, the K dynamic sizes of its results, and simplifies it so
/// that it reads them off the arguments' sizes instead of computing results.
/// Returns the number K of dynamic sizes (no function is added when 0).
static llvm::Expected<int64_t> addResultDimsFunction(ModuleOp module,
                                                     StringRef name) {
  auto func = module.lookupSymbol<func::FuncOp>(name);
  llvm::SmallVector<std::pair<unsigned, int64_t>> dynamicDims;
  for (auto [i, type] : llvm::enumerate(func.getResultTypes()))
    for (auto [d, size] :
         llvm::enumerate(cast<RankedTensorType>(type).getShape()))
      if (ShapedType::isDynamic(size))
        dynamicDims.push_back({i, d});
  if (dynamicDims.empty())
    return 0;

  OpBuilder builder(module.getContext());
  builder.setInsertionPointToEnd(module.getBody());
  auto dimsType = RankedTensorType::get(
      {static_cast<int64_t>(dynamicDims.size())}, builder.getIndexType());
  auto dimsFunc = func::FuncOp::create(
      builder, func.getLoc(), getResultDimsFunctionName(name),
      builder.getFunctionType(func.getArgumentTypes(), {dimsType}));
  IRMapping mapping;
  func.getBody().cloneInto(&dimsFunc.getBody(), mapping);
  dimsFunc.walk([&](func::ReturnOp ret) {
    builder.setInsertionPoint(ret);
    llvm::SmallVector<Value> sizes;
    for (auto [result, dim] : dynamicDims)
      sizes.push_back(tensor::DimOp::create(builder, ret.getLoc(),
                                            ret.getOperand(result), dim));
    Value dims =
        tensor::FromElementsOp::create(builder, ret.getLoc(), dimsType, sizes);
    func::ReturnOp::create(builder, ret.getLoc(), dims);
    ret.erase();
  });

  PassManager pm(module.getContext());
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  funcPm.addPass(memref::createResolveShapedTypeResultDimsPass());
  funcPm.addPass(createCanonicalizerPass());
  funcPm.addPass(createCSEPass());
  if (failed(pm.run(module)))
    return llvm::createStringError("computing the result sizes of @" +
                                   name.str() + " failed");
  return static_cast<int64_t>(dynamicDims.size());
}

static llvm::Expected<std::unique_ptr<ExecutionEngine>>
createEngine(ModuleOp module) {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;

  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  auto machine = builder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  auto transformer = makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                               machine->get());
  ExecutionEngineOptions options;
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  options.enableGDBNotificationListener = false;
  // The parallel loops call the OpenMP runtime.
  llvm::StringRef libraries[] = {NN_OPENMP_LIBRARY};
  options.sharedLibPaths = libraries;
  auto engine = ExecutionEngine::create(module, options, std::move(*machine));
  if (engine)
    (*engine)->initialize();
  return engine;
}

/// Calls the packed entry point `function` of a `_mlir_ciface_` wrapper
/// with one descriptor per argument.
static void invoke(CPUExecutable::PackedFunction function,
                   llvm::MutableArrayRef<llvm::SmallVector<int64_t>> descriptors) {
  llvm::SmallVector<void *> pointers, arguments;
  for (auto &descriptor : descriptors)
    pointers.push_back(descriptor.data());
  for (void *&pointer : pointers)
    arguments.push_back(&pointer);
  function(arguments.data());
}

/// The packed entry point of `_mlir_ciface_<name>`.
static llvm::Expected<CPUExecutable::PackedFunction>
lookupEntryPoint(ExecutionEngine &engine, StringRef name) {
  return engine.lookupPacked(("_mlir_ciface_" + name).str());
}

CPUExecutable::~CPUExecutable() = default;

llvm::Expected<std::unique_ptr<CPUExecutable>>
CPUExecutable::compile(ModuleOp module, const CPUPipelineOptions &options,
                       ArrayRef<std::string> functionNames) {
  std::unique_ptr<CPUExecutable> executable(new CPUExecutable);
  if (functionNames.empty()) {
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        executable->names.push_back(func.getName().str());
  } else {
    executable->names.assign(functionNames.begin(), functionNames.end());
  }
  for (const std::string &name : executable->names) {
    llvm::Expected<FunctionSignature> signature =
        getFunctionSignature(module, name);
    if (!signature)
      return signature.takeError();
    executable->functions[name].signature = std::move(*signature);
  }
  if (!options.emitCInterface)
    return llvm::createStringError(
        "running needs the C interface (emit-c-interface=true)");
  for (const std::string &name : executable->names) {
    llvm::Expected<int64_t> numDynamicDims =
        addResultDimsFunction(module, name);
    if (!numDynamicDims)
      return numDynamicDims.takeError();
    executable->functions[name].numDynamicDims = *numDynamicDims;
  }

  PassManager pm(module.getContext());
  buildCPUPipeline(pm, options);
  if (failed(pm.run(module)))
    return llvm::createStringError(
        executable->names.size() == 1
            ? "lowering @" + executable->names.front() + " for the CPU failed"
            : std::string("lowering the module for the CPU failed"));
  auto engine = createEngine(module);
  if (!engine)
    return engine.takeError();
  executable->engine = std::move(*engine);
  // Looked up once: a lookup takes the JIT's session lock.
  for (auto &[name, function] : executable->functions) {
    auto entry = lookupEntryPoint(*executable->engine, name);
    if (!entry)
      return entry.takeError();
    function.entry = *entry;
    if (function.numDynamicDims) {
      auto dims = lookupEntryPoint(*executable->engine,
                                   getResultDimsFunctionName(name));
      if (!dims)
        return dims.takeError();
      function.resultDimsEntry = *dims;
    }
  }
  return executable;
}

const CPUExecutable::Function *CPUExecutable::lookup(StringRef name) const {
  auto it = functions.find(name);
  return it == functions.end() ? nullptr : &it->second;
}

const FunctionSignature *CPUExecutable::getSignature(StringRef name) const {
  const Function *function = lookup(name);
  return function ? &function->signature : nullptr;
}

/// An error for a function that `executable` does not expose.
static llvm::Error noSuchFunction(const CPUExecutable &executable,
                                  StringRef name) {
  std::string available;
  for (const std::string &f : executable.getFunctionNames())
    available += (available.empty() ? "@" : ", @") + f;
  return llvm::createStringError(
      "no function @" + name.str() + " to call" +
      (available.empty() ? std::string() : " (there is " + available + ")"));
}

llvm::Expected<llvm::SmallVector<llvm::SmallVector<int64_t>>>
CPUExecutable::getResultShapes(StringRef name,
                               ArrayRef<TensorRef> inputs) const {
  const Function *function = lookup(name);
  if (!function)
    return noSuchFunction(*this, name);
  const FunctionSignature &signature = function->signature;
  if (inputs.size() != signature.arguments.size())
    return llvm::createStringError(
        "@" + name.str() + " takes " +
        std::to_string(signature.arguments.size()) + " argument(s) but " +
        std::to_string(inputs.size()) + " input(s) were given");
  for (auto [i, input] : llvm::enumerate(inputs))
    if (llvm::Error err = checkArgument(signature, i, input.kind, input.shape,
                                        "input #" + std::to_string(i)))
      return std::move(err);

  // Static sizes come from the signature, dynamic ones from the generated
  // function, in order.
  std::vector<int64_t> dynamicDims(
      std::max<int64_t>(function->numDynamicDims, 1));
  if (function->numDynamicDims) {
    llvm::SmallVector<llvm::SmallVector<int64_t>> descriptors;
    for (const TensorRef &input : inputs)
      descriptors.push_back(makeDescriptor(input.data, input.shape));
    descriptors.push_back(
        makeDescriptor(dynamicDims.data(), function->numDynamicDims));
    invoke(function->resultDimsEntry, descriptors);
  }
  llvm::SmallVector<llvm::SmallVector<int64_t>> shapes;
  size_t nextDynamic = 0;
  for (const TensorSignature &result : signature.results) {
    llvm::SmallVector<int64_t> shape(result.shape);
    for (int64_t &size : shape)
      if (ShapedType::isDynamic(size))
        size = dynamicDims[nextDynamic++];
    shapes.push_back(std::move(shape));
  }
  return shapes;
}

llvm::Error CPUExecutable::call(StringRef name, ArrayRef<TensorRef> inputs,
                                ArrayRef<TensorRef> results) const {
  auto shapes = getResultShapes(name, inputs);
  if (!shapes)
    return shapes.takeError();
  const FunctionSignature &signature = lookup(name)->signature;
  if (results.size() != shapes->size())
    return llvm::createStringError(
        "@" + name.str() + " has " + std::to_string(shapes->size()) +
        " result(s) but " + std::to_string(results.size()) +
        " output buffer(s) were given");
  for (auto [i, result] : llvm::enumerate(results)) {
    TensorSignature expected{signature.results[i].kind, (*shapes)[i]};
    if (result.kind != expected.kind ||
        result.shape != ArrayRef<int64_t>(expected.shape))
      return llvm::createStringError(
          "output #" + std::to_string(i) + " is a " +
          TensorSignature{result.kind, llvm::to_vector(result.shape)}.str() +
          ", but result #" + std::to_string(i) + " is a " + expected.str());
  }
  llvm::SmallVector<llvm::SmallVector<int64_t>> descriptors;
  for (const TensorRef &tensor : llvm::concat<const TensorRef>(inputs, results))
    descriptors.push_back(makeDescriptor(tensor.data, tensor.shape));
  invoke(lookup(name)->entry, descriptors);
  return llvm::Error::success();
}

llvm::Expected<llvm::SmallVector<HostTensor>>
nn::runtime::runFunctionOnCPU(ModuleOp module, StringRef name,
                              ArrayRef<HostTensor> inputs,
                              const CPUPipelineOptions &options) {
  // The function and inputs are checked before anything is compiled.
  llvm::Expected<FunctionSignature> signature =
      getFunctionSignature(module, name);
  if (!signature)
    return signature.takeError();
  llvm::SmallVector<TensorRef> inputRefs;
  for (const HostTensor &input : inputs)
    inputRefs.push_back({input.getKind(), input.getShape(),
                         const_cast<void *>(input.getData())});
  if (inputs.size() != signature->arguments.size())
    return llvm::createStringError(
        "@" + name.str() + " takes " +
        std::to_string(signature->arguments.size()) + " argument(s) but " +
        std::to_string(inputs.size()) + " input(s) were given");
  for (auto [i, input] : llvm::enumerate(inputs))
    if (llvm::Error err =
            checkArgument(*signature, i, input, "input #" + std::to_string(i)))
      return std::move(err);

  auto executable =
      CPUExecutable::compile(module, options, {std::string(name)});
  if (!executable)
    return executable.takeError();
  auto shapes = (*executable)->getResultShapes(name, inputRefs);
  if (!shapes)
    return shapes.takeError();
  llvm::SmallVector<HostTensor> results;
  llvm::SmallVector<TensorRef> resultRefs;
  for (auto [result, shape] : llvm::zip(signature->results, *shapes)) {
    llvm::Expected<HostTensor> tensor = HostTensor::create(result.kind, shape);
    if (!tensor)
      return llvm::createStringError("result #" +
                                     std::to_string(results.size()) + ": " +
                                     llvm::toString(tensor.takeError()));
    results.push_back(std::move(*tensor));
  }
  for (HostTensor &result : results)
    resultRefs.push_back(
        {result.getKind(), result.getShape(), result.getData()});
  if (llvm::Error err = (*executable)->call(name, inputRefs, resultRefs))
    return std::move(err);
  return results;
}
