import { formatRate } from '../../shared/format';
import { translate } from '../../shared/i18n';
import { useNow } from '../clock';
import { formatDuration } from '../../shared/format';
import { sparklinePoints } from '../sparkline-points';
import { SPARKLINE_WINDOW_MS, type RateSample } from '../throughput';

const WIDTH = 200;
const HEIGHT = 32;

/**
 * A connection's last minute of throughput: received as a solid line over a filled area, sent as a dashed
 * line (told apart by shape, not only colour), on one scale whose top is labelled with the peak. No line
 * until there are enough samples since the popup was shown: a dash at the right end of an empty strip says
 * nothing. For a screen reader: one image with the minute's peaks in words.
 */
export function Sparkline({ samples }: { samples: readonly RateSample[] }) {
  const clock = useNow();
  const now = Math.max(clock, samples.at(-1)?.at ?? clock);
  // Until a minute has been seen (the popup was just opened), the strip spans what there is, labelled, rather
  // than a minute with a short line squeezed at its right end.
  const firstAt = samples.findLast((sample, index) => index === 0 || samples[index - 1]?.gap)?.at ?? now;
  const span = Math.min(SPARKLINE_WINDOW_MS, Math.max(now - firstAt, 5_000));
  const points = sparklinePoints(samples, now, WIDTH, HEIGHT, span);
  if (!points) return <span className="sparkline-collecting">{translate('details', 'spark.collecting')}</span>;
  const peak = Math.max(points.peakIn, points.peakOut);
  const label = translate('details', 'spark.label', { span: formatDuration(span), received: formatRate(points.peakIn), sent: formatRate(points.peakOut) });
  return (
    <span className="sparkline-box">
      <span className="sparkline-peak" aria-hidden="true">
        {translate('details', 'spark.peak', { rate: formatRate(peak), span: formatDuration(span) })}
      </span>
      <svg className="sparkline" role="img" aria-label={label} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" data-samples={samples.length}>
        <polygon className="sparkline-in-area" points={`${points.received.split(',')[0]},${HEIGHT} ${points.received} ${WIDTH},${HEIGHT}`} />
        <polyline className="sparkline-in" points={points.received} />
        <polyline className="sparkline-out" points={points.sent} />
      </svg>
      <span className="sparkline-legend" aria-hidden="true">
        <span className="legend-in">{translate('details', 'spark.received')}</span>
        <span className="legend-out">{translate('details', 'spark.sent')}</span>
      </span>
    </span>
  );
}
