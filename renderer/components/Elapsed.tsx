import { useNow } from '../clock';
import { formatDuration } from '../../shared/format';

/**
 * A duration that ticks locally from the core's `connectedSince`: no IPC per second. `frozenAt` stops it (a
 * stale list: the time of the last good read), and then it subscribes to no clock at all.
 */
export function Elapsed({ since, frozenAt }: { since: number; frozenAt: number | null }) {
  return frozenAt !== null ? <ElapsedText since={since} now={frozenAt} /> : <Ticking since={since} />;
}

function Ticking({ since }: { since: number }) {
  return <ElapsedText since={since} now={useNow()} />;
}

function ElapsedText({ since, now }: { since: number; now: number }) {
  return (
    <time className="elapsed" dateTime={new Date(since).toISOString()}>
      {formatDuration(now - since)}
    </time>
  );
}
