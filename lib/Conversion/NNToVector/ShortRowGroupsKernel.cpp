//===- ShortRowGroupsKernel.cpp - Short rows in groups -------------------===//
//
// The strategy for static rows of at most one vector: a vector of rows
// at a time.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "ParallelTiles.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

/// Rows of at most one vector, `lanes` rows at a time. The horizontal
/// reductions of the group's rows are done together (transposeReduce), and the
/// logs of the group's sums are one vector log instead of a libm call per row.
/// The forall runs over the dimensions before the last two and over groups of
/// rows; the last group of a partial size loads its last row again in place of
/// the missing ones and stores only its own rows.
Value KernelEmitter::emitShortRowGroups(Value input, Value init,
                                        ArrayRef<OpFoldResult> sizes) {
  int64_t rank = sizes.size();
  bool inBounds = getConstantIntValue(sizes.back()) == lanes;
  Value zeroIdx = index(0), oneIdx = index(1), groupIdx = index(lanes);
  Value rows = indexValue(sizes[rank - 2]);
  Value numGroups = arith::CeilDivUIOp::create(b, rows, groupIdx);
  SmallVector<OpFoldResult> bounds(sizes.drop_back(2));
  bounds.push_back(numGroups);
  ParallelTiles forall(b, bounds, ValueRange{init});
  SmallVector<Value> ivs = forall.ivs();
  ArrayRef<Value> outer = ArrayRef<Value>(ivs).drop_back();
  Value first = arith::MulIOp::create(b, ivs.back(), groupIdx);
  Value count = arith::MinUIOp::create(b, groupIdx,
                                       arith::SubIOp::create(b, rows, first));
  Value lastRow = arith::SubIOp::create(b, rows, oneIdx);

  SmallVector<Value> xs;
  for (int64_t r = 0; r < lanes; ++r) {
    SmallVector<Value> indices(outer);
    indices.push_back(arith::MinUIOp::create(
        b, arith::AddIOp::create(b, first, index(r)), lastRow));
    indices.push_back(zeroIdx);
    xs.push_back(load(input, indices, inBounds, -kInf));
  }
  auto maxOf = [&](Value x, Value y) { return runningMax(x, y); };
  auto sumOf = [&](Value x, Value y) { return add(x, y); };
  Value maxima = transposeReduce(xs, maxOf);
  Value safeMaxima = safeMax(maxima, splat(0.0), splat(-kInf));
  SmallVector<Value> terms;
  for (int64_t r = 0; r < lanes; ++r)
    terms.push_back(exp(sub(xs[r], broadcastLane(safeMaxima, r))));
  Value logSums = log(transposeReduce(terms, sumOf));

  SmallVector<OpFoldResult> offsets(outer.begin(), outer.end());
  offsets.push_back(first);
  offsets.push_back(b.getIndexAttr(0));
  SmallVector<OpFoldResult> sliceSizes(rank - 2, b.getIndexAttr(1));
  sliceSizes.push_back(count);
  sliceSizes.push_back(sizes.back());
  Value dest = forall.extract(0, offsets, sliceSizes);
  for (int64_t r = 0; r < lanes; ++r) {
    Value y =
        sub(sub(xs[r], broadcastLane(maxima, r)), broadcastLane(logSums, r));
    SmallVector<Value> at(rank - 2, zeroIdx);
    at.push_back(index(r));
    at.push_back(zeroIdx);
    if (r == 0) { // Every group has a first row.
      dest = store(y, dest, at, inBounds);
      continue;
    }
    Value present =
        arith::CmpIOp::create(b, arith::CmpIPredicate::ult, index(r), count);
    dest = scf::IfOp::create(
               b, present,
               [&](OpBuilder &, Location) {
                 scf::YieldOp::create(b, store(y, dest, at, inBounds));
               },
               [&](OpBuilder &, Location) { scf::YieldOp::create(b, dest); })
               .getResult(0);
  }
  return forall.finish(dest)[0];
}
