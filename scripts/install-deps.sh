#!/usr/bin/env bash
# Installs the Debian packages nn-mlir needs to build and test, if missing,
# plus any packages named on the command line (bench/install-deps.sh does).
set -euo pipefail

packages=(
  cmake ninja-build git python3 python3-numpy python3-venv python3-dev
  clang-22 lld-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libomp-22-dev
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "nn-mlir: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
