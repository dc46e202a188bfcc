#!/usr/bin/env bash
# The differential generator's long tier: run it before any kernel change
# lands. Builds if needed, then checks every element type pair, dim position,
# static and dynamic shape and row length (up to 2^18 + 1) through the C ABI
# (1 thread aligned vs 2 threads unaligned), nn-run, and every GPU strategy
# through ptxas, against the float64 reference. Ends with "N cases, M failed".
#
#   bash scripts/differential.sh [--seed=N] [--paths=abi,jit,ptx] [--pairs=f32-f32,...]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/build.sh >/dev/null || { echo "differential: the build failed (run scripts/build.sh)"; exit 1; }
exec /usr/bin/python3 test/Integration/CPU/lib/differential.py --tier long \
  --work build/differential --nn-compile build/bin/nn-compile --nn-run build/bin/nn-run "$@"
