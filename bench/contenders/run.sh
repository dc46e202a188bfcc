#!/usr/bin/env bash
# nn.logsoftmax against today's PyPI contenders, side by side in one run
# (issue 16): PyTorch eager and torch.compile, ONNX Runtime, JAX/XLA, IREE
# (Python runtime and iree-benchmark-module), oneDNN (the onednn wheels) and
# memcpy, with nn-mlir called through its Python package.
#
#   bash bench/contenders/run.sh [--quick] [--install-nn] [--python=PY]
#                                [--no-dnnl] [bench.py options...]
#
# e.g. --threads=1 --shapes=4096x1024,1024x32000 --dtypes=f32
#      --contenders=nn,torch,ort,memcpy   (see bench.py --help)
#
# What it does:
#  1. picks the Python: --python=PY, else python3.12 where there is one (JAX
#     0.11 and later need 3.12; Debian 12's python3 is 3.11, where JAX stops
#     at 0.10.2: requirements.txt pins per Python version), else the Python of
#     build-python/venv. Creates build-bench/venv-contenders (for
#     build-python/venv's Python X.Y) or build-bench/venv-contenders-pyX.Y
#     and installs bench/contenders/requirements.txt into it, pinned; again
#     only when that file changes. Several GB: PyPI's torch brings CUDA
#     libraries. Nothing outside build-bench/ is touched, and the tests need
#     none of it.
#  2. nn-mlir: with --install-nn, `pip install` of this checkout into that
#     venv (its C++ build is cached in build-python/; a stale cache means a
#     C++ build). Without it, the nn_mlir that scripts/test-python.sh put in
#     build-python/venv is imported (its site-packages is appended to
#     sys.path, after the venv's own numpy and ml_dtypes, which are pinned to
#     the same versions) when both venvs run the same Python X.Y; failing
#     that, it installs as with --install-nn.
#  3. oneDNN: the PyPI build of oneDNN 2026.1 runs its CPU engine as a SYCL
#     device on Intel's OpenCL CPU runtime, but intel-cmplr-lib-ur 2026.2
#     (which it pulls in) ships no OpenCL adapter for the Unified Runtime, so
#     "SYCL cpu devices queried but not found". The adapter of
#     intel-cmplr-lib-ur 2026.1.2 (same UR ABI, 0.12) is taken from that
#     wheel into the venv's lib/. Then bench/contenders/dnnl_contender.cpp is
#     compiled with g++ against the wheels (skipped with --no-dnnl).
#  4. runs bench/contenders/bench.py, which writes
#     bench/results/contenders.{csv,md}.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

python=""
install_nn=0
build_dnnl=1
pass=()
for a in "$@"; do
  case "$a" in
    --python=*) python="${a#*=}" ;;
    --install-nn) install_nn=1 ;;
    --no-dnnl) build_dnnl=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) pass+=("$a") ;;
  esac
done

nn_venv=build-python/venv
if [ -z "$python" ]; then
  # JAX 0.11 and later need Python 3.12 (the issue asks for JAX 0.12);
  # Debian 12's python3 is 3.11, where JAX stops at 0.10.2.
  # (pyenv's shim answers for python3.12 even where it is not selected, so
  # each candidate is run; pyenv's own 3.12 counts too.)
  for c in python3.12 "$(pyenv root 2>/dev/null)"/versions/3.12*/bin/python3.12; do
    if p=$("$c" -c 'import sys, venv; print(sys.executable)' 2>/dev/null); then
      python=$p
      break
    fi
  done
  if [ -n "$python" ]; then
    :
  elif [ -x "$nn_venv/bin/python" ]; then
    python=$("$nn_venv/bin/python" -c 'import sys; print(sys._base_executable)')
  else
    python=python3
  fi
fi
pyver=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
venv=build-bench/venv-contenders
default_ver=$( [ -x "$nn_venv/bin/python" ] && "$nn_venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' || echo "$pyver")
[ "$pyver" = "$default_ver" ] || venv="build-bench/venv-contenders-py$pyver"
mkdir -p build-bench/contenders

# ---- 1. the contenders, pinned
req=bench/contenders/requirements.txt
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bench/contenders: installing $req into $venv (Python $pyver; several GB)" >&2
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -r "$req"
  echo "$want" >"$stamp"
fi
py="$venv/bin/python"

# ---- 2. nn-mlir
nn_site=""
if [ "$install_nn" = 1 ]; then
  echo "bench/contenders: pip install $root into $venv (C++ build cached in build-python/)" >&2
  "$venv/bin/pip" install --quiet "$root"
elif ! "$py" -c 'import nn_mlir' 2>/dev/null; then
  site=$("$nn_venv/bin/python" -c 'import nn_mlir, os; print(os.path.dirname(os.path.dirname(nn_mlir.__file__)))' 2>/dev/null || true)
  if [ -n "$site" ] && [ "$pyver" = "$default_ver" ]; then
    nn_site=$site
  else
    echo "bench/contenders: no nn_mlir for Python $pyver; pip install $root into $venv" >&2
    "$venv/bin/pip" install --quiet "$root"
  fi
fi
nn_where=$("$py" - "$nn_site" <<'EOF'
import glob, os, sys, time
if sys.argv[1]:
    sys.path.append(sys.argv[1])
import nn_mlir
d = os.path.dirname(nn_mlir.__file__)
so = glob.glob(os.path.join(d, "_nn_mlir*.so"))[0]
print(os.path.relpath(d), "(extension built", time.strftime("%Y-%m-%d %H:%M)", time.localtime(os.path.getmtime(so))))
EOF
)

# ---- 3. oneDNN: the UR OpenCL adapter, then the contender library
dnnl_args=()
lib="$venv/lib"
if [ ! -e "$lib/libur_adapter_opencl.so.0" ]; then
  dl=build-bench/contenders/dl
  mkdir -p "$dl"
  "$venv/bin/pip" download --quiet --no-deps intel-cmplr-lib-ur==2026.1.2 -d "$dl"
  "$py" - "$dl" "$lib" <<'EOF'
import glob, os, shutil, sys, zipfile
dl, lib = sys.argv[1:]
whl = glob.glob(os.path.join(dl, "intel_cmplr_lib_ur-2026.1.2-*.whl"))[0]
with zipfile.ZipFile(whl) as z:
    for n in z.namelist():
        base = os.path.basename(n)
        if base.startswith("libur_adapter_opencl.so"):
            with z.open(n) as s, open(os.path.join(lib, base), "wb") as d:
                shutil.copyfileobj(s, d)
            os.chmod(os.path.join(lib, base), 0o755)
            print("bench/contenders: installed", base, "into", lib, file=sys.stderr)
EOF
fi
if [ "$build_dnnl" = 1 ]; then
  so=$venv/libdnnl_contender.so
  src=bench/contenders/dnnl_contender.cpp
  if [ ! -f "$so" ] || [ "$src" -nt "$so" ] || [ "$stamp" -nt "$so" ]; then
    echo "bench/contenders: g++ $src -> $so" >&2
    g++ -O2 -std=c++17 -shared -fPIC "$src" -o "$so" -I"$venv/include" \
      -L"$lib" -ldnnl -ltbb -Wl,--disable-new-dtags,-rpath,"$root/$lib"
  fi
  dnnl_args=(--dnnl-lib="$root/$so")
else
  dnnl_args=(--dnnl-lib=)
fi

# ---- 4. the run
cpu_model=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
cores=$(lscpu -p=core,socket 2>/dev/null | grep -v '^#' | sort -u | wc -l)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
flags=$(grep -o -w 'avx512f\|avx512_bf16\|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')
meta=(
  --meta "Command: bash bench/contenders/run.sh ${*:-}"
  --meta "Machine: ${cpu_model:-?}, $cores cores, $(nproc) logical CPUs (nproc), $mem RAM; CPU flags: $flags"
  --meta "nn-mlir: $(git describe --always --dirty 2>/dev/null || echo '?'); nn_mlir from $nn_where"
  --meta "Python $pyver ($venv); load average before the run: $load_before"
)
busy=$(awk -v l="${load_before%% *}" 'BEGIN { print (l > 0.5) ? 1 : 0 }')
if [ "$busy" = 1 ]; then
  echo "bench/contenders: warning: load average $load_before before the run" >&2
  meta+=(--meta "WARNING: the machine was busy (load average $load_before before the run; per row in the load column): timings are unreliable")
fi
for a in "${pass[@]:-}"; do
  [ "$a" = --quick ] && meta+=(--meta "QUICK RUN (--quick): a smoke test, the numbers are noisy")
done
exec "$py" bench/contenders/bench.py --nn-site="$nn_site" "${dnnl_args[@]}" "${meta[@]}" ${pass[@]+"${pass[@]}"}
