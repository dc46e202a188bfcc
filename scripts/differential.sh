#!/usr/bin/env bash
# The differential generator's long tier: run it before any kernel change
# lands. Builds if needed, then checks every element type pair, dim position,
# static and dynamic shape and row length (up to 2^18 + 1) of nn.logsoftmax
# through the C ABI (1 thread aligned vs 2 threads unaligned), nn-run,
# every GPU strategy through ptxas, and the GPU kernels' values run on this
# CPU (gpu-emu: every strategy, aligned and unaligned buffers); then nn.cross_entropy and
# nn.cross_entropy_grad through the C ABI (the same 1 vs 2 threads check):
# [N, C] and [C] logits of every dtype, i64/i32 targets, every reduction,
# smoothing 0 and 0.1, ignored and all-ignored targets, class counts around
# every boundary up to 65537; then nn.softmax (every type pair) and
# nn.logsoftmax_grad (every dtype) through the C ABI (the same check): ranks
# 1 to 3, every dim position and spelling (vector kernels and linalg
# decomposition), static, dynamic and partly dynamic shapes, row lengths
# around every boundary up to 2^18 + 1, pattern slices, real and arbitrary
# log-softmax outputs, adversarial gradients; and nn.softmax's,
# nn.logsoftmax_grad's and nn.cross_entropy's GPU kernels on the gpu-emu
# path (every pair or dtype and strategy; cross-entropy's own cases). Everything against the float64
# references (lib/nnref.py, lib/trainref.py). Ends with "N cases, M failed".
#
#   bash scripts/differential.sh [--seed=N] [--paths=abi,jit,ptx,gpu-emu] [--pairs=f32-f32,...]
#       [--ops=logsoftmax,cross_entropy,cross_entropy_grad,softmax,logsoftmax_grad]
#       [--dtypes=f32,...]
#
# --ops picks the ops (default: all five); --pairs picks log-softmax's and
# softmax's type pairs, --dtypes the input types of the other ops (and of
# softmax).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/build.sh >/dev/null || { echo "differential: the build failed (run scripts/build.sh)"; exit 1; }
exec /usr/bin/python3 test/Integration/CPU/lib/differential.py --tier long \
  --work build/differential --nn-compile build/bin/nn-compile --nn-run build/bin/nn-run \
  --ops=logsoftmax,cross_entropy,cross_entropy_grad,softmax,logsoftmax_grad "$@"
