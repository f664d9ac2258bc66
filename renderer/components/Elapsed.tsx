import { useNow } from '../clock';
import { formatDuration } from '../format';

/** A duration that ticks locally from the core's `connectedSince`: no IPC per second. */
export function Elapsed({ since }: { since: number }) {
  const now = useNow();
  return (
    <time className="elapsed" dateTime={new Date(since).toISOString()}>
      {formatDuration(now - since)}
    </time>
  );
}
