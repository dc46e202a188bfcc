//===- CUDARuntimeWrappers.cpp - The mgpu* functions over the CUDA driver -===//
//
// The host code of --nn-gpu-pipeline calls MLIR's GPU runtime interface
// (mgpuModuleLoad, mgpuLaunchKernel, ...), whose implementation Debian's MLIR
// does not ship. This one loads libcuda.so.1 with dlopen on first use, so a
// library built with it needs no CUDA at link time and loads on machines
// without a GPU.
//
// The functions return nothing, so errors cannot travel through them: the
// first failing CUDA call is recorded with the name of its error, later
// calls do nothing, and nn_cuda_last_error() reports it. Everything runs on
// device 0's primary context. Plain C underneath (pthread, no C++ library):
// the shared libraries nn-compile links it into need only libc.
//
//===----------------------------------------------------------------------===//

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <dlfcn.h>
#include <pthread.h>

namespace {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using Handle = void *;

struct Driver {
  CUresult (*init)(unsigned);
  CUresult (*deviceGet)(CUdevice *, int);
  CUresult (*primaryCtxRetain)(Handle *, CUdevice);
  CUresult (*ctxSetCurrent)(Handle);
  CUresult (*getErrorName)(CUresult, const char **);
  CUresult (*moduleLoadData)(Handle *, const void *);
  CUresult (*moduleLoadDataEx)(Handle *, const void *, unsigned, int *,
                               void **);
  CUresult (*moduleUnload)(Handle);
  CUresult (*moduleGetFunction)(Handle *, Handle, const char *);
  CUresult (*launchKernel)(Handle, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, Handle, void **,
                           void **);
  CUresult (*streamCreate)(Handle *, unsigned);
  CUresult (*streamSynchronize)(Handle);
  CUresult (*streamDestroy)(Handle);
  CUresult (*memAlloc)(CUdeviceptr *, size_t);
  CUresult (*memFree)(CUdeviceptr);
  // Stream-ordered allocation (CUDA 11.2+; null on older drivers): the
  // split-row kernels' partials come from the device's memory pool, with
  // no device-wide synchronization as cuMemFree implies.
  CUresult (*memAllocAsync)(CUdeviceptr *, size_t, Handle) = nullptr;
  CUresult (*memFreeAsync)(CUdeviceptr, Handle) = nullptr;
  CUresult (*memcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, Handle);
  Handle context = nullptr;
};

pthread_mutex_t errorMutex = PTHREAD_MUTEX_INITIALIZER;
char lastError[512];

void recordError(const char *format, ...) {
  pthread_mutex_lock(&errorMutex);
  if (!lastError[0]) {
    va_list args;
    va_start(args, format);
    std::vsnprintf(lastError, sizeof(lastError), format, args);
    va_end(args);
  }
  pthread_mutex_unlock(&errorMutex);
}

bool hasError() {
  pthread_mutex_lock(&errorMutex);
  bool error = lastError[0] != 0;
  pthread_mutex_unlock(&errorMutex);
  return error;
}

template <typename Fn> bool resolve(void *library, const char *name, Fn &fn) {
  fn = reinterpret_cast<Fn>(dlsym(library, name));
  if (!fn)
    recordError("the CUDA driver lacks %s", name);
  return fn != nullptr;
}

Driver theDriver;
Driver *driver = nullptr;
pthread_once_t driverOnce = PTHREAD_ONCE_INIT;

/// Loads the driver and retains device 0's primary context, once.
void loadDriver() {
  driver = []() -> Driver * {
    void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
      recordError("no CUDA driver on this machine (%s)", dlerror());
      return nullptr;
    }
    Driver &d = theDriver;
    bool ok =
        resolve(library, "cuInit", d.init) &&
        resolve(library, "cuDeviceGet", d.deviceGet) &&
        resolve(library, "cuDevicePrimaryCtxRetain", d.primaryCtxRetain) &&
        resolve(library, "cuCtxSetCurrent", d.ctxSetCurrent) &&
        resolve(library, "cuGetErrorName", d.getErrorName) &&
        resolve(library, "cuModuleLoadData", d.moduleLoadData) &&
        resolve(library, "cuModuleLoadDataEx", d.moduleLoadDataEx) &&
        resolve(library, "cuModuleUnload", d.moduleUnload) &&
        resolve(library, "cuModuleGetFunction", d.moduleGetFunction) &&
        resolve(library, "cuLaunchKernel", d.launchKernel) &&
        resolve(library, "cuStreamCreate", d.streamCreate) &&
        resolve(library, "cuStreamSynchronize", d.streamSynchronize) &&
        resolve(library, "cuStreamDestroy_v2", d.streamDestroy) &&
        resolve(library, "cuMemAlloc_v2", d.memAlloc) &&
        resolve(library, "cuMemFree_v2", d.memFree) &&
        resolve(library, "cuMemcpyAsync", d.memcpyAsync);
    if (!ok)
      return nullptr;
    d.memAllocAsync = reinterpret_cast<decltype(d.memAllocAsync)>(
        dlsym(library, "cuMemAllocAsync"));
    d.memFreeAsync = reinterpret_cast<decltype(d.memFreeAsync)>(
        dlsym(library, "cuMemFreeAsync"));
    CUdevice device;
    const char *name = nullptr;
    CUresult code = d.init(0);
    if (!code)
      code = d.deviceGet(&device, 0);
    if (!code)
      code = d.primaryCtxRetain(&d.context, device);
    if (code) {
      d.getErrorName(code, &name);
      recordError("initializing CUDA failed: %s", name ? name : "unknown");
      return nullptr;
    }
    return &d;
  }();
}

/// The driver with device 0's primary context current on this thread, or
/// null (with the error recorded).
Driver *getDriver() {
  pthread_once(&driverOnce, loadDriver);
  if (!driver || hasError())
    return nullptr;
  driver->ctxSetCurrent(driver->context);
  return driver;
}

/// Records `call`'s failure by error name; true when it succeeded.
bool check(Driver *driver, CUresult code, const char *call) {
  if (!code)
    return true;
  const char *name = nullptr;
  driver->getErrorName(code, &name);
  recordError("%s failed: %s", call, name ? name : "unknown CUDA error");
  return false;
}

} // namespace

extern "C" {

/// The first CUDA error of this process ("cuLaunchKernel failed:
/// CUDA_ERROR_INVALID_VALUE", "no CUDA driver on this machine (...)"), or
/// null when there has been none.
__attribute__((visibility("default"))) const char *nn_cuda_last_error() {
  return hasError() ? lastError : nullptr;
}

Handle mgpuModuleLoad(void *data, size_t /*size*/) {
  Handle module = nullptr;
  if (Driver *d = getDriver())
    check(d, d->moduleLoadData(&module, data), "cuModuleLoadData");
  return module;
}

Handle mgpuModuleLoadJIT(void *data, int optLevel) {
  Handle module = nullptr;
  if (Driver *d = getDriver()) {
    int options[] = {7 /*CU_JIT_OPTIMIZATION_LEVEL*/};
    void *values[] = {
        reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
    check(d, d->moduleLoadDataEx(&module, data, 1, options, values),
          "cuModuleLoadDataEx (PTX JIT)");
  }
  return module;
}

void mgpuModuleUnload(Handle module) {
  if (Driver *d = getDriver(); d && module)
    check(d, d->moduleUnload(module), "cuModuleUnload");
}

Handle mgpuModuleGetFunction(Handle module, const char *name) {
  Handle function = nullptr;
  if (Driver *d = getDriver(); d && module)
    check(d, d->moduleGetFunction(&function, module, name),
          "cuModuleGetFunction");
  return function;
}

void mgpuLaunchKernel(Handle function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, Handle stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  if (Driver *d = getDriver(); d && function)
    check(d,
          d->launchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ,
                          smem, stream, params, extra),
          "cuLaunchKernel");
}

Handle mgpuStreamCreate() {
  Handle stream = nullptr;
  if (Driver *d = getDriver())
    check(d, d->streamCreate(&stream, 1 /*CU_STREAM_NON_BLOCKING*/),
          "cuStreamCreate");
  return stream;
}

void mgpuStreamSynchronize(Handle stream) {
  if (Driver *d = getDriver(); d && stream)
    check(d, d->streamSynchronize(stream), "cuStreamSynchronize");
}

void mgpuStreamDestroy(Handle stream) {
  if (Driver *d = getDriver(); d && stream)
    check(d, d->streamDestroy(stream), "cuStreamDestroy");
}

void *mgpuMemAlloc(uint64_t size, Handle stream, bool /*isHostShared*/) {
  CUdeviceptr pointer = 0;
  Driver *d = getDriver();
  if (!d || !size)
    return nullptr;
  if (stream && d->memAllocAsync)
    check(d, d->memAllocAsync(&pointer, size, stream), "cuMemAllocAsync");
  else
    check(d, d->memAlloc(&pointer, size), "cuMemAlloc");
  return reinterpret_cast<void *>(pointer);
}

void mgpuMemFree(void *pointer, Handle stream) {
  Driver *d = getDriver();
  if (!d || !pointer)
    return;
  auto device = reinterpret_cast<CUdeviceptr>(pointer);
  if (stream && d->memFreeAsync)
    check(d, d->memFreeAsync(device, stream), "cuMemFreeAsync");
  else
    check(d, d->memFree(device), "cuMemFree");
}

void mgpuMemcpy(void *dst, void *src, size_t size, Handle stream) {
  if (Driver *d = getDriver(); d && size)
    check(d,
          d->memcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                         reinterpret_cast<CUdeviceptr>(src), size, stream),
          "cuMemcpyAsync");
}

} // extern "C"
