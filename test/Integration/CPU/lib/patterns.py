"""Value patterns for one slice of nn.logsoftmax, chosen to stress the online
max/sum of the kernels and every special-value rule of the contract
(docs/logsoftmax-semantics.md).

Each pattern is a function (rng, n, dtype) -> float64 array of length n,
before rounding to `dtype`. Magnitudes scale with the type, so that no
pattern overflows a 16-bit input by accident.
"""

import numpy as np

inf, nan = np.inf, np.nan

# The largest finite value and the smallest normal magnitude of each type.
LARGEST = {"f16": 65504.0, "bf16": 3.3895313892515355e38,
           "f32": 3.4028234663852886e38, "f64": 1.7976931348623157e308}
SMALLEST_NORMAL = {"f16": 2.0 ** -14, "bf16": 2.0 ** -126, "f32": 2.0 ** -126,
                   "f64": 2.0 ** -1022}

# How far above the lagging reference of the CPU read pass an element may be
# before the reference moves (kReferenceSlack in KernelEmitter.h),
# and how many leading elements a read step covers at most (2 accumulators x
# 4 vectors x 16 lanes): the slack patterns keep that many elements low so
# that the reference settles there first.
REFERENCE_SLACK = 64.0
FIRST_STEP = 128

# Worst arguments of the f32 exp (degree 5 for f32 and wider results, degree
# 3 for f16/bf16 results), measured by scripts/approximation-bounds.py (see
# docs/cpu-codegen.md): in [-1, 0], where terms near the maximum dominate a
# sum, and in [0, 64], where the read pass takes exps above its lagging
# reference.
EXP_WORST_NEAR = {5: 0.346196711063385, 3: 0.34657514095306396}
EXP_WORST_ABOVE = {5: 63.42374801635742, 3: 62.72980880737305}


def _degree(dtype):
    return 3 if dtype in ("f16", "bf16") else 5


def _normal(rng, n, scale=3.0):
    return rng.standard_normal(n) * scale


def _masked(fraction):
    def gen(rng, n, dtype):
        x = _normal(rng, n)
        x[rng.random(n) < fraction] = -inf
        x[rng.integers(n)] = rng.standard_normal()  # at least one finite
        return x
    return gen


def _masked_prefix(rng, n, dtype):
    x = _normal(rng, n)
    x[: max(0, n - max(1, n // 4))] = -inf
    return x


def _masked_suffix(rng, n, dtype):
    x = _normal(rng, n)
    x[max(1, n // 4):] = -inf
    return x


def _alternate_mask(rng, n, dtype):
    x = _normal(rng, n)
    x[1::2] = -inf
    return x


def _single_finite(rng, n, dtype):
    x = np.full(n, -inf)
    x[rng.integers(n)] = rng.standard_normal() * 10
    return x


def _all_neginf(rng, n, dtype):
    return np.full(n, -inf)


def _one_special(value):
    def gen(rng, n, dtype):
        x = _normal(rng, n)
        x[rng.integers(n)] = value
        return x
    return gen


def _nan_in_mask(rng, n, dtype):
    x = _masked(0.5)(rng, n, dtype)
    x[rng.integers(n)] = nan
    return x


def _ramp(kind):
    def gen(rng, n, dtype):
        t = np.linspace(-300.0, 300.0, n) if n > 1 else np.zeros(1)
        if kind == "down":
            return t[::-1].copy()
        if kind == "updown":
            half = np.linspace(-300.0, 300.0, (n + 1) // 2)
            return np.concatenate([half, half[::-1]])[:n]
        return t
    return gen


def _steps(height):
    """Constant runs that jump by `height` at random places: each jump above
    the reference slack moves the lagging reference (or rescales a sum)."""
    def gen(rng, n, dtype):
        jumps = rng.random(n) < 4.0 / max(n, 1) + 0.01
        return -1000.0 + height * np.cumsum(jumps) + rng.random(n) * 0.5
    return gen


def _slack_edge(rng, n, dtype):
    """The first read step low, everything after it at the exp's worst
    argument below the reference slack: the reference stays, and every later
    term is about e^63, the largest the read pass ever adds, converted back
    by exp(-63) at the end of the chunk."""
    x = np.zeros(n)
    x[min(FIRST_STEP, n - 1):] = EXP_WORST_ABOVE[_degree(dtype)]
    x[0] = 0.0
    return x


def _ulp_above_slack(rng, n, dtype):
    """A first step at r, the rest at r + 128, with r + 64 a tie that rounds
    up to r + 128 in the compute type (f32 near 2^30, f64 near 2^59): a
    reference test written as x > r + 64 missed the move, and exp(128)
    overflowed its 2^n (a bug found by scripts/approximation-bounds.py)."""
    r = 2.0 ** 59 + 128 if dtype == "f64" else 2.0 ** 30 + 128
    if dtype == "f16":
        r = 0.0  # f16 inputs cannot reach 2^30; the row still steps by 128
    x = np.full(n, r + 128)
    x[:min(FIRST_STEP, n - 1)] = r
    return x


def _slack_stairs(rng, n, dtype):
    """Stairs one slack high every read step: the reference moves at every
    other stair, the terms in between at the slack."""
    return (REFERENCE_SLACK - 0.01) * (np.arange(n) // FIRST_STEP)


def _late_maximum(rng, n, dtype):
    x = _normal(rng, n)
    x[-1] = 1000.0
    return x


def _near_limit(rng, n, dtype):
    """Magnitudes of 0.3, 0.6 and 0.9 times the largest finite value: some
    differences overflow the type (the result is then -inf, as in PyTorch),
    none lands near the overflow threshold."""
    top = LARGEST[dtype]
    return rng.choice([-0.9, -0.6, -0.3, 0.0, 0.3, 0.6, 0.9], n) * top


def _largest_pair(rng, n, dtype):
    """[max, max, 0, ...]: the spec's [3.4e38, 3.4e38, 0] row."""
    x = np.zeros(n)
    x[:2] = LARGEST[dtype]
    return x


def _wide_magnitudes(rng, n, dtype):
    top = 0.5 * LARGEST[dtype]
    return rng.choice([-1e30, -1e10, -1.0, 0.0, 1.0, 1e10, 1e30], n).clip(-top, top)


def _offset(rng, n, dtype):
    return 3e4 + _normal(rng, n)


def _denormal_scale(rng, n, dtype):
    return rng.uniform(-4.0, 4.0, n) * SMALLEST_NORMAL[dtype]


def _constant(rng, n, dtype):
    return np.full(n, 7.25)


def _exp_worst(rng, n, dtype):
    """One element at 0, the rest at -d, d the exp polynomial's worst
    argument in [-1, 0]: log(sum) is made of the approximated terms."""
    x = np.full(n, -EXP_WORST_NEAR[_degree(dtype)])
    x[rng.integers(n)] = 0.0
    return x


# Worst arguments of the vector log (scripts/approximation-bounds.py): the
# kernels take log of a row's sum, so a row summing to about this value hits
# it. f32 and f64 differ in the fifth digit; one row serves both.
LOG_WORST_SUM = 1.1365491151809692


def _log_worst(rng, n, dtype):
    """One element at 0 and one at log(LOG_WORST_SUM - 1), the rest -inf:
    the row's sum is LOG_WORST_SUM, where the vector log is least exact."""
    x = np.full(n, -inf)
    x[0] = 0.0
    if n > 1:
        x[n - 1] = np.log(LOG_WORST_SUM - 1.0)
    return x


PATTERNS = {
    "normal": lambda rng, n, dtype: _normal(rng, n),
    "uniform": lambda rng, n, dtype: rng.uniform(-50.0, 50.0, n),
    "mask10": _masked(0.1),
    "mask50": _masked(0.5),
    "mask90": _masked(0.9),
    "mask99": _masked(0.99),
    "masked-prefix": _masked_prefix,
    "masked-suffix": _masked_suffix,
    "alternate-mask": _alternate_mask,
    "single-finite": _single_finite,
    "all-neginf": _all_neginf,
    "one-posinf": _one_special(inf),
    "one-nan": _one_special(nan),
    "nan-in-mask": _nan_in_mask,
    "ramp-up": _ramp("up"),
    "ramp-down": _ramp("down"),
    "ramp-updown": _ramp("updown"),
    "steps-past-slack": _steps(REFERENCE_SLACK + 6.0),
    "steps-below-slack": _steps(REFERENCE_SLACK - 0.5),
    "slack-edge": _slack_edge,
    "slack-stairs": _slack_stairs,
    "ulp-above-slack": _ulp_above_slack,
    "late-maximum": _late_maximum,
    "near-limit": _near_limit,
    "largest-pair": _largest_pair,
    "wide-magnitudes": _wide_magnitudes,
    "offset-3e4": _offset,
    "denormal-scale": _denormal_scale,
    "constant": _constant,
    "exp-worst": _exp_worst,
    "log-worst": _log_worst,
}
NAMES = tuple(PATTERNS)


def slices(rng, names, n, dtype):
    """A (len(names), n) array, row k drawn from pattern names[k]."""
    out = np.empty((len(names), n))
    for k, name in enumerate(names):
        out[k] = PATTERNS[name](rng, n, dtype)
    return out


def _normalize(dim, rank):
    return dim + max(rank, 1) if dim < 0 else dim


def layout_shape(rank, dim, n, count, inner):
    """A shape of `rank` with `n` along `dim` and about `count` slices; for a
    dim before the last, the last size is `inner`."""
    d = _normalize(dim, rank)
    if rank == 1:
        return (n,)
    if rank == 2:
        return (count, n) if d == 1 else (n, count)
    if d == 2:
        return (2, max(1, count // 2), n)
    outer = max(1, count // inner)
    return (n, outer, inner) if d == 0 else (outer, n, inner)


def build_input(rng, shape, dim, dtype, names):
    """float64 data of `shape` whose slices along `dim` follow `names` in
    turn (starting at a random pattern), and the pattern of each slice."""
    d = _normalize(dim, len(shape))
    n = shape[d]
    count = int(np.prod(shape)) // n if n else 0
    start = int(rng.integers(len(names)))
    order = [names[(start + k) % len(names)] for k in range(count)]
    rows = slices(rng, order, n, dtype)
    moved = [s for k, s in enumerate(shape) if k != d] + [n]
    x = np.moveaxis(rows.reshape(moved), -1, d)
    return np.ascontiguousarray(x), order
