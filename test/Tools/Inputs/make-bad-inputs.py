"""Writes the malformed inputs of the test/Tools error tests into a folder.

    %python %S/Inputs/make-bad-inputs.py %t

Every .npy is meant for an argument of type tensor<2x4xf32>; `good.npy` is
the one valid file. The broken headers are written by hand, byte by byte,
so that numpy's own checks do not stand in the way.
"""

import os
import struct
import sys

import numpy as np


def npy_bytes(header, data=b"", version=1, header_length=None):
    """An .npy file with `header` (the dict literal) padded like numpy's."""
    prefix = 10 if version == 1 else 12
    raw = header.encode("latin-1")
    raw += b" " * ((64 - (prefix + len(raw) + 1) % 64) % 64) + b"\n"
    if header_length is None:
        header_length = len(raw)
    length = (struct.pack("<H", header_length) if version == 1
              else struct.pack("<I", header_length))
    return b"\x93NUMPY" + bytes([version, 0]) + length + raw + data


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    x = np.arange(8, dtype="<f4").reshape(2, 4)
    data = x.tobytes()
    f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }"

    np.save(os.path.join(out, "good.npy"), x)
    np.save(os.path.join(out, "int32.npy"), x.astype("<i4"))
    np.save(os.path.join(out, "uint8.npy"), x.astype("u1"))
    np.save(os.path.join(out, "f64.npy"), x.astype("<f8"))
    np.save(os.path.join(out, "rank1.npy"), x.reshape(8))
    np.save(os.path.join(out, "rank3.npy"), x.reshape(2, 4, 1))
    np.save(os.path.join(out, "shape4x2.npy"), x.reshape(4, 2))
    np.save(os.path.join(out, "fortran.npy"), np.asfortranarray(x))
    np.save(os.path.join(out, "big-endian.npy"), x.astype(">f4"))
    np.save(os.path.join(out, "object.npy"), x.astype(object),
            allow_pickle=True)
    good = npy_bytes(f4 % "(2, 4)", data)
    assert good == open(os.path.join(out, "good.npy"), "rb").read()
    write("truncated-data.npy", good[:-4])
    write("extra-data.npy", good + b"\0" * 4)
    write("corrupt-header.npy", npy_bytes("{'descr': '<f4', 'fortran_order' False, 'shape': (2, 4), }", data))
    write("not-a-dict.npy", npy_bytes("this is not a dict", data))
    write("fortran-not-bool.npy", npy_bytes("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 4), }", data))
    write("missing-shape.npy", npy_bytes("{'descr': '<f4', 'fortran_order': False, }", data))
    write("negative-shape.npy", npy_bytes(f4 % "(-2, 4)", data))
    # The v1 header length field says 65535 bytes; the file is much shorter.
    write("oversized-header-v1.npy", npy_bytes(f4 % "(2, 4)", data, header_length=0xFFFF))
    write("oversized-header-v2.npy", npy_bytes(f4 % "(2, 4)", data, version=2, header_length=0xFFFFFFFF))
    # 2^32 * 2^32 = 2^64 elements: the element count overflows 64 bits.
    write("count-overflow.npy", npy_bytes(f4 % "(4294967296, 4294967296)"))
    # 2^62 elements fit in 64 bits, 2^62 * 4 bytes do not.
    write("bytes-overflow.npy", npy_bytes(f4 % "(4611686018427387904,)"))
    # A single size beyond 2^64.
    write("size-overflow.npy", npy_bytes(f4 % "(99999999999999999999, 4)"))
    # Plausible sizes, no data: must fail without allocating 2^40 elements.
    write("huge-no-data.npy", npy_bytes(f4 % "(1048576, 1048576)"))
    write("version-9.npy", npy_bytes(f4 % "(2, 4)", data)[:6] + b"\x09\x00" + npy_bytes(f4 % "(2, 4)", data)[8:])
    write("magic-only.npy", b"\x93NUMPY")
    write("text.npy", b"hello, this is not an npy file\n")
    write("empty.npy", b"")

    # Binary garbage for the module readers: the start of an ELF header.
    write("garbage.mlir", b"\x7fELF\x02\x01\x01\x00" + bytes(range(0x80, 0x100)))
    write("empty.mlir", b"")


if __name__ == "__main__":
    main()
