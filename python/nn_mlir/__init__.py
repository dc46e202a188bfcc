"""Compile nn-dialect MLIR for this CPU and call it on arrays.

    import nn_mlir
    lib = nn_mlir.compile(mlir_text, target="cpu")   # every public function
    y = lib.main(x)                                   # numpy in, numpy out
    y = nn_mlir.log_softmax(x, dim=-1)                # compiled once, cached

Arguments are numpy arrays of float16, float32, float64, ml_dtypes.bfloat16,
int32 or int64 (class indices), torch CPU tensors of the same types, or any
object with ``__dlpack__``. They are passed to the compiled code in place
when they are C-contiguous and aligned, and copied otherwise. Results are new
numpy arrays, or torch tensors (sharing the same memory, through DLPack) when
an argument was a torch tensor.
"""

import sys
import threading

import ml_dtypes
import numpy as np

from ._nn_mlir import CompileError
from ._nn_mlir import compile as _compile

__all__ = ["CompileError", "Function", "Library", "compile", "log_softmax"]

# numpy dtype <-> MLIR element type.
_ELEMENT_TYPES = {
    np.dtype(np.float16): "f16",
    np.dtype(ml_dtypes.bfloat16): "bf16",
    np.dtype(np.float32): "f32",
    np.dtype(np.float64): "f64",
    np.dtype(np.int32): "i32",
    np.dtype(np.int64): "i64",
}
_DTYPES = {name: dtype for dtype, name in _ELEMENT_TYPES.items()}


def _torch():
    """torch if the program has imported it; nn_mlir never imports it."""
    return sys.modules.get("torch")


def _is_torch_tensor(value):
    torch = _torch()
    return torch is not None and isinstance(value, torch.Tensor)


def _torch_to_numpy(tensor, what):
    """A numpy view of a CPU tensor's memory (DLPack), copying only a
    non-contiguous tensor."""
    torch = _torch()
    if tensor.device.type != "cpu":
        raise ValueError(f"{what} is a torch tensor on {tensor.device}; "
                         "nn_mlir runs on the CPU only")
    tensor = tensor.detach().resolve_conj().resolve_neg().contiguous()
    if tensor.dtype == torch.bfloat16:
        # numpy has no bfloat16, so DLPack cannot carry it: pass the bits.
        return np.from_dlpack(tensor.view(torch.int16)).view(ml_dtypes.bfloat16)
    return np.from_dlpack(tensor)


def _numpy_to_torch(array):
    """A torch tensor sharing `array`'s memory (DLPack)."""
    torch = _torch()
    if array.dtype == ml_dtypes.bfloat16:
        return torch.from_dlpack(array.view(np.int16)).view(torch.bfloat16)
    return torch.from_dlpack(array)


def _to_array(value, what):
    """`value` as a C-contiguous, aligned numpy array of a supported dtype."""
    if _is_torch_tensor(value):
        array = _torch_to_numpy(value, what)
    elif isinstance(value, np.ndarray):
        array = value
    elif hasattr(value, "__dlpack__"):
        array = np.from_dlpack(value)
    else:
        array = np.asarray(value)
    if array.dtype not in _ELEMENT_TYPES:
        raise TypeError(
            f"{what} has dtype {array.dtype}; nn_mlir takes float16, "
            "bfloat16 (ml_dtypes), float32, float64, int32 and int64")
    # Copies only what the compiled code cannot take in place.
    return np.require(array, requirements=["C", "A"])


def _buffer(array):
    return (array.__array_interface__["data"][0], _ELEMENT_TYPES[array.dtype],
            list(array.shape))


def _type_string(element_type, shape):
    dims = "".join(("?" if size < 0 else str(size)) + "x" for size in shape)
    return f"tensor<{dims}{element_type}>"


class Function:
    """One public function of a compiled module; call it with one array per
    argument. Returns the result, or a tuple for several results."""

    def __init__(self, executable, name):
        self._executable = executable
        self.__name__ = name
        arguments, results = executable.signature(name)
        #: The argument types, e.g. ``["tensor<?x10xf32>"]``.
        self.argument_types = [_type_string(*t) for t in arguments]
        #: The result types.
        self.result_types = [_type_string(*t) for t in results]
        self._result_dtypes = [_DTYPES[t] for t, _ in results]

    def __call__(self, *args):
        if len(args) != len(self.argument_types):
            raise TypeError(
                f"@{self.__name__} takes {len(self.argument_types)} "
                f"argument(s) ({', '.join(self.argument_types)}) but "
                f"{len(args)} were given")
        as_torch = any(_is_torch_tensor(a) for a in args)
        arrays = [_to_array(a, f"argument #{i}") for i, a in enumerate(args)]
        inputs = [_buffer(a) for a in arrays]
        shapes = self._executable.result_shapes(self.__name__, inputs)
        results = [np.empty(shape, dtype)
                   for shape, dtype in zip(shapes, self._result_dtypes)]
        self._executable.call(self.__name__, inputs,
                              [_buffer(r) for r in results])
        if as_torch:
            results = [_numpy_to_torch(r) for r in results]
        return results[0] if len(results) == 1 else tuple(results)

    def __repr__(self):
        return (f"<nn_mlir.Function @{self.__name__}: "
                f"({', '.join(self.argument_types)}) -> "
                f"({', '.join(self.result_types)})>")


class Library:
    """The public functions of a compiled module, as attributes (``lib.main``)
    or by name (``lib["main"]``)."""

    def __init__(self, executable):
        self._functions = {
            name: Function(executable, name)
            for name in executable.function_names()
        }

    @property
    def functions(self):
        """The names of the public functions, in the module's order."""
        return list(self._functions)

    def __getitem__(self, name):
        try:
            return self._functions[name]
        except KeyError:
            raise KeyError(f"no public function @{name} (there is "
                           f"{', '.join('@' + f for f in self._functions)})"
                           ) from None

    def __getattr__(self, name):
        functions = self.__dict__.get("_functions", {})
        if name in functions:
            return functions[name]
        raise AttributeError(f"no public function @{name} (there is "
                             f"{', '.join('@' + f for f in functions)})")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._functions))


def compile(mlir_text, target="cpu", *, threads=0, source_name="<string>"):
    """Compiles every public function of the module `mlir_text` for this CPU.

    The module is lowered with ``--nn-cpu-pipeline``, as nn-run does. Its
    public functions must take and return ranked tensors of f16, bf16, f32,
    f64, i32 or i64; dynamic sizes are fine.

    threads: as nn-run's ``--threads``: 0 (default) reads NN_NUM_THREADS at
    each call, else uses every core; 1 runs on the calling thread; N uses N.
    source_name: the file name that diagnostics give.

    Raises CompileError, carrying the diagnostics, for IR that does not
    parse, verify or compile.
    """
    if target != "cpu":
        raise ValueError(f"target must be 'cpu', not {target!r}; the GPU "
                         "pipeline has no runtime in nn_mlir yet")
    if isinstance(mlir_text, bytes):
        mlir_text = mlir_text.decode()
    if not isinstance(threads, int) or isinstance(threads, bool):
        raise TypeError(f"threads must be an int, not {type(threads).__name__}")
    return Library(_compile(mlir_text, source_name, threads))


_log_softmax_cache = {}
_log_softmax_lock = threading.Lock()


def _log_softmax_function(element_type, rank, dim, threads):
    key = (element_type, rank, dim, threads)
    with _log_softmax_lock:
        function = _log_softmax_cache.get(key)
        if function is None:
            tensor = _type_string(element_type, [-1] * rank)
            text = (f"func.func @log_softmax(%x: {tensor}) -> {tensor} {{\n"
                    f"  %y = nn.logsoftmax %x, dim = {dim} : {tensor} -> "
                    f"{tensor}\n"
                    f"  return %y : {tensor}\n}}\n")
            function = compile(text, threads=threads,
                               source_name="<log_softmax>").log_softmax
            _log_softmax_cache[key] = function
        return function


def log_softmax(x, dim=-1, *, threads=0):
    """torch.log_softmax(x, dim) for a float array or tensor of any rank.

    The kernel is compiled on the first call for each (dtype, rank, dim) and
    reused after that; sizes are dynamic. The result has x's dtype.
    """
    as_torch = _is_torch_tensor(x)
    array = _to_array(x, "x")
    if array.dtype.kind not in "fV":
        raise TypeError(f"log_softmax takes a float array, not {array.dtype}")
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"dim must be an int, not {type(dim).__name__}")
    # As PyTorch: a rank-0 tensor takes dim 0 or -1.
    extent = max(array.ndim, 1)
    if not -extent <= dim < extent:
        raise IndexError(f"Dimension out of range (expected to be in range of "
                         f"[{-extent}, {extent - 1}], but got {dim})")
    function = _log_softmax_function(_ELEMENT_TYPES[array.dtype], array.ndim,
                                     int(dim) % extent, threads)
    result = function(array)
    return _numpy_to_torch(result) if as_torch else result
