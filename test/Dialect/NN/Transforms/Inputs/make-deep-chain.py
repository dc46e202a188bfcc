"""Writes a module whose input x to examples/torch-logsoftmax.mlir's
log-softmax is the end of a chain of N elementwise linalg.generic ops
(x_{i+1} = x_i - input), for raise-deep.mlir.

  make-deep-chain.py EXAMPLE N > OUT.mlir
"""
import re
import sys

example, n = sys.argv[1], int(sys.argv[2])
text = open(example).read()
chain = ["  %c0 = tensor.empty() : tensor<4x8xf32>"]
prev = "%input"
for i in range(n):
    chain.append(
        "  %%x%d = linalg.generic {indexing_maps = [#id, #id, #id], "
        "iterator_types = [\"parallel\", \"parallel\"]} ins(%s, %%input : tensor<4x8xf32>, "
        "tensor<4x8xf32>) outs(%%c0 : tensor<4x8xf32>) {\n"
        "  ^bb0(%%p: f32, %%q: f32, %%o: f32):\n"
        "    %%v = arith.subf %%p, %%q : f32\n"
        "    linalg.yield %%v : f32\n"
        "  } -> tensor<4x8xf32>" % (i, prev))
    prev = "%%x%d" % i
text = text.replace("func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {\n",
                    "func.func @main(%input: tensor<4x8xf32>) -> tensor<4x8xf32> {\n"
                    + "\n".join(chain) + "\n")
# The log-softmax reads the end of the chain.
text = re.sub(r"ins\(%x([,) ])", r"ins(%s\1" % prev, text)
sys.stdout.write(text)
