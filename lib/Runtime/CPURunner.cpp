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
                                       unsigned index, const HostTensor &tensor,
                                       StringRef what) {
  const TensorSignature &expected = signature.arguments[index];
  bool matches = expected.kind == tensor.getKind() &&
                 expected.shape.size() == tensor.getShape().size();
  for (auto [want, have] : llvm::zip(expected.shape, tensor.getShape()))
    matches &= ShapedType::isDynamic(want) || want == have;
  if (matches)
    return llvm::Error::success();
  return llvm::createStringError(
      what.str() + " is a " + tensor.getTypeString() + ", but argument #" +
      std::to_string(index) + " is a " + expected.str());
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

/// Calls `_mlir_ciface_<name>` with one descriptor per argument.
static llvm::Error
invoke(ExecutionEngine &engine, StringRef name,
       llvm::MutableArrayRef<llvm::SmallVector<int64_t>> descriptors) {
  llvm::SmallVector<void *> pointers, arguments;
  for (auto &descriptor : descriptors)
    pointers.push_back(descriptor.data());
  for (void *&pointer : pointers)
    arguments.push_back(&pointer);
  return engine.invokePacked(("_mlir_ciface_" + name).str(), arguments);
}

llvm::Expected<llvm::SmallVector<HostTensor>>
nn::runtime::runFunctionOnCPU(ModuleOp module, StringRef name,
                              ArrayRef<HostTensor> inputs,
                              const CPUPipelineOptions &options) {
  llvm::Expected<FunctionSignature> signature =
      getFunctionSignature(module, name);
  if (!signature)
    return signature.takeError();
  if (inputs.size() != signature->arguments.size())
    return llvm::createStringError(
        "@" + name.str() + " takes " +
        std::to_string(signature->arguments.size()) + " argument(s) but " +
        std::to_string(inputs.size()) + " input(s) were given");
  for (auto [i, input] : llvm::enumerate(inputs))
    if (llvm::Error err =
            checkArgument(*signature, i, input, "input #" + std::to_string(i)))
      return std::move(err);
  if (!options.emitCInterface)
    return llvm::createStringError(
        "running needs the C interface (emit-c-interface=true)");

  llvm::Expected<int64_t> numDynamicDims = addResultDimsFunction(module, name);
  if (!numDynamicDims)
    return numDynamicDims.takeError();

  PassManager pm(module.getContext());
  buildCPUPipeline(pm, options);
  if (failed(pm.run(module)))
    return llvm::createStringError("lowering @" + name.str() +
                                   " for the CPU failed");
  auto engine = createEngine(module);
  if (!engine)
    return engine.takeError();

  llvm::SmallVector<llvm::SmallVector<int64_t>> descriptors;
  for (const HostTensor &input : inputs)
    descriptors.push_back(
        makeDescriptor(const_cast<void *>(input.getData()), input.getShape()));

  // Sizes of the results: static ones from the signature, dynamic ones from
  // the generated function, in order.
  std::vector<int64_t> dynamicDims(std::max<int64_t>(*numDynamicDims, 1));
  if (*numDynamicDims) {
    descriptors.push_back(makeDescriptor(dynamicDims.data(), *numDynamicDims));
    if (llvm::Error err =
            invoke(**engine, getResultDimsFunctionName(name), descriptors))
      return std::move(err);
    descriptors.pop_back();
  }
  llvm::SmallVector<HostTensor> results;
  size_t nextDynamic = 0;
  for (const TensorSignature &result : signature->results) {
    llvm::SmallVector<int64_t> shape(result.shape);
    for (int64_t &size : shape)
      if (ShapedType::isDynamic(size))
        size = dynamicDims[nextDynamic++];
    llvm::Expected<HostTensor> tensor = HostTensor::create(result.kind, shape);
    if (!tensor)
      return llvm::createStringError("result #" +
                                     std::to_string(results.size()) + ": " +
                                     llvm::toString(tensor.takeError()));
    results.push_back(std::move(*tensor));
    descriptors.push_back(makeDescriptor(results.back().getData(), shape));
  }
  if (llvm::Error err = invoke(**engine, name, descriptors))
    return std::move(err);
  return results;
}
