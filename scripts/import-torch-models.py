#!/usr/bin/env python3
"""Imports small PyTorch models to linalg-on-tensors with torch-mlir, for the
lit tests of test/Integration/Torch (see docs/torch-mlir.md).

  python3 scripts/import-torch-models.py [--out DIR] [--nn-opt PATH]
                                         [--venv DIR | --no-venv] [--only NAME]

For every model below it writes, into test/Integration/Torch/Inputs/:

  NAME.mlir             the module as torch-mlir prints it (custom assembly,
                        no locations), after a header comment;
  NAME.generic.mlir     the same module in torch-mlir's generic op form;
  NAME[.CASE].ARG.npy   one per function argument;
  NAME[.CASE].expected[.I].npy
                        PyTorch's result, computed here by running the eager
                        module on those inputs (.I when there are several).

Element types in .npy: f32 <f4, f16 <f2, bf16 <f4 holding bf16 values exactly
(nn-run's convention), class indices <i8.

Version skew: torch-mlir 20261001 is built on MLIR 24.0.0git; nn-opt uses
MLIR 22. Its bytecode does not load in MLIR 22 (at any desired_version), so
only text is used. Each module's custom-assembly text is checked here with
nn-opt (--nn-opt, default build/bin/nn-opt, so build first):
`nn-opt --mlir-print-op-generic NAME.mlir` must equal torch-mlir's own
generic print (NAME.generic.mlir) but for blank lines, i.e. MLIR 22 reads the
text as the same ops, attributes and types that torch-mlir built. If the
custom form does not parse or differs, the generic form is tried the same way
and, if it passes, written as NAME.mlir instead; otherwise the script stops
with nn-opt's error. No textual rewrite is made.

Python environment: the script needs torch 2.15.*, torch-mlir 20261001,
numpy, ml_dtypes (torch-mlir needs it for bf16 literals) and packaging (which
torch_mlir.fx imports). Run by an interpreter that has them, it uses it.
Otherwise it creates the virtual environment build-torch/venv (or --venv DIR),
installs them there (torch from https://download.pytorch.org/whl/cpu when
reachable, else from PyPI; the rest from PyPI) and runs itself again in it.
--no-venv stops instead.
"""

import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TORCH_VERSION = "2.15."  # a prefix
TORCH_MLIR_VERSION = "20261001"
REEXEC_MARK = "NN_IMPORT_TORCH_MODELS_REEXEC"


# ---------------------------------------------------------------------------
# The Python environment.

def missing_packages():
    """What this interpreter lacks (pip requirement strings)."""
    from importlib import metadata

    missing = []
    for dist, want in (("torch", TORCH_VERSION), ("torch-mlir", TORCH_MLIR_VERSION),
                       ("numpy", None), ("ml_dtypes", None), ("packaging", None)):
        try:
            have = metadata.version(dist)
        except metadata.PackageNotFoundError:
            have = None
        if have is None or (want and not have.startswith(want)):
            if dist == "torch":
                missing.append("torch==2.15.*")
            elif dist == "torch-mlir":
                missing.append("torch-mlir==" + TORCH_MLIR_VERSION)
            else:
                missing.append(dist)
    return missing


def pip_install(python, packages):
    pip = [python, "-m", "pip", "install", "--disable-pip-version-check"]
    torch = [p for p in packages if p.startswith("torch==")]
    rest = [p for p in packages if not p.startswith("torch==")]
    if torch:
        # The CPU-only wheel is much smaller; PyPI's wheel works as well.
        if subprocess.call(pip + ["--index-url", "https://download.pytorch.org/whl/cpu"] + torch):
            print("import-torch-models: the PyTorch CPU index failed; installing torch from PyPI",
                  file=sys.stderr)
            subprocess.check_call(pip + torch)
    if rest:
        subprocess.check_call(pip + rest)


def ensure_environment(args):
    missing = missing_packages()
    if not missing:
        return
    if args.no_venv:
        sys.exit("import-torch-models: this Python lacks %s (drop --no-venv to install them into %s)"
                 % (", ".join(missing), args.venv))
    venv = os.path.abspath(args.venv)
    python = os.path.join(venv, "bin", "python")
    in_venv = os.path.realpath(sys.prefix) == os.path.realpath(venv)
    if in_venv:
        if os.environ.get(REEXEC_MARK) == "installed":
            sys.exit("import-torch-models: still missing after installing: " + ", ".join(missing))
        print("import-torch-models: installing %s into %s" % (" ".join(missing), venv),
              file=sys.stderr)
        pip_install(python, missing)
        mark = "installed"
    else:
        if not os.path.exists(python):
            print("import-torch-models: creating " + venv, file=sys.stderr)
            subprocess.check_call([sys.executable, "-m", "venv", venv])
        mark = "venv"
    env = dict(os.environ, **{REEXEC_MARK: mark})
    os.execve(python, [python, os.path.abspath(__file__)] + sys.argv[1:], env)


# ---------------------------------------------------------------------------
# The models.

def models():
    """(name, description, module, example args, dynamic_shapes, cases) for
    every model. cases: list of (case suffix or "", {arg name: tensor})."""
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch.export import Dim

    def rand(seed, shape, dtype, scale=1.0, offset=0.0):
        x = np.random.default_rng(seed).standard_normal(shape) * scale + offset
        return torch.from_numpy(x.astype(np.float32)).to(dtype)

    class Head(nn.Module):
        """A classifier head: Linear(16, 10), then LogSoftmax over classes."""

        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(16, 10)
            self.log_softmax = nn.LogSoftmax(dim=1)

        def forward(self, x):
            return self.log_softmax(self.fc(x))

    class CrossEntropy(nn.Module):
        def forward(self, logits, target):
            return F.cross_entropy(logits, target)

    class AttentionScores(nn.Module):
        """log-softmax over keys of q @ k^T / sqrt(16) plus a causal
        additive -inf mask (a buffer, so a constant of the module)."""

        def __init__(self, seq=8):
            super().__init__()
            self.register_buffer("mask", torch.triu(torch.full((seq, seq), float("-inf")), 1))

        def forward(self, q, k):
            scores = q @ k.transpose(-2, -1) / (16 ** 0.5) + self.mask
            return F.log_softmax(scores, dim=-1)

    class Dims(nn.Module):
        """log_softmax of one tensor over dims 0, 1 and -1."""

        def forward(self, x):
            return F.log_softmax(x, 0), F.log_softmax(x, 1), F.log_softmax(x, -1)

    class DimsSplit(nn.Module):
        """log_softmax over dims 0, 1 and -1, each of its own input."""

        def forward(self, a, b, c):
            return F.log_softmax(a, 0), F.log_softmax(b, 1), F.log_softmax(c, -1)

    class Softmax(nn.Module):
        """torch.softmax of one tensor over dims 0, 1 and -1."""

        def forward(self, x):
            return torch.softmax(x, 0), torch.softmax(x, 1), torch.softmax(x, -1)

    class SoftmaxLast(nn.Module):
        def forward(self, x):
            return torch.softmax(x, -1)

    class LogSoftmaxGrad(nn.Module):
        """aten._log_softmax_backward_data(grad_output, output, dim,
        input_dtype), the gradient of log_softmax, over dims 1 and 0."""

        def __init__(self, dtype):
            super().__init__()
            self.dtype = dtype

        def forward(self, grad_output, output):
            grad = torch.ops.aten._log_softmax_backward_data
            return grad(grad_output, output, 1, self.dtype), grad(grad_output, output, 0, self.dtype)

    class NllLogSoftmax(nn.Module):
        def __init__(self, reduction):
            super().__init__()
            self.reduction = reduction

        def forward(self, logits, target):
            return F.nll_loss(F.log_softmax(logits, 1), target, reduction=self.reduction)

    class CrossEntropySmooth(nn.Module):
        def forward(self, logits, target):
            return F.cross_entropy(logits, target, label_smoothing=0.1)

    def seeded(cls, dtype=torch.float32):
        torch.manual_seed(0)
        return cls().to(dtype).eval()

    result = []
    # "large" (16-bit heads): inputs scaled so that logits reach about 100 and
    # two of a row nearly tie; the seeds were picked (by emulating the
    # computation in float64) so that log-softmax of the logits before and
    # after PyTorch rounds them to the 16-bit type differ by several times
    # the spec's tolerance. See head-16bit-logits.test.
    large = {"bf16": (1, 128.0), "f16": (2, 64.0)}
    for tag, dtype in (("f32", torch.float32), ("bf16", torch.bfloat16), ("f16", torch.float16)):
        x = rand(1, (4, 16), dtype)
        cases = [("", {"x": x})]
        if tag in large:
            seed, scale = large[tag]
            cases.append(("large", {"x": rand(seed, (4, 16), dtype, scale=scale)}))
        result.append(("head_" + tag, "Linear(16, 10) + LogSoftmax(dim=1), " + tag,
                       seeded(Head, dtype), (x,), None, cases))
    x = rand(1, (1, 16), torch.float32)
    result.append(("head_b1_f32", "Linear(16, 10) + LogSoftmax(dim=1), f32, batch 1",
                   seeded(Head), (x,), None, [("", {"x": x})]))

    x4, x7 = rand(2, (4, 16), torch.float32), rand(3, (7, 16), torch.float32)
    x1 = rand(11, (1, 16), torch.float32)
    result.append(("head_dyn_f32", "Linear(16, 10) + LogSoftmax(dim=1), f32, dynamic batch",
                   seeded(Head), (x4,), {"x": {0: Dim("batch", min=1, max=1024)}},
                   [("b4", {"x": x4}), ("b7", {"x": x7}), ("b1", {"x": x1})]))

    logits = rand(4, (4, 10), torch.float32, scale=2.0)
    target = torch.tensor([3, -100, 9, 0], dtype=torch.int64)  # -100: ignore_index
    result.append(("cross_entropy_f32", "F.cross_entropy(logits, target), mean, f32",
                   seeded(CrossEntropy), (logits, target), None,
                   [("", {"logits": logits, "target": target})]))

    q, k = rand(5, (2, 8, 16), torch.float32), rand(6, (2, 8, 16), torch.float32)
    result.append(("attention_f32", "log_softmax(q @ k^T / 4 + causal -inf mask, dim=-1), f32",
                   seeded(AttentionScores), (q, k), None, [("", {"q": q, "k": k})]))

    for tag, dtype in (("f32", torch.float32), ("bf16", torch.bfloat16), ("f16", torch.float16)):
        x = rand(7, (3, 4, 5), dtype, scale=4.0, offset=20.0)
        result.append(("dims_" + tag, "log_softmax(x, 0), (x, 1), (x, -1), " + tag,
                       seeded(Dims), (x,), None, [("", {"x": x})]))
    for tag, dtype in (("bf16", torch.bfloat16), ("f16", torch.float16)):
        a, b, c = (rand(s, (3, 4, 5), dtype, scale=4.0, offset=20.0) for s in (8, 9, 10))
        result.append(("dims_split_" + tag, "log_softmax(a, 0), (b, 1), (c, -1), " + tag,
                       seeded(DimsSplit), (a, b, c), None, [("", {"a": a, "b": b, "c": c})]))

    # "masked": -inf entries, among them all of x[1, 2, :] (so softmax over
    # dim -1 of that slice is NaN; over dims 0 and 1 it holds one -inf).
    for tag, dtype in (("f32", torch.float32), ("bf16", torch.bfloat16)):
        x = rand(12, (3, 4, 5), dtype, scale=4.0, offset=20.0)
        cases = [("", {"x": x})]
        if tag == "f32":
            masked = x.clone()
            masked[1, 2, :] = float("-inf")
            masked[0, 0, 1] = masked[2, 3, 4] = masked[0, 1, 0] = float("-inf")
            cases.append(("masked", {"x": masked}))
        result.append(("softmax_" + tag, "torch.softmax(x, 0), (x, 1), (x, -1), " + tag,
                       seeded(Softmax, dtype), (x,), None, cases))
    x4, x7 = rand(13, (4, 10), torch.float32, scale=2.0), rand(14, (7, 10), torch.float32, scale=2.0)
    result.append(("softmax_dyn_f32", "torch.softmax(x, -1), f32, x: ?x10, dynamic batch",
                   seeded(SoftmaxLast), (x4,), {"x": {0: Dim("batch", min=1, max=1024)}},
                   [("b4", {"x": x4}), ("b7", {"x": x7})]))

    # output: log_softmax (dim 1) of random logits, as in a backward pass.
    for tag, dtype in (("f32", torch.float32), ("bf16", torch.bfloat16)):
        grad_output = rand(15, (4, 10), dtype)
        output = F.log_softmax(rand(16, (4, 10), torch.float32, scale=2.0), 1).to(dtype)
        result.append(("logsoftmax_grad_" + tag,
                       "aten._log_softmax_backward_data(grad_output, output, 1, %s), (..., 0, %s), %s"
                       % (dtype, dtype, tag),
                       seeded(lambda: LogSoftmaxGrad(dtype), dtype), (grad_output, output), None,
                       [("", {"grad_output": grad_output, "output": output})]))

    # "ignored": every target is ignore_index ("mean": 0/0 = NaN; "sum": 0).
    logits = rand(17, (6, 10), torch.float32, scale=2.0)
    target = torch.tensor([3, -100, 9, 0, 7, 3], dtype=torch.int64)  # -100: ignore_index
    ignored = torch.full((6,), -100, dtype=torch.int64)
    for reduction in ("mean", "sum", "none"):
        result.append(("nll_logsoftmax_%s_f32" % reduction,
                       "F.nll_loss(F.log_softmax(logits, 1), target, reduction=\"%s\"), f32"
                       % reduction,
                       seeded(lambda: NllLogSoftmax(reduction)), (logits, target), None,
                       [("", {"logits": logits, "target": target}),
                        ("ignored", {"logits": logits, "target": ignored})]))
    result.append(("cross_entropy_smooth_f32",
                   "F.cross_entropy(logits, target, label_smoothing=0.1), mean, f32",
                   seeded(CrossEntropySmooth), (logits, target), None,
                   [("", {"logits": logits, "target": target}),
                    ("ignored", {"logits": logits, "target": ignored})]))
    return result


def to_npy(t):
    """The .npy array of a tensor, in nn-run's conventions."""
    import torch

    t = t.detach()
    if t.dtype == torch.bfloat16:
        return t.to(torch.float32).numpy().astype("<f4")  # exact
    if t.dtype == torch.float16:
        return t.numpy().astype("<f2")
    if t.dtype == torch.float32:
        return t.numpy().astype("<f4")
    if t.dtype == torch.int64:
        return t.numpy().astype("<i8")
    raise ValueError("no .npy convention for %s" % t.dtype)


# ---------------------------------------------------------------------------
# Import and check.

def nn_opt_generic(nn_opt, path):
    """nn-opt's generic print of the module in `path`, or (None, error)."""
    run = subprocess.run([nn_opt, "--mlir-print-op-generic", path], capture_output=True, text=True)
    if run.returncode:
        return None, run.stderr.strip()
    return run.stdout, None


def same_but_blank_lines(a, b):
    return [l for l in a.splitlines() if l.strip()] == [l for l in b.splitlines() if l.strip()]


def import_model(name, description, module, example, dynamic_shapes, cases, out, nn_opt, header):
    import torch
    from torch_mlir import fx

    kwargs = {"dynamic_shapes": dynamic_shapes} if dynamic_shapes else {}
    mlir = fx.export_and_import(module, *example, output_type="linalg-on-tensors", **kwargs)
    custom = str(mlir)
    generic = mlir.operation.get_asm(print_generic_op_form=True)

    generic_path = os.path.join(out, name + ".generic.mlir")
    with open(generic_path, "w") as f:
        f.write(generic)
    path = os.path.join(out, name + ".mlir")
    form = None
    errors = []
    for text, label in ((custom, "custom assembly"), (generic, "generic form")):
        with open(path, "w") as f:
            f.write("// %s: %s.\n%s\n%s" % (name, description, header, text))
        reread, error = nn_opt_generic(nn_opt, path)
        if error:
            errors.append("%s: nn-opt rejects it:\n%s" % (label, error))
        elif not same_but_blank_lines(reread, generic):
            errors.append("%s: nn-opt reads it as a different module (compare %s with "
                          "`nn-opt --mlir-print-op-generic %s`)" % (label, generic_path, path))
        else:
            form = label
            break
    if form is None:
        os.remove(path)
        sys.exit("import-torch-models: %s:\n%s" % (name, "\n".join(errors)))

    with torch.no_grad():
        for case, inputs in cases:
            stem = os.path.join(out, name + ("." + case if case else ""))
            results = module(*inputs.values())
            results = results if isinstance(results, tuple) else (results,)
            for arg, value in inputs.items():
                save(stem + "." + arg + ".npy", to_npy(value))
            for i, value in enumerate(results):
                save(stem + ".expected" + ("." + str(i) if len(results) > 1 else "") + ".npy",
                     to_npy(value))
    print("%s: %s (%s)" % (name, description, form))


def save(path, array):
    import numpy as np
    np.save(path, array)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "test", "Integration", "Torch", "Inputs"))
    parser.add_argument("--nn-opt", default=os.path.join(ROOT, "build", "bin", "nn-opt"))
    parser.add_argument("--venv", default=os.path.join(ROOT, "build-torch", "venv"))
    parser.add_argument("--no-venv", action="store_true",
                        help="use this Python as it is; stop if it lacks a package")
    parser.add_argument("--only", help="import only models whose name contains this")
    args = parser.parse_args()
    ensure_environment(args)

    if not os.access(args.nn_opt, os.X_OK):
        sys.exit("import-torch-models: no nn-opt at %s (build it, or pass --nn-opt)" % args.nn_opt)
    from importlib import metadata
    import torch
    header = ("// Generated by scripts/import-torch-models.py (torch %s, torch-mlir %s, "
              "output_type=\"linalg-on-tensors\"); do not edit."
              % (torch.__version__.split("+")[0], metadata.version("torch-mlir")))
    os.makedirs(args.out, exist_ok=True)
    for name, *rest in models():
        if args.only and args.only not in name:
            continue
        import_model(name, *rest, args.out, args.nn_opt, header)


if __name__ == "__main__":
    main()
