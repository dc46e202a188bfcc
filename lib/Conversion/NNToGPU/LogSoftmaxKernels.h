//===- LogSoftmaxKernels.h - The GPU kernels of nn.logsoftmax ---*- C++ -*-===//
//
// Private to NNToGPU. Each function emits one `gpu.launch` on flat (1-D)
// device buffers at the builder's insertion point, on the host side. The
// same kernels write nn.softmax, with another last step (SoftmaxKind).
//
// Synchronising ops (gpu.barrier, gpu.shuffle) are emitted only directly in
// the launch body, never under scf.if or scf.for: rows past the end are
// clamped and only their stores are guarded. The kernels are then in the
// form that --nn-emulate-gpu runs on the CPU, and every thread of a warp
// reaches every shuffle, as shfl.sync requires.
//
//===----------------------------------------------------------------------===//

#ifndef NN_LIB_CONVERSION_NNTOGPU_LOGSOFTMAXKERNELS_H
#define NN_LIB_CONVERSION_NNTOGPU_LOGSOFTMAXKERNELS_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "nn/Conversion/NNToGPU/NNToGPU.h"

#include <string>

namespace mlir::nn::gpu_kernels {

/// Threads of a warp; the kernels assume NVIDIA's 32.
constexpr int64_t kWarpSize = 32;
/// Threads of every block.
constexpr int64_t kBlockThreads = 256;

/// What the kernels write for an element x of a slice with maximum m (0
/// when it is -inf) and sum s of exp(x - m).
enum class SoftmaxKind {
  /// (x - m) - log(s): nn.logsoftmax.
  LogSoftmax,
  /// exp(x - m) * (1 / s): nn.softmax.
  Softmax,
  /// g - exp(y) * sum(g) for g in `in` and y in `aux`, with no maximum (the
  /// sum is of g itself): nn.logsoftmax_grad.
  LogSoftmaxGrad,
  /// No element written: each row (sample) of logits in `in` gives one
  /// loss, from its maximum, sum and target (in `aux`): nn.cross_entropy.
  CrossEntropy,
  /// g * (exp(x - m) * (1 / s) - label) for logits x in `in`, the sample's
  /// target in `aux` and its factor g from CrossEntropyParams::gradLoss:
  /// nn.cross_entropy_grad (SliceWriter).
  CrossEntropyGrad,
};

/// nn.cross_entropy's part of the kernels' context.
struct CrossEntropyParams {
  int64_t ignoreIndex = -100;
  double smoothing = 0.0;
  /// Reduction "none": each loss is written to `out`. Otherwise
  /// `partials` holds two f64 per sample, its loss and whether it counts,
  /// which emitCrossEntropyTotal adds (and divides for "mean").
  bool perSample = false;
  bool mean = false;
  /// Set by emitSoftmaxKernels.
  Value partials;
  /// nn.cross_entropy_grad's grad_loss, flat: one per sample for "none",
  /// else one. For "mean", emitSoftmaxKernels replaces it with a device
  /// temporary holding grad_loss over the count of samples not ignored, in
  /// `acc`.
  Value gradLoss;
};

/// What every kernel of one op shares.
struct KernelContext {
  OpBuilder &b;
  Location loc;
  /// Flat buffers; `in` holds the input type, `out` the result type.
  Value in, out;
  /// f32, or f64 when the result is f64.
  FloatType acc;
  /// The kernels' names start with this, e.g. `main_0`.
  std::string name;
  SoftmaxKind kind = SoftmaxKind::LogSoftmax;
  /// The flat buffer read beside `in` when writing: nn.logsoftmax_grad's
  /// `output`, nn.cross_entropy's targets; null for the other kinds.
  Value aux = {};
  CrossEntropyParams ce = {};
};

/// A launch of `grid` blocks of `threadsX` x `threadsY` threads, into the
/// one gpu.module that holds every kernel.
gpu::LaunchOp createLaunch(KernelContext &k, Value grid, int64_t threadsX,
                           int64_t threadsY, const std::string &kernelName,
                           TypeRange workgroup = {});

/// Sample `index` of the cross-entropy ops: its class c's logit lies at
/// `base + c * stride` of the flat logits (a row of [N, C] logits: base
/// index * C, stride 1; a column of [N, C, d...] logits: stride the
/// product of the d's).
struct SampleLogits {
  Value index, base, stride;
};

/// The loss of sample `s` of nn.cross_entropy (`n` classes), from its
/// safe maximum `reference`, sum of exp(x - reference) and, with label
/// smoothing e, `spread` = sum of e / n * (x - reference): written to
/// `out` or `partials`. Out-of-range targets give NaN; ignored ones 0, not
/// counted.
void emitCrossEntropyLoss(KernelContext &k, const SampleLogits &s, Value n,
                          Value reference, Value sum, Value spread);

/// e / n (label smoothing e over `n` classes) in `acc`, the weight of each
/// class's term of the smoothed loss.
Value crossEntropyClassWeight(KernelContext &k, Value n);

/// What nn.cross_entropy_grad writes for sample `s`'s `n` logits, from
/// their safe maximum `reference` and sum of exp(x - reference).
struct SliceWriter;
SliceWriter crossEntropyGradWriter(KernelContext &k, const SampleLogits &s,
                                   Value n, Value reference, Value sum);

/// nn.cross_entropy_grad "mean": one block counts the samples whose target
/// is not ignored and writes ce.gradLoss[0] / count, in `acc`, to
/// `scale[0]`.
void emitCrossEntropyGradScale(KernelContext &k, Value samples, Value scale);

/// nn.cross_entropy "sum" or "mean": one block adds the `samples`'
/// partials in f64 and writes the total (or the mean over the counted
/// samples: NaN when none counts, as PyTorch) to `out`.
void emitCrossEntropyTotal(KernelContext &k, Value samples);

/// The elements of `input` one vector access moves: 128 bits (4 f32, 8
/// f16/bf16, 2 f64), at most 4 when accumulating in f64.
int64_t vectorWidthFor(Type input, FloatType acc);

/// Rows held in registers: `threadsPerRow` threads (a warp, or a whole
/// block of 256 or more) share a row of at most `vectorsPerThread * threadsPerRow * width`
/// elements, loaded once as `width`-element vectors (a scalar head and tail
/// take what is not on a `width` boundary). The maximum is reduced first,
/// then the sum of exp(x - max), then the row is written from registers:
/// one read and one write per element. `width` > 1 needs both buffers
/// 16-byte aligned.
/// `nameSuffix` tells apart kernels of the same shape and width that hold
/// different lengths.
void emitRowsOnChip(KernelContext &k, Value rows, Value n,
                    int64_t threadsPerRow, int64_t vectorsPerThread,
                    int64_t width, StringRef nameSuffix = "");

/// Long rows, few of them: each row is cut into segments of
/// `vectorsPerThread * width` elements per thread of a 256-thread block,
/// one block per (row, segment), so that the grid fills the GPU. A first
/// launch holds each segment in registers and stores its (maximum, sum of
/// exp(x - maximum)) in `partials` (2 per segment, rows x segments); a
/// second combines a row's partials in every block (the maximum first) and
/// reads the segment again to write it. `partials` must hold
/// 2 * rows * ceil(n / segment) elements of the accumulation type.
void emitSplitRows(KernelContext &k, Value rows, Value n,
                   int64_t vectorsPerThread, int64_t width, Value partials);

/// Rows of any length, a block per row: each thread keeps an online
/// (max, sum) over its vectors, the block reduces the maximum and then the
/// rescaled sums, and a second pass reads the row again to write it.
void emitStreamedRows(KernelContext &k, Value rows, Value n, int64_t width);

/// Any other dim: one thread per `width` adjacent columns of the contiguous
/// inner dims walks the reduced dim with stride `inner`, keeping an online
/// (max, sum) per column; neighbouring threads touch neighbouring
/// addresses. `width` > 1 needs `inner` a multiple of it and both buffers
/// 16-byte aligned.
void emitColumns(KernelContext &k, Value outer, Value n, Value inner,
                 int64_t width);

/// Launches the kernels that write the log-softmax (softmax, or log-softmax
/// gradient, as `kind` says) of `in` along `dim` into `out` (identity-layout
/// device buffers of any rank; `aux`, of `in`'s shape, only for the
/// gradient), choosing among the kernels above at compile time where the
/// shape is static and at run time otherwise (LowerLogSoftmaxToGPU.cpp).
/// Kernel names start with `name`. The gradient has no split rows (its long
/// rows are streamed).
void emitSoftmaxKernels(OpBuilder &b, Location loc, SoftmaxKind kind, Value in,
                        Value out, int64_t dim,
                        const GPUKernelOptions &options, std::string name,
                        Value aux = {}, CrossEntropyParams ce = {});

} // namespace mlir::nn::gpu_kernels

#endif // NN_LIB_CONVERSION_NNTOGPU_LOGSOFTMAXKERNELS_H
