/**
 * Which changes deserve a notification. Only real ones: a connection that came up, or one that was up and
 * dropped. Backends repeat themselves (OpenVPN 3's indicator toasted "reconnecting" every 2 s), links flap
 * while they renegotiate, and RAS gives a redialled connection a new handle; so the policy watches what the
 * user would call a connection (kind + name), waits for it to settle, and only then compares with what the
 * user was last told. Several settled changes at once become one notification.
 */
import type { Connection, MonitorUpdate } from '../../shared/connection';
import { displayName, formatDuration } from '../../shared/format';
import '../../shared/i18n/all';
import { translator } from '../../shared/i18n';

// The toasts' words come from the catalogue's `notifications` namespace (shared/i18n/en/notifications.json).
const t = translator('notifications');

export interface Toast {
  title: string;
  body: string;
}

export interface Clock {
  now(): number;
  /** Run `callback` after `ms`; returns the cancel function. */
  setTimer(callback: () => void, ms: number): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // A pending toast must not keep a quitting process alive.
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

export interface NotificationPolicyOptions {
  /** A change is announced once the connection has kept its new state this long. */
  settleMs?: number;
  /** A connection that never settles (flapping) is announced at most this often, as it stands then. */
  maxWaitMs?: number;
  clock?: Clock;
}

export const DEFAULT_SETTLE_MS = 5000;
export const DEFAULT_MAX_WAIT_MS = 60_000;

interface Observed {
  up: boolean;
  /** The connection as last seen (for the wording), kept after it vanished. */
  connection: Connection;
  /** No longer in the snapshot. */
  gone?: boolean;
  /** When it came up (its `connectedSince`), kept while it is down: a drop says how long it was up. */
  upSince?: number | null;
  /** When it was first seen down after being up. */
  downAt?: number | null;
  /** The last error seen since it was last up: the final reading (or none, once it vanished) often lacks it. */
  lastError?: Connection['lastError'];
}

interface Pending {
  since: number;
  settleAt: number;
}

/** What users call "the same connection" across a redial: RAS hands out a new handle, the name stays. */
export function connectionKey(connection: Connection): string {
  return `${connection.kind}\u0000${connection.name}`;
}

function observe(connections: readonly Connection[]): Map<string, Observed> {
  const observed = new Map<string, Observed>();
  for (const connection of connections) {
    const key = connectionKey(connection);
    const up = connection.state === 'connected';
    const previous = observed.get(key);
    // Two links with one name (rare): it is up while either is.
    if (!previous || (up && !previous.up)) observed.set(key, { up, connection });
  }
  return observed;
}

function describeUp(connection: Connection): Toast {
  const details = [connection.addresses[0]?.replace(/\/\d+$/, ''), connection.deviceName].filter(Boolean);
  return { title: t('up.title', { name: displayName(connection) }), body: details.join(' · ') || t('up.body') };
}

/** Carry what a drop needs from the previous observation: when it came up, when it went, its last error. */
function carry(next: Observed, before: Observed | undefined, now: number): Observed {
  if (next.up) return { ...next, upSince: next.connection.connectedSince ?? before?.upSince ?? now, downAt: null, lastError: next.connection.lastError };
  const wasUp = before?.up ?? false;
  return {
    ...next,
    upSince: before?.upSince ?? null,
    downAt: wasUp ? now : (before?.downAt ?? null),
    lastError: next.connection.lastError ?? before?.lastError ?? null,
  };
}

/** "Up for 1h 05m. Last error 628: …": how long it was up and why it went, where known. */
function describeDown(observed: Observed): Toast {
  const { connection } = observed;
  const error = observed.lastError ?? connection.lastError;
  const lasted = observed.upSince != null && observed.downAt != null && observed.downAt >= observed.upSince ? t('down.lasted', { duration: formatDuration(observed.downAt - observed.upSince) }) : '';
  return {
    title: t('down.title', { name: displayName(connection) }),
    body: `${lasted}${error ? t('down.error', { code: String(error.code), message: error.message }) : t('down.closed')}`,
  };
}

export class NotificationPolicy {
  private readonly settleMs: number;
  private readonly maxWaitMs: number;
  private readonly clock: Clock;
  private readonly onToast: (toast: Toast) => void;
  /** Up or not, as the user was last told (or found it at start), per connection key; absent = down. */
  private announced: Map<string, boolean> | null = null;
  /** The latest reading per key; a vanished connection stays (as down) while the user believes it up. */
  private observed = new Map<string, Observed>();
  private readonly pending = new Map<string, Pending>();
  private cancelTimer: (() => void) | null = null;

  constructor(onToast: (toast: Toast) => void, options: NotificationPolicyOptions = {}) {
    this.onToast = onToast;
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.clock = options.clock ?? realClock;
  }

  /** Feed every monitor update. The first one is the baseline: what is up at start is not news. */
  update(update: MonitorUpdate): void {
    const present = observe(update.snapshot.connections);
    if (this.announced === null) {
      this.announced = new Map([...present].filter(([, observed]) => observed.up).map(([key]) => [key, true]));
      this.observed = new Map([...present].map(([key, observed]) => [key, carry(observed, undefined, this.clock.now())]));
      return;
    }
    const now = this.clock.now();
    const next = new Map([...present].map(([key, observed]) => [key, carry(observed, this.observed.get(key), now)]));
    for (const [key, before] of this.observed) {
      if (!next.has(key) && (this.announced.get(key) || this.pending.has(key))) {
        next.set(key, carry({ up: false, connection: before.connection, gone: true }, before, now));
      }
    }
    for (const key of new Set([...this.observed.keys(), ...next.keys()])) {
      if ((this.observed.get(key)?.up ?? false) === (next.get(key)?.up ?? false)) continue;
      // Each flip restarts the settle wait; `since` stays, so a link that never settles is still heard of.
      const since = this.pending.get(key)?.since ?? now;
      this.pending.set(key, { since, settleAt: now + this.settleMs });
    }
    this.observed = next;
    this.reschedule();
  }

  /** Drop pending work (quit). */
  dispose(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.pending.clear();
  }

  private deadline(pending: Pending): number {
    return Math.min(pending.settleAt, pending.since + this.maxWaitMs);
  }

  private reschedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.pending.size === 0) return;
    const next = Math.min(...[...this.pending.values()].map((pending) => this.deadline(pending)));
    this.cancelTimer = this.clock.setTimer(() => this.flush(), Math.max(0, next - this.clock.now()));
  }

  private flush(): void {
    this.cancelTimer = null;
    const announced = this.announced;
    if (!announced) return;
    const now = this.clock.now();
    const toasts: Toast[] = [];
    for (const [key, pending] of [...this.pending]) {
      if (this.deadline(pending) > now) continue;
      this.pending.delete(key);
      const observed = this.observed.get(key);
      const up = observed?.up ?? false;
      const wasUp = announced.get(key) ?? false;
      if (up) announced.set(key, true);
      else announced.delete(key);
      // A vanished connection's record was kept only for this moment.
      if (observed && !up && observed.gone) this.observed.delete(key);
      // Flapped and came back to where it was: nothing to tell.
      if (!observed || up === wasUp) continue;
      toasts.push(up ? describeUp(observed.connection) : describeDown(observed));
    }
    if (toasts.length === 1) this.onToast(toasts[0] as Toast);
    else if (toasts.length > 1) this.onToast(coalesce(toasts));
    this.reschedule();
  }
}

/** Several changes in one notification: a count in the title, one line each in the body. */
export function coalesce(toasts: readonly Toast[]): Toast {
  const body = toasts.map((toast) => toast.title);
  const shown = body.slice(0, 4);
  if (body.length > shown.length) shown.push(t('many.more', { count: body.length - shown.length }));
  return { title: t('many.title', { count: toasts.length }), body: shown.join('\n') };
}
