import type { Connection, ConnectionKind, ErrorInfo } from '../../../shared/connection';
import type { DialPhase, SavedScope } from '../../../shared/saved';
import type { SourceDiagnosis } from '../../../shared/diagnostics';
import type { ProbeResult } from '../../../shared/health';
import type { ProbeRequest } from '../health/probe-target';
import type { Policy } from '../../../shared/policy';
import type { RoutingReading } from '../routing/routing-reading';

/**
 * What a backend reports for one connection. The monitor adds what needs history: `connectedSince`
 * (unless the backend knows it, as `upSince`) and the rates computed from successive counters.
 */
export type SourceConnection = Omit<Connection, 'rateIn' | 'rateOut' | 'connectedSince' | 'routing'> & {
  /** Epoch ms when the link came up, where the OS tells; the monitor falls back to first-seen-connected. */
  upSince?: number | null;
};

/** A saved entry as a backend lists it (the core matches it to the live list and adds the dial state). */
export interface SourceEntry {
  name: string;
  scope: SavedScope;
  kind: ConnectionKind;
  phonebook: string | null;
  /** Why it cannot be kept connected (no saved password), where the backend knows; see SavedEntry. */
  keepBlocked?: string | null;
  /** The system reconnects it itself (NetworkManager autoconnect); see SavedEntry. */
  systemReconnects?: string | null;
}

/** One step of a dial, as the backend reports it; the last one has a phase other than `dialling`. */
export interface DialProgress {
  connectionId: string | null;
  phase: DialPhase;
  detail: string;
  error: { code: number | string; message: string } | null;
}

export interface ReadOptions {
  /** Read byte counters too. False while nobody looks (popup hidden, `list` without stats): they cost. */
  counters: boolean;
}

/** One platform's way to list connections. Picked once, in `platforms/index.ts`. */
export interface ConnectionSource {
  /** "rasapi32", "netlink", "getifaddrs", "none". */
  readonly backend: string;
  /**
   * True where a connection's progress while connecting comes by no notification (RAS: the RASCS_* dialling
   * steps raise no RASCN_ event): the monitor reads fast while one is connecting. Elsewhere (rtnetlink pushes
   * the address that makes a tunnel connected) a connecting interface, which may stay so, costs nothing.
   */
  readonly pollWhileConnecting?: boolean;
  /**
   * How often to read although push works and nobody looks (a "safety read"), in ms, where the source knows
   * how often its push may miss a change better than the monitor's default does (Windows:
   * WINDOWS_SAFETY_READ_MS). `null` where the push channel reports every change and also its own losses
   * (rtnetlink: ENOBUFS makes watch() say "changed"): then nothing is read while nothing changes. Absent: the
   * monitor's default (5 s).
   */
  readonly safetyReadMs?: number | null;
  /** Seconds-scale cost is a bug: the monitor calls this every poll. Throws `BackendError` on failure. */
  read(options: ReadOptions): Promise<SourceConnection[]>;
  /**
   * Push notifications from the OS, where the platform has them (rtnetlink groups, RasConnectionNotification).
   * `onChange` says only "something changed": the monitor re-reads and diffs; `onChange('routing')` says only
   * routes or rules changed, and the monitor re-reads the routing alone (readRouting). Returns the unsubscribe function.
   * Throws when push cannot start here (Wine's stub rasapi32 refuses the registration); `onUnavailable` is
   * called when it stops working later, or fails after watch() returned (a worker's). Either way the monitor
   * polls instead. Sources without it are polled.
   */
  watch?(onChange: (scope?: 'routing') => void, onUnavailable?: (error: ErrorInfo) => void): () => void;
  /**
   * Routes, policy rules, the OS's route lookups for a public address of each family (no packet sent) and the
   * resolvers (issue 25), paired with the connections of the latest `read`. The monitor calls it after each
   * read and computes `Connection.routing` and `Snapshot.verdict` from it (routing/verdict.ts). Absent where
   * the backend reads no routes: both are then null. Throws `BackendError`; the list is kept either way.
   */
  readRouting?(): Promise<RoutingReading>;
  /** Hang up one connection by its id; absent where the backend cannot. Throws `BackendError`. */
  hangUp?(id: string): Promise<void>;
  /**
   * Saved connections (phone-book entries, NetworkManager profiles); absent where the backend has none.
   * Resolves to null when the OS has no such store right now (no NetworkManager): the section is absent.
   */
  listEntries?(): Promise<SourceEntry[] | null>;
  /**
   * Bring up the saved entry `name` (one `listEntries` returned): progress through `onProgress`, off the
   * caller's thread, resolving with the final step (connected, failed, cancelled). Never rejects for a dial
   * that fails: that is a `failed` step with the OS's code and message. Rejects (BackendError) only when the
   * dial cannot start at all.
   */
  connect?(name: string, onProgress: (progress: DialProgress) => void): Promise<DialProgress>;
  /** Stop a dial under way (its `connectionId`): RasHangUpW on the handle RasDialW gave, DeactivateConnection. */
  cancel?(connectionId: string): Promise<void>;
  /**
   * Every interface the OS reports with this backend's verdict, and the last error of each part (`linkwatch
   * diagnose`). Reads afresh; throws `BackendError` only when nothing at all can be read.
   */
  diagnose?(): Promise<SourceDiagnosis>;
  /**
   * One echo inside a connected tunnel (health/probe-target.ts says where, and the source checks it against its
   * own latest reading: never outside the tunnel); absent where the platform has no unprivileged ICMP here.
   * Never rejects for a probe that fails: that is a ProbeResult with `error`.
   */
  probe?(request: ProbeRequest): Promise<ProbeResult>;
  /**
   * The administrator's policy (README "For administrators"), read afresh. Served here, beside the
   * backend, because on Windows it is read from the registry natively, which the app's main process never
   * does. Never rejects for a bad policy: what is wrong is in its `problems`.
   */
  policy?(): Promise<Policy>;
  /** Call `onChange` when the policy may have changed (then ask `policy()`); returns the unsubscribe function. */
  watchPolicy?(onChange: () => void): () => void;
  /** Release native resources (sockets, library handles). */
  close(): void;
  /**
   * close(), after ending what must not be cut off by the process exiting: RAS runs a dial's state machine on
   * a thread of the calling process, so each dial in progress is hung up and its handle waited for (bounded,
   * RasHangUp's documented ~3 s), and hang-ups under way are waited for. Absent: close() is enough.
   */
  shutdown?(): Promise<void>;
}
