import { useNow } from '../clock';
import { formatRate } from '../format';
import { sparklinePoints, type RateSample } from '../throughput';

const WIDTH = 96;
const HEIGHT = 22;

/**
 * A connection's last minute of throughput, received and sent, as a small SVG. Redrawn once a second by the
 * shared clock (the window slides), from samples pushed by the core: it never asks for anything itself. For
 * a screen reader it is one image with the minute's peaks in words.
 */
export function Sparkline({ samples }: { samples: readonly RateSample[] }) {
  const now = useNow();
  const points = sparklinePoints(samples, Math.max(now, samples.at(-1)?.at ?? now), WIDTH, HEIGHT);
  if (!points) return null;
  const label = `Throughput, last minute: receiving up to ${formatRate(points.peakIn)}, sending up to ${formatRate(points.peakOut)}`;
  return (
    <svg className="sparkline" role="img" aria-label={label} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" data-samples={samples.length}>
      <title>{label}</title>
      <polyline className="sparkline-in" points={points.received} />
      <polyline className="sparkline-out" points={points.sent} />
    </svg>
  );
}
