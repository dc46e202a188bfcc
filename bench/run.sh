#!/usr/bin/env bash
# The side-by-side CPU benchmark of nn.logsoftmax, in one command:
#
#   bash bench/run.sh [--quick] [--threads=1,all] [--shapes=4096x1024,1x1000000]
#                     [--dtypes=f32,bf16] [--target-cpu=CPU]
#
# Installs what is missing, builds nn-mlir's tools (scripts/build.sh) and the
# harness (bench/ as its own CMake project, in build-bench/), writes one
# static-shape module per (shape, dim, dtype) to build-bench/work/, compiles
# each with `nn-compile --emit=shared`, runs the harness once per
# (shape, dim, dtype, threads) in a process of its own, and writes
# bench/results/results.{csv,md,png}.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

usage() {
  cat <<'EOF'
usage: bash bench/run.sh [options]
  --quick            few, short repetitions (a smoke test; numbers are noisy)
  --threads=LIST     thread counts, comma-separated; "all" = nproc (default 1,all)
  --shapes=LIST      only these shapes, e.g. 4096x1024,8x512x512 (default: all)
  --dtypes=LIST      only these element types, f32 and/or bf16 (default: both)
  --target-cpu=CPU   passed to nn-compile (default: this machine's CPU)
  --no-build         do not run scripts/build.sh; use the nn-compile already in
                     build/bin (e.g. while the tree is being edited or built)
  --out=DIR          where results go (default bench/results)
Environment: BENCH_JOBS (parallel jobs building the harness, default 1).
EOF
}

quick=0
threads_opt="1,all"
shapes_opt=""
dtypes_opt="f32,bf16"
target_cpu=""
out_dir="$root/bench/results"
build_nn=1
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    --threads=*) threads_opt="${a#*=}" ;;
    --shapes=*) shapes_opt="${a#*=}" ;;
    --dtypes=*) dtypes_opt="${a#*=}" ;;
    --target-cpu=*) target_cpu="${a#*=}" ;;
    --out=*) out_dir="${a#*=}" ;;
    --no-build) build_nn=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown option '$a'" >&2; usage >&2; exit 2 ;;
  esac
done

t_start=$(date +%s)

# ---- dependencies and builds
bash bench/install-deps.sh
if [ "$build_nn" = 1 ]; then
  bash scripts/build.sh                    # nn-opt, nn-run, nn-compile in build/bin
else
  bash scripts/install-deps.sh
  [ -x build/bin/nn-compile ] || { echo "bench/run.sh: --no-build but no build/bin/nn-compile" >&2; exit 2; }
fi
bdir="$root/build-bench"
if [ ! -f "$bdir/CMakeCache.txt" ]; then
  cmake -S bench -B "$bdir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++ >/dev/null
fi
cmake --build "$bdir" -j"${BENCH_JOBS:-1}" >/dev/null
harness="$bdir/nn_bench"
nn_compile="$root/build/bin/nn-compile"

# ---- what to run: shape, dim, dtypes
all_cases=(
  "4096x1024 1 f32,bf16"
  "1024x32000 1 f32,bf16"
  "64x128256 1 f32,bf16"
  "65536x16 1 f32"
  "32x1024x128 1 f32"
  "8x512x512 0 f32"
  "1x1000000 1 f32"
)
nproc_all=$(nproc)
threads_list=()
IFS=',' read -r -a tl <<<"$threads_opt"
for t in "${tl[@]}"; do
  [ "$t" = all ] && t=$nproc_all
  [[ "$t" =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: bad thread count '$t'" >&2; exit 2; }
  [[ " ${threads_list[*]:-} " == *" $t "* ]] || threads_list+=("$t")
done
in_list() { [[ ",$2," == *",$1,"* ]]; }

runs=()     # "shape dim dtype threads"
for c in "${all_cases[@]}"; do
  read -r shape dim dts <<<"$c"
  [ -n "$shapes_opt" ] && ! in_list "$shape" "$shapes_opt" && continue
  IFS=',' read -r -a dl <<<"$dts"
  for dt in "${dl[@]}"; do
    in_list "$dt" "$dtypes_opt" || continue
    for t in "${threads_list[@]}"; do runs+=("$shape $dim $dt $t"); done
  done
done
if [ ${#runs[@]} -eq 0 ]; then
  echo "bench/run.sh: nothing to run (check --shapes/--dtypes)" >&2; exit 2
fi

# ---- modules: one per (shape, dim, dtype), static shapes, compiled ahead of time
work="$bdir/work"
mkdir -p "$work"
nn_version="$(git -C "$root" describe --always --dirty 2>/dev/null || echo '?'), build/bin/nn-compile of $(date -r "$nn_compile" '+%Y-%m-%d %H:%M:%S')"
module_for() { echo "$work/logsoftmax_${1}_d${2}_${3}"; }
for r in "${runs[@]}"; do
  read -r shape dim dt _ <<<"$r"
  base=$(module_for "$shape" "$dim" "$dt")
  [ -f "$base.so" ] && [ "$base.so" -nt "$nn_compile" ] && [ "$base.so" -nt "$base.mlir" ] && continue
  ty="tensor<${shape}x${dt}>"
  cat >"$base.mlir" <<EOF
func.func @main(%x: $ty) -> $ty {
  %y = "nn.logsoftmax"(%x) <{dim = $dim : i64}> : ($ty) -> $ty
  return %y : $ty
}
EOF
  "$nn_compile" "$base.mlir" -o "$base.so" --emit=shared \
    ${target_cpu:+--target-cpu="$target_cpu"} --header="$base.h"
done

# ---- repetitions: each contender runs about target_s seconds after warm-up
if [ "$quick" = 1 ]; then
  rep_args=(--target-s=0.05 --warmup-s=0.02 --min-reps=3)
  rep_desc="quick: ~0.05 s of timed calls per contender (at least 3), after >= 2 calls / 0.02 s of warm-up"
else
  rep_args=(--target-s=0.5 --warmup-s=0.1 --min-reps=5)
  rep_desc="~0.5 s of timed calls per contender (at least 5, at most 5000), after >= 2 calls / 0.1 s of warm-up"
fi

mkdir -p "$out_dir"
csv_tmp="$out_dir/.results.csv.tmp"
"$harness" --csv-header >"$csv_tmp"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
busy=$(awk -v l="${load_before%% *}" 'BEGIN { print (l > 0.5) ? 1 : 0 }')
if [ "$busy" = 1 ]; then
  echo "bench/run.sh: warning: load average $load_before before the runs; other work on" \
       "this machine makes the timings (threads > 1 above all) unreliable" >&2
fi

n=${#runs[@]}
i=0
failed=()
crashed=()
for r in "${runs[@]}"; do
  i=$((i + 1))
  read -r shape dim dt t <<<"$r"
  printf '[%d/%d] %s %s dim=%s threads=%s ...' "$i" "$n" "$shape" "$dt" "$dim" "$t" >&2
  t0=$(date +%s.%N)
  rc=0
  row=$("$harness" --so="$(module_for "$shape" "$dim" "$dt").so" --shape="$shape" \
          --dim="$dim" --dtype="$dt" --threads="$t" "${rep_args[@]}") || rc=$?
  secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  if [ -n "$row" ]; then
    echo "$row" >>"$csv_tmp"
    # columns 22-25: nn, torch, oneDNN, memcpy GB/s; 29: nn check
    summary=$(awk -F, '{ printf "nn %s, torch %s, oneDNN %s, memcpy %s GB/s, check %s", $22, $23, $24, $25, $29 }' <<<"$row")
    printf ' %s (%ss)\n' "$summary" "$secs" >&2
  else
    printf ' harness failed, rc=%d (%ss)\n' "$rc" "$secs" >&2
  fi
  if [ "$rc" = 3 ]; then failed+=("$shape $dt dim=$dim threads=$t")
  elif [ "$rc" != 0 ]; then crashed+=("$shape $dt dim=$dim threads=$t (rc=$rc)"); fi
done
mv "$csv_tmp" "$out_dir/results.csv"

# ---- report
t_end=$(date +%s)
cpu_model=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
cores=$(lscpu -p=core,socket 2>/dev/null | grep -v "^#" | sort -u | wc -l)
torch_ver=$(dpkg-query -W -f='${Version}' libtorch-dev 2>/dev/null || echo '?')
dnnl_ver=$(dpkg-query -W -f='${Version}' libdnnl-dev 2>/dev/null || echo '?')
# Debian's python3 (with python3-matplotlib), not whatever python3 is first on PATH
py=/usr/bin/python3
[ -x "$py" ] || py=python3
meta=(
  --meta "Machine: ${cpu_model:-?}, $cores cores, $(nproc) logical CPUs (\`nproc\`); \"all\" threads = $nproc_all"
  --meta "nn-mlir: $nn_version (when the modules were compiled)"
  --meta "PyTorch (libtorch-dev) $torch_ver, oneDNN (libdnnl-dev) $dnnl_ver, nn-compile --emit=shared${target_cpu:+ --target-cpu=$target_cpu}"
  --meta "Repetitions: $rep_desc; the median call is reported (the minimum is in the CSV)"
  --meta "Load average before the runs: $load_before; total wall time $((t_end - t_start)) s"
)
[ "$busy" = 1 ] && meta+=(--meta "WARNING: the machine was busy (load average $load_before before the runs, per run in the load column): other processes compete for the cores, so timings, above all those with threads > 1, are unreliable")
[ "$quick" = 1 ] && meta+=(--meta "QUICK RUN (--quick): a smoke test, the numbers are noisy")
"$py" bench/report.py "$out_dir/results.csv" \
  --md "$out_dir/results.md" --png "$out_dir/results.png" "${meta[@]}"

cat "$out_dir/results.md"
echo
echo "wrote $out_dir/results.csv, $out_dir/results.md, $out_dir/results.png ($((t_end - t_start)) s)" >&2
status=0
if [ ${#failed[@]} -gt 0 ]; then
  echo >&2
  echo "!!! nn-mlir produced WRONG RESULTS for ${#failed[@]} run(s):" >&2
  printf '!!!   %s\n' "${failed[@]}" >&2
  status=1
fi
if [ ${#crashed[@]} -gt 0 ]; then
  echo "!!! the harness failed for ${#crashed[@]} run(s):" >&2
  printf '!!!   %s\n' "${crashed[@]}" >&2
  status=1
fi
exit $status
