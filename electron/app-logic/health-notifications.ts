/**
 * One notification when a connection stalls (connected, but nothing comes back: shared/health.ts), never a
 * stream of them: the stall rule already waits 20 s, and then a connection is announced once per stall, and
 * not again within `REPEAT_AFTER_MS` if it flaps between stalled and healthy (OpenVPN 3's indicator toasted
 * every 2 s: FIELD-NOTES). A connection the user muted (by name, settings `healthMuted`) is never announced;
 * recovery clears the row and the icon, without a notification of its own.
 */
import type { Connection, MonitorUpdate } from '../../shared/connection';
import { displayName } from '../../shared/format';
import type { Clock, Toast } from './notification-policy';
import { realClock } from './notification-policy';

export const REPEAT_AFTER_MS = 10 * 60_000;

export class HealthNotifications {
  /** Connection ids stalled at the last update. */
  private stalled = new Set<string>();
  /** Per connection name: when it was last announced. */
  private readonly announcedAt = new Map<string, number>();

  constructor(
    private readonly onToast: (toast: Toast) => void,
    private readonly muted: () => readonly string[],
    private readonly clock: Clock = realClock,
  ) {}

  /** Feed every monitor update. A connection already stalled at start is announced too: it is news. */
  update(update: MonitorUpdate): void {
    const now = this.clock.now();
    const stalledNow = update.snapshot.connections.filter((c) => c.state === 'connected' && c.health?.status === 'stalled');
    const fresh = stalledNow.filter((c) => !this.stalled.has(c.id));
    this.stalled = new Set(stalledNow.map((c) => c.id));
    const muted = new Set(this.muted());
    const toTell = fresh.filter((c) => !muted.has(c.name) && now - (this.announcedAt.get(c.name) ?? -Infinity) >= REPEAT_AFTER_MS);
    for (const connection of toTell) this.announcedAt.set(connection.name, now);
    if (toTell.length === 1) this.onToast(stalledToast(toTell[0]!));
    else if (toTell.length > 1) this.onToast({ title: `${toTell.length} connections stalled`, body: toTell.map((c) => displayName(c)).join('\n') });
  }
}

export function stalledToast(connection: Connection): Toast {
  const reason = connection.health?.reason ?? 'packets go out, nothing comes back';
  return { title: `${displayName(connection)} stalled`, body: `Connected, but nothing comes back: ${reason}.` };
}
