#!/usr/bin/env bash
# Installs what is missing, then configures and builds nn-mlir in build/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/install-deps.sh

if [ ! -f build/build.ninja ]; then
  cmake -G Ninja -S . -B build \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit
fi
# The tools, and libNNPlugin.so for a stock mlir-opt where this configuration
# builds it (not under sanitizers).
targets="nn-opt nn-run nn-compile"
# The list is read whole first: `ninja ... | grep -q` under pipefail failed
# whenever grep quit early and ninja died of SIGPIPE, which skipped the
# plugin at random (12 of 200 tries here; a fresh-clone CI run then reported
# the plugin tests unsupported).
all_targets=$(ninja -C build -t targets all 2>/dev/null || true)
if grep -q '^NNPlugin:' <<<"$all_targets"; then
  targets="$targets NNPlugin"
fi
ninja -C build $targets
