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

/** The middle value of a set of samples (the upper middle for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}
