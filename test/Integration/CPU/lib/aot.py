"""Runs log-softmax cases through nn-compile'd shared libraries, called with
ctypes through the _mlir_ciface_ ABI, for one --target-cpu.

Every case is compiled once (static or dynamic shapes), run with
NN_NUM_THREADS=1 and =2, checked against the float64 reference of nnref.py
with the spec's tolerances, and the two runs must be bit-identical.

  aot.py --nn-compile PATH --work DIR --target-cpu CPU
"""

import argparse
import ctypes
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nnref  # noqa: E402

# How each element type sits in memory: bf16 as raw 16-bit values.
STORAGE = {"f16": np.float16, "bf16": np.uint16, "f32": np.float32,
           "f64": np.float64}


def placed_empty(shape, dtype, skip_elements):
    """An array whose data starts `skip_elements` elements past a 64-byte
    boundary (0: on the boundary)."""
    itemsize = np.dtype(dtype).itemsize
    count = int(np.prod(shape))
    raw = np.empty(count * itemsize + 128, dtype=np.uint8)
    skip = (64 - raw.ctypes.data % 64) % 64 + skip_elements * itemsize
    return raw[skip:skip + count * itemsize].view(dtype).reshape(shape)


def unaligned_empty(shape, dtype):
    """An array whose data starts one element past a 64-byte boundary."""
    return placed_empty(shape, dtype, 1)


def descriptor_type(rank):
    fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
              ("offset", ctypes.c_int64)]
    if rank:
        fields += [("sizes", ctypes.c_int64 * rank),
                   ("strides", ctypes.c_int64 * rank)]
    return type("Memref%dD" % rank, (ctypes.Structure,), {"_fields_": fields})


def descriptor(array):
    desc = descriptor_type(array.ndim)()
    desc.allocated = desc.aligned = array.ctypes.data
    desc.offset = 0
    for i, size in enumerate(array.shape):
        desc.sizes[i] = size
        desc.strides[i] = array.strides[i] // array.itemsize
    return desc


def to_storage(values, dtype):
    """float64 values (already representable) to the buffer layout."""
    if dtype == "bf16":
        return (np.asarray(values, np.float32).view(np.uint32) >> 16).astype(np.uint16)
    return np.ascontiguousarray(values, dtype=STORAGE[dtype])


def from_storage(buffer, dtype):
    if dtype == "bf16":
        return (buffer.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return buffer.astype(np.float64)


def cases():
    rng = np.random.default_rng(20261125)
    edge = np.array([[0, 1, 2, -np.inf], [1e4, 1e4 + 1, 1e4 + 2, -np.inf],
                     [-np.inf] * 4, [np.nan, 0, 1, 2], [np.inf, 0, 1, 2]])
    for dtype, out in (("f32", "f32"), ("f64", "f64"), ("f16", "f16"),
                       ("bf16", "bf16"), ("bf16", "f32"), ("f16", "f64")):
        for shape, dim in (((7, 1000), 1), ((3, 130), -1), ((5, 70001), 1),
                           ((64, 16), 1), ((6, 40, 33), 1), ((40, 17), 0),
                           ((1, 3), 1)):
            for dynamic in (False, True):
                if shape == (5, 70001) and dtype not in ("f32", "bf16"):
                    continue
                x = rng.normal(0, 4, shape)
                yield dtype, out, shape, dim, dynamic, x
        yield dtype, out, edge.shape, 1, False, edge


def module(name, dtype, out, shape, dim, dynamic, op="logsoftmax"):
    """A function @name applying nn.<op> (logsoftmax or softmax) along dim."""
    dims = ["?" if dynamic else str(s) for s in shape]
    tin = "tensor<%s>" % "x".join(dims + [dtype])
    tout = "tensor<%s>" % "x".join(dims + [out])
    return ("func.func @%s(%%x: %s) -> %s {\n"
            "  %%y = \"nn.%s\"(%%x) <{dim = %d : i64}> : (%s) -> %s\n"
            "  return %%y : %s\n}\n" % (name, tin, tout, op, dim, tin, tout, tout))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nn-compile", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--target-cpu", required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)

    failures = 0
    for i, (dtype, out, shape, dim, dynamic, x) in enumerate(cases()):
        name = "case%d" % i
        label = "%s %s->%s %s dim=%d %s" % (args.target_cpu, dtype, out,
                                           "x".join(map(str, shape)), dim,
                                           "dynamic" if dynamic else "static")
        source = os.path.join(args.work, name + ".mlir")
        library = os.path.join(args.work, name + ".so")
        with open(source, "w") as f:
            f.write(module(name, dtype, out, shape, dim, dynamic))
        subprocess.run([args.nn_compile, source, "-o", library, "--emit=shared",
                        "--target-cpu=" + args.target_cpu], check=True)
        kernel = getattr(ctypes.CDLL(library), "_mlir_ciface_" + name)

        x_rounded = nnref.round_to(x, dtype)
        x_buffer = to_storage(x_rounded, dtype)
        outputs = []
        for threads in ("1", "2"):
            os.environ["NN_NUM_THREADS"] = threads
            y_buffer = np.zeros(shape, dtype=STORAGE[out])
            x_desc, y_desc = descriptor(x_buffer), descriptor(y_buffer)
            kernel(ctypes.byref(x_desc), ctypes.byref(y_desc))
            outputs.append(y_buffer)
        reason = nnref.compare(from_storage(outputs[0], out),
                               nnref.expected(x_rounded, dim, out), out)
        if reason is None and outputs[0].tobytes() != outputs[1].tobytes():
            reason = "results differ between 1 and 2 threads"
        if reason:
            failures += 1
            print("FAIL %s: %s" % (label, reason))
        else:
            print("PASS %s" % label)
    print("%d failure(s)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
