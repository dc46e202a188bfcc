#!/usr/bin/env bash
# The main job: build nn-mlir, then compile and run a log-softmax on the CPU.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/build.sh

echo
echo "== examples/logsoftmax.mlir, log-softmax along dim 1 of a 2x4 f32 tensor:"
build/bin/nn-run examples/logsoftmax.mlir --function=main \
  --input="2x4xf32=0 1 2 3  1e30 -1e30 0 -inf"
