#!/usr/bin/env python3
"""Turns bench/run.sh's results.csv into a Markdown table and a bar chart.

usage: report.py results.csv --md results.md --png results.png [--meta LINE ...]
"""
import argparse
import csv
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

CONTENDERS = [  # (csv prefix, label, colour)
    ("nn", "nn-mlir", "#d62728"),
    ("torch", "PyTorch at::log_softmax", "#1f77b4"),
    ("dnnl", "oneDNN softmax_v2 (log)", "#2ca02c"),
    ("memcpy", "memcpy", "#7f7f7f"),
]


def number(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return math.nan
    return v


def gb(s):
    v = number(s)
    return "n/a" if math.isnan(v) else f"{v:.2f}"


def ratio(s):
    v = number(s)
    return "n/a" if math.isnan(v) else f"{v:.3f}"


def reps(row):
    return "/".join(row[f"{p}_reps"] for p, _, _ in CONTENDERS)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--md", required=True)
    ap.add_argument("--png", required=True)
    ap.add_argument("--meta", action="append", default=[])
    args = ap.parse_args()

    with open(args.csv, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit("report.py: no rows in " + args.csv)

    # ---- Markdown
    out = ["# nn.logsoftmax CPU benchmark", ""]
    out += [f"- {m}" for m in args.meta]
    out += [
        "- GB/s = 2 x numel x element size (input read once, output written "
        "once) / median time per call. Inputs are N(0,1) x 4 (fixed seed); every "
        "contender reads the same input and writes a preallocated dense output "
        "(PyTorch through `at::log_softmax_out`, the `out=` form of "
        "`at::log_softmax`; the allocating form is in the CSV as `torch_alloc`). "
        "Buffers are reused call after call, so shapes that fit in the caches "
        "are measured hot.",
        "- best = the faster of PyTorch and oneDNN; memcpy copies the same "
        "bytes (split across the threads when threads > 1).",
        "- nn check: nn-mlir's output against `at::log_softmax` in float64 "
        "(rounded to the output type), tolerance of docs/logsoftmax-semantics.md; "
        "max abs errors of all three shown (PyTorch's and oneDNN's are "
        "not held to the tolerance: notes below say where they exceed it). "
        "load: the 1-minute load average when the run started.",
        "- threads: `at::set_num_threads` and `omp_set_num_threads` (PyTorch "
        "and oneDNN run on GNU OpenMP); nn-mlir gets `NN_NUM_THREADS`, read at "
        "run time by its kernels (LLVM OpenMP) in builds that parallelise them. "
        "Each contender starts after a 0.3 s pause so that the other runtime's "
        "idle workers have stopped spinning.",
        "",
    ]
    header = [
        "shape", "dim", "dtype", "threads",
        "nn GB/s", "torch GB/s", "oneDNN GB/s", "memcpy GB/s",
        "nn/best(torch,oneDNN)", "nn/memcpy",
        "nn check", "max abs err nn/torch/oneDNN", "oneDNN impl",
        "reps nn/torch/oneDNN/memcpy", "load",
    ]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join(["---"] * 4 + ["---:"] * 6 + ["---"] * 4 + ["---:"]) + "|")
    for r in rows:
        check = r["nn_check"]
        check = f"**{check}**" if check != "ok" else check
        out.append("| " + " | ".join([
            r["shape"], r["dim"], r["dtype"], r["threads"],
            gb(r["nn_gbps"]), gb(r["torch_gbps"]), gb(r["dnnl_gbps"]),
            gb(r["memcpy_gbps"]),
            ratio(r["nn_over_best"]), ratio(r["nn_over_memcpy"]),
            check,
            "/".join(r[f"{p}_max_abs_err"] for p in ("nn", "torch", "dnnl")),
            r["dnnl_impl"], reps(r), r.get("loadavg1", "?"),
        ]) + " |")
    notes = [(r, r["notes"]) for r in rows if r.get("notes")]
    if notes:
        out.append("")
        out.append("Notes:")
        for r, n in notes:
            out.append(f"- {r['shape']} {r['dtype']} dim={r['dim']} "
                       f"threads={r['threads']}: {n}")
    fails = [r for r in rows if r["nn_check"] != "ok"]
    if fails:
        out.append("")
        out.append(f"**nn-mlir produced wrong results in {len(fails)} run(s).**")
    caps = sorted({r["torch_cpu_capability"] for r in rows})
    out.append("")
    out.append(f"ATen CPU capability: {', '.join(caps)}. "
               "Per-call minima, the allocating `at::log_softmax` and errors of "
               "every contender are in results.csv.")
    with open(args.md, "w") as f:
        f.write("\n".join(out) + "\n")

    # ---- bar chart: one group per run, one bar per contender, log scale
    labels = [f"{r['shape']}\n{r['dtype']} d{r['dim']} t{r['threads']}"
              for r in rows]
    n = len(rows)
    width = 0.2
    fig, ax = plt.subplots(figsize=(max(8.0, 0.9 * n + 2), 6))
    for k, (p, label, colour) in enumerate(CONTENDERS):
        xs, ys = [], []
        for i, r in enumerate(rows):
            v = number(r[f"{p}_gbps"])
            if not math.isnan(v) and v > 0:
                xs.append(i + (k - 1.5) * width)
                ys.append(v)
        ax.bar(xs, ys, width, label=label, color=colour)
    for i, r in enumerate(rows):
        if r["nn_check"] != "ok":
            ax.annotate("WRONG", (i - 1.5 * width, 0), xycoords=("data", "axes fraction"),
                        xytext=(0, 4), textcoords="offset points", color="red",
                        ha="center", fontsize=7, rotation=90)
    ax.set_yscale("log")
    ax.set_ylabel("GB/s (read + write once; median; log scale)")
    ax.set_xticks(range(n))
    ax.set_xticklabels(labels, fontsize=7)
    ax.set_xlim(-0.6, n - 0.4)
    ax.grid(axis="y", which="both", alpha=0.3)
    ax.legend(loc="upper left", fontsize=8, ncol=4)
    ax.set_title("nn.logsoftmax on the CPU: nn-mlir vs PyTorch vs oneDNN vs memcpy")
    fig.tight_layout()
    fig.savefig(args.png, dpi=110)


if __name__ == "__main__":
    main()
