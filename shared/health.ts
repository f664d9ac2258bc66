/**
 * Whether a connected tunnel carries traffic: what the core decides from the byte counters (and, where the
 * user turned it on, from a probe inside the tunnel), shown in the row, the tray icon and `watch --json`.
 * Plain data only; the rule that produces it is electron/core/health/health-rule.ts.
 */
import type { ErrorInfo } from './connection';

/**
 * `verifying`: just up, not enough readings yet. `healthy`: something came back recently. `quiet`: nothing
 * sent and nothing received (fine: an idle tunnel). `stalled`: packets went out and nothing came back for
 * `STALL_AFTER_MS` (the classic dead tunnel that still says "Connected").
 */
export type HealthStatus = 'verifying' | 'healthy' | 'quiet' | 'stalled';
export const HEALTH_STATUSES: readonly HealthStatus[] = ['verifying', 'healthy', 'quiet', 'stalled'];

/** One echo inside the tunnel (ICMP to its gateway or DNS server) and what came of it. */
export interface ProbeResult {
  /** The address echoed: always one reached through the tunnel itself, never outside it. */
  target: string;
  /** Round-trip time in milliseconds; null when no reply came in time (or the probe could not be sent). */
  rttMs: number | null;
  /** Epoch ms of the probe. */
  at: number;
  /** Why no reply: `ETIMEDOUT`, or the OS's refusal (`EPERM` where `ping_group_range` excludes the user). */
  error: ErrorInfo | null;
}

export interface ConnectionHealth {
  status: HealthStatus;
  /** Epoch ms since when it has had this status. */
  since: number;
  /** Why, in words: "sent 12 KB in 24 s, received nothing". */
  reason: string;
  /** The latest probe, where the user turned probing on for this connection; else null. */
  probe: ProbeResult | null;
}
