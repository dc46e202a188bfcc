//===- BufferizeToOutParams.cpp - Upstream bufferization, nn's way --------===//
//
// The bufferization both the CPU pipeline and --nn-to-gpu run, so that the
// two targets share one ABI: contiguous row-major arguments, results as
// trailing out-parameters that the generated code writes directly.
//
//===----------------------------------------------------------------------===//

#include "nn/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::nn::buildBufferizeToOutParamsPipeline(OpPassManager &pm) {
  // Identity layouts at function boundaries: callers pass contiguous
  // row-major buffers, which is what the C interface documents.
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Folds expand_shape(collapse_shape(alloc)) back to the alloc, so that the
  // out-parameter replaces it below.
  pm.addPass(createCanonicalizerPass());

  // Results become trailing out-parameters the caller allocates; hoisting
  // lets the last stage write straight into them, with no copy.
  pm.addNestedPass<func::FuncOp>(createCopyDuplicateResultsPass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.hoistDynamicAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createCanonicalizerPass());
}
