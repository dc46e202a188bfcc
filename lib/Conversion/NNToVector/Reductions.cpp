//===- Reductions.cpp - Horizontal reductions ----------------------------===//
//
// Lanes of a vector combined in a fixed order, for one row or for a vector
// of rows at once, so that every strategy gives a row the same bits.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

Value KernelEmitter::reduceHalving(Value v, Combine combine) {
  for (int64_t width = lanes / 2; width >= 1; width /= 2) {
    SmallVector<int64_t> upper(lanes);
    for (int64_t i = 0; i < lanes; ++i)
      upper[i] = (i + width) % lanes;
    Value shifted = vector::ShuffleOp::create(b, v, v, upper);
    v = combine(v, shifted);
  }
  return vector::ExtractOp::create(b, v, ArrayRef<int64_t>{0});
}

Value KernelEmitter::reduceRunningMax(Value v) {
  return reduceHalving(v, [&](Value x, Value y) { return runningMax(x, y); });
}

Value KernelEmitter::transposeReduce(ArrayRef<Value> vs, Combine combine) {
  SmallVector<Value> level(vs);
  for (int64_t block = lanes / 2; block >= 1; block /= 2) {
    // Output block k comes from block k/2 (twice as wide) of the first
    // vector of the pair when k is even, of the second when odd: its lower
    // half for one shuffle, its upper half for the other.
    SmallVector<int64_t> lower, upper;
    for (int64_t k = 0; k < lanes / block; ++k)
      for (int64_t j = 0; j < block; ++j) {
        int64_t source = (k % 2 ? lanes : 0) + (k / 2) * 2 * block + j;
        lower.push_back(source);
        upper.push_back(source + block);
      }
    size_t half = level.size() / 2;
    SmallVector<Value> next;
    for (size_t i = 0; i < half; ++i) {
      Value u = level[i], v = level[i + half];
      next.push_back(combine(vector::ShuffleOp::create(b, u, v, lower),
                             vector::ShuffleOp::create(b, u, v, upper)));
    }
    level = std::move(next);
  }
  return level.front();
}

Value KernelEmitter::sumPairwise(SmallVector<Value> terms) {
  while (terms.size() > 1) {
    SmallVector<Value> pairs;
    for (size_t i = 0; i + 1 < terms.size(); i += 2)
      pairs.push_back(add(terms[i], terms[i + 1]));
    if (terms.size() % 2)
      pairs.push_back(terms.back());
    terms = std::move(pairs);
  }
  return terms.front();
}
