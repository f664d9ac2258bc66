/** One line of `npm run bench`: a measured value, and the baseline it is compared with where there is one. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The same work done by the reference (e.g. C making the same calls), in the same unit. */
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
  note?: string;
}

/**
 * Median µs per call of `call` over `samples` batches of `batch` calls, after `warmup` batches: how the
 * TypeScript side of every snapshot benchmark measures (its C baselines do the same, baseline-timing.h).
 * `call` returns whether its answer was right; a wrong one is an error, not a fast sample.
 */
export async function microsPerCall(batch: number, call: () => Promise<boolean>, warmup = 5, samples = 41): Promise<number> {
  for (let i = 0; i < warmup * batch; i++) await call();
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    for (let b = 0; b < batch; b++) if (!(await call())) throw new Error('the measured call gave a wrong answer');
    times.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
  }
  return median(times);
}

/** The middle value of a set of samples (the upper middle for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}
