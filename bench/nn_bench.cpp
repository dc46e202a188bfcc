// nn_bench: one side-by-side CPU measurement of log-softmax for one
// (shape, dim, dtype, threads), printed as one CSV row on stdout.
//
// Contenders, all reading the same input buffer and writing a preallocated,
// dense output buffer:
//   nn      _mlir_ciface_<func> from a .so made by `nn-compile --emit=shared`
//   torch   at::log_softmax_out (the out= form of at::log_softmax)
//   dnnl    oneDNN softmax_v2_forward, algorithm::softmax_log
//   memcpy  a copy of the same number of bytes (split over the threads when
//           threads > 1)
// plus, in the CSV only, torch_alloc: at::log_softmax returning a new tensor.
//
// Each contender: a pause (--settle-s), a warm-up, then enough timed
// repetitions to fill about --target-s seconds (at least --min-reps, at most
// --max-reps); each call is timed on its own with std::chrono::steady_clock;
// median and minimum are reported. Bandwidth counts the bytes read and written
// once: 2 * numel * sizeof(element).
//
// nn-mlir's result is checked against at::log_softmax computed in double on
// the same (already rounded) input, with the tolerances of
// docs/logsoftmax-semantics.md. A failure is reported loudly on stderr and in
// the row, timings are still printed, and the exit status is 3.

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <omp.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

[[noreturn]] void die(const std::string &msg) {
  std::fprintf(stderr, "nn_bench: error: %s\n", msg.c_str());
  std::exit(1);
}

// ---------------------------------------------------------------- options

struct Options {
  std::string so, func = "main", shapeStr, dtype = "f32";
  std::vector<int64_t> shape;
  int64_t dim = -1;
  int threads = 1;
  double targetS = 0.5, warmupS = 0.1, settleS = 0.3;
  int minReps = 5, maxReps = 5000, minWarmup = 2;
  bool header = false;
};

std::vector<int64_t> parseShape(const std::string &s) {
  std::vector<int64_t> out;
  std::stringstream ss(s);
  std::string tok;
  while (std::getline(ss, tok, 'x')) {
    char *end = nullptr;
    long long v = std::strtoll(tok.c_str(), &end, 10);
    if (tok.empty() || *end || v <= 0)
      die("bad --shape '" + s + "' (want e.g. 4096x1024)");
    out.push_back(v);
  }
  if (out.empty() || out.size() > 8)
    die("bad --shape '" + s + "'");
  return out;
}

const char *kUsage =
    "usage: nn_bench --so=LIB.so --shape=AxB[xC...] --dim=D --dtype=f32|bf16\n"
    "                [--threads=N] [--func=main] [--target-s=0.5]\n"
    "                [--warmup-s=0.1] [--settle-s=0.3] [--min-reps=5]\n"
    "                [--max-reps=5000]\n"
    "       nn_bench --csv-header\n";

Options parseArgs(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&](const char *name, std::string &dst) {
      std::string p = std::string("--") + name + "=";
      if (a.rfind(p, 0) != 0)
        return false;
      dst = a.substr(p.size());
      return true;
    };
    std::string v;
    if (a == "--csv-header")
      o.header = true;
    else if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (val("so", v))
      o.so = v;
    else if (val("func", v))
      o.func = v;
    else if (val("shape", v)) {
      o.shapeStr = v;
      o.shape = parseShape(v);
    } else if (val("dim", v))
      o.dim = std::stoll(v);
    else if (val("dtype", v))
      o.dtype = v;
    else if (val("threads", v))
      o.threads = std::stoi(v);
    else if (val("target-s", v))
      o.targetS = std::stod(v);
    else if (val("warmup-s", v))
      o.warmupS = std::stod(v);
    else if (val("settle-s", v))
      o.settleS = std::stod(v);
    else if (val("min-reps", v))
      o.minReps = std::stoi(v);
    else if (val("max-reps", v))
      o.maxReps = std::stoi(v);
    else
      die("unknown argument '" + a + "'\n" + kUsage);
  }
  if (o.header)
    return o;
  if (o.so.empty() || o.shape.empty())
    die(std::string("--so and --shape are required\n") + kUsage);
  if (o.dtype != "f32" && o.dtype != "bf16")
    die("--dtype must be f32 or bf16");
  int64_t rank = (int64_t)o.shape.size();
  if (o.dim < -rank || o.dim >= rank)
    die("--dim out of range");
  if (o.dim < 0)
    o.dim += rank;
  if (o.threads < 1)
    die("--threads must be >= 1");
  if (o.minReps < 1 || o.maxReps < o.minReps)
    die("bad --min-reps/--max-reps");
  return o;
}

// ---------------------------------------------------------------- bf16

uint16_t floatToBf16(float f) { // round to nearest even, NaN kept quiet
  uint32_t u;
  std::memcpy(&u, &f, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u)
    return (uint16_t)((u >> 16) | 0x40);
  u += 0x7fffu + ((u >> 16) & 1u);
  return (uint16_t)(u >> 16);
}

float bf16ToFloat(uint16_t h) {
  uint32_t u = (uint32_t)h << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// ---------------------------------------------------------------- buffers

struct FreeDeleter {
  void operator()(void *p) const { std::free(p); }
};
using Buffer = std::unique_ptr<char, FreeDeleter>;

Buffer allocBuffer(size_t bytes) {
  size_t rounded = (std::max<size_t>(bytes, 1) + 4095) / 4096 * 4096;
  void *p = std::aligned_alloc(4096, rounded);
  if (!p)
    die("out of memory allocating " + std::to_string(bytes) + " bytes");
  return Buffer((char *)p);
}

// A memref descriptor of rank R, laid out like StridedMemRefType<T, R>:
// allocated, aligned, offset, sizes[R], strides[R].
struct Descriptor {
  std::vector<int64_t> words;
  Descriptor(void *data, const std::vector<int64_t> &shape) {
    size_t r = shape.size();
    words.assign(3 + 2 * r, 0);
    int64_t ptr = (int64_t)(intptr_t)data;
    words[0] = ptr;
    words[1] = ptr;
    words[2] = 0;
    int64_t stride = 1;
    for (size_t i = r; i-- > 0;) {
      words[3 + i] = shape[i];
      words[3 + r + i] = stride;
      stride *= shape[i];
    }
  }
  void *get() { return words.data(); }
};

// ---------------------------------------------------------------- timing

struct Timing {
  bool available = false;
  std::string why; // when not available
  double medianS = 0, minS = 0;
  int reps = 0;
};

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Timing timeIt(const Options &o, const std::function<void()> &fn) {
  Timing t;
  t.available = true;
  // Settle first: the process holds two OpenMP runtimes (GNU libgomp for
  // ATen, oneDNN and memcpy; LLVM libomp for nn-mlir's kernels), and idle
  // workers of one keep spinning for a while after a parallel region
  // (libomp: KMP_BLOCKTIME, 200 ms by default), which would steal cores from
  // the next contender.
  std::this_thread::sleep_for(std::chrono::duration<double>(o.settleS));
  // Warm-up: at least minWarmup calls and at least warmupS seconds.
  double start = now(), fastest = 1e30;
  for (int i = 0;; ++i) {
    double a = now();
    fn();
    fastest = std::min(fastest, now() - a);
    if (i + 1 >= o.minWarmup && now() - start >= o.warmupS)
      break;
    if (i + 1 >= 1000000)
      break;
  }
  int reps = (int)std::ceil(o.targetS / std::max(fastest, 1e-9));
  reps = std::clamp(reps, o.minReps, o.maxReps);
  std::vector<double> ts(reps);
  for (int i = 0; i < reps; ++i) {
    double a = now();
    fn();
    ts[i] = now() - a;
  }
  std::sort(ts.begin(), ts.end());
  t.reps = reps;
  t.minS = ts.front();
  t.medianS = reps % 2 ? ts[reps / 2] : 0.5 * (ts[reps / 2 - 1] + ts[reps / 2]);
  return t;
}

// ---------------------------------------------------------------- check

struct Check {
  bool done = false, ok = true;
  double maxAbsErr = 0, worstRatio = 0; // ratio: err / (atol + rtol|ref|)
  int64_t mismatchedNonFinite = 0, outOfTol = 0;
};

// `ref` is the double reference, already rounded to the output type.
Check checkOutput(const void *out, bool bf16, const double *ref, int64_t n) {
  const double atol = bf16 ? 2e-2 : 1e-5, rtol = atol;
  Check c;
  c.done = true;
  for (int64_t i = 0; i < n; ++i) {
    double y = bf16 ? bf16ToFloat(((const uint16_t *)out)[i])
                    : ((const float *)out)[i];
    double r = ref[i];
    if (!std::isfinite(r) || !std::isfinite(y)) {
      bool same = (std::isnan(r) && std::isnan(y)) || (r == y);
      if (!same)
        ++c.mismatchedNonFinite;
      continue;
    }
    double err = std::fabs(y - r);
    double ratio = err / (atol + rtol * std::fabs(r));
    c.maxAbsErr = std::max(c.maxAbsErr, err);
    c.worstRatio = std::max(c.worstRatio, ratio);
    if (ratio > 1)
      ++c.outOfTol;
  }
  c.ok = c.mismatchedNonFinite == 0 && c.outOfTol == 0;
  return c;
}

// ---------------------------------------------------------------- output

std::string fmt(double v, const char *f = "%.6g") {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

const char *kColumns =
    "shape,dim,dtype,threads,numel,bytes_rw,"
    "nn_median_s,nn_min_s,nn_reps,"
    "torch_median_s,torch_min_s,torch_reps,"
    "dnnl_median_s,dnnl_min_s,dnnl_reps,"
    "memcpy_median_s,memcpy_min_s,memcpy_reps,"
    "torch_alloc_median_s,torch_alloc_min_s,torch_alloc_reps,"
    "nn_gbps,torch_gbps,dnnl_gbps,memcpy_gbps,torch_alloc_gbps,"
    "nn_over_best,nn_over_memcpy,"
    "nn_check,nn_max_abs_err,nn_worst_tol_ratio,"
    "torch_max_abs_err,dnnl_max_abs_err,"
    "dnnl_impl,torch_cpu_capability,loadavg1,notes";

} // namespace

int main(int argc, char **argv) {
  Options o = parseArgs(argc, argv);
  if (o.header) {
    std::puts(kColumns);
    return 0;
  }

  // The 1-minute load average when this process started (others' work
  // on the machine makes threaded timings unreliable).
  std::string loadStart = "?";
  if (FILE *f = std::fopen("/proc/loadavg", "r")) {
    char b[32] = {0};
    if (std::fscanf(f, "%31s", b) == 1)
      loadStart = b;
    std::fclose(f);
  }

  const bool bf16 = o.dtype == "bf16";
  const size_t esize = bf16 ? 2 : 4;
  int64_t numel = 1;
  for (int64_t s : o.shape)
    numel *= s;
  const size_t bytes = (size_t)numel * esize;
  const double bytesRW = 2.0 * (double)bytes;
  std::vector<std::string> notes;

  // Threads: the nn kernel reads NN_NUM_THREADS (set before it is loaded);
  // ATen and oneDNN (Debian builds both on GNU OpenMP) via OpenMP.
  setenv("NN_NUM_THREADS", std::to_string(o.threads).c_str(), 1);
  omp_set_num_threads(o.threads);
  at::set_num_threads(o.threads);

  // ---- the nn kernel
  void *lib = dlopen(o.so.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    die(std::string("dlopen: ") + dlerror());
  std::string sym = "_mlir_ciface_" + o.func;
  using Kernel = void (*)(void *, void *);
  auto nnKernel = (Kernel)dlsym(lib, sym.c_str());
  if (!nnKernel)
    die("no symbol " + sym + " in " + o.so);

  // ---- input: normal(0,1) * 4 with a fixed seed, rounded to the dtype
  Buffer in = allocBuffer(bytes), out = allocBuffer(bytes);
  {
    std::mt19937_64 rng(20240611);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    for (int64_t i = 0; i < numel; ++i) {
      float v = 4.0f * nd(rng);
      if (bf16)
        ((uint16_t *)in.get())[i] = floatToBf16(v);
      else
        ((float *)in.get())[i] = v;
    }
  }
  auto poisonOut = [&] { std::memset(out.get(), 0xff, bytes); }; // NaNs

  const auto atType = bf16 ? at::kBFloat16 : at::kFloat;
  at::Tensor xT =
      at::from_blob(in.get(), o.shape, at::TensorOptions().dtype(atType));
  at::Tensor yT =
      at::from_blob(out.get(), o.shape, at::TensorOptions().dtype(atType));

  // ---- reference: at::log_softmax in double, rounded to the output type
  std::vector<double> ref((size_t)numel);
  {
    at::Tensor r = at::log_softmax(xT.to(at::kDouble), o.dim);
    if (bf16)
      r = r.to(at::kBFloat16).to(at::kDouble);
    r = r.contiguous();
    std::memcpy(ref.data(), r.data_ptr<double>(),
                (size_t)numel * sizeof(double));
  }

  // ---- nn-mlir
  Descriptor dIn(in.get(), o.shape), dOut(out.get(), o.shape);
  poisonOut();
  Timing tNN = timeIt(o, [&] { nnKernel(dIn.get(), dOut.get()); });
  Check cNN = checkOutput(out.get(), bf16, ref.data(), numel);

  // ---- PyTorch, out= form (writes into our buffer, no allocation)
  poisonOut();
  Timing tTorch = timeIt(o, [&] { at::log_softmax_out(yT, xT, o.dim); });
  Check cTorch = checkOutput(out.get(), bf16, ref.data(), numel);
  if (yT.data_ptr() != (void *)out.get())
    notes.push_back("torch out= reallocated its output");

  // ---- PyTorch, allocating form (CSV only)
  Timing tTorchAlloc = timeIt(o, [&] {
    at::Tensor y = at::log_softmax(xT, o.dim);
    (void)y;
  });

  // ---- oneDNN softmax_v2, softmax_log
  Timing tDnnl;
  Check cDnnl;
  std::string dnnlImpl = "n/a";
  try {
    dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    dnnl::stream strm(eng);
    dnnl::memory::dims dims(o.shape.begin(), o.shape.end());
    dnnl::memory::dims strides(o.shape.size());
    int64_t st = 1;
    for (size_t i = o.shape.size(); i-- > 0;) {
      strides[i] = st;
      st *= o.shape[i];
    }
    auto dt =
        bf16 ? dnnl::memory::data_type::bf16 : dnnl::memory::data_type::f32;
    dnnl::memory::desc md(dims, dt, strides);
    dnnl::softmax_v2_forward::desc d(dnnl::prop_kind::forward_inference,
                                     dnnl::algorithm::softmax_log, md, md,
                                     (int)o.dim);
    dnnl::softmax_v2_forward::primitive_desc pd(d, eng);
    dnnlImpl = pd.impl_info_str();
    dnnl::softmax_v2_forward prim(pd);
    dnnl::memory src(md, eng, in.get()), dst(md, eng, out.get());
    std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, src},
                                               {DNNL_ARG_DST, dst}};
    poisonOut();
    tDnnl = timeIt(o, [&] {
      prim.execute(strm, args);
      strm.wait();
    });
    cDnnl = checkOutput(out.get(), bf16, ref.data(), numel);
  } catch (const dnnl::error &e) {
    tDnnl.available = false;
    tDnnl.why = std::string("oneDNN: ") + e.what();
    notes.push_back(tDnnl.why);
    std::fprintf(stderr, "nn_bench: oneDNN %s %s unavailable: %s\n",
                 o.shapeStr.c_str(), o.dtype.c_str(), e.what());
  }

  // ---- memcpy of the same bytes (one chunk per thread)
  const int nt = o.threads;
  Timing tMemcpy = timeIt(o, [&] {
    if (nt == 1) {
      std::memcpy(out.get(), in.get(), bytes);
      return;
    }
    const size_t chunk = (bytes / nt + 63) / 64 * 64;
#pragma omp parallel for num_threads(nt) schedule(static)
    for (int t = 0; t < nt; ++t) {
      size_t b = std::min(bytes, (size_t)t * chunk);
      size_t e = std::min(bytes, b + chunk);
      if (e > b)
        std::memcpy(out.get() + b, in.get() + b, e - b);
    }
  });

  // ---- the row
  auto gbps = [&](const Timing &t) {
    return t.available ? bytesRW / t.medianS / 1e9 : NAN;
  };
  auto num = [](double v, const char *f = "%.6g") {
    return std::isfinite(v) ? fmt(v, f) : std::string("n/a");
  };
  auto timingCols = [&](const Timing &t) {
    if (!t.available)
      return std::string("n/a,n/a,n/a");
    return fmt(t.medianS, "%.6e") + "," + fmt(t.minS, "%.6e") + "," +
           std::to_string(t.reps);
  };
  double best =
      std::max(gbps(tTorch), std::isfinite(gbps(tDnnl)) ? gbps(tDnnl) : 0.0);
  double nnOverBest = gbps(tNN) / best;
  double nnOverMemcpy = gbps(tNN) / gbps(tMemcpy);

  // ATen's dispatch ISA, from its configuration summary.
  std::string capName = "?";
  {
    std::string cfg = at::show_config();
    const std::string key = "CPU capability usage: ";
    size_t p = cfg.find(key);
    if (p != std::string::npos) {
      size_t e = cfg.find('\n', p);
      capName = cfg.substr(p + key.size(),
                           e == std::string::npos ? e : e - p - key.size());
    }
  }

  if (!cTorch.ok)
    notes.push_back("torch out of tolerance");
  if (cDnnl.done && !cDnnl.ok)
    notes.push_back("oneDNN out of tolerance");
  std::string noteStr;
  for (auto &n : notes) {
    std::string clean = n;
    for (char &ch : clean)
      if (ch == ',' || ch == '\n' || ch == '"')
        ch = ' ';
    noteStr += (noteStr.empty() ? "" : "; ") + clean;
  }
  std::string implClean = dnnlImpl;
  for (char &ch : implClean)
    if (ch == ',')
      ch = ' ';

  std::ostringstream row;
  row << o.shapeStr << "," << o.dim << "," << o.dtype << "," << o.threads << ","
      << numel << "," << (int64_t)bytesRW << "," << timingCols(tNN) << ","
      << timingCols(tTorch) << "," << timingCols(tDnnl) << ","
      << timingCols(tMemcpy) << "," << timingCols(tTorchAlloc) << ","
      << num(gbps(tNN), "%.3f") << "," << num(gbps(tTorch), "%.3f") << ","
      << num(gbps(tDnnl), "%.3f") << "," << num(gbps(tMemcpy), "%.3f") << ","
      << num(gbps(tTorchAlloc), "%.3f") << "," << num(nnOverBest, "%.4f") << ","
      << num(nnOverMemcpy, "%.4f") << "," << (cNN.ok ? "ok" : "FAIL") << ","
      << fmt(cNN.maxAbsErr, "%.3e") << "," << fmt(cNN.worstRatio, "%.3g") << ","
      << fmt(cTorch.maxAbsErr, "%.3e") << ","
      << (cDnnl.done ? fmt(cDnnl.maxAbsErr, "%.3e") : std::string("n/a")) << ","
      << implClean << "," << capName << "," << loadStart << "," << noteStr;
  std::puts(row.str().c_str());
  std::fflush(stdout);

  if (!cNN.ok) {
    std::fprintf(stderr,
                 "\n*** nn_bench: nn-mlir RESULT WRONG for %s dim=%lld %s: "
                 "%lld values out of tolerance, %lld NaN/inf mismatches, "
                 "max abs err %.3e (worst err/tol %.3g) ***\n\n",
                 o.shapeStr.c_str(), (long long)o.dim, o.dtype.c_str(),
                 (long long)cNN.outOfTol, (long long)cNN.mismatchedNonFinite,
                 cNN.maxAbsErr, cNN.worstRatio);
    return 3;
  }
  return 0;
}
