"""Case runner for the nn.logsoftmax execution tests.

A case is one function in one module file: its arguments (shape, element type,
which sizes are dynamic, data) and its results (each an nn.logsoftmax of one
argument along a dim, into a result element type). The runner writes the module
and the input .npy files into the work directory, runs nn-run, reads the output
.npy files back and compares them with the float64 reference of nnref.py. It
prints one line per case, `PASS name` or `FAIL name: reason (max error, worst
index)`.
"""

import os
import shlex
import subprocess
import sys
import time
import zlib

import numpy as np

import nnref

BASE_SEED = 20240611


class Arg:
    """One function argument.

    shape: tuple of sizes; dtype: f16/bf16/f32/f64; dyn: tuple of bools (True:
    the size is `?` in the function type) or "all"/"none"; data: a float64
    array of `shape`, or a callable (rng, shape) -> array."""

    def __init__(self, shape, dtype, data, dyn="none"):
        self.shape = tuple(int(s) for s in shape)
        self.dtype = dtype
        if dyn == "none":
            dyn = (False,) * len(self.shape)
        elif dyn == "all":
            dyn = (True,) * len(self.shape)
        self.dyn = tuple(bool(d) for d in dyn)
        assert len(self.dyn) == len(self.shape), (shape, dyn)
        assert dtype in nnref.DTYPES, dtype
        self.data = data

    def type_str(self):
        dims = "".join(("?" if d else str(s)) + "x" for s, d in zip(self.shape, self.dyn))
        return "tensor<%s%s>" % (dims, self.dtype)


class Result:
    """One function result: nn.logsoftmax of argument `arg` along `dim`."""

    def __init__(self, arg, dim, out_dtype):
        self.arg = arg
        self.dim = dim
        self.out_dtype = out_dtype


class Case:
    """mode: "npy" (inputs and outputs through .npy files), "inline" (inputs on
    the command line as SHAPExTYPE=VALUES, outputs through .npy) or "stdin"
    (the module on stdin as `-`, .npy files otherwise).

    same_as: the name of an earlier case whose outputs must be bitwise
    identical to this case's (same data, other static/dynamic mask).
    check: optional callable (inputs, outputs) -> None or a failure reason.
    env: extra environment variables for nn-run (e.g. NN_NUM_THREADS).
    extra_args: more nn-run options (e.g. --threads=2)."""

    def __init__(self, name, args, results, mode="npy", function="main", same_as=None,
                 check=None, env=None, extra_args=()):
        self.name = name
        self.env = env
        self.extra_args = list(extra_args)
        self.args = args
        self.results = results
        self.mode = mode
        self.function = function
        self.same_as = same_as
        self.check = check
        for r in results:
            a = args[r.arg]
            assert r.out_dtype in nnref.WIDER[a.dtype], (name, a.dtype, r.out_dtype)
            nnref.normalize_dim(r.dim, len(a.shape))


def single(name, shape, dim, dtype, data, out_dtype=None, dyn="none", **kw):
    """A case of one argument and one logsoftmax."""
    return Case(name, [Arg(shape, dtype, data, dyn)], [Result(0, dim, out_dtype or dtype)], **kw)


def module_text(case):
    args = ", ".join("%%a%d: %s" % (i, a.type_str()) for i, a in enumerate(case.args))
    res_types = []
    lines = []
    for j, r in enumerate(case.results):
        a = case.args[r.arg]
        in_t = a.type_str()
        out_t = "tensor<%s%s>" % ("".join(("?" if d else str(s)) + "x"
                                          for s, d in zip(a.shape, a.dyn)), r.out_dtype)
        res_types.append(out_t)
        lines.append('  %%r%d = "nn.logsoftmax"(%%a%d) <{dim = %d : i64}> : (%s) -> %s'
                     % (j, r.arg, r.dim, in_t, out_t))
    rt = res_types[0] if len(res_types) == 1 else "(" + ", ".join(res_types) + ")"
    text = "// case %s\n" % case.name
    text += "func.func @%s(%s) -> %s {\n" % (case.function, args, rt)
    text += "\n".join(lines) + "\n"
    text += "  return %s : %s\n" % (", ".join("%%r%d" % j for j in range(len(case.results))),
                                     ", ".join(res_types))
    text += "}\n"
    return text


def case_rng(name):
    return np.random.default_rng([BASE_SEED, zlib.crc32(name.encode())])


def materialize(case):
    """Float64 data of every argument."""
    rng = case_rng(case.name)
    out = []
    for a in case.args:
        d = a.data(rng, a.shape) if callable(a.data) else a.data
        d = np.asarray(d, dtype=np.float64)
        if d.shape != a.shape:
            d = d.reshape(a.shape)
        out.append(d)
    return out


def inline_spec(values, arg):
    dims = "".join("%dx" % s for s in arg.shape)
    text = " ".join(repr(float(v)) for v in values.reshape(-1))
    return "%s%s=%s" % (dims, arg.dtype, text)


def safe_name(name):
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


class CannotRun(Exception):
    """nn-run could not be started at all: the remaining cases are skipped."""


def describe_failure(proc):
    """A one-line summary of a failed nn-run: exit status or signal, the
    diagnostics, and for a crash the first MLIR/nn frames of the stack dump."""
    lines = proc.stderr.strip().splitlines()
    rc = proc.returncode
    if rc < 0:
        head = "nn-run crashed with signal %d" % -rc
    else:
        head = "nn-run exited with %d" % rc
    if "Stack dump:" in proc.stderr:
        frames = []
        for l in lines:
            l = l.strip()
            if l.startswith("#") and ("mlir::" in l or "nn::" in l):
                frames.append(l.split(" ", 2)[-1].split("(")[0].strip())
        diags = [l for l in lines if "error:" in l][:2]
        return "%s%s; stack: %s" % (head, (": " + " | ".join(diags)) if diags else "",
                                     " <- ".join(frames[:4]) or "(no MLIR frames)")
    if not lines:
        return head + " (no stderr)"
    return "%s: %s" % (head, " | ".join(lines[:6]))


class Runner:
    def __init__(self, nn_run, work, timeout=300, verbose=False):
        self.nn_run = nn_run
        self.work = work
        self.timeout = timeout
        self.verbose = verbose
        self.outputs = {}
        self.failures = []
        self.count = 0
        os.makedirs(work, exist_ok=True)

    def fail(self, case, reason, cmd=None):
        self.failures.append(case.name)
        print("FAIL %s: %s" % (case.name, reason))
        if cmd is not None:
            print("  reproduce: %s" % cmd)
        sys.stdout.flush()

    def run(self, case):
        self.count += 1
        base = os.path.join(self.work, safe_name(case.name))
        mlir = base + ".mlir"
        text = module_text(case)
        with open(mlir, "w") as f:
            f.write(text)
        data = materialize(case)
        seen = []  # exact values the function sees, float64
        cmd = [self.nn_run, "-" if case.mode == "stdin" else mlir,
               "--function=" + case.function] + case.extra_args
        for i, (a, d) in enumerate(zip(case.args, data)):
            if case.mode == "inline":
                cmd.append("--input=" + inline_spec(d, a))
                seen.append(nnref.round_to(d, a.dtype))
            else:
                npy = nnref.to_npy_input(d, a.dtype)
                path = "%s.in%d.npy" % (base, i)
                np.save(path, npy)
                cmd.append("--input=@" + path)
                seen.append(nnref.rounded_input(npy, a.dtype))
        outs = []
        for j in range(len(case.results)):
            path = "%s.out%d.npy" % (base, j)
            if os.path.exists(path):
                os.remove(path)
            outs.append(path)
            cmd.append("--output=@" + path)
        shown = " ".join(shlex.quote(c) for c in cmd)
        env = None
        if case.env:
            env = dict(os.environ, **case.env)
            shown = " ".join("%s=%s" % kv for kv in sorted(case.env.items())) + " " + shown
        if case.mode == "stdin":
            shown += " < " + shlex.quote(mlir)
        if case.mode == "inline" and len(shown) > 400:
            shown = shown[:400] + "..."
        start = time.time()
        try:
            proc = subprocess.run(cmd, input=text if case.mode == "stdin" else None,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  universal_newlines=True, timeout=self.timeout, env=env)
        except subprocess.TimeoutExpired:
            return self.fail(case, "nn-run timed out after %ds" % self.timeout, shown)
        except OSError as e:
            self.fail(case, "cannot run nn-run: %s" % e, shown)
            raise CannotRun(str(e))
        elapsed = time.time() - start
        if proc.returncode != 0:
            return self.fail(case, describe_failure(proc), shown)

        reasons = []
        got = []
        for j, (r, path) in enumerate(zip(case.results, outs)):
            a = case.args[r.arg]
            tag = "result #%d: " % j if len(case.results) > 1 else ""
            if not os.path.exists(path):
                reasons.append(tag + "no output file written")
                got.append(None)
                continue
            y = np.load(path)
            got.append(y)
            want_dt = nnref.NPY_DTYPE[r.out_dtype]
            if y.dtype != want_dt:
                reasons.append(tag + "output .npy has dtype %s, expected %s" % (y.dtype.str, want_dt.str))
                continue
            if y.shape != a.shape:
                reasons.append(tag + "output shape %s, expected %s" % (y.shape, a.shape))
                continue
            if r.out_dtype == "bf16":
                yb = nnref.f32_to_bf16(y)
                ok = (yb == y) | (np.isnan(y) & np.isnan(yb))
                if not ok.all():
                    k = int(np.flatnonzero(~ok.reshape(-1))[0])
                    reasons.append(tag + "bf16 result holds a value that is not bf16: %r"
                                   % float(y.reshape(-1)[k]))
                    continue
            ref = nnref.expected(seen[r.arg], r.dim, r.out_dtype)
            msg = nnref.compare(y, ref, r.out_dtype)
            if msg:
                reasons.append(tag + msg)
        if not reasons and case.check is not None:
            msg = case.check(seen, got)
            if msg:
                reasons.append(msg)
        if not reasons and case.same_as is not None:
            other = self.outputs.get(case.same_as)
            if other is None:
                reasons.append("no outputs of %s to compare with" % case.same_as)
            else:
                for j, (y0, y1) in enumerate(zip(other, got)):
                    if not np.array_equal(y0, y1, equal_nan=True):
                        diff = ~((y0 == y1) | (np.isnan(y0) & np.isnan(y1)))
                        k = int(np.flatnonzero(diff.reshape(-1))[0])
                        idx = np.unravel_index(k, y0.shape) if y0.ndim else ()
                        reasons.append("result #%d differs from %s at %d element(s), first at %s: "
                                       "%r vs %r" % (j, case.same_as, int(diff.sum()),
                                                     tuple(int(i) for i in idx),
                                                     float(y1.reshape(-1)[k]),
                                                     float(y0.reshape(-1)[k])))
        self.outputs[case.name] = got
        if reasons:
            return self.fail(case, "; ".join(reasons), shown)
        print("PASS %s%s" % (case.name, " (%.2fs)" % elapsed if self.verbose else ""))
        sys.stdout.flush()


class ErrorCase:
    """nn-run must fail: exit status 1 and `expect` on stderr.

    module: module text written to NAME.mlir (passed as the file, or on stdin
    when `stdin`); args: the remaining command-line arguments, where {dir} is
    replaced by the work directory."""

    def __init__(self, name, module, args, expect="nn-run: error:", stdin=False, file=None):
        self.name = name
        self.file = file
        self.module = module
        self.args = args
        self.expect = expect
        self.stdin = stdin


def run_error(runner, case):
    runner.count += 1
    base = os.path.join(runner.work, safe_name(case.name))
    mlir = base + ".mlir"
    with open(mlir, "w") as f:
        f.write(case.module)
    target = "-" if case.stdin else mlir
    if case.file:
        target = case.file.replace("{dir}", runner.work)
    cmd = [runner.nn_run, target] + [
        a.replace("{dir}", runner.work) for a in case.args]
    shown = " ".join(shlex.quote(c) for c in cmd) + (" < " + mlir if case.stdin else "")
    try:
        proc = subprocess.run(cmd, input=case.module if case.stdin else None,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=runner.timeout)
    except subprocess.TimeoutExpired:
        return runner.fail(case, "nn-run timed out", shown)
    except OSError as e:
        runner.fail(case, "cannot run nn-run: %s" % e, shown)
        raise CannotRun(str(e))
    err = proc.stderr.strip()
    if proc.returncode != 1:
        return runner.fail(case, "exit status %d, expected 1 (stderr: %s)"
                           % (proc.returncode, err[:300] or "empty"), shown)
    if case.expect not in err:
        return runner.fail(case, "stderr lacks %r: %s" % (case.expect, err[:300] or "empty"),
                           shown)
    print("PASS %s" % case.name)
    sys.stdout.flush()
