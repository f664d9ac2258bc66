/*
 * The timing every C baseline of `npm run bench` shares (ras-baseline.c, libsystem-baseline.c, adapter-baseline.c): batches of
 * snapshots, warmed up, the median batch giving the time of one snapshot, as the TypeScript side measures.
 */
#ifndef BASELINE_TIMING_H
#define BASELINE_TIMING_H

#include <stdlib.h>
#include <time.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/*
 * Median ns per snapshot(arg) over 41 batches of `batch` calls, after 5 batches of warm-up; -1 when a
 * snapshot answers other than `expect` (the baseline must do the work it claims).
 */
static double median_snapshot_ns(int (*snapshot)(int), int arg, int expect, int batch) {
  enum { SAMPLES = 41 };
  double samples[SAMPLES];
  for (int w = 0; w < 5 * batch; w++) snapshot(arg);
  for (int s = 0; s < SAMPLES; s++) {
    double t0 = now_ns();
    for (int b = 0; b < batch; b++)
      if (snapshot(arg) != expect) return -1;
    samples[s] = (now_ns() - t0) / batch;
  }
  qsort(samples, SAMPLES, sizeof *samples, cmp_double);
  return samples[SAMPLES / 2];
}

#endif
