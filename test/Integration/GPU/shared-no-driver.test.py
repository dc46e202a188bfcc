"""Loads a --target=nvptx library without a GPU and calls one kernel."""
import ctypes
import sys

lib = ctypes.CDLL(sys.argv[1])
lib.nn_cuda_last_error.restype = ctypes.c_char_p
names = ["_mlir_ciface_warp_f32", "_mlir_ciface_columns_f64", "nn_cuda_last_error"]
print("exported: " + " ".join(n for n in names if hasattr(lib, n)))
# The image is loaded when the library is: the error is already known.
print("before: " + (lib.nn_cuda_last_error() or b"none").decode())


class Memref2(ctypes.Structure):
    _fields_ = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
                ("offset", ctypes.c_int64), ("sizes", ctypes.c_int64 * 2),
                ("strides", ctypes.c_int64 * 2)]


rows, cols = 4096, 512
x = (ctypes.c_float * (rows * cols))()
y = (ctypes.c_float * (rows * cols))(*([7.0] * (rows * cols)))
xd = Memref2(ctypes.addressof(x), ctypes.addressof(x), 0, (rows, cols), (cols, 1))
yd = Memref2(ctypes.addressof(y), ctypes.addressof(y), 0, (rows, cols), (cols, 1))
lib._mlir_ciface_warp_f32(ctypes.byref(xd), ctypes.byref(yd))
print("after: " + (lib.nn_cuda_last_error() or b"none").decode())
print("output untouched: %s" % all(v == 7.0 for v in y))
