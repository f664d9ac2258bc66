/**
 * Turns the monitor's updates into sessions in the history store. Fed wherever the monitor runs (the main
 * process today, a utility process tomorrow): it needs only `MonitorUpdate`s, the hang-up hints and a clock.
 *
 * A session opens when a connection is first seen `connected` and closes when its id leaves the list:
 * `hung-up` when Linkwatch was asked to hang that id up shortly before, `dropped` otherwise. Its last state
 * and the last error seen are kept from the readings before it went (Windows keeps no reason after the fact:
 * RasGetConnectStatus on a dropped handle only says the handle is invalid, FIELD-NOTES). A session still open
 * when the app stops is closed as `unknown` at the next start, unless the backend vouches that the very
 * connection has been up since before it was last seen (a kernel `connectedSince`): then it simply goes on.
 *
 * Each update is one transaction, written only when something a user would read changed; byte counters
 * alone are written at most once a minute. A failing disk never reaches the monitor: the error is logged
 * once and the update is tried again with the next one.
 */
import type { Connection, MonitorUpdate } from '../../../shared/connection';
import type { HistoryDay, HistoryQuery, HistorySession } from '../../../shared/history';
import { toErrorInfo } from '../backend-error';
import { HistoryStore, type SessionRecord } from './history-store';

export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;
/** A hang-up explains a removal only this long after it was asked for. */
export const HANG_UP_HINT_MS = 60_000;
/** Open sessions are marked seen (and counters written) this often. */
export const HEARTBEAT_MS = 60_000;
const MAX_ADDRESSES = 32;

export interface RecorderOptions {
  retentionDays?: number;
  now?: () => number;
  /** Where write failures go (each distinct message once). */
  log?: (message: string) => void;
  /** Run the heartbeat and the daily retention on timers (the app); tests call `heartbeat()` themselves. */
  timers?: boolean;
}

interface Tracked {
  rowId: number;
  record: SessionRecord;
  /** When it was first seen not connected since it was last connected: the end of a later removal. */
  downSince: number | null;
  countersWrittenAt: number;
}

export class HistoryRecorder {
  private tracked = new Map<string, Tracked>();
  /** Sessions the last run left open, keyed by connection id, until the first update decides on them. */
  private resumable: Map<string, { id: number; name: string; kind: string; lastSeenAt: number }> | null;
  private readonly hints = new Map<string, { until: number; token: object }>();
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly reported = new Set<string>();
  private retentionDays: number;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private closed = false;

  constructor(
    readonly store: HistoryStore,
    options: RecorderOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((message) => console.error(`linkwatch: history: ${message}`));
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    const left = this.attempt('closing the last run’s sessions', () => store.transaction(() => store.closeOpenSessions())) ?? [];
    this.resumable = new Map(left.map((session) => [session.connectionId, session]));
    this.prune();
    if (options.timers) {
      const heartbeat = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
      const daily = setInterval(() => this.prune(), DAY_MS);
      for (const timer of [heartbeat, daily]) {
        timer.unref?.();
        this.timers.push(timer);
      }
    }
  }

  /** Open the store at `path` and start recording. Throws (readably) when the file cannot be opened. */
  static open(path: string, options: RecorderOptions = {}): HistoryRecorder {
    return new HistoryRecorder(HistoryStore.open(path), options);
  }

  /**
   * Linkwatch is about to hang `id` up; `done` settles when the backend answered. A removal of `id` while the
   * hint holds is `hung-up`; a failed hang-up withdraws it.
   */
  noteHangUp(id: string, done: Promise<unknown>): void {
    const token = {};
    this.hints.set(id, { until: this.now() + HANG_UP_HINT_MS, token });
    done.catch(() => {
      if (this.hints.get(id)?.token === token) this.hints.delete(id);
    });
  }

  /** Feed every monitor update. Never throws. */
  record(update: MonitorUpdate): void {
    if (this.closed) return;
    // A failed read keeps the last good list, so a backend error alone never ends a session.
    const now = update.snapshot.takenAt ?? this.now();
    const next = new Map([...this.tracked].map(([id, tracked]) => [id, { ...tracked, record: { ...tracked.record } }]));
    const writes: (() => void)[] = [];
    const resumable = this.resumable;
    this.resumable = null;
    const present = new Set<string>();

    for (const connection of update.snapshot.connections) {
      present.add(connection.id);
      const tracked = next.get(connection.id);
      if (tracked) {
        if (merge(tracked, connection, now)) {
          tracked.countersWrittenAt = now;
          writes.push(() => this.store.update(tracked.rowId, tracked.record));
        } else if (countersChanged(tracked, connection) && now - tracked.countersWrittenAt >= HEARTBEAT_MS) {
          merge(tracked, connection, now, true);
          tracked.countersWrittenAt = now;
          writes.push(() => this.store.update(tracked.rowId, tracked.record));
        } else {
          merge(tracked, connection, now, true);
        }
        continue;
      }
      if (connection.state !== 'connected') continue;
      const earlier = resumable?.get(connection.id);
      const resumes =
        earlier !== undefined &&
        earlier.name === connection.name &&
        earlier.kind === connection.kind &&
        connection.connectedSince !== null &&
        connection.connectedSince <= earlier.lastSeenAt;
      const record = newRecord(connection, now);
      if (resumes) {
        const entry: Tracked = { rowId: earlier.id, record, downSince: null, countersWrittenAt: now };
        next.set(connection.id, entry);
        writes.push(() => {
          this.store.reopen(earlier.id, now);
          this.store.update(earlier.id, entry.record);
        });
      } else {
        const entry: Tracked = { rowId: -1, record, downSince: null, countersWrittenAt: now };
        next.set(connection.id, entry);
        writes.push(() => {
          entry.rowId = this.store.insert(entry.record);
        });
      }
    }

    for (const [id, tracked] of next) {
      if (present.has(id)) continue;
      const hint = this.hints.get(id);
      tracked.record.endedAt = Math.max(tracked.record.connectedAt, tracked.downSince ?? now);
      tracked.record.end = hint && hint.until >= now ? 'hung-up' : 'dropped';
      tracked.record.lastSeenAt = now;
      const { rowId, record } = tracked;
      writes.push(() => this.store.update(rowId, record));
      next.delete(id);
    }

    if (writes.length === 0) {
      this.tracked = next;
      return;
    }
    const ok = this.attempt('writing a change', () =>
      this.store.transaction(() => {
        for (const write of writes) write();
        return true;
      }),
    );
    if (ok) {
      this.tracked = next;
      for (const id of this.hints.keys()) if (!present.has(id)) this.hints.delete(id);
    }
  }

  /** Mark open sessions as seen now and write their latest counters. */
  heartbeat(): void {
    if (this.closed) return;
    const now = this.now();
    this.attempt('marking open sessions', () =>
      this.store.transaction(() => {
        for (const tracked of this.tracked.values()) {
          tracked.record.lastSeenAt = now;
          tracked.countersWrittenAt = now;
          this.store.update(tracked.rowId, tracked.record);
        }
        this.store.touchOpen(now);
      }),
    );
  }

  setRetentionDays(days: number): void {
    this.retentionDays = days;
    this.prune();
  }

  sessions(query: HistoryQuery = {}): HistorySession[] {
    return this.store.sessions(query);
  }

  /** Sessions that ended `dropped`, per entry name and kind. */
  dropCounts(): { name: string; kind: string; drops: number }[] {
    return this.store.dropCounts();
  }

  days(count: number): HistoryDay[] {
    const now = this.now();
    const start = new Date(now);
    start.setHours(0, 0, 0, 0);
    start.setDate(start.getDate() - (count - 1));
    return this.store.days(start.getTime(), now);
  }

  /** Quit: the open sessions are marked seen now and stay open (the next start closes them as `unknown`). */
  close(): void {
    if (this.closed) return;
    this.heartbeat();
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.store.close();
  }

  private prune(): void {
    const before = this.now() - this.retentionDays * DAY_MS;
    this.attempt('applying the retention', () => this.store.prune(before));
  }

  private attempt<T>(what: string, work: () => T): T | null {
    try {
      return work();
    } catch (caught) {
      const message = `${what} failed: ${toErrorInfo(caught).message}`;
      if (!this.reported.has(message)) {
        this.reported.add(message);
        this.log(message);
      }
      return null;
    }
  }
}

function newRecord(connection: Connection, now: number): SessionRecord {
  return {
    connectionId: connection.id,
    name: connection.name,
    kind: connection.kind,
    deviceType: connection.deviceType,
    deviceName: connection.deviceName,
    adHoc: connection.adHoc,
    phoneNumber: connection.phoneNumber,
    addresses: connection.addresses.slice(0, MAX_ADDRESSES),
    connectedAt: connection.connectedSince ?? now,
    endedAt: null,
    end: null,
    lastSeenAt: now,
    lastState: connection.state,
    lastStateDetail: connection.stateDetail,
    lastError: connection.lastError,
    bytesIn: connection.bytesIn,
    bytesOut: connection.bytesOut,
  };
}

function countersChanged(tracked: Tracked, connection: Connection): boolean {
  return (connection.bytesIn !== null && connection.bytesIn !== tracked.record.bytesIn) || (connection.bytesOut !== null && connection.bytesOut !== tracked.record.bytesOut);
}

/**
 * Take a new reading into the session. Returns whether something a user reads changed (counters aside);
 * with `countersToo`, the counters are taken as well.
 */
function merge(tracked: Tracked, connection: Connection, now: number, countersToo = false): boolean {
  const record = tracked.record;
  const before = JSON.stringify([record.name, record.kind, record.deviceType, record.deviceName, record.phoneNumber, record.addresses, record.lastState, record.lastStateDetail, record.lastError]);
  record.name = connection.name;
  record.kind = connection.kind;
  record.deviceType = connection.deviceType;
  record.deviceName = connection.deviceName;
  record.phoneNumber = connection.phoneNumber;
  for (const address of connection.addresses) {
    if (record.addresses.length < MAX_ADDRESSES && !record.addresses.includes(address)) record.addresses = [...record.addresses, address];
  }
  record.lastState = connection.state;
  record.lastStateDetail = connection.stateDetail;
  // The reason it went is the last error seen: the final reading often no longer has one.
  if (connection.lastError) record.lastError = connection.lastError;
  if (connection.state === 'connected') tracked.downSince = null;
  else tracked.downSince ??= now;
  const changed = before !== JSON.stringify([record.name, record.kind, record.deviceType, record.deviceName, record.phoneNumber, record.addresses, record.lastState, record.lastStateDetail, record.lastError]);
  if (changed || countersToo) {
    if (connection.bytesIn !== null) record.bytesIn = connection.bytesIn;
    if (connection.bytesOut !== null) record.bytesOut = connection.bytesOut;
    record.lastSeenAt = now;
  }
  return changed;
}
