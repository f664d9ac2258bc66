/**
 * Keep connected: per saved entry, Linkwatch redials it after it dropped without the user asking. What the
 * core (electron/core/reconnect/keep-connected.ts) tells the popup, the tray menu, notifications, the history
 * and `watch --json`. Plain data only.
 */
import type { ErrorInfo } from './connection';

/**
 * `off`: not kept (the default). `watching`: kept, nothing to do. `waiting`: dropped, the next attempt is at
 * `nextAttemptAt`. `dialling`: an attempt is under way. `needs-user`: the last attempt failed in a way only
 * the user can fix (bad credentials: 691 and kin), so Linkwatch waits until the user connects it.
 * `stopped`: the user disconnected it; Linkwatch waits until the user connects it again. `system`: the system
 * reconnects it itself (NetworkManager's autoconnect): Linkwatch does not fight it. `blocked`: it cannot be
 * kept connected (`note` says why: no saved credentials, no such entry).
 */
export type KeepPhase = 'off' | 'watching' | 'waiting' | 'dialling' | 'needs-user' | 'stopped' | 'system' | 'blocked';

export interface KeepStatus {
  name: string;
  phase: KeepPhase;
  /** Attempts made since it dropped (0 while it is up). */
  attempts: number;
  /** Epoch ms of the next attempt while `waiting`, else null. */
  nextAttemptAt: number | null;
  /** Epoch ms when it dropped, while it is down; else null. */
  downSince: number | null;
  /** The last attempt's error, while it is down; else null. */
  lastError: ErrorInfo | null;
  /** Why it cannot be kept, or what the system does instead (`blocked`, `system`); else null. */
  note: string | null;
}

/** One step of keeping an entry connected, for notifications, the history and `watch --json`. */
export interface ReconnectEvent {
  type: 'reconnect';
  name: string;
  /** `scheduled` (an attempt will follow in `delayMs`), `dialling` (attempt `attempt` starts), `connected`,
   * `failed` (attempt failed, another is scheduled), `needs-user` (failed; no more attempts until the user
   * acts), `stopped` (the user disconnected it or turned Keep connected off). */
  step: 'scheduled' | 'dialling' | 'connected' | 'failed' | 'needs-user' | 'stopped';
  attempt: number;
  /** Epoch ms. */
  at: number;
  /** Until the next attempt (`scheduled`, `failed`), else null. */
  delayMs: number | null;
  /** How long it was down (`connected`, `failed`, `needs-user`), else null. */
  downForMs: number | null;
  error: ErrorInfo | null;
  /** Why it was triggered or stopped: `dropped`, `resume`, `network`, `user-disconnect`, `turned-off`. */
  cause: string;
}
