"""Static quality of nn-mlir's GPU kernels, read off their PTX and ptxas -v.

  kernel_stats.py KERNELS.ptx --ptxas PTXAS --arch sm_90
  kernel_stats.py KERNELS.ptx --ptxas PTXAS --cuobjdump CUOBJDUMP  (adds SASS)

For every .entry, one line:

  <name> threads=T regs=R spill=S local=L smem=B blocks/SM=K occupancy=P%
      ld=<widths> st=<widths> ex2=E libcalls=C loop[ld=... st=... ex2=...]

- widths: the global loads (stores) by access width in bits, e.g. 128x4
  for four ld.global.v4.b32;
- ex2: ex2.approx instructions (one MUFU.EX2 each);
- libcalls: calls left in the kernel (libdevice functions that were not
  inlined);
- loop[...]: the same counts inside the innermost loops (a label with a
  backward branch to it), one iteration;
- with --cuobjdump, the SASS of the cubin ptxas wrote: sass=N instructions,
  LDG/STG by width, MUFU.EX2, local accesses (LDL/STL), and the same inside
  the innermost loops (a backward BRA);
- blocks/SM and occupancy: what the registers, shared memory and block size
  allow on one SM of the architecture (65536 registers allocated per warp
  in units of 256, 64 warps, 32 blocks, 228 KB shared memory on sm_80 and
  sm_90).
"""

import argparse
import re
import subprocess
import sys
from collections import Counter

ENTRY = re.compile(r"^\.visible \.entry (\w+)\(")
# nn-mlir and IREE write .maxntid x, y, z; Triton .reqntid x.
MAXNTID = re.compile(r"^\.(?:maxntid|reqntid) (\d+)(?:, (\d+), (\d+))?")
ACCESS = re.compile(r"\b(ld|st)\.global(?:\.nc)?(?:\.v(\d))?\.[a-z]+(\d+)\b")
LABEL = re.compile(r"^(\$L\w+):")
BRANCH = re.compile(r"\bbra(?:\.uni)?\s+(\$L\w+);")

PTXAS_ENTRY = re.compile(r"Compiling entry function '(\w+)'")
PTXAS_SPILL = re.compile(r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads")
PTXAS_REGS = re.compile(r"Used (\d+) registers")
PTXAS_SMEM = re.compile(r"(\d+) bytes smem")


def entries(ptx):
    """{name: (lines of the body, threads per block)}"""
    out, name, body, threads = {}, None, [], 1
    for line in ptx.splitlines():
        m = ENTRY.match(line)
        if m:
            if name:
                out[name] = (body, threads)
            name, body, threads = m.group(1), [], 1
            continue
        m = MAXNTID.match(line)
        if m and name:
            threads = int(m.group(1)) * int(m.group(2) or 1) * int(m.group(3) or 1)
        if name:
            body.append(line)
    if name:
        out[name] = (body, threads)
    return out


def counts(lines):
    loads, stores, ex2, calls = Counter(), Counter(), 0, 0
    for line in lines:
        for kind, vector, bits in ACCESS.findall(line):
            width = int(bits) * (int(vector) if vector else 1)
            (loads if kind == "ld" else stores)[width] += 1
        if "ex2.approx" in line:
            ex2 += 1
        if re.search(r"\bcall(?:\.uni)?\b", line):
            calls += 1
    return loads, stores, ex2, calls


def innermost_loops(lines):
    """Line ranges [label, branch] of loops that hold no other loop."""
    labels = {}
    loops = []
    for i, line in enumerate(lines):
        m = LABEL.match(line.strip())
        if m:
            labels[m.group(1)] = i
        m = BRANCH.search(line)
        if m and m.group(1) in labels and labels[m.group(1)] < i:
            loops.append((labels[m.group(1)], i))
    return [(a, b) for a, b in loops
            if not any(a < c and d < b for c, d in loops if (c, d) != (a, b))]


SASS_FUNCTION = re.compile(r"Function : (\w+)")
SASS_LINE = re.compile(r"/\*([0-9a-f]{4,})\*/\s+(?:@!?U?P\w+\s+)?([A-Z][A-Z0-9_.]*)([^;]*);")
SASS_WIDTH = {"128": 128, "64": 64, "U16": 16, "S16": 16, "U8": 8, "S8": 8}


def sass_counts(instructions):
    """(total, LDG by width, STG by width, MUFU.EX2, LDL+STL) of
    [(address, opcode, operands)]."""
    loads, stores, ex2, local = Counter(), Counter(), 0, 0
    total = 0
    for _, op, _ in instructions:
        if op == "NOP" or op == "EXIT":
            continue
        total += 1
        parts = op.split(".")
        if parts[0] in ("LDG", "STG"):
            width = next((SASS_WIDTH[p] for p in parts[1:] if p in SASS_WIDTH), 32)
            (loads if parts[0] == "LDG" else stores)[width] += 1
        elif op.startswith("MUFU.EX2"):
            ex2 += 1
        elif parts[0] in ("LDL", "STL"):
            local += 1
    return total, loads, stores, ex2, local


def sass_functions(cuobjdump, cubin):
    """{name: [(address, opcode, operands)]} from cuobjdump -sass."""
    proc = subprocess.run([cuobjdump, "-sass", cubin], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True)
    if proc.returncode:
        sys.exit("cuobjdump failed:\n" + proc.stdout)
    out, name = {}, None
    for line in proc.stdout.splitlines():
        m = SASS_FUNCTION.search(line)
        if m:
            name = m.group(1)
            out[name] = []
            continue
        m = SASS_LINE.search(line)
        if m and name:
            out[name].append((int(m.group(1), 16), m.group(2), m.group(3)))
    return out


def sass_loop_bodies(instructions):
    """The innermost loops, each as its instructions: from a backward BRA's
    target to the BRA (the final self-branch after EXIT is not a loop)."""
    loops = []
    for address, op, operands in instructions:
        m = re.match(r"\s*(0x[0-9a-f]+)", operands)
        if op == "BRA" and m and int(m.group(1), 16) < address:
            loops.append((int(m.group(1), 16), address))
    inner = [(a, b) for a, b in loops
             if not any(a < c and d < b for c, d in loops if (c, d) != (a, b))]
    return [[i for i in instructions if a <= i[0] <= b] for a, b in inner]


def sass_loops(instructions):
    """The instructions of all innermost loops."""
    return [i for body in sass_loop_bodies(instructions) for i in body]


def sass_summary(instructions):
    total, loads, stores, ex2, local = sass_counts(instructions)
    loop = sass_counts(sass_loops(instructions))
    return ("sass=%d LDG=%s STG=%s EX2=%d LDL/STL=%d sass-loop[n=%d LDG=%s STG=%s EX2=%d]"
            % (total, widths(loads), widths(stores), ex2, local, loop[0], widths(loop[1]),
               widths(loop[2]), loop[3]))


def widths(counter):
    return ",".join("%dx%d" % (w, counter[w]) for w in sorted(counter, reverse=True)) or "-"


def ptxas_report(ptxas, arch, path, cubin="/dev/null"):
    proc = subprocess.run([ptxas, "-v", "-arch=" + arch, path, "-o", cubin],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    if proc.returncode:
        sys.exit("ptxas failed:\n" + proc.stdout)
    report, name = {}, None
    for line in proc.stdout.splitlines():
        m = PTXAS_ENTRY.search(line)
        if m:
            name = m.group(1)
            report[name] = {"regs": 0, "spill": 0, "stack": 0, "smem": 0}
            continue
        if not name:
            continue
        m = PTXAS_SPILL.search(line)
        if m:
            report[name]["stack"] = int(m.group(1))
            report[name]["spill"] = int(m.group(2)) + int(m.group(3))
        m = PTXAS_REGS.search(line)
        if m:
            report[name]["regs"] = int(m.group(1))
        m = PTXAS_SMEM.search(line)
        if m:
            report[name]["smem"] = int(m.group(1))
    return report


def blocks_per_sm(regs, threads, smem):
    warps = -(-threads // 32)
    regs_per_warp = -(-max(regs, 1) * 32 // 256) * 256
    by_regs = 65536 // (regs_per_warp * warps)
    by_warps = 64 // warps
    by_smem = (228 * 1024) // smem if smem else 32
    return min(by_regs, by_warps, by_smem, 32)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("ptx")
    p.add_argument("--ptxas", required=True)
    p.add_argument("--arch", default="sm_90")
    p.add_argument("--cuobjdump", help="also count SASS instructions (CUDA toolkit, or the "
                   "nvidia-cuda-cuobjdump or triton wheels)")
    p.add_argument("--min-occupancy", type=int, default=0,
                   help="print a FAIL line for every kernel below this percentage, or with "
                   "spills, local memory or library calls, and exit 1")
    opts = p.parse_args()
    failed = 0
    ptx = open(opts.ptx).read()
    cubin = opts.ptx + ".cubin" if opts.cuobjdump else "/dev/null"
    report = ptxas_report(opts.ptxas, opts.arch, opts.ptx, cubin)
    sass = sass_functions(opts.cuobjdump, cubin) if opts.cuobjdump else {}
    for name, (lines, threads) in entries(ptx).items():
        r = report.get(name, {"regs": 0, "spill": 0, "stack": 0, "smem": 0})
        local = sum(1 for l in lines if re.search(r"\.local\b", l))
        loads, stores, ex2, calls = counts(lines)
        blocks = blocks_per_sm(r["regs"], threads, r["smem"])
        occupancy = 100 * blocks * (-(-threads // 32)) // 64
        loop = Counter(), Counter(), 0
        for a, b in innermost_loops(lines):
            l, s, e, _ = counts(lines[a:b + 1])
            loop = loop[0] + l, loop[1] + s, loop[2] + e
        problems = [what for what, bad in (
            ("spills", r["spill"] + r["stack"]), ("local memory", local),
            ("library calls", calls),
            ("occupancy %d%% < %d%%" % (occupancy, opts.min_occupancy),
             occupancy < opts.min_occupancy)) if bad]
        if problems:
            failed += 1
            print("FAIL %s: %s" % (name, ", ".join(problems)))
        print("%s threads=%d regs=%d spill=%d local=%d smem=%d blocks/SM=%d occupancy=%d%% "
              "ld=%s st=%s ex2=%d libcalls=%d loop[ld=%s st=%s ex2=%d]" % (
                  name, threads, r["regs"], r["spill"] + r["stack"], local, r["smem"], blocks,
                  occupancy, widths(loads), widths(stores), ex2, calls, widths(loop[0]),
                  widths(loop[1]), loop[2]))
        if name in sass:
            print("    " + sass_summary(sass[name]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
