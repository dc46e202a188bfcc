"""Runs one suite of nn.logsoftmax execution cases through nn-run.

  run_suite.py --nn-run PATH --work DIR --suite NAME [--only SUBSTRING] [--list]
  run_suite.py --selftest

Prints `PASS name` / `FAIL name: reason (max error, worst index)` per case and
exits 1 if any case failed."""

import argparse
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import suites  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nn-run", default="nn-run", help="the nn-run executable")
    p.add_argument("--work", help="scratch directory (lit's %%t); emptied first")
    p.add_argument("--suite", action="append", choices=sorted(suites.SUITES) + ["all"],
                   help="suite(s) to run")
    p.add_argument("--only", help="run only cases whose name contains this")
    p.add_argument("--list", action="store_true", help="list the cases and exit")
    p.add_argument("--timeout", type=int, default=300, help="seconds per nn-run call")
    p.add_argument("-v", "--verbose", action="store_true", help="print times")
    opts = p.parse_args()
    names = opts.suite or ["all"]
    if "all" in names:
        names = sorted(suites.SUITES)
    cases = []
    for n in names:
        cases += suites.SUITES[n]()
    if opts.only:
        cases = [c for c in cases if opts.only in c.name]
    seen = set()
    for c in cases:
        assert c.name not in seen, "duplicate case name " + c.name
        seen.add(c.name)
    if opts.list:
        for c in cases:
            print(c.name)
        return 0
    if not opts.work:
        p.error("--work is required")
    nn_run = shutil.which(opts.nn_run) or opts.nn_run
    if not os.path.exists(nn_run):
        print("FAIL setup: nn-run not found at %r" % opts.nn_run)
        return 1
    if os.path.isdir(opts.work):
        shutil.rmtree(opts.work)
    runner = harness.Runner(nn_run, opts.work, timeout=opts.timeout, verbose=opts.verbose)
    start = time.time()
    try:
        for c in cases:
            if isinstance(c, harness.ErrorCase):
                harness.run_error(runner, c)
            else:
                runner.run(c)
    except harness.CannotRun:
        print("FAIL setup: nn-run cannot be run; %d case(s) not run"
              % (len(cases) - runner.count))
    print("%d case(s), %d failed, %.1fs" % (runner.count, len(runner.failures),
                                            time.time() - start))
    return 1 if runner.failures else 0


if __name__ == "__main__":
    sys.exit(main())
