#!/usr/bin/env bash
# Builds nn-mlir and runs every test; ends with "N passed, M failed".
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
echo "${passed:-0} passed, ${failed} failed"
exit "$status"
