//===- VectorMath.cpp - Vector exp and log -------------------------------===//
//
// exp and log on vectors of the compute type, as polynomials: the
// kernels take one exp per element, and libm calls would be scalar. Error
// bounds: docs/cpu-codegen.md (scripts/approximation-bounds.py).
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::nn;
using namespace mlir::nn::detail;

/// exp(v) for v <= 64, -inf or NaN: the kernels only take exponentials of
/// differences to a maximum or to the lagging reference of updateLagged (2^n
/// stays a normal number up to v = 88 in f32). v is clamped below at `lowest`
/// (-inf too, so that exp(-inf) is exp(lowest), below 1e-37 for f32: negligible
/// next to a sum that is at least 1), and NaN stays NaN, which the kernel
/// relies on to turn a slice holding NaN or +inf into NaN. Then exp(v) = 2^n *
/// 2^f with n an integer and |f| <= 1/2.
///
/// Why not upstream's math.exp approximation (PolynomialApproximation.cpp,
/// `mlir-opt --test-math-polynomial-approximation`): on vector<16xf32> with
/// llc 22 -mcpu=znver4 it takes 20 arithmetic instructions (and 7 constant
/// broadcasts) where this f32 path takes 11, for a largest relative error of
/// 8.5e-8 where this has 1.3e-6 on [-87, 64] (every f32 argument, against
/// float64). The kernels take one exp per element and the f32 tolerance is
/// 1e-5; what upstream spends the extra instructions on (+inf, overflow,
/// results below 2^-126) never occurs here.
Value KernelEmitter::exp(Value v) {
  bool isF64 = cType.isF64();
  auto intVec =
      VectorType::get({lanes}, isF64 ? b.getI64Type() : b.getI32Type());
  // 2^n must stay a normal number: n >= -1022 (f64) or -126 (f32).
  double lowest = isF64 ? -708.0 : -87.0;
  int64_t bias = isF64 ? 1023 : 127, mantissa = isF64 ? 52 : 23;
  // Adding 1.5 * 2^mantissa rounds to an integer, which then sits in the low
  // mantissa bits; adding the exponent bias there too means that shifting
  // those bits into the exponent field builds 2^n directly.
  double magic = std::ldexp(1.5, mantissa) + bias;

  // The comparison is false for NaN, which passes through (one vmaxps).
  Value tooSmall =
      arith::CmpFOp::create(b, arith::CmpFPredicate::OLT, v, splat(lowest));
  Value clamped = arith::SelectOp::create(b, tooSmall, splat(lowest), v);
  Value t = fma(clamped, splat(llvm::numbers::log2e), splat(magic));
  Value n = sub(t, splat(magic));
  Value p;
  if (isF64) {
    // Cody-Waite: r = v - n*ln2 in two parts, then the Taylor polynomial of
    // exp on [-ln2/2, ln2/2] to degree 12 (truncation below 1e-14 relative).
    Value r = sub(sub(clamped, mul(n, splat(6.93147180369123816490e-01))),
                  mul(n, splat(1.90821492927058770002e-10)));
    double coefficient = 1.0;
    for (int k = 2; k <= 12; ++k)
      coefficient /= k;
    p = splat(coefficient);
    for (int k = 11; k >= 0; --k) {
      coefficient *= (k + 1);
      p = add(mul(p, r), splat(coefficient));
    }
  } else {
    // f = v*log2(e) - n, one rounding with an FMA; float32(log2 e) makes
    // the result about e^(v (1 + 1.33e-8)), 8.5e-7 relative at |v| = 64
    // (measured by scripts/approximation-bounds.py, as are the bounds below;
    // docs/cpu-codegen.md). 2^f on [-1/2, 1/2] by a polynomial with minimax
    // relative error and 2^0 = 1 exactly, so that a rescaling by exp(0)
    // leaves a sum unchanged: degree 5 (1.8e-7 evaluated in f32) for f32
    // results, degree 3 (1.0e-4) for f16 and bf16 results, whose tolerances
    // (2e-3, 2e-2) that error cannot approach.
    Value f =
        fma(clamped, splat(llvm::numbers::log2e), arith::NegFOp::create(b, n));
    static constexpr double kDegree5[] = {
        6.9314698e-01, 2.4022242e-01, 5.550734e-02, 9.67151e-03, 1.32647e-03};
    static constexpr double kDegree3[] = {6.9328292e-01, 2.4221076e-01,
                                          5.500875e-02};
    ArrayRef<double> coefficients =
        outElt.getIntOrFloatBitWidth() < 32 && !accurateExp
            ? ArrayRef(kDegree3)
            : ArrayRef(kDegree5);
    p = splat(coefficients.back());
    for (double c : llvm::reverse(coefficients.drop_back()))
      p = fma(p, f, splat(c));
    p = fma(p, f, splat(1.0));
  }

  Value shift = createScalarOrSplatConstant(b, b.getLoc(), intVec, mantissa);
  Value bits = arith::BitcastOp::create(b, intVec, t);
  Value scale =
      arith::BitcastOp::create(b, cVec, arith::ShLIOp::create(b, bits, shift));
  return mul(p, scale);
}

/// log(v) on vectors for v = 0, v >= 1/2, +inf or NaN (the sums of the
/// kernels), so that per-lane logs do not become one libm call per lane:
/// v = 2^e * m with m in [sqrt(1/2), sqrt(2)), log(m) = 2 atanh(f / (2 + f))
/// for f = m - 1, as an odd series (truncation below 1e-9 for f32; measured
/// with rounding: 2.3e-7 for f32, 4.2e-16 for f64, see docs/cpu-codegen.md).
/// 0 gives -inf; +inf and NaN give themselves.
///
/// Why not upstream's math.log approximation: it has no f64 version (f64
/// becomes one libm call per lane), and the kernels take one log per row, so
/// its f32 accuracy (8.3e-8 relative, against 2.3e-7 here, both exhaustive over
/// f32 arguments in [1/2, max]) buys nothing against the 1e-5 tolerance, while
/// its 39 instructions on vector<16xf32> (llc 22, znver4) are 30 here. Both
/// give the same special values on this domain.
Value KernelEmitter::log(Value v) {
  bool isF64 = cType.isF64();
  auto intVec =
      VectorType::get({lanes}, isF64 ? b.getI64Type() : b.getI32Type());
  int64_t mantissa = isF64 ? 52 : 23, bias = isF64 ? 1023 : 127;
  auto intSplat = [&](int64_t value) {
    return createScalarOrSplatConstant(b, b.getLoc(), intVec, value);
  };
  Value bits = arith::BitcastOp::create(b, intVec, v);
  Value exponent = arith::SubIOp::create(
      b, arith::ShRUIOp::create(b, bits, intSplat(mantissa)), intSplat(bias));
  // The mantissa with the exponent of 1.0: m in [1, 2).
  int64_t mantissaMask = (int64_t(1) << mantissa) - 1;
  Value m = arith::BitcastOp::create(
      b, cVec,
      arith::OrIOp::create(
          b, arith::AndIOp::create(b, bits, intSplat(mantissaMask)),
          intSplat(bias << mantissa)));
  Value e = arith::SIToFPOp::create(b, cVec, exponent);
  // Center m around 1: above sqrt(2), halve it and count one more.
  Value large = arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, m,
                                      splat(llvm::numbers::sqrt2));
  m = arith::SelectOp::create(b, large, mul(m, splat(0.5)), m);
  e = arith::SelectOp::create(b, large, add(e, splat(1.0)), e);
  Value f = sub(m, splat(1.0));
  Value t = arith::DivFOp::create(b, f, add(f, splat(2.0)));
  Value z = mul(t, t);
  int terms = isF64 ? 11 : 5;
  Value series = splat(1.0 / (2 * terms + 1));
  for (int k = terms - 1; k >= 0; --k)
    series = add(mul(series, z), splat(1.0 / (2 * k + 1)));
  Value result =
      add(mul(e, splat(llvm::numbers::ln2)), mul(mul(t, splat(2.0)), series));
  // Special values.
  Value isZero =
      arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, v, splat(0.0));
  // Unordered-or-equal: true for NaN as well as +inf.
  Value isInfOrNaN =
      arith::CmpFOp::create(b, arith::CmpFPredicate::UEQ, v, splat(kInf));
  result = arith::SelectOp::create(b, isInfOrNaN, v, result);
  return arith::SelectOp::create(b, isZero, splat(-kInf), result);
}
