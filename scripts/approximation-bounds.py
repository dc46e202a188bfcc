#!/usr/bin/env python3
"""Error bounds of the exp and log approximations of the CPU kernels.

Emulates KernelEmitter::exp and ::log of lib/Conversion/NNToVector
(VectorMath.cpp, with OnlineAccumulator.cpp and KernelEmitter.h) in the kernel's own
precision, reading the coefficients, clamps, Cody-Waite constants, term counts,
kReferenceSlack and kStepsPerChunk from the source (blockVectors from
NNToVector.h), and measures the largest relative error of: the f32 2^f
polynomials (kDegree5: f32 results, kDegree3: f16/bf16) at every f32 with
2^-10 <= |f| <= 1/2 plus random smaller f; the whole f32 exp at every f32 in
[-1, -2^-10] and +-[48, 64], 4M random arguments in [-87, 64] and the f32s
around (n + f*) ln2 for every integer n (f*: the polynomial's worst fraction);
the f64 exp and the f32/f64 log on random arguments. Then the reduction error
of float32(log2 e), the cost of the lowest clamps, the lane sums of the
lagging reference, and the largest v = x - r that keeps the reference (the
edges and 16384 random r of every f32 binade up to 2^64; every bf16, f16 r).

f32 arithmetic is numpy float32; fma(a, b, c) is float32(a*b + c) in float64,
where a*b is exact (one rounding, but for rare double-rounding ties). f64 FMAs
and references use x87 long double (64-bit mantissa): f64 figures hold to about
1e-18. Where LLVM may contract a*b + c into an FMA, both forms are measured.

Run: python3 scripts/approximation-bounds.py (numpy; /usr/bin/python3 has it).
About 30 s on one core. --check-source only reads the constants from the
source and prints them (test/Scripts/approximation-bounds.test runs it, so that
the script breaks loudly when the code moves).
"""
import math, re, sys
from pathlib import Path

try:
    import numpy as np
except ImportError:
    sys.exit("needs numpy: try /usr/bin/python3 scripts/approximation-bounds.py")

ROOT = Path(__file__).resolve().parent.parent
# The kernel emitter's files (VectorMath.cpp, OnlineAccumulator.cpp,
# KernelEmitter.h, ...), read as one text.
SRC = "\n".join(path.read_text() for path in
                sorted((ROOT / "lib/Conversion/NNToVector").glob("*.[ch]*")))
HDR = (ROOT / "include/nn/Conversion/NNToVector/NNToVector.h").read_text()
NUM = r"[-+]?\d+\.?\d*(?:e[-+]?\d+)?"


def grab(pattern, text=SRC):
    m = re.search(pattern, text, re.S)
    return m.groups() if m else sys.exit(f"not found in the source: {pattern}")


DEG5 = [float(c) for c in re.findall(NUM, grab(r"kDegree5\[\] = \{(.*?)\}")[0])]
DEG3 = [float(c) for c in re.findall(NUM, grab(r"kDegree3\[\] = \{(.*?)\}")[0])]
LOW64, LOW32 = map(float, grab(rf"double lowest = isF64 \? ({NUM}) : ({NUM});"))
LN2HI, LN2LO = map(float, grab(rf"mul\(n, splat\(({NUM})\)\)\),\s*mul\(n, splat\(({NUM})\)\)"))
TAYLOR = int(grab(r"k <= (\d+); \+\+k\)\s*coefficient /= k;")[0])
LOGT64, LOGT32 = map(int, grab(r"int terms = isF64 \? (\d+) : (\d+);"))
SLACK = float(grab(rf"kReferenceSlack = ({NUM});")[0])
STEPS = int(grab(r"kStepsPerChunk = (\d+);")[0])
BLOCK = int(grab(r"unsigned blockVectors = (\d+);", HDR)[0])
F32, F64, LD, U32 = np.float32, np.float64, np.longdouble, np.uint32
L2E = math.log2(math.e)
rng = np.random.default_rng(1)
rows = []  # (approximation, arguments, max relative error, worst argument)
if "--check-source" in sys.argv:
    print(f"kDegree5 {DEG5}\nkDegree3 {DEG3}\nlowest {LOW32} {LOW64}\n"
          f"ln2 {LN2HI} {LN2LO}\ntaylor {TAYLOR}\nlog terms {LOGT32} {LOGT64}\n"
          f"slack {SLACK}\nsteps {STEPS}\nblock vectors {BLOCK}")
    if not re.search(r"sub\(blockMax, r\),\s*splat\(kReferenceSlack\)", SRC):
        sys.exit("updateLagged no longer tests blockMax - r > kReferenceSlack")
    sys.exit(0)


def fma32(a, b, c):
    return (F32(a).astype(F64) * F64(F32(b)) + F64(F32(c))).astype(F32)


def fma64(a, b, c):
    return (LD(a) * LD(b) + LD(c)).astype(F64)


def pow2poly(f, coeffs):
    p = np.full_like(f, coeffs[-1], dtype=F32)
    for c in reversed(coeffs[:-1]):
        p = fma32(p, f, c)
    return fma32(p, f, 1.0)


def exp32(v, coeffs):
    v = np.where(v < LOW32, F32(LOW32), v).astype(F32)
    magic = F32(1.5 * 2**23 + 127)  # as in the .cpp: ldexp(1.5, mantissa) + bias
    t = fma32(v, L2E, magic)
    f = fma32(v, L2E, -(t - magic))
    return pow2poly(f, coeffs) * (t.view(U32) << U32(23)).view(F32)


def exp64(v, fused):
    v = np.maximum(v, LOW64)
    magic = 1.5 * 2**52 + 1023
    t = fma64(v, L2E, magic)
    n = t - magic
    r = fma64(-n, LN2LO, fma64(-n, LN2HI, v)) if fused else (v - n * LN2HI) - n * LN2LO
    c = 1.0
    for k in range(2, TAYLOR + 1):
        c /= k
    p = np.full_like(v, c)
    for k in range(TAYLOR - 1, -1, -1):
        c *= k + 1
        p = fma64(p, r, c) if fused else p * r + c
    return p * (t.view(np.uint64) << np.uint64(52)).view(F64)


def vlog(v, ft, it, mant, bias, terms, fma, variant):
    """KernelEmitter::log; variant 0: no FMA, 1 and 2: FMAs, two ways to fuse the end."""
    bits = v.view(it)
    e = ((bits >> it(mant)).astype(np.int64) - bias).astype(ft)
    m = ((bits & it((1 << mant) - 1)) | it(bias << mant)).view(ft)
    large = m > ft(math.sqrt(2))
    m, e = np.where(large, m * ft(0.5), m), np.where(large, e + ft(1), e)
    t = (m - ft(1)) / ((m - ft(1)) + ft(2))
    z, s = t * t, np.full_like(v, 1.0 / (2 * terms + 1))
    for k in range(terms - 1, -1, -1):
        s = fma(s, z, 1.0 / (2 * k + 1)) if variant else s * z + ft(1.0 / (2 * k + 1))
    t2, ln2 = t * ft(2), ft(math.log(2))
    r = [e * ln2 + t2 * s, fma(e, ln2, t2 * s), fma(t2, s, e * ln2)][variant]
    return np.where(v == 0, ft(-np.inf), np.where(np.isinf(v) | np.isnan(v), v, r))


def rel(got, ref):
    return np.abs(got.astype(ref.dtype) - ref) / np.where(ref == 0, 1, np.abs(ref))


def f32_range(lo, hi):
    """Every positive f32 in [lo, hi]."""
    return np.arange(F32(lo).view(U32), F32(hi).view(U32) + 1, dtype=U32).view(F32)


def scan(parts, error, ranges):
    """The worst (error, argument) per range [lo, hi] over the arrays in parts."""
    res = {label: (0.0, 0.0) for label, _, _ in ranges}
    for part in parts:
        for v in np.array_split(part, max(1, part.size // 2**20)):
            err = error(v)
            for label, lo, hi in ranges:
                sel = np.flatnonzero((v >= lo) & (v <= hi))
                if sel.size:
                    i = sel[np.argmax(err[sel])]
                    res[label] = max(res[label], (float(err[i]), float(v[i])))
    return res


# 1. The 2^f polynomials on the reduced interval, 2. the whole f32 exp.
dense = f32_range(2.0**-10, 0.5)
small = rng.uniform(-2.0**-10, 2.0**-10, 2_000_000).astype(F32)
top = f32_range(48.0, SLACK)
ranges = (("[-1, 0]", -1, 0), ("[-64, 0]", -64, 0), ("[-64, 64]", -64, 64),
          (f"[{LOW32:g}, {SLACK:g}]", LOW32, SLACK), ("top", 48, SLACK))
top_err = {}
for name, cs in (("kDegree5", DEG5), ("kDegree3", DEG3)):
    err, fstar = scan([dense, -dense, small], lambda f: rel(pow2poly(f, cs), np.exp2(F64(f))),
                      [("all", -1, 1)])["all"]
    rows.append((f"2^f, {name} (f32 Horner)", "[-1/2, 1/2]", err, fstar))
    ns = np.arange(math.ceil(LOW32 * L2E), math.floor(SLACK * L2E) + 1)
    near = (F32((ns + fstar) / L2E).view(np.int32)[:, None] + np.arange(-32, 33)).ravel().view(F32)
    near = near[(near >= LOW32) & (near <= SLACK)]
    random = rng.uniform(LOW32, SLACK, 4_000_000).astype(F32)
    res = scan([-f32_range(2.0**-10, 1.0), near, random, top, -top],
               lambda v: rel(exp32(v, cs), np.exp(F64(v))), ranges)
    rows += [(f"exp f32, {name}", label, *res[label]) for label, _, _ in ranges[:4]]
    top_err[name] = res["top"][0]

# 3. The f64 exp and the logs.
v = np.concatenate([rng.uniform(LOW64, SLACK, 3_000_000), rng.uniform(-1, 1, 1_000_000)])
for fused in (False, True):
    err = rel(exp64(v, fused), np.exp(LD(v)))
    rows.append((f"exp f64 ({'FMA' if fused else 'no FMA'})", f"[{LOW64:g}, {SLACK:g}]",
                 float(err.max()), v[np.argmax(err)]))
for ft, it, mant, bias, terms, fma in ((F32, U32, 23, 127, LOGT32, fma32),
                                       (F64, np.uint64, 52, 1023, LOGT64, fma64)):
    bits = (rng.integers(bias - 1, 2 * bias + 1, 2_000_000).astype(it) << it(mant)) \
        | rng.integers(0, 1 << mant, 2_000_000).astype(it)  # random in [1/2, max]
    dense = f32_range(0.5, 4.0) if ft is F32 else rng.uniform(0.5, 4.0, 2_000_000)
    v = np.concatenate([dense.astype(ft), bits.view(ft)])
    ref = np.log(v.astype(F64 if ft is F32 else LD))
    errs = [rel(vlog(v, ft, it, mant, bias, terms, fma, k), ref) for k in range(3)]
    k = max(range(3), key=lambda k: float(errs[k].max()))
    rows.append((f"log f{ft(0).itemsize * 8}, {terms} terms", "[1/2, max]",
                 float(errs[k].max()), v[np.argmax(errs[k])]))
    absolute = np.abs(vlog(v, ft, it, mant, bias, terms, fma, k) - ref)
    print(f"log f{ft(0).itemsize * 8}: largest absolute error {float(absolute.max()):.3g}, "
          f"{float(absolute[v <= 2.0**32].max()):.3g} on [1/2, 2^32]")
    special = vlog(np.array([0, np.inf, np.nan], ft), ft, it, mant, bias, terms, fma, 0)
    assert special[0] == -np.inf and special[1] == np.inf and np.isnan(special[2])

print(f"\n{'approximation':28} {'arguments':12} {'max rel. error':>14}  worst argument")
for name, where, err, arg in rows:
    print(f"{name:28} {where:12} {err:14.3g}  {float(arg)!r}")

# 4. What the reduction, the clamps and the lagging reference cost.
d = abs(float(F32(L2E)) - L2E) * math.log(2)
print(f"\n(a) float32(log2 e) makes exp32(v) about e^(v (1 + {d:.3g})): relative error "
      f"{d:.3g} |v|, {d * SLACK:.3g} at |v| = {SLACK:g}, {d * -LOW32:.3g} at {LOW32:g}")
b = -rng.uniform(0, SLACK, 1_000_000).astype(F32)
a = (-b * rng.uniform(0, 1, b.size)).astype(F32)
err = rel(exp32(a, DEG5) * exp32(b, DEG5), np.exp(F64(a) + F64(b)))
print(f"    exp32(x - r) * exp32(r - m) for x - r in [0, {SLACK:g}], r - m in [-{SLACK:g}, 0]: "
      f"{float(err.max()):.3g}, {float(err[a + b >= -1].max()):.3g} where x - m >= -1")
lo32 = float(exp32(np.array([-np.inf], F32), DEG5)[0])
lo64 = float(exp64(np.array([-np.inf]), False)[0])
print(f"(b) exp(-inf) = exp({LOW32:g}) = {lo32:.3g} (f32), exp({LOW64:g}) = {lo64:.3g} (f64); "
      f"n such terms reach 1e-5 of a sum >= 1 at n = {1e-5 / lo32:.2g} (f32), 1e-12 at "
      f"n = {1e-12 / lo64:.2g} (f64)")
e64 = float(exp32(np.array([SLACK], F32), DEG5)[0])
print(f"(c) {STEPS} steps x {BLOCK} vectors = {STEPS * BLOCK} terms per lane and chunk: "
      f"{STEPS * BLOCK} * e^{SLACK:g} = {STEPS * BLOCK * e64:.3g}, "
      f"{np.finfo(F32).max / (STEPS * BLOCK * e64):.3g} times below the f32 maximum; relative error "
      f"per term at v in [48, 64]: {top_err['kDegree5']:.3g} (kDegree5), {top_err['kDegree3']:.3g} (kDegree3)")
# The kernel moves the reference when float32(blockMax - r) > slack: the same rounded difference
# that exp takes, so v = x - r <= slack. Below: what the earlier test, x > float32(r + slack),
# allowed (it rounds up near 2^30, letting v reach 128, where 2^n overflows).
if not re.search(r"sub\(blockMax, r\),\s*splat\(kReferenceSlack\)", SRC):
    print("    WARNING: updateLagged no longer tests blockMax - r > kReferenceSlack; recheck below")
found = []  # (largest v, its r) per binade and sign of r
for k, sign in [(k, sign) for k in range(-8, 64) for sign in (1, -1)]:
    mant = np.concatenate([np.arange(4096), np.arange(2**23 - 4096, 2**23),
                           rng.integers(0, 2**23, 16384)]).astype(U32)
    r = ((U32(127 + k) << U32(23)) + mant).view(F32) * F32(sign)
    v = (r + F32(SLACK)) - r
    found.append((float(v.max()), r[np.argmax(v)]))
limit = float(F32(127.5) / F32(L2E))  # from n = 128 on, 2^n does not fit the exponent field
for what, (vmax, rmax) in (("largest", max(found)),
                           (f"largest up to {limit:.4g}", max(f for f in found if f[0] <= limit))):
    got = float(exp32(np.array([vmax], F32), DEG5)[0])
    print(f"    before the fix, {what} v = x - r that kept the f32 reference: {vmax:g} (r = {float(rmax)!r}, x = "
          f"{float(rmax + F32(SLACK))!r}); exp32 = {got:.3g}, e^v = {math.exp(vmax):.3g}, "
          + (f"WRONG: 2^n overflows from v = {limit:.4g}" if vmax > limit else
             f"{STEPS * BLOCK} terms: {STEPS * BLOCK * got:.3g}"))
narrow = np.concatenate([(np.arange(2**16, dtype=U32) << U32(16)).view(F32),
                         np.arange(2**16, dtype=np.uint16).view(np.float16).astype(F32)])
narrow = narrow[np.isfinite(narrow)]
print(f"    every bf16 and f16 r: v up to {float(((narrow + F32(SLACK)) - narrow).max()):g}; f64: "
      f"exp64(128) relative error {float(rel(exp64(np.array([128.0]), True), np.exp(LD(128)))[0]):.3g}")
