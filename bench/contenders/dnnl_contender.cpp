// The oneDNN contender of bench/contenders/bench.py: a small shared library,
// loaded with ctypes, that runs oneDNN's softmax_v2 forward primitive with
// algorithm::softmax_log on buffers the caller owns.
//
// Built by bench/contenders/run.sh against the `onednn-devel` wheel (headers)
// and the `onednn` wheel (libdnnl.so.3) in build-bench/venv-contenders:
//
//   g++ -O2 -std=c++17 -shared -fPIC dnnl_contender.cpp -o libdnnl_contender.so \
//       -I$VENV/include -L$VENV/lib -ldnnl -ltbb -Wl,-rpath,$VENV/lib
//
// The PyPI build of oneDNN 2026.1 has DNNL_CPU_RUNTIME=SYCL and TBB threading:
// the CPU engine is a SYCL CPU device (Intel's OpenCL CPU runtime, reached
// through the Unified Runtime's OpenCL adapter; see run.sh) and the kernels
// parallelise with TBB. The thread count is therefore set with
// tbb::global_control(max_allowed_parallelism, N), held for the life of the
// handle; omp_set_num_threads would do nothing.
//
// C API (all functions return 0 on success, else write a message to err):
//   nnb_dnnl_create(ndims, dims, axis, bf16, threads, src, dst, &handle,
//                   impl, impl_len, err, err_len)
//   nnb_dnnl_run(handle, err, err_len)      one call, waits for completion
//   nnb_dnnl_destroy(handle)
//   nnb_dnnl_max_threads()                  TBB's current concurrency limit

#include <oneapi/dnnl/dnnl.hpp>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

namespace {

struct Handle {
  std::unique_ptr<oneapi::tbb::global_control> threads;
  dnnl::engine engine;
  dnnl::stream stream;
  dnnl::memory src, dst;
  dnnl::softmax_forward primitive;
};

void copyString(const std::string &s, char *out, int len) {
  if (!out || len <= 0)
    return;
  std::snprintf(out, (size_t)len, "%s", s.c_str());
}

} // namespace

extern "C" {

int nnb_dnnl_create(int ndims, const int64_t *dims, int axis, int bf16,
                    int threads, void *src, void *dst, void **handleOut,
                    char *impl, int implLen, char *err, int errLen) {
  try {
    auto h = std::make_unique<Handle>();
    if (threads > 0)
      h->threads = std::make_unique<oneapi::tbb::global_control>(
          oneapi::tbb::global_control::max_allowed_parallelism,
          (size_t)threads);
    h->engine = dnnl::engine(dnnl::engine::kind::cpu, 0);
    h->stream = dnnl::stream(h->engine);
    dnnl::memory::dims shape(dims, dims + ndims), strides(ndims);
    int64_t stride = 1;
    for (int i = ndims - 1; i >= 0; --i) {
      strides[i] = stride;
      stride *= dims[i];
    }
    auto type = bf16 ? dnnl::memory::data_type::bf16
                     : dnnl::memory::data_type::f32;
    dnnl::memory::desc md(shape, type, strides);
    auto pd = dnnl::softmax_forward::primitive_desc(
        h->engine, dnnl::prop_kind::forward_inference,
        dnnl::algorithm::softmax_log, md, md, axis);
    copyString(pd.impl_info_str(), impl, implLen);
    h->primitive = dnnl::softmax_forward(pd);
    h->src = dnnl::memory(md, h->engine, src);
    h->dst = dnnl::memory(md, h->engine, dst);
    *handleOut = h.release();
    return 0;
  } catch (const dnnl::error &e) {
    copyString(std::string("dnnl::error: ") + e.what() + " (status " +
                   std::to_string((int)e.status) + ")",
               err, errLen);
  } catch (const std::exception &e) {
    copyString(std::string("exception: ") + e.what(), err, errLen);
  }
  return 1;
}

int nnb_dnnl_run(void *handle, char *err, int errLen) {
  auto *h = static_cast<Handle *>(handle);
  try {
    h->primitive.execute(h->stream,
                         {{DNNL_ARG_SRC, h->src}, {DNNL_ARG_DST, h->dst}});
    h->stream.wait();
    return 0;
  } catch (const std::exception &e) {
    copyString(std::string("exception: ") + e.what(), err, errLen);
  }
  return 1;
}

void nnb_dnnl_destroy(void *handle) { delete static_cast<Handle *>(handle); }

int nnb_dnnl_max_threads() {
  return (int)oneapi::tbb::global_control::active_value(
      oneapi::tbb::global_control::max_allowed_parallelism);
}

} // extern "C"
