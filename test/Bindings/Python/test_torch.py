"""torch CPU tensors in and out of nn_mlir, where torch is installed."""

import numpy as np
import pytest

import nn_mlir
import nnref

torch = pytest.importorskip("torch")

TORCH_DTYPES = {"f16": torch.float16, "bf16": torch.bfloat16,
                "f32": torch.float32, "f64": torch.float64}


@pytest.mark.parametrize("dtype", sorted(TORCH_DTYPES))
def test_log_softmax_matches_torch(dtype):
    torch.manual_seed(0)
    x = (torch.randn(6, 45) * 4).to(TORCH_DTYPES[dtype])
    x[0, 5:] = float("-inf")
    for dim in (0, 1, -1):
        y = nn_mlir.log_softmax(x, dim=dim)
        assert isinstance(y, torch.Tensor) and y.dtype == x.dtype
        ref = nnref.expected(x.double().numpy(), dim, dtype)
        assert nnref.compare(y.double().numpy(), ref, dtype) is None
        expected = torch.log_softmax(x.double(), dim).to(x.dtype)
        assert torch.equal(torch.isnan(y), torch.isnan(expected))


def test_results_share_memory_with_numpy():
    x = torch.randn(3, 5)
    lib = nn_mlir.compile("""
      func.func @main(%x: tensor<?x5xf32>) -> tensor<?x5xf32> {
        %y = nn.logsoftmax %x, dim = 1 : tensor<?x5xf32> -> tensor<?x5xf32>
        return %y : tensor<?x5xf32>
      }""")
    y = lib.main(x)
    assert isinstance(y, torch.Tensor)
    torch.testing.assert_close(y, torch.log_softmax(x, 1), rtol=1e-5, atol=1e-5)
    # The input went in without a copy.
    assert nn_mlir._to_array(x, "x").__array_interface__["data"][0] == x.data_ptr()


def test_non_contiguous_and_grad_tensors():
    x = torch.randn(8, 3, requires_grad=True)
    y = nn_mlir.log_softmax(x.t(), dim=1)
    torch.testing.assert_close(y, torch.log_softmax(x.detach().t(), 1),
                               rtol=1e-5, atol=1e-5)


def test_class_indices_from_torch():
    lib = nn_mlir.compile("""
      func.func @loss(%logits: tensor<?x4xf32>, %target: tensor<?xi64>) -> tensor<f32> {
        %loss = "nn.cross_entropy"(%logits, %target) <{ignore_index = -100 : i64, reduction = "sum", label_smoothing = 0.1 : f64}> : (tensor<?x4xf32>, tensor<?xi64>) -> tensor<f32>
        return %loss : tensor<f32>
      }""")
    logits = torch.randn(5, 4)
    target = torch.tensor([0, 3, -100, 1, 2])
    loss = lib.loss(logits, target)
    expected = torch.nn.functional.cross_entropy(
        logits.double(), target, reduction="sum", label_smoothing=0.1)
    torch.testing.assert_close(loss.double(), expected, rtol=1e-5, atol=1e-5)


def test_gpu_tensor_is_refused():
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    with pytest.raises(ValueError, match="CPU only"):
        nn_mlir.log_softmax(torch.zeros(2, device="cuda"))
