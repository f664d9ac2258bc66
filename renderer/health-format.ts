import type { ConnectionHealth } from '../shared/health';
import type { KeepStatus } from '../shared/reconnect';

export const HEALTH_LABELS: Record<ConnectionHealth['status'], string> = {
  verifying: 'Verifying',
  healthy: 'Healthy',
  quiet: 'Quiet',
  stalled: 'Stalled',
};

/** "Healthy · 23 ms", "Stalled": the badge's text (the round-trip time where a probe replied). */
export function healthText(health: ConnectionHealth): string {
  const rtt = health.probe?.rttMs;
  return rtt != null && health.status === 'healthy' ? `${HEALTH_LABELS[health.status]} · ${rtt < 10 ? rtt.toFixed(1) : Math.round(rtt)} ms` : HEALTH_LABELS[health.status];
}

/** The badge's longer description (tooltip and accessible name): why, and the probe's word where there is one. */
export function healthDescription(health: ConnectionHealth): string {
  const probe = health.probe?.error ? ` Probe: ${health.probe.error.message}.` : '';
  return `${HEALTH_LABELS[health.status]}: ${health.reason}.${probe}`;
}

/** One line under a kept entry: what Keep connected is doing. */
export function keepStatusText(status: KeepStatus | null, now: number): string | null {
  if (!status) return null;
  switch (status.phase) {
    case 'watching':
    case 'off':
      return null;
    case 'waiting': {
      const inSeconds = status.nextAttemptAt === null ? null : Math.max(0, Math.round((status.nextAttemptAt - now) / 1000));
      return `Dropped: reconnecting${inSeconds === null ? '' : ` in ${inSeconds} s`} (attempt ${status.attempts + 1})`;
    }
    case 'dialling':
      return `Reconnecting (attempt ${status.attempts})`;
    case 'needs-user':
      return `Could not reconnect${status.lastError ? `: ${status.lastError.message} (${status.lastError.code})` : ''}. Connect it yourself once fixed.`;
    case 'stopped':
      return 'Disconnected by you: not reconnected until you connect it.';
    case 'system':
    case 'blocked':
      return status.note;
  }
}
