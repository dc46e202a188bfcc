#!/usr/bin/env bash
# Installs the Debian 12 packages the benchmark needs on top of nn-mlir's own
# (scripts/install-deps.sh, run by scripts/build.sh), if missing.
set -euo pipefail

packages=(
  cmake make g++ python3
  libtorch-dev         # PyTorch C++ (ATen), at::log_softmax
  libdnnl-dev          # oneDNN 2.6, softmax_v2 / softmax_log
  python3-matplotlib   # bench/report.py's bar chart
  libomp-22-dev        # LLVM OpenMP: nn-compile's threaded .so needs libomp.so.5
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "nn-bench: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
