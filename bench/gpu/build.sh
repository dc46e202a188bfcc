#!/usr/bin/env bash
# Step 1 of the GPU flow, on a machine with nn-mlir built (no GPU needed):
# compiles the GPU kernels that run.py checks and times into DIR (default
# bench/gpu/artifacts) as nn-compile --target=nvptx --emit=shared libraries.
# Each takes dynamic sizes, so one library serves every shape of its kind.
#
#   bash bench/gpu/build.sh [DIR] [--chip=sm_90] [--features=+ptx80]
#                           [--liger] [--emulator]
#
# --liger unpacks Liger's cross-entropy (liger-kernel from PyPI, pure Python
# on Triton; no dependency is fetched) into DIR/site for run.py's
# cross-entropy table: the GPU machine has no package registry. QuACK's
# CuTe DSL runtime (nvidia-cutlass-dsl-libs-cu13, 92 MB) is larger than what
# can be carried there, so run.py times QuACK only where it is installed.
# --emulator builds the same libraries for --target=gpu-emulator instead:
# run.py --emulate then checks them (and run.py itself) on this CPU.
#
# Step 2, on the GPU machine (CUDA driver, PyTorch; no MLIR needed):
#   python3 run.py --check --bench        (from DIR, a copy of this folder)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$here/artifacts"
flags=()
target=--target=nvptx
liger=0
for arg in "$@"; do
  case "$arg" in
    --chip=*|--features=*) flags+=("$arg") ;;
    --liger) liger=1 ;;
    --emulator) target=--target=gpu-emulator ;;
    -*) echo "build.sh: unknown option '$arg'" >&2; exit 2 ;;
    *) out=$arg ;;
  esac
done
nn_compile=${NN_COMPILE:-$root/build/bin/nn-compile}
[ -x "$nn_compile" ] || { echo "build.sh: $nn_compile not built (bash scripts/build.sh)" >&2; exit 1; }
mkdir -p "$out"

# name  element-type  result-type  rank  dim  op
kernels=(
  "rows_f32 f32 f32 2 1 logsoftmax" "rows_bf16 bf16 bf16 2 1 logsoftmax"
  "rows_f16 f16 f16 2 1 logsoftmax" "rows_f64 f64 f64 2 1 logsoftmax"
  "rows_f16_to_f32 f16 f32 2 1 logsoftmax"
  "mid_f32 f32 f32 3 1 logsoftmax" "mid_bf16 bf16 bf16 3 1 logsoftmax"
  "first_f32 f32 f32 3 0 logsoftmax" "vector_f32 f32 f32 1 0 logsoftmax"
  "rank4_f32 f32 f32 4 2 logsoftmax"
  "softmax_rows_f32 f32 f32 2 1 softmax" "softmax_rows_bf16 bf16 bf16 2 1 softmax"
  "softmax_rows_f64 f64 f64 2 1 softmax" "softmax_rows_f16_to_f32 f16 f32 2 1 softmax"
  "softmax_mid_f32 f32 f32 3 1 softmax" "softmax_mid_bf16 bf16 bf16 3 1 softmax"
  "grad_rows_f32 f32 f32 2 1 logsoftmax_grad" "grad_rows_bf16 bf16 bf16 2 1 logsoftmax_grad"
  "grad_rows_f64 f64 f64 2 1 logsoftmax_grad" "grad_mid_f32 f32 f32 3 1 logsoftmax_grad"
)
for spec in "${kernels[@]}"; do
  read -r name in_t out_t rank dim op <<<"$spec"
  shape=$(printf '?x%.0s' $(seq "$rank"))
  t_in="tensor<${shape}${in_t}>" t_out="tensor<${shape}${out_t}>"
  if [ "$op" = logsoftmax_grad ]; then
    # (grad_output, output) -> grad_input, all one type.
    cat >"$out/$name.mlir" <<MLIR
func.func @$name(%g: $t_in, %y: $t_in) -> $t_out {
  %gx = "nn.$op"(%g, %y) <{dim = $dim : i64}> : ($t_in, $t_in) -> $t_out
  return %gx : $t_out
}
MLIR
  else
    cat >"$out/$name.mlir" <<MLIR
func.func @$name(%x: $t_in) -> $t_out {
  %y = "nn.$op"(%x) <{dim = $dim : i64}> : ($t_in) -> $t_out
  return %y : $t_out
}
MLIR
  fi
  "$nn_compile" "$out/$name.mlir" "$target" --emit=shared \
    ${flags[@]+"${flags[@]}"} -o "$out/lib$name.so"
  echo "$name $in_t $out_t $rank $dim $op"
done >"$out/kernels.txt"

# Cross-entropy: @NAME (the loss) and @NAME_grad (its gradient, grad_loss
# first) in one library, i64 targets, ignore_index -100.
# name  logits-type  rank  reduction  label-smoothing
ce_kernels=(
  "ce_f32 f32 2 mean 0.0" "ce_bf16 bf16 2 mean 0.0"
  "ce_smooth_f32 f32 2 sum 0.1" "ce_none_bf16 bf16 2 none 0.0"
  "ce_mid_f32 f32 3 mean 0.1"
)
for spec in "${ce_kernels[@]}"; do
  read -r name t rank reduction eps <<<"$spec"
  shape=$(printf '?x%.0s' $(seq "$rank"))
  sample=$(printf '?x%.0s' $(seq $((rank - 1))))
  logits="tensor<${shape}${t}>" targets="tensor<${sample}i64>"
  loss="tensor<${t}>"
  [ "$reduction" = none ] && loss="tensor<${sample}${t}>"
  attrs="<{ignore_index = -100 : i64, reduction = \"$reduction\", label_smoothing = $eps : f64}>"
  cat >"$out/$name.mlir" <<MLIR
func.func @$name(%x: $logits, %t: $targets) -> $loss {
  %l = "nn.cross_entropy"(%x, %t) $attrs : ($logits, $targets) -> $loss
  return %l : $loss
}
func.func @${name}_grad(%g: $loss, %x: $logits, %t: $targets) -> $logits {
  %gx = "nn.cross_entropy_grad"(%g, %x, %t) $attrs : ($loss, $logits, $targets) -> $logits
  return %gx : $logits
}
MLIR
  "$nn_compile" "$out/$name.mlir" "$target" --emit=shared \
    ${flags[@]+"${flags[@]}"} -o "$out/lib$name.so"
  echo "$name $t $t $rank 1 cross_entropy $reduction $eps"
done >>"$out/kernels.txt"

if [ "$liger" = 1 ]; then
  rm -rf "$out/site" "$out/wheels" && mkdir -p "$out/site"
  python3 -m pip download liger-kernel --no-deps -d "$out/wheels" -q
  python3 -m zipfile -e "$out"/wheels/liger_kernel-*.whl "$out/site"
  rm -rf "$out/wheels"
fi
# The differential generator's value patterns and float64 reference, for
# run.py's pattern check.
cp "$here/run.py" "$root/test/Integration/CPU/lib/patterns.py" \
  "$root/test/Integration/CPU/lib/nnref.py" "$out/"
echo "build.sh: $(wc -l <"$out/kernels.txt") kernels in $out ($(du -sh "$out" | cut -f1)); copy it to the GPU machine and run: python3 run.py --check --bench"
