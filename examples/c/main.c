/* Calls a kernel compiled by nn-compile through its C interface:
 *
 *   nn-compile logsoftmax_rows.mlir -o kernel.o --header=kernel.h
 *   cc -I. main.c kernel.o -lm -lomp -o logsoftmax_rows
 *   ./logsoftmax_rows
 *
 * It checks every result against a double-precision evaluation of
 * (x - max) - log(sum(exp(x - max))) and exits 1 if one is off by more than
 * 1e-5 + 1e-5 * |expected|. */
#include "kernel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { ROWS = 3, COLS = 1000 };

int main(void) {
  float *x = malloc(sizeof(float) * ROWS * COLS);
  float *y = malloc(sizeof(float) * ROWS * COLS);
  if (!x || !y)
    return 1;
  /* Row 0 starts with 0, 1, 2; the rest is deterministic noise. */
  for (int i = 0; i < ROWS * COLS; ++i)
    x[i] = (float)((i * 37) % 101) / 10.0f - 5.0f;
  x[0] = 0.0f, x[1] = 1.0f, x[2] = 2.0f;

  /* Descriptors: allocated and aligned pointers, offset, sizes, strides.
     The caller allocates the result too. */
  nn_memref_2d_f32 in = {x, x, 0, {ROWS, COLS}, {COLS, 1}};
  nn_memref_2d_f32 out = {y, y, 0, {ROWS, COLS}, {COLS, 1}};
  _mlir_ciface_logsoftmax_rows(&in, &out);

  int bad = 0;
  for (int r = 0; r < ROWS; ++r) {
    const float *row = x + r * COLS;
    double max = -INFINITY, sum = 0.0;
    for (int c = 0; c < COLS; ++c)
      max = row[c] > max ? row[c] : max;
    for (int c = 0; c < COLS; ++c)
      sum += exp(row[c] - max);
    for (int c = 0; c < COLS; ++c) {
      double expected = (row[c] - max) - log(sum);
      double got = y[r * COLS + c];
      if (fabs(got - expected) > 1e-5 + 1e-5 * fabs(expected)) {
        printf("row %d col %d: got %.9g, expected %.9g\n", r, c, got, expected);
        bad = 1;
      }
    }
  }
  printf("y[0][0..2] = %.7f %.7f %.7f\n", y[0], y[1], y[2]);
  printf("%s\n", bad ? "MISMATCH" : "OK");
  free(x);
  free(y);
  return bad;
}
