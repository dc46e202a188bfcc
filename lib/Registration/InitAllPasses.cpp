//===- InitAllPasses.cpp - Register every nn pass and pipeline ------------===//

#include "nn/InitAllPasses.h"

#include "nn/Conversion/Passes.h"
#include "nn/Dialect/NN/Transforms/Passes.h"
#include "nn/Pipelines/Pipelines.h"
#include "nn/Transforms/Passes.h"

void mlir::nn::registerAllPasses() {
  registerNNConversionPasses();
  registerNNDialectTransformsPasses();
  registerNNTransformsPasses();
  registerAllPipelines();
}
