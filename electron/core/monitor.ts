import type { Connection, ErrorInfo, MonitorEvent, MonitorUpdate, Snapshot } from '../../shared/connection';
import { toErrorInfo } from './backend-error';
import { completeConnection, diffConnections, lastReadingPerId, type PreviousReading } from './model';
import type { ConnectionSource } from './platforms/source';

export interface MonitorOptions {
  /** Poll period for sources without push notifications. 200 ms keeps a change under a quarter second. */
  pollIntervalMs?: number;
  /** Safety poll for sources with push: notifications can be missed (FIELD-NOTES: RAS on Windows 11). */
  safetyPollMs?: number;
  /** Counter refresh while someone wants throughput (popup visible, `watch --stats`). */
  countersIntervalMs?: number;
  /**
   * A read still unanswered after this long is reported as an error (the list kept), while the monitor
   * waits for it to finish: reads never overlap, and a hung OS call cannot be cancelled.
   */
  readTimeoutMs?: number;
  /** Reported as `Snapshot.platform`. */
  platform?: string;
  now?: () => number;
}

export type MonitorListener = (update: MonitorUpdate) => void;
/** Told of every hang-up Linkwatch asks for, before the backend answers; `done` settles with its answer. */
export type HangUpListener = (id: string, done: Promise<void>) => void;

export const DEFAULT_POLL_INTERVAL_MS = 200;
export const DEFAULT_SAFETY_POLL_MS = 2000;
export const DEFAULT_COUNTERS_INTERVAL_MS = 1000;
export const DEFAULT_READ_TIMEOUT_MS = 10_000;

/**
 * Snapshots in, events out. Reads only while someone listens: the first subscriber starts the reads (push
 * notifications where the source has them, else polling), the last one leaving stops every timer and
 * subscription. Reads never overlap; a failed read keeps the last good list and reports the error as data.
 */
export class ConnectionMonitor {
  private readonly source: ConnectionSource;
  private readonly pollIntervalMs: number;
  private readonly safetyPollMs: number;
  private readonly countersIntervalMs: number;
  private readonly readTimeoutMs: number;
  private readonly now: () => number;
  private readonly listeners = new Set<MonitorListener>();
  private readonly hangUpListeners = new Set<HangUpListener>();
  private counterClaims = 0;
  private current: Snapshot;
  private readings = new Map<string, PreviousReading>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unwatch: (() => void) | null = null;
  private reading: Promise<Snapshot> | null = null;
  /** What `refresh()` callers wait for: the read under way, or its timeout, whichever comes first. */
  private answer: Promise<Snapshot> | null = null;
  private readAgain = false;
  private closed = false;
  /** The duplicate ids last logged (reportDuplicates). */
  private duplicatesReported = '';

  constructor(source: ConnectionSource, options: MonitorOptions = {}) {
    this.source = source;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.safetyPollMs = options.safetyPollMs ?? DEFAULT_SAFETY_POLL_MS;
    this.countersIntervalMs = options.countersIntervalMs ?? DEFAULT_COUNTERS_INTERVAL_MS;
    this.readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
    this.current = { platform: options.platform ?? process.platform, backend: source.backend, connections: [], error: null, takenAt: null };
  }

  /** The latest snapshot: the last good list, with `error` set if the latest read failed. */
  get snapshot(): Snapshot {
    return this.current;
  }

  get canHangUp(): boolean {
    return typeof this.source.hangUp === 'function';
  }

  /**
   * Start listening. The listener first gets the current list (after a fresh read when this is the first
   * subscriber), then one update per read that changed something. Returns the unsubscribe function.
   */
  subscribe(listener: MonitorListener): () => void {
    if (this.closed) throw new Error('monitor is closed');
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      this.startWatching();
      void this.refresh();
    } else if (this.current.takenAt !== null) {
      const snapshot = this.current;
      queueMicrotask(() => {
        if (this.listeners.has(listener)) this.deliver(listener, { events: [], snapshot });
      });
    }
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0) this.stopWatching();
    };
  }

  /** Ask for byte counters and rates until the returned release is called (claims are counted). */
  wantCounters(): () => void {
    this.counterClaims += 1;
    if (this.listeners.size > 0) void this.refresh();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.counterClaims -= 1;
    };
  }

  /**
   * Read now (or join the read under way, then read once more) and emit what changed. Never throws, and
   * answers within `readTimeoutMs`: with the last good list and an ETIMEDOUT error if the backend is stuck.
   */
  refresh(): Promise<Snapshot> {
    if (this.reading && this.answer) {
      this.readAgain = true;
      return this.answer;
    }
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<Snapshot>((resolve) => {
      watchdog = setTimeout(() => resolve(this.reportSlowRead()), this.readTimeoutMs);
    });
    this.reading = this.readOnce().finally(() => {
      clearTimeout(watchdog);
      this.reading = null;
      this.answer = null;
      if (this.readAgain && !this.closed) {
        this.readAgain = false;
        void this.refresh();
      } else {
        this.schedule();
      }
    });
    this.answer = Promise.race([this.reading, timedOut]);
    return this.answer;
  }

  async hangUp(id: string): Promise<void> {
    if (!this.source.hangUp) throw new Error(`the ${this.source.backend} backend cannot hang up connections`);
    const done = this.source.hangUp(id);
    // Before the answer: a read under way may already see the connection gone (the history's hint).
    for (const listener of [...this.hangUpListeners]) {
      try {
        listener(id, done);
      } catch (caught) {
        console.error('linkwatch: hang-up listener failed:', caught);
      }
    }
    await done;
    void this.refresh();
  }

  /** Hear of every hang-up asked for (the history tells `hung-up` from `dropped` by it). */
  onHangUp(listener: HangUpListener): () => void {
    this.hangUpListeners.add(listener);
    return () => {
      this.hangUpListeners.delete(listener);
    };
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.stopWatching();
    this.source.close();
  }

  private async readOnce(): Promise<Snapshot> {
    const counters = this.counterClaims > 0;
    let connections: Connection[] | null = null;
    let events: MonitorEvent[] = [];
    let error: ErrorInfo | null = null;
    try {
      // Whatever the source answers or throws becomes data here: readOnce never rejects.
      const { readings, duplicates } = lastReadingPerId(await this.source.read({ counters }));
      this.reportDuplicates(duplicates);
      const now = this.now();
      const completed = readings.map((reading) => completeConnection(reading, this.readings.get(reading.id), now));
      events = diffConnections(this.current.connections, completed);
      connections = completed;
      this.readings = new Map(completed.map((connection) => [connection.id, { connection, readAt: now }]));
    } catch (caught) {
      error = toErrorInfo(caught);
    }
    if (this.closed) return this.current;
    const previousError = this.current.error;
    if (!sameError(previousError, error)) events.push({ type: 'error', error });
    const first = this.current.takenAt === null;
    this.current = { ...this.current, connections: connections ?? this.current.connections, error, takenAt: this.now() };
    if (events.length > 0 || first) {
      const update: MonitorUpdate = { events, snapshot: this.current };
      for (const listener of [...this.listeners]) this.deliver(listener, update);
    }
    return this.current;
  }

  /**
   * One log line when a read lists an id more than once (the last reading of it is kept, lastReadingPerId),
   * and not again while the same ids keep repeating: a backend stuck in that state must not flood the log.
   */
  private reportDuplicates(duplicates: readonly string[]): void {
    const key = duplicates.join('\n');
    if (key !== this.duplicatesReported && duplicates.length > 0) {
      const shown = duplicates.slice(0, 5).map((id) => JSON.stringify(id.slice(0, 100)));
      const more = duplicates.length > shown.length ? ` and ${duplicates.length - shown.length} more` : '';
      console.warn(`linkwatch: the ${this.source.backend} backend listed ${shown.join(', ')}${more} more than once; the last reading of each is kept`);
    }
    this.duplicatesReported = key;
  }

  /** The read under way has not answered in time: say so (the list stays as it was) until it does. */
  private reportSlowRead(): Snapshot {
    if (this.closed) return this.current;
    const waited = this.readTimeoutMs < 1000 ? `${this.readTimeoutMs} ms` : `${this.readTimeoutMs / 1000} s`;
    const error: ErrorInfo = { code: 'ETIMEDOUT', message: `The ${this.source.backend} backend has not answered for ${waited}` };
    this.current = { ...this.current, error };
    const update: MonitorUpdate = { events: [{ type: 'error', error }], snapshot: this.current };
    for (const listener of [...this.listeners]) this.deliver(listener, update);
    return this.current;
  }

  private deliver(listener: MonitorListener, update: MonitorUpdate): void {
    try {
      listener(update);
    } catch (caught) {
      // A broken subscriber must not stop the others or the reads.
      console.error('linkwatch: monitor listener failed:', caught);
    }
  }

  private startWatching(): void {
    if (this.source.watch && !this.unwatch) {
      try {
        this.unwatch = this.source.watch(() => void this.refresh());
      } catch (caught) {
        // No push available after all: polling alone still keeps the list current.
        console.error('linkwatch: push notifications unavailable, polling instead:', toErrorInfo(caught).message);
        this.unwatch = null;
      }
    }
  }

  private stopWatching(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unwatch?.();
    this.unwatch = null;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.closed || this.listeners.size === 0) return;
    const pushed = this.unwatch !== null;
    const base = pushed ? this.safetyPollMs : this.pollIntervalMs;
    const delay = this.counterClaims > 0 ? Math.min(base, this.countersIntervalMs) : base;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, delay);
  }
}

function sameError(a: ErrorInfo | null, b: ErrorInfo | null): boolean {
  return a === b || (a !== null && b !== null && a.code === b.code && a.message === b.message);
}
