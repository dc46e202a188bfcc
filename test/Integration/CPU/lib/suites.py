"""The nn.logsoftmax execution cases, grouped into suites (one lit test file
each, so that lit runs them in parallel)."""

import numpy as np

import nnref
from harness import Arg, Case, ErrorCase, Result, single

nan, inf = float("nan"), float("inf")
TYPES = ("f16", "bf16", "f32", "f64")
# Every (input, result) element type pair: same type and every wider float.
COMBOS = [(i, o) for i in TYPES for o in nnref.WIDER[i]]
WIDER_COMBOS = [(i, o) for (i, o) in COMBOS if i != o]


def tname(i, o):
    return i if i == o else "%s-to-%s" % (i, o)


# ---------------------------------------------------------------------------
# Data generators: callables (rng, shape) -> float64 array
# ---------------------------------------------------------------------------

def normal(scale=4.0, clip=10.0):
    """Normal values scaled to span about [-clip, clip]."""
    def gen(rng, shape):
        return np.clip(rng.standard_normal(shape) * scale, -clip, clip)
    return gen


def with_offsets(dim, prob=0.2, offsets=(1e3, -1e3, 1e4, -1e4, 3e4, -3e4), base=None):
    """`base` data plus, on a fraction `prob` of the slices along `dim`, a
    large constant offset (the same for the whole slice)."""
    base = base or normal()

    def gen(rng, shape):
        x = base(rng, shape)
        if x.ndim == 0 or x.size == 0:
            return x
        d = nnref.normalize_dim(dim, x.ndim)
        sshape = list(shape)
        sshape[d] = 1
        pick = rng.random(sshape) < prob
        off = rng.choice(np.array(offsets), size=sshape)
        return x + np.where(pick, off, 0.0)
    return gen


def const(values):
    def gen(rng, shape):
        return np.array(values, dtype=np.float64).reshape(shape)
    return gen


def with_specials(dim, base=None, prob=0.3):
    """Random data where some slices along `dim` get a NaN, a +inf, some -inf
    or become all -inf (the rest stay finite)."""
    base = base or with_offsets(dim, prob=0.1)

    def gen(rng, shape):
        x = base(rng, shape)
        if x.size == 0:
            return x
        d = nnref.normalize_dim(dim, x.ndim) if x.ndim else 0
        xs = np.moveaxis(x.reshape(shape if x.ndim else (1,)), d, -1)
        n = xs.shape[-1]
        kinds = ["nan", "pinf", "some-ninf", "all-ninf", "finite"]
        for k, index in enumerate(np.ndindex(xs.shape[:-1])):
            # The first slices take each kind once; then random.
            kind = kinds[k] if k < len(kinds) else (
                rng.choice(kinds[:4]) if rng.random() < prob else "finite")
            row = xs[index]
            if kind == "nan":
                row[rng.integers(n)] = nan
            elif kind == "pinf":
                row[rng.integers(n)] = inf
            elif kind == "some-ninf":
                cnt = max(1, n // 3) if n > 1 else 0
                row[rng.choice(n, size=cnt, replace=False)] = -inf
            elif kind == "all-ninf":
                row[:] = -inf
        return np.moveaxis(xs, -1, d).reshape(shape)
    return gen


def eager(name, shape, gen):
    """Materializes data once so that several cases can share it."""
    rng = np.random.default_rng([20240611, sum(map(ord, name))])
    return np.asarray(gen(rng, tuple(shape)), dtype=np.float64)


def rows_check(exact_rows, out_dtype):
    """A check that rows `exact_rows` of a 2-D result equal row 0's reference
    within the tolerance of `out_dtype` (x + offset gives x's result)."""
    def check(inputs, outputs):
        y = outputs[0]
        ref0 = nnref.expected(inputs[0][0], 0, out_dtype)
        for k in exact_rows:
            msg = nnref.compare(y[k], ref0, out_dtype)
            if msg:
                return "row %d (x + offset) differs from x's result: %s" % (k, msg)
        return None
    return check


# ---------------------------------------------------------------------------
# Suites
# ---------------------------------------------------------------------------

def edge_rows_for(in_t):
    """The spec's edge table as (row name, values) for input type `in_t`; the
    extreme-magnitude rows only where their values are representable, with a
    same-shaped stand-in of the type's own range elsewhere."""
    rows = [
        ("0-1-2", [0, 1, 2]),
        ("all-ninf", [-inf, -inf, -inf]),
        ("some-ninf", [-inf, 0, 1, -inf, 2]),
        ("any-pinf", [0, inf, 2]),
        ("any-nan", [0, nan, 2]),
    ]
    if in_t in ("f32", "f64", "bf16"):
        rows.append(("1e30", [1e30, -1e30, 0]))
    else:
        rows.append(("1e30-standin-3e4", [3e4, -3e4, 0]))
    if in_t in ("f32", "f64"):
        rows.append(("3.4e38", [3.4e38, 3.4e38, 0]))
    elif in_t == "bf16":
        rows.append(("3.4e38-standin-bf16max", [nnref.BF16_MAX, nnref.BF16_MAX, 0]))
    else:
        rows.append(("3.4e38-standin-65504", [65504.0, 65504.0, 0]))
    return rows


OFFSETS = {
    # (grid of x, x's clip, exact offsets): x + offset is exact in the type.
    "f64": (2.0 ** -10, 10.0, [1e4, -1e4, 1e8, 1e10, -1e10]),
    "f32": (2.0 ** -4, 10.0, [1e4, -1e4, 1e6, -1e6]),
    "f16": (8.0, 24.0, [1e4, -1e4]),
    "bf16": (2.0, 10.0, [256.0, -256.0]),
}


def offset_case(in_t, out_t, n=37):
    grid, clip, offs = OFFSETS[in_t]

    def gen(rng, shape):
        x = np.round(np.clip(rng.standard_normal(n) * 4, -clip, clip) / grid) * grid
        return np.stack([x] + [x + o for o in offs])
    shape = (1 + len(offs), n)
    return single("offset/%s/huge-offsets" % tname(in_t, out_t), shape, 1, in_t, gen, out_t,
                  check=rows_check(range(1, len(offs) + 1), out_t))


def suite_edge_rows():
    cases = []
    for t in TYPES:
        for row, vals in edge_rows_for(t):
            cases.append(single("edge/%s/%s" % (t, row), (len(vals),), 0, t, const(vals)))
    # More spellings of the NaN / +inf rows (f32 and f64).
    for t in ("f32", "f64"):
        for row, vals in (("pinf-and-ninf", [-inf, inf]), ("all-pinf", [inf, inf, inf]),
                          ("nan-pinf-ninf", [nan, -inf, inf]), ("all-nan", [nan, nan, nan]),
                          ("1e30-reversed", [0, -1e30, 1e30])):
            cases.append(single("edge/%s/%s" % (t, row), (len(vals),), -1, t, const(vals)))
    return cases


def suite_edge_table():
    """All edge rows of a type in one 2-D tensor (padded with -inf, which
    leaves every row's result unchanged), for every (input, result) pair,
    along dim 1 (static) and transposed along dim 0 (dynamic); plus the
    huge-offset row."""
    cases = []
    for (i, o) in COMBOS:
        rows = edge_rows_for(i)
        width = max(len(v) for _, v in rows) + 1
        table = np.full((len(rows), width), -inf)
        for k, (_, v) in enumerate(rows):
            table[k, :len(v)] = v
        cases.append(single("table/%s/dim1-static" % tname(i, o), table.shape, 1, i,
                            const(table), o))
        cases.append(single("table/%s/dim0-dynamic" % tname(i, o), table.T.shape, 0, i,
                            const(table.T.copy()), o, dyn="all"))
        cases.append(offset_case(i, o))
    return cases


def suite_dtypes():
    cases = []
    for (i, o) in COMBOS:
        n = tname(i, o)
        cases.append(single("dtype/%s/4x37-dim1" % n, (4, 37), 1, i, with_offsets(1), o))
        cases.append(single("dtype/%s/37x4-dim0-mixed" % n, (37, 4), 0, i, with_offsets(0), o,
                            dyn=(True, False)))
        cases.append(single("dtype/%s/3x5x7-dim-2" % n, (3, 5, 7), -2, i, with_offsets(-2), o))
    return cases


def suite_dims():
    shapes = {1: (11,), 2: (5, 7), 3: (3, 4, 5), 4: (2, 3, 4, 5), 5: (2, 3, 2, 3, 4)}
    negatives = {1: [-1], 2: [-1, -2], 3: [-2], 4: [-4, -1], 5: [-5, -3, -1]}
    cases = []
    k = 0
    for rank, shape in shapes.items():
        for d in list(range(rank)) + negatives[rank]:
            t = TYPES[(k + 2) % 4]
            k += 1
            cases.append(single("dims/rank%d/dim%d/%s" % (rank, d, t), shape, d, t,
                                with_offsets(d)))
    # Wider results along a middle dim of rank 4 / 5.
    cases.append(single("dims/rank4/dim2/f16-to-f32", shapes[4], 2, "f16", with_offsets(2), "f32"))
    cases.append(single("dims/rank5/dim-2/bf16-to-f64", shapes[5], -2, "bf16", with_offsets(-2),
                        "f64", dyn=(False, True, False, True, False)))
    return cases


def suite_rank0():
    cases = []
    for t in TYPES:
        for d in (0, -1):
            cases.append(single("rank0/%s/dim%d/finite" % (t, d), (), d, t, const(3.25 - 7 * d)))
    for (i, o) in WIDER_COMBOS:
        cases.append(single("rank0/%s/dim0/finite" % tname(i, o), (), 0, i, const(-1.5), o))
    for t in ("f32", "f64"):
        for name, v in (("nan", nan), ("pinf", inf), ("ninf", -inf)):
            cases.append(single("rank0/%s/dim-1/%s" % (t, name), (), -1, t, const(v)))
    cases.append(single("rank0/f16/dim0/nan", (), 0, "f16", const(nan)))
    cases.append(single("rank0/bf16/dim0/pinf", (), 0, "bf16", const(inf)))
    cases.append(single("rank0/f16-to-f32/dim0/ninf", (), 0, "f16", const(-inf), "f32"))
    return cases


def suite_sizes():
    g = normal()
    cases = []
    # Size 0 along dim, and along another dim; static and dynamic.
    for dyn in ("none", "all"):
        s = "static" if dyn == "none" else "dynamic"
        cases += [
            single("size0/along-dim/0-f32-%s" % s, (0,), 0, "f32", g, dyn=dyn),
            single("size0/along-dim/3x0-dim1-f32-%s" % s, (3, 0), 1, "f32", g, dyn=dyn),
            single("size0/along-dim/2x0x3-dim1-f16-%s" % s, (2, 0, 3), 1, "f16", g, dyn=dyn),
            single("size0/other-dim/0x5-dim1-f32-%s" % s, (0, 5), 1, "f32", g, dyn=dyn),
            single("size0/other-dim/2x3x0-dim0-bf16-%s" % s, (2, 3, 0), 0, "bf16", g, dyn=dyn),
        ]
    cases.append(single("size0/along-dim/0x4-dim0-f32-to-f64", (0, 4), 0, "f32", g, "f64",
                        dyn=(True, False)))
    # A static 0 next to a dynamic size (mixed shapes).
    cases.append(single("size0/along-dim/3x0-dim1-f32-mixed", (3, 0), 1, "f32", g,
                        dyn=(True, False)))
    cases.append(single("size0/other-dim/2x3x0-dim0-f32-mixed", (2, 3, 0), 0, "f32", g,
                        dyn=(False, True, False)))
    # Size 1 along dim: result 0 (NaN for NaN / +-inf).
    cases += [
        single("size1/1-f32", (1,), 0, "f32", g),
        single("size1/6x1-dim1-f64", (6, 1), 1, "f64", with_offsets(1, prob=0.5)),
        single("size1/1x6-dim0-f16", (1, 6), 0, "f16", g),
        single("size1/3x1x4-dim1-bf16-dynamic", (3, 1, 4), 1, "bf16", g, dyn="all"),
        single("size1/1x1-dim-1-f32", (1, 1), -1, "f32", g),
        single("size1/5x1-dim1-f16-to-f32-mixed", (5, 1), 1, "f16", g, "f32", dyn=(False, True)),
        single("size1/5x1-dim1-nonfinite-f32", (5, 1), 1, "f32",
               const([[nan], [inf], [-inf], [3.0], [-1e30]])),
    ]
    return cases


def suite_odd():
    cases = []
    for n in (2, 3, 7, 15, 16, 17, 33, 64, 65, 129, 1023):
        cases.append(single("odd/f32/3x%d-dim1" % n, (3, n), 1, "f32", with_offsets(1)))
    cases += [
        single("odd/f64/2x1023-dim-1", (2, 1023), -1, "f64", with_offsets(-1)),
        single("odd/f16/5x1023-dim1", (5, 1023), 1, "f16", with_offsets(1)),
        single("odd/bf16/33x9-dim0", (33, 9), 0, "bf16", with_offsets(0)),
        single("odd/f32/1023x3-dim0", (1023, 3), 0, "f32", with_offsets(0)),
        single("odd/f64/7x33x5-dim1", (7, 33, 5), 1, "f64", with_offsets(1)),
        single("odd/f16-to-f64/7x33-dim1-dynamic", (7, 33), 1, "f16", with_offsets(1), "f64",
               dyn="all"),
        single("odd/f32/7x1023-dim1-dynamic", (7, 1023), 1, "f32", with_offsets(1), dyn="all"),
    ]
    return cases


def suite_large():
    def gen_last(rng, shape):
        # Offsets and a few -inf on top of normal data.
        x = with_offsets(-1, prob=0.3)(rng, shape)
        x.reshape(-1)[rng.choice(x.size, size=7, replace=False)] = -inf
        return x
    return [
        single("large/f32/3x70001-dim1", (3, 70001), 1, "f32", gen_last),
        single("large/f32/1x100000-dim-1", (1, 100000), -1, "f32", gen_last),
        single("large/f32/70001x3-dim0", (70001, 3), 0, "f32", with_offsets(0, prob=0.5)),
        single("large/f32/3x70001-dim1-dynamic", (3, 70001), 1, "f32", gen_last, dyn="all"),
        single("large/f64/100000-dim0-dynamic", (100000,), 0, "f64", normal(), dyn="all"),
        single("large/f16/2x70001-dim1", (2, 70001), 1, "f16", gen_last),
        single("large/bf16/2x70001-dim-1-mixed", (2, 70001), -1, "bf16", gen_last,
               dyn=(False, True)),
        single("large/f16-to-f32/1x70001-dim1", (1, 70001), 1, "f16", gen_last, "f32"),
        single("large/f32/4x70001x2-dim1", (4, 70001, 2), 1, "f32", with_offsets(1)),
        # Rows of 2^18 elements and more are split into segments across
        # threads: just below, at and above the threshold, static, dynamic,
        # narrow and wide types, -inf and offsets included.
        single("large/f32/2x262143-dim1", (2, 262143), 1, "f32", gen_last),
        single("large/f32/2x262144-dim1", (2, 262144), 1, "f32", gen_last),
        single("large/f32/1x1000003-dim1-dynamic", (1, 1000003), 1, "f32", gen_last,
               dyn="all"),
        single("large/bf16/1x300000-dim-1", (1, 300000), -1, "bf16", gen_last),
        single("large/f64/2x270000-dim1-mixed", (2, 270000), 1, "f64", gen_last,
               dyn=(False, True)),
        single("large/f16-to-f32/1x262200-dim0", (262200,), 0, "f16", gen_last, "f32"),
    ]


def suite_dynamic():
    """The same data through static, all-dynamic and mixed function types:
    the results must be identical (bitwise), and match the reference."""
    groups = [
        ("4x33-dim1-f32", (4, 33), 1, "f32", "f32", [(True, True), (False, True), (True, False)]),
        ("5x6x7-dim1-f64", (5, 6, 7), 1, "f64", "f64", ["all", (True, False, True)]),
        ("3x4x5x6-dim-1-f16", (3, 4, 5, 6), -1, "f16", "f16", ["all", (False, False, False, True)]),
        ("2x3x4x5x6-dim2-bf16", (2, 3, 4, 5, 6), 2, "bf16", "bf16",
         ["all", (False, True, False, True, False)]),
        ("6x9-dim0-f16-to-f32", (6, 9), 0, "f16", "f32", [(True, False)]),
        ("5x8-dim1-specials-bf16-to-f32", (5, 8), 1, "bf16", "f32", ["all"]),
        ("3x1023-dim1-f32", (3, 1023), 1, "f32", "f32", ["all"]),
        ("9x17-dim0-f32-to-f64", (9, 17), 0, "f32", "f64", [(False, True)]),
        # Dynamic sizes that are 1 at run time, inside the groups of dims
        # around `dim`.
        ("1x5x8-dim-1-f32", (1, 5, 8), -1, "f32", "f32", [(True, False, False), "all"]),
        ("4x1x3-dim0-f64", (4, 1, 3), 0, "f64", "f64", [(False, True, False)]),
        ("2x1x1x7-dim3-f16", (2, 1, 1, 7), 3, "f16", "f16", [(False, True, True, False)]),
    ]
    cases = []
    for name, shape, dim, i, o, masks in groups:
        gen = with_specials(dim) if "specials" in name else with_offsets(dim)
        data = eager(name, shape, gen)
        first = "dynamic/%s/static" % name
        cases.append(single(first, shape, dim, i, data, o))
        for m in masks:
            label = "all" if m == "all" else "".join("?" if d else "s" for d in m)
            cases.append(single("dynamic/%s/%s" % (name, label), shape, dim, i, data, o, dyn=m,
                                same_as=first))
    return cases


def suite_threads():
    """Results must not depend on the number of threads (NN_NUM_THREADS or
    --threads): bitwise identical to a one-thread run, long slices (which may
    be summed in chunks) included."""
    cases = []
    for name, shape, dim, i, counts in (
            # Below 128 KiB the loops run serially whatever the count
            # (--nn-forall-to-openmp's min-parallel-bytes); above, on threads.
            ("64x300-dim1-f32", (64, 300), 1, "f32", ["env3", "arg2"]),
            ("256x300-dim1-f32", (256, 300), 1, "f32", ["env3", "arg2"]),
            ("4099x16-dim1-f32", (4099, 16), 1, "f32", ["env2", "arg3"]),
            ("300x64-dim0-bf16", (300, 64), 0, "bf16", ["env3"]),
            ("1200x64-dim0-bf16", (1200, 64), 0, "bf16", ["env3"]),
            ("1x100000-dim1-f32", (1, 100000), 1, "f32", ["env2", "arg4"]),
            ("2x600000-dim1-f32", (2, 600000), 1, "f32", ["env2", "arg3"]),
            ("70001x3-dim0-f16-to-f32", (70001, 3), 0, "f16", ["env2"])):
        o = "f32" if i == "f16" else i
        data = eager(name, shape, with_offsets(dim))
        first = "threads/%s/NN_NUM_THREADS=1" % name
        cases.append(single(first, shape, dim, i, data, o, env={"NN_NUM_THREADS": "1"}))
        for c in counts:
            n = c[3:]
            if c.startswith("env"):
                cases.append(single("threads/%s/NN_NUM_THREADS=%s" % (name, n), shape, dim, i,
                                    data, o, env={"NN_NUM_THREADS": n}, same_as=first))
            else:
                cases.append(single("threads/%s/--threads=%s" % (name, n), shape, dim, i, data,
                                    o, extra_args=["--threads=" + n], same_as=first))
    return cases


def suite_nonfinite():
    cases = []
    for t in TYPES:
        for d in (0, 1):
            cases.append(single("nonfinite/%s/6x9-dim%d" % (t, d), (6, 9), d, t,
                                with_specials(d), dyn="all" if d == 0 else "none"))
    cases += [
        single("nonfinite/f32/4x5x6-dim1-dynamic", (4, 5, 6), 1, "f32", with_specials(1),
               dyn=(True, True, False)),
        single("nonfinite/f64/4x5x6-dim-2", (4, 5, 6), -2, "f64", with_specials(-2)),
        single("nonfinite/f16-to-f32/7x5-dim1", (7, 5), 1, "f16", with_specials(1), "f32"),
        single("nonfinite/bf16-to-f64/5x7-dim0", (5, 7), 0, "bf16", with_specials(0), "f64"),
        single("nonfinite/f32-to-f64/3x40-dim1", (3, 40), 1, "f32", with_specials(1), "f64"),
    ]
    return cases


def suite_random(count=24):
    rng = np.random.default_rng(777)
    cases = []
    for k in range(count):
        rank = int(rng.integers(1, 5))
        shape = tuple(int(rng.integers(1, 41)) for _ in range(rank))
        dim = int(rng.integers(-rank, rank))
        i, o = COMBOS[int(rng.integers(len(COMBOS)))]
        dyn = tuple(bool(b) for b in rng.random(rank) < 0.4)
        gen = with_specials(dim, prob=0.1) if rng.random() < 0.3 else with_offsets(dim)
        cases.append(single("random/%02d/%s/%s-dim%d/%s" % (
            k, tname(i, o), "x".join(map(str, shape)), dim,
            "".join("?" if d else "s" for d in dyn)), shape, dim, i, gen, o, dyn=dyn))
    return cases


def suite_cli():
    """Command-line forms: inline --input, the module on stdin, several
    arguments and results, another function name."""
    cases = [
        single("inline/f32/0-1-2", (3,), 0, "f32", const([0, 1, 2]), mode="inline"),
        single("inline/f32/2x3-dim0-nonfinite", (2, 3), 0, "f32",
               const([[nan, -inf, 1], [2, -inf, inf]]), mode="inline"),
        single("inline/f64/rank0", (), 0, "f64", const(0.5), mode="inline"),
        # Text -> bf16 and text -> f16 rounding happen in nn-run.
        single("inline/bf16/4x5-dim1", (4, 5), 1, "bf16", with_offsets(1), mode="inline"),
        single("inline/f16-to-f32/3x4-dim-1-dynamic", (3, 4), -1, "f16", with_offsets(-1), "f32",
               dyn="all", mode="inline"),
        single("stdin/f32/4x9-dim1-mixed", (4, 9), 1, "f32", with_offsets(1), dyn=(False, True),
               mode="stdin"),
        single("stdin/bf16-to-f32/5x3-dim0", (5, 3), 0, "bf16", with_specials(0), "f32",
               mode="stdin"),
        Case("multi-output/one-arg/f32-dim0-and-f64-dim1",
             [Arg((4, 6), "f32", with_offsets(1), dyn=(False, True))],
             [Result(0, 0, "f32"), Result(0, 1, "f64")]),
        Case("multi-output/two-args/f16-and-bf16-to-f32",
             [Arg((3, 5), "f16", with_offsets(1)), Arg((2, 7, 3), "bf16", with_specials(1), "all")],
             [Result(0, -1, "f16"), Result(1, 1, "f32")], function="two_results"),
        Case("multi-output/stdin/three-results",
             [Arg((5, 4), "f64", with_specials(0))],
             [Result(0, 0, "f64"), Result(0, -1, "f64"), Result(0, 1, "f64")], mode="stdin",
             function="lsm3"),
        single("function-name/f32/not-main", (2, 8), 1, "f32", with_offsets(1),
               function="my_logsoftmax"),
    ]
    return cases


GOOD_MODULE = """func.func @main(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %y = "nn.logsoftmax"(%x) <{dim = 1 : i64}> : (tensor<4x?xf32>) -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}
"""

BAD_DIM_MODULE = GOOD_MODULE.replace("dim = 1 :", "dim = 2 :")


def suite_errors():
    """nn-run must fail with exit status 1 and `nn-run: error: ...` (parser
    and verifier diagnostics: exit status 1 and an `error:`)."""
    x8 = "--input=4x2xf32=1 2 3 4 5 6 7 8"
    return [
        ErrorCase("error/unknown-function", GOOD_MODULE, ["--function=nope", x8]),
        ErrorCase("error/too-few-inputs", GOOD_MODULE, ["--function=main"]),
        ErrorCase("error/too-many-inputs", GOOD_MODULE, ["--function=main", x8, x8]),
        ErrorCase("error/too-many-outputs", GOOD_MODULE,
                  ["--function=main", x8, "--output=@{dir}/a.npy", "--output=@{dir}/b.npy"]),
        ErrorCase("error/missing-npy", GOOD_MODULE,
                  ["--function=main", "--input=@{dir}/does-not-exist.npy"]),
        ErrorCase("error/static-size-mismatch", GOOD_MODULE,
                  ["--function=main", "--input=3x2xf32=1 2 3 4 5 6"]),
        ErrorCase("error/element-type-mismatch", GOOD_MODULE,
                  ["--function=main", "--input=4x2xf64=1 2 3 4 5 6 7 8"]),
        ErrorCase("error/rank-mismatch", GOOD_MODULE, ["--function=main", "--input=8xf32=1 2 3 4 5 6 7 8"]),
        ErrorCase("error/bad-inline-count", GOOD_MODULE, ["--function=main", "--input=4x2xf32=1 2 3"]),
        ErrorCase("error/missing-module-file", GOOD_MODULE, ["--function=main", x8],
                  file="{dir}/does-not-exist.mlir"),
        ErrorCase("error/parse-error-stdin", "func.func @main(%x: tensor<4xf32> {\n", ["--function=main",
                  "--input=4xf32=1 2 3 4"], expect="error", stdin=True),
        ErrorCase("error/verifier-dim-out-of-range", BAD_DIM_MODULE, ["--function=main", x8],
                  expect="error"),
    ]


SUITES = {
    "edge-rows": suite_edge_rows,
    "edge-table": suite_edge_table,
    "dtypes": suite_dtypes,
    "dims": suite_dims,
    "rank0": suite_rank0,
    "sizes": suite_sizes,
    "odd": suite_odd,
    "large": suite_large,
    "dynamic": suite_dynamic,
    "nonfinite": suite_nonfinite,
    "random": suite_random,
    "cli": suite_cli,
    "errors": suite_errors,
    "threads": suite_threads,
}
