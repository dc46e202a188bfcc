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

#endif // NN_TRANSFORMS_PASSES_TD
