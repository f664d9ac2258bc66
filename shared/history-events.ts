/**
 * What the history keeps besides sessions (schema 2 of history.sqlite): a tunnel that stalled and
 * recovered (shared/health.ts), and each attempt Keep connected made (shared/reconnect.ts). Plain data.
 */
import type { ErrorInfo } from './connection';

/**
 * `stalled`: packets went out and nothing came back (detail: the rule's reason). `recovered`: traffic came
 * back after a stall. `reconnect`: one Keep connected step (detail: `connected`, `failed`, `needs-user`,
 * `stopped`; `attempt` its number; `error` why it failed).
 */
export type HistoryEventKind = 'stalled' | 'recovered' | 'reconnect';
export const HISTORY_EVENT_KINDS: readonly HistoryEventKind[] = ['stalled', 'recovered', 'reconnect'];

export interface HistoryEvent {
  id: number;
  /** Epoch ms. */
  at: number;
  /** The connection's (entry's) name. */
  name: string;
  /** The connection's id when it had one then (a stall), else null (an attempt before the system gave one). */
  connectionId: string | null;
  kind: HistoryEventKind;
  detail: string;
  attempt: number | null;
  error: ErrorInfo | null;
}
