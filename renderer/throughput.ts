/**
 * The last minute of throughput per connection, for the sparklines: one sample per pushed update that carries
 * rates (the core computes them from its counters once a second while the popup is shown). Nothing is polled:
 * between updates the rate held still (the monitor pushes whenever a rate changes). Pure, for the unit tests.
 */
import type { Snapshot } from '../shared/connection';

export interface RateSample {
  /** The snapshot's `takenAt`: when the core read it. */
  at: number;
  rateIn: number;
  rateOut: number;
}

export type Throughput = ReadonlyMap<string, readonly RateSample[]>;

export const SPARKLINE_WINDOW_MS = 60_000;
/** A bound on samples kept per connection, whatever the update rate. */
const MAX_SAMPLES = 240;

export const NO_THROUGHPUT: Throughput = new Map();

/**
 * Add the rates of one snapshot. Connections no longer listed, or listed without rates, lose their samples;
 * samples older than the window are dropped, except the one just before it (the line starts at the window's
 * edge, not in the air).
 */
export function addSamples(throughput: Throughput, snapshot: Snapshot, windowMs = SPARKLINE_WINDOW_MS): Throughput {
  const at = snapshot.takenAt;
  if (at === null) return throughput;
  const next = new Map<string, readonly RateSample[]>();
  for (const connection of snapshot.connections) {
    const before = throughput.get(connection.id) ?? [];
    // No rates: the counters are not being read (the popup was hidden) or the link was reset. What the rate
    // was meanwhile is unknown, so the line starts again rather than holding a stale value across the gap.
    if (connection.rateIn === null || connection.rateOut === null || !Number.isFinite(connection.rateIn) || !Number.isFinite(connection.rateOut)) continue;
    const last = before.at(-1);
    // An update older than the newest sample (a late push) or for the same read adds nothing.
    if (last && at <= last.at) {
      next.set(connection.id, before);
      continue;
    }
    const samples = [...before, { at, rateIn: Math.max(0, connection.rateIn), rateOut: Math.max(0, connection.rateOut) }];
    let start = 0;
    while (start + 1 < samples.length && (samples[start + 1] as RateSample).at <= at - windowMs) start += 1;
    next.set(connection.id, samples.slice(Math.max(start, samples.length - MAX_SAMPLES)));
  }
  return next;
}

export interface SparklinePoints {
  /** SVG polyline points for received and sent, in a `width` × `height` box (y grows downwards). */
  received: string;
  sent: string;
  peakIn: number;
  peakOut: number;
}

/**
 * The two lines over the window ending at `now`: each sample holds until the next (a step), the last one
 * until now; both share one scale so they compare.
 */
export function sparklinePoints(samples: readonly RateSample[], now: number, width: number, height: number, windowMs = SPARKLINE_WINDOW_MS): SparklinePoints | null {
  const start = now - windowMs;
  const visible = samples.filter((sample, index) => sample.at >= start || (samples[index + 1]?.at ?? Infinity) > start);
  if (visible.length === 0) return null;
  const peakIn = Math.max(...visible.map((sample) => sample.rateIn));
  const peakOut = Math.max(...visible.map((sample) => sample.rateOut));
  const scale = Math.max(peakIn, peakOut, 1);
  const x = (time: number) => round((Math.min(Math.max(time, start), now) - start) / windowMs * width);
  const y = (rate: number) => round(height - 1 - (rate / scale) * (height - 2));
  const line = (pick: (sample: RateSample) => number): string => {
    const points: string[] = [];
    visible.forEach((sample, index) => {
      const from = x(sample.at);
      const to = x(visible[index + 1]?.at ?? now);
      points.push(`${from},${y(pick(sample))}`, `${to},${y(pick(sample))}`);
    });
    return points.join(' ');
  };
  return { received: line((sample) => sample.rateIn), sent: line((sample) => sample.rateOut), peakIn, peakOut };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
