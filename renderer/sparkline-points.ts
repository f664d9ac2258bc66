/**
 * The sparkline's two lines from the samples (throughput.ts), in their own module so that they load with a
 * row's details, not before the list's first paint. Pure, for the unit tests.
 */
import { SPARKLINE_WINDOW_MS, type RateSample } from './throughput';

/** Fewer samples than this after the last gap draw no line ("collecting"): two points are not a minute. */
export const MIN_SAMPLES = 4;

export interface SparklinePoints {
  /** SVG polyline points for received and sent, in a `width` × `height` box (y grows downwards). */
  received: string;
  sent: string;
  peakIn: number;
  peakOut: number;
}

/**
 * The two lines over the window ending at `now`, from the samples since the last gap: each sample holds until
 * the next (a step), the last one until now; both share one scale (the larger peak, which the popup labels)
 * so they compare. Null until there are MIN_SAMPLES of them: no line rather than a misleading dash.
 */
export function sparklinePoints(samples: readonly RateSample[], now: number, width: number, height: number, windowMs = SPARKLINE_WINDOW_MS): SparklinePoints | null {
  const start = now - windowMs;
  let from = 0;
  samples.forEach((sample, index) => {
    if (sample.gap) from = index + 1;
  });
  const recent = samples.slice(from);
  const visible = recent.filter((sample, index) => sample.at >= start || (recent[index + 1]?.at ?? Infinity) > start);
  if (visible.length < MIN_SAMPLES) return null;
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
