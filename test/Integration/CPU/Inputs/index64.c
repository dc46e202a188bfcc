// Calls log-softmax kernels on an f16 tensor of more than 2^31 elements
// (2^21 + 3 rows of 1024), along dim 1 (@last) and dim 0 (@first), and
// checks elements beyond offset 2^31 against a double-precision reference
// rounded to f16, with the spec's f16 tolerance (2e-3 absolute + relative).
// Exits 1 on any mismatch or allocation failure.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  _Float16 *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} Memref2;

void _mlir_ciface_last(Memref2 *x, Memref2 *y);
void _mlir_ciface_first(Memref2 *x, Memref2 *y);

enum { COLS = 1024 };
static const int64_t ROWS = (INT64_C(1) << 21) + 3;

// Multiples of 1/128 in [-4, 4): exact in f16.
static _Float16 value(int64_t i) {
  uint32_t h = (uint32_t)i * 2654435761u;
  return (_Float16)((double)((h >> 22) & 1023) / 128.0 - 4.0);
}

static int failures = 0;

static void expect(const char *what, int64_t row, int64_t col, double got,
                   double exact) {
  double ref = (double)(_Float16)exact;
  if (!(fabs(got - ref) <= 2e-3 + 2e-3 * fabs(ref))) {
    if (failures++ < 10)
      printf("%s: y[%lld][%lld] = %.6f, expected %.6f\n", what,
             (long long)row, (long long)col, got, ref);
  }
}

int main(void) {
  int64_t n = ROWS * COLS;
  _Float16 *x = malloc(n * sizeof(_Float16));
  _Float16 *y = malloc(n * sizeof(_Float16));
  if (!x || !y) {
    printf("cannot allocate 2 x %lld bytes\n", (long long)(n * 2));
    return 1;
  }
  for (int64_t i = 0; i < n; ++i)
    x[i] = value(i);
  Memref2 in = {x, x, 0, {ROWS, COLS}, {COLS, 1}};
  Memref2 out = {y, y, 0, {ROWS, COLS}, {COLS, 1}};
  printf("elements: %lld (2^31 = %lld)\n", (long long)n, 1LL << 31);

  // Along rows: the last rows lie past offset 2^31.
  _mlir_ciface_last(&in, &out);
  const int64_t rows[] = {0, ROWS / 2, ROWS - 3, ROWS - 2, ROWS - 1};
  for (int r = 0; r < 5; ++r) {
    int64_t row = rows[r];
    const _Float16 *xr = x + row * COLS;
    double m = -INFINITY, s = 0;
    for (int j = 0; j < COLS; ++j)
      m = fmax(m, xr[j]);
    for (int j = 0; j < COLS; ++j)
      s += exp(xr[j] - m);
    for (int j = 0; j < COLS; ++j)
      expect("last", row, j, y[row * COLS + j], xr[j] - m - log(s));
  }

  // Along columns: every column's reduction crosses offset 2^31.
  _mlir_ciface_first(&in, &out);
  const int64_t cols[] = {0, 511, COLS - 1};
  for (int c = 0; c < 3; ++c) {
    int64_t col = cols[c];
    double m = -INFINITY, s = 0;
    for (int64_t i = 0; i < ROWS; ++i)
      m = fmax(m, x[i * COLS + col]);
    for (int64_t i = 0; i < ROWS; ++i)
      s += exp(x[i * COLS + col] - m);
    for (int64_t row = ROWS - 3; row < ROWS; ++row)
      expect("first", row, col, y[row * COLS + col],
             x[row * COLS + col] - m - log(s));
    expect("first", 0, col, y[col], x[col] - m - log(s));
  }
  printf(failures ? "FAILED: %d mismatches\n" : "OK\n", failures);
  return failures != 0;
}
