#!/usr/bin/env bash
# Installs the Debian 12 packages the benchmark needs on top of nn-mlir's own,
# if missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

exec bash "$root/scripts/install-deps.sh" \
  make g++ \
  libtorch-dev `# PyTorch C++ (ATen), at::log_softmax` \
  libdnnl-dev `# oneDNN 2.6, softmax_v2 / softmax_log` \
  python3-matplotlib `# bench/report.py's bar chart`
