//===- Passes.td - nn transformation passes ----------------*- tablegen -*-===//

#ifndef NN_TRANSFORMS_PASSES_TD
#define NN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def EmitCInterfacePass : Pass<"nn-emit-c-interface", "::mlir::ModuleOp"> {
  let summary = "Ask for a C interface on every public function";
  let description = [{
    Sets the `llvm.emit_c_interface` unit attribute on every public
    `func.func` with a body, so that lowering to LLVM emits a
    `_mlir_ciface_<name>` wrapper taking pointers to memref descriptors.
    That wrapper is the ABI that `nn-run` and compiled objects expose.
  }];
}

def CopyDuplicateResultsPass
    : Pass<"nn-copy-duplicate-results", "::mlir::func::FuncOp"> {
  let summary = "Give each returned buffer its own allocation";
  let description = [{
    Where a `func.return` returns the same memref more than once, every
    occurrence after the first is replaced by a fresh `memref.alloc` holding
    a `memref.copy` of it. `--buffer-results-to-out-params` then gives each
    result its own out-parameter; upstream's pass crashes on a buffer
    returned twice (found by `nn-fuzz-ir`).
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def ForallToOpenMPPass : Pass<"nn-forall-to-openmp", "::mlir::ModuleOp"> {
  let summary = "Run bufferized scf.forall loops on OpenMP threads";
  let description = [{
    Rewrites every `scf.forall` without results (that is, after
    bufferization) into `omp.parallel` + `omp.wsloop` + `omp.loop_nest` with
    the default (static) schedule, so each thread gets a contiguous range of
    iterations. The iterations themselves are unchanged, so results do not
    depend on the number of threads.

    The thread count is `num-threads` when it is not 0. Otherwise it is read
    at run time, on every call: the `NN_NUM_THREADS` environment variable if
    it holds a positive number, else OpenMP's default (`OMP_NUM_THREADS`, or
    all cores). The generated code calls `getenv`, `atoi` and the OpenMP
    runtime (`libomp`).

    A loop whose largest memref from outside it (its input or output, say)
    holds fewer than `min-parallel-bytes` bytes runs serially on the calling
    thread, where starting threads would cost more than it saves: as an
    `scf.for` nest when all those sizes are static, else through the
    parallel region's `if` clause, decided at run time.
  }];
  let options = [
    Option<"numThreads", "num-threads", "unsigned", /*default=*/"0",
           "Threads per parallel loop; 0 decides at run time">,
    Option<"minParallelBytes", "min-parallel-bytes", "uint64_t",
           /*default=*/"131072",
           "Loops whose largest memref from outside holds fewer bytes run "
           "serially (0: always in parallel)">,
  ];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::omp::OpenMPDialect",
    "::mlir::arith::ArithDialect",
  ];
}

def BF16MemoryAsI16Pass : Pass<"nn-bf16-memory-as-i16", "::mlir::ModuleOp"> {
  let summary = "Move bf16 values through memory as i16 in the LLVM dialect";
  let description = [{
    Rewrites `llvm.load`, `llvm.store`, `llvm.intr.masked.load` and
    `llvm.intr.masked.store` of bf16 scalars and vectors into the same
    operations on i16, with bitcasts around them. The arithmetic on bf16 is
    already expanded to integer operations (`arith-expand` with
    `include-bf16`); without this pass, an x86 CPU without native bf16 still
    legalizes bf16 vector loads and stores through float conversions that
    call `__truncsfbf2`, a helper the system's runtime libraries may lack.
  }];
}

def ExtendBF16ThroughF32Pass : Pass<"nn-extend-bf16-through-f32"> {
  let summary = "Widen bf16 to f64 in two exact steps, through f32";
  let description = [{
    Rewrites every `arith.extf` from bf16 (scalar or vector) to a type wider
    than f32 into an `arith.extf` to f32 followed by one to the wider type.
    Both steps are exact, so the values are unchanged. `arith-expand` with
    `include-bf16` turns the first step into integer operations; left as one
    `fpext` from bf16 to f64, LLVM narrows comparisons and maxima of the
    widened values back to bf16 (`fcmp <8 x bfloat>`), which an x86 CPU
    without AVX512-BF16 legalizes through calls to `__truncsfbf2`, a helper
    the system's runtime libraries may lack (bf16 in, f64 out, on such a CPU:
    an unresolved symbol).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def StridedCopyToLinalgPass : Pass<"nn-strided-copy-to-linalg"> {
  let summary = "Turn memref.copy between strided memrefs into linalg.copy";
  let description = [{
    `memref.copy` between memrefs that are not both contiguous lowers to a
    call to `memrefCopy` from MLIR's C runner utilities, which neither JIT
    runs nor compiled objects should depend on. This pass rewrites such
    copies into `linalg.copy`, which becomes plain loops; copies between
    contiguous memrefs stay `memref.copy` (a `memcpy`). Bufferization creates
    them, for example, when a tiled `nn.logsoftmax` writes its tile into a
    slice of the whole result.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // NN_TRANSFORMS_PASSES_TD
