//===- ParallelTiles.h - A forall writing output tiles ----------*- C++ -*-===//
//
// The scaffolding every CPU kernel strategy shares: an scf.forall whose
// iterations each take a tile of the shared outputs (tensor.extract_slice),
// write it, and insert it back in parallel (tensor.parallel_insert_slice in
// the terminator). Unit strides throughout.
//
//===----------------------------------------------------------------------===//

#ifndef NN_LIB_CONVERSION_NNTOVECTOR_PARALLELTILES_H
#define NN_LIB_CONVERSION_NNTOVECTOR_PARALLELTILES_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::nn::detail {

class ParallelTiles {
public:
  /// Creates an scf.forall over `bounds` (from 0, step 1) with `inits` as
  /// shared outputs at the builder's insertion point, and moves the builder
  /// to the start of its body.
  ParallelTiles(ImplicitLocOpBuilder &b, ArrayRef<OpFoldResult> bounds,
                ValueRange inits);

  /// The induction variables of an iteration.
  SmallVector<Value> ivs() {
    return llvm::to_vector(forall.getInductionVars());
  }

  /// This iteration's tile of shared output `output` at `offsets` with
  /// `sizes`; finish() inserts what was written into it at the same place.
  Value extract(unsigned output, ArrayRef<OpFoldResult> offsets,
                ArrayRef<OpFoldResult> sizes);

  /// Inserts `written[k]` where the k-th extract() took its tile, moves the
  /// builder after the loop and returns the loop's results.
  ValueRange finish(ValueRange written);

private:
  struct Tile {
    unsigned output;
    SmallVector<OpFoldResult> offsets, sizes;
  };
  ImplicitLocOpBuilder &b;
  scf::ForallOp forall;
  SmallVector<Tile> tiles;
};

} // namespace mlir::nn::detail

#endif // NN_LIB_CONVERSION_NNTOVECTOR_PARALLELTILES_H
