"""nn_mlir.compile: modules with several functions, results, dtypes and
dynamic sizes; and the errors users see."""

import ml_dtypes
import numpy as np
import pytest

import nn_mlir
import nnref
import trainref

MODULE = """
func.func @main(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

func.func @two(%x: tensor<4x?xbf16>) -> (tensor<4x?xf32>, tensor<4x?xbf16>) {
  %wide = nn.logsoftmax %x, dim = -1 : tensor<4x?xbf16> -> tensor<4x?xf32>
  %same = nn.logsoftmax %x, dim = 0 : tensor<4x?xbf16> -> tensor<4x?xbf16>
  return %wide, %same : tensor<4x?xf32>, tensor<4x?xbf16>
}

func.func @loss(%logits: tensor<?x10xf32>, %target: tensor<?xi64>) -> tensor<f32> {
  %loss = "nn.cross_entropy"(%logits, %target) <{ignore_index = -100 : i64, reduction = "mean", label_smoothing = 0.0 : f64}> : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32>
  return %loss : tensor<f32>
}

func.func private @helper(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
"""


@pytest.fixture(scope="module")
def lib():
    return nn_mlir.compile(MODULE, target="cpu")


def test_public_functions(lib):
    assert lib.functions == ["main", "two", "loss"]
    assert lib.main.argument_types == ["tensor<?x?xf32>"]
    assert lib["two"].result_types == ["tensor<4x?xf32>", "tensor<4x?xbf16>"]
    with pytest.raises(AttributeError, match="no public function @helper"):
        lib.helper


def test_dynamic_sizes(lib):
    rng = np.random.default_rng(1)
    for shape in [(1, 1), (3, 10), (8, 257)]:
        x = rng.standard_normal(shape).astype(np.float32)
        y = lib.main(x)
        assert y.shape == shape and y.dtype == np.float32
        problem = nnref.compare(y, nnref.expected(x.astype(np.float64), 1, "f32"),
                                "f32")
        assert problem is None, problem


def test_two_results_bf16(lib):
    rng = np.random.default_rng(2)
    x = (rng.standard_normal((4, 19)) * 3).astype(ml_dtypes.bfloat16)
    wide, same = lib.two(x)
    assert wide.dtype == np.float32 and same.dtype == ml_dtypes.bfloat16
    x64 = x.astype(np.float64)
    assert nnref.compare(wide, nnref.expected(x64, -1, "f32"), "f32") is None
    assert nnref.compare(same.astype(np.float64), nnref.expected(x64, 0, "bf16"),
                         "bf16") is None


def test_cross_entropy_with_class_indices(lib):
    rng = np.random.default_rng(3)
    logits = rng.standard_normal((6, 10)).astype(np.float32)
    target = np.array([0, 9, 3, -100, 3, 7], dtype=np.int64)
    loss = lib.loss(logits, target)
    assert loss.shape == () and loss.dtype == np.float32
    ref, atol, rtol = trainref.cross_entropy_expected(
        logits.astype(np.float64), target, "f32")
    assert trainref.compare(loss, ref, atol, rtol) is None


def test_reused_from_threads(lib):
    from concurrent.futures import ThreadPoolExecutor
    rng = np.random.default_rng(4)
    xs = [rng.standard_normal((16, 100)).astype(np.float32) for _ in range(8)]
    with ThreadPoolExecutor(4) as pool:
        ys = list(pool.map(lib.main, xs))
    for x, y in zip(xs, ys):
        np.testing.assert_array_equal(y, lib.main(x))


def test_argument_errors(lib):
    with pytest.raises(ValueError, match=r"input #0 is a tensor<2x3xf64>, but "
                                         r"argument #0 is a tensor<\?x\?xf32>"):
        lib.main(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"tensor<3x5xbf16>, but argument #0 is "
                                         r"a tensor<4x\?xbf16>"):
        lib.two(np.zeros((3, 5), ml_dtypes.bfloat16))
    with pytest.raises(TypeError, match=r"takes 2 argument\(s\)"):
        lib.loss(np.zeros((2, 10), np.float32))
    with pytest.raises(TypeError, match="dtype complex64"):
        lib.main(np.zeros((2, 2), np.complex64))


def test_bad_ir_raises_with_the_diagnostic():
    with pytest.raises(nn_mlir.CompileError, match=r"<string>:2:8: error: .*dim"):
        nn_mlir.compile("func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
                        "  %y = nn.logsoftmax %x, dim = 3 : tensor<2xf32> -> "
                        "tensor<2xf32>\n  return %y : tensor<2xf32>\n}\n")
    with pytest.raises(nn_mlir.CompileError, match="model.mlir:1:1"):
        nn_mlir.compile("garbage", source_name="model.mlir")
    with pytest.raises(nn_mlir.CompileError, match="argument #0 of @f has type "
                                                   "'memref<2xf32>'"):
        nn_mlir.compile("func.func @f(%x: memref<2xf32>) { return }")


def test_parser_crash_is_an_exception():
    # The packaged MLIR 22 parser dies of SIGSEGV on this (see
    # test/Tools/upstream-parser-crash.test); the interpreter must not.
    text = ("func.func @f(%x: tensor<2x6xf64>, %i: tensor<2xf64>) -> tensor<2xf64> {\n"
            "  %m = linalg.reduce ins(%x : tensor<2x6xf64>) outs(%i : tensor<2xf64>)"
            " dimensions = Y1]\n"
            "    (%in: f64, %acc: f64) {\n"
            "      %v = arith.maximumf %in, %acc : f64\n"
            "      linalg.yield %v : f64\n    }\n"
            "  return %m : tensor<2xf64>\n}\n")
    with pytest.raises(nn_mlir.CompileError, match="expected '\\['"):
        nn_mlir.compile(text)
    # Still usable afterwards.
    assert nn_mlir.log_softmax(np.zeros(3, np.float32)).shape == (3,)


def test_bad_options():
    with pytest.raises(ValueError, match="target must be 'cpu'"):
        nn_mlir.compile(MODULE, target="cuda")
    with pytest.raises(ValueError, match="threads must be 0"):
        nn_mlir.compile(MODULE, threads=-1)


class DLPackOnly:
    """An array that only speaks DLPack, as a third-party tensor would."""

    def __init__(self, array):
        self.array = array

    def __dlpack__(self, **kwargs):
        return self.array.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self.array.__dlpack_device__()


def test_dlpack_argument(lib):
    x = np.random.default_rng(5).standard_normal((2, 7)).astype(np.float32)
    np.testing.assert_array_equal(lib.main(DLPackOnly(x)), lib.main(x))


def test_compile_from_threads():
    from concurrent.futures import ThreadPoolExecutor

    def work(i):
        if i % 2:
            with pytest.raises(nn_mlir.CompileError, match="dim"):
                nn_mlir.compile(MODULE.replace("dim = 1", "dim = 7"))
            return None
        return nn_mlir.compile(MODULE).main(np.eye(3, dtype=np.float32))

    with ThreadPoolExecutor(4) as pool:
        results = [r for r in pool.map(work, range(8)) if r is not None]
    for y in results:
        np.testing.assert_array_equal(y, results[0])
