#!/usr/bin/env bash
# Builds nn-mlir with AddressSanitizer + UndefinedBehaviorSanitizer (+ the
# LeakSanitizer that comes with ASan) in build-san/, runs the lit suite under
# them with halt_on_error, then gives each libFuzzer target a short bounded
# run. Any sanitizer report fails the run. Ends with "N passed, M failed".
#
#   bash scripts/sanitize.sh [--fuzz-runs=N]   (default 20000 per target)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

fuzz_runs=20000
for arg in "$@"; do
  case "$arg" in
    --fuzz-runs=*) fuzz_runs=${arg#*=} ;;
    *) echo "sanitize.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

bash scripts/install-deps.sh libclang-rt-22-dev || exit 1
if [ ! -f build-san/build.ninja ]; then
  cmake -G Ninja -S . -B build-san \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    "-DNN_ENABLE_SANITIZERS=address;undefined" -DNN_ENABLE_FUZZERS=ON ||
    { echo "0 passed, 1 failed (configure)"; exit 1; }
fi
ninja -C build-san nn-opt nn-run nn-compile \
  nn-fuzz-npy nn-fuzz-argument nn-fuzz-ir ||
  { echo "0 passed, 1 failed (build)"; exit 1; }

# Every report is fatal. Leaks are checked at exit (ASan's default on Linux).
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# The declared subset: every test but those whose work is done by code the
# sanitizers do not see (the AOT objects of other CPUs, loaded by Python) or
# that cannot link a sanitized library into an unsanitized consumer (embed),
# and the long tests (large sizes, the 2^31-element test, which would need
# twice its 8.6 GB under ASan).
log=$(mktemp)
trap 'rm -f "$log"' EXIT
/usr/lib/llvm-22/bin/lit -sv build-san/test \
  --filter-out 'compiled-(haswell|skylake-avx512|znver4)|Examples/embed|CPU/large|index-64bit' \
  2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Short bounded fuzzing from the seeds, then the regression inputs.
fuzz_failed=0
bash scripts/fuzz.sh --build=build-san --runs="$fuzz_runs" || fuzz_failed=1

count() { sed -n "s/^ *$1 *: *\([0-9]*\).*/\1/p" "$log" | head -n 1; }
passed=$(count Passed); failed=$(count Failed)
unresolved=$(count Unresolved); timed_out=$(count "Timed Out")
failed=$(( ${failed:-0} + ${unresolved:-0} + ${timed_out:-0} + fuzz_failed ))
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "sanitizers: ${passed:-0} passed, ${failed} failed"
[ "$failed" -eq 0 ]
