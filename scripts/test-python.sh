#!/usr/bin/env bash
# Installs the nn_mlir Python package into a fresh virtual environment with
# `pip install .` (its C++ build is kept in build-python/, so a second run
# rebuilds only what changed) and runs its pytest suite,
# test/Bindings/Python. Ends with "pytest: N passed, M failed, K skipped".
#
# The torch tests are skipped unless torch is in the environment: with
# NN_TEST_TORCH=1 this installs it from PyPI too (a few GB).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/install-deps.sh || exit 1
venv=build-python/venv
rm -rf "$venv"
python3 -m venv "$venv" || exit 1
"$venv/bin/pip" install -q --upgrade pip || exit 1
extras=".[test]"
if [ "${NN_TEST_TORCH:-0}" = 1 ]; then
  "$venv/bin/pip" install -q torch || exit 1
fi
echo "nn_mlir: pip install $extras (the C++ build goes to build-python/)"
if ! "$venv/bin/pip" install -q "$extras"; then
  echo "pytest: 0 passed, 1 failed, 0 skipped (pip install)"
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Run from outside the checkout, so that `import nn_mlir` is the installed
# package and not python/nn_mlir.
(cd "$venv" && bin/python -m pytest -q -p no:cacheprovider -rs \
  "$root/test/Bindings/Python") 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
count() { grep -Eo "[0-9]+ $1" "$log" | tail -n 1 | cut -d' ' -f1; }
passed=$(count passed); failed=$(count failed); errors=$(count error)
skipped=$(count skipped)
failed=$(( ${failed:-0} + ${errors:-0} ))
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "pytest: ${passed:-0} passed, ${failed} failed, ${skipped:-0} skipped"
exit "$status"
