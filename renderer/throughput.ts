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
  /** Set on the marker for "not read from here on" (the popup was hidden): the line breaks there. */
  gap?: true;
}

export type Throughput = ReadonlyMap<string, readonly RateSample[]>;

export const SPARKLINE_WINDOW_MS = 60_000;
/** A bound on samples kept per connection, whatever the update rate. */
const MAX_SAMPLES = 240;

export const NO_THROUGHPUT: Throughput = new Map();


/**
 * Add the rates of one snapshot. Connections no longer listed lose their samples; one listed without rates
 * (counters not read while the popup was hidden) keeps what it had, and the gap shows as a break; samples
 * older than the window are dropped, except the one just before it (the line starts at the window's edge).
 */
export function addSamples(throughput: Throughput, snapshot: Snapshot, windowMs = SPARKLINE_WINDOW_MS): Throughput {
  const at = snapshot.takenAt;
  if (at === null) return throughput;
  const next = new Map<string, readonly RateSample[]>();
  for (const connection of snapshot.connections) {
    const before = throughput.get(connection.id) ?? [];
    // No rates: the counters are not being read (the popup is hidden) or the link was reset. What the rate was
    // meanwhile is unknown: keep the samples, and let the gap break the line (sparklinePoints).
    if (connection.rateIn === null || connection.rateOut === null || !Number.isFinite(connection.rateIn) || !Number.isFinite(connection.rateOut)) {
      const last = before.at(-1);
      if (last && !last.gap && at > last.at) next.set(connection.id, [...before, { at, rateIn: 0, rateOut: 0, gap: true }]);
      else if (before.length > 0) next.set(connection.id, before);
      continue;
    }
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
