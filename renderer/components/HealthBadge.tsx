import type { Connection } from '../../shared/connection';
import { healthDescription, healthText } from '../health-format';
import { useKeep, useOptimistic } from '../use-keep';

/**
 * Whether traffic flows on a connected tunnel (shared/health.ts): a small badge beside the state, its reason
 * as tooltip and accessible description, and, when stalled, the per-connection mute of the stall notification.
 * Nothing for a connection without health (not connected, or a backend that reads no counters).
 */
export function HealthBadge({ connection }: { connection: Connection }) {
  const health = connection.health;
  if (!health || connection.state !== 'connected') return null;
  return (
    <span className={`health health-${health.status}`}>
      <span className="health-badge" title={healthDescription(health)} aria-label={healthDescription(health)} role="status">
        {healthText(health)}
      </span>
      {health.status === 'stalled' && <StallMute name={connection.name} />}
    </span>
  );
}

/** The stall-alert mute: only rendered for a stalled row, so the settings are asked for only then. */
function StallMute({ name }: { name: string }) {
  const { muted, setMuted } = useKeep();
  const toggle = useOptimistic(muted.includes(name), (on) => setMuted(name, on));
  return (
    <label className="health-mute">
      <input type="checkbox" checked={toggle.checked} onChange={(event) => void toggle.set(event.target.checked)} /> Mute stall alerts
    </label>
  );
}
