"""Runs a command and succeeds only if it exits with status exactly 1.

    %python %S/Inputs/expect-exit-1.py TOOL ARGS... 2>&1 | FileCheck ...

`not` accepts any failure, a crash included; the tools' error paths must
instead print a message and exit 1. The command's stdin, stdout and stderr
are passed through untouched. Any other status, death by a signal (an
assertion, a segfault) or running past the time limit (a hang) makes this
script print why on stderr and exit 1, which fails the RUN line (lit runs
pipelines with pipefail).
"""

import signal
import subprocess
import sys

TIMEOUT_S = 300


def main():
    command = sys.argv[1:]
    if not command:
        sys.exit("expect-exit-1: no command given")
    try:
        status = subprocess.run(command, timeout=TIMEOUT_S).returncode
    except subprocess.TimeoutExpired:
        why = f"did not finish within {TIMEOUT_S} s (hung?)"
    except OSError as err:
        why = f"could not be started: {err}"
    else:
        if status == 1:
            return
        if status < 0:
            try:
                name = signal.Signals(-status).name
            except ValueError:
                name = str(-status)
            why = f"was killed by signal {name}"
        else:
            why = f"exited with status {status}"
    sys.stdout.flush()
    print(f"expect-exit-1: error: `{' '.join(command)}` {why}, expected "
          "exit status 1", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main()
