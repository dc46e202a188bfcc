"""pytest set-up for the nn_mlir package's tests: the float64 references of
the lit suite (test/Integration/CPU/lib), which do not use nn_mlir."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "Integration", "CPU", "lib"))
