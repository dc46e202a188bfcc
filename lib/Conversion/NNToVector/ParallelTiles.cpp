//===- ParallelTiles.cpp - A forall writing tiles of shared outputs -------===//

#include "ParallelTiles.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::nn::detail;

ParallelTiles::ParallelTiles(ImplicitLocOpBuilder &b,
                             ArrayRef<OpFoldResult> bounds, ValueRange inits)
    : b(b) {
  forall = scf::ForallOp::create(b, bounds, inits, std::nullopt);
  b.setInsertionPointToStart(forall.getBody());
}

Value ParallelTiles::extract(unsigned output, ArrayRef<OpFoldResult> offsets,
                             ArrayRef<OpFoldResult> sizes) {
  tiles.push_back({output, llvm::to_vector(offsets), llvm::to_vector(sizes)});
  SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(b, forall.getRegionIterArgs()[output],
                                        offsets, sizes, strides);
}

ValueRange ParallelTiles::finish(ValueRange written) {
  assert(written.size() == tiles.size() && "one written value per tile");
  b.setInsertionPointToEnd(forall.getTerminator().getBody());
  for (auto [value, tile] : llvm::zip(written, tiles)) {
    SmallVector<OpFoldResult> strides(tile.offsets.size(), b.getIndexAttr(1));
    tensor::ParallelInsertSliceOp::create(
        b, value, forall.getRegionIterArgs()[tile.output], tile.offsets,
        tile.sizes, strides);
  }
  b.setInsertionPointAfter(forall);
  return forall.getResults();
}
