#!/usr/bin/env bash
# Builds nn-mlir and runs every test: the lit suite, then the Python
# package's pytest suite (scripts/test-python.sh); ends with
# "N passed, M failed" over both.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/build.sh || { echo "0 passed, 1 failed (build)"; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
/usr/lib/llvm-22/bin/lit -sv build/test 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

count() { sed -n "s/^ *$1 *: *\([0-9]*\).*/\1/p" "$log" | head -n 1; }
passed=$(count Passed); failed=$(count Failed)
unresolved=$(count Unresolved); timed_out=$(count "Timed Out")
failed=$(( ${failed:-0} + ${unresolved:-0} + ${timed_out:-0} ))
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "lit: ${passed:-0} passed, ${failed} failed"

bash scripts/test-python.sh 2>&1 | tee "$log"
py_status=${PIPESTATUS[0]}
py_line=$(grep '^pytest: ' "$log" | tail -n 1)
py_passed=$(echo "$py_line" | sed -n 's/^pytest: \([0-9]*\) passed.*/\1/p')
py_failed=$(echo "$py_line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
[ "$py_status" -ne 0 ] && [ "${py_failed:-0}" -eq 0 ] && py_failed=1
[ "$py_status" -ne 0 ] && status=1
echo "$(( ${passed:-0} + ${py_passed:-0} )) passed, $(( failed + ${py_failed:-0} )) failed"
exit "$status"
