#!/usr/bin/env python3
"""Writes seed corpora for the fuzzers into OUT/{ir,npy,argument}.

ir:       every MLIR chunk of test/ and examples/ (split at `// -----`),
          with comment lines dropped.
npy:      small .npy files of every dtype and rank numpy writes, plus the
          variants the reader must refuse (Fortran order, big-endian, v2).
argument: ArgumentFuzzer inputs (see its header) around those.
"""
import io
import pathlib
import sys

import numpy as np

root = pathlib.Path(__file__).resolve().parent.parent
out = pathlib.Path(sys.argv[1])
for sub in ("ir", "npy", "argument"):
    (out / sub).mkdir(parents=True, exist_ok=True)

count = 0
for path in sorted(list((root / "test").rglob("*.mlir")) +
                   list((root / "examples").rglob("*.mlir"))):
    for i, chunk in enumerate(path.read_text().split("// -----")):
        text = "\n".join(line for line in chunk.splitlines()
                         if not line.lstrip().startswith("//")).strip()
        if text and len(text) <= 4096:
            (out / "ir" / f"{path.stem}-{i}.mlir").write_text(text + "\n")
            count += 1


def npy_bytes(array, version=None):
    buffer = io.BytesIO()
    if version:
        np.lib.format.write_array(buffer, array, version=version)
    else:
        np.save(buffer, array)
    return buffer.getvalue()


npys = {}
rng = np.random.default_rng(0)
for dtype in ("<f2", "<f4", "<f8"):
    for shape in ((), (3,), (2, 3), (1, 2, 2), (0, 4)):
        npys[f"{dtype[1:]}-{'x'.join(map(str, shape)) or 'scalar'}"] = \
            npy_bytes(rng.standard_normal(shape).astype(dtype))
npys["fortran"] = npy_bytes(np.asfortranarray(np.ones((2, 3), "<f4")))
npys["big-endian"] = npy_bytes(np.ones((2, 2), ">f4"))
npys["v2"] = npy_bytes(np.ones((2, 2), "<f4"), version=(2, 0))
npys["int32"] = npy_bytes(np.arange(4, dtype="<i4"))
for name, data in npys.items():
    (out / "npy" / f"{name}.npy").write_bytes(data)

kinds = {"f16": 0, "bf16": 1, "f32": 2, "f64": 3}
arguments = {
    "inline-f32": (2, [2, 3], 0, b"2x3xf32=1 2 3 4 5 6"),
    "inline-dynamic": (2, [0x80], 0, b"4xf32=1,2,inf,nan"),
    "inline-bf16": (1, [2], 0, b"2xbf16=-1 0.5"),
    "inline-scalar": (3, [], 0, b"f64=0.25"),
    "file-f32": (2, [2, 3], 1, npys["f4-2x3"]),
    "file-bf16": (1, [2, 3], 1, npys["f4-2x3"]),
    "file-f16": (0, [3], 1, npys["f2-3"]),
    "file-wrong": (3, [2, 2], 1, npys["fortran"]),
}
for name, (kind, dims, mode, payload) in arguments.items():
    header = bytes([kind | (len(dims) << 2)] + dims + [mode])
    (out / "argument" / name).write_bytes(header + payload)

print(f"seeds: {count} IR chunks, {len(npys)} .npy files, "
      f"{len(arguments)} arguments in {out}")
