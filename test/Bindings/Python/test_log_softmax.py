"""nn_mlir.log_softmax and compiled modules against the float64 reference."""

import ml_dtypes
import numpy as np
import pytest

import nn_mlir
import nnref

DTYPES = {"f16": np.float16, "bf16": ml_dtypes.bfloat16, "f32": np.float32,
          "f64": np.float64}


def random_input(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) * 4).astype(DTYPES[dtype])


def check(y, x, dim, dtype):
    assert y.dtype == np.dtype(DTYPES[dtype])
    assert y.shape == x.shape
    ref = nnref.expected(x.astype(np.float64), dim, dtype)
    problem = nnref.compare(y.astype(np.float64), ref, dtype)
    assert problem is None, problem


@pytest.mark.parametrize("dtype", sorted(DTYPES))
@pytest.mark.parametrize("shape", [(), (7,), (3, 17), (2, 5, 33), (2, 1, 3, 4)])
def test_every_dim(dtype, shape):
    x = random_input(shape, dtype)
    rank = len(shape)
    for dim in range(-max(rank, 1), max(rank, 1)):
        check(nn_mlir.log_softmax(x, dim=dim), x, dim, dtype)


@pytest.mark.parametrize("dtype", sorted(DTYPES))
def test_masked_rows(dtype):
    # An attention row with masked keys, a fully masked row, +inf and NaN.
    x = random_input((5, 9), dtype)
    x[0, 3:] = -np.inf
    x[1, :] = -np.inf
    x[2, 4] = np.inf
    x[3, 0] = np.nan
    y = nn_mlir.log_softmax(x, dim=1)
    check(y, x, 1, dtype)
    assert np.isneginf(y[0, 3:].astype(np.float64)).all()
    assert np.isnan(y[1:4].astype(np.float64)).all()


def test_boundary_lengths_and_empty():
    for n in [0, 1, 15, 16, 17, 31, 33, 64, 1000, 4099]:
        x = random_input((3, n), "f32", seed=n)
        check(nn_mlir.log_softmax(x), x, -1, "f32")
    x = np.zeros((0, 5), np.float32)
    assert nn_mlir.log_softmax(x, dim=0).shape == (0, 5)


def test_non_contiguous_and_unaligned_inputs():
    x = random_input((33, 17), "f32")
    transposed = x.T
    assert not transposed.flags.c_contiguous
    check(nn_mlir.log_softmax(transposed, dim=1), np.ascontiguousarray(transposed),
          1, "f32")
    # A float64 array one byte off its natural alignment.
    raw = np.zeros(8 * 40 + 1, np.uint8)
    unaligned = np.frombuffer(raw.data, dtype=np.float64, count=40, offset=1)
    unaligned = unaligned.reshape(4, 10)
    assert not unaligned.flags.aligned
    unaligned[...] = random_input((4, 10), "f64")
    check(nn_mlir.log_softmax(unaligned, dim=-1), np.array(unaligned), -1, "f64")
    # An aligned buffer at an odd element offset goes in as it is.
    offset = random_input((65,), "f32")[1:]
    check(nn_mlir.log_softmax(offset), offset, -1, "f32")


def test_contiguous_input_is_not_copied():
    x = random_input((4, 8), "f32")
    assert nn_mlir._to_array(x, "x") is x


def test_cache_is_per_dtype_rank_and_dim():
    nn_mlir._log_softmax_cache.clear()
    for n in (3, 5, 1000):
        nn_mlir.log_softmax(random_input((2, n), "f32"), dim=1)
        nn_mlir.log_softmax(random_input((2, n), "f32"), dim=-1)
    assert len(nn_mlir._log_softmax_cache) == 1
    nn_mlir.log_softmax(random_input((2, 3), "f32"), dim=0)
    nn_mlir.log_softmax(random_input((2, 3), "f64"), dim=0)
    nn_mlir.log_softmax(random_input((2, 3, 1), "f64"), dim=0)
    assert len(nn_mlir._log_softmax_cache) == 4


def test_threads_do_not_change_results():
    # 2 MiB: above the 128 KiB under which the kernels stay on one thread.
    x = random_input((512, 1024), "f32")
    results = [nn_mlir.log_softmax(x, threads=t) for t in (1, 2, 0)]
    check(results[0], x, -1, "f32")
    for other in results[1:]:
        np.testing.assert_array_equal(other, results[0])


def test_dim_out_of_range():
    with pytest.raises(IndexError, match=r"range of \[-2, 1\], but got 2"):
        nn_mlir.log_softmax(np.zeros((2, 3), np.float32), dim=2)
    with pytest.raises(TypeError, match="float"):
        nn_mlir.log_softmax(np.zeros((2, 3), np.int64))
    with pytest.raises(TypeError, match="dtype int8"):
        nn_mlir.log_softmax(np.zeros((2, 3), np.int8))
