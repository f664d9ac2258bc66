import type { Connection, ErrorInfo, MonitorEvent, MonitorUpdate, Snapshot, UpdateMode } from '../../shared/connection';
import type { ProbeResult } from '../../shared/health';
import type { RoutingDiagnosis, SourceDiagnosis } from '../../shared/diagnostics';
import { toErrorInfo } from './backend-error';
import { completeConnection, diffConnections, lastReadingPerId, type PreviousReading } from './model';
import { HIDDEN_COUNTER_INTERVAL_MS } from './health/health-rule';
import { HealthTracker } from './health/health-tracker';
import type { ConnectionSource } from './platforms/source';
import { PushSubscription } from './push-subscription';
import {
  DEFAULT_CONNECTING_POLL_MS,
  DEFAULT_COUNTERS_INTERVAL_MS,
  DEFAULT_LIVE_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_SAFETY_POLL_MS,
  nextReadDelay,
  type ReadIntervals,
} from './read-cadence';
import { RoutingReads, sameVerdict, withRouting, type Routed } from './routing/routing-reads';

export interface MonitorOptions {
  /** Poll period for sources without push notifications while nobody looks (popup hidden, `watch`). */
  pollIntervalMs?: number;
  /** Poll period without push while someone looks (wantLive: the popup is open): a change shows in time. */
  livePollIntervalMs?: number;
  /**
   * Safety read for sources with push whose notifications can be missed (FIELD-NOTES: RAS on Windows 11).
   * Given here, it wins (tests, benchmarks); otherwise the source's own `safetyReadMs` (null: none, rtnetlink).
   */
  safetyPollMs?: number;
  /** Read period while a connection is connecting: RAS reports dialling progress (RASCS_*) by no event. */
  connectingPollMs?: number;
  /** Counter refresh while someone wants throughput (popup visible, `watch --stats`). */
  countersIntervalMs?: number;
  /**
   * A read still unanswered after this long is reported as an error (the list kept), while the monitor
   * waits for it to finish: reads never overlap, and a hung OS call cannot be cancelled.
   */
  readTimeoutMs?: number;
  /**
   * Counter reads for health while nobody wants counters (wantHealth without wantCounters): at most one per
   * this period, and only while some connection is connected (health/health-rule.ts says why 10 s).
   */
  healthCountersMs?: number;
  /** Reported as `Snapshot.platform`. */
  platform?: string;
  now?: () => number;
}

export type MonitorListener = (update: MonitorUpdate) => void;
/** Told of every hang-up Linkwatch asks for, before the backend answers; `done` settles with its answer. */
export type HangUpListener = (id: string, done: Promise<void>) => void;

export {
  DEFAULT_CONNECTING_POLL_MS,
  DEFAULT_COUNTERS_INTERVAL_MS,
  DEFAULT_LIVE_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_READ_INTERVALS,
  DEFAULT_SAFETY_POLL_MS,
  nextReadDelay,
  type ReadCadence,
  type ReadIntervals,
} from './read-cadence';
export const DEFAULT_READ_TIMEOUT_MS = 10_000;

/**
 * Snapshots in, events out. Reads only while someone listens: the first subscriber starts the reads (push
 * notifications where the source has them, else polling), the last one leaving stops every timer and
 * subscription. Reads never overlap; a failed read keeps the last good list and reports the error as data.
 * Between reads at most one timer is armed, and none at all while push is complete and nobody wants counters
 * or a connecting connection's steps (read-cadence.ts): then the monitor costs nothing until the OS speaks.
 */
export class ConnectionMonitor {
  private readonly source: ConnectionSource;
  private readonly intervals: ReadIntervals;
  private readonly readTimeoutMs: number;
  private readonly now: () => number;
  private readonly listeners = new Set<MonitorListener>();
  private readonly hangUpListeners = new Set<HangUpListener>();
  private counterClaims = 0;
  private liveClaims = 0;
  private healthClaims = 0;
  private readonly health = new HealthTracker();
  private readonly healthCountersMs: number;
  /** When counters were last read (for anyone): the next health-only read is due healthCountersMs later. */
  private countersReadAt: number | null = null;
  private current: Snapshot;
  private readings = new Map<string, PreviousReading>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The delay the armed timer was set with (scheduledRead). */
  private timerDelay: number | null = null;
  private readonly push: PushSubscription;
  private reading: Promise<Snapshot> | null = null;
  /** What `refresh()` callers wait for: the read under way, or its timeout, whichever comes first. */
  private answer: Promise<Snapshot> | null = null;
  private readAgain = false;
  private closed = false;
  /** The duplicate ids last logged (reportDuplicates). */
  private duplicatesReported = '';
  /** Routing (issue 25): its reads, the routing-only read under way, read counts. */
  private readonly routingReads: RoutingReads;
  private routingOnly: Promise<void> | null = null;
  private routingAgain = false;
  private fullReads = 0;
  private routingOnlyReads = 0;

  constructor(source: ConnectionSource, options: MonitorOptions = {}) {
    this.source = source;
    this.intervals = {
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      livePollIntervalMs: options.livePollIntervalMs ?? DEFAULT_LIVE_POLL_INTERVAL_MS,
      // The source knows best how often its push may miss a change (ConnectionSource.safetyReadMs: Windows
      // 60 s, netlink never); a source that does not say gets the default.
      safetyPollMs: options.safetyPollMs ?? (source.safetyReadMs === undefined ? DEFAULT_SAFETY_POLL_MS : source.safetyReadMs),
      connectingPollMs: options.connectingPollMs ?? DEFAULT_CONNECTING_POLL_MS,
      countersIntervalMs: options.countersIntervalMs ?? DEFAULT_COUNTERS_INTERVAL_MS,
    };
    this.readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    this.routingReads = new RoutingReads(source);
    this.healthCountersMs = options.healthCountersMs ?? HIDDEN_COUNTER_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    this.push = new PushSubscription(source, {
      // 'routing': only routes or rules changed (issue 25); anything else re-reads every connection.
      onChange: (scope) => (scope === 'routing' ? void this.refreshRouting() : void this.refresh()),
      onUnavailable: (reason) => this.pushUnavailable(reason),
    });
    this.current = {
      platform: options.platform ?? process.platform,
      backend: source.backend,
      updates: 'poll',
      connections: [],
      error: null,
      takenAt: null,
      verdict: null,
    };
  }

  /** The latest snapshot: the last good list, with `error` set if the latest read failed. */
  get snapshot(): Snapshot {
    return this.current;
  }

  /** The backend's own account of every interface and part (`linkwatch diagnose`); null when it has none. */
  async diagnoseSource(): Promise<SourceDiagnosis | null> {
    return this.source.diagnose ? this.source.diagnose() : null;
  }

  /** The delay of the read now scheduled on a timer, or null when none is: the next read waits for a push signal. */
  get scheduledRead(): number | null {
    return this.timer ? this.timerDelay : null;
  }

  /**
   * The routing read afresh and explained (`linkwatch diagnose`, issue 25); null where the backend reads no
   * routes. Never throws: a failed reading is reported in it.
   */
  diagnoseRouting(): Promise<RoutingDiagnosis | null> {
    return this.routingReads.diagnose(this.current.connections);
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
      if (!this.reading) this.schedule(); // counters were the only reason for a timer: none from now
    };
  }

  /**
   * Keep each connected connection's `health` current until the returned release is called: counters are
   * read for it at most once per `healthCountersMs` while nobody wants them otherwise, and never while
   * nothing is connected. Those counters feed the stall rule only; the connections keep `bytesIn: null`
   * unless someone asked for counters (wantCounters), as before.
   */
  wantHealth(): () => void {
    this.healthClaims += 1;
    if (this.listeners.size > 0 && !this.reading) this.schedule();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.healthClaims -= 1;
    };
  }

  /** A probe inside a tunnel answered (or not): the tracker takes it into the next reading's health. */
  noteProbe(id: string, result: ProbeResult): void {
    this.health.noteProbe(id, result);
    void this.refresh();
  }

  /**
   * Someone is looking (the popup is open) until the returned release is called: changes must show within a
   * quarter second (polled at `livePollIntervalMs` where there is no push), with counters and rates.
   */
  wantLive(): () => void {
    this.liveClaims += 1;
    const releaseCounters = this.wantCounters();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.liveClaims -= 1;
      releaseCounters(); // back to the quiet cadence now, not after the fast one's next read
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

  /** Milliseconds until a health-only counter read is due (0: now); null when none is wanted. */
  private healthDueIn(): number | null {
    if (this.healthClaims === 0 || this.counterClaims > 0) return null;
    if (!this.current.connections.some((connection) => connection.state === 'connected')) return null;
    return this.countersReadAt === null ? 0 : Math.max(0, this.countersReadAt + this.healthCountersMs - this.now());
  }

  private async readOnce(): Promise<Snapshot> {
    const wanted = this.counterClaims > 0;
    const counters = wanted || this.healthDueIn() === 0;
    let connections: Connection[] | null = null;
    let events: MonitorEvent[] = [];
    let error: ErrorInfo | null = null;
    let routed: Routed | null = null;
    try {
      // Whatever the source answers or throws becomes data here: readOnce never rejects.
      const { readings, duplicates } = lastReadingPerId(await this.source.read({ counters }));
      this.reportDuplicates(duplicates);
      routed = await this.routingReads.read(readings.map((reading) => reading.id));
      const now = this.now();
      if (counters) this.countersReadAt = now;
      const read = readings.map((reading) => completeConnection(reading, this.readings.get(reading.id), now, routed?.routing.get(reading.id) ?? null));
      const withHealth = this.healthClaims > 0 ? this.health.apply(read, now) : read;
      // Counters read for health alone stay out of the list: nobody asked to see them (nor to write them).
      // (RAS reports its connect duration with the statistics: a health read may correct connectedSince to the
      // system's figure, as an open popup's read always has.)
      const completed = wanted ? withHealth : withHealth.map(withoutCounters);
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
    // A failed read keeps the last good list, and the verdict that went with it.
    const verdict = connections ? (routed?.verdict ?? null) : this.current.verdict;
    const verdictChanged = !sameVerdict(this.current.verdict, verdict);
    this.current = { ...this.current, connections: connections ?? this.current.connections, error, takenAt: this.now(), verdict };
    this.fullReads += 1;
    if (events.length > 0 || first || verdictChanged) {
      const update: MonitorUpdate = { events, snapshot: this.current };
      for (const listener of [...this.listeners]) this.deliver(listener, update);
    }
    return this.current;
  }

  /**
   * Only routes or rules changed (the source said `watch`'s onChange('routing')): read the routing alone and
   * emit the connections whose `routing` changed and the new verdict, without re-reading every connection.
   * A full read under way or started meanwhile carries the routing too: then this one's answer is dropped.
   */
  private refreshRouting(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    if (this.routingOnly) {
      this.routingAgain = true;
      return;
    }
    const generation = this.fullReads;
    this.routingOnlyReads += 1;
    this.routingOnly = (async () => {
      const routed = await this.routingReads.read(this.current.connections.map((connection) => connection.id));
      if (this.closed || this.reading || generation !== this.fullReads || this.current.takenAt === null) return;
      const connections = this.current.connections.map((connection) => withRouting(connection, routed?.routing.get(connection.id) ?? null));
      const events: MonitorEvent[] = diffConnections(this.current.connections, connections);
      const verdict = routed?.verdict ?? null;
      if (events.length === 0 && sameVerdict(this.current.verdict, verdict)) return;
      for (const connection of connections) {
        const previous = this.readings.get(connection.id);
        if (previous) this.readings.set(connection.id, { ...previous, connection });
      }
      this.current = { ...this.current, connections, verdict };
      const update: MonitorUpdate = { events, snapshot: this.current };
      for (const listener of [...this.listeners]) this.deliver(listener, update);
    })().finally(() => {
      this.routingOnly = null;
      if (this.routingAgain && !this.closed) {
        this.routingAgain = false;
        this.refreshRouting();
      }
    });
  }

  /** How many reads of each kind ran (the benchmark's "route messages handled without a full re-read"). */
  get readCounts(): { full: number; routingOnly: number } {
    return { full: this.fullReads, routingOnly: this.routingOnlyReads };
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
    if (this.push.start()) this.setUpdates('push');
  }

  /** No push after all (refused now, or failed later): polling alone still keeps the list current. */
  private pushUnavailable(reason: string): void {
    console.error('linkwatch: push notifications unavailable, polling instead:', reason);
    this.setUpdates('poll');
    if (!this.reading) this.schedule();
  }

  /** Say how the list is kept current (Snapshot.updates); listeners hear of a change at once. */
  private setUpdates(updates: UpdateMode): void {
    if (this.current.updates === updates) return;
    this.current = { ...this.current, updates };
    if (this.current.takenAt === null) return; // the first read's update carries it
    const update: MonitorUpdate = { events: [], snapshot: this.current };
    for (const listener of [...this.listeners]) this.deliver(listener, update);
  }

  private stopWatching(): void {
    this.cancelTimer();
    this.push.stop();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDelay = null;
  }

  /** Arm the one timer for the next read the cadence asks for, or none (read-cadence.ts). */
  private schedule(): void {
    this.cancelTimer();
    if (this.closed || this.listeners.size === 0) return;
    const readDelay = nextReadDelay(
      {
        push: this.push.active,
        live: this.liveClaims > 0,
        counters: this.counterClaims > 0,
        connecting: this.source.pollWhileConnecting === true && this.current.connections.some((connection) => connection.state === 'connecting'),
      },
      this.intervals,
    );
    const healthDue = this.healthDueIn();
    const delay = readDelay === null ? healthDue : healthDue === null ? readDelay : Math.min(readDelay, healthDue);
    if (delay === null) return;
    this.timerDelay = delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDelay = null;
      void this.refresh();
    }, delay);
  }
}

/** A connection without the counters and rates read for health alone: nobody asked to see them. */
function withoutCounters(connection: Connection): Connection {
  return connection.bytesIn === null && connection.bytesOut === null ? connection : { ...connection, bytesIn: null, bytesOut: null, rateIn: null, rateOut: null };
}

function sameError(a: ErrorInfo | null, b: ErrorInfo | null): boolean {
  return a === b || (a !== null && b !== null && a.code === b.code && a.message === b.message);
}
