"""PyPI torch's Inductor on a machine that also has Debian's libtorch-dev.

bench/run.sh installs Debian's PyTorch 1.13 (libtorch-dev) for its C++
harness; bench/training and bench/contenders run PyPI's torch 2.15 from a
venv, whose torch.compile then broke: Inductor links its kernels with
-L<Python's LIBDIR> before the venv's torch/lib, Python's LIBDIR on Debian is
/usr/lib/x86_64-linux-gnu, where libtorch-dev put PyTorch 1.13's
libtorch_cpu.so, so -ltorch_cpu took that one and loading the kernel failed
("undefined symbol: Sleef_expf16_u10"). The kernels link no Python library,
so a library directory holding another libtorch_cpu.so is dropped from
Inductor's list.
"""

import os


def link_inductor_with_its_own_torch():
    """Call once after importing torch, before torch.compile."""
    try:
        from torch._inductor import cpp_builder
        original = cpp_builder._get_python_related_args
    except (ImportError, AttributeError):
        return  # another torch: nothing to mend, or nothing we know of

    def without_other_libtorch():
        include_dirs, library_dirs = original()
        return include_dirs, [
            d for d in library_dirs
            if not os.path.exists(os.path.join(d, "libtorch_cpu.so"))
        ]

    cpp_builder._get_python_related_args = without_other_libtorch
