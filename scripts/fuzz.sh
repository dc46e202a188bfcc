#!/usr/bin/env bash
# Runs the libFuzzer targets (built with -DNN_ENABLE_FUZZERS=ON) from seeds
# made out of test/, then over fuzz/regressions/<target>/, the inputs that
# once crashed. Exits non-zero on any crash or sanitizer report.
#
#   bash scripts/fuzz.sh [--build=DIR] [--runs=N | --seconds=S]
#                        [--jobs=J] [--target=npy|argument|ir] [--corpus=DIR]
#
# The short CI run uses --runs; docs/reliability.md has the long runs.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

build=build-san runs=20000 seconds="" targets="npy argument ir" corpus=""
for arg in "$@"; do
  case "$arg" in
    --build=*) build=${arg#*=} ;;
    --runs=*) runs=${arg#*=} ;;
    --seconds=*) seconds=${arg#*=} ;;
    --target=*) targets=${arg#*=} ;;
    --corpus=*) corpus=${arg#*=} ;;
    *) echo "fuzz.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
[ -n "$corpus" ] || corpus=$(mktemp -d)
/usr/bin/python3 fuzz/make-seeds.py "$corpus" >/dev/null || exit 1

failed=0
for target in $targets; do
  binary=$build/bin/nn-fuzz-$target
  [ -x "$binary" ] || { echo "fuzz.sh: $binary is not built" >&2; exit 1; }
  limit=(-runs="$runs")
  [ -n "$seconds" ] && limit=(-max_total_time="$seconds")
  dict=()
  [ "$target" = ir ] && dict=(-dict=fuzz/mlir.dict)
  mkdir -p "$corpus/$target-out" "$corpus/$target-crashes"
  echo "fuzz.sh: nn-fuzz-$target ${limit[*]}"
  if ! "$binary" "${limit[@]}" "${dict[@]}" -max_len=4096 -timeout=30 \
      -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$corpus/$target-crashes/" \
      "$corpus/$target-out" "$corpus/$target" 2>"$corpus/$target.log"; then
    echo "fuzz.sh: nn-fuzz-$target FAILED; last lines of its log:"
    tail -n 40 "$corpus/$target.log"
    ls "$corpus/$target-crashes"
    failed=1
  else
    grep -E "stat::number_of_executed_units|stat::new_units_added" \
      "$corpus/$target.log" | sed "s/^/  $target /"
  fi
  regressions=fuzz/regressions/$target
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    "$binary" "$regressions"/* 2>"$corpus/$target-regressions.log" || {
      echo "fuzz.sh: a regression input of nn-fuzz-$target fails again:"
      tail -n 40 "$corpus/$target-regressions.log"
      failed=1
    }
  fi
done
exit "$failed"
