"""Unit checks of the harness itself (reference, rounding, comparator); needs
no nn-run. Prints `PASS name` / `FAIL name: reason` and exits non-zero on a
failure."""

import math
import sys

import numpy as np

import nnref

failures = []


def check(name, cond, detail=""):
    if cond:
        print("PASS " + name)
    else:
        print("FAIL %s: %s" % (name, detail))
        failures.append(name)


def close(a, b, tol):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    same_nan = np.array_equal(np.isnan(a), np.isnan(b))
    fin = np.isfinite(a) & np.isfinite(b)
    same_inf = np.array_equal(np.isinf(a), np.isinf(b)) and np.array_equal(
        a[np.isinf(a)], b[np.isinf(b)])
    ok = np.all(np.abs(a[fin] - b[fin]) <= tol * np.maximum(1.0, np.abs(b[fin])))
    return bool(same_nan and same_inf and ok)


nan, inf = float("nan"), float("inf")
ref = nnref.logsoftmax_ref

# --- The spec's edge table ------------------------------------------------
rows = [
    ("row [0,1,2]", [0, 1, 2], [-2.4076059, -1.4076059, -0.4076059], 1e-7),
    ("row all -inf", [-inf, -inf, -inf], [nan, nan, nan], 0),
    ("row some -inf", [-inf, 0, 1, -inf, 2], [-inf, -2.4076059, -1.4076059, -inf, -0.4076059], 1e-7),
    ("row any +inf", [0, inf, 2], [nan, nan, nan], 0),
    ("row +inf and -inf", [-inf, inf], [nan, nan], 0),
    ("row any NaN", [0, nan, 2], [nan, nan, nan], 0),
    ("row NaN and -inf", [-inf, nan], [nan, nan], 0),
    ("row [1e30,-1e30,0]", [1e30, -1e30, 0], [0, -2e30, -1e30], 1e-7),
    ("row [3.4e38,3.4e38,0]", [3.4e38, 3.4e38, 0], [-0.6931472, -0.6931472, -3.4e38], 1e-7),
    ("row size 1", [5.0], [0.0], 0),
]
for name, x, want, tol in rows:
    got = ref(np.array(x, np.float64), 0)
    check("ref " + name, close(got, want, tol), "got %r" % (got,))

# The [3.4e38, 3.4e38, 0] row in f32: inputs rounded to f32 first.
x32 = nnref.round_to([3.4e38, 3.4e38, 0], "f32")
got = ref(x32, 0)
check("ref row [3.4e38,3.4e38,0] after f32 rounding",
      close(got, [-0.6931472, -0.6931472, -3.4e38], 1e-7) and np.all(np.isfinite(got)),
      "got %r" % (got,))

# huge offsets: x + 1e4 gives x's result (exact inputs in f64).
rng = np.random.default_rng(1)
xx = np.round(rng.standard_normal(50) * 4 * 1024) / 1024
check("ref offset 1e4", close(ref(xx + 1e4, 0), ref(xx, 0), 1e-12))

# rank 0: x - x.
for v, want in ((3.5, 0.0), (-7.0, 0.0), (nan, nan), (inf, nan), (-inf, nan)):
    got = ref(np.array(v), 0)
    check("ref rank0 %r" % v, got.shape == () and close(got, want, 0), "got %r" % (got,))
    got = ref(np.array(v), -1)
    check("ref rank0 dim -1 %r" % v, got.shape == () and close(got, want, 0))

# empty.
check("ref empty along dim", ref(np.zeros((3, 0)), 1).shape == (3, 0))
check("ref empty elsewhere", ref(np.zeros((0, 5)), 1).shape == (0, 5))


# dims / negative dims against a slice-by-slice evaluation with math.*
def naive(x, d):
    out = np.empty_like(x)
    xs = np.moveaxis(x, d, -1)
    os_ = np.moveaxis(out, d, -1)
    for index in np.ndindex(xs.shape[:-1]):
        r = [float(v) for v in xs[index]]
        m = max(r)
        s = math.fsum(math.exp(v - m) for v in r)
        os_[index] = [(v - m) - math.log(s) for v in r]
    return out


x = rng.standard_normal((3, 4, 5, 2)) * 4
for d in range(-4, 4):
    check("ref dim %d" % d, close(ref(x, d), naive(x, d % 4), 1e-13))

# Mixed non-finite slices in one tensor, along dim 1 of a 4x3.
x = np.array([[0, 1, 2], [-inf, -inf, -inf], [-inf, 1, 2], [nan, 1, 2]], np.float64)
got = ref(x, 1)
want = np.array([[-2.4076059, -1.4076059, -0.4076059], [nan] * 3,
                 [-inf, -1.3132617, -0.3132617], [nan] * 3])
check("ref mixed slices dim 1", close(got, want, 1e-7), "got %r" % (got,))
check("ref mixed slices dim 0 (transposed)", close(ref(x.T.copy(), 0), want.T, 1e-7))

# --- bf16 rounding ----------------------------------------------------------
all_bits = np.arange(0, 1 << 16, dtype=np.uint32)
with np.errstate(all="ignore"):
    all_bf16 = (all_bits << 16).view(np.float32).astype(np.float64)
finite_bf16 = np.unique(all_bf16[np.isfinite(all_bf16)])  # sorted, one 0


def brute_bf16(v):
    """Nearest bf16 (ties to even mantissa), overflow to inf at the halfway
    point past the largest finite value."""
    if math.isnan(v):
        return nan
    big = nnref.BF16_MAX
    halfway = big + 2.0 ** (127 - 8)
    if abs(v) >= halfway:
        return math.copysign(inf, v)
    i = np.searchsorted(finite_bf16, v)
    cands = [finite_bf16[j] for j in (i - 1, i) if 0 <= j < len(finite_bf16)]
    best = min(cands, key=lambda c: abs(c - v))
    ties = [c for c in cands if abs(c - v) == abs(best - v)]
    if len(ties) == 2:
        # even = the one whose bf16 bit pattern has lsb 0
        for c in ties:
            b = int(np.float32(c).view(np.uint32)) >> 16
            if b & 1 == 0:
                return math.copysign(c, v) if c == 0 else c
    return math.copysign(best, v) if best == 0 else best


vals = np.concatenate([
    rng.standard_normal(3000) * 10,
    rng.standard_normal(500) * 1e30,
    rng.standard_normal(300) * 1e-39,  # bf16 subnormal range
    rng.standard_normal(300) * 1e-41,
    np.array([1 + 2.0 ** -8, 1 + 3 * 2.0 ** -8, 1 + 2.0 ** -8 + 2.0 ** -40,  # ties
              nnref.BF16_MAX, nnref.BF16_MAX * (1 + 2.0 ** -9),
              nnref.BF16_MAX * (1 + 2.0 ** -9) * (1 - 2.0 ** -30), 3.4e38, -3.4e38,
              2.0 ** -133, 2.0 ** -134, 3 * 2.0 ** -134, 1e30, -1e30, 65504.0,
              0.0, -0.0, inf, -inf]),
])
want = np.array([brute_bf16(float(v)) for v in vals])
got64 = nnref.f64_to_bf16(vals)
check("f64_to_bf16 vs brute force", close(got64, want, 0),
      "first diff at %r" % (vals[np.flatnonzero(~((got64 == want) | (np.isnan(got64) & np.isnan(want))))[:3]],))
check("f64_to_bf16 nan", np.isnan(nnref.f64_to_bf16([nan]))[0])
check("f64_to_bf16 3.4e38 -> inf", np.isposinf(nnref.f64_to_bf16([3.4e38]))[0])

# f32 path: for values that are already f32, the f32 bit rounding and the
# brute force agree (one rounding of the exact value).
v32 = vals.astype(np.float32)
want32 = np.array([brute_bf16(float(v)) for v in v32.astype(np.float64)])
got32 = nnref.f32_to_bf16(v32).astype(np.float64)
check("f32_to_bf16 vs brute force", close(got32, want32, 0))
check("f32_to_bf16 nan", np.isnan(nnref.f32_to_bf16(np.array([nan], np.float32)))[0])
# Every f32 whose low 16 bits are zero is left alone; the tie 0x3F808000 goes
# to even (0x3F80), 0x3F818000 goes up (0x3F82).
t = np.array([0x3F808000, 0x3F818000, 0x3F808001, 0x7F7FFFFF, 0xFF7FFFFF, 0x00008000, 0x00018000],
             np.uint32).view(np.float32)
tb = nnref.f32_to_bf16(t).view(np.uint32) >> 16
check("f32_to_bf16 ties/overflow/subnormal",
      list(tb) == [0x3F80, 0x3F82, 0x3F81, 0x7F80, 0xFF80, 0x0000, 0x0002], "got %r" % [hex(v) for v in tb])

# --- f16 rounding: numpy rounds double -> half once --------------------------
v = 1 + 2.0 ** -11 + 2.0 ** -30  # just above a tie; via f32 it would be a tie
check("f16 direct rounding", nnref.round_to([v], "f16")[0] == 1 + 2.0 ** -10)
check("f16 overflow", np.isneginf(nnref.round_to([-65520.0], "f16"))[0]
      and nnref.round_to([-65519.9], "f16")[0] == -65504.0)

# --- comparator --------------------------------------------------------------
r = np.array([-1.0, -2.0, -np.inf, 0.0])
check("compare equal", nnref.compare(r, r, "f32") is None)
b = 1e-5 + 1e-5 * 2.0
check("compare at bound", nnref.compare(r + np.array([0, -b * 0.999, 0, 0]), r, "f32") is None)
msg = nnref.compare(r + np.array([0, -b * 1.01, 0, 0]), r, "f32")
check("compare over bound", msg is not None and "(1,)" in msg, msg)
msg = nnref.compare(np.array([-1.0, nan, -np.inf, 0.0]), r, "f32")
check("compare NaN mismatch", msg is not None and "NaN" in msg, msg)
msg = nnref.compare(np.array([-1.0, -2.0, -3e38, 0.0]), r, "f32")
check("compare -inf mismatch", msg is not None and "-inf" in msg, msg)
msg = nnref.compare(np.array([-1.0, -2.0, np.inf, 0.0]), r, "f32")
check("compare +inf mismatch", msg is not None and "+inf" in msg, msg)
check("compare shape", nnref.compare(np.zeros(3), np.zeros(4), "f32") is not None)
check("compare NaN both", nnref.compare(np.array([nan]), np.array([nan]), "f64") is None)
check("compare f64 tol", nnref.compare(np.array([-10.0 - 1e-11]), np.array([-10.0]), "f64") is None
      and nnref.compare(np.array([-10.0 - 2e-11]), np.array([-10.0]), "f64") is not None)
check("compare bf16 tol", nnref.compare(np.array([-1.03]), np.array([-1.0]), "bf16") is None
      and nnref.compare(np.array([-1.05]), np.array([-1.0]), "bf16") is not None)
check("expected rounds bf16",
      np.array_equal(nnref.expected(np.array([0.0, 1.0, 2.0]), 0, "bf16"),
                     nnref.f64_to_bf16(ref(np.array([0.0, 1.0, 2.0]), 0))))

# 0-d arrays keep their shape.
check("rounding keeps rank 0", nnref.f32_to_bf16(np.float32(2.5)).shape == ()
      and nnref.f64_to_bf16(np.float64(2.5)).shape == () and nnref.round_to(2.5, "f16").shape == ()
      and nnref.rounded_input(np.array(2.5, np.float32), "bf16").shape == ())

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
