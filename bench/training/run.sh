#!/usr/bin/env bash
# The training-ops benchmark: nn.cross_entropy forward + backward against
# PyTorch (eager and torch.compile) and memcpy on this CPU. Installs PyTorch
# from PyPI into a virtual environment of its own (build-bench/venv-training,
# several GB: PyPI's torch wheel brings CUDA libraries), builds nn-mlir, and
# writes bench/results/cross-entropy.csv. Arguments go to cross_entropy.py,
# e.g. --shapes=1024x32000 --dtypes=f32 --threads=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
venv=build-bench/venv-training
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c "import torch, numpy" 2>/dev/null; then
  echo "bench/training: installing PyTorch and numpy into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet numpy torch
fi
bash scripts/build.sh >/dev/null
mkdir -p bench/results
exec "$venv/bin/python" bench/training/cross_entropy.py \
  --nn-compile build/bin/nn-compile --work build-bench/work-training \
  --csv bench/results/cross-entropy.csv "$@"
