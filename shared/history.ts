/**
 * What the history keeps about a connection once it has gone: one definition for the store
 * (electron/core/history), the popup's History view (over IPC) and `linkwatch history --json` (README).
 * Plain data only.
 */
import type { ConnectionKind, ConnectionState, ErrorInfo } from './connection';

/**
 * How a session ended: `dropped` (it went without Linkwatch hanging it up: the network, the server or
 * another program), `hung-up` (Disconnect in Linkwatch), `unknown` (still up when Linkwatch quit or crashed:
 * closed at the next start, `endedAt` is when Linkwatch last saw it up). Null while the session is open.
 */
export type SessionEnd = 'dropped' | 'hung-up' | 'unknown';
export const SESSION_ENDS: readonly SessionEnd[] = ['dropped', 'hung-up', 'unknown'];

/** One time a connection was up: from when it connected to when it went. */
export interface HistorySession {
  /** The store's row id: stable, increasing in the order sessions were first seen. */
  id: number;
  /** The connection's `id` while it was up (`ras:<handle>`, `netlink:<ifindex>:<ifname>`). */
  connectionId: string;
  name: string;
  kind: ConnectionKind;
  deviceType: string;
  deviceName: string;
  adHoc: boolean;
  phoneNumber: string | null;
  /** Every address it had while up, in the order they were first seen. */
  addresses: string[];
  /** Epoch milliseconds when it reached `connected`. */
  connectedAt: number;
  /** Epoch milliseconds when it went (for `unknown`: when Linkwatch last saw it up); null while open. */
  endedAt: number | null;
  end: SessionEnd | null;
  /** `endedAt - connectedAt`; null while open. */
  durationMs: number | null;
  /** The state and the backend's own word in the last reading before it went. */
  lastState: ConnectionState;
  lastStateDetail: string;
  /** The last error the backend reported for it while it was up or going down (RAS `dwError`), else null. */
  lastError: ErrorInfo | null;
  /** The last byte counters read while it was up (only while someone looked: popup, `watch --stats`). */
  bytesIn: number | null;
  bytesOut: number | null;
}

/** One local calendar day's sessions (by the day they connected), summed. */
export interface HistoryDay {
  /** `YYYY-MM-DD` in the machine's local time. */
  day: string;
  sessions: number;
  drops: number;
  /** Sum of the sessions' durations; an open session counts up to now. */
  upMs: number;
  /** Sums over the sessions whose counters were read; null when none were. */
  bytesIn: number | null;
  bytesOut: number | null;
}

/** What the History view and the CLI ask for. */
export interface HistoryQuery {
  /** Only sessions that connected at or after this epoch millisecond (or are still open). */
  since?: number;
  /** Only sessions of this entry name (case-insensitive for ASCII, as RAS entry names are). */
  name?: string;
  /** At most this many, the newest. */
  limit?: number;
}
