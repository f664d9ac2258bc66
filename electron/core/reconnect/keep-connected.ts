/**
 * Keep connected: redial a saved entry that dropped without the user asking, with back-off, after a resume
 * from sleep and when the network comes back; stop when the user disconnects it or turns the choice off;
 * never loop on an error that needs the user. Off by default, per entry (FIELD-NOTES: some users want
 * reconnects, others explicitly not after sleep — openvpn-gui 636, 277).
 *
 * Back-off (`BACKOFF_MS`): the first attempt 5 s after the drop (long enough for a flapping link or the
 * system's own redial to settle, short enough that a user barely notices), then 15 s, 60 s, and every 5 min
 * after that, for as long as the entry stays kept: a server that is down for an hour is retried 12 times an
 * hour, not 720.
 *
 * A drop is told from a hang-up as the history does: Linkwatch hears of every hang-up it asks for (the
 * monitor's onHangUp); a kept entry whose connection goes without one dropped. It runs wherever the monitor
 * and the saved connections run (the app's main process, `linkwatch connect --keep`), on an injected clock.
 */
import type { Connection, ErrorInfo } from '../../../shared/connection';
import type { KeepStatus, ReconnectEvent } from '../../../shared/reconnect';
import type { SavedEntry } from '../../../shared/saved';
import type { DialProgress } from '../platforms/source';
import { matchConnection } from '../saved';
import { needsUser } from './needs-user';

export const BACKOFF_MS: readonly number[] = [5_000, 15_000, 60_000, 300_000];

/** The wait before attempt `attempt` (1-based): 5 s, 15 s, 60 s, then 5 min for every later one. */
export function backoffDelay(attempt: number, backoff: readonly number[] = BACKOFF_MS): number {
  const index = Math.min(Math.max(attempt, 1), backoff.length) - 1;
  return backoff[index]!;
}

export interface KeepClock {
  now(): number;
  /** Run `callback` after `ms`; returns the cancel function. */
  setTimer(callback: () => void, ms: number): () => void;
}

export const realKeepClock: KeepClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // A pending redial never keeps a quitting process alive.
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

/** What dials: SavedConnections.connect (resolves with the last step, never rejects for a failed dial). */
export type KeepDial = (name: string) => Promise<DialProgress>;

/** A saved entry as keep-connected needs it: its name, and why it cannot be kept or needs no help. */
export type KeepEntry = Pick<SavedEntry, 'name' | 'phonebook'> & {
  /** Why Linkwatch cannot keep it connected (no saved credentials), else null/absent. */
  keepBlocked?: string | null;
  /** The system reconnects it itself (NetworkManager `connection.autoconnect`): said, not fought. */
  systemReconnects?: string | null;
};

export interface KeepOptions {
  clock?: KeepClock;
  backoffMs?: readonly number[];
}

interface Kept {
  status: KeepStatus;
  /** The id of its connection while it is up (a hang-up of that id is the user's). */
  connectionId: string | null;
  /** It has been up while kept: only then is its going a drop to repair. */
  wasUp: boolean;
  cancelTimer: (() => void) | null;
  /** Bumped whenever the entry is reset; an attempt finishing under an old generation is ignored. */
  generation: number;
}

export class KeepConnected {
  private readonly kept = new Map<string, Kept>();
  private readonly clock: KeepClock;
  private readonly backoff: readonly number[];
  private readonly eventListeners = new Set<(event: ReconnectEvent) => void>();
  private readonly statusListeners = new Set<(statuses: KeepStatus[]) => void>();
  private entries: KeepEntry[] = [];
  private connections: readonly Connection[] = [];
  private disposed = false;

  constructor(
    private readonly dial: KeepDial,
    options: KeepOptions = {},
  ) {
    this.clock = options.clock ?? realKeepClock;
    this.backoff = options.backoffMs ?? BACKOFF_MS;
  }

  /** Every kept entry's status, in the order they were kept. */
  get statuses(): KeepStatus[] {
    return [...this.kept.values()].map((kept) => ({ ...kept.status }));
  }

  status(name: string): KeepStatus | null {
    const kept = this.kept.get(name);
    return kept ? { ...kept.status } : null;
  }

  onEvent(listener: (event: ReconnectEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: (statuses: KeepStatus[]) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Which entries are kept (the settings' list). Dropped names stop at once; new ones start watching. */
  setKept(names: readonly string[]): void {
    const wanted = new Set(names);
    for (const [name, kept] of [...this.kept]) {
      if (wanted.has(name)) continue;
      this.reset(kept);
      this.kept.delete(name);
      if (kept.status.phase === 'waiting' || kept.status.phase === 'dialling') this.emit(name, 'stopped', kept.status.attempts, { cause: 'turned-off' });
    }
    for (const name of wanted) {
      if (this.kept.has(name)) continue;
      const match = this.matchOf(name);
      this.kept.set(name, {
        status: { name, phase: 'watching', attempts: 0, nextAttemptAt: null, downSince: null, lastError: null, note: null },
        connectionId: match?.id ?? null,
        // Kept while it is up: its next drop is repaired. Kept while down: nothing to repair until it was up.
        wasUp: match?.state === 'connected',
        cancelTimer: null,
        generation: 0,
      });
    }
    this.observe(this.connections, this.entries);
  }

  /**
   * Feed every monitor update (the live list) and the saved entries. A kept entry that was up and is no
   * longer, without a hang-up Linkwatch asked for, dropped: its first attempt is scheduled.
   */
  observe(connections: readonly Connection[], entries: readonly KeepEntry[]): void {
    if (this.disposed) return;
    this.connections = connections;
    this.entries = [...entries];
    let changed = false;
    for (const [name, kept] of this.kept) {
      const before = JSON.stringify(kept.status);
      const entry = entries.find((e) => e.name === name);
      const blocked = !entry ? 'No saved connection of that name' : (entry.keepBlocked ?? null);
      if (blocked || entry?.systemReconnects) {
        this.reset(kept);
        kept.status = { ...kept.status, phase: blocked ? 'blocked' : 'system', note: blocked ?? entry?.systemReconnects ?? null, nextAttemptAt: null };
      } else {
        if (kept.status.phase === 'blocked' || kept.status.phase === 'system') kept.status = { ...kept.status, phase: 'watching', note: null };
        const match = matchConnection({ name, phonebook: entry!.phonebook, scope: 'user', kind: 'vpn' }, connections);
        if (match?.state === 'connected') {
          // Up (by our attempt, the user's own Connect, or the system): watching again, the outage over.
          if (kept.status.phase !== 'dialling') {
            this.reset(kept);
            kept.status = { ...kept.status, phase: 'watching', attempts: 0, downSince: null, lastError: null };
          }
          kept.connectionId = match.id;
          kept.wasUp = true;
        } else if (kept.wasUp && kept.status.phase === 'watching' && !match) {
          kept.wasUp = false;
          kept.connectionId = null;
          kept.status = { ...kept.status, downSince: this.clock.now() };
          this.schedule(name, kept, 'dropped');
        }
      }
      if (JSON.stringify(kept.status) !== before) changed = true;
    }
    if (changed) this.emitStatus();
  }

  /**
   * Linkwatch is hanging `id` up on the user's request: a kept entry whose connection it is stops being kept
   * up (until the user connects it again), and a pending attempt is cancelled.
   */
  noteHangUp(id: string): void {
    for (const [name, kept] of this.kept) {
      if (kept.connectionId !== id) continue;
      const attempts = kept.status.attempts;
      this.reset(kept);
      kept.wasUp = false;
      kept.connectionId = null;
      kept.status = { ...kept.status, phase: 'stopped', nextAttemptAt: null, downSince: null };
      this.emit(name, 'stopped', attempts, { cause: 'user-disconnect' });
      this.emitStatus();
    }
  }

  /** The user dialled `name` themselves (popup, tray): a `stopped` or `needs-user` entry is theirs again. */
  noteUserConnect(name: string): void {
    const kept = this.kept.get(name);
    if (!kept || (kept.status.phase !== 'stopped' && kept.status.phase !== 'needs-user')) return;
    kept.status = { ...kept.status, phase: 'watching', note: null };
    this.emitStatus();
  }

  /** Back from sleep (powerMonitor 'resume'): every kept entry waiting for its next attempt is dialled now. */
  resumed(): void {
    this.dialWaitingNow('resume');
  }

  /** The network came back: the same. */
  networkBack(): void {
    this.dialWaitingNow('network');
  }

  /** True while some entry waits for its next attempt (the network watch runs only then). */
  get waiting(): boolean {
    return [...this.kept.values()].some((kept) => kept.status.phase === 'waiting');
  }

  dispose(): void {
    this.disposed = true;
    for (const kept of this.kept.values()) this.reset(kept);
    this.kept.clear();
  }

  private matchOf(name: string): Connection | null {
    const entry = this.entries.find((e) => e.name === name);
    return entry ? matchConnection({ name, phonebook: entry.phonebook, scope: 'user', kind: 'vpn' }, this.connections) : null;
  }

  private dialWaitingNow(cause: string): void {
    for (const [name, kept] of this.kept) {
      if (kept.status.phase !== 'waiting') continue;
      kept.cancelTimer?.();
      kept.cancelTimer = null;
      void this.attempt(name, kept, cause);
    }
  }

  private reset(kept: Kept): void {
    kept.cancelTimer?.();
    kept.cancelTimer = null;
    kept.generation += 1;
  }

  private schedule(name: string, kept: Kept, cause: string): void {
    const attempt = kept.status.attempts + 1;
    const delayMs = backoffDelay(attempt, this.backoff);
    kept.status = { ...kept.status, phase: 'waiting', nextAttemptAt: this.clock.now() + delayMs };
    const generation = kept.generation;
    kept.cancelTimer = this.clock.setTimer(() => {
      kept.cancelTimer = null;
      if (kept.generation === generation && this.kept.get(name) === kept) void this.attempt(name, kept, cause);
    }, delayMs);
    if (attempt === 1) this.emit(name, 'scheduled', attempt, { delayMs, cause });
  }

  private async attempt(name: string, kept: Kept, cause: string): Promise<void> {
    const attempt = kept.status.attempts + 1;
    const generation = kept.generation;
    kept.status = { ...kept.status, phase: 'dialling', attempts: attempt, nextAttemptAt: null };
    this.emit(name, 'dialling', attempt, { cause });
    this.emitStatus();
    let last: DialProgress;
    try {
      last = await this.dial(name);
    } catch (caught) {
      last = { connectionId: null, phase: 'failed', detail: 'error', error: { code: 'EDIAL', message: caught instanceof Error ? caught.message : String(caught) } };
    }
    if (this.disposed || this.kept.get(name) !== kept || kept.generation !== generation) return;
    const downForMs = kept.status.downSince === null ? null : Math.max(0, this.clock.now() - kept.status.downSince);
    switch (last.phase) {
      case 'connected':
        kept.status = { ...kept.status, phase: 'watching', attempts: 0, downSince: null, lastError: null };
        // Up once the live list shows it (observe): a read that started before the dial ended must not look
        // like another drop.
        kept.wasUp = false;
        kept.connectionId = last.connectionId;
        this.emit(name, 'connected', attempt, { downForMs, cause });
        break;
      case 'cancelled':
        // The user pressed Cancel on our dial: theirs to decide now.
        kept.status = { ...kept.status, phase: 'stopped', downSince: null };
        this.emit(name, 'stopped', attempt, { cause: 'user-disconnect' });
        break;
      default: {
        const error: ErrorInfo | null = last.error ? { code: last.error.code, message: last.error.message } : null;
        kept.status = { ...kept.status, lastError: error };
        if (needsUser(error)) {
          kept.status = { ...kept.status, phase: 'needs-user' };
          this.emit(name, 'needs-user', attempt, { downForMs, error, cause });
        } else {
          this.schedule(name, kept, cause);
          this.emit(name, 'failed', attempt, { delayMs: backoffDelay(attempt + 1, this.backoff), downForMs, error, cause });
        }
      }
    }
    this.emitStatus();
  }

  private emit(name: string, step: ReconnectEvent['step'], attempt: number, extra: Partial<Pick<ReconnectEvent, 'delayMs' | 'downForMs' | 'error' | 'cause'>>): void {
    const event: ReconnectEvent = { type: 'reconnect', name, step, attempt, at: this.clock.now(), delayMs: extra.delayMs ?? null, downForMs: extra.downForMs ?? null, error: extra.error ?? null, cause: extra.cause ?? 'dropped' };
    for (const listener of [...this.eventListeners]) {
      try {
        listener(event);
      } catch (caught) {
        console.error('linkwatch: reconnect listener failed:', caught);
      }
    }
  }

  private emitStatus(): void {
    const statuses = this.statuses;
    for (const listener of [...this.statusListeners]) {
      try {
        listener(statuses);
      } catch (caught) {
        console.error('linkwatch: keep-connected listener failed:', caught);
      }
    }
  }
}
