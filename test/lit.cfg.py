# -*- Python -*-

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "NN"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.nn_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.txt", "lit.cfg.py", "lit.site.cfg.py", "lib", "Inputs"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%nn_src_root", config.nn_src_root))
# The C compiler driver of the LLVM install, for tests that build programs.
config.substitutions.append(("%cc", os.path.join(config.llvm_tools_dir, "clang")))
config.substitutions.append(("%cxx", os.path.join(config.llvm_tools_dir, "clang++")))
config.substitutions.append(("%nn_obj_root", config.nn_obj_root))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.nn_tools_dir, config.llvm_tools_dir]
tools = ["nn-opt", "nn-run", "nn-compile"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.nn_tools_dir, append_path=True)

# libNNPlugin.so and the stock mlir-opt it plugs into (mlir-opt-22, which
# links libMLIR.so): %nn_plugin and %mlir_opt. Tests of the plugin REQUIRE
# nn-plugin; it is missing when the build has no plugin (sanitizers, fuzzers,
# -DNN_BUILD_MLIR_OPT_PLUGIN=OFF).
_mlir_opt = os.path.join(config.llvm_tools_dir, "mlir-opt")
_nn_plugin = getattr(config, "nn_plugin", "")
# A build configured with the plugin runs them even where libNNPlugin.so was
# not built, so that a build step that skipped it fails them instead of
# leaving them unsupported.
if _nn_plugin and os.path.exists(_mlir_opt):
    config.available_features.add("nn-plugin")
    config.substitutions.append(("%nn_plugin", _nn_plugin))
    config.substitutions.append(("%mlir_opt", _mlir_opt))

# Features of this CPU, for tests that run code compiled for a given target
# CPU (such a test REQUIRES the features; elsewhere lit reports it
# UNSUPPORTED rather than letting it die of SIGILL).
def _cpu_flags():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()

_flags = _cpu_flags()
_haswell = {"avx2", "fma", "bmi2", "f16c", "movbe"}
_skylake_avx512 = _haswell | {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"}
_znver4 = _skylake_avx512 | {"avx512_bf16", "avx512_vbmi2", "avx512_bitalg",
                             "avx512_vpopcntdq", "avx512ifma", "avx512vbmi",
                             "avx512_vnni", "gfni", "vaes", "vpclmulqdq"}
for _name, _needed in (("haswell", _haswell), ("skylake-avx512", _skylake_avx512),
                       ("znver4", _znver4)):
    if _needed <= _flags:
        config.available_features.add("cpu-" + _name)

# Tests that need a lot of memory (the 2^31-element test) REQUIRE this.
def _available_memory_gib():
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / (1 << 20)
    except (OSError, ValueError, IndexError):
        pass
    return 0

if _available_memory_gib() >= 12:
    config.available_features.add("memory-12g")

# Built with -DNN_ENABLE_SANITIZERS=...address...: the tools let ASan report
# crashes instead of turning them into errors.
if "address" in getattr(config, "nn_sanitizers", ""):
    config.available_features.add("asan")

# ptxas from the CUDA toolkit checks the GPU kernels' PTX.
import shutil as _shutil
_ptxas = _shutil.which("ptxas") or (
    "/usr/local/cuda/bin/ptxas" if os.path.exists("/usr/local/cuda/bin/ptxas") else None)
if _ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%nn_ptxas", _ptxas))

# A usable NVIDIA GPU (driver, cuInit, one device): GPU execution tests
# REQUIRE it and are reported UNSUPPORTED elsewhere.
def _has_cuda_device():
    import ctypes
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return False
    count = ctypes.c_int(0)
    return cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 \
        and count.value > 0

if _has_cuda_device():
    config.available_features.add("cuda")
